"""A region's own figures: counts summed over the gemeenten each table counts, rates recomputed
from the summed teller and noemer (never averaged), where each comes from, and which small counts
they must not reveal."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from jaarverslag.inhoud import geheim, indicators
from jaarverslag.inhoud.herkomst import Herkomst, Herleiding
from jaarverslag.inhoud.regio import Dekking, Gemeenten, met_afgeleide
from jaarverslag.invoer.loading import _sort_order
from jaarverslag.invoer.params import ruwe_waarde
from jaarverslag.invoer.schema import niet_te_berekenen, schema, status_van


def som(gemeenten: dict[str, dict[str, pd.DataFrame]], dekking: Dekking) -> dict[str, pd.DataFrame]:
    """The region's tables: counts summed over the gemeenten each table counts, percentages
    recomputed, Nederland's figure kept."""
    names = dict.fromkeys(t for tables in gemeenten.values() for t in tables)
    return {name: _som_tabel(name, [gemeenten[g][name] for g in dekking.van(name)]) for name in names}


def regio_tabellen(gemeenten: dict[str, dict[str, pd.DataFrame]], dekking: Dekking, afgeleid) -> dict:
    """The region's tables with its derived tables, each computed over the gemeenten it counts."""
    tables = som(gemeenten, dekking)
    for name in afgeleid:
        tables[name] = indicators.met_afgeleide(som(gemeenten, dekking.zoals(name)), (name,))[name]
    return tables


