"""Load the input tables of one gemeente into typed pandas DataFrames.

Accepts what analysts really export: CSV separated by ',' or ';', UTF-8 (with or
without BOM) or Windows-1252, Dutch number style in ';' files ('15.249', '2,35'),
percent signs, and .xlsx workbooks. What cannot be read unambiguously is an error.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .errors import InvoerFout, Melding
from .schema import CellError, Table, parse_schooljaar, schema, table_path

PERSON_COLUMN = re.compile(
    r"bsn|burgerservice|sofinummer|^naam$|voornaam|achternaam|roepnaam|geboorte|geb_?datum|"
    r"^adres$|straat|huisnummer|leerlingnummer",
    re.IGNORECASE,
)
NINE_DIGITS = re.compile(r"^\d{9}$")
DUTCH_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
PRIVACY = (
    "dit lijkt op gegevens over personen ({wat}). Het jaarverslag gebruikt alleen "
    "geaggregeerde aantallen; persoonsgegevens horen niet in data/ (AVG). "
    "Verwijder ze uit het bestand."
)


# --- reading raw cells -------------------------------------------------------------


@dataclass
class RawTable:
    """Cells as read from the file: header, rows of str/number/None, and number style."""

    header: list[str]
    rows: list[list]
    decimal_comma: bool


def _decode(data: bytes, where: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InvoerFout([Melding(where, "de tekenset is niet te herkennen (geen UTF-8 of Windows-1252).")]) from exc


def _read_csv(path: Path, where: str) -> RawTable:
    text = _decode(path.read_bytes(), where)
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise InvoerFout([Melding(where, "het bestand is leeg; verwacht een kopregel met kolomnamen.")])
    semicolons, commas = first.count(";"), first.count(",")
    if semicolons and commas:
        raise InvoerFout(
            [Melding(where, "de kopregel bevat zowel ';' als ','; het scheidingsteken is niet eenduidig.", rij=1)]
        )
    sep = ";" if semicolons else ","
    lines = list(csv.reader(io.StringIO(text), delimiter=sep))
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    return RawTable(lines[0], lines[1:], decimal_comma=(sep == ";"))


def _read_xlsx(path: Path, where: str) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvoerFout([Melding(where, f"het Excel-bestand is niet te lezen ({exc.__class__.__name__}).")]) from exc
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            value = cell.value
            if isinstance(value, (int, float)) and "%" in (cell.number_format or ""):
                value = value * 100  # a cell formatted as percentage stores a fraction
            values.append(value)
        if any(v is not None and str(v).strip() for v in values):
            rows.append(values)
    book.close()
    if not rows:
        raise InvoerFout([Melding(where, "het bestand is leeg; verwacht een kopregel met kolomnamen.")])
    header = ["" if v is None else str(v) for v in rows[0]]
    while header and not header[-1].strip():
        header.pop()
    return RawTable(header, [r[: len(header)] for r in rows[1:]], decimal_comma=True)


def read_raw(path: Path) -> RawTable:
    where = paths.relative(path)
    if not path.exists():
        raise InvoerFout([Melding(where, "het bestand bestaat niet.")])
    if path.stat().st_size == 0:
        raise InvoerFout([Melding(where, "het bestand is leeg; verwacht een kopregel met kolomnamen.")])
    return _read_xlsx(path, where) if path.suffix.lower() == ".xlsx" else _read_csv(path, where)


# --- converting cells ----------------------------------------------------------------


def parse_number(value, decimal_comma: bool) -> float | None:
    """Parse one cell as a number, in the number style of its file."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"'{value}' is geen getal.")
    if isinstance(value, (int, float)):
        return None if pd.isna(value) else float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text in ("", "-", "–"):
        return None
    text = text.removesuffix("%")
    if decimal_comma:
        if not DUTCH_NUMBER.match(text):
            hint = " Gebruik een decimale komma." if PLAIN_NUMBER.match(text) else ""
            raise CellError(f"'{value}' is geen eenduidig getal in Nederlandse notatie.{hint}")
        return float(text.replace(".", "").replace(",", "."))
    if not PLAIN_NUMBER.match(text):
        raise CellError(f"'{value}' is geen getal (verwacht bijvoorbeeld 15249 of 2.35).")
    return float(text)


