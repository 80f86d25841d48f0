"""Load the input tables of one gemeente into typed pandas DataFrames.

Accepts what analysts really export: CSV separated by ',' or ';', UTF-8 (with or
without BOM) or Windows-1252, Dutch number style in ';' files ('15.249', '2,35'),
percent signs, and .xlsx workbooks. What cannot be read unambiguously is an error:
another encoding (UTF-16, UTF-32) or a binary file, a row wider or narrower than the header,
a cell right of the header in a workbook, a file too large to be an input table.
Rows are named by the line (or sheet row) a person sees, the header being line 1.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jaarverslag import paths
from jaarverslag.errors import InvoerFout, Melding, kort
from jaarverslag.formatting import getal
from jaarverslag.invoer.privacy import find_person_data, is_bsn
from jaarverslag.invoer.schema import CellError, Table, parse_schooljaar, schema, table_path

MAX_BYTES = 5 * 1024 * 1024  # an input table is a few kilobytes; anything this big is the wrong file
MAX_UNPACKED = 4 * MAX_BYTES  # what an .xlsx may unpack to: a zip bomb is refused unread
MAX_COLUMNS = 100  # the widest table has 10 columns
MAX_ROWS = 1000  # one row per school year (and category): decades of data fit easily
MAX_NUMBER = 10**9  # no count of pupils or reports comes near; beyond 2**63 a column cannot even hold it

PERSON_COLUMN = re.compile(
    r"bsn|burgerservice|sofinummer|^naam$|voornaam|achternaam|roepnaam|geboorte|geb_?datum|"
    r"^adres$|straat|huisnummer|leerlingnummer",
    re.IGNORECASE,
)
# Digits are ASCII only: str.isdigit, float() and a Unicode \d also take Arabic '١٤٣' or fullwidth '１４３'.
DUTCH_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
PLAIN_COUNT = re.compile(r"-?[0-9]+")
GROUPED = re.compile(r"-?[0-9]{1,3}(?:(?P<sep>[.'\u2019 \u00a0\u202f])[0-9]{3})(?:(?P=sep)[0-9]{3})*")
SEPARATOR_NAMES = {".": "punt", "'": "apostrof", "\u2019": "apostrof"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NONSPACE = re.compile(r"\S")
LINE_BREAK = re.compile(r"\r\n?|\n")
UTF8_BOM = b"\xef\xbb\xbf"
PRIVACY = (
    "dit lijkt op gegevens over personen ({wat}). Het jaarverslag gebruikt alleen "
    "geaggregeerde aantallen; persoonsgegevens horen niet in data/ (AVG). "
    "Verwijder ze uit het bestand."
)
SAVE_AS_CSV = "Sla het in Excel op met Opslaan als > 'CSV UTF-8 (door komma's gescheiden)'."
EMPTY = "het bestand is leeg; verwacht een kopregel met kolomnamen."
UNICODE = "het bestand is opgeslagen als {wat}; dat leest het jaarverslag niet. " + SAVE_AS_CSV
UTF16 = UNICODE.format(wat="UTF-16 ('Unicode-tekst')")
UTF32 = UNICODE.format(wat="UTF-32")
SIGNATURES = {
    b"PK\x03\x04": "een zip-bestand (misschien een Excel-werkmap met de extensie .csv)",
    b"%PDF": "een PDF",
    b"\xd0\xcf\x11\xe0": "een oud Office-bestand (.xls of .doc)",
    b"\x1f\x8b": "een gzip-bestand",
}
WIDER = (
    "deze rij heeft {n} cellen, de kopregel {width}. Een '{sep}' als duizendtalscheiding (14{sep}339) of "
    "in een tekst zonder aanhalingstekens verschuift de cellen: schrijf getallen zonder scheiding "
    "(14339) en zet tekst met een '{sep}' tussen aanhalingstekens."
)
NARROWER = (
    "deze rij heeft {n} cellen, de kopregel {width}. Vul de rij aan tot {width} cellen (een cel mag leeg "
    "zijn): ontbreekt er een cel in het midden, dan staan de cijfers erna in de verkeerde kolom."
)
OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a digit of another script: Arabic '١', fullwidth '１'
UNCOMPUTED = (
    "deze cel (werkblad '{sheet}') bevat een formule zonder berekende waarde; open en sla het bestand op "
    "in Excel, of typ de waarde."
)
PERCENT_FORMAT = (
    "deze cel heeft in Excel procentopmaak ({value}), maar de kolom is een aantal. Excel bewaart een "
    "procent als breuk: welk aantal bedoeld is, is niet zeker. Geef de cel de opmaak Getal of Standaard "
    "en controleer het aantal."
)
BEYOND = (
    "deze cel staat rechts van de laatste kolom van de kopregel ('{last}') en zou wegvallen. "
    "Zet de waarde in de goede kolom of verwijder hem."
)


# --- reading raw cells -------------------------------------------------------------


@dataclass
class RawTable:
    """Cells as read from the file: header, rows of str/number/None, and number style.

    `lines` holds the line (CSV) or sheet row (xlsx) of each row as a person sees it;
    `fixed_width` says every row must have exactly as many cells as the header (CSV).
    """

    header: list[str]
    rows: list[list]
    decimal_comma: bool
    lines: list[int]
    header_line: int = 1
    fixed_width: bool = True
    sha256: str = ""


def _refuse(where: str, tekst: str, **plaats) -> InvoerFout:
    return InvoerFout([Melding(where, tekst, **plaats)])


def _binary_kind(data: bytes) -> str | None:
    """What a file that is not text is, judged by its first bytes; None for text."""
    for signature, what in SIGNATURES.items():
        if data.startswith(signature):
            return f"dit is geen CSV-bestand maar {what}. " + SAVE_AS_CSV
    head = data[:4096]
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # a UTF-32 BOM; checked before UTF-16's
        return UTF32
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return UTF16
    quarter = len(head) // 4
    nuls = sorted(head[i::4].count(0) for i in range(4))
    if quarter and nuls[0] <= quarter // 10 and nuls[1] > quarter * 9 // 10:  # three of every four bytes NUL
        return UTF32
    nuls = sorted((head[0::2].count(0), head[1::2].count(0)))
    if nuls[1] > len(head) // 4 and nuls[0] < len(head) // 40:  # every other byte NUL: UTF-16 without BOM
        return UTF16
    if nuls[1]:
        return "het bestand bevat binaire gegevens (NUL-tekens) en is geen tekst. " + SAVE_AS_CSV
    return None


def _text_of(data: bytes) -> str | None:
    """UTF-8 (a BOM says so for sure), else Windows-1252; None when neither fits."""
    for encoding in ("utf-8",) if data.startswith(UTF8_BOM) else ("utf-8", "cp1252"):
        try:
            return data.removeprefix(UTF8_BOM).decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _decode(data: bytes, where: str) -> str:
    kind = _binary_kind(data)
    if kind:
        raise _refuse(where, kind)
    text = _text_of(data)
    if text is None:
        raise _refuse(where, "de tekenset is niet te herkennen (geen UTF-8 of Windows-1252). " + SAVE_AS_CSV)
    if CONTROL.search(text):
        raise _refuse(where, "het bestand bevat stuurtekens die niet in tekst horen. " + SAVE_AS_CSV)
    return text


def _first_line(text: str, where: str) -> tuple[int, str]:
    """The first line that is not blank, and its number."""
    nonblank = NONSPACE.search(text)
    if not nonblank:
        raise _refuse(where, EMPTY)
    before = text[: nonblank.start()]
    begin = max(before.rfind("\n"), before.rfind("\r")) + 1
    end = LINE_BREAK.search(text, nonblank.start())
    return len(LINE_BREAK.findall(before)) + 1, text[begin : end.start() if end else len(text)]


def _separator(text: str, where: str) -> str:
    line, first = _first_line(text, where)
    semicolons, commas = first.count(";"), first.count(",")
    if semicolons and commas:
        raise _refuse(where, "de kopregel bevat zowel ';' als ','; het scheidingsteken is niet eenduidig.", rij=line)
    if not semicolons and not commas and "\t" in first:
        raise _refuse(where, "de kolommen zijn gescheiden door tabs; verwacht ',' of ';'. " + SAVE_AS_CSV, rij=line)
    return ";" if semicolons else ","


def _csv_records(text: str, sep: str, where: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for every record; blank lines count as lines."""
    # strict: a quote left open swallows the rest of the file into one cell; refuse it instead
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _refuse(
            where,
            "deze regel is niet te lezen als CSV: een aanhalingsteken sluit niet af, er staat tekst direct na "
            "een afsluitend aanhalingsteken, of een cel is te lang.",
            rij=start,
        ) from exc


