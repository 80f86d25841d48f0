"""Validate the input tables with Great Expectations (GX Core 1.x).

Every suite is a JSON file in expectations/ (see suites.py): one per input table and one
per check frame for rules within and across tables (see kruiscontroles.py). Each
expectation carries in its `meta` a severity (`ernst`: blokkerend | waarschuwing) and a
Dutch description (`regel`). Suites are loaded into an ephemeral context: no GX project
folder is needed. This module runs them and turns what fails into findings.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import threading
from functools import cache

import pandas as pd

from jaarverslag import paths
from jaarverslag.controle.kruiscontroles import check_frames
from jaarverslag.controle.suites import BLOKKEREND, ERNST, load_suite_json
from jaarverslag.errors import ValidatieFout
from jaarverslag.formatting import getal, window_years
from jaarverslag.invoer.schema import STATUS, schema, table_path

# --- running GX -----------------------------------------------------------------------


_CONTEXT_LOCK = threading.Lock()


def _context():
    """The one ephemeral GX context of this process (created on first use, thread-safe)."""
    with _CONTEXT_LOCK:
        return _create_context()


@cache
def _create_context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx  # start-up: GX takes seconds
    from great_expectations.data_context.types.base import ProgressBarsConfig  # start-up: GX takes seconds

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context, context.data_sources.add_pandas("jaarverslag")


_ASSET_LOCK = threading.Lock()


def _batch_definition(name: str):
    """The batch definition of one table or check frame, made on first use and reused after.

    Each new asset makes GX write its whole project config again (as YAML, even in memory), so a
    process that validates often, the live preview or a test run, got slower with every validation
    while its assets piled up. The data frame is given with each batch, so one asset serves all."""
    with _ASSET_LOCK:
        return _new_batch_definition(name)


@cache
def _new_batch_definition(name: str):
    _, source = _context()
    asset = source.add_dataframe_asset(name)
    return asset.add_batch_definition_whole_dataframe("alles")


def _fill(value, schooljaar: str, venster: list[str]):
    if value == "{venster}":
        return venster
    if isinstance(value, str):
        return value.replace("{schooljaar}", schooljaar)
    if isinstance(value, list):
        return [_fill(v, schooljaar, venster) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, schooljaar, venster) for k, v in value.items()}
    return value


NOT_NULL = "expect_column_values_to_not_be_null"


def _demanded(expectation: dict, needed: tuple[str, ...] | None) -> bool:
    """A figure that must be filled in is demanded only where the report needs its column
    (`needed`: the columns it prints or checks, see invoer/benodigd.py; None: all)."""
    return needed is None or expectation["type"] != NOT_NULL or expectation["kwargs"].get("column") in needed


def _suite(raw: dict, name: str, schooljaar: str, venster: list[str], needed: tuple[str, ...] | None = None):
    import great_expectations as gx  # start-up: GX takes seconds
    from great_expectations.expectations.expectation_configuration import (  # start-up: GX takes seconds
        ExpectationConfiguration,
    )

    expectations = [
        ExpectationConfiguration(
            type=e["type"],
            kwargs={k: _fill(v, schooljaar, venster) for k, v in e["kwargs"].items()},
            meta=e["meta"],
            severity=e["severity"],
        ).to_domain_obj()
        for e in raw["expectations"]
        if _demanded(e, needed)
    ]
    return gx.ExpectationSuite(name=name, expectations=expectations)


# Figures a finding shows besides the columns of its expectation (derived columns need their sources).
SHOWN_WITH = {
    "afwijking": ["vsv", "jongeren", "percentage_vsv", "percentage_berekend"],
    "verandering_procent": ["vorige_waarde", "waarde"],
}


def _categorieen(frame: pd.DataFrame) -> list[str]:
    """The text columns that tell a table's rows apart within a school year (not the note or status)."""
    return [c for c in frame.columns if frame[c].dtype == "string" and c not in ("schooljaar", "noot", STATUS)]


