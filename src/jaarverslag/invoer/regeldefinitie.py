"""The findings rules of one section of the report definition (`kernpunten:`), checked against the
section's table: every kind of rule with its keys, and the keys every rule may add (thema, gewicht,
minimum). A problem is a Dutch message naming the key (sectiedefinitie adds the file)."""

from __future__ import annotations

import re
import string
from dataclasses import replace

from jaarverslag.errors import kort
from jaarverslag.invoer import bbv
from jaarverslag.invoer.regels import Aandeel, Aantal, Bereik, Landelijk, Trend
from jaarverslag.invoer.vertaling import regel

GEDEELD = ("thema", "gewicht", "minimum")  # keys every rule may have
REGELS = {  # kind of key-finding rule -> its own keys (the first is the column)
    "trend": ("trend", "onderwerp", "omhoog", "omlaag", "eenheid", "correctie"),
    "aantal": ("aantal", "zin"),
    "landelijk": ("landelijk", "tegenover", "onderwerp"),
    "aandeel": ("aandeel", "zin", "meerderheid"),
    "bereik": ("bereik", "zin", "uitkomsten"),
}
VORM = (
    "een regel is {trend: kolom, onderwerp: ...}, {aantal: kolom, zin: ...}, "
    "{landelijk: kolom, tegenover: kolom, onderwerp: ...}, {aandeel: kolom, zin: ...} "
    "of {bereik: kolom, zin: ..., uitkomsten: {kolom: woorden}}; elke regel mag ook thema, gewicht en minimum hebben."
)
THEMA = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_GEWICHT = 10
TEKSTSLEUTELS = ("onderwerp", "omhoog", "omlaag", "eenheid", "zin", "meerderheid")


