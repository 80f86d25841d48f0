"""Small counts kept out of what is published (params `kleine_aantallen: n`).

Once figures are broken down (per gemeente, per school type, per outcome) a small count can
point to a few pupils. Statistical publishers protect such cells; this follows their practice
(CBS, "Statistische beveiliging": primary and secondary cell suppression, sign "x" for a
suppressed figure):
- primary: a count from 1 to n - 1 is published as "< n" (a 0 is published: it names nobody);
- a rate computed from a hidden count (a percentage with `teller` or `noemer` in the schema, a
  figure per 1.000) is published as "x";
- secondary: where published cells add up to a published total (parts of a total in one row,
  schema `deel_van`, when they add up exactly; a total over categories, schema `optelling`; a
  region over its gemeenten), a hidden part could be recomputed as the total minus the others;
  so every such group hides either its total or at least two parts of which one is at least n
  (two small parts alone could be pinned down: 14 − 12 = 2 = 1 + 1). The extra cells are shown
  as "x" (they may be large). A region hides its own total rather than another gemeente, whose
  figures its own report publishes;
- charts leave suppressed cells out, and key findings do not use them.
The auditor's trail and the executed notebook keep the true values; the council's HTML and PDF
and the Excel companion do not.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jaarverslag.formatting import getal, is_missing
from jaarverslag.inhoud.indicators import AFGELEID, PER_1000
from jaarverslag.invoer.schema import schema

Cel = tuple[str, tuple[str, ...], str]  # (table, key values as text, column)
GEHEIM = "x"  # CBS: "geheim", a figure not published to protect persons
NOOT_WEGGELATEN = (
    "De voetnoot bij deze rij is weggelaten: ze noemt aantallen die dit verslag niet publiceert (kleine aantallen)."
)


@dataclass(frozen=True)
class Onderdrukking:
    """Which cells a report does not publish, and how it shows them instead."""

    drempel: int
    aantallen: frozenset[Cel] = frozenset()  # small counts, shown as "< drempel"
    afgeleid: frozenset[Cel] = frozenset()  # counts hidden so that no total reveals a small one, and
    # rates computed from hidden counts: shown as GEHEIM

    def teken(self, tabel: str, sleutel: tuple, kolom: str) -> str | None:
        """What the report prints instead of the figure, or None when the figure is published."""
        cel = (tabel, tuple(str(k) for k in sleutel), kolom)
        if cel in self.aantallen:
            return f"< {getal(self.drempel)}"
        return GEHEIM if cel in self.afgeleid else None

    def in_rij(self, tabel: str, sleutel: tuple) -> bool:
        """Whether a row holds a figure that is not published (its footnote may name it)."""
        key = tuple(str(k) for k in sleutel)
        return any(t == tabel and k == key for t, k, _ in self.aantallen | self.afgeleid)

    def __bool__(self) -> bool:
        return bool(self.aantallen or self.afgeleid)


def basis(tabel: str) -> str:
    """The schema table of a cell's table: a region names a gemeente's table 'aadorp/vsv_onderwijssoort'."""
    return tabel.rsplit("/", 1)[-1]


def sleutel(tabel: str, row) -> tuple[str, ...]:
    """A row's key (school year, then categories) as text, as cells are named here."""
    key = schema()[basis(tabel)].key if basis(tabel) in schema() else ["schooljaar"]
    return tuple(str(row[k]) for k in key)


def _counts(tables: dict[str, pd.DataFrame]) -> dict[Cel, float]:
    """Every count in the tables, by cell."""
    out = {}
    for name, frame in tables.items():
        if basis(name) not in schema():
            continue
        columns = [c for c, spec in schema()[basis(name)].columns.items() if spec["type"] == "aantal"]
        for _, row in frame.iterrows():
            key = sleutel(name, row)
            out.update({(name, key, c): float(row[c]) for c in columns if not is_missing(row[c])})
    return out


def _part_sums(tables: dict[str, pd.DataFrame]) -> list[tuple[Cel, list[Cel]]]:
    """A total and its parts in one row (schema `deel_van`), where the parts add up to the total
    exactly in that row: only then does the total minus the others give a part."""
    groups = []
    for name, frame in tables.items():
        if basis(name) not in schema():
            continue
        totals: dict[str, list[str]] = {}
        for column, spec in schema()[basis(name)].columns.items():
            if spec.get("deel_van"):
                totals.setdefault(spec["deel_van"], []).append(column)
        for _, row in frame.iterrows():
            key = sleutel(name, row)
            for total, parts in totals.items():
                known = [row[c] for c in [total, *parts]]
                if not any(is_missing(v) for v in known) and sum(known[1:]) == known[0]:
                    groups.append(((name, key, total), [(name, key, c) for c in parts]))
    return groups