def _columns_of(kwargs: dict, frame: pd.DataFrame) -> list[str]:
    """The columns an expectation is about, plus categories and columns in its row condition."""
    names = _categorieen(frame)
    own = [kwargs.get(k) for k in ("column_A", "column_B", "column")] + list(kwargs.get("column_list") or [])
    names += [extra for name in own for extra in SHOWN_WITH.get(name, [])] + own
    condition = str(kwargs.get("row_condition") or "")  # GX 1.x may wrap it in a dict
    names += [c for c in frame.columns if c in condition and c != "schooljaar"]
    return [n for n in dict.fromkeys(names) if n and n in frame and n != "schooljaar"]


def _describe_rows(frame: pd.DataFrame, indices: list, kwargs: dict) -> list[tuple[str, str, dict, dict]]:
    """Per failing row: its school year, the figures involved (as text and as values), and its key."""
    columns = _columns_of(kwargs, frame)
    categories = _categorieen(frame)
    out = []
    for index in indices:
        row = frame.loc[index]
        values = ", ".join(f"{c} = {_show(row[c])}" for c in columns)
        key = {c: str(row[c]) for c in categories}
        figures = {
            c: None if pd.isna(row[c]) else row[c].item() if hasattr(row[c], "item") else row[c] for c in columns
        }
        out.append((str(row.get("schooljaar", "–")), values, key, figures))
    return out


def _show(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "leeg"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return getal(value, 0 if float(value).is_integer() else 2)
    return str(value)


def _findings(name: str, title: str, frame: pd.DataFrame, result) -> list[dict]:
    found = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        meta, kwargs = config.meta or {}, config.kwargs
        base = {
            "tabel": name,
            "titel": title,
            "regel": meta.get("regel", config.type),
            "ernst": ERNST.get(str(getattr(config.severity, "value", config.severity)), BLOKKEREND),
            "verwachting": config.type,
            "kolom": kwargs.get("column") or kwargs.get("column_A") or "",
            "kolom_b": kwargs.get("column_B") or "",
        }
        indices = item.result.get("unexpected_index_list")
        if indices:
            for schooljaar, values, key, figures in _describe_rows(frame, indices, kwargs):
                found.append({**base, "schooljaar": schooljaar, "gevonden": values, "sleutel": key, "waarden": figures})
        else:
            observed = item.result.get("observed_value")
            detail = (
                "ontbreekt"
                if item.exception_info and item.exception_info.get("raised_exception")
                else f"gevonden: {_show(observed)}"
            )
            found.append({**base, "schooljaar": "–", "gevonden": detail, "sleutel": {}})
    return found


def validate(
    tables: dict[str, pd.DataFrame],
    schooljaar: str,
    aantal_jaren: int,
    suites_only: set[str] | None = None,
    nodig: dict[str, tuple[str, ...]] | None = None,
) -> dict:
    """Run every suite (or only `suites_only`); return blocking findings and warnings (JSON-ready).

    `nodig` is what the report's definition needs of each table (`Verslag.nodig`): a figure it
    neither prints nor checks need not be filled in."""
    batches = {**{n: tables[n] for n in schema() if n in tables}, **check_frames(tables)}
    batches = {n: f for n, f in batches.items() if suites_only is None or n in suites_only}
    findings, suites, checked = [], [], 0
    for name, frame in batches.items():
        venster = window_years(frame["schooljaar"], schooljaar, aantal_jaren) if not frame.empty else []
        venster = [y for y in venster if frame.empty or y <= frame["schooljaar"].max()]
        controles, found = _uitslag(name, frame, schooljaar, venster, (nodig or {}).get(name))
        checked += controles
        suites.append({"suite": name, "controles": controles, "bevindingen": len(found)})
        findings += found
    blocking = [f for f in findings if f["ernst"] == BLOKKEREND]
    return {
        "schooljaar": schooljaar,
        "gx_versie": _gx_version(),
        "aantal_controles": checked,
        "aantal_suites": len(batches),
        "blokkerend": blocking,
        "waarschuwingen": [f for f in findings if f["ernst"] != BLOKKEREND],
        "geslaagd": not blocking,
        "suites": suites,
    }


_UITSLAGEN: dict[str, tuple[int, list[dict]]] = {}  # suite and its exact input -> (checks, findings)
MAX_UITSLAGEN = 128  # a validation asks about some 20 suites: this keeps the last few, a few MB at most


def _uitslag(name: str, frame: pd.DataFrame, schooljaar: str, venster: list[str], needed) -> tuple[int, list[dict]]:
    """How many checks one suite ran on `frame`, and what it found: GX's answer, kept in this process
    under a sha256 of everything that answer depends on (the suite as read now, the school year,
    the window, the demanded columns and the frame's values, index and types).

    A process that validates again and again (the live preview after a data edit, a workbook read
    in three times, a test run) asks GX only about the suites whose input changed."""
    raw = load_suite_json(name)
    key = _sleutel(raw, name, frame, schooljaar, venster, needed)
    if key not in _UITSLAGEN:
        if len(_UITSLAGEN) >= MAX_UITSLAGEN:
            _UITSLAGEN.pop(next(iter(_UITSLAGEN)))
        _UITSLAGEN[key] = _gx_uitslag(raw, name, frame, schooljaar, venster, needed)
    controles, found = _UITSLAGEN[key]
    return controles, copy.deepcopy(found)


def _sleutel(raw: dict, name: str, frame: pd.DataFrame, *args) -> str:
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True).encode())
    digest.update(repr((name, args, list(frame.columns), [str(t) for t in frame.dtypes])).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def _gx_uitslag(raw: dict, name: str, frame: pd.DataFrame, schooljaar: str, venster: list[str], needed):
    suite = _suite(raw, name, schooljaar, venster, needed)
    batch = _batch_definition(name).get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite, result_format={"result_format": "BOOLEAN_ONLY"})
    failed = [r.expectation_config.to_domain_obj() for r in result.results if not r.success]
    title = raw.get("meta", {}).get("titel", name)
    return len(result.results), _findings(name, title, frame, _detail(batch, name, failed)) if failed else []


