"""Read a filled-in workbook back into data/<gemeente>/: validated first (the loader's cell
checks, the schema's required rows and figures, the GX suites over the tables as they would
be), refused as a whole with one Dutch list of problems, else written all files or none.

A row that already holds other values is left alone unless `overschrijven` is asked; a
value only fills what was empty. CSV files keep their encoding, separator, decimal mark and
line endings, and every line that does not change stays byte for byte; an xlsx keeps its
sheet, with the changed cells set and new rows added below.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from jaarverslag import paths
from jaarverslag.controle import validation
from jaarverslag.errors import InvoerFout, Melding
from jaarverslag.formatting import is_missing
from jaarverslag.invoer.checklist import checklist, needed_keys
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.loading import MAX_COLUMNS, _check_duplicates, _check_privacy, _convert_rows, load_tables
from jaarverslag.invoer.params import check_names
from jaarverslag.invoer.paramsmodel import standaard
from jaarverslag.invoer.ruwecellen import MAX_BYTES, MAX_ROWS, PercentCell, RawTable, _check_unpacked_size
from jaarverslag.invoer.schema import STATUS, Table, schema
from jaarverslag.nieuwjaar.excel_datum import _datum_tekst
from jaarverslag.nieuwjaar.invulwerkmap import (
    FILE_NAME,
    NAME_ROW,
    PROPERTY_GEMEENTE,
    PROPERTY_SCHOOLJAAR,
    PROPERTY_VANAF,
    UITLEG,
    VERPLICHT,
    schooljaren,
)
from jaarverslag.nieuwjaar.samenvoegen import Blad, Wijziging, _merge
from jaarverslag.nieuwjaar.wegschrijven import DIGITS, _write


@dataclass
class Uitkomst:
    wijzigingen: list[Wijziging] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)
    bestanden: list[str] = field(default_factory=list)


def read_workbook(path: Path, overschrijven: bool = False, schrijven: bool = True) -> Uitkomst:
    """Validate the workbook's rows and, when all is well, write them into the data files."""

    where = path.name
    book = _open(path)
    gemeente, years = _identity(book, path)
    result, problems, sheets = Uitkomst(), [], []
    report = verslag(gemeente)
    for sheet in book.worksheets:
        if sheet.title == UITLEG:
            continue
        if sheet.title not in report.tabellen:
            result.waarschuwingen.append(
                f"{where}, tabblad '{sheet.title}': hoort niet bij het jaarverslag; genegeerd."
            )
            continue
        blad, found = _read_sheet(sheet, report.invoertabel(sheet.title), years, where, result.waarschuwingen)
        problems += found
        if blad is not None:
            sheets.append(blad)
    _refuse_if(problems, result.waarschuwingen, where)
    tables = load_tables(gemeente)
    merged, changes, conflicts = _merge(gemeente, tables, sheets, overschrijven, where)
    problems = conflicts + _validate(merged, sheets, years, gemeente, where, result.waarschuwingen)
    _refuse_if(problems, result.waarschuwingen, where)
    result.wijzigingen = changes
    if schrijven and changes:
        result.bestanden = _write(gemeente, tables, merged, {c.tabel for c in changes})
    return result


def _open(path: Path):
    """The workbook, after the checks the loader makes on any xlsx: it exists, is a plain file,
    and is not a small file that unpacks to something huge."""
    from openpyxl import load_workbook  # start-up: openpyxl only here

    where = path.name
    why = "het bestand bestaat niet." if not path.exists() else paths.not_a_plain_file(path)
    if not why and path.stat().st_size > MAX_BYTES:
        why = f"het bestand is groter dan {MAX_BYTES // 2**20} MB; een invulwerkmap is een paar tientallen kB."
    if why:
        raise InvoerFout([Melding(where, why)])
    data = path.read_bytes()
    try:
        _check_unpacked_size(data, where)
        return load_workbook(io.BytesIO(data))  # not read-only: merged cells and formulas must be seen
    except InvoerFout:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken or wrong file
        raise InvoerFout(
            [Melding(where, "dit is geen leesbare Excel-werkmap (het bestand is beschadigd of geen .xlsx).")]
        ) from exc


def _refuse_if(problems: list[Melding], warnings: list[str], where: str) -> None:
    """Refuse the whole workbook, with the warnings too (they may explain a problem)."""
    if problems:
        raise InvoerFout(problems, waarschuwingen=warnings)