def _filled(value) -> bool:
    return value is not None and bool(str(value).strip())


def _collect(records: Iterable[tuple[int, list]], where: str, decimal_comma: bool, fixed_width: bool) -> RawTable:
    """Header and rows from the non-blank records, at most MAX_ROWS rows."""
    header, header_line, rows, lines = None, 1, [], []
    for line, cells in records:
        if not any(_filled(c) for c in cells):
            continue
        if header is None:
            formula = next((i for i, c in enumerate(cells) if isinstance(c, UncomputedFormula)), None)
            if formula is not None:  # a column name that is not there: refuse it as such, not as a wrong header
                from openpyxl.utils import get_column_letter

                sheet = kort(cells[formula].sheet)
                raise _refuse(where, UNCOMPUTED.format(sheet=sheet), kolom=get_column_letter(formula + 1), rij=line)
            header, header_line = ["" if c is None else str(c) for c in cells], line
        elif len(rows) == MAX_ROWS:
            raise _refuse(
                where,
                f"het bestand heeft meer dan {getal(MAX_ROWS)} rijen; een invoertabel heeft één rij per "
                "schooljaar (en categorie). Is dit het goede bestand?",
                rij=line,
            )
        else:
            rows.append(cells)
            lines.append(line)
    if header is None:
        raise _refuse(where, EMPTY)
    while not fixed_width and header and not header[-1].strip():
        header.pop()
    return RawTable(header, rows, decimal_comma, lines, header_line, fixed_width)


