"""A region's report: one Doorstroompunt (RMC) region over its gemeenten, side by side.

A region is a params file with `gemeenten` ({folder: name}); its sections are those of its
report definition (data/<regio>/verslag.yaml, else the project's). Every gemeente's tables are
loaded and validated as for its own report. The region's figures are computed, never averaged
(regiocijfers.py):
- a count is the sum of the gemeenten's counts (unknown when one of them lacks it);
- a percentage with `teller` and `noemer` in the schema is recomputed from the summed counts;
  a figure per 1.000 is recomputed from the summed counts by the derived table;
- a column with `landelijk_van` (the figure for Nederland) is the same for every gemeente;
- any other percentage cannot be computed for the region and stays empty, with a note.
A gemeente that lacks the school year or a table stops the report (`ontbrekende_gegevens:
stoppen`, the default) or is shown as "geen gegevens" in that table and left out of that table's
region figures (`geen_gegevens`, see Dekking); the report names it either way.

Key findings about the region follow the definition's rules on the region's figures; the
comparison rule (`vergelijk`) names a gemeente whose rate differs from the region's by at least
`regio_afwijking` percent of it (its default is in invoer/paramsmodel.py), when its count behind the rate is at least
findings.MIN_BASE_PCT and published.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from jaarverslag import paths
from jaarverslag.controle.validation import validate
from jaarverslag.errors import InvoerFout, ValidatieFout
from jaarverslag.formatting import getal, is_missing
from jaarverslag.inhoud import indicators
from jaarverslag.inhoud.herkomst import Herkomst
from jaarverslag.invoer.checklist import checklist_per_tabel
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.loading import load_tables
from jaarverslag.invoer.schema import niet_te_berekenen, schema, table_path

GEEN_GEGEVENS = "geen gegevens"
GEEN_BESTAND = "het bestand bestaat niet."  # loading's message for an absent file


class Gemeenten(dict):
    """The loaded tables of every gemeente of a region (gemeente -> its Tabellen), with the
    sha256 of every file read, and the files a gemeente lacks (`ontbreekt`: gemeente -> {table:
    what is wrong}, when params allow it)."""

    def __init__(self, tables: dict, ontbreekt: dict[str, dict[str, str]] | None = None):
        super().__init__(tables)
        self.ontbreekt = ontbreekt or {}

    @property
    def sha256(self) -> dict[str, str]:
        return {where: digest for tables in self.values() for where, digest in tables.sha256.items()}


def laad(params: dict, verwacht: dict[str, str] | None = None) -> Gemeenten:
    """Every gemeente's tables that the region's definition uses; all problems reported together."""
    tabellen = verslag(params["gemeente"]).tabellen
    files = {paths.relative(table_path(g, t)): (g, t) for g in params["gemeenten"] for t in tabellen}
    loaded, lacking, problems = {}, {}, []
    for gemeente in params["gemeenten"]:
        try:
            loaded[gemeente] = load_tables(gemeente, verwacht, tabellen)
        except InvoerFout as exc:
            absent = [m for m in exc.meldingen if m.tekst == GEEN_BESTAND and m.bestand in files]
            if len(absent) < len(exc.meldingen):  # only absent files: named with the rest of what lacks
                problems += exc.meldingen
                continue
            lacking[gemeente] = {files[m.bestand][1]: f"{m.bestand}: {m.tekst}" for m in absent}
            present = tuple(t for t in tabellen if t not in lacking[gemeente])
            loaded[gemeente] = load_tables(gemeente, verwacht, present)
    if problems:
        raise InvoerFout(problems)
    return Gemeenten(loaded, lacking)


@dataclass(frozen=True)
class Dekking:
    """Which gemeenten a region's table counts: a gemeente that lacks a table's file or its rows of
    the school year is left out of that table (every school year, so that its series stays
    comparable) and of the tables computed together with it (a derived table and its sources)."""

    gemeenten: tuple[str, ...]  # every gemeente of the region, in params order
    zonder: dict[str, dict[str, str]]  # gemeente -> {table it is left out of: why}
    gebruikt: tuple[str, ...] = ()  # the input tables the region's definition uses

    def telt_mee(self, gemeente: str, tabel: str) -> bool:
        return tabel not in self.zonder.get(gemeente, {})

    def van(self, tabel: str) -> list[str]:
        """The gemeenten in the region's figures of a table."""
        return [g for g in self.gemeenten if self.telt_mee(g, tabel)]

    def zoals(self, afgeleid: str) -> Dekking:
        """The coverage a derived table is computed with: each of its sources counts exactly the
        gemeenten of the derived table, so that numerator and denominator cover the same gemeenten."""
        out = {g: dict(why) for g, why in self.zonder.items()}
        for gemeente in self.gemeenten:
            if not self.telt_mee(gemeente, afgeleid):
                reason = out[gemeente][afgeleid]
                out[gemeente].update({s: reason for s in indicators.BRONNEN[afgeleid] if self.telt_mee(gemeente, s)})
        return replace(self, zonder=out)

    @property
    def ergens_meegeteld(self) -> list[str]:
        """The gemeenten in at least one of the region's tables."""
        return [g for g in self.gemeenten if any(self.telt_mee(g, t) for t in self.gebruikt)]