def _identity(book, path: Path) -> tuple[str, list[str]]:
    """The gemeente and school years the workbook was made for (its properties, else its name),
    oldest first: the last is the report's."""
    props = {p.name: p.value for p in book.custom_doc_props.props}
    named = FILE_NAME.search(path.name)
    gemeente = props.get(PROPERTY_GEMEENTE) or (named["gemeente"] if named else "")
    year = props.get(PROPERTY_SCHOOLJAAR) or (named["schooljaar"] if named else "")
    vanaf = props.get(PROPERTY_VANAF) if PROPERTY_GEMEENTE in props else (named["vanaf"] if named else None)
    if not gemeente or not year:
        raise InvoerFout(
            [
                Melding(
                    path.name,
                    "dit is geen invulwerkmap van het jaarverslag; maak er een met jaarverslag nieuw-schooljaar.",
                )
            ]
        )
    gemeente, year = check_names(gemeente, year)
    first = check_names(gemeente, vanaf)[1] if vanaf else year
    if first > year:
        raise InvoerFout([Melding(path.name, f"de werkmap begint bij {first}, na het laatste schooljaar {year}.")])
    return gemeente, schooljaren(first, year)


def _read_sheet(
    sheet, table: Table, years: list[str], where: str, warnings: list[str]
) -> tuple[Blad | None, list[Melding]]:
    """The sheet's rows as a typed frame, through the loader's own cell conversion. `table` holds the
    columns the report asks for; the frame has every column of the schema (the others empty)."""
    from openpyxl.utils import get_column_letter  # start-up: openpyxl only here

    here = f"{where}, tabblad '{sheet.title}'"
    if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
        last = f"{get_column_letter(sheet.max_column)}{sheet.max_row}"
        return None, [Melding(here, f"er staat iets in cel {last}, ver buiten de tabel; maak die cel leeg.")]
    names = {i: c.value for i, c in enumerate(sheet[NAME_ROW], start=1) if c.value in table.columns}
    missing = [c for c in table.columns if c not in names.values()]
    if missing or len(set(names.values())) < len(names):
        what = f"{', '.join(missing)} ontbreekt" if missing else "een kolomnaam staat er twee keer in"
        return None, [
            Melding(here, f"de verborgen rij {NAME_ROW} met kolomnamen is veranderd: {what}. Maak de werkmap opnieuw.")
        ]
    if sheet.merged_cells.ranges:
        ranges = ", ".join(str(r) for r in sheet.merged_cells.ranges)
        warnings.append(f"{here}: samengevoegde cellen ({ranges}); alleen de eerste cel van elk blok telt.")
    header = [names[i] for i in sorted(names)]
    letters = {name: f"{get_column_letter(i)} ({_kop(sheet.cell(NAME_ROW - 1, i).value)})" for i, name in names.items()}
    rows, lines, dates = [], [], []
    for row in sheet.iter_rows(min_row=NAME_ROW + 1):
        cells = [_value(row[i - 1], here, warnings) if i - 1 < len(row) else None for i in sorted(names)]
        for at, (value, name) in enumerate(zip(cells, header, strict=True)):
            if isinstance(value, dt.date | dt.time) and table.columns[name]["type"] in NUMBERS:
                dates.append(Melding(here, _datum_tekst(row[sorted(names)[at] - 1]), letters[name], row[0].row))
                cells[at] = None
        if any(v is not None and str(v).strip() for v in cells) and not _earlier_year_left_empty(
            cells, header, table, years
        ):
            rows.append(cells)
            lines.append(row[0].row)
    if dates:
        return None, dates
    raw = RawTable(header, rows, decimal_comma=True, lines=lines, fixed_width=False)
    private = _check_privacy(raw, table, here)
    if private:
        return None, private
    frame, problems = _convert_rows(raw, schema()[table.name], here)
    blad = Blad(table.name, frame, lines, letters)
    problems = [Melding(m.bestand, m.tekst, blad.plaats(m.kolom), m.rij) for m in problems]
    if not problems:
        problems = _check_rows(blad, table, years, here)
    if _untouched(blad, table) and "noot" in frame and frame["noot"].notna().any():
        warnings.append(f"{here}: alleen een noot ingevuld en geen cijfer; het tabblad is overgeslagen.")
    return (None if _untouched(blad, table) else blad), problems


def _earlier_year_left_empty(cells: list, header: list[str], table: Table, years: list[str]) -> bool:
    """A row of an earlier school year without a single figure: that year is not known, and
    is not read (the report's own year is always read, so that a missing figure is named)."""
    values = dict(zip(header, cells, strict=True))
    year = str(values.get("schooljaar") or "").strip()
    figures = [v for k, v in values.items() if k not in table.key and k != STATUS]
    return year in years[:-1] and all(v is None or not str(v).strip() for v in figures)


def _value(cell, here: str, warnings: list[str]):
    """A cell's value: a formula is ignored (with a warning), a percent-formatted number is in %."""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        warnings.append(
            f"{here}, cel {cell.coordinate}: een formule wordt niet gelezen; typ het getal zelf. Genegeerd."
        )
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return PercentCell(value)  # the loader makes a percentage of it, and refuses it for a count
    if isinstance(value, float) and not isinstance(value, PercentCell):
        return round(value, DIGITS)  # 180/7800*100 pasted in: the same figure on every reading
    return value


