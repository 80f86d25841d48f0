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
from jaarverslag.inhoud import geheim, indicators, regio
from jaarverslag.inhoud.celtekst import format_value, opsomming
from jaarverslag.inhoud.findings import MIN_BASE_PCT, Kernpunt, Landelijk
from jaarverslag.inhoud.herkomst import Cijfer, Herleiding, parse
from jaarverslag.inhoud.model import Figuur, Rij, Tabel
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


Regel = tuple[str, "list[tuple[str, Herleiding | None]] | None"]  # a row label, its (printed, derivation) cells


def rijen(rapport, section: Section, publiek: bool = True) -> list[Regel]:
    """(row label, [(printed, derivation) per column]) for every gemeente, the region and Nederland;
    None for a gemeente without figures (geen gegevens). `publiek`: as the council reads them
    ('< 5'), else the true values for the auditor's trail."""
    columns, region = kolommen(section), rapport.regio
    out = []
    for gemeente, naam in region.namen.items():
        counted = region.dekking.telt_mee(gemeente, section.tabel)
        out.append(
            (naam, [_gemeente_cel(rapport, section, gemeente, k, publiek) for k in columns] if counted else None)
        )
    out.append((rapport.params["gemeentenaam"], [_regio_cel(rapport, section, k, publiek) for k in columns]))
    national = [regio.landelijk_kolom(section.tabel, k.kolom) for k in columns]
    if any(national):
        nl = [_regio_cel(rapport, section, Kolom("", n), publiek) if n else ("–", None) for n in national]
        out.append(("Nederland", nl))
    return out


def _printed(rapport, tabel: str, key: tuple, kolom: str, value, publiek: bool) -> str:
    """A cell as the council reads it (publiek) or its true value; `tabel` is 'aadorp/…' for a gemeente."""
    sign = publiek and rapport.onderdrukking.teken(tabel, key, kolom)
    return sign or format_value(geheim.basis(tabel), kolom, value)


def _gemeente_cel(rapport, section: Section, gemeente: str, kolom: Kolom, publiek: bool = True):
    key = _key(rapport, kolom)
    row = regio.rij(rapport.regio, gemeente, section.tabel, key)
    value = None if row is None else row[kolom.kolom]
    printed = _printed(rapport, f"{gemeente}/{section.tabel}", key, kolom.kolom, value, publiek)
    source = rapport.regio.leden.get(gemeente)
    return printed, source.cel(section.tabel, key, kolom.kolom) if source else None


def _regio_cel(rapport, section: Section, kolom: Kolom, publiek: bool = True):
    key = _key(rapport, kolom)
    row = regio.rij_met_sleutel(rapport.tables[section.tabel], section.tabel, key)
    value = None if row is None else row[kolom.kolom]
    printed = _printed(rapport, section.tabel, key, kolom.kolom, value, publiek)
    return printed, rapport.herkomst.cel(section.tabel, key, kolom.kolom)


def caption(rapport, section: Section) -> str:
    return f"{section.titel} per gemeente, schooljaar {rapport.schooljaar}"


def model_tabel(rapport, section: Section) -> Tabel:
    """The gemeenten side by side as the report model: per cell what the council reads, the true
    figure for the auditor and its derivation; computed once per section."""
    return rapport.vergelijking(section.key, lambda: _model_tabel(rapport, section))


def _model_tabel(rapport, section: Section) -> Tabel:
    columns = kolommen(section)
    rows = []
    for (label, public), (_, true) in zip(rijen(rapport, section), rijen(rapport, section, publiek=False), strict=True):
        if public is None:
            rows.append(Rij(label, (), (), geen_gegevens=True))
            continue
        cells = tuple(
            Figuur(pd.NA if waar == ONTBREEKT else waar, printed, waar, label, k.label, derivation, _verborgen(printed))
            for k, (printed, _), (waar, derivation) in zip(columns, public, true, strict=True)
        )
        rows.append(Rij(label, (), cells))
    head = ("Gemeente", *(k.label for k in columns))
    return Tabel(caption(rapport, section), head, tuple(rows), toelichting=_zonder_regiocijfer(section))