def _convert_cell(value, spec: dict, decimal_comma: bool):
    kind = spec["type"]
    if kind == "schooljaar":
        return parse_schooljaar(value)
    if kind == "tekst":
        text = "" if value is None else str(value).strip()
        return text or None
    if kind == "categorie":
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text.lower() not in [str(w).lower() for w in spec["waarden"]]:
            raise CellError(f"'{text}' is geen toegestane waarde; kies uit {', '.join(map(str, spec['waarden']))}.")
        return text.lower()
    number = parse_number(value, decimal_comma)
    if number is None:
        return None
    if kind == "aantal":
        if number < 0:
            raise CellError(f"een aantal kan niet negatief zijn ({value}).")
        if not float(number).is_integer():
            raise CellError(f"een aantal moet een geheel getal zijn ({value}).")
        return int(number)
    if not 0 <= number <= 100:
        raise CellError(f"een percentage moet tussen 0 en 100 liggen ({value}).")
    return number


DTYPES = {"schooljaar": "string", "tekst": "string", "categorie": "string", "aantal": "Int64", "percentage": "Float64"}


def _looks_like_bsn(value) -> bool:
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not NINE_DIGITS.match(text):
        return False
    digits = [int(d) for d in text]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def _check_privacy(raw: RawTable, where: str) -> list[Melding]:
    found = [Melding(where, PRIVACY.format(wat="kolomnaam"), kolom=h) for h in raw.header if PERSON_COLUMN.search(h)]
    for i, row in enumerate(raw.rows, start=2):
        for header, value in zip(raw.header, row, strict=False):
            if value is not None and _looks_like_bsn(value):
                found.append(Melding(where, PRIVACY.format(wat="een burgerservicenummer"), kolom=header, rij=i))
    return found


def _check_header(raw: RawTable, table: Table, where: str) -> list[Melding]:
    header = [h.strip().lower() for h in raw.header]
    problems = [
        Melding(where, "deze kolom ontbreekt (zie data/schema.yaml).", kolom=c, rij=1)
        for c in table.columns
        if c not in header
    ]
    problems += [
        Melding(where, "onbekende kolom; toegestaan zijn: " + ", ".join(table.columns) + ".", kolom=h, rij=1)
        for h in header
        if h not in table.columns
    ]
    problems += [
        Melding(where, "deze kolom staat er meer dan eens in.", kolom=h, rij=1)
        for h in sorted({h for h in header if header.count(h) > 1})
    ]
    return problems


def _convert_rows(raw: RawTable, table: Table, where: str) -> tuple[pd.DataFrame, list[Melding]]:
    header = [h.strip().lower() for h in raw.header]
    problems: list[Melding] = []
    records = []
    for line, row in enumerate(raw.rows, start=2):
        cells = dict(zip(header, list(row) + [None] * (len(header) - len(row)), strict=False))
        record = {}
        for column, spec in table.columns.items():
            try:
                record[column] = _convert_cell(cells.get(column), spec, raw.decimal_comma)
            except CellError as exc:
                problems.append(Melding(where, str(exc), kolom=column, rij=line))
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(table.columns))
    frame = frame.astype({c: DTYPES[s["type"]] for c, s in table.columns.items()})
    return frame, problems


def _check_duplicates(frame: pd.DataFrame, table: Table, where: str) -> list[Melding]:
    duplicated = frame.duplicated(subset=table.key, keep="first")
    return [
        Melding(
            where,
            "deze combinatie van "
            + " en ".join(table.key)
            + " staat er al eerder in ("
            + ", ".join(str(frame.at[i, k]) for k in table.key)
            + ").",
            kolom=table.key[0],
            rij=int(i) + 2,
        )
        for i in frame.index[duplicated]
    ]


def load_table(path: Path, table: Table) -> pd.DataFrame:
    """Read one input file and return it typed according to the schema."""
    where = paths.relative(path)
    raw = read_raw(path)
    problems = _check_privacy(raw, where) or _check_header(raw, table, where)
    if problems:
        raise InvoerFout(problems)
    frame, problems = _convert_rows(raw, table, where)
    problems += [] if problems else _check_duplicates(frame, table, where)
    if problems:
        raise InvoerFout(problems)
    return _sorted(frame, table)


def _sorted(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Sort by school year, then by the order of the categories in the schema."""

    def order(column: pd.Series) -> pd.Series:
        spec = table.columns[column.name]
        return column.map(spec["waarden"].index) if spec["type"] == "categorie" else column

    return frame.sort_values(table.key, key=order, kind="stable").reset_index(drop=True)


def load_tables(gemeente: str) -> dict[str, pd.DataFrame]:
    """Load every table of a gemeente; all problems of all files are reported together."""
    folder = paths.DATA / gemeente
    if not folder.is_dir():
        raise InvoerFout([Melding(paths.relative(folder), f"er is geen datamap voor gemeente '{gemeente}'.")])
    tables, problems = {}, []
    for name, table in schema().items():
        try:
            tables[name] = load_table(table_path(gemeente, name), table)
        except InvoerFout as exc:
            problems += exc.meldingen
    if problems:
        raise InvoerFout(problems)
    return tables
