"""A new gemeente the whole way, as a new user goes it: `nieuwe-gemeente`, the workbook for four
school years filled in with openpyxl, `inlezen`, a table of its own in data/<g>/schema.yaml, the
build. Nothing the other gemeenten share changes on the way."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, assert_no_python_words
from openpyxl import load_workbook
from tables_html import read_tables

from jaarverslag import bundel, cli, paths
from jaarverslag.errors import JaarverslagFout, ParameterFout
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.schema import schema
from jaarverslag.nieuwjaar.invulwerkmap import NAME_ROW
from jaarverslag.nieuwjaar.nieuwe_gemeente import laatste_schooljaar, maak

YEARS = ["2019-2020", "2020-2021", "2021-2022", "2022-2023"]
CHOSEN = "wettelijk_verzuim,leerplichtigen,jongeren,vsv"
OWN_SCHEMA = (Path(__file__).parent / "fixtures" / "heidedorp" / "data" / "schema.yaml").read_text(encoding="utf-8")
OWN_SECTION = """
secties:
  thuiszitters:
    tabel: thuiszitters
    titel: Thuiszitters
    uitleg: Leerplichtige leerlingen die langer dan vier weken zonder geldige reden thuis zaten.
    kolommen: [thuiszitters, terug_binnen_3_maanden]
    grafiek: {soort: staaf}
    kernpunten:
      - trend: thuiszitters
        onderwerp: het aantal thuiszitters
"""
THUISZITTERS = {
    "2019-2020": (12, 5),
    "2020-2021": (15, 6),
    "2021-2022": (11, 5),
    "2022-2023": (9, 5),
}  # 5 or more: the params hide smaller counts


def figures(year: str) -> dict[str, float]:
    """What the analyst types into the workbook for one school year: made up, but consistent."""
    i = YEARS.index(year)
    jongeren, vsv = 3000 + 40 * i, 60 + 3 * i
    return {
        "leerplichtigen": 6100 + 25 * i,
        "wettelijk_verzuim": 120 + 7 * i,
        "herhaald_wettelijk_verzuim": 30 + i,
        "jongeren": jongeren,
        "vsv": vsv,
        "percentage_vsv": round(vsv / jongeren * 100, 2),
        "percentage_vsv_landelijk": round(1.8 - 0.05 * i, 2),
    }


def fill_in(workbook: Path) -> None:
    """Every yellow cell of every year, the way Excel would save it."""
    book = load_workbook(workbook)
    for sheet in book.worksheets[1:]:
        names = [c.value for c in sheet[NAME_ROW]]
        for row in sheet.iter_rows(min_row=NAME_ROW + 1):
            values = figures(row[0].value)
            for cell, name in zip(row, names, strict=False):
                if name in values:
                    cell.value = values[name]
    book.save(workbook)


def digests(*parts: str) -> dict[str, str]:
    """The sha256 of every file under the given project folders or files."""
    out = {}
    for part in parts:
        base = paths.ROOT / part
        for path in sorted([base] if base.is_file() else base.rglob("*")):
            if path.is_file():
                out[paths.relative(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def dutch(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.fixture(scope="module")
def zandhoven(built_report, tmp_path_factory):
    """The whole way, in a copy of the project where Deventer's report is built and current."""
    root = tmp_path_factory.mktemp("zandhoven") / "project"
    shutil.copytree(built_report.parents[2], root, symlinks=True)
    paths.set_root(root)
    try:
        shared = digests("data/schema.yaml", "expectations", "data/deventer")
        steps = walk()
        return root, shared, digests("data/schema.yaml", "expectations", "data/deventer"), steps
    finally:
        paths.set_root(REPO)


