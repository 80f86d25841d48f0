"""The Excel companion tabellen.xlsx: every table of the report, one sheet each, numbers as numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from jaarverslag.inhoud import vergelijking
from jaarverslag.inhoud.report import Rapport
from jaarverslag.weergave import zipvast

HERKOMST = "herkomst"


def write_workbook(rapport: Rapport, target: Path, herkomst: pd.DataFrame | None = None) -> Path:
    """Write one sheet per section, and the trail of every printed figure (herkomst.csv) as
    the last sheet; a reproducible file (fixed dates inside and in the zip)."""
    from openpyxl import Workbook  # start-up: openpyxl only here

    book = Workbook()
    book.remove(book.active)
    for section in map(rapport.definitie, rapport.verslagdefinitie.secties):
        if section.kolommen:  # a region has no figures of its own where it cannot compute any
            _table_sheet(book.create_sheet(section.key[:31]), section.titel, rapport.excelblad(section.key))
    if rapport.regio:  # a region's gemeenten side by side, one sheet per section
        for section in (rapport.definitie(key, als_regio=False) for key in rapport.verslagdefinitie.secties):
            sheet = book.create_sheet(f"{section.key[:21]}_gemeenten")
            _table_sheet(sheet, vergelijking.caption(rapport, section), vergelijking.tabel(rapport, section))
    if herkomst is not None and not rapport.onderdrukking:  # the trail holds the true small counts
        _trail_sheet(book.create_sheet(HERKOMST), herkomst.drop(columns="gedrukt"))  # equal to waarde here
    date = dt.datetime.fromisoformat(rapport.params["datum"])
    book.properties.created = book.properties.modified = date
    book.properties.title = (
        f"Tabellen bij {rapport.params['titel']} {rapport.params['gemeentenaam']} {rapport.schooljaar}"
    )
    book.properties.creator = book.properties.lastModifiedBy = rapport.params["auteur"]
    book.save(target)
    zipvast.vastzetten(target, date.strftime("%Y-%m-%dT%H:%M:%SZ"))  # openpyxl stamps the clock
    return target


def _table_sheet(sheet, title: str, frame: pd.DataFrame) -> None:
    """A title row, the column names, and the rows with numbers as numbers."""
    from openpyxl.styles import Font  # start-up: openpyxl only here
    from openpyxl.utils import get_column_letter  # start-up: openpyxl only here

    sheet.append([title])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row])
    for i, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(45, len(str(column)) + 2))
    sheet["A1"].font = Font(bold=True)


def _trail_sheet(sheet, herkomst: pd.DataFrame) -> None:
    """Every printed figure with its source cell or formula: the auditor's working paper."""
    from openpyxl.styles import Font  # start-up: openpyxl only here
    from openpyxl.utils import get_column_letter  # start-up: openpyxl only here

    sheet.append(list(herkomst.columns))
    for row in herkomst.itertuples(index=False):
        sheet.append([v if v != "" else None for v in row])
    for i, column in enumerate(herkomst.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = 14 if column in ("regel", "waarde") else 30
        sheet.cell(1, i).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
