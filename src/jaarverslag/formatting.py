"""Dutch number style for every output: 15.249, 2,35%, school years 2022-2023."""

from __future__ import annotations

import math

import pandas as pd

MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

ONTBREEKT = "–"  # a missing figure: never shown as 0
MINUS = "−"


def is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def getal(value, decimalen: int = 0) -> str:
    """A number in Dutch style: thousands dot, decimal comma; '–' when missing."""
    if is_missing(value):
        return ONTBREEKT
    text = f"{abs(float(value)):,.{decimalen}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return (MINUS if float(value) < 0 and float(text.replace(".", "").replace(",", ".")) else "") + text


def zoals_geschreven(value) -> str:
    """A source figure with just the decimals it has, in Dutch style: 15.249, 2,41, 3,7."""
    if is_missing(value):
        return ONTBREEKT
    decimals = 0 if float(value).is_integer() else len(f"{float(value):.6f}".rstrip("0").split(".")[1])
    return getal(value, decimals)


def percentage(value, decimalen: int = 2) -> str:
    """A percentage in Dutch style, e.g. '2,35%'."""
    return ONTBREEKT if is_missing(value) else f"{getal(value, decimalen)}%"


def verschil(value, decimalen: int = 0, eenheid: str = "") -> str:
    """A signed change, e.g. '+48', '−2' or '+0,3 procentpunt'."""
    if is_missing(value):
        return ONTBREEKT
    sign = "+" if float(value) > 0 else ""
    text = getal(value, decimalen)
    return f"{sign}{text}{(' ' + eenheid) if eenheid else ''}"


def schooljaar_naar_getal(schooljaar: str) -> int:
    """'2022-2023' -> 2022."""
    return int(str(schooljaar)[:4])


def schooljaar(start: int) -> str:
    """2022 -> '2022-2023'."""
    return f"{start}-{start + 1}"


def vorig_schooljaar(jaar: str) -> str:
    """'2022-2023' -> '2021-2022'."""
    return schooljaar(schooljaar_naar_getal(jaar) - 1)


def window_years(available: pd.Series, reported: str, aantal_jaren: int) -> list[str]:
    """The school years a table shows for a report: up to `reported`, at most `aantal_jaren`,
    never before the first year the table has."""
    end = schooljaar_naar_getal(reported)
    years = [schooljaar(y) for y in range(end - aantal_jaren + 1, end + 1)]
    if available.empty:
        return years
    first = min(schooljaar_naar_getal(y) for y in available)
    return [y for y in years if schooljaar_naar_getal(y) >= first]
