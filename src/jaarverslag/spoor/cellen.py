"""The auditor's trail in the executed notebook: for each section the source rows, the
derivation of every printed figure, and the validation checks on its tables.

The notebook shows these as Markdown and pandas DataFrames (readable in JupyterLab, on
GitHub and in nbviewer); its trail cells carry the tag `spoor`, which the council's HTML
and PDF leave out. herkomst.csv holds the same rows for every figure of the report.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import pandas as pd

from jaarverslag import bundel, paths
from jaarverslag.controle import suites
from jaarverslag.inhoud import herkomst, kerncijfers
from jaarverslag.inhoud.celtekst import noot_tekst
from jaarverslag.inhoud.datakwaliteit import KWALITEIT_ONDERSCHRIFT, plaats, zin
from jaarverslag.inhoud.findings import INLEIDING, datum_nl
from jaarverslag.inhoud.herkomst import Bron, Cijfer
from jaarverslag.inhoud.report import Rapport
from jaarverslag.invoer.definitie import anker
from jaarverslag.invoer.params import params_path
from jaarverslag.invoer.schema import schema

INDICATOREN = "src/jaarverslag/invoer/bbv.py"  # where a derived figure's name is defined

OPTIONS = ("display.max_rows", 1000, "display.max_columns", 50, "display.max_colwidth", None)


# --- every printed number: herkomst.csv ---------------------------------------------------


def alle_cijfers(rapport: Rapport) -> list[Cijfer]:
    """Every number the council's HTML and PDF print, in reading order: title page, texts, key
    findings, section texts, tables and notes, data quality (the rows of herkomst.csv)."""
    out = _title_figures(rapport) + kerncijfers.cijfers(rapport)
    out += _text_figures(rapport, "inleiding") + _finding_figures(rapport)
    for hoofdstuk, keys in rapport.verslagdefinitie.hoofdstukken:
        out += _text_figures(rapport, anker(hoofdstuk))
        for key in keys:
            out += _definition_figures(rapport, key) + _text_figures(rapport, key)
            out += rapport.cijfers(key) + _note_figures(rapport, key)
    return out + _quality_figures(rapport)


def params_regel(rapport: Rapport, key: str, text: str, after: str | tuple[str, ...], context: str = "") -> Bron:
    """The line of the params file that holds `text`, at or after the line starting with `after`."""
    where = paths.relative(params_path(rapport.params["gemeente"], rapport.schooljaar))
    line = regel_met(where, after, text, context)
    return Bron("params", where, line, key, rapport.herkomst.sha256.get(where, ""), 0.0)


def regel_met(where: str, start: str | tuple[str, ...], number: str, context: str = "", geheel: str = "") -> int:
    """The line that holds `number` in the whole text `geheel` (when it is one line), else in the
    words around it, else the number alone, searched from the line that starts with `start`; a
    text may be wrapped over several lines."""
    lines = _lines(_source_file(where))
    first = 0
    for marker in (start,) if isinstance(start, str) else start:  # ('raadsmededeling:', 'kern:'): kern in that block
        first = next((i for i in range(first, len(lines)) if lines[i].strip().startswith(marker)), first)
    at = context.find(number)
    around = [context.split("\n")[0]] if "\n" not in context.strip() else []  # the words on both sides, one line
    words = [*around, context[at:].split("\n")[0], context[: at + len(number)].split("\n")[-1]] if at >= 0 else []
    words = [geheel.strip()] * ("\n" not in geheel.strip() and number in geheel) + words
    alone = re.compile(rf"(?<![\d.,]){re.escape(number)}(?![\d]|,\d)")
    for found in [lambda line, w=w: w in line for w in words if len(w) > len(number)] + [alone.search]:
        line = next((i + 1 for i in range(first, len(lines)) if found(lines[i])), None)
        if line:
            return line
    return first + 1


def _title_figures(rapport: Rapport) -> list[Cijfer]:
    """The date on the title page (its day and year), from params."""
    line = params_regel(rapport, "datum", rapport.params["datum"], "datum:")
    return herkomst.in_tekst("titelblad", "datum", datum_nl(rapport.params["datum"]), herkomst.in_cel(line))


def _text_figures(rapport: Rapport, plek: str) -> list[Cijfer]:
    text = rapport.params["teksten"].get(plek)
    if not text:
        return []

    def cell(number: str, context: str) -> Bron:
        line = params_regel(rapport, f"teksten.{plek}", number, f"{plek}:", context)
        return herkomst.in_cel(line)(number, context)

    return herkomst.in_tekst(plek, "tekst uit de parameters", text, cell)


def _definition_figures(rapport: Rapport, key: str) -> list[Cijfer]:
    """Numbers in a section's fixed texts: title and explanation from the report definition, column
    labels from the schema (a derived figure's name from indicators.py)."""
    section = rapport.definitie(key)
    if rapport.shown(section).empty:
        return []
    derived = section.tabel not in schema()
    labels = schema()[section.tabel].bestand if not derived else INDICATOREN
    texts = [(section.bron, f"{key}:", "tekst uit de verslagdefinitie", t) for t in (section.titel, section.uitleg)]
    texts += [
        (labels, "PER_1000" if derived else f"{section.tabel}:", "naam uit het gegevenswoordenboek", t)
        for t in section.kolommen.values()
    ]
    return [
        c
        for where, start, what, text in texts
        for c in herkomst.in_tekst(key, what, text, tekstcel(where, start, text))
    ]


def tekstcel(where: str, start: str, text: str = "", soort: str = "definitie"):
    """The source of a number in a fixed text: the line of `where` that holds it (or the whole
    `text`), from the line starting with `start`."""
    digest = _digest(_source_file(where))

    def cell(number: str, context: str) -> Bron:
        line = regel_met(where, start, number, context, text)
        return Bron(soort, where, line, "tekst", digest, herkomst.parse(number))

    return cell


def _lines(path: Path) -> list[str]:
    return _read(path, path.stat().st_mtime_ns)[0]


def _digest(path: Path) -> str:
    return _read(path, path.stat().st_mtime_ns)[1]


@cache
def _read(path: Path, version: int) -> tuple[list[str], str]:
    """A file's lines and sha256, read once per version (every number in a text looks up its line)."""
    data = path.read_bytes()
    return data.decode("utf-8").splitlines(), hashlib.sha256(data).hexdigest()


def _source_file(where: str) -> Path:
    """A project file; a module of the package wherever it is installed."""
    package = Path(herkomst.__file__).parents[1]  # src/jaarverslag, or wherever it is installed
    return package / Path(where).relative_to("src/jaarverslag") if where == INDICATOREN else paths.ROOT / where


def _finding_figures(rapport: Rapport) -> list[Cijfer]:
    return [cijfer for punt in rapport.kernpunt_lijst() for cijfer in punt_cijfers(punt)]


def punt_cijfers(punt, sectie: str = "kernpunten", tekst: str | None = None) -> list[Cijfer]:
    """The figures a key finding compared, as rows of the trail (under `tekst`, its sentence as printed)."""
    sentence = punt.tekst if tekst is None else tekst
    return [Cijfer(sectie, sentence, wat, "", printed, derivation) for wat, printed, derivation in punt.cijfers]


def _note_figures(rapport: Rapport, key: str) -> list[Cijfer]:
    """Numbers in the notes of the rows a section shows, traced to the note's cell."""
    section = rapport.definitie(key)
    if section.tabel not in schema():
        return []
    shown, table_key = rapport.shown(section), schema()[section.tabel].key
    out = []
    for _, row in shown.iterrows():
        for column in section.voetnoten:
            text = noot_tekst(row, column)
            cell = rapport.herkomst.noot(section.tabel, tuple(row[k] for k in table_key), column) if text else None
            out += herkomst.in_tekst(key, "voetnoot", text, herkomst.in_cel(cell)) if cell else []
    return out


def _quality_figures(rapport: Rapport) -> list[Cijfer]:
    """The figures in the Datakwaliteit table, traced to the cells the check compared, and their count."""
    warnings = rapport.validatie.get("waarschuwingen", [])
    count = Bron("validatie", bundel.VALIDATIE[0], 0, "waarschuwingen (aantal)", "", float(len(warnings)))
    out = (
        [
            Cijfer(
                "datakwaliteit",
                "tekst",
                "",
                "aantal onvolkomenheden",
                str(len(warnings)),
                herkomst.Herleiding.cel(count),
            )
        ]
        if warnings
        else []
    )
    for w in warnings:
        row = f"{w['titel']}, {plaats(w)}"
        out += [
            Cijfer("datakwaliteit", KWALITEIT_ONDERSCHRIFT, row, what, printed, h)
            for what, printed, h in zin(w, rapport.herkomst).cijfers
        ]
    return out


# --- the trail in the notebook --------------------------------------------------------------


LEEG = "(leeg)"  # in the source rows: the file leaves this cell empty
DECIMALEN = 6  # at most, as pandas prints a float


def bronrijen(rapport: Rapport, cijfers: list[Cijfer]) -> pd.DataFrame:
    """The input rows the figures come from, indexed by file and line: the key columns and, in every
    row of a file, each column a figure used from that file. A cell the file leaves empty reads (leeg);
    a column of another file stays blank. Each column prints as pandas prints a column without gaps
    (whole numbers as they are, decimals to the column's common places), not as the floats and NaN
    that rows of several files in one numeric column would give."""
    bronnen = _cells(cijfers)
    used: dict[tuple[str, str], set[str]] = {}
    for bron in bronnen:
        used.setdefault((bron.tabel, bron.bestand), set()).add(bron.kolom)
    lines = sorted({(b.bestand, b.regel, b.tabel) for b in bronnen})
    parts = []
    for bestand, regel, tabel in lines:
        row = rapport.herkomst.bronrij(tabel, bestand, regel)
        shown = schema()[tabel].key + [c for c in row.index if c in used[(tabel, bestand)]]
        parts.append({"bestand": bestand, "regel": regel, **{c: LEEG if pd.isna(row[c]) else row[c] for c in shown}})
    names = list(dict.fromkeys(name for part in parts for name in part)) or ["bestand", "regel"]
    columns = {name: _kolomtekst([part.get(name, "") for part in parts]) for name in names}
    return pd.DataFrame(columns, columns=names, dtype=object).set_index(["bestand", "regel"])


def _kolomtekst(values: list) -> list:
    """One column's cells: decimals to the places the column needs, the rest as it is."""
    decimals = [float(v) for v in values if isinstance(v, float)]
    if not decimals:
        return values
    places = max(min(DECIMALEN, len(str(v).partition(".")[2])) for v in decimals)
    return [f"{float(v):.{places}f}" if isinstance(v, float) else v for v in values]


def _cells(cijfers: list[Cijfer]) -> list[Bron]:
    return [b for c in cijfers if c.herleiding for b in c.herleiding.bronnen]


def bestanden(cijfers: list[Cijfer]) -> str:
    """The files the figures come from, with the sha256 of the bytes that were validated."""
    files = dict(sorted({b.bestand: b.sha256 for b in _cells(cijfers)}.items()))
    return "\n".join(f"- `{name}`: sha256 `{digest}`" for name, digest in files.items())


def afleiding(cijfers: list[Cijfer]) -> pd.DataFrame:
    """Each printed figure with its source cell, or its formula and the cells the formula used."""
    rows = []
    for c in cijfers:
        h = c.herleiding
        if h is None:
            origin = "geen bron gevonden"
        elif h.is_bron:
            origin = "; ".join(filter(None, (str(h.bronnen[0]), h.bronnen[0].telling)))
        else:
            origin = f"{h.formule(c.waarde)}, met {h.gebruikt()}"
        rows.append(
            {
                "tabel of kernpunt": c.onderschrift,
                "rij": c.rij,
                "kolom": c.kolom,
                "waarde": c.waarde,
                "herkomst": origin,
            }
        )
    frame = pd.DataFrame(rows, columns=["tabel of kernpunt", "rij", "kolom", "waarde", "herkomst"])
    return frame.set_index(["tabel of kernpunt", "rij", "kolom"])  # repeated labels are shown once


def suites_van(tabellen: set[str]) -> list[str]:
    """The validation suites that read any of these tables: their own, and the checks across tables."""
    names = sorted(p.stem for p in paths.EXPECTATIONS.glob("*.json"))
    own = [n for n in names if n in tabellen]
    return own + [n for n in names if n not in schema() and tabellen & set(suites.tabellen_van_suite(n))]


def controles(rapport: Rapport, tabellen: set[str]) -> pd.DataFrame:
    """Every expectation that ran on these tables in the build, with its outcome."""
    warnings = rapport.validatie.get("waarschuwingen", [])
    ran = {s["suite"]: s["controles"] for s in rapport.validatie.get("suites", [])}
    rows = []
    places = [f"{g}/" for g in rapport.regio.namen] if rapport.regio else [""]  # a region: every gemeente's suites
    for name in suites_van(tabellen):
        if ran and not any(place + name in ran for place in places):
            continue  # a check of tables this report does not use
        for place, e in ((p, e) for p in places for e in suites.load_suite_json(name)["expectations"]):
            found = [
                w
                for w in warnings
                if w["tabel"] == name and w["regel"] == e["meta"]["regel"] and w.get("gemeente", "") == place[:-1]
            ]
            outcome = "niet uitgevoerd" if place + name not in ran else "geslaagd"
            if found:
                outcome = "waarschuwing: " + "; ".join(f"{w['schooljaar']}: {w['gevonden']}" for w in found)
            rows.append(
                {
                    "suite": place + name,
                    "controle": e["meta"]["regel"],
                    "verwachting (GX)": e["type"],
                    "kolom": _column(e["kwargs"]),
                    "ernst": suites.ERNST.get(e["severity"], e["severity"]),
                    "uitkomst": outcome,
                }
            )
    return pd.DataFrame(rows, columns=["suite", "controle", "verwachting (GX)", "kolom", "ernst", "uitkomst"])


def _column(kwargs: dict) -> str:
    named = [kwargs.get(k) for k in ("column", "column_A", "column_B")]
    return ", ".join(str(n) for n in named if n) or "(hele tabel)"


def tabellen_van(cijfers: list[Cijfer]) -> set[str]:
    return {b.tabel for b in _cells(cijfers)}


def toon_sectie(rapport: Rapport, key: str) -> None:
    """Display the trail of one section in the notebook."""
    section, cijfers = rapport.definitie(key), rapport.cijfers(key)
    tabellen = tabellen_van(cijfers)
    _show(
        f"#### Spoor: {section.titel}\n\nDe cijfers van deze sectie komen uit deze bestanden "
        f"(met de sha256 van de gecontroleerde bytes):\n\n{bestanden(cijfers)}\n\n"
        "De gebruikte invoerrijen (regelnummer in het bestand; de kopregel is regel 1). "
        f"{LEEG}: die cel is leeg in het bestand; een lege cel: die kolom hoort bij een ander bestand.",
        bronrijen(rapport, cijfers),
        "Elk getoond cijfer met zijn bron, of met de formule en de cijfers die erin gaan:",
        afleiding(cijfers),
        f"De controles (Great Expectations) op {', '.join(sorted(tabellen)) or 'deze tabellen'}, zoals ze in de build liepen:",
        controles(rapport, tabellen),
    )


def toon_cijfers(titel: str, cijfers: list[Cijfer]) -> None:
    """Display the printed figures of one part with their source or formula."""
    _show(
        f"#### Spoor: {titel}\n\nElk getoond cijfer met zijn bron, of met de formule en de cijfers die erin gaan:",
        afleiding(cijfers),
    )


def toon_kernpunten(rapport: Rapport) -> None:
    """Display each key finding with the rule that produced it and the figures it compared."""
    punten = rapport.kernpunt_lijst()
    parts: list = [
        f"#### Spoor: kernpunten\n\n{len(punten)} kernpunten, van opvallend naar minder opvallend (het gewicht "
        f"in de regel; de inleiding toont de eerste {INLEIDING}, elke sectie die over haar eigen cijfers)."
    ]
    for number, punt in enumerate(punten, 1):
        figures = afleiding(punt_cijfers(punt)).reset_index(["tabel of kernpunt", "kolom"], drop=True)
        parts += [f"**{number}. {punt.tekst}**\n\nRegel: {punt.regel}", figures]
    _show(*parts)


def _show(*parts) -> None:
    """Text as Markdown (also readable as plain text), tables as pandas DataFrames."""
    from IPython.display import display  # start-up: IPython only in the kernel

    with pd.option_context(*OPTIONS):
        for part in parts:
            if isinstance(part, str):
                display({"text/markdown": part, "text/plain": part}, raw=True)
            else:
                display(part)


def toon_datakwaliteit(rapport: Rapport) -> None:
    """Display the result of every suite, and the derivation of the data-quality figures."""
    suites = pd.DataFrame(rapport.validatie.get("suites", []), columns=["suite", "controles", "bevindingen"])
    quality = _quality_figures(rapport)
    _show(
        "#### Spoor: datakwaliteit\n\nAlle suites zoals ze in de build liepen (bevindingen die het verslag "
        "zouden blokkeren zijn er niet: dan was dit notebook niet uitgevoerd):",
        suites,
        "De cijfers in de tabel Datakwaliteit, met hun bron:",
        afleiding(quality),
    )