def walk() -> dict:
    from jaarverslag.bouw.build import build

    steps = {}
    arguments = ["nieuwe-gemeente", "zandhoven", "--naam", "Zandhoven", "--secties", CHOSEN]
    assert cli.main([*arguments, "--vanaf", YEARS[0], "--tot", YEARS[-1]]) == 0
    workbook = paths.ROOT / "invullen" / f"invullen-zandhoven-{YEARS[0]}-{YEARS[-1]}.xlsx"
    steps["bladen"] = load_workbook(workbook).sheetnames
    fill_in(workbook)
    assert cli.main(["inlezen", str(workbook)]) == 0
    own = paths.DATA / "zandhoven"
    (own / "schema.yaml").write_text(OWN_SCHEMA, encoding="utf-8")
    (own / "thuiszitters.csv").write_text(
        "schooljaar,thuiszitters,terug_binnen_3_maanden,noot\n"
        + "".join(f"{y},{t},{b},\n" for y, (t, b) in THUISZITTERS.items()),
        encoding="utf-8",
    )
    definition = (own / "verslag.yaml").read_text(encoding="utf-8")
    definition = definition.replace(
        "hoofdstukken:\n", "hoofdstukken:\n  - titel: Eigen onderwerpen\n    secties: [thuiszitters]\n", 1
    )
    (own / "verslag.yaml").write_text(definition + OWN_SECTION, encoding="utf-8")
    params = paths.PARAMS / "zandhoven" / f"{YEARS[-1]}.yaml"
    with pytest.raises(JaarverslagFout) as unfilled:
        build("zandhoven", YEARS[-1], stil=True)
    steps["niet ingevuld"] = str(unfilled.value)
    text = params.read_text(encoding="utf-8")
    start = text.index("    VUL IN")
    params.write_text(text[:start] + "    In Zandhoven gaan alle kinderen naar school.\n", encoding="utf-8")
    steps["map"] = build("zandhoven", YEARS[-1], stil=True)
    return steps


@pytest.mark.e2e
def test_a_new_gemeente_the_whole_way(zandhoven, capsys):
    root, before, after, steps = zandhoven
    folder = steps["map"]
    assert steps["bladen"] == ["Uitleg", "leerplichtigen", "wettelijk_verzuim", "jongeren_vsv"]
    assert "teksten.inleiding' is nog niet ingevuld: er staat 'VUL IN'" in steps["niet ingevuld"]

    notebook = nbformat.read(folder / bundel.NOTEBOOK, as_version=4)
    order = [c.get("id")[7:] for c in notebook.cells if c.get("id", "").startswith("sectie-")]
    assert order == ["thuiszitters", "leerplichtigen", "wettelijk-verzuim", "jongeren", "vsv"]

    tables = read_tables((folder / "jaarverslag.html").read_text(encoding="utf-8"))
    shown = {t["caption"].split(" (")[0]: t["rows"] for t in tables}
    for year in YEARS:
        f = figures(year)
        assert _row(shown, "Leerplichtige", year) == [dutch(f["leerplichtigen"])]
        assert _row(shown, "Wettelijk verzuim", year)[:2] == [
            dutch(f["wettelijk_verzuim"]),
            dutch(f["herhaald_wettelijk_verzuim"]),
        ]
        assert _row(shown, "Jongeren", year)[0] == dutch(f["jongeren"])
        assert _row(shown, "Nieuwe voortijdig", year)[:3] == [
            dutch(f["vsv"]),
            dutch(f["percentage_vsv"], 2) + "%",
            dutch(f["percentage_vsv_landelijk"], 2) + "%",
        ]
        assert _row(shown, "Thuiszitters", year) == [str(n) for n in THUISZITTERS[year]]

    assert before == after  # data/schema.yaml, expectations/ and data/deventer/, byte for byte
    assert not (root / "expectations" / "thuiszitters.json").exists()
    paths.set_root(root)
    try:
        assert cli.main(["lijst"]) == 0
    finally:
        paths.set_root(REPO)
    listing = capsys.readouterr().out
    assert "deventer             2022-2023   vastgesteld  actueel" in listing
    assert "zandhoven            2022-2023   concept      actueel" in listing


def _row(shown: dict, caption_start: str, year: str) -> list[str]:
    rows = next(rows for caption, rows in shown.items() if caption.startswith(caption_start))
    return next(cells[1:] for cells in rows[1:] if cells[0] == year)


# --- what the command refuses, and what it leaves behind ---------------------------------------


def test_a_folder_that_exists_is_refused_and_nothing_is_overwritten(project, capsys):
    before = digests("data", "params")
    assert cli.main(["nieuwe-gemeente", "deventer", "--naam", "Deventer", "--tot", "2023-2024"]) == 1
    message = capsys.readouterr().err
    assert "data/deventer, params/deventer bestaan al" in message and "overschrijft niets" in message
    assert digests("data", "params") == before and not (paths.ROOT / "invullen").exists()


