"""One section of the report definition, checked against the schema: its table, columns,
chart, footnotes and findings rules; every problem a Dutch message naming the file and the key."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort
from jaarverslag.inhoud.regels import Aantal, Landelijk, Trend
from jaarverslag.invoer import bbv
from jaarverslag.invoer.schema import schema

BESTAND = "verslag.yaml"
SLEUTEL = re.compile(r"[a-z][a-z0-9_]{0,39}")  # a section's key (fullmatch): also its anchor and its cells
TITEL = re.compile(r"[^\W_][\w ,.:/'’()-]*")  # a title (fullmatch): words, no Markdown, no line break
MAX_TITEL = 120
VAST = {"inleiding", "kerncijfers", "kernpunten", "datakwaliteit", "verantwoording", "inhoud", "inhoud-kop"}
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


def _fout(where: str, key: str, text: str) -> ParameterFout:
    return ParameterFout(f"{where}, sleutel {key}: {text}")


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


def _title(value, where: str, key: str, limit: int = 80) -> str:
    """A title: plain words, at most `limit` characters (it is a heading, an anchor and a caption)."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > limit or not TITEL.fullmatch(text):
        raise _fout(
            where,
            key,
            f"een titel is een korte tekst (hoogstens {limit} tekens) van woorden, zonder regeleinde of opmaaktekens.",
        )
    return text


def _text(value, where: str, key: str, empty: bool = False) -> str:
    if not isinstance(value, str) or not (empty or value.strip()):
        raise _fout(where, key, "dit is een tekst (niet leeg).")
    return value.strip()


class _Plek:
    """Where a key of a section was written, for messages: the gemeente's file or the project's."""

    def __init__(self, key: str, origins: dict):
        self.here, self.origins = f"secties.{key}", origins

    def bestand(self, path: str) -> str:
        return self.origins.get(path) or self.origins.get(path.split(".")[0]) or self.origins[""]

    def fout(self, path: str, text: str) -> ParameterFout:
        return _fout(self.bestand(path), f"{self.here}.{path}", text)


def _section(key: str, hoofdstuk: str, spec: dict, origins: dict) -> Section:
    plek = _Plek(key, origins)
    unknown = sorted(map(str, set(spec) - SECTIE_SLEUTELS))
    if unknown:
        raise plek.fout(unknown[0], f"onbekende sleutel; bekend zijn {', '.join(sorted(SECTIE_SLEUTELS))}.")
    for required in ("tabel", "titel", "kolommen"):
        if required not in spec:
            raise plek.fout(required, "deze sleutel ontbreekt.")
    tabel = spec["tabel"]
    columns = _table_columns(tabel, plek)
    kolommen = _columns(spec["kolommen"], columns, tabel, plek, "kolommen")
    soort = spec.get("weergave", "tijdreeks")
    if not isinstance(soort, str) or soort not in WEERGAVEN:
        raise plek.fout("weergave", f"'{kort(str(soort), 30)}' is geen weergave; kies uit {', '.join(WEERGAVEN)}.")
    groep = _group(tabel, soort, kolommen, columns, plek)
    grafiek = spec.get("grafiek", {})
    if not isinstance(grafiek, dict) or set(map(str, grafiek)) - GRAFIEK_SLEUTELS:
        raise plek.fout("grafiek", "schrijf de grafiek als {soort: ..., kolommen: [...], as: ...}.")
    kind = grafiek.get("soort", WEERGAVEN[soort][0])
    if not isinstance(kind, str) or kind not in WEERGAVEN[soort]:
        raise plek.fout(
            "grafiek.soort",
            f"'{kort(str(kind), 30)}' is geen grafieksoort bij weergave {soort}; kies uit {', '.join(WEERGAVEN[soort])}.",
        )
    plotted = _columns(grafiek.get("kolommen", list(kolommen)), columns, tabel, plek, "grafiek.kolommen")
    if set(plotted) - set(kolommen):
        extra = sorted(set(plotted) - set(kolommen))[0]
        raise plek.fout("grafiek.kolommen", f"kolom {extra} staat niet onder {plek.here}.kolommen.")
    return Section(
        key,
        hoofdstuk,
        _title(spec["titel"], plek.bestand("titel"), f"{plek.here}.titel", MAX_TITEL),
        tabel,
        kolommen,
        soort,
        kind,
        tuple(plotted),
        groep,
        _group_labels(tabel, groep),
        _legend(tabel, plotted),
        _axis(grafiek, tabel, plotted, plek),
        _text(spec.get("uitleg", ""), plek.bestand("uitleg"), f"{plek.here}.uitleg", empty=True),
        _rules(spec.get("kernpunten", []), tabel, columns, kolommen, plek),
        _footnotes(spec, columns, tabel, plek),
        plek.bestand("titel"),
    )


