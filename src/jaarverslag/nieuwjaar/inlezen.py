"""Read a filled-in workbook back into data/<gemeente>/: validated first (the loader's cell
checks, the schema's required rows and figures, the GX suites over the tables as they would
be), refused as a whole with one Dutch list of problems, else written all files or none.

A row that already holds other values is left alone unless `overschrijven` is asked; a
value only fills what was empty. CSV files keep their encoding, separator, decimal mark and
line endings, and every line that does not change stays byte for byte; an xlsx keeps its
sheet, with the changed cells set and new rows added below.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from jaarverslag import interrupt, paths
from jaarverslag.errors import InvoerFout, Melding, kort
from jaarverslag.formatting import MAANDEN, is_missing, zoals_geschreven
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.lezen import UTF8_BOM, PercentCell, RawTable
from jaarverslag.invoer.loading import _check_duplicates, _convert_rows, load_tables
from jaarverslag.invoer.params import check_names
from jaarverslag.invoer.schema import Table, schema, table_path
from jaarverslag.nieuwjaar.invulwerkmap import (
    FILE_NAME,
    NAME_ROW,
    PROPERTY_GEMEENTE,
    PROPERTY_SCHOOLJAAR,
    UITLEG,
    VERPLICHT,
    needed_keys,
)

DIGITS = 6  # decimals a figure from the workbook keeps


@dataclass
class Wijziging:
    """One cell that reading the workbook changes (old None: a new row or an empty cell)."""

    tabel: str
    sleutel: tuple[str, ...]
    kolom: str
    oud: object
    nieuw: object

    def __str__(self) -> str:
        return f"{self.tabel} {', '.join(self.sleutel)}, {self.kolom}: {_shown(self.oud)} → {_shown(self.nieuw)}"


@dataclass
class Uitkomst:
    wijzigingen: list[Wijziging] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)
    bestanden: list[str] = field(default_factory=list)


def _shown(value) -> str:
    if is_missing(value):
        return "leeg"
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return zoals_geschreven(value)
    return str(value)


@dataclass
class Blad:
    """The new rows of one table as read from its sheet, and where each row is."""

    tabel: str
    frame: pd.DataFrame
    rijen: list[int]  # sheet row of each frame row
    letters: dict[str, str]  # schema column -> sheet column letter and header, for messages

    def plaats(self, kolom: str) -> str:
        return self.letters.get(kolom, kolom)


def read_workbook(path: Path, overschrijven: bool = False, schrijven: bool = True) -> Uitkomst:
    """Validate the workbook's rows and, when all is well, write them into the data files."""

    where = path.name
    book = _open(path)
    gemeente, year = _identity(book, path)
    result, problems, sheets = Uitkomst(), [], []
    for sheet in book.worksheets:
        if sheet.title == UITLEG:
            continue
        if sheet.title not in verslag(gemeente).tabellen:
            result.waarschuwingen.append(
                f"{where}, tabblad '{sheet.title}': hoort niet bij het jaarverslag; genegeerd."
            )
            continue
        blad, found = _read_sheet(sheet, schema()[sheet.title], year, where, result.waarschuwingen)
        problems += found
        if blad is not None:
            sheets.append(blad)
    _refuse_if(problems, result.waarschuwingen, where)
    tables = load_tables(gemeente)
    merged, changes, conflicts = _merge(gemeente, tables, sheets, overschrijven, where)
    problems = conflicts + _validate(merged, sheets, year, gemeente, where, result.waarschuwingen)
    _refuse_if(problems, result.waarschuwingen, where)
    result.wijzigingen = changes
    if schrijven and changes:
        result.bestanden = _write(gemeente, tables, merged, {c.tabel for c in changes})
    return result


def _open(path: Path):
    """The workbook, after the checks the loader makes on any xlsx: it exists, is a plain file,
    and is not a small file that unpacks to something huge."""
    from openpyxl import load_workbook

    from jaarverslag.invoer.lezen import MAX_BYTES, _check_unpacked_size

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


