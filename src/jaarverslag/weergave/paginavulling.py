"""How full the council's PDF pages are: the share of each page's text area that holds content.

Used by the tests and `make bench`. A page is measured from a low-resolution rendering
(pdftoppm, poppler-utils): the lowest row with ink, below the running header and above the
page number, against the height of the text area. Chapter ends may be short: the last page
before each chapter heading (from the PDF's bookmarks), the title page and the last page.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jaarverslag import paths

DPI = 30
MARGIN_TOP_CM, MARGIN_BOTTOM_CM = 1.7, 1.9  # the @page margins of templates/jaarverslag/jaarverslag.css
INK = 200  # a pixel darker than this (0-255) is content


@dataclass(frozen=True)
class Pagina:
    nummer: int
    vulling: float  # 0..1 of the text area's height
    hoofdstukeinde: bool


def pages(pdf: Path) -> list[Pagina]:
    """Every page with its fill and whether it may be short (title page, chapter end, last page)."""
    from PIL import Image  # start-up: Pillow only here
    from pypdf import PdfReader  # start-up: pypdf only here

    starts = _chapter_starts(PdfReader(pdf))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), str(pdf), f"{tmp}/p"], check=True)
        images = sorted(Path(tmp).glob("p-*.pgm"))
        fills = [_fill(Image.open(image)) for image in images]
    last = len(fills)
    return [Pagina(n, fill, n == 1 or n == last or (n + 1) in starts) for n, fill in enumerate(fills, start=1)]


def _chapter_starts(reader) -> set[int]:
    """The pages where a chapter (a second-level bookmark: an h2) begins."""
    found = set()

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif depth == 1:
                found.add(reader.get_destination_page_number(item) + 1)

    walk(reader.outline, 0)
    return found


def _fill(image) -> float:
    per_cm = DPI / 2.54
    top, bottom = round(MARGIN_TOP_CM * per_cm), image.height - round(MARGIN_BOTTOM_CM * per_cm)
    pixels = image.load()
    rows = [y for y in range(top, bottom) if any(pixels[x, y] < INK for x in range(image.width))]
    return 0.0 if not rows else (rows[-1] - top) / (bottom - top)


def losse_koppen(html: str) -> list[str]:
    """The sections whose head (heading, findings, explanation, text) ends a page without its
    chart: laid out as the PDF is, the page of the heading against that of the head's chart."""
    import weasyprint  # start-up: WeasyPrint only here

    document = weasyprint.HTML(string=html, base_url=str(paths.TEMPLATES))
    laid_out = document.render()
    page_of = {}
    for number, page in enumerate(laid_out.pages, start=1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None:
                page_of.setdefault(id(element), number)
    apart = []
    for section in document.etree_element.iter("section"):
        head = next((e for e in section if e.get("class") == "sectiekop"), None)
        heading, chart = (next(head.iter(tag), None) if head is not None else None for tag in ("h3", "img"))
        if heading is not None and chart is not None and page_of.get(id(heading)) != page_of.get(id(chart)):
            apart.append(section.get("id"))
    return apart