def _schema_fout(tabel: str, kolom: str, text: str) -> ParameterFout:
    return ParameterFout(f"{paths.relative(paths.SCHEMA_FILE)}, tabel {tabel}, kolom {kolom}: {text}")


def _table_columns(tabel, plek: _Plek) -> dict[str, dict]:
    """The columns of a schema table, or of a derived table, with their specs."""
    if tabel in bbv.AFGELEID:
        derived = {c: {"type": "per_duizend", "label": i.benadering} for c, i in bbv.PER_1000.items()}
        return {**derived, "noot": {"type": "tekst"}}
    if not isinstance(tabel, str) or tabel not in schema():
        raise plek.fout("tabel", f"tabel '{kort(str(tabel), 40)}' staat niet in data/schema.yaml.")
    return schema()[tabel].columns


def _columns(value, columns: dict, tabel: str, plek: _Plek, path: str) -> dict[str, str]:
    if not isinstance(value, list) or not value or not all(isinstance(c, str) for c in value):
        raise plek.fout(path, "geef een lijst van kolommen.")
    for column in value:
        if column not in columns:
            raise plek.fout(path, f"tabel {tabel} heeft geen kolom '{kort(column, 40)}'.")
        spec = columns[column]
        if spec.get("type") not in CIJFERTYPEN:
            raise plek.fout(path, f"kolom {column} is geen cijfer maar {spec.get('type')}.")
        label = spec.get("label")
        if not isinstance(label, str) or not label.strip():
            raise _schema_fout(tabel, column, "geef een label: de naam van de kolom in het verslag (een tekst).")
    return {c: columns[c]["label"].strip() for c in value}


def _group(tabel: str, soort: str, kolommen: dict, columns: dict, plek: _Plek) -> str | None:
    """The category column of a table shown per category; a table with categories needs that."""
    categories = [c for c in schema()[tabel].key if c != "schooljaar"] if tabel in schema() else []
    if soort in ("per_groep", "verdeling") and not categories:
        raise plek.fout("weergave", f"weergave {soort} vraagt een tabel met een categoriekolom; {tabel} heeft er geen.")
    if soort in ("tijdreeks", "uitsplitsing") and categories:
        raise plek.fout(
            "weergave",
            f"tabel {tabel} heeft een categoriekolom ({categories[0]}); kies weergave per_groep of verdeling.",
        )
    counts = [c for c in kolommen if columns[c].get("type") == "aantal"]
    if soort == "uitsplitsing" and (len(counts) < 2 or len(counts) != len(kolommen)):
        raise plek.fout(
            "weergave",
            "weergave uitsplitsing vraagt minstens twee kolommen die aantallen zijn; de laatste is het totaal.",
        )
    return categories[0] if soort in ("per_groep", "verdeling") else None


def _group_labels(tabel: str, groep: str | None) -> dict[str, str]:
    if groep is None:
        return {}
    spec = schema()[tabel].columns[groep]
    labels = spec.get("waarde_labels", {})
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise _schema_fout(
            tabel, groep, "waarde_labels is een lijst van waarde: naam, bijvoorbeeld {vo: Voortgezet onderwijs}."
        )
    return {str(w): str(labels.get(w, labels.get(str(w), w))) for w in spec["waarden"]}


def _legend(tabel: str, plotted: dict[str, str]) -> dict[str, str]:
    columns = schema()[tabel].columns if tabel in schema() else {}
    out = {c: columns[c]["legenda"] for c in plotted if "legenda" in columns.get(c, {})}
    for column, text in out.items():
        fields = _fields(text) if isinstance(text, str) else None
        if not text or fields is None or fields - {"gemeente"}:
            raise _schema_fout(tabel, column, "legenda is een tekst; alleen {gemeente} mag tussen accolades staan.")
    return out


