"""Merging a workbook's rows into the data as it is: what changes, and what is refused.

A value only fills what was empty; a row that already holds another value is a conflict,
unless `overschrijven` is asked. A row that is not final yet (status voorlopig or
nader_voorlopig) is the exception: replacing its figures, typically by the definitive ones,
is the expected course of a report in autumn and again in spring, and is shown as a revision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jaarverslag import paths
from jaarverslag.errors import Melding
from jaarverslag.formatting import is_missing, zoals_geschreven
from jaarverslag.invoer.schema import DEFINITIEF, STATUS, schema, table_path
from jaarverslag.nieuwjaar.wegschrijven import _equal


@dataclass
class Wijziging:
    """One cell that reading the workbook changes (old None: a new row or an empty cell)."""

    tabel: str
    sleutel: tuple[str, ...]
    kolom: str
    oud: object
    nieuw: object
    herziening: bool = False  # a figure of a row that was not final replaced

    def __str__(self) -> str:
        change = f"{self.tabel} {', '.join(self.sleutel)}, {self.kolom}: {_shown(self.oud)} → {_shown(self.nieuw)}"
        return f"{change} (herziening)" if self.herziening else change


def _shown(value) -> str:
    if is_missing(value):
        return "leeg"
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return zoals_geschreven(value)
    return str(value)


@dataclass
class Blad:
    """The new rows of one table as read from its sheet, and where each row is."""

    tabel: str
    frame: pd.DataFrame
    rijen: list[int | None]  # sheet row of each frame row (None: the rows were counted, not read)
    letters: dict[str, str]  # schema column -> sheet column letter and header, for messages
    bron: str = "de werkmap"  # what a message calls where the new values come from
    plek: str = ""  # where a message points (empty: the workbook's sheet)

    def plaats(self, kolom: str) -> str:
        return self.letters.get(kolom, kolom)


def _merge(
    gemeente: str, tables: dict[str, pd.DataFrame], sheets: list[Blad], overschrijven: bool, where: str
) -> tuple[dict[str, pd.DataFrame], list[Wijziging], list[Melding]]:
    """The tables with the workbook's rows in them, what changes, and the conflicts refused."""
    merged, changes, conflicts = dict(tables), [], []
    for blad in sheets:
        table = schema()[blad.tabel]
        frame = tables[blad.tabel].copy()
        existing = {tuple(str(r[k]) for k in table.key): i for i, r in frame.iterrows()}
        for (_, row), line in zip(blad.frame.iterrows(), blad.rijen, strict=True):
            key = tuple(str(row[k]) for k in table.key)
            if key not in existing:
                frame = pd.concat([frame, row.to_frame().T.astype(frame.dtypes.to_dict())], ignore_index=True)
                existing[key] = frame.index[-1]
                changes += [
                    Wijziging(blad.tabel, key, c, None, row[c])
                    for c in table.columns
                    if c not in table.key and not is_missing(row[c]) and not (c == STATUS and row[c] == DEFINITIEF)
                ]
                continue
            status = frame.at[existing[key], STATUS]
            revisable = not is_missing(status) and status != DEFINITIEF  # a provisional row may be replaced
            for column in (c for c in table.columns if c not in table.key and not is_missing(row[c])):
                old = frame.at[existing[key], column]
                if _equal(old, row[column]):
                    continue
                if not is_missing(old) and not overschrijven and not revisable:
                    source = paths.relative(table_path(gemeente, blad.tabel))
                    conflicts.append(_conflict(blad, (column, line, key), (old, row[column]), source, where))
                    continue
                frame.at[existing[key], column] = row[column]
                was = None if is_missing(old) else old
                changes.append(Wijziging(blad.tabel, key, column, was, row[column], revisable and was is not None))
        merged[blad.tabel] = frame
    return merged, changes, conflicts


def _conflict(blad: Blad, cell: tuple[str, int | None, tuple], values: tuple, source: str, where: str) -> Melding:
    (column, line, key), (old, new) = cell, values
    here = "hier" if line is not None else f"bij {', '.join(key)}"
    return Melding(
        blad.plek or f"{where}, tabblad '{blad.tabel}'",
        f"in {source} staat {here} al {_shown(old)} ({blad.bron} zegt {_shown(new)}); een definitief cijfer wordt "
        "niet overschreven zonder --overschrijven.",
        blad.plaats(column),
        line,
    )
