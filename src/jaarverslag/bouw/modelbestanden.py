"""The files drawn from the report model, written by the kernel that built it.

The notebook builds the report model once. Its last cell (tag `audit`) calls `schrijf` with the
folder the build gave it (the notebook parameter `uitvoer`), and the same model becomes
accountant/herkomst.csv, tabellen.xlsx, raadsmededeling.docx and herzieningen.csv; the build
process itself constructs no model and computes no figure. What the manifest keeps of the model
(the key findings and the Kerncijfers directions, for a later edition's list of revisions) goes
to a file the build reads and removes before it publishes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from jaarverslag import bundel, paths
from jaarverslag.bouw.tabellenboek import write_workbook
from jaarverslag.inhoud import herkomst, herzieningen, raadsmededeling
from jaarverslag.spoor import cellen, memospoor
from jaarverslag.weergave import memo, wordsjabloon

MODEL = ".model.json"  # in the build's staging folder; never published


def schrijf(rapport, uitvoer: str) -> pd.DataFrame:
    """Write the model's files into `uitvoer` (relative to the project root); show what was written.
    Run by hand (no `uitvoer`), it writes nothing."""
    if not uitvoer:
        return pd.DataFrame(columns=["bestand"])
    folder = paths.ROOT / uitvoer
    mededeling = raadsmededeling.maak(rapport)  # one memo for its trail and its Word file
    trail = herkomst.als_tabel(cellen.alle_cijfers(rapport) + memospoor.cijfers(rapport, mededeling))
    write_workbook(rapport, folder / "tabellen.xlsx", trail)
    trail.to_csv(folder / bundel.HERKOMST, index=False, lineterminator="\n")
    written = [bundel.HERKOMST, "tabellen.xlsx", memo.BESTAND]
    if rapport.vorige_uitgave() is not None:  # the first edition has no list of revisions
        herzieningen.als_tabel(rapport.herzieningen()).to_csv(
            folder / herzieningen.BESTAND, index=False, lineterminator="\n"
        )
        written.append(herzieningen.BESTAND)
    memo.schrijf(
        mededeling, wordsjabloon.sjabloon(rapport.params["gemeente"]), folder / memo.BESTAND, rapport.params["datum"]
    )
    (folder / MODEL).write_text(json.dumps(herzieningen.voor_manifest(rapport), ensure_ascii=False), encoding="utf-8")
    return pd.DataFrame({"bestand": written})


def voor_manifest(folder: Path) -> dict:
    """What the kernel left for the manifest; the file goes (it is no output of the report)."""
    path = folder / MODEL
    kept = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()
    return kept
