"""The fill-in workbook: one sheet per input table that still needs rows, pre-filled with the
rows the school years need, and Excel data validation on every input cell. A sheet asks only
for the columns the report prints or checks (`Verslag.invoertabel`). `inlezen.py`
reads it back, `wegschrijven.py` writes it.

For a new school year it covers that year, with last year's values beside each input cell.
For a new gemeente (`vanaf`) it covers every school year from `vanaf` up to the report's,
one block of rows per year, oldest first.

Layout of a table sheet: row 1 the table's title, row 2 Dutch headers (with the column's
definition as a comment), row 3 (hidden) the schema's column names, from row 4 one row per
school year and category. Key cells and last year's values are grey and locked; input
cells are unlocked. The workbook names its gemeente and school years in its properties.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from jaarverslag import paths
from jaarverslag.formatting import schooljaar, schooljaar_naar_getal, vorig_schooljaar
from jaarverslag.invoer.checklist import needed_keys
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.loading import load_tables
from jaarverslag.invoer.schema import DEFINITIEF, STATUS, Table

FOLDER = "invullen"
UITLEG = "Uitleg"
TITLE_ROW, HEADER_ROW, NAME_ROW, FIRST_ROW = 1, 2, 3, 4
VORIG = ":vorig"  # suffix of a reference column's name in the hidden row
PROPERTY_GEMEENTE, PROPERTY_SCHOOLJAAR = "jaarverslag_gemeente", "jaarverslag_schooljaar"
PROPERTY_VANAF = "jaarverslag_vanaf"  # the first school year of a workbook that covers several
FILE_NAME = re.compile(
    r"invullen-(?P<gemeente>[a-z0-9-]+?)(?:-(?P<vanaf>[0-9]{4}-[0-9]{4}))?-(?P<schooljaar>[0-9]{4}-[0-9]{4})\.xlsx$"
)
GREY, INPUT = "E7E6E6", "FFF2CC"
MAX_PROMPT = 250  # Excel shows at most 255 characters of an input message


def werkmap_pad(gemeente: str, schooljaar_: str, vanaf: str | None = None) -> Path:
    years = f"{vanaf}-{schooljaar_}" if vanaf and vanaf != schooljaar_ else schooljaar_
    return paths.ROOT / FOLDER / f"invullen-{gemeente}-{years}.xlsx"


def schooljaren(vanaf: str | None, tot: str) -> list[str]:
    """The school years from `vanaf` up to and including `tot` (only `tot` without `vanaf`)."""
    first = schooljaar_naar_getal(vanaf or tot)
    return [schooljaar(start) for start in range(first, schooljaar_naar_getal(tot) + 1)]


def value_columns(table: Table) -> list[str]:
    return [c for c, spec in table.columns.items() if spec["type"] not in ("schooljaar", "categorie")]


def _rows_by_key(frame: pd.DataFrame, table: Table) -> dict[tuple[str, ...], pd.Series]:
    return {tuple(str(row[k]) for k in table.key): row for _, row in frame.iterrows()}


def _complete(table: Table, frame: pd.DataFrame, year: str) -> bool:
    """True when every row the year needs is there with every required figure, and final: a
    provisional row is in the workbook too, to be replaced by the definitive figures."""
    rows = _rows_by_key(frame, table)
    required = [c for c, spec in table.columns.items() if spec.get("verplicht")]
    return all(
        k in rows and not rows[k][required].isna().any() and rows[k].get(STATUS, DEFINITIEF) in (DEFINITIEF, None)
        for k in needed_keys(table, year)
    )


def make_workbook(gemeente: str, year: str, vanaf: str | None = None) -> Path:
    """Write invullen/invullen-<gemeente>-[<vanaf>-]<schooljaar>.xlsx; returns its path."""
    from openpyxl import Workbook  # start-up: openpyxl only here
    from openpyxl.packaging.custom import StringProperty  # start-up: openpyxl only here

    tables = load_tables(gemeente)
    report = verslag(gemeente)
    years = schooljaren(vanaf, year)
    book = Workbook()
    _explanation(book.active, gemeente, years)
    for name in tables:  # the tables of the gemeente's report definition, with the columns it prints or checks
        table = report.invoertabel(name)
        if not all(_complete(table, tables[name], y) for y in years):
            _table_sheet(book.create_sheet(name[:31]), table, tables[name], years)
    book.custom_doc_props.append(StringProperty(name=PROPERTY_GEMEENTE, value=gemeente))
    book.custom_doc_props.append(StringProperty(name=PROPERTY_SCHOOLJAAR, value=year))
    if len(years) > 1:
        book.custom_doc_props.append(StringProperty(name=PROPERTY_VANAF, value=years[0]))
    target = werkmap_pad(gemeente, year, vanaf)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.nieuw")
    book.save(staging)
    os.replace(staging, target)
    return target


def _explanation(sheet, gemeente: str, years: list[str]) -> None:
    from openpyxl.styles import Font  # start-up: openpyxl only here

    sheet.title = UITLEG
    which = f"schooljaar {years[0]}" if len(years) == 1 else f"de schooljaren {years[0]} tot en met {years[-1]}"
    compared = (
        "De grijze kolommen tonen het vorige schooljaar ter vergelijking; die zijn niet te wijzigen."
        if len(years) == 1
        else f"Elk schooljaar heeft zijn eigen rijen. Een eerder jaar dat je niet kent, laat je leeg; {years[-1]} is nodig."
    )
    lines = [
        f"Invulwerkmap voor het jaarverslag leerplicht en Doorstroompunt: gemeente {gemeente}, {which}.",
        "Elk tabblad is één invoertabel. Vul de gele cellen in: één rij per schooljaar (en categorie).",
        compared,
        "Een lege cel betekent 'niet bekend': typ nooit 0 voor een onbekend cijfer. Een optioneel tabblad mag leeg blijven.",
        f"Lees de werkmap in met: jaarverslag inlezen {paths.relative(werkmap_pad(gemeente, years[-1], years[0]))} "
        "(er verandert niets als er iets fout is).",
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 120
    _fit_width(sheet)


def _fit_width(sheet) -> None:
    """Printed, a sheet fits the width of one landscape page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