def _detail(batch, name: str, failed: list):
    """Run only the failed expectations again, now with the rows that broke them (COMPLETE).

    The first pass asks GX for a yes or no only, which is cheaper on data that passes.
    """
    import great_expectations as gx  # start-up: GX takes seconds

    suite = gx.ExpectationSuite(name=f"{name}-details", expectations=failed)
    return batch.validate(suite, result_format={"result_format": "COMPLETE"})


def importeer() -> None:
    """Import Great Expectations and make its context (it takes seconds); validate() then finds it."""
    _context()


def _gx_version() -> str:
    import great_expectations as gx  # start-up: GX takes seconds

    return gx.__version__


MAX_SHOWN_FINDINGS = 10  # blocking findings listed in the message; the summary keeps them all


def raise_if_blocking(summary: dict, gemeente: str) -> None:
    """Stop with every blocking finding (the first few), each naming its input file where it has one."""
    found = summary["blokkerend"]
    if found:
        lines = [
            f"  - {_where(f['tabel'], f.get('gemeente', gemeente))}, schooljaar {f['schooljaar']}: "
            f"{f['regel']} ({f['gevonden']})"
            for f in found[:MAX_SHOWN_FINDINGS]
        ]
        if len(found) > MAX_SHOWN_FINDINGS:
            lines.append(f"  - en {len(found) - MAX_SHOWN_FINDINGS} meer.")
        raise ValidatieFout(
            f"De controle van de invoergegevens vond {len(found)} blokkerende fout(en); "
            "het verslag is niet gemaakt:\n" + "\n".join(lines)
        )


def _where(name: str, gemeente: str) -> str:
    """An input table by its file (data/<gemeente>/<name>.csv); a cross-table check by its name."""
    return paths.relative(table_path(gemeente, name)) if name in schema() else f"controle {name}"
