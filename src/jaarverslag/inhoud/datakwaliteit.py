"""The Datakwaliteit chapter in plain Dutch: what is wrong with a published figure, in words and
with Dutch labels ("vo + mbo + vavo = 164, maar het totaal is 166 (verschil 2)"). The technical
detail (expectation, column names) stays in validatie.json and the auditor's trail.

Each warning becomes one sentence and the figures in it, with where they come from (for
herkomst.csv): a cell of an input table, a sum of cells, or a difference of two such figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from jaarverslag.controle.kruiscontroles import sommen
from jaarverslag.controle.suites import tabellen_van_suite
from jaarverslag.formatting import getal, zoals_geschreven
from jaarverslag.inhoud.herkomst import Herleiding
from jaarverslag.inhoud.model import Figuur, Rij, Tabel
from jaarverslag.invoer.schema import schema

KWALITEIT_ONDERSCHRIFT = "Onvolkomenheden in de invoergegevens"  # the caption of the Datakwaliteit table
KOLOM_ZIN = "Wat er niet klopt"

Gegeven = tuple[str, str, "Herleiding | None"]  # a figure in a sentence: (what, as printed, derivation)


@dataclass(frozen=True)
class Zin:
    tekst: str
    cijfers: tuple[Gegeven, ...]


def label(tabel: str, kolom: str) -> str:
    """A column's Dutch label as the report shows it (the schema's label), else its name in words."""
    if kolom in sommen():
        source, columns = sommen()[kolom]
        return _sum_label(source, columns)
    labels = (schema()[name].columns.get(kolom, {}).get("label") for name in tabellen_van_suite(tabel))
    found = next((label for label in labels if label), None)
    return found.lower() if found else kolom.replace("_", " ")


def _sum_label(tabel: str, columns: tuple[str, ...]) -> str:
    """'vo + mbo + vavo' (a sum over categories) or the labels of the summed columns."""
    table = schema()[tabel]
    categories = [c for c in table.key if c != "schooljaar"]
    if categories:
        values = [str(v) for v in table.columns[categories[0]]["waarden"]]
        numbered = all(v.isdigit() for v in values)  # '1 + 2 + 3' says little without its name
        prefix = f"{label(tabel, categories[0])} " if numbered else ""
        return prefix + " + ".join(values)
    if len(columns) > 3:
        return "de uitkomsten samen"
    return " + ".join(label(tabel, c) for c in columns)


def zin(bevinding: dict, herkomst) -> Zin:
    """One warning as a plain sentence with its figures."""
    values = bevinding.get("waarden") or {}
    kind, a, b = bevinding["verwachting"], bevinding.get("kolom", ""), bevinding.get("kolom_b", "")
    tabel = bevinding["tabel"]
    fig = lambda column: _figure(bevinding, herkomst, column, values)  # noqa: E731
    if kind == "expect_column_pair_values_to_be_equal" and a in values and b in values:
        (_, total, h_a), (_, parts, h_b) = fig(a), fig(b)
        difference = abs(float(values[a]) - float(values[b]))
        derivation = None if h_a is None or h_b is None else (h_a - h_b if values[a] >= values[b] else h_b - h_a)
        text = f"{label(tabel, b)} = {parts}, maar het {label(tabel, a)} is {total} (verschil {zoals_geschreven(difference)})."
        return Zin(_first_upper(text), (fig(b), fig(a), ("verschil", zoals_geschreven(difference), derivation)))
    if kind == "expect_column_pair_values_a_to_be_greater_than_b" and a in values and b in values:
        text = (
            f"{label(tabel, b)} ({fig(b)[1]}) is groter dan {label(tabel, a)} ({fig(a)[1]}), waar het een deel van is."
        )
        return Zin(_first_upper(text), (fig(b), fig(a)))
    others = [c for c in values if c != a and values[c] is not None and not isinstance(values[c], str)]
    if kind == "expect_column_values_to_be_between" and a in values and len(others) == 1:
        other = others[0]
        text = f"het {label(tabel, a)} is {fig(a)[1]}, maar het {label(tabel, other)} is {fig(other)[1]}."
        return Zin(_first_upper(text), (fig(a), fig(other)))
    return Zin(f"{bevinding['regel']} Gevonden: {bevinding['gevonden']}.", ())


def _figure(bevinding: dict, herkomst, column: str, values: dict) -> Gegeven:
    value = values.get(column)
    printed = "leeg" if value is None else zoals_geschreven(value) + ("%" if _is_percentage(bevinding, column) else "")
    return (column, printed, herkomst.gecontroleerd(bevinding, column) if value is not None else None)


def _is_percentage(bevinding: dict, column: str) -> bool:
    tables = tabellen_van_suite(bevinding["tabel"])
    return any(schema()[t].columns.get(column, {}).get("type") == "percentage" for t in tables)


def tabel(rapport) -> Tabel | None:
    """The Datakwaliteit table of a checked report: per warning its table, its place and what is
    wrong, in words (a table of the report model, of words rather than figures); None without warnings."""
    warnings = rapport.validatie.get("waarschuwingen", []) if rapport.gecontroleerd else []
    if not warnings:
        return None
    rows = tuple(
        Rij(w["titel"], (), (_woord(plaats(w), w, "Schooljaar"), _woord(kwaliteitszin(rapport, w), w, KOLOM_ZIN)))
        for w in warnings
    )
    return Tabel(KWALITEIT_ONDERSCHRIFT, ("Tabel", "Schooljaar", KOLOM_ZIN), rows, klasse="datakwaliteit", woorden=True)


def _woord(text: str, bevinding: dict, kolom: str) -> Figuur:
    return Figuur(text, text, text, bevinding["titel"], kolom, None)


def kwaliteitszin(rapport, bevinding: dict) -> str:
    """A warning in words; without its figures when one of them is a count below the threshold,
    or the row holds a figure that is not published."""
    n = rapport.onderdrukking.drempel
    small = [v for v in (bevinding.get("waarden") or {}).values() if _is_count(v) and 0 < float(v) < n]
    if not small and not _verborgen_rij(rapport, bevinding):
        return zin(bevinding, rapport.herkomst).tekst
    return f"{bevinding['regel']} De cijfers zelf zijn kleiner dan {getal(n)} en worden niet gepubliceerd."


def _verborgen_rij(rapport, bevinding: dict) -> bool:
    """Whether a table the warning's check read holds a hidden figure in the warning's school year."""
    if not rapport.onderdrukking:
        return False
    place = f"{bevinding['gemeente']}/" if bevinding.get("gemeente") else ""
    tables = {place + t for t in tabellen_van_suite(bevinding["tabel"])}
    hidden = rapport.onderdrukking.aantallen | rapport.onderdrukking.afgeleid
    return any(t in tables and k[0] == bevinding["schooljaar"] for t, k, _ in hidden)  # that year: to be safe


def _is_count(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()


def plaats(bevinding: dict) -> str:
    """The school year, with the category of the row when there is one: '2019-2020, vo'."""
    return ", ".join([bevinding["schooljaar"], *bevinding.get("sleutel", {}).values()])


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
