"""A region's sections show the gemeenten side by side for the reported year.

Under each section's own figures (the region's trend): a table with a row per gemeente, the
region and, where the data give it, Nederland; and, where the section has a rate, a chart that
compares the gemeenten on that rate (never on raw counts, which mostly measure size). The same
rows are traced for the auditor, and the comparison rule of regio.py names the gemeenten whose
rate differs notably from the region's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jaarverslag.formatting import ONTBREEKT
from jaarverslag.inhoud import indicators, regio
from jaarverslag.inhoud.celtekst import format_value, opsomming
from jaarverslag.inhoud.findings import MIN_BASE_PCT, Kernpunt, Landelijk
from jaarverslag.inhoud.herkomst import Cijfer
from jaarverslag.inhoud.model import Figuur, Rij, Tabel, cel
from jaarverslag.invoer.definitie import Section
from jaarverslag.invoer.schema import niet_te_berekenen, schema


@dataclass(frozen=True)
class Kolom:
    label: str
    kolom: str
    categorie: str | None = None  # a category of a table per category


def kolommen(section: Section) -> list[Kolom]:
    """The columns of the comparison: a table per category shows its first count per category."""
    specs = schema()[section.tabel].columns if section.tabel in schema() else {}
    if section.groep:
        count = next(c for c in section.kolommen if specs.get(c, {}).get("type") == "aantal")
        return [Kolom(label, count, g) for g, label in section.groep_labels.items()]
    return [Kolom(label, c) for c, label in section.kolommen.items() if not specs.get(c, {}).get("landelijk_van")]


def _key(rapport, kolom: Kolom) -> tuple:
    return (rapport.schooljaar, kolom.categorie) if kolom.categorie else (rapport.schooljaar,)


Regel = tuple[str, "tuple[Figuur, ...] | None"]  # a row label, its figures (None: a gemeente without figures)


def rijen(rapport, section: Section) -> list[Regel]:
    """(row label, a figure per column) for every gemeente, the region and Nederland; None for a
    gemeente without figures (geen gegevens). Each figure holds what the council reads ('< 5')
    and the true value for the auditor's trail."""
    columns, region = kolommen(section), rapport.regio
    out = []
    for gemeente, naam in region.namen.items():
        counted = region.dekking.telt_mee(gemeente, section.tabel)
        out.append(
            (naam, tuple(_gemeente_cel(rapport, section, gemeente, k, naam) for k in columns) if counted else None)
        )
    naam = rapport.params["gemeentenaam"]
    out.append((naam, tuple(_regio_cel(rapport, section, k, naam) for k in columns)))
    national = [regio.landelijk_kolom(section.tabel, k.kolom) for k in columns]
    if any(national):
        out.append(
            ("Nederland", tuple(_landelijk_cel(rapport, section, k, n) for k, n in zip(columns, national, strict=True)))
        )
    return out


def _gemeente_cel(rapport, section: Section, gemeente: str, kolom: Kolom, rij: str) -> Figuur:
    key = _key(rapport, kolom)
    row = regio.rij(rapport.regio, gemeente, section.tabel, key)
    value = None if row is None else row[kolom.kolom]
    sign = rapport.onderdrukking.teken(f"{gemeente}/{section.tabel}", key, kolom.kolom)
    source = rapport.regio.leden.get(gemeente)
    derivation = source.cel(section.tabel, key, kolom.kolom) if source else None
    return cel(section.tabel, kolom.kolom, value, sign, rij, kolom.label, derivation)


def _regio_cel(rapport, section: Section, kolom: Kolom, rij: str, label: str | None = None) -> Figuur:
    key = _key(rapport, kolom)
    row = regio.rij_met_sleutel(rapport.tables[section.tabel], section.tabel, key)
    value = None if row is None else row[kolom.kolom]
    sign = rapport.onderdrukking.teken(section.tabel, key, kolom.kolom)
    derivation = rapport.herkomst.cel(section.tabel, key, kolom.kolom)
    return cel(section.tabel, kolom.kolom, value, sign, rij, label or kolom.label, derivation)


def _landelijk_cel(rapport, section: Section, kolom: Kolom, landelijk: str | None) -> Figuur:
    """Nederland's figure under a column: its national column, or '–' where the data have none."""
    if not landelijk:
        return Figuur(pd.NA, ONTBREEKT, ONTBREEKT, "Nederland", kolom.label, None)
    return _regio_cel(rapport, section, Kolom("", landelijk), "Nederland", kolom.label)


