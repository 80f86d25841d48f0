"""Read the figure tables of a generated report back out of its HTML."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "sup" and self._cell is not None:
            self._cell.append("\x00")  # footnote markers are cut off below

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).split("\x00")[0].strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def read_tables(markup: str) -> list[dict]:
    """Each table as {'caption', 'rows'}; the first row is the header."""
    parser = _Tables()
    parser.feed(markup)
    return parser.tables


def cell(tables: list[dict], caption_start: str, row: str, column: str) -> str:
    """The text of one cell, found by caption, row header and column header."""
    for table in tables:
        if table["caption"].startswith(caption_start):
            header = table["rows"][0]
            for cells in table["rows"][1:]:
                if cells[0] == row:
                    return cells[header.index(column)]
    raise KeyError(f"{caption_start} / {row} / {column}")
