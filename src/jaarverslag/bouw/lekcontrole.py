"""The last check before a report with protected small counts is published: no public file shows a
hidden figure's true value in that figure's context.

The report model decides what is hidden, and every view prints a figure as the model says
(`< 5`, `x`). This is the safety net under that: it reads the files that may be published as a
reader would (the text of the HTML's tables, the PDF's text, the xlsx cells, the DOCX text and
the CSV cells) and looks, for every hidden figure, for its true value in a place that names
both its row and its column. A hit stops the build before anything is published.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jaarverslag import bundel
from jaarverslag.errors import BouwFout
from jaarverslag.inhoud.herkomst import parse

# The columns of a public CSV that name a figure or its place; they hold no figure themselves.
LABELS = {"sectie", "onderschrift_of_kernpunt", "rij", "kolom", "bestand", "regel", "bronkolom", "uitgave"}
LABELS |= {"vergeleken_met", "oude_status", "nieuwe_status"}


@dataclass(frozen=True)
class Verborgen:
    """A figure the report does not publish: its table, row and column, and its true value as printed."""

    onderschrift: str
    rij: str
    kolom: str
    waarde: str

    @property
    def patroon(self) -> re.Pattern:
        return re.compile(rf"(?<![\d.,]){re.escape(self.waarde)}(?![\d]|,\d)")

    def __str__(self) -> str:
        return f"'{self.onderschrift}', rij {self.rij}, kolom {self.kolom} (werkelijk {self.waarde})"


@dataclass(frozen=True)
class Rij:
    """A row of a table in a public file: its cells as (column header, text), the label cells apart."""

    tabel: str
    labels: tuple[str, ...]
    cellen: tuple[tuple[str, str], ...]


def verborgen(rows: list[dict]) -> list[Verborgen]:
    """The hidden figures among rows of herkomst.csv: printed otherwise than their true value (a
    hidden 0 names nobody and is left out)."""
    out = {
        Verborgen(r["onderschrift_of_kernpunt"], r["rij"], r["kolom"], r["waarde"])
        for r in rows
        if r["gedrukt"] != r["waarde"] and _nonzero(r["waarde"])
    }
    return sorted(out, key=str)


def verborgen_in(herkomst: Path) -> list[Verborgen]:
    """The hidden figures of a report, from its auditor's trail (which the report model wrote)."""
    with herkomst.open(encoding="utf-8", newline="") as handle:
        return verborgen(list(csv.DictReader(handle)))


def _nonzero(waarde: str) -> bool:
    try:
        return parse(waarde) != 0
    except ValueError:
        return True


def controleer(folder: Path, hidden: list[Verborgen]) -> None:
    """Raise a BouwFout naming the file and the figure when a public file shows a hidden value."""
    if not hidden:
        return
    hits = [f"{name}: {figure}" for name in bundel.PUBLIEK for figure in _lekken(folder / name, hidden)]
    if hits:
        raise BouwFout(
            "Het verslag is niet gepubliceerd: een openbaar bestand toont een cijfer dat het verslag verbergt "
            "(kleine aantallen). Dit is een fout in het programma, niet in de invoer; het vorige verslag is niet "
            "aangeraakt.\n" + "\n".join(f"  - {hit}" for hit in hits)
        )


def _lekken(path: Path, hidden: list[Verborgen]) -> list[Verborgen]:
    if not path.exists():
        return []
    rows, lines = READERS[path.suffix](path)
    return [h for h in hidden if any(_in_rij(h, r) for r in rows) or any(_in_regel(h, line) for line in lines)]


def _in_rij(h: Verborgen, row: Rij) -> bool:
    """In its own table: the cell under its column in its row. Elsewhere: a row naming both."""
    if not any(_is(h.rij, label) for label in row.labels):
        return False
    own_table = _zelfde_tabel(h, row)
    names_column = any(_is(h.kolom, label) for label in row.labels)
    return any(
        h.patroon.search(text) for header, text in row.cellen if (own_table and _is(h.kolom, header)) or names_column
    )


