"""The Great Expectations suites: one per input table, made from data/schema.yaml, and the
cross-table suites (hand-written JSON); where they are and which tables each reads."""

from __future__ import annotations

import json

from jaarverslag import paths
from jaarverslag.errors import ValidatieFout
from jaarverslag.formatting import getal
from jaarverslag.invoer.loading import RANGES
from jaarverslag.invoer.schema import Table, project_schema, schema

BLOKKEREND = "blokkerend"
WAARSCHUWING = "waarschuwing"
SEVERITY = {BLOKKEREND: "critical", WAARSCHUWING: "warning"}  # GX 1.x expectation severities
ERNST = {v: k for k, v in SEVERITY.items()}
PLACEHOLDERS = ("{schooljaar}", "{venster}")
INTEGER_TYPES = ["Int64Dtype", "int64"]  # GX matches pandas extension dtypes by class name
FLOAT_TYPES = ["Float64Dtype", "float64", "Int64Dtype", "int64"]


# --- suites from the schema ----------------------------------------------------------


def _exp(kind: str, ernst: str, regel: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs, "meta": {"regel": regel}, "severity": SEVERITY[ernst]}


def _condition(column: str, operator: str, parameter) -> dict:
    """A GX 1.x row condition in its JSON form (Column(column) <operator> parameter)."""
    return {"type": "comparison", "column": {"name": column}, "operator": operator, "parameter": parameter}


def _column_expectations(name: str, spec: dict, table: Table) -> list[dict]:
    kind = spec["type"]
    out = []
    if kind == "schooljaar":
        out.append(
            _exp("expect_column_values_to_not_be_null", BLOKKEREND, "Elke rij heeft een schooljaar.", column=name)
        )
        out.append(
            _exp(
                "expect_column_values_to_match_regex",
                BLOKKEREND,
                "Het schooljaar heeft de vorm JJJJ-JJJJ.",
                column=name,
                regex=r"^\d{4}-\d{4}$",
            )
        )
    elif kind == "categorie":
        out.append(
            _exp(
                "expect_column_values_to_be_in_set",
                BLOKKEREND,
                f"{name} is een van de toegestane waarden.",
                column=name,
                value_set=[str(w) for w in spec["waarden"]],
            )
        )
    elif kind == "status":
        out.append(
            _exp(
                "expect_column_values_to_be_in_set",
                BLOKKEREND,
                "De status van elke rij is voorlopig, nader_voorlopig of definitief (leeg = definitief).",
                column=name,
                value_set=[str(w) for w in spec["waarden"]],
            )
        )
    elif kind == "aantal":
        out.append(
            _exp(
                "expect_column_values_to_be_in_type_list",
                BLOKKEREND,
                f"{name} is een geheel getal.",
                column=name,
                type_list=INTEGER_TYPES,
            )
        )
        out.append(
            _exp(
                "expect_column_values_to_be_between", BLOKKEREND, f"{name} is niet negatief.", column=name, min_value=0
            )
        )
    elif kind in RANGES:
        upper = RANGES[kind][0]
        out.append(
            _exp(
                "expect_column_values_to_be_in_type_list",
                BLOKKEREND,
                f"{name} is een getal.",
                column=name,
                type_list=FLOAT_TYPES,
            )
        )
        out.append(
            _exp(
                "expect_column_values_to_be_between",
                BLOKKEREND,
                f"{name} ligt tussen 0 en {getal(upper)}.",
                column=name,
                min_value=0,
                max_value=upper,
            )
        )
    if spec.get("verplicht"):
        out.append(
            _exp(
                "expect_column_values_to_not_be_null",
                BLOKKEREND,
                f"{name} is ingevuld voor het verslagjaar.",
                column=name,
                row_condition=_condition("schooljaar", "==", "{schooljaar}"),
            )
        )
    if spec.get("deel_van"):
        out.append(
            _exp(
                "expect_column_pair_values_a_to_be_greater_than_b",
                WAARSCHUWING,
                f"Een deel ({name}) is nooit groter dan het totaal ({spec['deel_van']}).",
                column_A=spec["deel_van"],
                column_B=name,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        )
    if spec.get("noemer_van"):
        out.append(
            _exp(
                "expect_column_values_to_be_between",
                BLOKKEREND,
                f"{name} is groter dan 0: het is de noemer van {spec['noemer_van']}.",
                column=name,
                min_value=0,
                strict_min=True,
            )
        )
    if spec.get("teller"):
        out.append(
            _exp(
                "expect_column_values_to_be_between",
                WAARSCHUWING,
                f"Een percentage van 0 kan niet als er {spec['teller']} zijn.",
                column=name,
                min_value=0,
                strict_min=True,
                row_condition=_condition(spec["teller"], ">", 0),
            )
        )
    return out


def _unique(key: list[str]) -> dict:
    regel = "Elk schooljaar (per categorie) staat er één keer in."
    if len(key) == 1:
        return _exp("expect_column_values_to_be_unique", BLOKKEREND, regel, column=key[0])
    return _exp("expect_compound_columns_to_be_unique", BLOKKEREND, regel, column_list=key)


def suite_from_schema(table: Table) -> dict:
    """The GX suite (as JSON-ready dict) that checks one input table against the schema."""
    expectations = [
        _exp(
            "expect_table_columns_to_match_ordered_list",
            BLOKKEREND,
            f"De kolommen zijn die van {table.bestand}.",
            column_list=list(table.columns),
        ),
        _unique(table.key),
        _exp(
            "expect_column_distinct_values_to_contain_set",
            BLOKKEREND,
            "Geen ontbrekende schooljaren binnen de jaren die het verslag toont.",
            column="schooljaar",
            value_set="{venster}",
        ),
    ]
    if table.required:
        expectations.append(
            _exp(
                "expect_column_distinct_values_to_contain_set",
                BLOKKEREND,
                "De tabel heeft een rij voor het verslagjaar.",
                column="schooljaar",
                value_set=["{schooljaar}"],
            )
        )
    for name, spec in table.columns.items():
        expectations += _column_expectations(name, spec, table)
    meta = {"titel": table.title, "bron": f"gegenereerd uit {table.bestand}"}
    return {"name": table.name, "meta": meta, "expectations": expectations}


def write_suites() -> list[str]:
    """Write one suite per project table to expectations/ (run after changing data/schema.yaml).

    A gemeente's own tables get theirs from its own schema when its data is checked: nothing
    shared changes for them."""
    paths.EXPECTATIONS.mkdir(exist_ok=True)
    written = []
    for table in project_schema().values():
        target = paths.EXPECTATIONS / f"{table.name}.json"
        target.write_text(json.dumps(suite_from_schema(table), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(paths.relative(target))
    return written


def load_suite_json(name: str) -> dict:
    """A suite from expectations/, or, for a gemeente's own table, made from its own schema."""
    path = paths.EXPECTATIONS / f"{name}.json"
    if not path.exists() and name in schema() and name not in project_schema():
        return suite_from_schema(schema()[name])
    if not path.exists():
        raise ValidatieFout(
            f"{paths.relative(path)} ontbreekt: de controles van tabel {name} zijn nog niet gemaakt. "
            "Maak ze uit data/schema.yaml met: jaarverslag suites"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def tabellen_van_suite(name: str) -> list[str]:
    """The input tables a suite reads: its own table, or those a cross-table suite names in its meta."""
    return [name] if name in schema() else load_suite_json(name).get("meta", {}).get("tabellen", [])