def caption(rapport, section: Section) -> str:
    return f"{section.titel} per gemeente, schooljaar {rapport.schooljaar}"


def model_tabel(rapport, section: Section) -> Tabel:
    """The gemeenten side by side as the report model: per cell what the council reads, the true
    figure for the auditor and its derivation; computed once per section."""
    return rapport.vergelijking(section.key, lambda: _model_tabel(rapport, section))


def _model_tabel(rapport, section: Section) -> Tabel:
    rows = tuple(
        Rij(label, (), figures) if figures is not None else Rij(label, (), (), geen_gegevens=True)
        for label, figures in rijen(rapport, section)
    )
    head = ("Gemeente", *(k.label for k in kolommen(section)))
    return Tabel(caption(rapport, section), head, rows, toelichting=_zonder_regiocijfer(section))


def _niet_voor_regio(section: Section) -> list[str]:
    """The labels of the section's columns that the region cannot compute (a percentage without
    teller and noemer): the gemeenten show them, the region does not."""
    own = set(niet_te_berekenen(section.tabel)) if section.tabel in schema() else set()
    return [k.label for k in kolommen(section) if k.kolom in own and not k.categorie]


def _zonder_regiocijfer(section: Section) -> str:
    labels = _niet_voor_regio(section)
    if not labels:
        return ""
    return (
        f"De regio heeft geen eigen cijfer voor {opsomming(labels).lower()}: de bron geeft het per gemeente als "
        "percentage, zonder teller en noemer. Een gemiddelde van de percentages zou een kleine gemeente even zwaar "
        "laten wegen als een grote, en is daarom niet berekend."
    )


def tabel(rapport, section: Section):
    """The comparison as the Excel companion holds it: numbers as numbers, '< 5' and 'x' as text."""
    table = model_tabel(rapport, section)
    rows = [
        [
            r.label,
            *(
                [regio.GEEN_GEGEVENS] + [None] * (len(table.kop) - 2)
                if r.geen_gegevens
                else [f.excel for f in r.figuren]
            ),
        ]
        for r in table.rijen
    ]
    return pd.DataFrame(rows, columns=list(table.kop))


def cijfers(rapport, section: Section) -> list[Cijfer]:
    """Every figure of the comparison table with its derivation (rows of herkomst.csv)."""
    return model_tabel(rapport, section).cijfers(section.key)


def kernpunten(rapport) -> list:
    """The gemeenten whose rate differs notably from the region's (regio.afwijking), per section:
    read from the comparison's model, the figures (their values) its table and chart show."""
    out = []
    for key, section in rapport.verslagdefinitie.secties.items():
        column = regio.rate_column(section) if not section.groep else None
        if column is None:
            continue
        at = [k.kolom for k in kolommen(section)].index(column)
        rows = model_tabel(rapport, rapport.definitie(key, als_regio=False)).rijen
        region = rows[len(rapport.regio.namen)].figuren[at]
        for gemeente, row in zip(rapport.regio.namen, rows, strict=False):  # the gemeenten come first
            if row.geen_gegevens or _basis(rapport, section, gemeente, column) < MIN_BASE_PCT:
                continue
            point = _afwijking(rapport, section, column, row.figuren[at], region)
            if point:
                out.append(point)
    return out


def _afwijking(rapport, section: Section, column: str, own: Figuur, region: Figuur) -> Kernpunt | None:
    way = regio.afwijking(region.getal, own.getal, rapport.params["regio_afwijking"])
    if way is None:
        return None
    subject = _onderwerp(rapport, section, column)
    text = f"in {own.rij} {subject} ({own.tekst}) duidelijk {way} is dan in de regio ({region.tekst})"
    weight = abs(own.getal - region.getal) / region.getal * 100
    figures = ((own.rij, own.tekst, own.herleiding), ("regio", region.tekst, region.herleiding))
    rule = regio.regel_tekst(section.tabel, column, rapport.params["regio_afwijking"])
    return Kernpunt(text, rule, figures, weight, section.tabel, column, way)


