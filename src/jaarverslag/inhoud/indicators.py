"""Derived figures: the window of school years, per-1.000 rates, changes, gemeente vs landelijk."""

from __future__ import annotations

import pandas as pd

from jaarverslag.formatting import vorig_schooljaar, window_years
from jaarverslag.invoer.bbv import (  # noqa: F401 - the definitions, used here and by the code that imports them from here
    AFGELEID,
    BENADERING,
    BRONNEN,
    OFFICIEEL,
    PER_1000,
    PER_1000_DECIMALEN,
    PER_1000_NOEMER,
    Indicator,
)
from jaarverslag.invoer.schema import STATUS, status_van


def window(frame: pd.DataFrame, reported: str, aantal_jaren: int) -> pd.DataFrame:
    """Rows of a year-indexed table within the window; a missing year becomes an empty row."""
    years = window_years(frame["schooljaar"], reported, aantal_jaren)
    indexed = frame.set_index("schooljaar")
    return indexed.reindex(pd.Index(years, name="schooljaar")).reset_index()


def cel(tables: dict[str, pd.DataFrame], tabel: str, kolom: str, jaar: str):
    """One figure of a year-indexed table; missing (pd.NA) when the table, row or figure is not there."""
    frame = tables.get(tabel)
    return pd.NA if frame is None else _in_jaar(frame, kolom, jaar)


def _in_jaar(frame: pd.DataFrame, kolom: str, jaar: str):
    if kolom not in frame:
        return pd.NA
    values = frame.loc[frame["schooljaar"] == jaar, kolom]
    return values.iloc[0] if len(values) else pd.NA


def keuze(tables: dict[str, pd.DataFrame], indicator: Indicator, jaar: str) -> tuple[str, tuple[str, str] | None]:
    """Which figure a year shows: ('officieel', None), or ('benadering', the numerator used);
    ('benadering', None) when neither can be had."""
    if indicator.bbv and not pd.isna(cel(tables, *indicator.bbv, jaar)):
        return OFFICIEEL, None
    found = next((t for t in indicator.tellers if not pd.isna(cel(tables, *t, jaar))), None)
    return BENADERING, found


def per_duizend(tables: dict[str, pd.DataFrame], indicator: Indicator, jaar: str, cel_van):
    """The figure of one year, its value and its derivation computed by the same lines: the official
    one, or numerator / leerplichtigen × 1.000 rounded to PER_1000_DECIMALEN. `cel_van(tabel, kolom,
    jaar)` gives a cell as a number (waarde) or as its source cell (herkomst.py); None when empty."""
    soort, teller = keuze(tables, indicator, jaar)
    if soort == OFFICIEEL:
        return cel_van(*indicator.bbv, jaar)
    noemer = cel_van(*PER_1000_NOEMER, jaar)
    numerator = cel_van(*teller, jaar) if teller else None
    if noemer is None or numerator is None or float(noemer) <= 0:
        return None
    return round(numerator / noemer * 1000, PER_1000_DECIMALEN)


def waarde(tables: dict[str, pd.DataFrame], indicator: Indicator, jaar: str):
    """The figure of one year as a number (pd.NA when it cannot be had)."""
    found = per_duizend(tables, indicator, jaar, lambda tabel, kolom, j: _getal(cel(tables, tabel, kolom, j)))
    return pd.NA if found is None else found


def _getal(value) -> float | None:
    return None if pd.isna(value) else float(value)


def _noot(tables: dict[str, pd.DataFrame], jaar: str) -> str | None:
    """A year's footnote: which figures are official, with their source."""
    parts = []
    for indicator in PER_1000.values():
        if keuze(tables, indicator, jaar)[0] == OFFICIEEL:
            bron = cel(tables, indicator.bbv[0], "bron", jaar)
            parts.append(f"{indicator.officieel}: officieel cijfer ({'bron onbekend' if pd.isna(bron) else bron}).")
    return " ".join(parts) or None


def met_afgeleide(tables: dict[str, pd.DataFrame], afgeleid: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The tables with the derived tables a report shows (`afgeleid`, from its definition); none for a
    region's gemeente that lacks their denominator (it is 'geen gegevens')."""
    if PER_1000_NOEMER[0] not in tables:
        return dict(tables)
    return {**tables, **{name: verzuim_per_duizend(tables) for name in afgeleid}}


def verzuim_per_duizend(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The table verzuim_per_1000: every indicator in PER_1000 per school year, which kind of
    figure it is (officieel or benadering) and the year's footnote."""
    years = sorted(set(tables[PER_1000_NOEMER[0]]["schooljaar"]))
    rows = []
    for jaar in years:
        row = {"schooljaar": jaar}
        for name, indicator in PER_1000.items():
            row[name] = waarde(tables, indicator, jaar)
            row[f"{name}_soort"] = keuze(tables, indicator, jaar)[0]
        rows.append({**row, "noot": _noot(tables, jaar), STATUS: _status(tables, jaar)})
    columns = ["schooljaar", *PER_1000, *(f"{n}_soort" for n in PER_1000), "noot", STATUS]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({name: "Float64" for name in PER_1000} | {c: "string" for c in ("schooljaar", "noot", STATUS)})


def _status(tables: dict[str, pd.DataFrame], jaar: str) -> str:
    """A year's rates are as final as the least final row of that year they are made from."""
    rows = (tables[t][tables[t]["schooljaar"] == jaar] for t in BRONNEN["verzuim_per_1000"] if t in tables)
    return status_van(*(s for frame in rows for s in frame.get(STATUS, ())))


def soort(frame: pd.DataFrame, kolom: str, jaar: str):
    """'officieel' or 'benadering' for a year's figure in the table verzuim_per_1000."""
    return _in_jaar(frame, f"{kolom}_soort", jaar)


def label(frame: pd.DataFrame, kolom: str, jaar: str) -> str:
    """An indicator's column label in a report: the official name when the reported year's figure is official."""
    indicator = PER_1000[kolom]
    return indicator.officieel if soort(frame, kolom, jaar) == OFFICIEEL else indicator.benadering


def onderwerp(frame: pd.DataFrame, kolom: str, jaar: str) -> str:
    indicator = PER_1000[kolom]
    return indicator.onderwerp_officieel if soort(frame, kolom, jaar) == OFFICIEEL else indicator.onderwerp


def vergelijkbaar(frame: pd.DataFrame, kolom: str, jaar: str, eerder: str) -> bool:
    """Two years' figures are of the same kind (both official or both approximations); not when
    either year is not there (a report of one school year has no year before it)."""
    now, before = soort(frame, kolom, jaar), soort(frame, kolom, eerder)
    return not (pd.isna(now) or pd.isna(before)) and now == before


def verandering(frame: pd.DataFrame, column: str, reported: str) -> dict:
    """Change of `column` from the year before `reported` to `reported` (absolute and %)."""
    values = frame.set_index("schooljaar")[column]
    previous = vorig_schooljaar(reported)
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