def _fields(text: str) -> set[str] | None:
    """The {names} a format text fills in; None when a brace is not a plain {name}."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return None
    if any(f is not None and (spec or conversion or not f.isidentifier()) for _, f, spec, conversion in parts):
        return None
    return {f for _, f, _, _ in parts if f is not None}


def _axis(grafiek: dict, tabel: str, plotted: dict[str, str], plek: _Plek) -> str:
    """The y-axis title: the definition's `as`, else the unit the plotted columns share in the schema."""
    if "as" in grafiek:
        if not isinstance(grafiek["as"], str) or not grafiek["as"].strip() or len(grafiek["as"]) > 40:
            raise plek.fout("grafiek.as", "de titel van de as is een korte tekst.")
        return grafiek["as"]
    if tabel in bbv.AFGELEID:
        return "per 1.000"
    units = {schema()[tabel].columns[c].get("eenheid", "aantal") for c in plotted}
    return str(units.pop()) if len(units) == 1 else "aantal"


def _footnotes(spec: dict, columns: dict, tabel: str, plek: _Plek) -> tuple[str, ...]:
    value = spec.get("voetnoten", ["noot"] if "noot" in columns else [])
    if not isinstance(value, list) or any(
        not isinstance(c, str) or columns.get(c, {}).get("type") != "tekst" for c in value
    ):
        raise plek.fout("voetnoten", f"geef een lijst van tekstkolommen van tabel {tabel}.")
    return tuple(value)


def _rules(value, tabel: str, columns: dict, kolommen: dict, plek: _Plek) -> tuple:
    if not isinstance(value, list):
        raise plek.fout("kernpunten", "geef een lijst van regels (trend, aantal of landelijk).")
    return tuple(
        _rule(rule, tabel, columns, kolommen, plek, f"kernpunten, nummer {n}") for n, rule in enumerate(value, 1)
    )


def _rule(rule, tabel: str, columns: dict, kolommen: dict, plek: _Plek, path: str):
    kinds = [k for k in REGELS if isinstance(rule, dict) and k in rule]
    if len(kinds) != 1 or set(map(str, rule)) - set(REGELS[kinds[0]]):
        raise plek.fout(
            path,
            "een regel is {trend: kolom, onderwerp: ...}, {aantal: kolom, zin: ...} "
            "of {landelijk: kolom, tegenover: kolom, onderwerp: ...}.",
        )
    kind = kinds[0]
    column = rule[kind]
    if not isinstance(column, str) or column not in kolommen:
        raise plek.fout(f"{path}.{kind}", f"kolom '{kort(str(column), 40)}' staat niet in de kolommen van deze sectie.")
    texts = {
        k: _text(rule[k], plek.bestand("kernpunten"), f"{plek.here}.{path}.{k}")
        for k in REGELS[kind][1:]
        if k in rule and k != "tegenover"
    }
    if kind == "aantal":
        if _fields(texts.get("zin", "")) != {"n"}:
            raise plek.fout(f"{path}.zin", "de zin noemt het aantal met {n}; andere accolades mogen er niet in staan.")
        return Aantal(tabel, column, texts["zin"])
    if kind == "landelijk":
        other = rule.get("tegenover")
        percentages = all(columns.get(c, {}).get("type") == "percentage" for c in (column, other) if isinstance(c, str))
        if not isinstance(other, str) or other not in columns or not percentages or "onderwerp" not in texts:
            raise plek.fout(
                f"{path}.tegenover",
                f"vergelijk twee percentagekolommen van tabel {tabel} (kolom en tegenover), met een onderwerp.",
            )
        return Landelijk(tabel, column, other, texts["onderwerp"])
    if "onderwerp" not in texts and tabel not in bbv.AFGELEID:
        raise plek.fout(f"{path}.onderwerp", "geef het onderwerp van de zin, bijvoorbeeld 'het aantal meldingen'.")
    spec = columns[column]
    percentage = spec.get("type") == "percentage"
    decimals = bbv.PER_1000_DECIMALEN if tabel in bbv.AFGELEID else spec.get("decimalen", 0)
    words = {k: texts[k] for k in ("omhoog", "omlaag") if k in texts}
    return Trend(tabel, column, texts.get("onderwerp", ""), **words, decimalen=decimals, procent=percentage)
