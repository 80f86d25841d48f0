"""Derived figures: the window of school years, per-1.000 rates, changes, gemeente vs landelijk."""

from __future__ import annotations

import pandas as pd

from .formatting import schooljaar, schooljaar_naar_getal


def window_years(available: pd.Series, reported: str, aantal_jaren: int) -> list[str]:
    """The school years a table shows for a report: up to `reported`, at most `aantal_jaren`,
    never before the first year the table has."""
    end = schooljaar_naar_getal(reported)
    years = [schooljaar(y) for y in range(end - aantal_jaren + 1, end + 1)]
    if available.empty:
        return years
    first = min(schooljaar_naar_getal(y) for y in available)
    return [y for y in years if schooljaar_naar_getal(y) >= first]


def window(frame: pd.DataFrame, reported: str, aantal_jaren: int) -> pd.DataFrame:
    """Rows of a year-indexed table within the window; a missing year becomes an empty row."""
    years = window_years(frame["schooljaar"], reported, aantal_jaren)
    indexed = frame.set_index("schooljaar")
    return indexed.reindex(pd.Index(years, name="schooljaar")).reset_index()


AFGELEID = ("verzuim_per_1000",)  # tables the report derives from the input tables
# The BBV indicators: column -> the counts (table, column) summed in the numerator, per 1.000
# leer- and kwalificatieplichtigen. Relatief verzuim here is wettelijk plus luxe verzuim
# (meldingen), the relative absence the leerplichtambtenaar receives; see data/README.md.
PER_1000 = {
    "absoluut_per_1000": (("overig_verzuim", "absoluut_verzuim"),),
    "relatief_per_1000": (("wettelijk_verzuim", "wettelijk_verzuim"), ("overig_verzuim", "luxe_verzuim")),
}
PER_1000_NOEMER = ("leerplichtigen", "leerplichtigen")
PER_1000_DECIMALEN = 1


def per_duizend(teller: pd.Series, noemer: pd.Series) -> pd.Series:
    """teller per 1.000 of noemer (missing when either is missing or noemer is 0)."""
    noemer = noemer.astype("Float64").where(noemer.astype("Float64") > 0)
    return (teller.astype("Float64") / noemer * 1000).round(PER_1000_DECIMALEN)


def verzuim_per_duizend(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The table verzuim_per_1000: every indicator in PER_1000, per school year."""
    tabel, noemer = PER_1000_NOEMER
    merged = tables[tabel][["schooljaar", noemer]]
    for table, column in dict.fromkeys(term for terms in PER_1000.values() for term in terms):
        merged = merged.merge(tables[table][["schooljaar", column]], on="schooljaar", how="outer")
    out = {"schooljaar": merged["schooljaar"]}
    for name, terms in PER_1000.items():
        teller = merged[terms[0][1]]
        for _, column in terms[1:]:
            teller = teller + merged[column]
        out[name] = per_duizend(teller, merged[noemer])
    return pd.DataFrame(out).sort_values("schooljaar", ignore_index=True)


def verandering(frame: pd.DataFrame, column: str, reported: str) -> dict:
    """Change of `column` from the year before `reported` to `reported` (absolute and %)."""
    values = frame.set_index("schooljaar")[column]
    previous = schooljaar(schooljaar_naar_getal(reported) - 1)
    now = values.get(reported, pd.NA)
    before = values.get(previous, pd.NA)
    if pd.isna(now) or pd.isna(before):
        return {"nu": now, "vorig": before, "absoluut": pd.NA, "procent": pd.NA}
    absolute = float(now) - float(before)
    relative = absolute / float(before) * 100 if float(before) else pd.NA
    return {"nu": now, "vorig": before, "absoluut": absolute, "procent": relative}


def verschil_landelijk(gemeente: float, landelijk: float, marge: float) -> str | None:
    """'hoger', 'lager' or 'gelijk' (within `marge` procentpunt); None when a figure is missing."""
    if pd.isna(gemeente) or pd.isna(landelijk):
        return None
    difference = float(gemeente) - float(landelijk)
    if abs(difference) <= marge + 1e-9:
        return "gelijk"
    return "hoger" if difference > 0 else "lager"