def _kop(header) -> str:
    """A column's header as a message names it, without the mark of a required figure."""
    return str(header).removesuffix(f" {VERPLICHT}")


NUMBERS = ("aantal", "percentage", "per_duizend")


def _untouched(blad: Blad, table: Table) -> bool:
    """An optional table whose sheet has no figure filled in: nothing to read."""
    values = [c for c in table.columns if c not in table.key and c not in ("noot", STATUS)]
    return not table.required and blad.frame[values].isna().all().all()


def _check_rows(blad: Blad, table: Table, years: list[str], here: str) -> list[Melding]:
    """Every row is for the workbook's years, none twice, every row the report's year needs there,
    and each row with its required figures."""
    frame, year = blad.frame, years[-1]
    which = f"schooljaar {year}" if len(years) == 1 else f"de schooljaren {years[0]} tot en met {year}"
    problems = [
        Melding(here, f"deze werkmap is voor {which}, niet voor {value}.", blad.plaats("schooljaar"), line)
        for value, line in zip(frame["schooljaar"], blad.rijen, strict=True)
        if value not in years
    ]
    problems += [
        Melding(m.bestand, m.tekst, blad.plaats(m.kolom), m.rij)
        for m in _check_duplicates(frame, table, here, blad.rijen)
    ]
    if _untouched(blad, table) or problems:
        return problems
    problems += _gaten(blad, years, here)
    present = {
        tuple(str(row[k]) for k in table.key): line for (_, row), line in zip(frame.iterrows(), blad.rijen, strict=True)
    }
    for key in needed_keys(table, year):  # earlier years may be left out: they are history
        if key not in present:
            problems.append(
                Melding(
                    here,
                    f"de rij voor {', '.join(key)} ontbreekt; zet hem terug (maak zo nodig de werkmap opnieuw).",
                    blad.plaats(table.key[-1]),
                )
            )
    required = [c for c, spec in table.columns.items() if spec.get("verplicht") and c not in table.key]
    for (_, row), line in zip(frame.iterrows(), blad.rijen, strict=True):
        problems += [
            Melding(here, "dit cijfer is verplicht; vul het in.", blad.plaats(c), line)
            for c in required
            if is_missing(row[c])
        ]
    return problems


def _gaten(blad: Blad, years: list[str], here: str) -> list[Melding]:
    """An earlier year left empty between two that are filled in: the report shows an unbroken
    series, so that is refused with the year named (before GX would, without a row to point at)."""
    filled = set(blad.frame["schooljaar"])
    first = min(filled, default=years[-1])
    return [
        Melding(
            here,
            f"schooljaar {year} is leeg, maar een eerder schooljaar niet; het verslag toont een doorlopende "
            f"reeks. Vul {year} in, of laat ook de schooljaren ervoor leeg.",
            blad.plaats("schooljaar"),
        )
        for year in years
        if first < year and year not in filled
    ]


# --- validating the tables as they would be ------------------------------------------------


def _validate(
    merged: dict, sheets: list[Blad], years: list[str], gemeente: str, where: str, warnings: list[str]
) -> list[Melding]:
    """The checklist and every GX suite over the merged tables; blocking findings point at their cell."""
    year = years[-1]
    problems = [Melding(where, f"er ontbreekt nog iets: {line}") for line in checklist(gemeente, year, merged)]
    summary = validation.validate(
        merged, year, max(standaard("aantal_jaren"), len(years)), nodig=verslag(gemeente).nodig
    )
    by_table = {b.tabel: b for b in sheets}
    for finding in summary["blokkerend"]:
        problems.append(_finding_cell(finding, by_table.get(finding["tabel"]), years, where))
    for finding in summary["waarschuwingen"]:
        if finding["schooljaar"] in years:
            warnings.append(
                f"{finding['titel']} {finding['schooljaar']}: {finding['regel']} ({finding['gevonden']}); "
                "het cijfer wordt wel ingelezen."
            )
    return problems


def _finding_cell(finding: dict, blad: Blad | None, years: list[str], where: str) -> Melding:
    text = f"{finding['regel']} Gevonden: {finding['gevonden']}."
    if blad is None or finding["schooljaar"] not in years:
        return Melding(
            where,
            f"in de gegevens die er al waren ({finding['titel']}, {finding['schooljaar']}): {finding['regel']} ({finding['gevonden']}).",
        )
    key = finding.get("sleutel", {})
    rows = [
        line
        for (_, row), line in zip(blad.frame.iterrows(), blad.rijen, strict=True)
        if all(str(row[k]) == v for k, v in key.items())
    ]
    return Melding(
        f"{where}, tabblad '{blad.tabel}'", text, blad.plaats(finding.get("kolom", "")), rows[0] if rows else None
    )