def fields(text: str) -> set[str] | None:
    """The {names} a format text fills in; None when a brace is not a plain {name}."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return None
    if any(f is not None and (spec or conversion or not f.isidentifier()) for _, f, spec, conversion in parts):
        return None
    return {f for _, f, _, _ in parts if f is not None}


def tekst_of_regel(value, empty: bool = False, pad: str | None = None) -> str:
    if not isinstance(value, str) or not (empty or value.strip()):
        raise regel("dit is een tekst (niet leeg).", pad)
    return value.strip()


def rule(spec, tabel: str, columns: dict, kolommen: list[str], path: str):
    """One rule of a section, checked: its kind, its column, its texts and the shared keys."""
    kinds = [k for k in REGELS if isinstance(spec, dict) and k in spec]
    if len(kinds) != 1 or set(map(str, spec)) - set(REGELS[kinds[0]]) - set(GEDEELD):
        raise regel(VORM, path)
    kind = kinds[0]
    column = spec[kind]
    allowed = columns if kind == "aandeel" else kolommen  # a share may be a column the table does not show
    if not isinstance(column, str) or column not in allowed:
        raise regel(f"kolom '{kort(str(column), 40)}' staat niet in de kolommen van deze sectie.", f"{path}.{kind}")
    texts = {k: tekst_of_regel(spec[k], pad=f"{path}.{k}") for k in TEKSTSLEUTELS if k in spec}
    made = MAKERS[kind](spec, tabel, column, columns, kolommen, texts, path)
    return _shared(made, spec, path)


def _shared(made, spec: dict, path: str):
    """The rule with its topic, weight and minimum base from the definition."""
    extra = {}
    if "thema" in spec:
        if not isinstance(spec["thema"], str) or not THEMA.fullmatch(spec["thema"]):
            raise regel(
                "een thema is een sleutel van kleine letters, cijfers en _ (bijvoorbeeld verzuim).", f"{path}.thema"
            )
        extra["thema"] = spec["thema"]
    for key, top in (("gewicht", MAX_GEWICHT), ("minimum", 1_000_000)):
        if key in spec:
            value = spec[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= top:
                raise regel(f"{key} is een getal van 0 tot en met {top:_}.".replace("_", "."), f"{path}.{key}")
            extra[key] = float(value)
    return replace(made, **extra)


def _zin(texts: dict, key: str, veld: str, path: str, verplicht: bool = True) -> str:
    if key not in texts and not verplicht:
        return ""
    if fields(texts.get(key, "")) != {veld}:
        raise regel(
            f"de zin noemt het cijfer met {{{veld}}}; andere accolades mogen er niet in staan.", f"{path}.{key}"
        )
    return texts[key]


def _aantal(spec, tabel, column, columns, kolommen, texts, path):
    return Aantal(tabel, column, _zin(texts, "zin", "n", path))


def _landelijk(spec, tabel, column, columns, kolommen, texts, path):
    other = spec.get("tegenover")
    percentages = all(columns.get(c, {}).get("type") == "percentage" for c in (column, other) if isinstance(c, str))
    if not isinstance(other, str) or other not in columns or not percentages or "onderwerp" not in texts:
        raise regel(
            f"vergelijk twee percentagekolommen van tabel {tabel} (kolom en tegenover), met een onderwerp.",
            f"{path}.tegenover",
        )
    return Landelijk(tabel, column, other, texts["onderwerp"])


def _aandeel(spec, tabel, column, columns, kolommen, texts, path):
    if columns[column].get("type") != "percentage":
        raise regel(f"kolom {column} is geen percentage; een aandeel is een percentagekolom.", f"{path}.aandeel")
    return Aandeel(tabel, column, _zin(texts, "zin", "p", path), _zin(texts, "meerderheid", "p", path, False))


def _bereik(spec, tabel, column, columns, kolommen, texts, path):
    outcomes = spec.get("uitkomsten")
    if not isinstance(outcomes, dict) or not outcomes:
        raise regel(
            "geef de uitkomsten als {kolom: woorden}, bijvoorbeeld {aan_het_werk: aan het werk}.", f"{path}.uitkomsten"
        )
    pairs = []
    for key, words in outcomes.items():
        if key not in kolommen or key == column:
            raise regel(
                f"kolom '{kort(str(key), 40)}' staat niet in de kolommen van deze sectie.", f"{path}.uitkomsten"
            )
        pairs.append((key, tekst_of_regel(words, pad=f"{path}.uitkomsten.{key}")))
    return Bereik(tabel, column, _zin(texts, "zin", "n", path), tuple(pairs))


def _trend(spec, tabel, column, columns, kolommen, texts, path):
    if "onderwerp" not in texts and tabel not in bbv.AFGELEID:
        raise regel("geef het onderwerp van de zin, bijvoorbeeld 'het aantal meldingen'.", f"{path}.onderwerp")
    column_spec = columns[column]
    percentage = column_spec.get("type") == "percentage"
    decimals = column_spec.get("decimalen", 0)
    words = {k: texts[k] for k in ("omhoog", "omlaag", "eenheid") if k in texts}
    correctie = _correctie(spec.get("correctie"), column, columns, f"{path}.correctie") if "correctie" in spec else {}
    return Trend(
        tabel, column, texts.get("onderwerp", ""), **words, decimalen=decimals, procent=percentage, **correctie
    )


def _correctie(value, column: str, columns: dict, path: str) -> dict:
    """{kolom, zin}: the column with the corrected or analysed figure, and how the point names it."""
    if not isinstance(value, dict) or set(value) != {"kolom", "zin"}:
        raise regel("schrijf de correctie als {kolom: ..., zin: '... {n} ...'}.", path)
    other = value["kolom"]
    if (
        not isinstance(other, str)
        or other == column
        or columns.get(other, {}).get("type") != columns[column].get("type")
    ):
        raise regel(f"kolom '{kort(str(other), 40)}' is geen cijfer van dezelfde soort in deze tabel.", f"{path}.kolom")
    zin = tekst_of_regel(value["zin"], pad=f"{path}.zin")
    if fields(zin) != {"n"}:
        raise regel(
            "de zin noemt het gecorrigeerde cijfer met {n}; andere accolades mogen er niet in staan.", f"{path}.zin"
        )
    return {"correctie": other, "correctiezin": zin}


MAKERS = {"trend": _trend, "aantal": _aantal, "landelijk": _landelijk, "aandeel": _aandeel, "bereik": _bereik}
