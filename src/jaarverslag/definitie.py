"""The report definition: which chapters and sections a report shows, in which order.

It is data: data/verslag.yaml for the project, and optionally data/<gemeente>/verslag.yaml,
which replaces the chapter list (the gemeente's choice and order of sections) and adds or
changes sections. Labels, units and category names come from data/schema.yaml only. The
notebook, the table of contents, the Excel companion, the validation, the loader and the
new-year checklist all follow `verslag(gemeente)`. A definition that names an unknown
table, column, chart kind or rule is refused before any data is read, with a Dutch
message that names the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import indicators, paths
from .errors import ParameterFout, kort
from .findings import Aantal, Landelijk, Trend
from .schema import schema

BESTAND = "verslag.yaml"
SLEUTEL = re.compile(r"^[a-z][a-z0-9_]{0,39}$")  # a section's key: also its anchor and its notebook cells
WEERGAVEN = {  # how a section shows its table -> the chart kinds it can draw
    "tijdreeks": ("staaf", "lijn", "gestapeld"),
    "per_groep": ("lijn",),
    "verdeling": ("staaf",),
    "uitsplitsing": ("liggend",),
}
SECTIE_SLEUTELS = {"tabel", "titel", "uitleg", "weergave", "kolommen", "grafiek", "voetnoten", "kernpunten"}
GRAFIEK_SLEUTELS = {"soort", "kolommen", "as"}
REGELS = {  # kind of key-finding rule -> its keys (the first is the column)
    "trend": ("trend", "onderwerp", "omhoog", "omlaag"),
    "aantal": ("aantal", "zin"),
    "landelijk": ("landelijk", "tegenover", "onderwerp"),
}
CIJFERTYPEN = ("aantal", "percentage", "per_duizend")


@dataclass(frozen=True)
class Section:
    key: str
    hoofdstuk: str
    titel: str
    tabel: str
    kolommen: dict[str, str]  # column -> Dutch label (table header and legend), from the schema
    soort: str = "tijdreeks"  # the section's `weergave`: tijdreeks | per_groep | verdeling | uitsplitsing
    grafiek: str = "staaf"  # staaf | lijn | gestapeld | liggend
    grafiek_kolommen: tuple[str, ...] = ()
    groep: str | None = None  # category column for per_groep / verdeling
    groep_labels: dict[str, str] = field(default_factory=dict)
    grafiek_labels: dict[str, str] = field(default_factory=dict)  # legend labels; {gemeente} is filled in
    eenheid: str = "aantal"  # y-axis title
    uitleg: str = ""
    kernpunten: tuple = ()  # findings rules (findings.Trend, Aantal, Landelijk)
    voetnoten: tuple[str, ...] = ()  # text columns whose content is a row's footnote
    bron: str = ""  # the definition file that holds the section's title and text


@dataclass(frozen=True)
class Verslag:
    """The sections a gemeente's report shows, by chapter, and the project's sections it leaves out."""

    hoofdstukken: tuple[tuple[str, tuple[str, ...]], ...]
    secties: dict[str, Section]  # in report order
    weggelaten: tuple[Section, ...] = ()
    bestanden: tuple[Path, ...] = ()

    def secties_van(self, hoofdstuk: str) -> list[str]:
        return next(list(keys) for title, keys in self.hoofdstukken if title == hoofdstuk)

    @property
    def tabellen(self) -> tuple[str, ...]:
        """The input tables the chosen sections use (a derived table by its sources), in schema order."""
        used = {t for s in self.secties.values() for t in indicators.BRONNEN.get(s.tabel, (s.tabel,))}
        return tuple(name for name in schema() if name in used)

    @property
    def tekstplekken(self) -> tuple[str, ...]:
        """Where params can place a text block: the introduction, each chapter, each section."""
        return ("inleiding", *(anker(title) for title, _ in self.hoofdstukken), *self.secties)

    @property
    def regels(self) -> tuple:
        """Every findings rule, in report order."""
        return tuple(rule for s in self.secties.values() for rule in s.kernpunten)

    def sectie_met_kolom(self, tabel: str, kolom: str) -> Section | None:
        return next((s for s in self.secties.values() if s.tabel == tabel and kolom in s.kolommen), None)


def anker(title: str) -> str:
    """A chapter's anchor in the HTML and its key for a text block: 'Eigen onderwerpen' -> 'eigen-onderwerpen'."""
    return title.lower().replace(" ", "-")