def _zelfde_tabel(h: Verborgen, row: Rij) -> bool:
    """The figure's own table: its caption, or (a sheet of the Excel file) the section's title that
    begins it, with the group the caption names among the row's labels."""
    if not row.tabel or not h.onderschrift.startswith(row.tabel):
        return False
    rest = h.onderschrift[len(row.tabel) :]
    return not rest.startswith(": ") or any(_is(rest[2:], label) for label in row.labels)


def _in_regel(h: Verborgen, line: str) -> bool:
    """A line of running text (PDF, Word) that names its row and column and holds its value."""
    low = line.lower()
    if h.rij.lower() not in low or h.kolom.lower() not in low:
        return False
    rest = re.sub(re.escape(h.kolom.lower()), " ", re.sub(re.escape(h.rij.lower()), " ", low))
    return bool(h.patroon.search(rest))


def _is(label: str, text: str) -> bool:
    return " ".join(text.split()).lower().startswith(label.lower()) if label else False


# --- reading each kind of public file as rows and lines ----------------------------------


def _html(path: Path) -> tuple[list[Rij], list[str]]:
    from lxml import html  # start-up: only with small counts protected

    rows = []
    for table in html.parse(str(path)).getroot().iter("table"):
        caption = " ".join(table.findtext("caption", default="").split())
        headers = [_text(th) for th in table.xpath("./thead/tr/th")]
        for tr in table.xpath("./tbody/tr | ./tfoot/tr"):
            cells = tr.xpath("./th | ./td")
            labels = tuple(_text(c) for c in cells if "getal" not in (c.get("class") or ""))
            figures = tuple(
                (headers[i] if i < len(headers) else "", _text(c))
                for i, c in enumerate(cells)
                if "getal" in (c.get("class") or "")
            )
            rows.append(Rij(caption, labels, figures))
    return rows, []


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _pdf(path: Path) -> tuple[list[Rij], list[str]]:
    from pypdf import PdfReader  # start-up: only with small counts protected

    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return [], [" ".join(line.split()) for line in text.splitlines()]


def _docx(path: Path) -> tuple[list[Rij], list[str]]:
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        xml = [archive.read(n).decode("utf-8") for n in parts]
    paragraphs = [p for part in xml for p in re.findall(r"<w:p[ >].*?</w:p>", part, flags=re.S)]
    return [], [" ".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)).split()) for p in paragraphs]


def _xlsx(path: Path) -> tuple[list[Rij], list[str]]:
    from openpyxl import load_workbook  # start-up: only with small counts protected

    rows = []
    for sheet in load_workbook(path, read_only=True, data_only=True).worksheets:
        values = [["" if v is None else _cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        title, headers = (values[0][0] if values else ""), (values[1] if len(values) > 1 else [])
        for row in values[2:]:
            rows.append(_rij(str(title), headers, row))
    return rows, []


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def _rij(title: str, headers: list, row: list) -> Rij:
    """A row of a sheet: text cells name the row, number cells are figures under their header."""
    labels = tuple(str(v) for v in row if v and not _numeric(str(v)))
    figures = tuple((str(headers[i]) if i < len(headers) else "", v) for i, v in enumerate(row) if _numeric(v))
    return Rij(title, labels, figures)


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(,\d+)?", text))


def _csv(path: Path) -> tuple[list[Rij], list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    rows = [
        Rij(
            r.get("onderschrift_of_kernpunt", ""),
            tuple(v for k, v in r.items() if k in LABELS),
            tuple((k, v or "") for k, v in r.items() if k not in LABELS),
        )
        for r in records
    ]
    return rows, []


READERS = {".html": _html, ".pdf": _pdf, ".docx": _docx, ".xlsx": _xlsx, ".csv": _csv}