def _read_csv(data: bytes, where: str) -> RawTable:
    text = _decode(data, where)
    sep = _separator(text, where)
    return _collect(_csv_records(text, sep, where), where, decimal_comma=(sep == ";"), fixed_width=True)


class PercentCell(float):
    """A number from an Excel cell formatted as percentage: the fraction Excel stores (0.044 for 4.4%).

    Only the conversion knows the column: a percentage is this times 100, a count is refused.
    """

    def __repr__(self) -> str:
        return f"{float(self) * 100:.10g}%"

    __str__ = __repr__


class UncomputedFormula(str):
    """A formula cell without a computed value (a workbook written by a script, never opened in
    Excel): read as it is, it would be empty (published as unknown) or a dummy 0."""

    sheet: str

    def __new__(cls, formula: str, sheet: str):
        self = super().__new__(cls, formula)
        self.sheet = sheet
        return self


def _cell_value(cell, uncomputed: set[tuple[int, int]], sheet: str, row: int, column: int):
    value = cell.value
    if (row, column) in uncomputed:
        return UncomputedFormula("=", sheet)
    percent = "%" in (getattr(cell, "number_format", None) or "")
    return PercentCell(value) if percent and isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _sheet_records(sheet, uncomputed: set[tuple[int, int]]) -> Iterator[tuple[int, list]]:
    sheet.reset_dimensions()  # the stored dimension may be too small: read every cell there is
    for number, row in enumerate(sheet.iter_rows(), start=1):
        yield number, [_cell_value(cell, uncomputed, sheet.title, number, i) for i, cell in enumerate(row, start=1)]


SPREADSHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _uncomputed_formulas(book, sheet) -> set[tuple[int, int]]:
    """(row, column) of every formula cell of `sheet` whose stored value no spreadsheet program computed.

    Excel stores the result of each formula next to it. A script stores none (openpyxl writes an
    empty <v/>, read as None) or a dummy 0 (XlsxWriter), and then asks for a full recalculation when
    the workbook is opened (fullCalcOnLoad), which Excel drops when it saves what it calculated.
    An empty <v> marked t="str" is what Excel writes for a formula whose result is the empty text.
    """
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.functions import iterparse

    recalculate = _recalculate_on_load(book._archive)
    found, row, column = set(), 0, 0
    with book._archive.open(sheet._worksheet_path) as source:  # the sheet's XML part, read as openpyxl does
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start" and element.tag == SPREADSHEET + "row":
                row, column = int(element.get("r") or row + 1), 0
            elif event == "end" and element.tag == SPREADSHEET + "c":
                where = element.get("r")
                row, column = coordinate_to_tuple(where) if where else (row, column + 1)
                if element.find(SPREADSHEET + "f") is not None:
                    stored = element.find(SPREADSHEET + "v")
                    empty = stored is None or (not stored.text and element.get("t") != "str")
                    if recalculate or empty:
                        found.add((row, column))
                element.clear()
    return found


def _recalculate_on_load(archive: zipfile.ZipFile) -> bool:
    """Whether the workbook asks to recalculate every formula when opened (<calcPr fullCalcOnLoad="1">).

    Read from the XML: openpyxl's own reading takes a missing attribute as true, the standard as false.
    """
    from openpyxl.xml.functions import fromstring

    relations = fromstring(archive.read("_rels/.rels"))
    targets = [r.get("Target", "") for r in relations if r.get("Type", "").endswith("/officeDocument")]
    if not targets:
        return False
    workbook = fromstring(archive.read(targets[0].lstrip("/")))
    calculation = workbook.find(SPREADSHEET + "calcPr")
    return calculation is not None and calculation.get("fullCalcOnLoad") in ("1", "true")


