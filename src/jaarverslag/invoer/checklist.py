"""A new school year: the params file from last year's, and a checklist of the data still missing."""

from __future__ import annotations

import pandas as pd

from jaarverslag import paths
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.loading import load_tables
from jaarverslag.invoer.schema import Table, schema, table_path


def needed_keys(table: Table, year: str) -> list[tuple[str, ...]]:
    """The rows a school year needs: one, or one per category (in schema order)."""
    categories = [c for c, spec in table.columns.items() if spec["type"] == "categorie"]
    keys = [(year,)]
    for column in categories:
        keys = [(*k, str(v)) for k in keys for v in table.columns[column]["waarden"]]
    return keys


def checklist(
    gemeente: str, schooljaar: str, tables: dict[str, pd.DataFrame] | None = None, verslag_van: str | None = None
) -> list[str]:
    """One Dutch line per required row or figure that the data of `schooljaar` still lack, for the
    tables the gemeente's report definition (or a region's, `verslag_van`) uses and the columns it
    prints or checks."""
    return list(checklist_per_tabel(gemeente, schooljaar, tables, verslag_van).values())


def checklist_per_tabel(
    gemeente: str, schooljaar: str, tables: dict[str, pd.DataFrame] | None = None, verslag_van: str | None = None
) -> dict[str, str]:
    """The checklist by table: {table: what its data of `schooljaar` still lack}."""
    tables = tables if tables is not None else load_tables(gemeente)
    report = verslag(verslag_van or gemeente)
    lines = {}
    for name in (n for n in schema() if n in tables and n in report.nodig):
        table = report.invoertabel(name)
        if not table.required:
            continue
        where = paths.relative(table_path(gemeente, name))
        rows = tables[name][tables[name]["schooljaar"] == schooljaar]
        required = [c for c, spec in table.columns.items() if spec.get("verplicht")]
        categories = [c for c, spec in table.columns.items() if spec["type"] == "categorie"]
        if rows.empty:
            per = f" (een rij per {', '.join(categories)})" if categories else ""
            lines[name] = f"{where}: voeg een rij toe voor {schooljaar}{per} met {', '.join(required)}."
            continue
        present = {tuple(str(row[k]) for k in table.key) for _, row in rows.iterrows()}
        absent = [", ".join(key[1:]) for key in needed_keys(table, schooljaar) if key not in present]
        empty = [c for c in required if rows[c].isna().any()]
        if absent:
            per = ", ".join(c for c, spec in table.columns.items() if spec["type"] == "categorie")
            lines[name] = f"{where}: voeg voor {schooljaar} de rij(en) toe voor {per} {'; '.join(absent)}."
        elif empty:
            lines[name] = f"{where}: vul voor {schooljaar} de kolom(men) {', '.join(empty)} in."
    return lines


def format_checklist(gemeente: str, schooljaar: str, lines: list[str]) -> str:
    items = "\n".join(f"  [ ] {line}" for line in lines)
    return f"Voor het verslag {gemeente} {schooljaar} ontbreken nog deze gegevens:\n{items}"


def regio_checklist(regio: str, gemeenten: list[str], schooljaar: str) -> list[str]:
    """The checklist of every gemeente of a region, for the tables the region's definition uses."""
    tabellen = verslag(regio).tabellen
    return [
        line
        for g in gemeenten
        for line in checklist(g, schooljaar, load_tables(g, tabellen=tabellen), verslag_van=regio)
    ]
