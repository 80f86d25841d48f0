"""The report model: every printed cell of a section's tables, computed once.

A `Figuur` is one printed cell: its true value, the text the council reads ('< 5', 'x', '–' or
the figure in Dutch style), the true text for the auditor, its row and column labels and where
it comes from (a source cell or a formula, see inhoud/herkomst.py). A `Tabel` is a caption, a
header, rows of figures, footnotes and the legends it needs. The HTML (templates/verslag/),
the Excel companion and herkomst.csv are views of these tables; none selects or formats a
figure again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jaarverslag.formatting import ONTBREEKT, is_missing
from jaarverslag.inhoud import geheim
from jaarverslag.inhoud.celtekst import format_value
from jaarverslag.inhoud.herkomst import Cijfer, Herleiding
from jaarverslag.invoer.definitie import Section
from jaarverslag.invoer.schema import DEFINITIEF, NADER_VOORLOPIG, VOORLOPIG, schema


@dataclass(frozen=True)
class Figuur:
    """One printed cell."""

    waarde: object  # the true value (pd.NA when the source has none)
    tekst: str  # as the council reads it
    waar: str  # the true value as printed, for the auditor (equal to `tekst` unless hidden)
    rij: str  # the row's label
    kolom: str  # the column's label
    herleiding: Herleiding | None  # the source cell or formula
    verborgen: bool = False  # a small count, or a figure that would reveal one

    @property
    def excel(self):
        """The cell of the Excel companion: the number, the text printed in its place, or empty."""
        if self.verborgen:
            return self.tekst
        return None if self.ontbreekt else self.waarde

    @property
    def ontbreekt(self) -> bool:
        return is_missing(self.waarde)

    @property
    def getal(self) -> float | None:
        """The number a chart or a comparison may use: None when it is hidden or missing."""
        return None if self.verborgen or self.ontbreekt else float(self.waarde)

    @property
    def status(self) -> str:
        """voorlopig, nader_voorlopig or definitief: as final as the least final cell it comes from."""
        return DEFINITIEF if self.herleiding is None or self.ontbreekt else self.herleiding.status

    @property
    def merk(self) -> str:
        """The CBS mark behind a figure that is not final: * voorlopig, ** nader voorlopig."""
        return MERK[self.status]


MERK = {DEFINITIEF: "", VOORLOPIG: "*", NADER_VOORLOPIG: "**"}
LEGENDA = {VOORLOPIG: "* = voorlopig cijfer", NADER_VOORLOPIG: "** = nader voorlopig cijfer"}


@dataclass(frozen=True)
class Rij:
    label: str  # the row header as printed (without footnote marks)
    noten: tuple[int, ...]  # footnote numbers, into the table's `noten`
    figuren: tuple[Figuur, ...]
    sleutel: tuple[tuple[str, object], ...] = ()  # (header, value) of the row's keys, for Excel
    geen_gegevens: bool = False  # a region's gemeente without this table's figures: one cell says so


@dataclass(frozen=True)
class Tabel:
    onderschrift: str
    kop: tuple[str, ...]  # the row header's name, then one per column
    rijen: tuple[Rij, ...]
    noten: tuple[str, ...] = ()
    toon_ontbreekt: bool = False  # explain '–' beneath (tables over the school years)
    totaal_onderaan: bool = False  # the last row is the total (tfoot)
    klasse: str = ""  # an extra css class (kerncijfers)
    toelichting: str = ""  # a sentence beneath the table (why a region has no figure of its own)
    woorden: bool = False  # the cells are words, not figures (Datakwaliteit)

    @property
    def ontbreekt(self) -> bool:
        return self.toon_ontbreekt and any(f.tekst == ONTBREEKT for r in self.rijen for f in r.figuren)

    @property
    def verborgen(self) -> bool:
        return any(f.verborgen for r in self.rijen for f in r.figuren)

    @property
    def voorlopig(self) -> list[str]:
        """The legend of the marks this table prints (* voorlopig, ** nader voorlopig), in that order."""
        found = {f.status for r in self.rijen for f in r.figuren}
        return [text for status, text in LEGENDA.items() if status in found]

    def cijfers(self, sectie: str) -> list[Cijfer]:
        """The table's figures as rows of herkomst.csv (true values; a missing figure is not traced)."""
        return [
            Cijfer(sectie, self.onderschrift, f.rij, f.kolom, f.waar, f.herleiding, f.tekst)
            for r in self.rijen
            for f in r.figuren
            if not f.ontbreekt
        ]


