"""The files of a report folder, and which of them may be published.

Everything outside `accountant/` may be published as it is: it shows a small count only the
way the tables do (`< 5`, `x`). The auditor's copies keep the true values (the executed
notebook, controle.html, herkomst.csv, the validation report) and the manifest that ties them
together; they live in `accountant/`, so that nobody publishes them by uploading the folder.
Earlier editions under `uitgaven/<datum>/` keep the same split.
"""

from __future__ import annotations

from pathlib import Path

ACCOUNTANT = "accountant"
PUBLIEK = ("jaarverslag.html", "jaarverslag.pdf", "tabellen.xlsx", "raadsmededeling.docx", "herzieningen.csv")
NOTEBOOK = f"{ACCOUNTANT}/jaarverslag.ipynb"
CONTROLE = f"{ACCOUNTANT}/controle.html"
HERKOMST = f"{ACCOUNTANT}/herkomst.csv"
VALIDATIE = (f"{ACCOUNTANT}/validatie.json", f"{ACCOUNTANT}/validatie.html")
MANIFEST = f"{ACCOUNTANT}/manifest.json"
# Every file the manifest records, as a path inside the report folder (the manifest itself aside).
UITVOER = (NOTEBOOK, *PUBLIEK[:2], CONTROLE, PUBLIEK[2], HERKOMST, *VALIDATIE, *PUBLIEK[3:])
# Before the split every file sat at the top of the folder: editions kept from then still do.
OUDE_INDELING = tuple(Path(name).name for name in UITVOER)


def manifest_pad(folder: Path) -> Path:
    """The manifest of a report folder or a kept edition (an edition from before the split has it on top)."""
    current = folder / MANIFEST
    legacy = folder / "manifest.json"
    return legacy if not current.exists() and legacy.exists() else current


def accountant_map(folder: Path) -> Path:
    return folder / ACCOUNTANT


def herkomst_pad(folder: Path) -> Path:
    """herkomst.csv of a report folder or a kept edition, in either layout."""
    return folder / HERKOMST if (folder / HERKOMST).exists() else folder / "herkomst.csv"
