"""Where every printed number comes from: one cell of an input file, or a formula over such cells.

A `Herleiding` (derivation) is a small arithmetic expression over source cells, kept in two
forms: `rekenregel`, a machine-readable expression over the names b0, b1, … (the cells in
`bronnen`), and `formule`, the same sum in Dutch notation with the figures filled in, e.g.
`87 / 14.339 × 1.000 = 6,1`. Derivations combine with + − × / and round, so a change
between two per-1.000 figures is still traced down to the cells it was computed from.

`Herkomst` finds the cell of a table row: the file, the line in that file (the header is
line 1), the column and the sha256 of the bytes that were validated.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

from jaarverslag import paths
from jaarverslag.controle.kruiscontroles import sommen
from jaarverslag.controle.suites import tabellen_van_suite
from jaarverslag.formatting import is_missing, zoals_geschreven
from jaarverslag.inhoud import indicators
from jaarverslag.invoer import duoherkomst
from jaarverslag.invoer.schema import DEFINITIEF, STATUS, schema, status_van, table_path

NAME = re.compile(r"\bb(\d+)\b")
OPERATORS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "/"}
KOLOMMEN = (
    "sectie",
    "onderschrift_of_kernpunt",
    "rij",
    "kolom",
    "waarde",
    "gedrukt",
    "getal",
    "bestand",
    "regel",
    "bronkolom",
    "sha256",
    "formule",
    "rekenregel",
    "gebruikte_cijfers",
    "status",
)


@dataclass(frozen=True)
class Bron:
    """One cell of an input file."""

    tabel: str
    bestand: str  # relative to the project root
    regel: int  # line in the file (CSV) or row in the sheet (xlsx); the header is line 1
    kolom: str
    sha256: str
    waarde: float
    status: str = DEFINITIEF  # voorlopig, nader_voorlopig or definitief, as the row of the file says
    telling: str = ""  # a figure counted from DUO's files: how (file, sha256, filter, count); see duoherkomst

    def __str__(self) -> str:
        return f"{self.bestand}, regel {self.regel}, kolom {self.kolom}"


@dataclass(frozen=True)
class Herleiding:
    """An expression over source cells; `b0` alone is the cell itself."""

    rekenregel: str
    bronnen: tuple[Bron, ...]

    @classmethod
    def cel(cls, bron: Bron) -> Herleiding:
        return cls("b0", (bron,))

    @property
    def is_bron(self) -> bool:
        return self.rekenregel == "b0"

    @property
    def status(self) -> str:
        """As final as the least final cell it is made from."""
        return status_van(*(b.status for b in self.bronnen))

    @property
    def waarde(self) -> float:
        names = {f"b{i}": float(b.waarde) for i, b in enumerate(self.bronnen)}
        return eval(compile(self.rekenregel, "<rekenregel>", "eval"), {"__builtins__": {}, "round": round}, names)  # noqa: S307 - our own expression

    def _join(self, operator: ast.operator, other: Herleiding | float) -> Herleiding:
        if not isinstance(other, Herleiding):
            return Herleiding(
                ast.unparse(ast.BinOp(_tree(self.rekenregel), operator, ast.Constant(other))), self.bronnen
            )
        bronnen = list(self.bronnen)  # a cell used twice keeps one name
        for bron in other.bronnen:
            if bron not in bronnen:
                bronnen.append(bron)
        renamed = NAME.sub(lambda m: f"b{bronnen.index(other.bronnen[int(m[1])])}", other.rekenregel)
        tree = ast.BinOp(_tree(self.rekenregel), operator, _tree(renamed))
        return Herleiding(ast.unparse(tree), tuple(bronnen))

    def __add__(self, other):
        return self._join(ast.Add(), other)

    def __sub__(self, other):
        return self._join(ast.Sub(), other)

    def __mul__(self, other):
        return self._join(ast.Mult(), other)

    def __truediv__(self, other):
        return self._join(ast.Div(), other)

    def rond(self, decimalen: int) -> Herleiding:
        return Herleiding(f"round({self.rekenregel}, {decimalen})", self.bronnen)

    def __round__(self, decimalen: int) -> Herleiding:  # round(h, 1), as round(x, 1) for a number
        return self.rond(decimalen)

    def __float__(self) -> float:
        return float(self.waarde)

    def formule(self, printed: str) -> str:
        """The sum in Dutch notation with the figures filled in, '= printed' at the end."""
        return "" if self.is_bron else f"{_dutch(_tree(self.rekenregel), self.bronnen)} = {printed}"

    def gebruikt(self) -> str:
        """Each cell the formula uses: 'b0 = 87 (data/…csv, regel 6, kolom absoluut_verzuim)'."""
        return "; ".join(f"b{i} = {_figure(b.waarde)} ({b})" for i, b in enumerate(self.bronnen))


def _tree(expression: str) -> ast.expr:
    return ast.parse(expression, mode="eval").body


def _figure(value: float) -> str:
    return zoals_geschreven(value)


def _dutch(node: ast.expr, bronnen: tuple[Bron, ...], parent: int = 0) -> str:
    """An expression in Dutch notation (× for *, − for -, 1.000 for 1000), without round()."""
    if isinstance(node, ast.Name):
        return _figure(bronnen[int(node.id[1:])].waarde)
    if isinstance(node, ast.Constant):
        return _figure(node.value)
    if isinstance(node, ast.Call):  # round(x, n): the rounding shows in the result
        return _dutch(node.args[0], bronnen, parent)
    own = 1 if isinstance(node.op, (ast.Add, ast.Sub)) else 2
    left = _dutch(node.left, bronnen, own)
    right = _dutch(node.right, bronnen, own + 1)  # a − (b − c): the right side keeps its brackets
    text = f"{left} {OPERATORS[type(node.op)]} {right}"
    return f"({text})" if own < parent else text


@dataclass(frozen=True)
class Cijfer:
    """One number as the council sees it, and where it comes from."""

    sectie: str
    onderschrift: str  # a table's caption, or the text of a key finding
    rij: str
    kolom: str
    waarde: str  # the true figure, as printed where it is published
    herleiding: Herleiding | None = None
    gedrukt: str | None = None  # what the council reads in its place ('< 5', 'x'), when that differs

    @property
    def verborgen(self) -> bool:
        """Not published: a small count, or a figure that would reveal one."""
        return self.gedrukt is not None and self.gedrukt != self.waarde

    @property
    def publiek(self) -> str:
        """The figure as every public file shows it."""
        return self.waarde if self.gedrukt is None else self.gedrukt

    def rij_csv(self) -> dict:
        h = self.herleiding
        cell = h.bronnen[0] if h is not None and h.is_bron else None
        return {
            "sectie": self.sectie,
            "onderschrift_of_kernpunt": self.onderschrift,
            "rij": self.rij,
            "kolom": self.kolom,
            "waarde": self.waarde,
            "gedrukt": self.publiek,
            "getal": parse(self.waarde),
            "bestand": cell.bestand if cell else "",
            "regel": cell.regel if cell else "",
            "bronkolom": cell.kolom if cell else "",
            "sha256": cell.sha256 if cell else "",
            "formule": h.formule(self.waarde) if h is not None and not cell else cell.telling if cell else "",
            "rekenregel": h.rekenregel if h is not None and not cell else "",
            "gebruikte_cijfers": h.gebruikt() if h is not None and not cell else "",
            "status": h.status if h is not None else "",
        }


GETAL = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def in_tekst(sectie: str, onderschrift: str, text: str, plek: Callable[[str, str], Bron]) -> list[Cijfer]:
    """Every number in a text written in an input (a note in a data file, a text in params, the
    report definition); plek(number, words around it) gives the cell or line that holds it."""
    return [
        Cijfer(
            sectie,
            onderschrift,
            "",
            "tekst",
            m[0],
            Herleiding.cel(plek(m[0], text[max(0, m.start() - 12) : m.end() + 12])),
        )
        for m in GETAL.finditer(text)
    ]


def in_cel(bron: Bron) -> Callable[[str, str], Bron]:
    """For numbers in one text cell: that cell, with the number as its value."""
    return lambda number, _: replace(bron, waarde=parse(number))


def parse(printed: str) -> float:
    """A number as printed in Dutch style ('14.339', '−2,35%', '+0,7 procentpunt') as a float."""
    number = printed.replace("procentpunt", "").replace("%", "").replace("+", "").replace("−", "-").strip()
    return float(number.replace(".", "").replace(",", "."))


def als_tabel(cijfers: list[Cijfer]) -> pd.DataFrame:
    return pd.DataFrame([c.rij_csv() for c in cijfers], columns=list(KOLOMMEN))


@dataclass
class Herkomst:
    """The source cell of any figure in the loaded tables of one gemeente."""

    gemeente: str
    tables: dict[str, pd.DataFrame]
    sha256: dict[str, str]  # relative path -> sha256, as validated
    regels: dict[str, list[int]]  # table -> line of each frame row
    _index: dict = field(default_factory=dict, repr=False)
    _duo: dict | None = field(default=None, repr=False)  # the counts from DUO's files (duo-herkomst.csv)

    @classmethod
    def van(cls, gemeente: str, tables, invoer: dict[str, str] | None = None) -> Herkomst:
        """From tables as load_tables gives them; `invoer` adds the sha256 of other inputs (params)."""
        digests = {**getattr(tables, "sha256", {}), **(invoer or {})}
        return cls(gemeente, dict(tables), digests, getattr(tables, "regels", {}))

    def bestand(self, tabel: str) -> str:
        return paths.relative(table_path(self.gemeente, tabel))

    def positie(self, tabel: str, sleutel: tuple) -> int | None:
        """The frame position of the row with this key (school year, then categories)."""
        if tabel not in self._index:
            frame, key = self.tables[tabel], schema()[tabel].key
            keys = frame[key].astype(str).itertuples(index=False, name=None)
            self._index[tabel] = {k: i for i, k in enumerate(keys)}
        return self._index[tabel].get(tuple(str(k) for k in sleutel))

    def cel(self, tabel: str, sleutel: tuple, kolom: str) -> Herleiding | None:
        """The cell of `kolom` in the row with key `sleutel`; a derived table's formula; None if empty."""
        if tabel in indicators.AFGELEID:
            return self._per_duizend(sleutel[0], kolom)
        position = self.positie(tabel, sleutel)
        if position is None or tabel not in self.regels:
            return None
        row = self.tables[tabel].iloc[position]
        if is_missing(row[kolom]):
            return None
        where, line, status = self.bestand(tabel), self.regels[tabel][position], row.get(STATUS) or DEFINITIEF
        telling = self.duo_telling(tabel, sleutel, kolom, float(row[kolom]))
        return Herleiding.cel(
            Bron(tabel, where, line, kolom, self.sha256.get(where, ""), float(row[kolom]), status, telling)
        )

    def duo_telling(self, tabel: str, sleutel: tuple, kolom: str, waarde: float) -> str:
        """How a figure was counted from DUO's files, if it was and still holds that count (else '')."""
        if self._duo is None:
            self._duo = duoherkomst.lees(self.gemeente)
        key = (tabel, str(sleutel[0]), str(sleutel[1]) if len(sleutel) > 1 else "")
        counts = {k: self._duo.get((*key, k)) for k in (duoherkomst.NOEMER, duoherkomst.TELLER)}
        if kolom in counts:
            telling = counts[kolom]
            return str(telling) if telling is not None and telling.aantal == waarde else ""
        spec = schema()[tabel].columns[kolom]
        jongeren, vsv = counts.values()
        if spec.get("teller") != duoherkomst.TELLER or jongeren is None or vsv is None or not jongeren.aantal:
            return ""
        if abs(round(vsv.aantal / jongeren.aantal * 100, spec.get("decimalen", 2)) - waarde) > 1e-9:
            return ""
        return f"vsv / jongeren × 100 = {vsv.aantal} / {jongeren.aantal} × 100; vsv: {vsv}; jongeren: {jongeren}"

    def _per_duizend(self, schooljaar: str, kolom: str) -> Herleiding | None:
        """The official figure's cell, or numerator / leerplichtigen × 1.000: indicators.per_duizend
        over source cells, the lines that compute the figure itself."""
        cel_van = lambda tabel, column, jaar: self.cel(tabel, (jaar,), column)  # noqa: E731
        return indicators.per_duizend(self.tables, indicators.PER_1000[kolom], schooljaar, cel_van)

    def som(self, tabel: str, schooljaar: str, kolommen: tuple[str, ...]) -> Herleiding | None:
        """The sum of `kolommen` over every row of the school year (all categories)."""
        frame, key = self.tables.get(tabel), schema()[tabel].key
        if frame is None:
            return None
        cells = [
            self.cel(tabel, tuple(row[k] for k in key), kolom)
            for _, row in frame[frame["schooljaar"] == schooljaar].iterrows()
            for kolom in kolommen
        ]
        if not cells or any(c is None for c in cells):
            return None
        return sum(cells[1:], cells[0])

    def bronrij(self, tabel: str, bestand: str, regel: int) -> pd.Series:
        """The loaded row of a table that sits at `regel` of `bestand`."""
        return self.tables[tabel].iloc[self.regels[tabel].index(regel)]

    def noot(self, tabel: str, sleutel: tuple, kolom: str = "noot") -> Bron | None:
        """The cell of a row's footnote (its numbers are traced to it)."""
        position = self.positie(tabel, sleutel)
        if position is None or tabel not in self.regels:
            return None
        where = self.bestand(tabel)
        return Bron(tabel, where, self.regels[tabel][position], kolom, self.sha256.get(where, ""), 0.0)

    def gecontroleerd(self, bevinding: dict, kolom: str) -> Herleiding | None:
        """A figure that a validation finding shows: a cell of a table the check read, or a sum."""
        jaar, sleutel = bevinding["schooljaar"], bevinding.get("sleutel", {})
        if kolom in sommen():
            tabel, kolommen = sommen()[kolom]
            return self.som(tabel, jaar, kolommen)
        for tabel in tabellen_van_suite(bevinding["tabel"]):
            key = schema()[tabel].key
            if kolom in schema()[tabel].columns and all(k in sleutel for k in key[1:]):
                return self.cel(tabel, (jaar, *(sleutel[k] for k in key[1:])), kolom)
        return None

    def zoeker(self) -> Callable[[str, str, str], Herleiding | None]:
        """cel(tabel, schooljaar, kolom) for year-indexed tables, as the findings need it."""
        return lambda tabel, schooljaar, kolom: self.cel(tabel, (schooljaar,), kolom)
