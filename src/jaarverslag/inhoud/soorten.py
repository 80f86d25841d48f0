"""The kinds of section (`soort` in the report definition), one strategy object each: which rows
a section shows, the tables it prints, the rows its chart draws and its Excel sheet. The kind is
looked up once per section (`van`); no other module switches on it.

- tijdreeks: the school years of the window, one table;
- per_groep: the school years per category, a table per category;
- verdeling: the categories of the reported year, one table;
- uitsplitsing: the columns of the reported year below each other, the last one the total.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jaarverslag.inhoud import indicators
from jaarverslag.inhoud.model import Figuur, Rij, Tabel, jaartabel, uitsplitsingstabel, verdelingstabel
from jaarverslag.invoer.definitie import Section
from jaarverslag.invoer.schema import STATUS, status_van


@dataclass(frozen=True)
class Grafiekdata:
    """What a section's chart draws, from its tables: one row per printed row, the section's
    columns by their names, and the row's `status` (its least final figure). A figure that is
    not published (or missing) is empty in `waarden`; `teksten` holds every cell as printed
    (with its mark, 184*), for the alt text."""

    waarden: pd.DataFrame
    teksten: pd.DataFrame


class Soort:
    """A kind of section; this base shows the school years of the window in one table."""

    naam = "tijdreeks"
    as_ = "schooljaar"  # what the chart's rows are: school years, or the categories of one year

    def rijen(self, rapport, section: Section) -> pd.DataFrame:
        """The rows the section shows (raw columns); empty when there is nothing to show."""
        shown = indicators.window(rapport.tables[section.tabel], rapport.schooljaar, rapport.params["aantal_jaren"])
        return shown.iloc[0:0] if shown[list(section.kolommen)].isna().all().all() else shown

    def tabellen(self, rapport, section: Section, shown: pd.DataFrame) -> list[Tabel]:
        years = shown["schooljaar"].tolist()
        return [jaartabel(rapport, section, shown, f"{section.titel}, schooljaar {years[0]} tot en met {years[-1]}")]

    def grafiekrijen(self, section: Section, tables: list[Tabel]):
        """(key, [(column, figure)]) per chart row."""
        for table in tables:
            for row in table.rijen:
                yield self.grafieksleutel(section, row), list(zip(section.kolommen, row.figuren, strict=True))

    def grafieksleutel(self, section: Section, row: Rij) -> dict:
        return {"schooljaar": row.label}

    def excel(self, section: Section, tables: list[Tabel]) -> pd.DataFrame:
        """The section's tables as one sheet: numbers as numbers, a Status column where a row is not final."""
        rows = [dict(r.sleutel) | {f.kolom: f.excel for f in r.figuren} | _status(r) for t in tables for r in t.rijen]
        columns = [*dict(tables[0].rijen[0].sleutel), *tables[0].kop[1:]]
        if any(t.voorlopig for t in tables):  # a column that says which rows are not final
            columns.append("Status")
        return pd.DataFrame(rows, columns=columns, dtype=object)

    def leeg_excel(self, rapport, section: Section) -> pd.DataFrame:
        """The sheet of a section without figures: its headers."""
        group = [rapport.kolom_label(section.tabel, section.groep)] if section.groep else []
        return pd.DataFrame(columns=["Schooljaar", *group, *section.kolommen.values()])


class PerGroep(Soort):
    naam = "per_groep"

    def rijen(self, rapport, section: Section) -> pd.DataFrame:
        frame = rapport.tables[section.tabel]
        groups = [g for g in section.groep_labels if g in set(frame[section.groep])]
        parts = [
            indicators.window(
                frame[frame[section.groep] == g].drop(columns=section.groep),
                rapport.schooljaar,
                rapport.params["aantal_jaren"],
            ).assign(**{section.groep: g})
            for g in groups
        ]
        return pd.concat(parts, ignore_index=True) if parts else frame.iloc[0:0]

    def tabellen(self, rapport, section: Section, shown: pd.DataFrame) -> list[Tabel]:
        return [
            jaartabel(
                rapport,
                section,
                shown[shown[section.groep] == g],
                f"{section.titel}: {section.groep_labels[g]}",
                section.groep_labels[g],
            )
            for g in dict.fromkeys(shown[section.groep])
        ]

    def grafieksleutel(self, section: Section, row: Rij) -> dict:
        return {"schooljaar": row.label, section.groep: row.sleutel[1][1]}


class Verdeling(Soort):
    naam = "verdeling"
    as_ = "categorie"

    def rijen(self, rapport, section: Section) -> pd.DataFrame:
        return _dit_jaar(rapport, section)

    def tabellen(self, rapport, section: Section, shown: pd.DataFrame) -> list[Tabel]:
        return [verdelingstabel(rapport, section, shown)]

    def grafieksleutel(self, section: Section, row: Rij) -> dict:
        return {"categorie": row.label}


class Uitsplitsing(Soort):
    naam = "uitsplitsing"

    def rijen(self, rapport, section: Section) -> pd.DataFrame:
        return _dit_jaar(rapport, section)

    def tabellen(self, rapport, section: Section, shown: pd.DataFrame) -> list[Tabel]:
        return [uitsplitsingstabel(rapport, section, shown.iloc[0])]

    def grafiekrijen(self, section: Section, tables: list[Tabel]):
        """One chart row: the breakdown's rows are its columns."""
        yield {}, [(c, r.figuren[0]) for c, r in zip(section.kolommen, tables[0].rijen, strict=True)]

    def excel(self, section: Section, tables: list[Tabel]) -> pd.DataFrame:
        return pd.DataFrame(
            {"Uitkomst": [r.label for r in tables[0].rijen], "Aantal": [r.figuren[0].excel for r in tables[0].rijen]}
        )

    def leeg_excel(self, rapport, section: Section) -> pd.DataFrame:
        return pd.DataFrame({"Uitkomst": list(section.kolommen.values()), "Aantal": [pd.NA] * len(section.kolommen)})


SOORTEN = {s.naam: s for s in (Soort(), PerGroep(), Verdeling(), Uitsplitsing())}


def van(section: Section) -> Soort:
    """The strategy of a section's kind."""
    return SOORTEN[section.soort]


def tabellen(rapport, section: Section) -> list[Tabel]:
    """The tables a section prints, in order; none when it has nothing to show."""
    shown = van(section).rijen(rapport, section) if section.kolommen else pd.DataFrame()
    return van(section).tabellen(rapport, section, shown) if not shown.empty else []


def grafiekdata(section: Section, tables: list[Tabel]) -> Grafiekdata:
    """The chart data of a section: its rows' keys (school year, category) and each column's figures
    (a view of the model, like the HTML and Excel)."""
    values, texts = [], []
    for key, figures in van(section).grafiekrijen(section, tables):
        status = {STATUS: status_van(*(f.status for _, f in figures))}
        values.append(key | {c: _getekend(f) for c, f in figures} | status)
        texts.append(key | {c: f.tekst + f.merk for c, f in figures} | status)
    return Grafiekdata(pd.DataFrame(values), pd.DataFrame(texts))


def _getekend(f: Figuur):
    return pd.NA if f.verborgen else f.waarde


def _dit_jaar(rapport, section: Section) -> pd.DataFrame:
    frame = rapport.tables[section.tabel]
    return frame[frame["schooljaar"] == rapport.schooljaar].reset_index(drop=True)


def _status(row: Rij) -> dict:
    return {"Status": status_van(*(f.status for f in row.figuren)).replace("_", " ")}