def _category_sums(tables: dict[str, pd.DataFrame]) -> list[tuple[Cel, list[Cel]]]:
    """A total in one table over the categories of another (schema `optelling`)."""
    groups = []
    for name, frame in tables.items():
        spec = schema()[basis(name)].optelling if basis(name) in schema() else None
        total_table = name[: -len(basis(name))] + spec["totaal"][0] if spec else ""
        if not spec or total_table not in tables:
            continue
        category = (str(spec["categorie"]),) if "categorie" in spec else ()  # the total is that category's row
        for year, rows in frame.groupby("schooljaar"):
            cells = [(name, sleutel(name, row), spec["kolom"]) for _, row in rows.iterrows()]
            groups.append(((total_table, (str(year), *category), spec["totaal"][1]), cells))
    return groups


def secundair(primary: set[Cel], values: dict[Cel, float], groups, drempel: int) -> set[Cel]:
    """Suppress more cells until no published total minus the published parts pins down a hidden part.

    A group (total, parts[, total first]) is safe when its total is hidden, or when two or more of its
    parts are hidden and the remainder (total minus the published parts) does not fix them: a '< n' is
    1 to n − 1, so two such parts with remainder 2 are 1 and 1, but with remainder 3 they may be 1 and 2
    or 2 and 1; a part hidden as 'x' can be anything. Otherwise the smallest published part of at least
    `drempel` is hidden too, or the total when there is none, or when the group says its parts are
    published elsewhere (a region's gemeenten, in their own reports)."""
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for total, parts, *first in groups:
            parts = [p for p in parts if p in values]
            shut = [p for p in parts if p in hidden]
            if total not in values or total in hidden or not shut or _vast(shut, values, primary, drempel) is False:
                continue
            large = sorted((p for p in parts if p not in hidden and values[p] >= drempel), key=lambda p: (values[p], p))
            hidden.add(total if (first and first[0]) or not large else large[0])
            changed = True
    return hidden


def _vast(shut: list[Cel], values: dict[Cel, float], primary: set[Cel], drempel: int) -> bool:
    """Whether the hidden parts of a group can be recomputed from its remainder."""
    if len(shut) < 2:
        return True
    if any(p not in primary for p in shut):
        return False  # an 'x' can be any number
    remainder = sum(values[p] for p in shut)
    return remainder in (len(shut), len(shut) * (drempel - 1))


def _rates(tables: dict[str, pd.DataFrame], hidden: set[Cel]) -> set[Cel]:
    """Percentages whose numerator or base (`teller`, `noemer` in the schema) is suppressed (a share
    of a small base gives its count away), and figures per 1.000 computed from a suppressed count."""
    out = {
        (name, key, column)
        for name, key, counted in hidden
        for column, spec in schema()[basis(name)].columns.items()
        if counted in (spec.get("teller"), spec.get("noemer"))
    }
    for derived in (t for t in tables if basis(t) in AFGELEID):
        prefix = derived[: -len(basis(derived))]
        for name, key, counted in hidden:
            if name.startswith(prefix) and "/" not in name[len(prefix) :]:
                tellers = {c for c, i in PER_1000.items() if (basis(name), counted) in i.tellers}
                out |= {(derived, key[:1], c) for c in tellers}
    return out


def bepaal(tables: dict[str, pd.DataFrame], drempel: int, extra_groepen=()) -> Onderdrukking:
    """The cells not to publish with threshold `drempel` (0: every cell is published)."""
    if not drempel:
        return Onderdrukking(0)
    values = _counts(tables)
    primary = {cel for cel, v in values.items() if 0 < v < drempel}
    groups = [*_part_sums(tables), *_category_sums(tables), *extra_groepen]
    hidden = secundair(primary, values, groups, drempel)
    return Onderdrukking(drempel, frozenset(primary), frozenset((hidden - primary) | _rates(tables, hidden)))


def gepubliceerd(tables: dict[str, pd.DataFrame], onderdrukking: Onderdrukking) -> dict[str, pd.DataFrame]:
    """The tables as published: a suppressed cell is empty (charts and key findings leave it out)."""
    return {name: verberg(name, frame, onderdrukking) for name, frame in tables.items()}


def verberg(tabel: str, frame: pd.DataFrame, onderdrukking: Onderdrukking, tekens: bool = False) -> pd.DataFrame:
    """Rows of a table as published: a suppressed cell empty, or with `tekens` the text shown instead."""
    cells = {(k, c) for t, k, c in onderdrukking.aantallen | onderdrukking.afgeleid if t == tabel}
    if not cells:
        return frame
    columns = sorted({c for _, c in cells} & set(frame.columns))
    out = frame.astype({c: object for c in columns}) if tekens else frame.copy()
    for i, row in frame.iterrows():
        key = sleutel(tabel, row)
        for column in (c for c in columns if (key, c) in cells):
            out.at[i, column] = onderdrukking.teken(tabel, key, column) if tekens else pd.NA
    return out