def test_an_unknown_section_or_a_wrong_school_year_is_refused_before_anything_is_written(project, capsys):
    for arguments, expected in [
        (
            ["--secties", "leerplichtigen,thuiszitters"],
            "onbekende sectie(s) thuiszitters. Bekend zijn: leerplichtigen,",
        ),
        (["--vanaf", "2023-2024", "--tot", "2022-2023"], "--vanaf 2023-2024 ligt na het laatste schooljaar 2022-2023"),
        (["--vanaf", "2000-2001", "--tot", "2022-2023"], "zijn 23 schooljaren; een verslag toont er hoogstens 15"),
        (["--tot", "2022/2024"], "geen schooljaar"),
        (["--tot", "2099-2100"], "--tot 2099-2100: dat schooljaar is nog niet afgelopen"),
    ]:
        assert cli.main(["nieuwe-gemeente", "zandhoven", "--naam", "Zandhoven", *arguments]) == 1
        message = capsys.readouterr().err
        assert expected in message, message
        assert_no_python_words(message)
    assert not (paths.DATA / "zandhoven").exists() and not (paths.PARAMS / "zandhoven").exists()
    assert not list(paths.DATA.glob(".*")) and not list(paths.PARAMS.glob(".*"))


def test_it_writes_empty_tables_a_definition_params_and_one_workbook_for_every_year(project):
    opzet = maak("zandhoven", "  Zandhoven ", ["vsv_onderwijssoort", "leerplichtigen"], today=dt.date(2024, 3, 1))
    assert opzet.schooljaren == ["2018-2019", "2019-2020", "2020-2021", "2021-2022", "2022-2023"]
    assert [p.name for p in opzet.tabellen] == ["leerplichtigen.csv", "vsv_onderwijssoort.csv"]
    header = (paths.DATA / "zandhoven" / "vsv_onderwijssoort.csv").read_text(encoding="utf-8")
    assert header == "schooljaar,onderwijssoort,vsv,percentage_vsv,percentage_vsv_landelijk,noot,status\n"
    assert [s for _, keys in verslag("zandhoven").hoofdstukken for s in keys] == [
        "leerplichtigen",
        "vsv_onderwijssoort",
    ]
    params = opzet.params.read_text(encoding="utf-8")
    assert opzet.params.name == "2022-2023.yaml" and "datum: 2024-03-01" in params
    assert 'gemeentenaam: "Zandhoven"' in params and params.count("CONTROLEER:") == 5
    sheet = load_workbook(opzet.werkmap)["vsv_onderwijssoort"]
    keys = [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=NAME_ROW + 1, max_col=2)]
    assert keys == [(y, s) for y in opzet.schooljaren for s in ("vo", "mbo", "vavo")]
    assert ":vorig" not in str([c.value for c in sheet[NAME_ROW]])  # last year's value is the row above


def test_the_params_propose_to_hide_small_counts_and_say_why(project):
    opzet = maak("zandhoven", "Zandhoven", ["leerplichtigen"], today=dt.date(2024, 3, 1))
    lines = opzet.params.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("kleine_aantallen:"))
    assert lines[at].startswith("kleine_aantallen: 5  # CONTROLEER")
    why = lines[at - 1]
    assert why.startswith("# ") and "CBS" in why and "AVG" in why and "1 tot en met 4" in why
    from jaarverslag.invoer.yamlbestand import read_yaml

    assert read_yaml(opzet.params, "params")["kleine_aantallen"] == 5


def test_the_last_school_year_is_the_one_that_has_ended():
    assert laatste_schooljaar(dt.date(2026, 12, 1)) == "2025-2026"
    assert laatste_schooljaar(dt.date(2026, 7, 31)) == "2024-2025"