def _verborgen(printed: str) -> bool:
    return printed.startswith("<") or printed == geheim.GEHEIM


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


def getal_van(printed: str):
    try:
        return parse(printed)
    except ValueError:  # '< 5', 'x' or '–': no bar
        return None


def tabel(rapport, section: Section):
    """The comparison as the Excel companion holds it: numbers as numbers, '< 5' and 'x' as text."""
    table = model_tabel(rapport, section)
    rows = [
        [
            r.label,
            *(
                [regio.GEEN_GEGEVENS] + [None] * (len(table.kop) - 2)
                if r.geen_gegevens
                else [_as_number(f.tekst) for f in r.figuren]
            ),
        ]
        for r in table.rijen
    ]
    return pd.DataFrame(rows, columns=list(table.kop))


def _as_number(printed: str):
    number = getal_van(printed)
    if number is None:
        return None if printed == "–" else printed
    return int(number) if number.is_integer() and "," not in printed else number


def cijfers(rapport, section: Section) -> list[Cijfer]:
    """Every figure of the comparison table with its derivation (rows of herkomst.csv)."""
    return model_tabel(rapport, section).cijfers(section.key)


def kernpunten(rapport) -> list:
    """The gemeenten whose rate differs notably from the region's (regio.afwijking), per section."""
    out = []
    for section in rapport.verslagdefinitie.secties.values():
        column = regio.rate_column(section) if not section.groep else None
        if column is None:
            continue
        kolom = Kolom(section.kolommen[column], column)
        region_printed, region_source = _regio_cel(rapport, section, kolom)
        region_value = getal_van(region_printed)
        for gemeente, naam in rapport.regio.namen.items():
            if _basis(rapport, section, gemeente, column) < MIN_BASE_PCT:
                continue
            printed, source = _gemeente_cel(rapport, section, gemeente, kolom)
            way = regio.afwijking(region_value, getal_van(printed), rapport.params["regio_afwijking"])
            if way is None:
                continue
            subject = _onderwerp(rapport, section, column)
            text = f"in {naam} {subject} ({printed}) duidelijk {way} is dan in de regio ({region_printed})"
            weight = abs(getal_van(printed) - region_value) / region_value * 100
            figures = ((naam, printed, source), ("regio", region_printed, region_source))
            rule = regio.regel_tekst(section.tabel, column, rapport.params["regio_afwijking"])
            out.append(Kernpunt(text, rule, figures, weight, section.tabel, column, way))
    return out


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


def grafiekrijen(rapport, section: Section) -> tuple[str, list[tuple[str, str, str]]] | None:
    """What the comparison's chart shows: the rate's label and (gemeente, printed figure, status)
    per row that has one; None when the section has no rate to compare the gemeenten on."""
    column = regio.rate_column(section, ook_zonder_regiocijfer=True) if not section.groep else None
    if column is None:
        return None
    at = [k.kolom for k in kolommen(section)].index(column)
    rows = [
        (r.label, r.figuren[at].tekst, r.figuren[at].status) for r in model_tabel(rapport, section).rijen if r.figuren
    ]
    return section.kolommen[column], [row for row in rows if row[1] != ONTBREEKT]


def tabeltitel(tabel: str) -> str:
    """A table's title; a derived table (verzuim per 1.000) by its section's name."""
    return schema()[tabel].title if tabel in schema() else tabel.replace("_", " ").replace("per 1000", "per 1.000")


def zonder(rapport, tabel: str) -> list[str]:
    """The gemeenten a region's figures of a table leave out (no data for it)."""
    if not rapport.regio:
        return []
    return [n for g, n in rapport.regio.namen.items() if not rapport.regio.dekking.telt_mee(g, tabel)]