def _identity(book, path: Path) -> tuple[str, str]:
    """The gemeente and school year the workbook was made for (its properties, else its name)."""
    props = {p.name: p.value for p in book.custom_doc_props.props}
    named = FILE_NAME.search(path.name)
    gemeente = props.get(PROPERTY_GEMEENTE) or (named["gemeente"] if named else "")
    year = props.get(PROPERTY_SCHOOLJAAR) or (named["schooljaar"] if named else "")
    if not gemeente or not year:
        raise InvoerFout(
            [
                Melding(
                    path.name,
                    "dit is geen invulwerkmap van het jaarverslag; maak er een met jaarverslag nieuw-schooljaar.",
                )
            ]
        )
    return check_names(gemeente, year)


def _read_sheet(sheet, table: Table, year: str, where: str, warnings: list[str]) -> tuple[Blad | None, list[Melding]]:
    """The sheet's rows as a typed frame, through the loader's own cell conversion."""
    from openpyxl.utils import get_column_letter

    from jaarverslag.invoer.lezen import MAX_ROWS
    from jaarverslag.invoer.loading import MAX_COLUMNS, _check_privacy

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
        if any(v is not None and str(v).strip() for v in cells):
            rows.append(cells)
            lines.append(row[0].row)
    if dates:
        return None, dates
    raw = RawTable(header, rows, decimal_comma=True, lines=lines, fixed_width=False)
    private = _check_privacy(raw, table, here)
    if private:
        return None, private
    frame, problems = _convert_rows(raw, table, here)
    blad = Blad(table.name, frame, lines, letters)
    problems = [Melding(m.bestand, m.tekst, blad.plaats(m.kolom), m.rij) for m in problems]
    if not problems:
        problems = _check_rows(blad, table, year, here)
    if _untouched(blad, table) and "noot" in frame and frame["noot"].notna().any():
        warnings.append(f"{here}: alleen een noot ingevuld en geen cijfer; het tabblad is overgeslagen.")
    return (None if _untouched(blad, table) else blad), problems


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
DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
KORTE_DATUM = "d-m-yyyy"  # Excel's built-in short date (openpyxl calls it mm-dd-yy), as Dutch Excel shows it
DATUMDEEL = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s", re.IGNORECASE)


def _datum_tekst(cell) -> str:
    """What to say of a figure that Excel turned into a date (typing 1-2 gives 1 February)."""
    return (
        f"Excel heeft wat hier getypt is omgezet in een datum (de cel toont '{zoals_excel(cell.value, cell.number_format)}'). "
        "Geef de cel de opmaak Getal en typ het cijfer opnieuw."
    )


def zoals_excel(value, number_format: str) -> str:
    """A date or time as Dutch Excel shows it with the cell's number format, e.g. '1-feb' for d-mmm."""
    pattern = (number_format or "").split(";")[0]
    pattern = re.sub(r"\[[^\]]*\]|[\\\"@]|AM/PM", "", pattern)  # locale codes, escapes, quotes
    if pattern in ("", "General", "mm-dd-yy") or not DATUMDEEL.search(pattern):
        pattern = KORTE_DATUM if isinstance(value, dt.date) else "h:mm"
    return DATUMDEEL.sub(lambda m: _deel(value, m[0].lower(), m.start(), pattern), pattern)


def _deel(value, token: str, at: int, pattern: str) -> str:
    """One part of a date format; m or mm right after an h (or before an s) is minutes, as in Excel."""
    minutes = token in ("m", "mm") and bool(
        re.search(r"h[^dmy]*$", pattern[:at], re.I) or re.match(r"[^dmy]*s", pattern[at + len(token) :], re.I)
    )
    date = value if isinstance(value, dt.date) else None
    parts = {
        "yyyy": lambda: f"{date.year:04d}",
        "yy": lambda: f"{date.year % 100:02d}",
        "mmmm": lambda: MAANDEN[date.month - 1],
        "mmm": lambda: MAANDEN[date.month - 1][:3],
        "mm": lambda: f"{value.minute:02d}" if minutes else f"{date.month:02d}",
        "m": lambda: str(value.minute) if minutes else str(date.month),
        "dddd": lambda: DAGEN[date.weekday()],
        "ddd": lambda: DAGEN[date.weekday()][:2],
        "dd": lambda: f"{date.day:02d}",
        "d": lambda: str(date.day),
        "hh": lambda: f"{value.hour:02d}",
        "h": lambda: str(value.hour),
        "ss": lambda: f"{value.second:02d}",
        "s": lambda: str(value.second),
    }
    try:
        return parts[token]()
    except AttributeError:  # a date part in the format of a time, or the other way round
        return ""