def _basis(rapport, section: Section, gemeente: str, column: str) -> float:
    """The published count behind a gemeente's rate (0 when it is not published or not known)."""
    specs = schema()[section.tabel].columns if section.tabel in schema() else {}
    if section.tabel in indicators.AFGELEID:
        tabel, count = indicators.PER_1000[column].tellers[0]
    else:
        tabel, count = section.tabel, specs[column].get("teller", column)
    key = (rapport.schooljaar,)
    row = regio.rij(rapport.regio, gemeente, tabel, key)
    if row is None or count not in row or rapport.onderdrukking.teken(f"{gemeente}/{tabel}", key, count):
        return 0
    value = row[count]
    return 0 if value is None or value != value else float(value)


def _onderwerp(rapport, section: Section, column: str) -> str:
    """The subject of the finding: the section's own rule's words, else the figure's name."""
    own = next((r for r in section.kernpunten if isinstance(r, Landelijk) and r.kolom == column), None)
    if own:
        return own.onderwerp
    if section.tabel in indicators.AFGELEID:
        return indicators.onderwerp(rapport.tables[section.tabel], column, rapport.schooljaar)
    return f"{section.kolommen[column][0].lower()}{section.kolommen[column][1:]}"


@dataclass(frozen=True)
class Zonder:
    """A gemeente of the region without figures in some tables (ontbrekende_gegevens: geen_gegevens)."""

    naam: str
    tabellen: list[str]  # the titles of the tables it lacks
    elders: bool  # whether it counts in the region's other tables
    ontbreekt: str  # what it lacks, in words


@dataclass(frozen=True)
class Regioverantwoording:
    """What the Verantwoording says about a region's figures."""

    gemeenten: list[str]  # the gemeenten the sums hold
    met_gaten: bool  # a gemeente lacks a table: that table's sums are without it
    zonder: list[Zonder]
    ongelijk_landelijk: list[tuple[str, str, str, str]]  # (label, table title, school year, the figures given)
    niet_te_berekenen: list[str]  # 'label (table title)' of each figure the region cannot compute


def verantwoording(rapport) -> Regioverantwoording:
    """How a region's figures are made, which gemeenten they hold, and what they cannot show."""
    names, dekking = rapport.regio.namen, rapport.regio.dekking
    used = rapport.verslagdefinitie.tabellen
    zonder = [
        Zonder(
            names[gemeente],
            [tabeltitel(t) for t in lacking if t in used or t in rapport.verslagdefinitie.afgeleid],
            any(dekking.telt_mee(gemeente, t) for t in used),
            "; ".join(why.rstrip(".") for why in lacking.values()),
        )
        for gemeente, lacking in dekking.zonder.items()
    ]
    ongelijk = [
        (
            schema()[tabel].columns[kolom].get("label", kolom).lower(),
            schema()[tabel].title,
            jaar,
            " en ".join(format_value(tabel, kolom, v) for v in values),
        )
        for tabel, kolom, jaar, values in rapport.regio.ongelijk_landelijk()
    ]
    missing = [
        f"{schema()[t].columns[c].get('label') or c} ({schema()[t].title})"
        for t in rapport.verslagdefinitie.tabellen
        for c in niet_te_berekenen(t)
        if any(c in s.kolommen and s.tabel == t for s in rapport.verslagdefinitie.secties.values())
    ]
    return Regioverantwoording([names[g] for g in dekking.gemeenten], bool(dekking.zonder), zonder, ongelijk, missing)


def grafiekrijen(rapport, section: Section) -> tuple[str, list[Figuur]] | None:
    """What the comparison's chart shows: the rate's label and the figure of each row that has one
    (its row label the gemeente); None when the section has no rate to compare the gemeenten on."""
    column = regio.rate_column(section, ook_zonder_regiocijfer=True) if not section.groep else None
    if column is None:
        return None
    at = [k.kolom for k in kolommen(section)].index(column)
    figures = [r.figuren[at] for r in model_tabel(rapport, section).rijen if r.figuren]
    return section.kolommen[column], [f for f in figures if f.tekst != ONTBREEKT]


def tabeltitel(tabel: str) -> str:
    """A table's title; a derived table (verzuim per 1.000) by its section's name."""
    return schema()[tabel].title if tabel in schema() else tabel.replace("_", " ").replace("per 1000", "per 1.000")


def zonder(rapport, tabel: str) -> list[str]:
    """The gemeenten a region's figures of a table leave out (no data for it)."""
    if not rapport.regio:
        return []
    return [n for g, n in rapport.regio.namen.items() if not rapport.regio.dekking.telt_mee(g, tabel)]
