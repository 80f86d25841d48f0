"""The notebook a build executes: notebooks/jaarverslag.ipynb with its chapters from the report definition.

The committed notebook holds one cell tagged `hoofdstukken` (run by hand, it shows every
chapter at once). The build replaces that cell by a Markdown heading and a text cell per
chapter and, per section, the auditor's trail (tagged `spoor`) followed by the section itself;
so the executed notebook has exactly the sections of the definition, each with its own trail.
"""

from __future__ import annotations

import json
import re

import nbformat

from jaarverslag import paths
from jaarverslag.invoer.definitie import Verslag, anker

NOTEBOOK = "jaarverslag.ipynb"
HOOFDSTUKKEN = "hoofdstukken"  # the tag of the cell that the chapters replace


def _id(text: str) -> str:
    """A valid notebook cell id: 'spoor-vsv_mbo_niveau' -> 'spoor-vsv-mbo-niveau' (at most 64 characters)."""
    return re.sub(r"[^A-Za-z0-9-]", "", text.replace("_", "-"))[:64] or "cel"


def _code(source: str, cell_id: str, tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, id=_id(cell_id))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def hoofdstuk_cellen(definitie: Verslag) -> list[nbformat.NotebookNode]:
    """Per chapter its heading and text block; per section its data step (the model's figures),
    its trail and the section itself."""
    cells = []
    for title, keys in definitie.hoofdstukken:
        spot = anker(title)
        cells.append(nbformat.v4.new_markdown_cell(f"## {title}", id=_id(f"hoofdstuk-{spot}")))
        cells.append(_code(f"verslag.tekst({json.dumps(spot, ensure_ascii=False)})", f"tekst-{spot}"))
        for key in keys:  # a key is a name (definitie.SLEUTEL), so it is safe in a string literal
            cells.append(_code(f'verslag.cijferblad("{key}")', f"cijfers-{key}", ("spoor",)))
            cells.append(_code(f'verslag.spoor("{key}")', f"spoor-{key}", ("spoor",)))
            cells.append(_code(f'verslag.sectie("{key}")', f"sectie-{key}"))
    return cells


def uit_definitie(definitie: Verslag) -> nbformat.NotebookNode:
    """The report notebook with the chapters and sections of `definitie` in place of its `hoofdstukken` cell."""
    notebook = nbformat.read(paths.NOTEBOOKS / NOTEBOOK, as_version=4)
    at = next(i for i, cell in enumerate(notebook.cells) if HOOFDSTUKKEN in cell.metadata.get("tags", []))
    notebook.cells[at : at + 1] = hoofdstuk_cellen(definitie)
    return notebook