def _som_tabel(name: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    table = schema()[name]
    key = table.key
    indexed = [f.set_index(key) for f in frames]
    index = list(dict.fromkeys(k for f in indexed for k in f.index))
    out = pd.DataFrame(index=pd.Index(index) if len(key) == 1 else pd.MultiIndex.from_tuples(index, names=key))
    for column, spec in table.columns.items():
        if column in key:
            continue
        aligned = pd.concat([f[column].reindex(out.index) for f in indexed], axis=1)
        out[column] = _combined(aligned, spec)
    for column, spec in table.columns.items():
        if spec.get("teller") and spec.get("noemer"):
            share = out[spec["teller"]].astype("Float64") / out[spec["noemer"]].astype("Float64") * 100
            out[column] = share.round(spec.get("decimalen", 2))
    out = out.reset_index().rename(columns={"index": key[0]})
    types = {c: _dtype(spec) for c, spec in table.columns.items()}
    out = out.astype({c: t for c, t in types.items() if c in out})
    return out.loc[_sort_order(out, table)].reset_index(drop=True)


def _combined(aligned: pd.DataFrame, spec: dict) -> pd.Series:
    """One column over the gemeenten: a sum of counts, Nederland's figure, or unknown."""
    complete = aligned.notna().all(axis=1)
    if spec["type"] == "status":  # provisional when any gemeente's part is
        return aligned.apply(lambda row: status_van(*(s for s in row if isinstance(s, str))), axis=1)
    if spec["type"] == "aantal":
        return aligned.astype("Float64").sum(axis=1).where(complete)
    if spec.get("landelijk_van"):
        values = aligned.astype("Float64")
        same = values.nunique(axis=1, dropna=False) == 1
        return values.iloc[:, 0].where(complete & same)
    return pd.Series(pd.NA, index=aligned.index, dtype="object")


def _dtype(spec: dict) -> str:
    return {"aantal": "Int64", "percentage": "Float64", "per_duizend": "Float64"}.get(spec["type"], "string")


def regio_sectie(section):
    """A section as a region shows it: without the columns the region cannot compute; a chart
    that would show only Nederland's line shows the section's counts instead."""
    dropped = set(niet_te_berekenen(section.tabel)) & set(section.kolommen) if section.tabel in schema() else set()
    if not dropped:
        return section
    specs = schema()[section.tabel].columns
    kolommen = {c: label for c, label in section.kolommen.items() if c not in dropped}
    plotted = tuple(c for c in section.grafiek_kolommen if c not in dropped)
    eenheid = section.eenheid
    if all(specs[c].get("landelijk_van") for c in plotted):
        plotted = tuple(c for c in kolommen if specs[c]["type"] == "aantal")
        eenheid = str(specs[plotted[0]].get("eenheid", "aantal")) if plotted else eenheid
    labels = {c: text for c, text in section.grafiek_labels.items() if c in plotted}
    return replace(section, kolommen=kolommen, grafiek_kolommen=plotted, grafiek_labels=labels, eenheid=eenheid)


@dataclass
class RegioHerkomst(Herkomst):
    """Where a region's figure comes from: the sum of the gemeenten's cells, or a ratio of such sums."""

    leden: dict[str, Herkomst] = field(default_factory=dict)
    dekking: Dekking | None = None
    _afgeleide: dict = field(default_factory=dict, repr=False)  # derived table -> its trail (see _afgeleid)

    def cel(self, tabel: str, sleutel: tuple, kolom: str) -> Herleiding | None:
        if tabel in indicators.AFGELEID:
            return self._afgeleid(tabel)._per_duizend(sleutel[0], kolom)
        spec = schema()[tabel].columns.get(kolom, {})
        if spec.get("teller") and spec.get("noemer"):
            teller, noemer = self.cel(tabel, sleutel, spec["teller"]), self.cel(tabel, sleutel, spec["noemer"])
            return None if teller is None or noemer is None else (teller / noemer * 100).rond(spec.get("decimalen", 2))
        cells = [h.cel(tabel, sleutel, kolom) for g, h in self.leden.items() if self.dekking.telt_mee(g, tabel)]
        if not cells or any(c is None for c in cells):
            return None
        if spec.get("landelijk_van"):
            return cells[0]
        return sum(cells[1:], cells[0]) if spec.get("type") == "aantal" else None

    def _afgeleid(self, tabel: str) -> RegioHerkomst:
        """This trail as a derived table is computed: its sources summed over its gemeenten."""
        if tabel not in self._afgeleide:
            dekking = self.dekking.zoals(tabel)
            sources = som({g: h.tables for g, h in self.leden.items()}, dekking)
            self._afgeleide[tabel] = replace(self, tables=sources, dekking=dekking, _index={}, _afgeleide={})
        return self._afgeleide[tabel]

    def noot(self, tabel: str, sleutel: tuple, kolom: str = "noot"):
        return None

    def bronrij(self, tabel: str, bestand: str, regel: int) -> pd.Series:
        member = next(h for h in self.leden.values() if h.bestand(tabel) == bestand)
        return member.bronrij(tabel, bestand, regel)


def herkomst(params: dict, gemeenten: Gemeenten, regio_tables: dict, dekking: Dekking, invoer=None):
    members = {g: Herkomst.van(g, gemeenten[g], invoer) for g in dekking.ergens_meegeteld}
    trail = RegioHerkomst(params["gemeente"], regio_tables, dict(invoer or {}), {}, leden=members, dekking=dekking)
    return trail, members


def onderdrukking(params: dict, regio_tables: dict, gemeenten: Gemeenten, dekking: Dekking):
    """Small counts in the region's and the gemeenten's figures, with the region's total over
    the gemeenten as one more sum that must not reveal a hidden gemeente."""
    drempel = max([params["kleine_aantallen"], *(_eigen_drempel(g, params["schooljaar"]) for g in gemeenten)])
    if not drempel:
        return geheim.Onderdrukking(0)
    tables = {
        **regio_tables,
        **{f"{g}/{t}": f for g, own in met_afgeleide(params, gemeenten).items() for t, f in own.items()},
    }
    groups = []
    for name, frame in regio_tables.items():
        if name not in schema():
            continue
        counts = [c for c, spec in schema()[name].columns.items() if spec["type"] == "aantal"]
        for _, row in frame.iterrows():
            key = geheim.sleutel(name, row)
            groups += [((name, key, c), [(f"{g}/{name}", key, c) for g in dekking.van(name)], True) for c in counts]
    return geheim.bepaal(tables, drempel, groups)


def _eigen_drempel(gemeente: str, schooljaar: str) -> int:
    """A gemeente's own threshold for small counts (its params of the year), which its region keeps to."""
    value = ruwe_waarde(gemeente, schooljaar, "kleine_aantallen")
    return value if isinstance(value, int) and 0 <= value <= 100 else 0