def test_an_earlier_year_left_empty_is_not_read_but_the_report_year_must_be_filled(project, capsys):
    opzet = maak("zandhoven", "Zandhoven", ["leerplichtigen"], vanaf="2020-2021", tot="2022-2023")
    book = load_workbook(opzet.werkmap)
    sheet = book["leerplichtigen"]
    sheet.cell(NAME_ROW + 2, 2, 6200)  # 2021-2022 only
    book.save(opzet.werkmap)
    assert cli.main(["inlezen", str(opzet.werkmap)]) == 1
    message = capsys.readouterr().err
    assert (
        "tabblad 'leerplichtigen', kolom 'B (Leerplichtigen (leerlingen))', rij 6: dit cijfer is verplicht" in message
    )
    sheet.cell(NAME_ROW + 3, 2, 6300)
    book.save(opzet.werkmap)
    assert cli.main(["inlezen", str(opzet.werkmap)]) == 0
    rows = (paths.DATA / "zandhoven" / "leerplichtigen.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1:] == ["2021-2022,6200,,", "2022-2023,6300,,"]


def test_an_empty_year_between_filled_ones_is_named(project, capsys):
    opzet = maak("zandhoven", "Zandhoven", ["leerplichtigen"], vanaf="2019-2020", tot="2022-2023")
    book = load_workbook(opzet.werkmap)
    for row, value in ((NAME_ROW + 1, 6100), (NAME_ROW + 3, 6200), (NAME_ROW + 4, 6300)):  # not 2020-2021
        book["leerplichtigen"].cell(row, 2, value)
    book.save(opzet.werkmap)
    assert cli.main(["inlezen", str(opzet.werkmap)]) == 1
    message = capsys.readouterr().err
    assert "tabblad 'leerplichtigen', kolom 'A (Schooljaar)': schooljaar 2020-2021 is leeg, maar een eerder" in message
    assert "gegevens die er al waren" not in message


# --- a gemeente's own tables stay in its own folder ---------------------------------------------


def test_a_gemeente_may_not_redefine_a_project_table(project, capsys):
    own = paths.DATA / "deventer" / "schema.yaml"
    own.write_text(
        "tabellen:\n  leerplichtigen:\n    titel: Leerplichtigen\n    bron: eigen telling\n    kolommen:\n"
        "      schooljaar: {type: schooljaar, omschrijving: Schooljaar}\n"
        "      leerplichtigen: {type: aantal, label: Leerlingen, omschrijving: Eigen telling}\n",
        encoding="utf-8",
    )
    with pytest.raises(JaarverslagFout) as refused:
        verslag("deventer")
    assert (
        "data/deventer/schema.yaml: tabel 'leerplichtigen' (met kolom leerplichtigen) staat al in data/schema.yaml"
        in str(refused.value)
    )
    assert cli.main(["validate", "deventer", "2022-2023"]) == 1
    assert "data/deventer/schema.yaml" in capsys.readouterr().err
    own.write_text(OWN_SCHEMA.replace("thuiszitters:\n    titel", "verzuim_per_1000:\n    titel", 1), encoding="utf-8")
    with pytest.raises(JaarverslagFout, match="de naam van een afgeleide tabel van het project"):
        verslag("deventer")


def test_a_mistake_in_an_own_schema_names_the_file_table_and_column(project, capsys):
    own = paths.DATA / "deventer" / "schema.yaml"
    for text, expected in [
        (
            OWN_SCHEMA.replace("type: aantal\n        label: Thuiszitters", "type: getal\n        label: Thuiszitters"),
            "data/deventer/schema.yaml: tabel 'thuiszitters', kolom 'thuiszitters': type 'getal' bestaat niet; kies uit",
        ),
        ("", "data/deventer/schema.yaml: het bestand moet beginnen met 'tabellen:'"),
        (OWN_SCHEMA.replace("kolommen:", "kolomen:"), "tabel 'thuiszitters': kolommen ontbreekt"),
        (
            "tabellen:\n  x: {titel: 'open\n",
            "data/deventer/schema.yaml: dit is geen geldige YAML (regel 3, kolom 1): een aanhalingsteken wordt niet gesloten.",
        ),
    ]:
        own.write_text(text, encoding="utf-8")
        assert cli.main(["validate", "deventer", "2022-2023"]) == 1
        message = capsys.readouterr().err
        assert expected in message, message
        assert_no_python_words(message)


def test_a_gemeentes_own_table_is_not_known_to_another_gemeente(project):
    (paths.DATA / "deventer" / "schema.yaml").write_text(OWN_SCHEMA, encoding="utf-8")
    (paths.DATA / "anders").mkdir()
    (paths.DATA / "anders" / "verslag.yaml").write_text(
        "hoofdstukken:\n  - titel: Eigen\n    secties: [thuiszitters]\n" + OWN_SECTION, encoding="utf-8"
    )
    verslag("deventer")
    assert "thuiszitters" in schema()
    with pytest.raises(ParameterFout, match="tabel 'thuiszitters' staat niet in data/schema.yaml"):
        verslag("anders")


# --- the workbook asks only for what the chosen sections print or check -------------------------

PER_1000_ONLY = ["leerplichtigen", "wettelijk_verzuim", "verzuim_per_1000"]  # overig_verzuim: a source only
NOT_PRINTED = {"langdurig_relatief_verzuim", "luxe_verzuim"}


def absoluut(year: str) -> dict[str, int]:
    """The counts the per-1.000 figures are made from (5 or more: the params hide smaller counts)."""
    i = YEARS.index(year)
    return {"absoluut_verzuim": 12 + 2 * i, "absoluut_verzuim_na_analyse": 6 + i}


@pytest.mark.e2e
def test_the_workbook_asks_only_for_printed_or_checked_figures_and_the_build_passes(project):
    from jaarverslag.bouw.build import build

    opzet = maak("zuiddorp", "Zuiddorp", PER_1000_ONLY, vanaf=YEARS[0], tot=YEARS[-1])
    book = load_workbook(opzet.werkmap)
    asked = {sheet.title: [c.value for c in sheet[NAME_ROW]] for sheet in book.worksheets[1:]}
    assert asked["overig_verzuim"] == ["schooljaar", "absoluut_verzuim", "absoluut_verzuim_na_analyse", "status"]
    assert asked["leerplichtigen"] == ["schooljaar", "leerplichtigen", "noot", "status"]  # printed, with its notes
    assert asked["bbv_indicatoren"] == ["schooljaar", "absoluut_verzuim_bbv", "relatief_verzuim_bbv", "bron", "status"]
    assert not NOT_PRINTED & {c for columns in asked.values() for c in columns}
    assert set(schema()["overig_verzuim"].columns) >= NOT_PRINTED  # the table has them; the report does not print them

    for sheet in book.worksheets[1:]:  # the needed cells only: bbv_indicatoren is optional and stays empty
        names = [c.value for c in sheet[NAME_ROW]]
        for row in sheet.iter_rows(min_row=NAME_ROW + 1):
            values = {**figures(row[0].value), **absoluut(row[0].value)}
            for cell, name in zip(row, names, strict=False):
                if name in values:
                    cell.value = values[name]
    book.save(opzet.werkmap)
    assert cli.main(["inlezen", str(opzet.werkmap)]) == 0
    rows = (paths.DATA / "zuiddorp" / "overig_verzuim.csv").read_text(encoding="utf-8").splitlines()
    assert (
        rows[0]
        == "schooljaar,langdurig_relatief_verzuim,luxe_verzuim,absoluut_verzuim,absoluut_verzuim_na_analyse,noot,status"
    )
    assert rows[-1] == "2022-2023,,,18,9,,"

    text = opzet.params.read_text(encoding="utf-8")
    start = text.index("    VUL IN")
    opzet.params.write_text(text[:start] + "    In Zuiddorp gaan alle kinderen naar school.\n", encoding="utf-8")
    folder = build("zuiddorp", YEARS[-1], stil=True)

    tables = read_tables((folder / "jaarverslag.html").read_text(encoding="utf-8"))
    shown = {t["caption"].split(" (")[0]: t["rows"] for t in tables}
    f = figures(YEARS[-1])
    assert _row(shown, "Verzuim per 1.000", YEARS[-1])[:3] == [
        dutch(18 / f["leerplichtigen"] * 1000, 1),
        dutch(9 / f["leerplichtigen"] * 1000, 1),
        dutch(f["wettelijk_verzuim"] / f["leerplichtigen"] * 1000, 1),
    ]
    summary = json.loads((folder / "accountant" / "validatie.json").read_text(encoding="utf-8"))
    assert summary["geslaagd"] and not summary["blokkerend"]


def test_the_checklist_names_only_the_figures_the_report_needs(project):
    from jaarverslag.invoer.checklist import checklist_per_tabel

    maak("zuiddorp", "Zuiddorp", PER_1000_ONLY, vanaf=YEARS[-1], tot=YEARS[-1])
    lines = checklist_per_tabel("zuiddorp", YEARS[-1])
    assert lines["overig_verzuim"] == (
        "data/zuiddorp/overig_verzuim.csv: voeg een rij toe voor 2022-2023 met absoluut_verzuim."
    )
    csv = paths.DATA / "zuiddorp" / "overig_verzuim.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "2022-2023,,,,,,\n", encoding="utf-8")
    lines = checklist_per_tabel("zuiddorp", YEARS[-1])
    assert lines["overig_verzuim"] == (
        "data/zuiddorp/overig_verzuim.csv: vul voor 2022-2023 de kolom(men) absoluut_verzuim in."
    )
    assert not any(c in line for line in lines.values() for c in NOT_PRINTED)
    # Deventer prints every section: its report needs every required figure
    deventer = verslag("deventer")
    for name in deventer.tabellen:
        table = schema()[name]
        assert {c for c, s in table.columns.items() if s.get("verplicht")} <= set(deventer.nodig[name])