def _untouched(blad: Blad, table: Table) -> bool:
    """An optional table whose sheet has no figure filled in: nothing to read."""
    values = [c for c in table.columns if c not in table.key and c != "noot"]
    return not table.required and blad.frame[values].isna().all().all()


def _check_rows(blad: Blad, table: Table, year: str, here: str) -> list[Melding]:
    """Every row is for this year, none twice, every needed row there with its required figures."""
    frame = blad.frame
    problems = [
        Melding(here, f"deze werkmap is voor schooljaar {year}, niet voor {value}.", blad.plaats("schooljaar"), line)
        for value, line in zip(frame["schooljaar"], blad.rijen, strict=True)
        if value != year
    ]
    problems += [
        Melding(m.bestand, m.tekst, blad.plaats(m.kolom), m.rij)
        for m in _check_duplicates(frame, table, here, blad.rijen)
    ]
    if _untouched(blad, table) or problems:
        return problems
    present = {
        tuple(str(row[k]) for k in table.key): line for (_, row), line in zip(frame.iterrows(), blad.rijen, strict=True)
    }
    for key in needed_keys(table, year):
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


# --- merging with the data as it is ------------------------------------------------------


def _merge(
    gemeente: str, tables: dict[str, pd.DataFrame], sheets: list[Blad], overschrijven: bool, where: str
) -> tuple[dict[str, pd.DataFrame], list[Wijziging], list[Melding]]:
    """The tables with the workbook's rows in them, what changes, and the conflicts refused."""
    merged, changes, conflicts = dict(tables), [], []
    for blad in sheets:
        table = schema()[blad.tabel]
        frame = tables[blad.tabel].copy()
        existing = {tuple(str(r[k]) for k in table.key): i for i, r in frame.iterrows()}
        for (_, row), line in zip(blad.frame.iterrows(), blad.rijen, strict=True):
            key = tuple(str(row[k]) for k in table.key)
            if key not in existing:
                frame = pd.concat([frame, row.to_frame().T.astype(frame.dtypes.to_dict())], ignore_index=True)
                existing[key] = frame.index[-1]
                changes += [
                    Wijziging(blad.tabel, key, c, None, row[c])
                    for c in table.columns
                    if c not in table.key and not is_missing(row[c])
                ]
                continue
            for column in (c for c in table.columns if c not in table.key and not is_missing(row[c])):
                old = frame.at[existing[key], column]
                if _equal(old, row[column]):
                    continue
                if not is_missing(old) and not overschrijven:
                    source = paths.relative(table_path(gemeente, blad.tabel))
                    conflicts.append(_conflict(blad, column, line, (old, row[column]), source, where))
                    continue
                frame.at[existing[key], column] = row[column]
                changes.append(Wijziging(blad.tabel, key, column, None if is_missing(old) else old, row[column]))
        merged[blad.tabel] = frame
    return merged, changes, conflicts


def _conflict(blad: Blad, column: str, line: int, values: tuple, source: str, where: str) -> Melding:
    old, new = values
    return Melding(
        f"{where}, tabblad '{blad.tabel}'",
        f"in {source} staat hier al {_shown(old)} (de werkmap zegt {_shown(new)}); dat wordt niet overschreven "
        "zonder --overschrijven.",
        blad.plaats(column),
        line,
    )


# --- validating the tables as they would be ------------------------------------------------


def _validate(
    merged: dict, sheets: list[Blad], year: str, gemeente: str, where: str, warnings: list[str]
) -> list[Melding]:
    """The checklist and every GX suite over the merged tables; blocking findings point at their cell."""
    from jaarverslag.controle import validation
    from jaarverslag.invoer.params import DEFAULTS
    from jaarverslag.nieuwjaar.checklist import checklist

    problems = [Melding(where, f"er ontbreekt nog iets: {line}") for line in checklist(gemeente, year, merged)]
    summary = validation.validate(merged, year, DEFAULTS["aantal_jaren"])
    by_table = {b.tabel: b for b in sheets}
    for finding in summary["blokkerend"]:
        problems.append(_finding_cell(finding, by_table.get(finding["tabel"]), year, where))
    for finding in summary["waarschuwingen"]:
        if finding["schooljaar"] == year:
            warnings.append(
                f"{finding['titel']} {year}: {finding['regel']} ({finding['gevonden']}); het cijfer wordt wel ingelezen."
            )
    return problems