VERPLICHT = "*"  # the header mark of a required figure, explained next to the sheet's title


def verplicht(table: Table, column: str) -> bool:
    """A figure that inlezen refuses to leave empty (in an optional table: once the sheet is filled in)."""
    return bool(table.columns[column].get("verplicht")) and column not in table.key


def _verplicht_tekst(table: Table) -> str:
    return "verplicht" if table.required else "verplicht als je dit tabblad invult"


def _header(table: Table, column: str) -> str:
    spec = table.columns[column]
    unit = spec.get("eenheid") or {"aantal": "aantal", "percentage": "procent", "tekst": "tekst"}.get(spec["type"], "")
    label = column.replace("_", " ").capitalize()
    shown = f"{label} ({unit})" if unit and spec["type"] not in ("schooljaar", "categorie") else label
    return f"{shown} {VERPLICHT}" if verplicht(table, column) else shown


def _layout(table: Table, years: list[str]) -> list[tuple[str, str]]:
    """(hidden name, header) per sheet column: keys, then each value column and, for one new
    school year, last year's value beside it."""
    before = vorig_schooljaar(years[0])
    out = [(c, _header(table, c)) for c in table.key]
    for column in value_columns(table):
        out.append((column, _header(table, column)))
        if len(years) == 1:
            out.append((column + VORIG, f"{before} (ter vergelijking)"))
    return out


