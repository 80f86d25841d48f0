"""Every validation rule on a small bad table, with its severity; and the shipped data."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from jaarverslag import paths
from jaarverslag.bouw.build import build, check_inputs
from jaarverslag.controle import kruiscontroles, suites, validation
from jaarverslag.errors import ValidatieFout
from jaarverslag.invoer.loading import load_tables
from jaarverslag.invoer.schema import schema

YEAR = "2022-2023"


@pytest.fixture(scope="module")
def shipped():
    return load_tables("deventer")


def _copy(tables):
    return {name: frame.copy() for name, frame in tables.items()}


def _findings(tables, suite):
    summary = validation.validate(tables, YEAR, 5, suites_only={suite})
    return summary["blokkerend"], summary["waarschuwingen"]


def _set(frame, year, column, value, **key):
    mask = frame["schooljaar"] == year
    for k, v in key.items():
        mask &= frame[k] == v
    frame.loc[mask, column] = value
    return frame


def test_shipped_data_has_no_blocking_finding_and_the_known_warnings(shipped):
    summary = validation.validate(shipped, YEAR, 5)
    assert summary["blokkerend"] == []
    found = sorted((w["tabel"], w["schooljaar"], w["gevonden"]) for w in summary["waarschuwingen"])
    assert found == [
        ("kruis_vsv_onderwijssoorten", "2020-2021", "vsv = 166, vsv_som_onderwijssoorten = 164"),
        ("vsv_onderwijssoort", "2019-2020", "onderwijssoort = vo, percentage_vsv = 0, vsv = 23"),
        ("vsv_onderwijssoort", "2020-2021", "onderwijssoort = vo, percentage_vsv = 0, vsv = 20"),
        ("vsv_onderwijssoort", "2021-2022", "onderwijssoort = vo, percentage_vsv = 0, vsv = 22"),
    ]
    assert summary["aantal_suites"] == len(list(paths.EXPECTATIONS.glob("*.json")))


def test_validating_again_asks_gx_only_about_changed_input_and_adds_no_gx_assets(shipped, monkeypatch):
    """A long-lived process (the live preview, a workbook read in, a test run) validates many times.
    GX is asked again only about the suites whose input changed, with the same answer as a first
    run; and no validation adds GX assets (each makes GX write its whole config again)."""
    asked = []
    gx_uitslag = validation._gx_uitslag
    monkeypatch.setattr(
        validation, "_gx_uitslag", lambda raw, name, *rest: asked.append(name) or gx_uitslag(raw, name, *rest)
    )
    monkeypatch.setattr(validation, "_UITSLAGEN", {})
    first = validation.validate(shipped, YEAR, 5)
    assert len(asked) == first["aantal_suites"]
    _, source = validation._context()
    assets = sorted(asset.name for asset in source.assets)
    assert {suite["suite"] for suite in first["suites"]} <= set(assets)

    asked.clear()
    assert validation.validate(shipped, YEAR, 5) == first
    assert asked == []
    changed = _set(_copy(shipped)["leerplichtigen"], YEAR, "leerplichtigen", -5)
    again = validation.validate({**shipped, "leerplichtigen": changed}, YEAR, 5)
    assert set(asked) == {"leerplichtigen"} | {n for n in asked if n.startswith("kruis_")}
    assert {suite["suite"] for suite in again["suites"]} == {suite["suite"] for suite in first["suites"]}
    assert {f["gevonden"] for f in again["blokkerend"]} == {"leerplichtigen = -5"}
    assert any("is niet negatief" in f["regel"] for f in again["blokkerend"])
    assert sorted(asset.name for asset in source.assets) == assets
    asked.clear()
    validation.validate(shipped, YEAR, 4)  # another window of years: the suites whose window it changes are asked
    assert "leerplichtigen" in asked
    again["blokkerend"][0]["gevonden"] = "veranderd door wie de uitslag leest"
    assert validation.validate({**shipped, "leerplichtigen": changed}, YEAR, 5)["blokkerend"][0]["gevonden"] != (
        "veranderd door wie de uitslag leest"
    )


BLOCKING_CASES = {
    "negatief": ("leerplichtigen", lambda t: _set(t["leerplichtigen"], YEAR, "leerplichtigen", -5), "is niet negatief"),
    "dubbel": (
        "leerplichtigen",
        lambda t: t.__setitem__(
            "leerplichtigen", pd.concat([t["leerplichtigen"], t["leerplichtigen"].tail(1)], ignore_index=True)
        ),
        "staat er één keer in",
    ),
    "vorm schooljaar": (
        "betrokkenheid",
        lambda t: _set(t["betrokkenheid"], "2018-2019", "schooljaar", "2018/19"),
        "JJJJ-JJJJ",
    ),
    "percentage boven 100": (
        "betrokkenheid",
        lambda t: _set(t["betrokkenheid"], YEAR, "percentage_betrokkenheid", 140.0),
        "tussen 0 en 100",
    ),
    "geen geheel getal": (
        "vrijstellingen",
        lambda t: t["vrijstellingen"].__setitem__(
            "artikel_5a", t["vrijstellingen"]["artikel_5a"].astype("Float64") + 0.5
        ),
        "geheel getal",
    ),
    "ontbrekend cijfer verslagjaar": (
        "vrijstellingen",
        lambda t: _set(t["vrijstellingen"], YEAR, "artikel_15", pd.NA),
        "ingevuld voor het verslagjaar",
    ),
    "geen rij verslagjaar": (
        "wettelijk_verzuim",
        lambda t: t.__setitem__("wettelijk_verzuim", t["wettelijk_verzuim"].query("schooljaar != @YEAR")),
        "rij voor het verslagjaar",
    ),
    "gat in de jaren": (
        "wettelijk_verzuim",
        lambda t: t.__setitem__("wettelijk_verzuim", t["wettelijk_verzuim"].query("schooljaar != '2020-2021'")),
        "Geen ontbrekende schooljaren",
    ),
    "onbekende categorie": (
        "vsv_onderwijssoort",
        lambda t: _set(t["vsv_onderwijssoort"], YEAR, "onderwijssoort", "hbo", onderwijssoort="vavo"),
        "toegestane waarden",
    ),
    "leerplichtigen 0": (
        "leerplichtigen",
        lambda t: _set(t["leerplichtigen"], "2020-2021", "leerplichtigen", 0),
        "leerplichtigen is groter dan 0: het is de noemer van het relatief en absoluut verzuim",
    ),
    "jongeren 0": (
        "jongeren_vsv",
        lambda t: _set(t["jongeren_vsv"], YEAR, "jongeren", 0),
        "jongeren is groter dan 0: het is de noemer van het vsv-percentage",
    ),
    "kolommen": (
        "processen_verbaal",
        lambda t: t.__setitem__("processen_verbaal", t["processen_verbaal"].drop(columns="noot")),
        "kolommen zijn die van",
    ),
}


@pytest.mark.parametrize("case", list(BLOCKING_CASES))
def test_blocking_rule(shipped, case):
    suite, change, rule = BLOCKING_CASES[case]
    tables = _copy(shipped)
    change(tables)
    blocking, warnings = _findings(tables, suite)
    assert any(rule in f["regel"] for f in blocking), blocking
    assert not any(rule in f["regel"] for f in warnings)


WARNING_CASES = {
    "waarvan groter dan totaal": (
        "wettelijk_verzuim",
        lambda t: _set(t["wettelijk_verzuim"], YEAR, "herhaald_wettelijk_verzuim", 500),
        "nooit groter dan het totaal",
        YEAR,
    ),
    "percentage 0 bij aantal": (
        "vsv_mbo_niveau",
        lambda t: _set(t["vsv_mbo_niveau"], YEAR, "percentage_vsv", 0.0, mbo_niveau="2"),
        "percentage van 0",
        YEAR,
    ),
    "vsv per onderwijssoort telt niet op": (
        "kruis_vsv_onderwijssoorten",
        lambda t: _set(t["jongeren_vsv"], YEAR, "vsv", 190),
        "som van vo, mbo en vavo",
        YEAR,
    ),
    "mbo-niveaus tellen niet op": (
        "kruis_mbo_niveaus",
        lambda t: _set(t["vsv_mbo_niveau"], YEAR, "vsv", 13, mbo_niveau="1"),
        "som van de mbo-niveaus",
        YEAR,
    ),
    "overstapcoach telt niet op": (
        "kruis_overstapcoach",
        lambda t: _set(t["overstapcoach"], "2023-2024", "overstapcoach_totaal", 56),
        "intensief plus meedenken",
        "2023-2024",
    ),
    "huisbezoeken tellen niet op": (
        "kruis_huisbezoeken",
        lambda t: _set(t["huisbezoeken"], YEAR, "verhuisd", 3),
        "som van de uitkomsten",
        YEAR,
    ),
    "leerplichtigen: cijfer weggevallen": (
        "kruis_sprongen",
        lambda t: _set(t["leerplichtigen"], YEAR, "leerplichtigen", 1434),
        "verandert niet meer dan de grens",
        YEAR,
    ),
    "jongeren: sprong omhoog": (
        "kruis_sprongen",
        lambda t: _set(t["jongeren_vsv"], "2020-2021", "jongeren", 82180),
        "verandert niet meer dan de grens",
        "2020-2021",
    ),
    "percentage klopt niet": (
        "kruis_percentage_vsv",
        lambda t: _set(t["jongeren_vsv"], YEAR, "percentage_vsv", 2.45),
        "vsv / jongeren",
        YEAR,
    ),
}


@pytest.mark.parametrize("case", list(WARNING_CASES))
def test_warning_rule(shipped, case):
    suite, change, rule, year = WARNING_CASES[case]
    tables = _copy(shipped)
    change(tables)
    blocking, warnings = _findings(tables, suite)
    assert blocking == []
    hits = [f for f in warnings if rule in f["regel"] and f["schooljaar"] == year]
    assert hits and hits[0]["ernst"] == "waarschuwing"


def test_a_jump_shows_both_years_figures(shipped):
    tables = _copy(shipped)
    _set(tables["leerplichtigen"], YEAR, "leerplichtigen", 1434)  # 14.339 lost a digit
    _, warnings = _findings(tables, "kruis_sprongen")
    assert [(w["schooljaar"], w["gevonden"]) for w in warnings] == [
        (
            YEAR,
            "tabel = leerplichtigen, kolom = leerplichtigen, vorige_waarde = 14.354, waarde = 1.434, "
            "grens_procent = 25, verandering_procent = 90",
        )
    ]


@pytest.mark.parametrize(
    ("year", "value", "expected"),
    [
        (YEAR, 14354 * 0.76, []),  # 24% down: within the limit
        (YEAR, 14354 * 1.25, []),  # exactly the limit
        (YEAR, 14354 * 1.26, [YEAR]),
        ("2018-2019", 1000, ["2019-2020"]),  # the first year has no year before; the next one jumps
        (YEAR, pd.NA, []),  # a missing figure is no jump
    ],
)
def test_jump_limit(shipped, year, value, expected):
    tables = _copy(shipped)
    _set(tables["leerplichtigen"], year, "leerplichtigen", value if value is pd.NA else round(value))
    _, warnings = _findings(tables, "kruis_sprongen")
    assert [w["schooljaar"] for w in warnings] == expected


def test_jumps_compare_consecutive_years_only_and_never_across_categories(shipped):
    frame = shipped["vsv_onderwijssoort"].query("schooljaar != '2020-2021'")
    jumps = kruiscontroles._jumps_in(frame, schema()["vsv_onderwijssoort"], "vsv", 0.25)
    found = sorted(
        jumps[["kolom", "schooljaar", "vorige_waarde", "waarde", "verandering_procent"]].itertuples(index=False)
    )
    assert [tuple(row) for row in found] == [
        ("vsv (mbo)", "2019-2020", 176, 147, 16.5),
        ("vsv (mbo)", "2022-2023", 173, 154, 11.0),
        ("vsv (vavo)", "2019-2020", 8, 6, 25.0),
        ("vsv (vavo)", "2022-2023", 7, 13, 85.7),
        ("vsv (vo)", "2019-2020", 19, 23, 21.1),
        ("vsv (vo)", "2022-2023", 22, 17, 22.7),
    ]


def test_jump_limit_and_denominators_come_from_the_schema():
    columns = {(t.name, c): s for t in schema().values() for c, s in t.columns.items()}
    assert {k for k, s in columns.items() if "max_sprong" in s} == {
        ("leerplichtigen", "leerplichtigen"),
        ("jongeren_vsv", "jongeren"),
    }
    assert {k for k, s in columns.items() if s.get("noemer_van")} == {
        ("leerplichtigen", "leerplichtigen"),
        ("jongeren_vsv", "jongeren"),
    }


def test_shipped_counts_stay_far_below_the_jump_limit(shipped):
    jumps = kruiscontroles.check_frames(shipped)["kruis_sprongen"]
    assert len(jumps) == 8
    assert jumps["verandering_procent"].max() < 5 < jumps["grens_procent"].min()


def test_blocking_findings_in_the_message_are_capped():
    finding = {"tabel": "leerplichtigen", "schooljaar": YEAR, "regel": "Regel.", "gevonden": "x"}
    summary = {"blokkerend": [finding] * 25}
    with pytest.raises(ValidatieFout) as caught:
        validation.raise_if_blocking(summary, "deventer")
    message = str(caught.value)
    assert message.startswith("De controle van de invoergegevens vond 25 blokkerende fout(en)")
    assert message.count("\n  - ") == 11 and message.endswith("  - en 15 meer.")
    assert "  - data/deventer/leerplichtigen.csv, schooljaar" in message  # the file, not only the table


def test_rounding_within_half_a_hundredth_is_no_warning(shipped):
    tables = _copy(shipped)
    _set(tables["jongeren_vsv"], YEAR, "percentage_vsv", 2.355)  # 184 / 7821 = 2.3526...
    assert _findings(tables, "kruis_percentage_vsv") == ([], [])


def test_table_suites_are_in_step_with_the_schema():
    for table in schema().values():
        assert suites.load_suite_json(table.name) == suites.suite_from_schema(table), (
            f"expectations/{table.name}.json is verouderd: draai jaarverslag suites"
        )


def test_every_expectation_has_a_severity_and_a_dutch_rule():
    for path in paths.EXPECTATIONS.glob("*.json"):
        for expectation in json.loads(path.read_text())["expectations"]:
            assert expectation["severity"] in ("critical", "warning")
            assert expectation["meta"]["regel"]


def test_gx_stays_quiet_and_offline(shipped, capfd):
    validation.validate(shipped, YEAR, 5, suites_only={"leerplichtigen"})
    out, err = capfd.readouterr()
    assert "Calculating Metrics" not in out + err
    assert os.environ.get("GX_ANALYTICS_ENABLED") == "False"


@pytest.mark.e2e
def test_blocking_finding_stops_the_build_before_execution_and_keeps_the_last_report(project, capsys):
    folder = paths.REPORTS / "deventer" / YEAR
    folder.mkdir(parents=True)
    (folder / "jaarverslag.pdf").write_bytes(b"%PDF-vorige versie")
    path = paths.DATA / "deventer" / "wettelijk_verzuim.csv"
    path.write_text("".join(line for line in path.read_text().splitlines(True) if not line.startswith("2020-2021")))
    with pytest.raises(ValidatieFout) as caught:
        check_inputs("deventer", YEAR)
    assert "Geen ontbrekende schooljaren binnen de jaren die het verslag toont" in str(caught.value)
    with pytest.raises(ValidatieFout):
        build("deventer", YEAR, stil=True)
    assert (folder / "jaarverslag.pdf").read_bytes() == b"%PDF-vorige versie"
    assert sorted(p.name for p in (paths.REPORTS / "deventer").iterdir() if not p.name.startswith(".")) == [YEAR]
    assert not list((paths.REPORTS / "deventer").glob("*.bouw"))


def test_missing_rows_for_the_year_give_a_checklist(project):
    path = paths.DATA / "deventer" / "vrijstellingen.csv"
    path.write_text(path.read_text().replace("2022-2023,79,5,9,12", "2022-2023,79,5,9,"))
    with pytest.raises(ValidatieFout) as caught:
        check_inputs("deventer", YEAR)
    assert "[ ] data/deventer/vrijstellingen.csv: vul voor 2022-2023 de kolom(men) artikel_15 in." in str(caught.value)
