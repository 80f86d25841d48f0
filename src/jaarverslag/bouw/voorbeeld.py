"""The report's HTML for the live preview (`jaarverslag bekijk`), rendered fast and written nowhere
under reports/.

The preview process is the warm kernel: the package, pandas and matplotlib are imported once, and
the notebook's council cells run in-process on a report model made from the checked inputs (as
the build's Excel step does). Tables and the validation are kept in memory under the same key as
bouw/hergebruik.py (the sha256 of the data, suites and code): a text edit skips loading and Great
Expectations, a data edit loads and validates again. The council's HTML is made by the same
nbconvert template as the build's.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from jaarverslag.bouw import hergebruik
from jaarverslag.bouw.build import Melder, _notebook_parameters, prepare, source_date, validate_inputs
from jaarverslag.invoer import huisstijl, redactie
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.params import load_params_with_digest
from jaarverslag.weergave import document, grafiekopslag
from jaarverslag.weergave.notebook import uit_definitie

NIET_IN_HTML = set(document.AUDITOR_ONLY)  # the cells the council's HTML leaves out are not run at all


@dataclass
class Voorbeeld:
    """Renders one report again and again, keeping what a text edit does not change."""

    gemeente: str
    schooljaar: str
    map: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="jaarverslag-bekijk-")))
    _invoer: tuple | None = None  # (key, params sha256 aside: tables, their digests, the summary)
    gevalideerd: int = 0  # how often Great Expectations ran (for the tests and the benchmark)

    def html(self) -> str:
        """The council's HTML of the report as the files are now; raises JaarverslagFout as the build would."""
        loaded = load_params_with_digest(self.gemeente, self.schooljaar)
        params = loaded[0]
        with source_date(params["datum"]):
            tables, digests, summary = self._gecontroleerd(loaded)
            notebook = self._uitgevoerd(params, tables, summary)
            path = self.map / "voorbeeld.ipynb"
            nbformat.write(notebook, path)
            return document.to_html(path, document.document_metadata(params))

    def _gecontroleerd(self, loaded: tuple[dict, str]):
        params = loaded[0]
        key = hergebruik.sleutel(params)
        melder = Melder(stil=True)
        if self._invoer is None or self._invoer[0] != key:
            params, tables, digests = prepare(self.gemeente, params["schooljaar"], melder, loaded)
            self.gevalideerd += 1
            summary = validate_inputs(params, tables, digests, melder)
            self._invoer = (key, tables, digests, summary)
        else:
            prepare_texts(self.gemeente, params["schooljaar"])
        _, tables, digests, summary = self._invoer
        return tables, digests, summary

    def _uitgevoerd(self, params: dict, tables: dict, summary: dict) -> nbformat.NotebookNode:
        from jaarverslag.inhoud.report import Rapport  # start-up: pandas only here
        from jaarverslag.weergave.verslag import Verslag  # start-up: pandas only here

        summary = {**summary, "invoer_sha256": {**summary["invoer_sha256"]}}
        parameters = _notebook_parameters(params, summary)
        rapport = Rapport.uit(params, tables, parameters["validatie"], parameters["invoer"])
        notebook = uit_definitie(verslag(params["gemeente"]))
        namespace = {**parameters, "verslag": Verslag.van(rapport)}
        with grafiekopslag.bewaard(self.map / "grafieken"):  # drawn once while the figures stay the same
            for cell in notebook.cells:
                if cell.cell_type == "code" and not NIET_IN_HTML & set(cell.metadata.get("tags", [])):
                    cell.outputs = _uitvoer(cell.source, namespace)
        return notebook

    def opruimen(self) -> None:
        shutil.rmtree(self.map, ignore_errors=True)


def prepare_texts(gemeente: str, schooljaar: str) -> None:
    """What a build checks before it runs that a text edit can break: the magazine's texts and the house style."""
    redactie.controleer(gemeente, schooljaar)
    huisstijl.lees(gemeente)


def _uitvoer(source: str, namespace: dict) -> list:
    """Run a cell as Jupyter would and return its HTML output (the value of its last expression)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cel>", "exec"), namespace)  # noqa: S102 (the project's own notebook)
    if last is None:
        return []
    value = eval(compile(ast.Expression(last.value), "<cel>", "eval"), namespace)  # noqa: S307
    markup = value._repr_html_() if hasattr(value, "_repr_html_") else None
    if markup is None:
        return []
    return [nbformat.v4.new_output("display_data", data={"text/html": markup})]
