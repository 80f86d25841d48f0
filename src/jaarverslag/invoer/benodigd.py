"""Which columns of each input table a report needs: what its sections print, and what checks
those figures. One rule, read from the report definition, for the fill-in workbook, the
checklist, `inlezen` and the validation alike: a required column the report does not need
is not asked for, and not demanded.

Needed are a table's key and status, and:
- printed: the columns and footnote columns of the sections on the table, the national figure a
  key-finding rule or key figure compares with;
- derived: the sources of a figure per 1.000 (its counts, the official BBV figure and its
  source, the number of leerplichtigen it is divided by);
- checked: the columns the schema checks a needed figure against, over and over: the count of
  a percentage (`teller`, `noemer`) and the total of a part (`deel_van`). The cross-table
  checks compare those same columns (a total against its parts, vsv against jongeren).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from jaarverslag.invoer import bbv
from jaarverslag.invoer.regels import Landelijk
from jaarverslag.invoer.schema import STATUS, Table, schema

BRON = "bron"  # the official figures' column naming their source: printed in the footnote (indicators._noot)
RELATIES = ("teller", "noemer", "deel_van")  # schema keys that name a column a figure is checked against


def kolommen(secties: Iterable, kerncijfers: Iterable, tabellen: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Per input table of the report, the columns it needs, in schema order."""
    needed: set[tuple[str, str]] = set()
    for section in secties:
        needed |= _printed(section)
    needed |= {(k.tabel, k.landelijk) for k in kerncijfers if k.landelijk}
    needed = _checked(needed)
    out = {}
    for name in tabellen:
        table = schema()[name]
        out[name] = tuple(c for c in table.columns if c in table.key or c == STATUS or (name, c) in needed)
    return out


def ingekort(table: Table, columns: tuple[str, ...]) -> Table:
    """The table as a report asks for it: only the columns it needs."""
    return dataclasses.replace(table, columns={c: s for c, s in table.columns.items() if c in columns})


def _printed(section) -> set[tuple[str, str]]:
    if section.tabel in bbv.AFGELEID:
        return {bbv.PER_1000_NOEMER, *(source for c in section.kolommen for source in _sources(bbv.PER_1000[c]))}
    shown = {(section.tabel, c) for c in (*section.kolommen, *section.voetnoten)}
    compared = {(r.tabel, r.kolom_landelijk) for r in section.kernpunten if isinstance(r, Landelijk)}
    return shown | compared


def _sources(indicator: bbv.Indicator) -> tuple[tuple[str, str], ...]:
    official = (indicator.bbv, (indicator.bbv[0], BRON)) if indicator.bbv else ()
    return (*indicator.tellers, *official)


def _checked(needed: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The needed columns with every column the schema checks them against, until nothing is added."""
    todo, out = list(needed), set(needed)
    while todo:
        tabel, kolom = todo.pop()
        spec = schema()[tabel].columns.get(kolom, {}) if tabel in schema() else {}
        for other in (spec[r] for r in RELATIES if isinstance(spec.get(r), str)):
            if (tabel, other) not in out and other in schema()[tabel].columns:
                out.add((tabel, other))
                todo.append((tabel, other))
    return out