def _check_unpacked_size(data: bytes, where: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(
            where, "dit is geen Excel-werkmap (.xlsx). Sla het in Excel op als Excel-werkmap of als CSV UTF-8."
        ) from exc
    if unpacked > MAX_UNPACKED:
        raise _refuse(
            where, f"de Excel-werkmap pakt uit tot meer dan {MAX_UNPACKED // 2**20} MB; dat is geen invoertabel."
        )


def _read_xlsx(data: bytes, where: str) -> RawTable:
    from openpyxl import load_workbook

    _check_unpacked_size(data, where)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            records = _sheet_records(sheet, _uncomputed_formulas(book, sheet))
            return _collect(records, where, decimal_comma=True, fixed_width=False)
        finally:
            book.close()
    except InvoerFout:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _refuse(where, "het Excel-bestand is niet te lezen (het is beschadigd of geen .xlsx).") from exc


def read_raw(path: Path) -> RawTable:
    where = paths.relative(path)
    if not path.exists() and not path.is_symlink():
        raise _refuse(where, "het bestand bestaat niet.")
    why = paths.not_a_plain_file(path)
    if why:
        raise _refuse(where, why)
    size = path.stat().st_size
    if size == 0:
        raise _refuse(where, EMPTY)
    if size > MAX_BYTES:
        raise _refuse(
            where,
            f"het bestand is {getal(size / 2**20, 1)} MB; een invoertabel mag hoogstens {MAX_BYTES // 2**20} MB "
            "zijn (één rij per schooljaar). Is dit het goede bestand?",
        )
    data = path.read_bytes()
    raw = _read_xlsx(data, where) if path.suffix.lower() == ".xlsx" else _read_csv(data, where)
    raw.sha256 = hashlib.sha256(data).hexdigest()  # of exactly the bytes that were parsed
    return raw


# --- converting cells ----------------------------------------------------------------


def parse_number(value, decimal_comma: bool, kind: str) -> float | None:
    """Parse one cell as a number of `kind` ('aantal' or 'percentage'), in the number style of its file.

    Only a percentage may carry a '%' (or come from an Excel cell formatted as percentage). In a
    file with ',' as separator the '.' is a decimal point, so a count is digits only: '1.000'
    there is not a thousand, and not 1 either.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"'{value}' is geen getal.")
    if isinstance(value, PercentCell):
        if kind != "percentage":
            raise CellError(PERCENT_FORMAT.format(value=kort(value)))
        number = round(float(value) * 100, 10)  # the cell stores a fraction; round off the float noise of *100
    elif isinstance(value, (int, float)):
        number = None if pd.isna(value) else float(value)
    else:
        number = _parse_text(str(value), decimal_comma, kind)
    if number is not None and abs(number) > MAX_NUMBER:
        raise CellError(f"'{kort(value)}' is te groot voor een cijfer in het jaarverslag.")
    return number


def _parse_text(value: str, decimal_comma: bool, kind: str) -> float | None:
    text = value.strip()  # every kind of white space, the non-breaking space too
    if text in ("", "-", "–"):
        return None
    if text.endswith("%"):
        if kind != "percentage":
            raise CellError(f"'{kort(value)}' is geen aantal: een procentteken hoort alleen bij een percentage.")
        text = text.removesuffix("%").rstrip()
    if decimal_comma:
        if not DUTCH_NUMBER.fullmatch(text):
            hint = " Gebruik een decimale komma." if PLAIN_NUMBER.fullmatch(text) else ""
            raise CellError(f"'{kort(value)}' is geen eenduidig getal in Nederlandse notatie.{hint}")
        return float(re.sub(r"[. \u00a0\u202f]", "", text).replace(",", "."))
    if kind == "aantal" and not PLAIN_COUNT.fullmatch(text):
        raise CellError(_count_hint(value, text))
    if not PLAIN_NUMBER.fullmatch(text):
        raise CellError(f"'{kort(value)}' is geen getal (verwacht bijvoorbeeld 15249 of 2.35).")
    return float(text)


def _count_hint(value: str, text: str) -> str:
    """Why a count in a file with ',' as separator is not digits only, and what to write instead."""
    grouped = GROUPED.fullmatch(text)
    if grouped:
        sep = grouped["sep"]
        digits = re.sub(r"[^0-9-]", "", text)
        hint = f"schrijf {digits} zonder {SEPARATOR_NAMES.get(sep, 'spatie')}"
        if sep == ".":
            hint += "; in een bestand met ',' als scheidingsteken is de punt een decimaalteken"
        return f"'{kort(value)}' is geen eenduidig aantal: {hint}."
    if PLAIN_NUMBER.fullmatch(text):
        return (
            f"'{kort(value)}' is geen aantal: een aantal is een geheel getal van alleen cijfers, zonder punt "
            "(in een bestand met ',' als scheidingsteken is de punt een decimaalteken)."
        )
    return f"'{kort(value)}' is geen aantal (verwacht alleen cijfers, bijvoorbeeld 15249)."


def _convert_cell(value, spec: dict, decimal_comma: bool):
    kind = spec["type"]
    if isinstance(value, UncomputedFormula):
        raise CellError(UNCOMPUTED.format(sheet=kort(value.sheet)))
    if kind == "tekst":
        text = "" if value is None else str(value).strip()
        return text or None
    if isinstance(value, str) and OTHER_DIGIT.search(value):
        raise CellError(f"'{kort(value)}' bevat cijfers uit een ander schrift; typ de cijfers 0-9.")
    if kind == "schooljaar":
        return parse_schooljaar(value)
    if kind == "categorie":
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and not isinstance(value, PercentCell) and value.is_integer():
            text = str(int(value))
        if text.lower() not in [str(w).lower() for w in spec["waarden"]]:
            raise CellError(
                f"'{kort(text)}' is geen toegestane waarde; kies uit {', '.join(map(str, spec['waarden']))}."
            )
        return text.lower()
    number = parse_number(value, decimal_comma, kind)
    if number is None:
        return None
    if kind == "aantal":
        if number < 0:
            raise CellError(f"een aantal kan niet negatief zijn ({kort(value)}).")
        if not float(number).is_integer():
            raise CellError(f"een aantal moet een geheel getal zijn ({kort(value)}).")
        return int(number)
    upper, what = RANGES[kind]
    if not 0 <= number <= upper:
        raise CellError(f"{what} moet tussen 0 en {getal(upper)} liggen ({kort(value)}).")
    return number


RANGES = {"percentage": (100, "een percentage"), "per_duizend": (1000, "een cijfer per 1.000")}
DTYPES = {
    "schooljaar": "string",
    "tekst": "string",
    "categorie": "string",
    "aantal": "Int64",
    "percentage": "Float64",
    "per_duizend": "Float64",
}


def _looks_like_bsn(value) -> bool:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return is_bsn(str(value))


def _normalised(header: list[str]) -> list[str]:
    return [h.strip().lower() for h in header]


def _schooljaar_of(row: list, header: list[str]) -> str | None:
    try:
        return parse_schooljaar(row[header.index("schooljaar")])
    except (ValueError, IndexError):  # CellError is a ValueError; the header check reports a missing column
        return None


def _check_privacy(raw: RawTable, table: Table, where: str) -> list[Melding]:
    """Person-level data: a telling column name, a BSN in any cell, or a birth date or BSN in a text."""
    header = _normalised(raw.header)
    texts = {i for i, h in enumerate(header) if table.columns.get(h, {}).get("type") == "tekst"}
    found = [
        Melding(where, PRIVACY.format(wat="kolomnaam"), kolom=h, rij=raw.header_line)
        for h in raw.header
        if PERSON_COLUMN.search(h)
    ]
    for line, row in zip(raw.lines, raw.rows, strict=True):
        for i, value in enumerate(row):
            if value is None:
                continue
            what = "een burgerservicenummer" if _looks_like_bsn(value) else None
            if i in texts and what is None:
                what = find_person_data(str(value), _schooljaar_of(row, header))
            if what:
                kolom = raw.header[i] if i < len(raw.header) else None
                found.append(Melding(where, PRIVACY.format(wat=what), kolom=kolom, rij=line))
    return found


def _check_header(raw: RawTable, table: Table, where: str) -> list[Melding]:
    header = _normalised(raw.header)
    at = raw.header_line
    if len(header) > MAX_COLUMNS:
        return [
            Melding(
                where,
                f"de kopregel heeft {getal(len(header))} kolommen; een invoertabel heeft er hoogstens "
                f"{MAX_COLUMNS} (zie data/schema.yaml). Is dit het goede bestand?",
                rij=at,
            )
        ]
    problems = [
        Melding(where, "deze kolom ontbreekt (zie data/schema.yaml).", kolom=c, rij=at)
        for c in table.columns
        if c not in header
    ]
    problems += [
        Melding(where, "onbekende kolom; toegestaan zijn: " + ", ".join(table.columns) + ".", kolom=h, rij=at)
        for h in header
        if h not in table.columns
    ]
    counts = Counter(header)  # not header.count(h) per column: a header of 100.000 cells is quadratic
    problems += [
        Melding(where, "deze kolom staat er meer dan eens in.", kolom=h, rij=at)
        for h in sorted(h for h, n in counts.items() if n > 1)
    ]
    return problems


def _check_width(raw: RawTable, where: str) -> list[Melding]:
    """Every row as wide as the header (CSV), or nothing right of the header (xlsx)."""
    from openpyxl.utils import get_column_letter

    width, sep = len(raw.header), ";" if raw.decimal_comma else ","
    problems = []
    for line, row in zip(raw.lines, raw.rows, strict=True):
        if raw.fixed_width and len(row) != width:
            text = WIDER if len(row) > width else NARROWER
            problems.append(Melding(where, text.format(n=len(row), width=width, sep=sep), rij=line))
        elif not raw.fixed_width:
            beyond = next((i for i in range(width, len(row)) if _filled(row[i])), None)
            if beyond is not None:
                last = kort(raw.header[-1] if raw.header else "")
                problems.append(Melding(where, BEYOND.format(last=last), kolom=get_column_letter(beyond + 1), rij=line))
    return problems


def _convert_rows(raw: RawTable, table: Table, where: str) -> tuple[pd.DataFrame, list[Melding]]:
    header = _normalised(raw.header)
    problems: list[Melding] = []
    records = []
    for line, row in zip(raw.lines, raw.rows, strict=True):
        cells = dict(zip(header, row, strict=False))
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


def _check_duplicates(frame: pd.DataFrame, table: Table, where: str, lines: list[int]) -> list[Melding]:
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
            rij=lines[i],
        )
        for i in frame.index[duplicated]
    ]


CHANGED = (
    "dit bestand is gewijzigd nadat de build het controleerde (sha256 {nu}… in plaats van {was}…). "
    "Het verslag is niet gemaakt; start de build opnieuw als het bestand klaar is."
)


def load_table(path: Path, table: Table, verwacht: str | None = None) -> pd.DataFrame:
    """Read one input file and return it typed according to the schema.

    With `verwacht` (a sha256), the file must still be exactly the bytes that were validated.
    """
    return _load_table(path, table, verwacht)[0]


def _load_table(path: Path, table: Table, verwacht: str | None) -> tuple[pd.DataFrame, str, list[int]]:
    """The typed frame, the sha256 of the bytes read, and each frame row's line in the file."""
    where = paths.relative(path)
    raw = read_raw(path)
    if verwacht is not None and raw.sha256 != verwacht:
        raise _refuse(where, CHANGED.format(nu=raw.sha256[:12], was=verwacht[:12]))
    problems = _check_privacy(raw, table, where) or _check_header(raw, table, where)
    problems += _check_width(raw, where) if len(raw.header) <= MAX_COLUMNS else []
    if problems:
        raise InvoerFout(problems)
    frame, problems = _convert_rows(raw, table, where)
    problems += [] if problems else _check_duplicates(frame, table, where, raw.lines)
    if problems:
        raise InvoerFout(problems)
    order = _sort_order(frame, table)
    return frame.loc[order].reset_index(drop=True), raw.sha256, [raw.lines[i] for i in order]


def _sort_order(frame: pd.DataFrame, table: Table) -> list[int]:
    """Row positions sorted by school year, then by the order of the categories in the schema."""

    def order(column: pd.Series) -> pd.Series:
        spec = table.columns[column.name]
        return column.map(spec["waarden"].index) if spec["type"] == "categorie" else column

    return frame.sort_values(table.key, key=order, kind="stable").index.tolist()


class Tabellen(dict):
    """The tables of a gemeente by name, with where each came from: the sha256 of the bytes
    it was read from, and for each of its rows the line in the file (the header is line 1)."""

    def __init__(self, tables: dict[str, pd.DataFrame], sha256: dict[str, str], regels: dict[str, list[int]]):
        super().__init__(tables)
        self.sha256 = sha256  # relative path -> sha256
        self.regels = regels  # table name -> line of each row, in frame order


def load_tables(
    gemeente: str, verwacht: dict[str, str] | None = None, tabellen: tuple[str, ...] | None = None
) -> Tabellen:
    """Load every table the gemeente's report uses (its report definition); all problems of all
    files are reported together.

    With `verwacht` ({relative path: sha256}, as the build validated them), every file must
    still hold exactly those bytes: what a report shows is what was validated. A region's
    report names the `tabellen` its own definition uses.
    """
    folder = paths.DATA / gemeente
    if not folder.is_dir():
        raise InvoerFout([Melding(paths.relative(folder), f"er is geen datamap voor gemeente '{gemeente}'.")])
    from jaarverslag.invoer.definitie import verslag

    tables, digests, lines, problems = {}, {}, {}, []
    for name in verslag(gemeente).tabellen if tabellen is None else tabellen:
        table = schema()[name]
        path = table_path(gemeente, name)
        where = paths.relative(path)
        try:
            expected = None if verwacht is None else verwacht.get(where, "")
            tables[name], digests[where], lines[name] = _load_table(path, table, expected)
        except InvoerFout as exc:
            problems += exc.meldingen
    if problems:
        raise InvoerFout(problems)
    return Tabellen(tables, digests, lines)
