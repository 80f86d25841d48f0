"""Kerncijfers: the one-page overview after the title page. Which figures appear is data:
the list `kerncijfers` in params (table, column, and optionally the national column and a
label). Each figure shows this year's value, last year's, the direction of the change in
words and an arrow (never colour alone), the change itself and, where known, Nederland.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jaarverslag.formatting import is_missing, verschil, vorig_schooljaar
from jaarverslag.inhoud.celtekst import column_spec, format_value
from jaarverslag.inhoud.findings import direction
from jaarverslag.inhoud.herkomst import Cijfer, Herleiding
from jaarverslag.inhoud.indicators import verandering
from jaarverslag.inhoud.model import Figuur, Rij, Tabel

KOPPEN = ("Kerncijfer", "{jaar}", "{vorig}", "Richting", "Verschil", "Nederland")
RICHTING = {"omhoog": "↑ hoger", "omlaag": "↓ lager", "gelijk": "≈ gelijk"}


@dataclass(frozen=True)
class Cel:
    """One cell of a Kerncijfers row: its text, the number behind it (pd.NA for words or none),
    its derivation, and whether the text stands in for a figure that is not published."""

    tekst: str
    waarde: object = pd.NA
    herleiding: Herleiding | None = None
    verborgen: bool = False


@dataclass(frozen=True)
class Kerncijferrij:
    label: str
    cellen: tuple[Cel, ...]  # one per column after the label (KOPPEN[1:])


def rows(rapport, publiek: bool = True) -> list[Kerncijferrij]:
    """The configured figures with their values, in the order of params: as published (a small
    count as '< 5', no change computed from it), or for the trail with every true value."""
    return [_row(rapport, entry, publiek) for entry in rapport.params["kerncijfers"]]


def _row(rapport, entry: dict, publiek: bool) -> Kerncijferrij:
    tabel, kolom, jaar = entry["tabel"], entry["kolom"], rapport.schooljaar
    vorig = vorig_schooljaar(jaar)
    frame = (rapport.publiek if publiek else rapport.tables)[tabel].set_index("schooljaar")

    def cel(year: str, column: str = kolom) -> Cel:
        sign = publiek and rapport.onderdrukking.teken(tabel, (year,), column)
        value = frame[column].get(year, pd.NA)
        source = rapport.herkomst.cel(tabel, (year,), column)
        return Cel(sign or format_value(tabel, column, value), value, source, bool(sign))

    now, before = cel(jaar), cel(vorig)
    spec = column_spec(tabel, kolom)
    percent = spec["type"] == "percentage"
    change = pd.NA if is_missing(now.waarde) or is_missing(before.waarde) else float(now.waarde) - float(before.waarde)
    difference = verschil(change, spec.get("decimalen", 2 if percent else 0), "procentpunt" if percent else "")
    derivation = None if now.herleiding is None or before.herleiding is None else now.herleiding - before.herleiding
    national = entry.get("landelijk")
    cells = (
        now,
        before,
        Cel(_direction(frame.reset_index(), kolom, jaar, spec)),
        Cel(difference, change, derivation),
        cel(jaar, national) if national else Cel("–"),
    )
    return Kerncijferrij(entry.get("label") or rapport.kolom_label(tabel, kolom), cells)


def _direction(frame: pd.DataFrame, kolom: str, jaar: str, spec: dict) -> str:
    """Up, down or about the same, by the rule the key findings use (findings.direction)."""
    way = direction(verandering(frame, kolom, jaar), count=spec["type"] == "aantal")
    return "–" if way is None else RICHTING[way]


def headers(rapport) -> list[str]:
    jaar = rapport.schooljaar
    return [k.format(jaar=jaar, vorig=vorig_schooljaar(jaar)) for k in KOPPEN]


def caption(rapport) -> str:
    return f"Kerncijfers {rapport.params['gemeentenaam']}, schooljaar {rapport.schooljaar}"


def tabel(rapport) -> Tabel | None:
    """The overview as the report model: per cell what the council reads, the true figure for the
    auditor and its derivation; None without kerncijfers in params."""
    if not rapport.params.get("kerncijfers"):
        return None
    head = headers(rapport)
    out = []
    for public, true in zip(rows(rapport), rows(rapport, publiek=False), strict=True):
        cells = tuple(
            Figuur(waar.waarde, shown.tekst, waar.tekst, public.label, header, waar.herleiding, shown.verborgen)
            for header, shown, waar in zip(head[1:], public.cellen, true.cellen, strict=True)
        )
        out.append(Rij(public.label, (), cells))
    return Tabel(caption(rapport), tuple(head), tuple(out), klasse="kerncijfers")


def richtingen(rapport) -> dict[str, str]:
    """Each Kerncijfer's direction as printed ('↑ hoger'), by its label: a later edition lists those that turned."""
    table = rapport.kerncijfertabel()
    column = KOPPEN.index("Richting")
    return {row.label: row.figuren[column - 1].tekst for row in table.rijen} if table else {}


def cijfers(rapport) -> list[Cijfer]:
    """The printed figures of the overview with their derivation (rows of herkomst.csv)."""
    table = rapport.kerncijfertabel()
    return table.cijfers("kerncijfers") if table else []
