"""Reading an input file as raw cells: CSV (any separator, encoding and line ending a
spreadsheet writes) or xlsx (values, not formulas), bounded in size, every failure a Dutch message
that names the file, the row and the column."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jaarverslag import paths
from jaarverslag.errors import InvoerFout, Melding, kort
from jaarverslag.formatting import getal

MAX_BYTES = 5 * 1024 * 1024  # an input table is a few kilobytes; anything this big is the wrong file
MAX_UNPACKED = 4 * MAX_BYTES  # what an .xlsx may unpack to: a zip bomb is refused unread
MAX_ROWS = 1000  # one row per school year (and category): decades of data fit easily
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NONSPACE = re.compile(r"\S")
LINE_BREAK = re.compile(r"\r\n?|\n")
UTF8_BOM = b"\xef\xbb\xbf"
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
UNCOMPUTED = (
    "deze cel (werkblad '{sheet}') bevat een formule zonder berekende waarde; open en sla het bestand op "
    "in Excel, of typ de waarde."
)


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
                from openpyxl.utils import get_column_letter  # start-up: openpyxl only here

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
    from openpyxl.utils.cell import coordinate_to_tuple  # start-up: openpyxl only here
    from openpyxl.xml.functions import iterparse  # start-up: openpyxl only here

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
    from openpyxl.xml.functions import fromstring  # start-up: openpyxl only here

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
    from openpyxl import load_workbook  # start-up: openpyxl only here

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