def blad(tables: list[Tabel]) -> pd.DataFrame:
    """The published figures of tables as one frame, for the auditor's data step in the notebook."""
    rows = [
        {
            "tabel": t.onderschrift,
            "rij": r.label,
            "kolom": f.kolom,
            "gedrukt": f.tekst + f.merk,
            "waarde": f.waar,
            "bron of formule": _bron(f),
            "status": f.status,
        }
        for t in tables
        for r in t.rijen
        for f in r.figuren
    ]
    return pd.DataFrame(rows, columns=["tabel", "rij", "kolom", "gedrukt", "waarde", "bron of formule", "status"])


def _bron(f: Figuur) -> str:
    if f.herleiding is None:
        return ""
    return str(f.herleiding.bronnen[0]) if f.herleiding.is_bron else f.herleiding.formule(f.waar)


def cel(tabel: str, kolom: str, value, sign: str, rij: str, label: str, source: Herleiding | None) -> Figuur:
    """A printed cell from its true value: the council reads `sign` ('< 5', 'x') in place of a
    hidden figure, the auditor the true value; a missing value has no source."""
    true = format_value(tabel, kolom, value)
    return Figuur(value, sign or true, true, rij, label, None if is_missing(value) else source, bool(sign))


def figuur(rapport, section: Section, row: pd.Series, kolom: str, rij: str, label: str) -> Figuur:
    """One cell of a section's table, as the council reads it and as the auditor traces it."""
    key = geheim.sleutel(section.tabel, row)
    sign = rapport.onderdrukking.teken(section.tabel, key, kolom)
    columns = schema()[section.tabel].key if section.tabel in schema() else ["schooljaar"]
    source = (
        None if is_missing(row[kolom]) else rapport.herkomst.cel(section.tabel, tuple(row[k] for k in columns), kolom)
    )
    return cel(section.tabel, kolom, row[kolom], sign, rij, label, source)


def jaartabel(rapport, section: Section, shown: pd.DataFrame, onderschrift: str, groep: str | None = None) -> Tabel:
    """A table over the school years (tijdreeks, or one category of per_groep), with footnote marks."""
    notes: list[str] = []
    rows = []
    for _, row in shown.iterrows():
        numbers = []
        for note in rapport.rij_noten(section, row):
            if note not in notes:
                notes.append(note)
            numbers.append(notes.index(note) + 1)
        year = str(row["schooljaar"])
        keys = (("Schooljaar", row["schooljaar"]),)
        if groep:
            keys += ((rapport.kolom_label(section.tabel, section.groep), groep),)
        cells = tuple(figuur(rapport, section, row, c, year, label) for c, label in section.kolommen.items())
        rows.append(Rij(year, tuple(numbers), cells, keys))
    head = ("Schooljaar", *section.kolommen.values())
    return Tabel(onderschrift, head, tuple(rows), tuple(notes), toon_ontbreekt=True)


def verdelingstabel(rapport, section: Section, shown: pd.DataFrame) -> Tabel:
    """The categories of the reported year, one row each."""
    header = rapport.kolom_label(section.tabel, section.groep)
    rows = []
    for _, row in shown.iterrows():
        label = section.groep_labels[row[section.groep]]
        cells = tuple(figuur(rapport, section, row, c, label, name) for c, name in section.kolommen.items())
        rows.append(Rij(label, (), cells, (("Schooljaar", row["schooljaar"]), (header, label))))
    notes = tuple(dict.fromkeys(n for _, row in shown.iterrows() for n in rapport.voetnoten(section, row)))
    return Tabel(rapport.onderschrift_jaar(section), (header, *section.kolommen.values()), tuple(rows), notes)


def uitsplitsingstabel(rapport, section: Section, row: pd.Series) -> Tabel:
    """The columns of the reported year below each other, the last one the total."""
    rows = tuple(
        Rij(label, (), (figuur(rapport, section, row, c, label, "Aantal"),)) for c, label in section.kolommen.items()
    )
    notes = tuple(rapport.voetnoten(section, row))
    return Tabel(rapport.onderschrift_jaar(section), ("Uitkomst", "Aantal"), rows, notes, totaal_onderaan=True)