def ontbrekend(params: dict, gemeenten: Gemeenten) -> dict[str, dict[str, str]]:
    """Per gemeente, per table, the rows or figures of the school year that its data still lack."""
    out = {
        g: {**gemeenten.ontbreekt.get(g, {}), **checklist_per_tabel(g, params["schooljaar"], t)}
        for g, t in gemeenten.items()
    }
    return {g: lines for g, lines in out.items() if lines}


def _afgeleid_zonder(params: dict, missing: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """What each gemeente lacks, with the derived tables it cannot be in: a derived table (verzuim
    per 1.000) counts only the gemeenten that have every source the other gemeenten have."""
    report = verslag(params["gemeente"])
    out = {g: dict(why) for g, why in missing.items()}
    for derived in report.afgeleid:
        sources = [s for s in indicators.BRONNEN[derived] if s in report.tabellen]
        had = [s for s in sources if any(s not in out.get(g, {}) for g in params["gemeenten"])]
        for gemeente in params["gemeenten"]:
            lacking = [schema()[s].title for s in had if s in out.get(gemeente, {})]
            if lacking:
                out[gemeente][derived] = f"wordt berekend uit {', '.join(lacking)}, dat ontbreekt."
    return {g: why for g, why in out.items() if why}


def meegeteld(params: dict, gemeenten: Gemeenten) -> Dekking:
    """Which gemeenten each of the region's tables counts; stops when a gemeente lacks data and
    params say so (`ontbrekende_gegevens: stoppen`), or when a table would count none."""
    missing = ontbrekend(params, gemeenten)
    if missing and params["ontbrekende_gegevens"] == "stoppen":
        names = ", ".join(params["gemeenten"][g] for g in missing)
        lines = "\n".join(f"  [ ] {line}" for g in missing for line in missing[g].values())
        raise ValidatieFout(
            f"Voor het regioverslag {params['gemeentenaam']} {params['schooljaar']} ontbreken nog gegevens van "
            f"{names}:\n{lines}\nVul ze aan, of zet 'ontbrekende_gegevens: geen_gegevens' in de parameters om "
            "zo'n gemeente in die tabel als 'geen gegevens' te tonen en buiten de regiocijfers van die tabel te laten."
        )
    report = verslag(params["gemeente"])
    dekking = Dekking(tuple(params["gemeenten"]), _afgeleid_zonder(params, missing), tuple(report.tabellen))
    empty = list(dict.fromkeys(s.tabel for s in report.secties.values() if not dekking.van(s.tabel)))
    if empty:
        raise ValidatieFout(
            f"Geen enkele gemeente van {params['gemeentenaam']} heeft gegevens voor {params['schooljaar']} in "
            f"{', '.join(_titel(t) for t in empty)}; er is geen regioverslag te maken. Vul de gegevens aan, of laat "
            "de secties van die tabel weg in de verslagdefinitie van de regio."
        )
    return dekking


def _titel(tabel: str) -> str:
    return schema()[tabel].title if tabel in schema() else tabel.replace("_", " ")


def valideer(params: dict, gemeenten: Gemeenten) -> dict:
    """Every gemeente's tables through their suites; one summary in which each finding names its
    gemeente. A table a gemeente is left out of (geen gegevens) is not used, and not checked."""
    dekking = meegeteld(params, gemeenten)
    nodig = verslag(params["gemeente"]).nodig  # what the region's own definition prints or checks
    summaries = {
        g: validate(
            {t: f for t, f in tables.items() if dekking.telt_mee(g, t)},
            params["schooljaar"],
            params["aantal_jaren"],
            nodig=nodig,
        )
        for g, tables in gemeenten.items()
    }

    def named(g: str, found: list[dict]) -> list[dict]:
        return [{**f, "gemeente": g, "titel": f"{params['gemeenten'][g]}: {f['titel']}"} for f in found]

    first = next(iter(summaries.values()))
    blocking = [f for g, s in summaries.items() for f in named(g, s["blokkerend"])]
    return {
        "schooljaar": params["schooljaar"],
        "gx_versie": first["gx_versie"],
        "aantal_controles": sum(s["aantal_controles"] for s in summaries.values()),
        "aantal_suites": sum(s["aantal_suites"] for s in summaries.values()),
        "blokkerend": blocking,
        "waarschuwingen": [f for g, s in summaries.items() for f in named(g, s["waarschuwingen"])],
        "geslaagd": not blocking,
        "suites": [{**suite, "suite": f"{g}/{suite['suite']}"} for g, s in summaries.items() for suite in s["suites"]],
    }


# --- side by side: the reported year per gemeente --------------------------------------------


@dataclass
class Regio:
    """What a region's report knows beyond its own figures: its gemeenten and their tables."""

    namen: dict[str, str]  # folder -> name, in params order
    tabellen: dict[str, dict[str, pd.DataFrame]]  # gemeente -> table -> frame, with derived tables
    dekking: Dekking  # which gemeenten each table counts, and why the others are left out
    leden: dict[str, Herkomst] = field(default_factory=dict)

    @classmethod
    def uit(cls, params: dict, gemeenten: Gemeenten, dekking: Dekking, leden: dict) -> Regio:
        return cls(dict(params["gemeenten"]), met_afgeleide(params, gemeenten), dekking, leden)

    def ongelijk_landelijk(self) -> list[tuple[str, str, str, list]]:
        """(table, column, school year, the values) where the gemeenten give different figures for Nederland."""
        out = []
        names = dict.fromkeys(t for tables in self.tabellen.values() for t in tables if t in schema())
        for name in names:
            key = schema()[name].key
            for column in (c for c, spec in schema()[name].columns.items() if spec.get("landelijk_van")):
                frames = [self.tabellen[g][name].set_index(key)[column] for g in self.dekking.van(name)]
                together = pd.concat(frames, axis=1).dropna(how="all")
                for index, row in together[together.nunique(axis=1) > 1].iterrows():
                    year = index[0] if isinstance(index, tuple) else index
                    out.append((name, column, str(year), sorted(set(row.dropna().tolist()))))
        return out


def rij(regio: Regio, gemeente: str, tabel: str, sleutel: tuple) -> pd.Series | None:
    """A gemeente's row of a table for a key, or None when it has no figures (geen gegevens)."""
    if not regio.dekking.telt_mee(gemeente, tabel):
        return None
    frame = regio.tabellen[gemeente].get(tabel)
    return None if frame is None else rij_met_sleutel(frame, tabel, sleutel)


def rij_met_sleutel(frame: pd.DataFrame, tabel: str, sleutel: tuple) -> pd.Series | None:
    """The row of a table with this key (school year, then category), or None."""
    match = frame[(frame[_key_columns(tabel)].astype(str) == [str(k) for k in sleutel]).all(axis=1)]
    return None if match.empty else match.iloc[0]


def _key_columns(tabel: str) -> list[str]:
    return schema()[tabel].key if tabel in schema() else ["schooljaar"]


def rate_column(section, ook_zonder_regiocijfer: bool = False) -> str | None:
    """The figure a chart compares the gemeenten on: the section's first rate (never a count);
    one the region can compute too, unless `ook_zonder_regiocijfer`."""
    columns = [*section.grafiek_kolommen, *section.kolommen]
    specs = schema()[section.tabel].columns if section.tabel in schema() else {}
    computable = (
        set(columns)
        if section.tabel in indicators.AFGELEID or ook_zonder_regiocijfer
        else set(columns) - set(niet_te_berekenen(section.tabel))
    )
    for column in columns:
        spec = specs.get(column, {"type": "per_duizend"})
        if spec["type"] in ("percentage", "per_duizend") and not spec.get("landelijk_van") and column in computable:
            return column
    return None


def landelijk_kolom(tabel: str, kolom: str) -> str | None:
    specs = schema()[tabel].columns if tabel in schema() else {}
    return next((c for c, spec in specs.items() if spec.get("landelijk_van") == kolom), None)


def afwijking(regio_value, value, drempel_pct: int) -> str | None:
    """'hoger' or 'lager' when a gemeente's rate differs from the region's by at least `drempel_pct`
    percent of the region's; None otherwise (or when a figure is missing)."""
    if is_missing(regio_value) or is_missing(value) or float(regio_value) <= 0:
        return None
    difference = (float(value) - float(regio_value)) / float(regio_value) * 100
    if abs(difference) < drempel_pct:
        return None
    return "hoger" if difference > 0 else "lager"


def regel_tekst(tabel: str, kolom: str, drempel_pct: int) -> str:
    return (
        f"Vergelijking met de regio ({tabel}.{kolom}): een gemeente valt op bij een verschil van minstens "
        f"{getal(drempel_pct)}% van het regiocijfer (regio_afwijking in params), als het aantal achter haar "
        "cijfer minstens 10 is en gepubliceerd wordt."
    )


def met_afgeleide(params: dict, gemeenten: Gemeenten) -> dict[str, dict[str, pd.DataFrame]]:
    """Every gemeente's tables with the derived tables the region's sections show."""
    afgeleid = verslag(params["gemeente"]).afgeleid
    return {g: indicators.met_afgeleide(tables, afgeleid) for g, tables in gemeenten.items()}
