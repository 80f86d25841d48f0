"""Writing the rows read from a workbook into data/<gemeente>/: every file or none; a CSV keeps
its encoding, separator, decimal mark and line endings, and every line that does not change
stays exactly as it was."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
from pathlib import Path

import pandas as pd

from jaarverslag import interrupt, paths
from jaarverslag.errors import InvoerFout, Melding, kort
from jaarverslag.formatting import is_missing
from jaarverslag.invoer.loading import _convert_cell
from jaarverslag.invoer.ruwecellen import UTF8_BOM, _separator
from jaarverslag.invoer.schema import DEFINITIEF, STATUS, Table, schema, table_path

DIGITS = 6  # decimals a figure from the workbook keeps


def _write(gemeente: str, tables, merged: dict, changed: set[str]) -> list[str]:
    """Every changed file, made in memory from exactly the bytes that were validated, then swapped in."""
    contents = _contents(gemeente, tables, merged, changed)
    _replace_all(contents)
    return [paths.relative(p) for p in contents]


def _contents(gemeente: str, tables, merged: dict, changed: set[str]) -> dict[Path, bytes]:
    """The new bytes of every changed table file, made from exactly the bytes that were validated."""
    contents = {}
    for name in sorted(changed):
        path = table_path(gemeente, name)
        data = _unchanged_since_reading(path, tables.sha256[paths.relative(path)])
        writer = _xlsx_bytes if path.suffix.lower() == ".xlsx" else _csv_bytes
        contents[path] = writer(
            data, paths.relative(path), (schema()[name], tables[name], tables.regels[name]), merged[name]
        )
    return contents


def _unchanged_since_reading(path: Path, digest: str) -> bytes:
    """The file's bytes; refused when it changed after it was read, or may not be written."""
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
    if is_missing(value) or (spec["type"] == "status" and value == DEFINITIEF):  # empty is definitief
        return ""
    if spec["type"] == "aantal":
        return str(int(value))
    if spec["type"] in ("percentage", "per_duizend"):
        text = f"{float(value):.{DIGITS}f}".rstrip("0").rstrip(".")  # never 1e-05
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def _csv_bytes(data: bytes, where: str, before: tuple, after: pd.DataFrame) -> bytes:
    """The file with changed records rewritten (unchanged cells keep their text) and new ones added."""
    table, frame, lines = before
    bom = data.startswith(UTF8_BOM)
    encoding = "utf-8" if bom or _is_utf8(data) else "cp1252"
    text = data.removeprefix(UTF8_BOM).decode(encoding)
    physical = io.StringIO(text, newline="").readlines()  # split as the csv module counts lines
    newline = "\r\n" if physical and physical[0].endswith("\r\n") else "\n"
    sep = _separator(text, where)
    records = _records(text, sep)  # first line -> (last line, cells)
    header = next(iter(records.values()))[1]
    if _status_nodig(table, after, [h.strip().lower() for h in header]):
        physical, header = _met_statuskolom(physical, records, sep), [*header, STATUS]
    additions: dict[int | None, list[str]] = {}  # after which record's first line (None: at the end)
    for line, row in _changed_rows(table, frame, lines, after):
        cells = records[line][1] if line else [""] * len(header)
        cells += [""] * (len(header) - len(cells))  # the status column, when it was just added
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
            additions.setdefault(_place(table, frame, lines, row), []).append(record + newline)
    if physical and not physical[-1].endswith(("\n", "\r")):
        physical[-1] += newline
    for first in sorted((k for k in additions if k is not None), reverse=True):  # from the end: lines stay put
        last = records[first][0]
        physical[last:last] = additions[first]
    out = "".join(physical + additions.get(None, []))
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


def _place(table: Table, frame: pd.DataFrame, lines: list[int], row: pd.Series) -> int | None:
    """Where a new row goes: after the last record of its group (its school year, or its category,
    whichever the file keeps together), so that a grouped table stays grouped; else at the end."""
    column = _grouped_by(table, frame, lines)
    if column is None:
        return None
    same = [line for value, line in zip(frame[column].astype(str), lines, strict=True) if value == str(row[column])]
    return max(same) if same else None


def _grouped_by(table: Table, frame: pd.DataFrame, lines: list[int]) -> str | None:
    """The key column whose rows stand together in the file (in the order of its lines): the
    school year first, then a category."""
    if len(table.key) < 2:
        return None
    for column in table.key:
        values = [v for _, v in sorted(zip(lines, frame[column].astype(str), strict=True))]
        runs = 1 + sum(a != b for a, b in zip(values, values[1:], strict=False))
        if values and runs == len(set(values)):
            return column
    return None


def _status_nodig(table: Table, after: pd.DataFrame, header: list[str]) -> bool:
    """A row that is not final, in a file without the column `status`: the column is added."""
    return STATUS not in header and STATUS in after and (after[STATUS].fillna(DEFINITIEF) != DEFINITIEF).any()


def _met_statuskolom(physical: list[str], records: dict, sep: str) -> list[str]:
    """Every record one empty cell longer (the header gets `status`): the last line of each record
    gets the separator before its line ending, so the rest of every line stays as it was."""
    out = list(physical)
    for number, (last, _) in records.items():
        line = out[last - 1]
        body = line.rstrip("\r\n")
        out[last - 1] = body + (sep + STATUS if number == 1 else sep) + line[len(body) :]
    return out


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _same_cell(value, text: str, spec: dict, sep: str) -> bool:
    """Whether a cell's text already holds the value (then the text stays as the analyst wrote it)."""
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
    from openpyxl import load_workbook  # start-up: openpyxl only here

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
    if _status_nodig(table, after, [c.lower() for c in columns]):
        columns[STATUS] = max(columns.values()) + 1
        sheet.cell(header_row[0].row, columns[STATUS], STATUS)
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
    """Write every file or none: all are staged first, then swapped in; a failure puts back the ones done
    (a file that was new is removed again)."""
    staged = {path: path.with_name(f".{path.name}.inlezen") for path in contents}
    originals = {path: path.read_bytes() if path.exists() else None for path in contents}  # None: a new file
    try:
        for path, data in contents.items():
            staged[path].write_bytes(data)
            if originals[path] is not None:
                shutil.copymode(path, staged[path])
        done = []
        with interrupt.held():
            try:
                for path in contents:
                    os.replace(staged[path], path)
                    done.append(path)
            except OSError:
                for path in done:
                    if originals[path] is None:
                        path.unlink()
                        continue
                    staged[path].write_bytes(originals[path])
                    os.replace(staged[path], path)
                raise
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
