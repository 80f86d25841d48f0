"""A figure as the report prints it: its column's spec from the schema, its text in Dutch style,
the footnotes of a row, a list of names in words."""

from __future__ import annotations

import pandas as pd

from jaarverslag.formatting import getal, is_missing, percentage
from jaarverslag.invoer import bbv
from jaarverslag.invoer.definitie import Section
from jaarverslag.invoer.schema import schema


def column_spec(table: str, column: str) -> dict:
    """A column's spec: from the schema, or (the derived table) from its definition in bbv.py."""
    columns = bbv.kolommen() if table in bbv.AFGELEID else schema()[table].columns
    return columns[column]


def format_value(table: str, column: str, value) -> str:
    spec = column_spec(table, column)
    if spec["type"] == "percentage":
        return percentage(value, spec.get("decimalen", 2))
    return getal(value, spec.get("decimalen", 0))


def opsomming(names: list[str]) -> str:
    """'Aadorp, Beekveld en Kleindorp'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"


def voetnoten(section: Section, row: pd.Series) -> list[str]:
    """The row's footnotes: the text in the section's footnote columns (`voetnoten`, standard: noot)."""
    return [text for text in (noot_tekst(row, c) for c in section.voetnoten) if text]


def noot_tekst(row: pd.Series, column: str) -> str:
    """The text of a footnote cell, empty when there is none."""
    return str(row[column]) if column in row and not is_missing(row[column]) and str(row[column]).strip() else ""