def _finding_cell(finding: dict, blad: Blad | None, year: str, where: str) -> Melding:
    text = f"{finding['regel']} Gevonden: {finding['gevonden']}."
    if blad is None or finding["schooljaar"] != year:
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


# --- writing: every file or none -------------------------------------------------------------


def _write(gemeente: str, tables, merged: dict, changed: set[str]) -> list[str]:
    """Every changed file, made in memory from exactly the bytes that were validated, then swapped in."""
    contents = {}
    for name in sorted(changed):
        path = table_path(gemeente, name)
        data = _unchanged_since_reading(path, tables.sha256[paths.relative(path)])
        writer = _xlsx_bytes if path.suffix.lower() == ".xlsx" else _csv_bytes
        contents[path] = writer(
            data, paths.relative(path), (schema()[name], tables[name], tables.regels[name]), merged[name]
        )
    _replace_all(contents)
    return [paths.relative(p) for p in contents]


def _unchanged_since_reading(path: Path, digest: str) -> bytes:
    """The file's bytes; refused when it changed after it was read, or may not be written."""
    import hashlib

    where = paths.relative(path)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise InvoerFout(
            [
                Melding(
                    where, "dit bestand is veranderd terwijl de werkmap werd gecontroleerd; lees de werkmap opnieuw in."
                )
            ]
        )
    if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:  # root may write anything: ask the mode
        raise InvoerFout([Melding(where, "dit bestand is alleen-lezen; er is niets geschreven.")])
    return data


def _changed_rows(table: Table, before: pd.DataFrame, lines: list[int], after: pd.DataFrame):
    """(line or None for a new row, the merged row) for every row that differs from the file."""
    old = {
        tuple(str(r[k]) for k in table.key): (line, r) for (_, r), line in zip(before.iterrows(), lines, strict=True)
    }
    for _, row in after.iterrows():
        key = tuple(str(row[k]) for k in table.key)
        if key not in old:
            yield None, row
        elif not _same(old[key][1], row, table):
            yield old[key][0], row


def _same(a: pd.Series, b: pd.Series, table: Table) -> bool:
    return all(_equal(a[c], b[c]) for c in table.columns)


def _equal(old, new) -> bool:
    """Two cell values are the same figure (numbers to DIGITS decimals), or both empty."""
    if is_missing(old) or is_missing(new):
        return is_missing(old) and is_missing(new)
    if isinstance(old, str) or isinstance(new, str):
        return str(old) == str(new)
    return abs(float(old) - float(new)) < 10**-DIGITS


