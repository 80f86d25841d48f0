"""The Datakwaliteit chapter in plain Dutch: what is wrong with a published figure, in words and
with Dutch labels ("vo + mbo + vavo = 164, maar het totaal is 166 (verschil 2)"). The technical
detail (expectation, column names) stays in validatie.json and the auditor's trail.

Each warning becomes one sentence and the figures in it, with where they come from (for
herkomst.csv): a cell of an input table, a sum of cells, or a difference of two such figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from jaarverslag.formatting import zoals_geschreven
from jaarverslag.spoor.herkomst import Herleiding

KWALITEIT_ONDERSCHRIFT = "Onvolkomenheden in de invoergegevens"  # the caption of the Datakwaliteit table

Figuur = tuple[str, str, "Herleiding | None"]  # (what, as printed, derivation)


@dataclass(frozen=True)
class Zin:
    tekst: str
    cijfers: tuple[Figuur, ...]


def label(tabel: str, kolom: str) -> str:
    """A column's Dutch label as the report shows it (the schema's label), else its name in words."""
    from jaarverslag.controle.kruiscontroles import sommen
    from jaarverslag.controle.suites import tabellen_van_suite
    from jaarverslag.invoer.schema import schema

    if kolom in sommen():
        source, columns = sommen()[kolom]
        return _sum_label(source, columns)
    labels = (schema()[name].columns.get(kolom, {}).get("label") for name in tabellen_van_suite(tabel))
    found = next((label for label in labels if label), None)
    return found.lower() if found else kolom.replace("_", " ")


def _sum_label(tabel: str, columns: tuple[str, ...]) -> str:
    """'vo + mbo + vavo' (a sum over categories) or the labels of the summed columns."""
    from jaarverslag.invoer.schema import schema

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


def _figure(bevinding: dict, herkomst, column: str, values: dict) -> Figuur:
    value = values.get(column)
    printed = "leeg" if value is None else zoals_geschreven(value) + ("%" if _is_percentage(bevinding, column) else "")
    return (column, printed, herkomst.gecontroleerd(bevinding, column) if value is not None else None)


def _is_percentage(bevinding: dict, column: str) -> bool:
    from jaarverslag.controle.suites import tabellen_van_suite
    from jaarverslag.invoer.schema import schema

    tables = tabellen_van_suite(bevinding["tabel"])
    return any(schema()[t].columns.get(column, {}).get("type") == "percentage" for t in tables)


def plaats(bevinding: dict) -> str:
    """The school year, with the category of the row when there is one: '2019-2020, vo'."""
    return ", ".join([bevinding["schooljaar"], *bevinding.get("sleutel", {}).values()])


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
