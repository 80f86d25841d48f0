"""Load the input tables of one gemeente into typed pandas DataFrames.

Accepts what analysts really export: CSV separated by ',' or ';', UTF-8 (with or
without BOM) or Windows-1252, Dutch number style in ';' files ('15.249', '2,35'),
percent signs, and .xlsx workbooks. What cannot be read unambiguously is an error:
another encoding (UTF-16, UTF-32) or a binary file, a row wider or narrower than the header,
a cell right of the header in a workbook, a file too large to be an input table.
Rows are named by the line (or sheet row) a person sees, the header being line 1.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from jaarverslag import paths
from jaarverslag.errors import InvoerFout, Melding, kort
from jaarverslag.formatting import getal
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.privacy import find_person_data, is_bsn
from jaarverslag.invoer.ruwecellen import (
    UNCOMPUTED,
    PercentCell,
    RawTable,
    UncomputedFormula,
    _filled,
    _refuse,
    read_raw,
)
from jaarverslag.invoer.schema import DEFINITIEF, CellError, Table, parse_schooljaar, schema, table_path

MAX_COLUMNS = 100  # the widest table has 10 columns
MAX_NUMBER = 10**9  # no count of pupils or reports comes near; beyond 2**63 a column cannot even hold it
PERSON_COLUMN = re.compile(
    r"bsn|burgerservice|sofinummer|^naam$|voornaam|achternaam|roepnaam|geboorte|geb_?datum|"
    r"^adres$|straat|huisnummer|leerlingnummer",
    re.IGNORECASE,
)
DUTCH_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
PLAIN_COUNT = re.compile(r"-?[0-9]+")
GROUPED = re.compile(r"-?[0-9]{1,3}(?:(?P<sep>[.'\u2019 \u00a0\u202f])[0-9]{3})(?:(?P=sep)[0-9]{3})*")
SEPARATOR_NAMES = {".": "punt", "'": "apostrof", "\u2019": "apostrof"}
PRIVACY = (
    "dit lijkt op gegevens over personen ({wat}). Het jaarverslag gebruikt alleen "
    "geaggregeerde aantallen; persoonsgegevens horen niet in data/ (AVG). "
    "Verwijder ze uit het bestand."
)
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
PERCENT_FORMAT = (
    "deze cel heeft in Excel procentopmaak ({value}), maar de kolom is een aantal. Excel bewaart een "
    "procent als breuk: welk aantal bedoeld is, is niet zeker. Geef de cel de opmaak Getal of Standaard "
    "en controleer het aantal."
)
BEYOND = (
    "deze cel staat rechts van de laatste kolom van de kopregel ('{last}') en zou wegvallen. "
    "Zet de waarde in de goede kolom of verwijder hem."
)


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
    if kind == "status":
        return _status(value, spec)
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


def _status(value, spec: dict) -> str:
    """voorlopig, nader_voorlopig or definitief; empty is definitief ("nader voorlopig" is read too)."""
    text = "" if value is None else "_".join(str(value).strip().lower().split())
    if not text:
        return DEFINITIEF
    if text not in spec["waarden"]:
        raise CellError(
            f"'{kort(str(value))}' is geen status; kies uit {', '.join(spec['waarden'])} (leeg = definitief)."
        )
    return text


RANGES = {"percentage": (100, "een percentage"), "per_duizend": (1000, "een cijfer per 1.000")}
DTYPES = {
    "schooljaar": "string",
    "tekst": "string",
    "categorie": "string",
    "status": "string",
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
                f"{MAX_COLUMNS} (zie {table.bestand}). Is dit het goede bestand?",
                rij=at,
            )
        ]
    problems = [
        Melding(where, f"deze kolom ontbreekt (zie {table.bestand}).", kolom=c, rij=at)
        for c in table.verplichte_kolommen
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
    from openpyxl.utils import get_column_letter  # start-up: openpyxl only here

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