def bestanden(gemeente: str) -> list[Path]:
    """The project's definition and, when there is one, the gemeente's own."""
    own = paths.DATA / gemeente / BESTAND
    return [paths.DATA / BESTAND, *([own] if own.exists() or own.is_symlink() else [])]


def verslag(gemeente: str) -> Verslag:
    """The report definition of a gemeente, checked against the schema (read again when a file changes)."""
    stamps = tuple((f, _version(f)) for f in [*bestanden(gemeente), paths.SCHEMA_FILE])
    return _verslag(stamps)


def _version(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # missing or a broken link: reading it gives the Dutch message
        return 0


@cache
def _verslag(stamps: tuple[tuple[Path, int], ...]) -> Verslag:
    files = [f for f, _ in stamps[:-1]]
    (project, data), *own = [(paths.relative(f), _read(f)) for f in files]
    sections = {key: (spec, project) for key, spec in _secties(data, project).items()}
    chapters = (data.get("hoofdstukken"), project)
    for where, extra in own:
        for key, spec in _secties(extra, where).items():
            sections[key] = ({**sections.get(key, ({}, where))[0], **spec}, where)
        if "hoofdstukken" in extra:
            chapters = (extra["hoofdstukken"], where)
    chosen = _chapters(*chapters, sections)
    placed = {key for _, keys in chosen for key in keys}
    for where, extra in own:
        for key in _secties(extra, where):
            if key not in placed and key not in _secties(data, project):
                raise _fout(
                    where,
                    f"secties.{key}",
                    "deze eigen sectie staat in geen hoofdstuk; zet haar sleutel onder hoofdstukken.",
                )
    built = {key: _section(key, title, *sections[key]) for title, keys in chosen for key in keys}
    left_out = tuple(_section(key, "", *sections[key]) for key in _secties(data, project) if key not in built)
    return Verslag(chosen, built, left_out, tuple(files))


def _read(path: Path) -> dict:
    """A definition file, read as strictly as a params file (bounded, no aliases, no double keys)."""
    from .params import read_yaml

    where = paths.relative(path)
    data = read_yaml(path, where) or {}
    if not isinstance(data, dict):
        raise ParameterFout(f"{where}: de verslagdefinitie is een lijst van sleutels (hoofdstukken, secties).")
    unknown = set(data) - {"hoofdstukken", "secties"}
    if unknown:
        raise ParameterFout(
            f"{where}: onbekende sleutel(s) {', '.join(sorted(map(str, unknown)))}; "
            "een verslagdefinitie kent alleen hoofdstukken en secties."
        )
    return data


def _fout(where: str, key: str, text: str) -> ParameterFout:
    return ParameterFout(f"{where}, sleutel {key}: {text}")


def _secties(data: dict, where: str) -> dict:
    value = data.get("secties", {})
    if not isinstance(value, dict):
        raise _fout(where, "secties", "schrijf de secties als sleutels met hun waarde.")
    for key, spec in value.items():
        if not isinstance(key, str) or not SLEUTEL.match(key):
            raise _fout(
                where,
                f"secties.{kort(str(key), 40)}",
                "een sectiesleutel bestaat uit kleine letters, cijfers en _ (bijvoorbeeld thuiszitters).",
            )
        if not isinstance(spec, dict):
            raise _fout(where, f"secties.{key}", "schrijf de sectie als sleutels met hun waarde (tabel, titel, ...).")
    return value


def _chapters(value, where: str, sections: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, list) or not value:
        raise _fout(where, "hoofdstukken", "geef een lijst van hoofdstukken, elk met een titel en secties.")
    out, seen = [], set()
    for number, chapter in enumerate(value, start=1):
        here = f"hoofdstukken, nummer {number}"
        if not isinstance(chapter, dict) or set(chapter) != {"titel", "secties"}:
            raise _fout(where, here, "schrijf een hoofdstuk als {titel: ..., secties: [...]}.")
        title, keys = chapter["titel"], chapter["secties"]
        if not isinstance(title, str) or not 0 < len(title.strip()) <= 80:
            raise _fout(where, f"{here}.titel", "de titel is een korte tekst.")
        if anker(title.strip()) in {anker(t) for t, _ in out} | {"inleiding", "kerncijfers", *sections}:
            raise _fout(where, f"{here}.titel", f"een ander hoofdstuk, een sectie of de inleiding heet al '{title}'.")
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            raise _fout(where, f"{here}.secties", "geef de secties als een lijst van sleutels (minstens één).")
        for key in keys:
            if key not in sections:
                known = ", ".join(sections)
                raise _fout(where, f"{here}.secties", f"onbekende sectie '{kort(key, 40)}'; bekend zijn: {known}.")
            if key in seen:
                raise _fout(where, f"{here}.secties", f"sectie '{key}' staat al in een eerder hoofdstuk.")
            seen.add(key)
        out.append((title.strip(), tuple(keys)))
    return tuple(out)


def _section(key: str, hoofdstuk: str, spec: dict, where: str) -> Section:
    here = f"secties.{key}"
    unknown = set(spec) - SECTIE_SLEUTELS
    if unknown:
        raise _fout(
            where,
            f"{here}.{sorted(unknown)[0]}",
            f"onbekende sleutel; bekend zijn {', '.join(sorted(SECTIE_SLEUTELS))}.",
        )
    for required in ("tabel", "titel", "kolommen"):
        if required not in spec:
            raise _fout(where, f"{here}.{required}", "deze sleutel ontbreekt.")
    tabel = spec["tabel"]
    columns = _table_columns(tabel, where, f"{here}.tabel")
    kolommen = _columns(spec["kolommen"], columns, tabel, where, f"{here}.kolommen")
    soort = spec.get("weergave", "tijdreeks")
    if soort not in WEERGAVEN:
        raise _fout(
            where, f"{here}.weergave", f"'{kort(str(soort), 30)}' is geen weergave; kies uit {', '.join(WEERGAVEN)}."
        )
    groep = _group(tabel, soort, where, here)
    grafiek = spec.get("grafiek", {})
    if not isinstance(grafiek, dict) or set(grafiek) - GRAFIEK_SLEUTELS:
        raise _fout(where, f"{here}.grafiek", "schrijf de grafiek als {soort: ..., kolommen: [...], as: ...}.")
    kind = grafiek.get("soort", WEERGAVEN[soort][0])
    if kind not in WEERGAVEN[soort]:
        raise _fout(
            where,
            f"{here}.grafiek.soort",
            f"'{kort(str(kind), 30)}' is geen grafieksoort bij weergave {soort}; kies uit {', '.join(WEERGAVEN[soort])}.",
        )
    plotted = _columns(grafiek.get("kolommen", list(kolommen)), kolommen, tabel, where, f"{here}.grafiek.kolommen")
    for text in ("titel", "uitleg"):
        if not isinstance(spec.get(text, ""), str):
            raise _fout(where, f"{here}.{text}", "dit is een tekst.")
    return Section(
        key,
        hoofdstuk,
        spec["titel"].strip(),
        tabel,
        kolommen,
        soort,
        kind,
        tuple(plotted),
        groep,
        _group_labels(tabel, groep),
        _legend(tabel, plotted),
        _axis(grafiek, tabel, plotted, where, f"{here}.grafiek.as"),
        spec.get("uitleg", "").strip(),
        _rules(spec.get("kernpunten", []), tabel, columns, kolommen, where, f"{here}.kernpunten"),
        _footnotes(spec, tabel, columns, where, f"{here}.voetnoten"),
        where,
    )


def _table_columns(tabel, where: str, key: str) -> dict[str, dict]:
    """The columns of a schema table, or of a derived table, with their specs."""
    if tabel in indicators.AFGELEID:
        derived = {c: {"type": "per_duizend", "label": i.benadering} for c, i in indicators.PER_1000.items()}
        return {**derived, "noot": {"type": "tekst"}}
    if not isinstance(tabel, str) or tabel not in schema():
        raise _fout(where, key, f"tabel '{kort(str(tabel), 40)}' staat niet in data/schema.yaml.")
    return schema()[tabel].columns


def _columns(value, columns: dict, tabel: str, where: str, key: str) -> dict[str, str]:
    if not isinstance(value, list) or not value or not all(isinstance(c, str) for c in value):
        raise _fout(where, key, "geef een lijst van kolommen.")
    for column in value:
        if column not in columns:
            raise _fout(where, key, f"tabel {tabel} heeft geen kolom '{kort(column, 40)}'.")
        spec = columns[column]
        if isinstance(spec, dict) and spec.get("type") not in (*CIJFERTYPEN, None):
            raise _fout(where, key, f"kolom {column} is geen cijfer maar {spec.get('type')}.")
        if isinstance(spec, dict) and "label" not in spec:
            raise _fout(where, key, f"kolom {column} heeft geen label in data/schema.yaml (tabel {tabel}).")
    return {c: columns[c]["label"] if isinstance(columns[c], dict) else columns[c] for c in value}


def _group(tabel: str, soort: str, where: str, here: str) -> str | None:
    if soort not in ("per_groep", "verdeling"):
        return None
    categories = [c for c in schema()[tabel].key if c != "schooljaar"] if tabel in schema() else []
    if not categories:
        raise _fout(
            where,
            f"{here}.weergave",
            f"weergave {soort} vraagt een tabel met een categoriekolom; {tabel} heeft er geen.",
        )
    return categories[0]


def _group_labels(tabel: str, groep: str | None) -> dict[str, str]:
    if groep is None:
        return {}
    spec = schema()[tabel].columns[groep]
    labels = spec.get("waarde_labels", {})
    return {str(w): str(labels.get(w, labels.get(str(w), w))) for w in spec["waarden"]}


def _legend(tabel: str, plotted: dict[str, str]) -> dict[str, str]:
    columns = schema()[tabel].columns if tabel in schema() else {}
    return {c: columns[c]["legenda"] for c in plotted if "legenda" in columns.get(c, {})}


def _axis(grafiek: dict, tabel: str, plotted: dict[str, str], where: str, key: str) -> str:
    """The y-axis title: the definition's `as`, else the unit the plotted columns share in the schema."""
    if "as" in grafiek:
        if not isinstance(grafiek["as"], str) or not grafiek["as"].strip():
            raise _fout(where, key, "de titel van de as is een korte tekst.")
        return grafiek["as"]
    if tabel in indicators.AFGELEID:
        return "per 1.000"
    units = {schema()[tabel].columns[c].get("eenheid", "aantal") for c in plotted}
    return units.pop() if len(units) == 1 else "aantal"


def _footnotes(spec: dict, tabel: str, columns: dict, where: str, key: str) -> tuple[str, ...]:
    value = spec.get("voetnoten", ["noot"] if "noot" in columns else [])
    if not isinstance(value, list) or any(columns.get(c, {}).get("type") != "tekst" for c in value):
        raise _fout(where, key, f"geef een lijst van tekstkolommen van tabel {tabel}.")
    return tuple(value)


def _rules(value, tabel: str, columns: dict, kolommen: dict, where: str, key: str) -> tuple:
    if not isinstance(value, list):
        raise _fout(where, key, "geef een lijst van regels (trend, aantal of landelijk).")
    return tuple(_rule(rule, tabel, columns, kolommen, where, f"{key}, nummer {n}") for n, rule in enumerate(value, 1))


def _rule(rule, tabel: str, columns: dict, kolommen: dict, where: str, key: str):
    kinds = [k for k in REGELS if isinstance(rule, dict) and k in rule]
    if len(kinds) != 1 or set(rule) - set(REGELS[kinds[0]]):
        raise _fout(
            where,
            key,
            "een regel is {trend: kolom, onderwerp: ...}, {aantal: kolom, zin: ...} "
            "of {landelijk: kolom, tegenover: kolom, onderwerp: ...}.",
        )
    kind = kinds[0]
    column = rule[kind]
    if column not in kolommen:
        raise _fout(
            where, f"{key}.{kind}", f"kolom '{kort(str(column), 40)}' staat niet in de kolommen van deze sectie."
        )
    texts = {k: rule[k] for k in REGELS[kind][1:] if k in rule}
    if any(not isinstance(t, str) for t in texts.values()):
        raise _fout(where, key, "onderwerp, zin en werkwoorden zijn teksten.")
    if kind == "aantal":
        if "{n}" not in texts.get("zin", ""):
            raise _fout(where, f"{key}.zin", "de zin noemt het aantal met {n}.")
        return Aantal(tabel, column, texts["zin"].strip())
    if kind == "landelijk":
        if rule.get("tegenover") not in columns or "onderwerp" not in texts:
            raise _fout(
                where, f"{key}.tegenover", f"geef onder 'tegenover' een kolom van tabel {tabel}, en een onderwerp."
            )
        return Landelijk(tabel, column, rule["tegenover"], texts["onderwerp"].strip())
    if "onderwerp" not in texts and tabel not in indicators.AFGELEID:
        raise _fout(where, f"{key}.onderwerp", "geef het onderwerp van de zin, bijvoorbeeld 'het aantal meldingen'.")
    spec = columns[column]
    percentage = spec.get("type") == "percentage"
    decimals = indicators.PER_1000_DECIMALEN if tabel in indicators.AFGELEID else spec.get("decimalen", 0)
    words = {k: texts[k].strip() for k in ("omhoog", "omlaag") if k in texts}
    return Trend(tabel, column, texts.get("onderwerp", "").strip(), **words, decimalen=decimals, procent=percentage)
