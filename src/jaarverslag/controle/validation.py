"""Validate the input tables with Great Expectations (GX Core 1.x).

Every suite is a JSON file in expectations/: one per input table (generated from
data/schema.yaml by `suites_from_schema`) and one per derived check frame for rules
within and across tables (hand-written). Each expectation carries in its `meta` a
severity (`ernst`: blokkerend | waarschuwing) and a Dutch description (`regel`).
Suites are loaded into an ephemeral context: no GX project folder is needed.
"""

from __future__ import annotations

import html
import json
import logging
import os
import threading
from functools import cache
from pathlib import Path

import pandas as pd

from jaarverslag import paths
from jaarverslag.errors import ValidatieFout
from jaarverslag.formatting import getal
from jaarverslag.inhoud.indicators import window_years
from jaarverslag.invoer.loading import RANGES
from jaarverslag.invoer.schema import Table, schema, table_path

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
            "De kolommen zijn die van data/schema.yaml.",
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
    meta = {"titel": table.title, "bron": "gegenereerd uit data/schema.yaml"}
    return {"name": table.name, "meta": meta, "expectations": expectations}


def write_suites() -> list[str]:
    """Write one suite per input table to expectations/ (run after changing the schema)."""
    paths.EXPECTATIONS.mkdir(exist_ok=True)
    written = []
    for table in schema().values():
        target = paths.EXPECTATIONS / f"{table.name}.json"
        target.write_text(json.dumps(suite_from_schema(table), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(paths.relative(target))
    return written


# --- check frames for rules within and across tables ------------------------------------


def _sum_of(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    return frame[columns].sum(axis=1, min_count=len(columns)).where(frame[columns].notna().all(axis=1))


JUMP_TYPES = {
    "schooljaar": "string",
    "tabel": "string",
    "kolom": "string",
    "vorige_waarde": "Float64",
    "waarde": "Float64",
    "grens_procent": "Float64",
    "verandering_procent": "Float64",
}


def _jumps_in(frame: pd.DataFrame, table: Table, column: str, limit: float) -> pd.DataFrame:
    """The change of `column` from each school year to the next (per category), in percent."""
    categories = [c for c in table.key if c != "schooljaar"]
    data = frame.sort_values([*categories, "schooljaar"]).reset_index(drop=True)
    before = data.shift()
    start = pd.to_numeric(data["schooljaar"].str[:4], errors="coerce")
    follows = (start == pd.to_numeric(before["schooljaar"].str[:4], errors="coerce") + 1).fillna(False)
    same = (data[categories] == before[categories]).fillna(False).all(axis=1)
    previous, now = before[column].astype("Float64"), data[column].astype("Float64")
    label = data[categories].astype(str).agg(", ".join, axis=1).radd(f"{column} (").add(")") if categories else column
    jumps = pd.DataFrame(
        {
            "schooljaar": data["schooljaar"],
            "tabel": table.name,
            "kolom": label,
            "vorige_waarde": previous,
            "waarde": now,
            "grens_procent": limit * 100,
            "verandering_procent": ((now - previous).abs() / previous.where(previous > 0) * 100).round(1),
        }
    )
    return jumps[follows & same].astype(JUMP_TYPES)


def _jumps(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every count with `max_sprong` in the schema, against the school year before."""
    parts = [
        _jumps_in(tables[table.name], table, column, spec["max_sprong"])
        for table in schema().values()
        if table.name in tables
        for column, spec in table.columns.items()
        if "max_sprong" in spec
    ]
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in JUMP_TYPES.items()})
    return pd.concat(parts, ignore_index=True) if parts else empty


def sommen() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The sums in the check frames: column -> (table, the columns summed over a school year's rows).

    The sums over a table's categories are here; a sum of columns is a cross-table suite's
    `meta.som` ({kolom, delen}), so that a gemeente's own table needs no Python for it."""
    return {
        "vsv_som_onderwijssoorten": ("vsv_onderwijssoort", ("vsv",)),
        "vsv_som_mbo_niveaus": ("vsv_mbo_niveau", ("vsv",)),
        **{som["kolom"]: (tabel, tuple(som["delen"])) for _, (tabel,), som in _column_sums()},
    }


def _column_sums() -> list[tuple[str, tuple[str], dict]]:
    """(suite, its table, its meta.som) for every cross-table suite that checks a sum of columns."""
    suites = (load_suite_json(p.stem) for p in sorted(paths.EXPECTATIONS.glob("kruis_*.json")))
    return [(s["name"], tuple(s["meta"]["tabellen"]), s["meta"]["som"]) for s in suites if "som" in s.get("meta", {})]


def _vsv_per_soort(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    per_soort = tables["vsv_onderwijssoort"].pivot(index="schooljaar", columns="onderwijssoort", values="vsv")
    soorten = [s for s in ("vo", "mbo", "vavo") if s in per_soort]
    vsv_parts = pd.DataFrame(
        {"schooljaar": per_soort.index, "vsv_som_onderwijssoorten": _sum_of(per_soort, soorten).values}
    )
    return tables["jongeren_vsv"][["schooljaar", "vsv"]].merge(vsv_parts, on="schooljaar", how="inner")


def _mbo_niveaus(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    niveaus = tables["vsv_mbo_niveau"].groupby("schooljaar", as_index=False)["vsv"].sum(min_count=1)
    mbo = tables["vsv_onderwijssoort"].query("onderwijssoort == 'mbo'")[["schooljaar", "vsv"]]
    return mbo.rename(columns={"vsv": "vsv_mbo"}).merge(
        niveaus.rename(columns={"vsv": "vsv_som_mbo_niveaus"}), on="schooljaar", how="inner"
    )


def _with_sum(column: str):
    """A table with the sum of its parts added as `column` (see sommen)."""

    def frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
        table, parts = sommen()[column]
        return tables[table].assign(**{column: _sum_of(tables[table], list(parts))})

    return frame


def _percentage_vsv(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    jongeren = tables["jongeren_vsv"]
    exact = jongeren["vsv"].astype("Float64") / jongeren["jongeren"].astype("Float64") * 100
    return jongeren.assign(
        percentage_berekend=exact.round(4),
        afwijking=(jongeren["percentage_vsv"] - exact).abs().round(4),
    )


CHECK_FRAMES = {  # cross-table suite -> (the tables it needs, the frame it checks); sums of columns: sommen()
    "kruis_vsv_onderwijssoorten": (("jongeren_vsv", "vsv_onderwijssoort"), _vsv_per_soort),
    "kruis_mbo_niveaus": (("vsv_onderwijssoort", "vsv_mbo_niveau"), _mbo_niveaus),
    "kruis_percentage_vsv": (("jongeren_vsv",), _percentage_vsv),
    "kruis_sprongen": ((), _jumps),  # over the loaded tables with max_sprong in the schema
}


def check_frames(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Derived frames on which the cross-table suites run (those whose tables the report uses);
    arithmetic here, the checks in GX."""
    frames = {**CHECK_FRAMES, **{name: (needed, _with_sum(som["kolom"])) for name, needed, som in _column_sums()}}
    return {name: make(tables) for name, (needed, make) in sorted(frames.items()) if set(needed) <= set(tables)}


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
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context, context.data_sources.add_pandas("jaarverslag")


def load_suite_json(name: str) -> dict:
    path = paths.EXPECTATIONS / f"{name}.json"
    if not path.exists():
        raise ValidatieFout(
            f"{paths.relative(path)} ontbreekt: de controles van tabel {name} zijn nog niet gemaakt. "
            "Maak ze uit data/schema.yaml met: jaarverslag suites"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def tabellen_van_suite(name: str) -> list[str]:
    """The input tables a suite reads: its own table, or those a cross-table suite names in its meta."""
    return [name] if name in schema() else load_suite_json(name).get("meta", {}).get("tabellen", [])


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


def _suite(name: str, schooljaar: str, venster: list[str]):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    raw = load_suite_json(name)
    expectations = [
        ExpectationConfiguration(
            type=e["type"],
            kwargs={k: _fill(v, schooljaar, venster) for k, v in e["kwargs"].items()},
            meta=e["meta"],
            severity=e["severity"],
        ).to_domain_obj()
        for e in raw["expectations"]
    ]
    return gx.ExpectationSuite(name=name, expectations=expectations), raw.get("meta", {}).get("titel", name)


# Figures a finding shows besides the columns of its expectation (derived columns need their sources).
SHOWN_WITH = {
    "afwijking": ["vsv", "jongeren", "percentage_vsv", "percentage_berekend"],
    "verandering_procent": ["vorige_waarde", "waarde"],
}


def _columns_of(kwargs: dict, frame: pd.DataFrame) -> list[str]:
    """The columns an expectation is about, plus categories and columns in its row condition."""
    names = [c for c in frame.columns if frame[c].dtype == "string" and c not in ("schooljaar", "noot")]
    own = [kwargs.get(k) for k in ("column_A", "column_B", "column")] + list(kwargs.get("column_list") or [])
    names += [extra for name in own for extra in SHOWN_WITH.get(name, [])] + own
    condition = str(kwargs.get("row_condition") or "")  # GX 1.x may wrap it in a dict
    names += [c for c in frame.columns if c in condition and c != "schooljaar"]
    return [n for n in dict.fromkeys(names) if n and n in frame and n != "schooljaar"]


def _describe_rows(frame: pd.DataFrame, indices: list, kwargs: dict) -> list[tuple[str, str, dict, dict]]:
    """Per failing row: its school year, the figures involved (as text and as values), and its key."""
    columns = _columns_of(kwargs, frame)
    categories = [c for c in frame.columns if frame[c].dtype == "string" and c not in ("schooljaar", "noot")]
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
    tables: dict[str, pd.DataFrame], schooljaar: str, aantal_jaren: int, suites_only: set[str] | None = None
) -> dict:
    """Run every suite (or only `suites_only`); return blocking findings and warnings (JSON-ready)."""
    context, source = _context()
    batches = {**{n: tables[n] for n in schema() if n in tables}, **check_frames(tables)}
    batches = {n: f for n, f in batches.items() if suites_only is None or n in suites_only}
    findings, suites, checked = [], [], 0
    for name, frame in batches.items():
        venster = window_years(frame["schooljaar"], schooljaar, aantal_jaren) if not frame.empty else []
        venster = [y for y in venster if frame.empty or y <= frame["schooljaar"].max()]
        suite, title = _suite(name, schooljaar, venster)
        asset = source.add_dataframe_asset(f"{name}-{len(source.assets)}")
        batch = asset.add_batch_definition_whole_dataframe("alles").get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, result_format={"result_format": "BOOLEAN_ONLY"})
        checked += len(result.results)
        failed = [r.expectation_config.to_domain_obj() for r in result.results if not r.success]
        found = _findings(name, title, frame, _detail(batch, name, failed)) if failed else []
        suites.append({"suite": name, "controles": len(result.results), "bevindingen": len(found)})
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


def _detail(batch, name: str, failed: list):
    """Run only the failed expectations again, now with the rows that broke them (COMPLETE).

    The first pass asks GX for a yes or no only, which is cheaper on data that passes.
    """
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=f"{name}-details", expectations=failed)
    return batch.validate(suite, result_format={"result_format": "COMPLETE"})


def start_import() -> None:
    """Import Great Expectations in the background (it takes seconds); validate() waits for it."""
    threading.Thread(target=_context, daemon=True).start()


def _gx_version() -> str:
    import great_expectations as gx

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


def write_report(summary: dict, folder: Path) -> None:
    """validatie.json (machine-readable) and validatie.html (for auditors) in a report folder."""
    (folder / "validatie.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    (folder / "validatie.html").write_text(validation_html(summary), encoding="utf-8")


def validation_html(summary: dict) -> str:
    esc = html.escape
    suites = "".join(
        f'<tr><th scope="row">{esc(s["suite"])}</th><td>{s["controles"]}</td><td>{s["bevindingen"]}</td></tr>'
        for s in summary["suites"]
    )
    rows = (
        "".join(
            f'<tr><th scope="row">{esc(f["tabel"])}</th><td>{esc(f["schooljaar"])}</td><td>{esc(f["ernst"])}</td>'
            f"<td>{esc(f['regel'])}</td><td>{esc(f['gevonden'])}</td></tr>"
            for f in summary["blokkerend"] + summary["waarschuwingen"]
        )
        or '<tr><td colspan="5">Geen bevindingen.</td></tr>'
    )
    verdict = "geen blokkerende fouten" if summary["geslaagd"] else "blokkerende fouten: er is geen verslag gemaakt"
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Validatie invoergegevens {esc(summary["schooljaar"])}</title>
<style>body{{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}
table{{border-collapse:collapse;margin:1rem 0;width:100%}}th,td{{border-bottom:1px solid #b8c4cc;padding:.3rem .5rem;text-align:left;vertical-align:top}}
thead th{{background:#eef3f6}}caption{{text-align:left;font-weight:bold}}</style></head>
<body><main><h1>Validatie van de invoergegevens, schooljaar {esc(summary["schooljaar"])}</h1>
<p>Great Expectations {esc(summary["gx_versie"])}: {summary["aantal_controles"]} controles in {summary["aantal_suites"]} suites;
{len(summary["blokkerend"])} blokkerend, {len(summary["waarschuwingen"])} waarschuwing(en); {verdict}.</p>
<table><caption>Bevindingen</caption><thead><tr><th scope="col">Tabel of controle</th><th scope="col">Schooljaar</th>
<th scope="col">Ernst</th><th scope="col">Regel</th><th scope="col">Gevonden</th></tr></thead><tbody>{rows}</tbody></table>
<table><caption>Suites (expectations/*.json)</caption><thead><tr><th scope="col">Suite</th><th scope="col">Controles</th>
<th scope="col">Bevindingen</th></tr></thead><tbody>{suites}</tbody></table></main></body></html>
"""