def _table_sheet(sheet, table: Table, frame: pd.DataFrame, years: list[str]) -> None:
    from openpyxl.comments import Comment  # start-up: openpyxl only here
    from openpyxl.styles import Alignment, Font, PatternFill, Protection  # start-up: openpyxl only here
    from openpyxl.utils import get_column_letter  # start-up: openpyxl only here

    layout = _layout(table, years)
    marks = f"   ({VERPLICHT} = {_verplicht_tekst(table)})" if any(verplicht(table, c) for c in table.columns) else ""
    title = table.title + ("" if table.required else " (optioneel)") + marks
    sheet.cell(TITLE_ROW, 1, title).font = Font(bold=True, size=13)
    sheet.row_dimensions[HEADER_ROW].height = 48
    for i, (name, header) in enumerate(layout, start=1):
        cell = sheet.cell(HEADER_ROW, i, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        base = name.removesuffix(VORIG)
        if not name.endswith(VORIG):
            cell.comment = Comment(
                f"{table.columns[base]['omschrijving']}\n(kolom {base}; bron: {table.source})", "jaarverslag"
            )
        sheet.cell(NAME_ROW, i, name)
        sheet.column_dimensions[get_column_letter(i)].width = _width(table, name)
    sheet.row_dimensions[NAME_ROW].hidden = True
    rows = _rows_by_key(frame, table)
    grey, yellow = PatternFill("solid", fgColor=GREY), PatternFill("solid", fgColor=INPUT)
    keys = [key for year in years for key in needed_keys(table, year)]
    for offset, key in enumerate(keys):
        line = FIRST_ROW + offset
        before = vorig_schooljaar(key[0])
        now, then = rows.get(key), rows.get((before, *key[1:]))
        for i, (name, _) in enumerate(layout, start=1):
            cell = sheet.cell(line, i, _initial(name, key, table, now, then))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            editable = name in value_columns(table)
            cell.fill = yellow if editable else grey
            cell.protection = Protection(locked=not editable)
            if editable:
                cell.number_format = _number_format(table.columns[name])
    _validations(sheet, table, layout, len(keys))
    sheet.freeze_panes = sheet.cell(FIRST_ROW, len(table.key) + 1)
    _fit_width(sheet)
    sheet.protection.sheet = True  # no password: it only keeps keys and last year's figures from slips


def _width(table: Table, name: str) -> int:
    if table.columns[name.removesuffix(VORIG)]["type"] == "tekst":
        return 40  # a note: wrapped in a wide column
    return 14 if name.endswith(VORIG) or name in table.key else 24


def _initial(name: str, key: tuple, table: Table, now, then):
    """A key cell's value, what the year already has, or last year's value (reference columns)."""
    if name in table.key:
        return key[table.key.index(name)]
    row, column = (then, name.removesuffix(VORIG)) if name.endswith(VORIG) else (now, name)
    if row is None or pd.isna(row[column]):
        return None
    value = row[column]
    return value.item() if hasattr(value, "item") else value


def _number_format(spec: dict) -> str:
    return {"aantal": "0", "percentage": "0.00", "per_duizend": "0.0"}.get(spec["type"], "@")


RULES = {
    "aantal": ("whole", "greaterThanOrEqual", "0", None, "Typ een geheel getal van 0 of meer (een aantal)."),
    "percentage": (
        "decimal",
        "between",
        "0",
        "100",
        "Typ een percentage tussen 0 en 100, zonder %-teken (2,35 voor 2,35%).",
    ),
    "per_duizend": ("decimal", "between", "0", "1000", "Typ een getal per 1.000 tussen 0 en 1.000, bijvoorbeeld 6,1."),
    "status": None,  # a list of values, see _status_rule
}


def _status_rule(name: str, spec: dict, letter: str, count: int):
    """A status cell: one of the allowed values from a list (empty is definitief)."""
    from openpyxl.worksheet.datavalidation import DataValidation  # start-up: openpyxl only here

    rule = DataValidation(
        type="list",
        formula1='"' + ",".join(spec["waarden"]) + '"',
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle="Status",
        prompt="Leeg = definitief. Kies voorlopig of nader_voorlopig als de bron de cijfers van deze rij nog niet "
        "definitief heeft vastgesteld (zoals DUO in het najaar).",
        errorTitle="Ongeldige waarde",
        error="Kies voorlopig, nader_voorlopig of definitief, of laat de cel leeg.",
        errorStyle="stop",
    )
    rule.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + count - 1}")
    return rule


def _prompt_title(header: str) -> str:
    """A header as the title of an input message: Excel shows at most 32 characters; the mark of a
    required figure stays."""
    mark = f" {VERPLICHT}" if header.endswith(f" {VERPLICHT}") else ""
    text = header.removesuffix(mark)
    return text if len(text) + len(mark) <= 32 else text[: 31 - len(mark)] + "…" + mark


def _prompt(table: Table, name: str, spec: dict) -> str:
    """The input message of a cell: the definition, then whether it may stay empty."""
    what = (
        f"{_verplicht_tekst(table).capitalize()}: vul dit cijfer in."
        if verplicht(table, name)
        else "Leeg = niet bekend."
    )
    return f"{what} {spec['omschrijving']}"


def _validations(sheet, table: Table, layout: list[tuple[str, str]], count: int) -> None:
    """Excel data validation on every input cell of counts and percentages, with Dutch messages."""
    from openpyxl.utils import get_column_letter  # start-up: openpyxl only here
    from openpyxl.worksheet.datavalidation import DataValidation  # start-up: openpyxl only here

    for i, (name, header) in enumerate(layout, start=1):
        spec = table.columns.get(name)
        if spec is None or spec["type"] not in RULES:
            continue
        if spec["type"] == "status":
            sheet.add_data_validation(_status_rule(name, spec, get_column_letter(i), count))
            continue
        kind, operator, low, high, error = RULES[spec["type"]]
        rule = DataValidation(
            type=kind,
            operator=operator,
            formula1=low,
            formula2=high,
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            promptTitle=_prompt_title(header),
            prompt=_prompt(table, name, spec)[:MAX_PROMPT],
            errorTitle="Ongeldige waarde",
            error=error,
            errorStyle="stop",
        )
        letter = get_column_letter(i)
        rule.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + count - 1}")
        sheet.add_data_validation(rule)