def _cell_text(value, spec: dict, decimal_comma: bool) -> str:
    if is_missing(value):
        return ""
    if spec["type"] == "aantal":
        return str(int(value))
    if spec["type"] in ("percentage", "per_duizend"):
        text = f"{float(value):.{DIGITS}f}".rstrip("0").rstrip(".")  # never 1e-05
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def _csv_bytes(data: bytes, where: str, before: tuple, after: pd.DataFrame) -> bytes:
    """The file with changed records rewritten (unchanged cells keep their text) and new ones added."""
    from jaarverslag.invoer.lezen import _separator

    table, frame, lines = before
    bom = data.startswith(UTF8_BOM)
    encoding = "utf-8" if bom or _is_utf8(data) else "cp1252"
    text = data.removeprefix(UTF8_BOM).decode(encoding)
    physical = io.StringIO(text, newline="").readlines()  # split as the csv module counts lines
    newline = "\r\n" if physical and physical[0].endswith("\r\n") else "\n"
    sep = _separator(text, where)
    records = _records(text, sep)  # first line -> (last line, cells)
    header = next(iter(records.values()))[1]
    additions = []
    for line, row in _changed_rows(table, frame, lines, after):
        cells = records[line][1] if line else [""] * len(header)
        for i, column in enumerate(header):
            if column in table.columns and (
                not line or not _same_cell(row[column], cells[i], table.columns[column], sep)
            ):
                cells[i] = _cell_text(row[column], table.columns[column], sep == ";")
        record = _format_record(cells, sep, newline)
        if line:
            last = records[line][0]
            ending = physical[last - 1][len(physical[last - 1].rstrip("\r\n")) :]
            physical[line - 1 : last] = [record + ending] + [""] * (last - line)
        else:
            additions.append(record + newline)
    if physical and not physical[-1].endswith(("\n", "\r")):
        physical[-1] += newline
    out = "".join(physical + additions)
    try:
        return (UTF8_BOM if bom else b"") + out.encode(encoding)
    except UnicodeEncodeError as exc:
        bad = kort(out[exc.start : exc.end])
        raise InvoerFout(
            [
                Melding(
                    where,
                    f"het teken '{bad}' past niet in de tekenset van dit bestand (Windows-1252); sla het op als CSV UTF-8.",
                )
            ]
        ) from exc


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _same_cell(value, text: str, spec: dict, sep: str) -> bool:
    """Whether a cell's text already holds the value (then the text stays as the analyst wrote it)."""
    from jaarverslag.invoer.loading import _convert_cell

    try:
        old = _convert_cell(text, spec, sep == ";")
    except ValueError:
        return False
    return _equal(old, value)


def _records(text: str, sep: str) -> dict[int, tuple[int, list[str]]]:
    """Each CSV record by its first line: its last line and its cells (a note may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    out, start = {}, 1
    for cells in reader:
        out[start] = (reader.line_num, cells)
        start = reader.line_num + 1
    return out


def _format_record(cells: list[str], sep: str, newline: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator=newline).writerow(cells)
    return buffer.getvalue().removesuffix(newline)


def _xlsx_bytes(data: bytes, where: str, before: tuple, after: pd.DataFrame) -> bytes:
    """The workbook with changed cells set and new rows added below the last one. A sheet with
    formulas is refused: openpyxl would save them without their computed values."""
    from openpyxl import load_workbook

    table, frame, lines = before
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    if formulas:
        raise InvoerFout(
            [
                Melding(
                    where,
                    f"dit bestand bevat formules ({', '.join(formulas[:3])}); vervang ze door getallen of vul het met de hand aan.",
                )
            ]
        )
    header_row = next(r for r in sheet.iter_rows() if any(c.value not in (None, "") for c in r))
    columns = {str(c.value).strip(): c.column for c in header_row if c.value not in (None, "")}
    next_row = sheet.max_row + 1
    for line, row in _changed_rows(table, frame, lines, after):
        target = line or next_row
        next_row += 0 if line else 1
        for column in table.columns:
            if column in columns and not is_missing(row[column]):
                _set_cell(sheet, target, columns[column], row[column])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _set_cell(sheet, row: int, column: int, value) -> None:
    """A value in its cell; a cell (or the one above it) formatted as % holds the fraction."""
    cell = sheet.cell(row, column)
    shape = cell.number_format if cell.value is not None else sheet.cell(max(row - 1, 1), column).number_format
    value = value.item() if hasattr(value, "item") else value
    if "%" in (shape or "") and isinstance(value, float):
        value, cell.number_format = round(value / 100, DIGITS + 2), shape
    cell.value = value


def _replace_all(contents: dict[Path, bytes]) -> None:
    """Write every file or none: all are staged first, then swapped in; a failure puts back the ones done."""
    import shutil

    staged = {path: path.with_name(f".{path.name}.inlezen") for path in contents}
    originals = {path: path.read_bytes() for path in contents}
    try:
        for path, data in contents.items():
            staged[path].write_bytes(data)
            shutil.copymode(path, staged[path])
        done = []
        with interrupt.held():
            try:
                for path in contents:
                    os.replace(staged[path], path)
                    done.append(path)
            except OSError:
                for path in done:
                    staged[path].write_bytes(originals[path])
                    os.replace(staged[path], path)
                raise
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
