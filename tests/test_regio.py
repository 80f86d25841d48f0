"""A region's report over three fictitious gemeenten (one small), with and without small-count protection."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, assert_no_python_words, bundle_bytes, copy_project, html_text

from jaarverslag import bundel, cli, paths
from jaarverslag.errors import ValidatieFout
from jaarverslag.inhoud import datakwaliteit, regio
from jaarverslag.weergave.verslag import Verslag

FIXTURE = Path(__file__).parent / "fixtures" / "regio"
REGIO, JAAR = "regio-ijsselvallei", "2022-2023"
GEMEENTEN = {"aadorp": "Aadorp", "beekveld": "Beekveld", "kleindorp": "Kleindorp"}
SECTIES = ["leerplichtigen", "wettelijk_verzuim", "jongeren", "vsv", "vsv_onderwijssoort"]


def add_region(root: Path, **extra) -> None:
    for part in ("data", "params"):
        for folder in (FIXTURE / part).iterdir():
            shutil.copytree(folder, root / part / folder.name)
    params = root / "params" / REGIO / f"{JAAR}.yaml"
    params.write_text(params.read_text() + "".join(f"{k}: {v}\n" for k, v in extra.items()))


def _build(tmp_path_factory, name: str, **extra) -> Path:
    from jaarverslag.bouw.build import build

    root = copy_project(tmp_path_factory.mktemp(name) / "project")
    add_region(root, **extra)
    paths.set_root(root)
    try:
        return build(REGIO, JAAR, stil=True)
    finally:
        paths.set_root(REPO)


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    return _build(tmp_path_factory, "regio")


@pytest.fixture(scope="module")
def protected(tmp_path_factory):
    return _build(tmp_path_factory, "regio-beschermd", kleine_aantallen=5)


@pytest.fixture
def copied(project):
    add_region(project)
    return project


def _csv(gemeente: str, table: str) -> list[dict]:
    return list(csv.DictReader((FIXTURE / "data" / gemeente / f"{table}.csv").open(encoding="utf-8")))


def _comparison(page: BeautifulSoup, key: str) -> dict[str, list[str]]:
    table = page.find(id=key).select_one("div.vergelijking table.cijfers")
    return {tr.th.get_text(): [td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")}


def _council(folder: Path) -> BeautifulSoup:
    return BeautifulSoup((folder / "jaarverslag.html").read_text(encoding="utf-8"), "html.parser")


# --- the region's figures -----------------------------------------------------------------


@pytest.mark.e2e
def test_region_totals_are_sums_and_rates_are_recomputed(region):
    page = _council(region)
    rows = _comparison(page, "vsv")
    vsv = {g: next(r for r in _csv(g, "jongeren_vsv") if r["schooljaar"] == JAAR) for g in GEMEENTEN}
    total, jongeren = sum(int(r["vsv"]) for r in vsv.values()), sum(int(r["jongeren"]) for r in vsv.values())
    assert rows["Regio IJsselvallei"] == [str(total), f"{round(total / jongeren * 100, 2):.2f}%".replace(".", ",")]
    assert rows["Regio IJsselvallei"] == ["248", "2,63%"]  # 109 + 125 + 14; 248 / 9.424: never an average (2,57%)
    assert rows["Nederland"] == ["–", "1,77%"]
    per_soort = _comparison(page, "vsv_onderwijssoort")
    for i, soort in enumerate(("vo", "mbo", "vavo")):
        counts = [
            int(r["vsv"])
            for g in GEMEENTEN
            for r in _csv(g, "vsv_onderwijssoort")
            if (r["schooljaar"], r["onderwijssoort"]) == (JAAR, soort)
        ]
        assert per_soort["Regio IJsselvallei"][i] == str(sum(counts))
    trend = page.find(id="wettelijk_verzuim").select_one("table.cijfers")
    years = {tr.th.get_text(): tr.td.get_text() for tr in trend.select("tbody tr")}
    for year, printed in years.items():
        assert int(printed) == sum(
            int(r["wettelijk_verzuim"])
            for g in GEMEENTEN
            for r in _csv(g, "wettelijk_verzuim")
            if r["schooljaar"] == year
        )
    text = html_text(str(page))
    assert (
        "Niet voor de regio te berekenen" in text
        and "Percentage (Voortijdig schoolverlaters per onderwijssoort)" in text
    )


@pytest.mark.e2e  # draws every chart of the report
def test_each_gemeentes_row_equals_its_own_report(copied):
    from jaarverslag.inhoud.report import Rapport

    paths.set_root(copied)
    region = BeautifulSoup("".join(str(Verslag.laad(REGIO, JAAR).sectie(k)) for k in SECTIES), "html.parser")
    for gemeente, naam in GEMEENTEN.items():
        own = Rapport.laad(gemeente, JAAR)
        for key in SECTIES:
            page = BeautifulSoup(str(Verslag(own).sectie(key)), "html.parser")
            row = _comparison(region, key)[naam]
            if key == "vsv_onderwijssoort":  # a table per category: this year's count
                own_values = [t.select("tbody tr")[-1].td.get_text() for t in page.select("table.cijfers")]
            else:
                headers = [th.get_text() for th in page.select_one("table.cijfers thead").select("th")[1:]]
                last = [td.get_text() for td in page.select_one("table.cijfers").select("tbody tr")[-1].select("td")]
                own_values = [v for h, v in zip(headers, last, strict=True) if h != "Percentage landelijk"]
            assert row == own_values, (gemeente, key)


@pytest.mark.e2e
def test_findings_name_the_gemeente_that_differs_from_the_region(region):
    text = html_text(str(_council(region)))
    assert (
        "in Beekveld het percentage voortijdig schoolverlaters (3,42%) duidelijk hoger is dan in de regio (2,63%)"
        in text
    )
    assert "in Aadorp het percentage" not in text  # 2,13% is 19% below 2,63%: not notable at 25%
    assert "in Kleindorp" not in text
    assert regio.afwijking(2.63, 3.29, 25) == "hoger" and regio.afwijking(2.63, 3.28, 25) is None  # the edge
    assert regio.afwijking(2.63, 1.97, 25) == "lager" and regio.afwijking(0, 1, 25) is None


@pytest.mark.e2e
def test_the_region_is_the_same_bundle_covering_every_gemeentes_input(region):
    from openpyxl import load_workbook

    manifest = json.loads((region / bundel.MANIFEST).read_text(encoding="utf-8"))
    data = {name for name in manifest["invoer"] if name.startswith("data/")}
    for gemeente in GEMEENTEN:
        assert {
            f"data/{gemeente}/{t}.csv"
            for t in ("leerplichtigen", "wettelijk_verzuim", "jongeren_vsv", "vsv_onderwijssoort")
        } <= data
    assert "data/regio-ijsselvallei/verslag.yaml" in data
    summary = json.loads((region / bundel.VALIDATIE[0]).read_text(encoding="utf-8"))
    assert {s["suite"].split("/")[0] for s in summary["suites"]} == set(GEMEENTEN) and summary["geslaagd"]
    assert set(manifest["uitvoer"]) >= {"jaarverslag.pdf", "jaarverslag.html", bundel.NOTEBOOK, "tabellen.xlsx"}
    sheets = load_workbook(region / "tabellen.xlsx").sheetnames
    assert sheets == [*SECTIES, *(f"{k[:21]}_gemeenten" for k in SECTIES), "herkomst"]
    trail = (region / bundel.HERKOMST).read_text(encoding="utf-8")
    assert re.search(
        r'vsv,"Nieuwe voortijdig schoolverlaters per gemeente, schooljaar 2022-2023",Regio IJsselvallei,'
        r"Aantal vsv'ers,248,248,248\.0,,,,,109 \+ 125 \+ 14 = 248,b0 \+ b1 \+ b2",
        trail,
    )


@pytest.mark.e2e
def test_a_gemeente_in_the_region_changed_makes_the_region_outdated(copied, capsys):
    from jaarverslag.bouw.build import build
    from jaarverslag.spoor.manifest import is_current

    folder = build(REGIO, JAAR, stil=True)
    first = bundle_bytes(folder)
    assert is_current(REGIO, JAAR)
    again = build(REGIO, JAAR, stil=True, opnieuw=True)
    assert bundle_bytes(again) == first  # byte-identical rebuild (but for the reuse of the validation)
    source = paths.DATA / "kleindorp" / "leerplichtigen.csv"
    source.write_text(source.read_text() + "\n")
    assert not is_current(REGIO, JAAR)


# --- a gemeente without the school year ----------------------------------------------------


def _drop_year(table: str, gemeente: str = "kleindorp") -> None:
    path = paths.DATA / gemeente / f"{table}.csv"
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True) if not line.startswith(JAAR)))


def test_a_gemeente_missing_the_year_is_named(copied, capsys):
    _drop_year("jongeren_vsv")
    assert cli.main(["validate", REGIO, JAAR]) == 1
    err = capsys.readouterr().err
    assert (
        "ontbreken nog gegevens van Kleindorp" in err
        and "data/kleindorp/jongeren_vsv.csv: voeg een rij toe voor 2022-2023" in err
    )
    assert "Aadorp" not in err.split("ontbreken")[1]


def test_or_is_shown_as_geen_gegevens_and_left_out_of_the_region(copied):
    from jaarverslag.inhoud.report import Rapport

    _drop_year("jongeren_vsv")
    params = paths.PARAMS / REGIO / f"{JAAR}.yaml"
    params.write_text(params.read_text() + "ontbrekende_gegevens: geen_gegevens\n")
    rapport = Rapport.laad(REGIO, JAAR)
    page = BeautifulSoup(str(Verslag(rapport).sectie("vsv")), "html.parser")
    rows = _comparison(page, "vsv")
    assert rows["Kleindorp"] == ["geen gegevens"] and rows["Regio IJsselvallei"] == ["234", "2,67%"]  # 109 + 125
    note = html_text(str(Verslag(rapport).verantwoording()))
    assert "Kleindorp: geen gegevens voor schooljaar 2022-2023 in Jongeren en voortijdig schoolverlaters" in note
    assert "data/kleindorp/jongeren_vsv.csv" in note


def test_an_unknown_mode_or_a_single_gemeente_is_refused(copied, capsys):
    params = paths.PARAMS / REGIO / f"{JAAR}.yaml"
    text = params.read_text()
    params.write_text(text + "ontbrekende_gegevens: negeren\n")
    assert cli.main(["validate", REGIO, JAAR]) == 1
    assert "'ontbrekende_gegevens' is 'stoppen' of 'geen_gegevens'" in capsys.readouterr().err
    params.write_text(text.replace("  beekveld: Beekveld\n  kleindorp: Kleindorp\n", ""))
    assert cli.main(["validate", REGIO, JAAR]) == 1
    assert "een regio heeft minstens twee gemeenten" in capsys.readouterr().err
    with pytest.raises(ValidatieFout, match="Kleindorp"):
        _drop_year("leerplichtigen")
        params.write_text(text)
        from jaarverslag.inhoud.report import Rapport

        Rapport.laad(REGIO, JAAR)


# --- small counts protected ------------------------------------------------------------------


def _hidden(printed: str) -> bool:
    return printed.startswith("< ") or printed == "x"


@pytest.mark.e2e
def test_no_count_below_the_threshold_is_published(protected):
    from openpyxl import load_workbook

    page = _council(protected)
    cells = [td.get_text() for td in page.select("table.cijfers td")]
    counts = [int(c.replace(".", "")) for c in cells if re.fullmatch(r"\d+(\.\d{3})*", c)]
    assert all(c == 0 or c >= 5 for c in counts) and "< 5" in cells and "x" in cells
    assert _comparison(page, "vsv_onderwijssoort")["Kleindorp"] == ["< 5", "11", "< 5"]  # 14 − 11 = 3: 1 + 2 or 2 + 1
    for figure in page.select("figure img"):
        assert not re.search(r": [1-4](?:[;.]|$)", figure["alt"]), figure["alt"]
    book = load_workbook(protected / "tabellen.xlsx")
    assert "herkomst" not in book.sheetnames  # the trail holds the true values; herkomst.csv is for the auditor
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=3, values_only=True):
            assert not any(isinstance(v, int) and 0 < v < 5 for v in row), (sheet.title, row)
    from pypdf import PdfReader

    pdf = " ".join(p.extract_text() for p in PdfReader(protected / "jaarverslag.pdf").pages)
    assert not re.search(r"Kleindorp (2|1) ", pdf) and "Kleindorp < 5 11 < 5" in " ".join(pdf.split())


@pytest.mark.e2e
def test_no_hidden_cell_can_be_recomputed_from_a_total(protected):
    page = _council(protected)
    for key in SECTIES:
        rows = _comparison(page, key)
        members = [rows[n] for n in GEMEENTEN.values() if rows[n] != ["geen gegevens"]]
        total = rows["Regio IJsselvallei"]
        for column in range(len(total)):
            hidden = sum(_hidden(r[column]) for r in members)
            assert hidden != 1 or _hidden(total[column]), (key, column, rows)
    rows = _comparison(page, "vsv_onderwijssoort")
    assert rows["Regio IJsselvallei"][0] == "x"  # vo: 51 − 25 − 24 = Kleindorp's 2; Aadorp and Beekveld publish theirs
    assert rows["Aadorp"][0] == "24" and rows["Beekveld"][0] == "25"


@pytest.mark.e2e
def test_the_notebook_and_trail_keep_the_true_values(protected):
    trail = (protected / bundel.HERKOMST).read_text(encoding="utf-8")
    assert ",Kleindorp,Voortgezet onderwijs,2,< 5,2.0,data/kleindorp/vsv_onderwijssoort.csv," in trail
    notebook = nbformat.read(protected / bundel.NOTEBOOK, as_version=4)
    spoor = next(c for c in notebook.cells if c.get("id") == "spoor-vsv-onderwijssoort")
    text = " ".join(str(o.get("data", {})) for o in spoor.outputs)
    assert "data/kleindorp/vsv_onderwijssoort.csv" in text and re.search(r"Kleindorp.{0,400}>2<", text, re.S)
    assert "kleindorp/vsv_onderwijssoort" in text and "niet uitgevoerd" not in text  # every gemeente's checks ran
    # the source rows show, in every row of a file, each column a figure used from that file: Aadorp's
    # earlier percentages too, which only the region's rate of 2022-2023 used (blank before: unread as empty)
    vsv = next(c for c in notebook.cells if c.get("id") == "spoor-vsv")
    rows = next(
        o["data"]["text/html"] for o in vsv.outputs if 'class="dataframe"' in o.get("data", {}).get("text/html", "")
    )
    aadorp = re.search(
        r"data/aadorp/jongeren_vsv.csv</th>(.*?)</tbody>|data/aadorp/jongeren_vsv.csv</th>(.*?)<th rowspan", rows, re.S
    )
    assert aadorp and all(f"<td>{value}</td>" in aadorp.group(0) for value in ("1.92", "1.63", "1.93", "2.13"))


def test_a_new_school_year_for_the_region_lists_what_each_gemeente_lacks(copied, capsys):
    assert cli.main(["nieuw-schooljaar", REGIO, "2023-2024"]) == 0
    out = capsys.readouterr().out
    assert "Gemaakt: params/regio-ijsselvallei/2023-2024.yaml" in out
    for gemeente in GEMEENTEN:
        assert f"data/{gemeente}/jongeren_vsv.csv: voeg een rij toe voor 2023-2024" in out
    assert "Elke gemeente vult haar eigen gegevens aan" in out and "overstapcoach" not in out


def test_a_missing_table_with_geen_gegevens_and_a_region_without_any_data(copied):
    from jaarverslag.inhoud.report import Rapport

    params = paths.PARAMS / REGIO / f"{JAAR}.yaml"
    params.write_text(params.read_text() + "ontbrekende_gegevens: geen_gegevens\n")
    (paths.DATA / "kleindorp" / "wettelijk_verzuim.csv").unlink()
    rapport = Rapport.laad(REGIO, JAAR)
    assert rapport.regio.dekking.van("wettelijk_verzuim") == ["aadorp", "beekveld"]
    assert rapport.regio.dekking.van("leerplichtigen") == list(GEMEENTEN)  # left out of that table only
    assert "data/kleindorp/wettelijk_verzuim.csv: het bestand bestaat niet." in html_text(
        str(Verslag(rapport).verantwoording())
    )
    for gemeente in GEMEENTEN:
        _drop_year("leerplichtigen", gemeente)
    with pytest.raises(
        ValidatieFout,
        match="Geen enkele gemeente van Regio IJsselvallei heeft gegevens voor 2022-2023 in Leerplichtige",
    ):
        Rapport.laad(REGIO, JAAR)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  kleindorp: Kleindorp\n", "  kleindorp: Aadorp\n", "twee gemeenten hebben dezelfde naam"),
        ("  kleindorp: Kleindorp\n", "  regio-ijsselvallei: Regio\n", "'regio-ijsselvallei' is de regio zelf"),
    ],
)
def test_a_region_names_each_gemeente_once_and_not_itself(copied, capsys, old, new, message):
    params = paths.PARAMS / REGIO / f"{JAAR}.yaml"
    params.write_text(params.read_text().replace(old, new))
    assert cli.main(["validate", REGIO, JAAR]) == 1
    assert message in capsys.readouterr().err


def test_the_region_keeps_to_a_gemeentes_own_threshold_and_hides_warnings_figures(copied):
    from jaarverslag.inhoud.report import Rapport

    own = paths.PARAMS / "kleindorp" / f"{JAAR}.yaml"
    own.write_text(own.read_text() + "kleine_aantallen: 5\n")  # only Kleindorp asks
    rapport = Rapport.laad(REGIO, JAAR)
    rows = _comparison(
        BeautifulSoup(str(Verslag(rapport).sectie("vsv_onderwijssoort")), "html.parser"), "vsv_onderwijssoort"
    )
    assert rows["Kleindorp"] == ["< 5", "11", "< 5"]
    warning = {
        "tabel": "wettelijk_verzuim", "gemeente": "kleindorp", "schooljaar": JAAR, "regel": "Een deel is nooit groter.",
        "waarden": {"wettelijk_verzuim": 27, "herhaald_wettelijk_verzuim": 40}, "sleutel": {},
    }  # fmt: skip
    assert datakwaliteit.kwaliteitszin(rapport, warning).endswith(
        "worden niet gepubliceerd."
    )  # Kleindorp's herhaald is hidden


def test_gemeenten_that_disagree_on_nederland_are_told(copied):
    from jaarverslag.inhoud.report import Rapport

    path = paths.DATA / "beekveld" / "jongeren_vsv.csv"
    path.write_text(path.read_text().replace(",3.42,1.77,", ",3.42,1.78,"))
    rapport = Rapport.laad(REGIO, JAAR)
    assert _comparison(BeautifulSoup(str(Verslag(rapport).sectie("vsv")), "html.parser"), "vsv")["Nederland"] == [
        "–",
        "–",
    ]
    note = html_text(str(Verslag(rapport).verantwoording()))
    assert "verschillende landelijke cijfers (1,77% en 1,78%)" in note and "in 2022-2023" in note


def test_two_small_parts_that_a_remainder_would_fix_take_a_third_with_them(copied):
    """The review's case: Kleindorp's vo 1 and vavo 1 next to a published mbo 12 and total 14 (14 − 12 = 2)."""
    from jaarverslag.inhoud.report import Rapport

    path = paths.DATA / "kleindorp" / "vsv_onderwijssoort.csv"
    path.write_text(
        path.read_text().replace("2022-2023,vo,2,", "2022-2023,vo,1,").replace("2022-2023,mbo,11,", "2022-2023,mbo,12,")
    )
    params = paths.PARAMS / REGIO / f"{JAAR}.yaml"
    params.write_text(params.read_text() + "kleine_aantallen: 5\n")
    rapport = Rapport.laad(REGIO, JAAR)
    rows = _comparison(
        BeautifulSoup(str(Verslag(rapport).sectie("vsv_onderwijssoort")), "html.parser"), "vsv_onderwijssoort"
    )
    assert rows["Kleindorp"] == ["< 5", "x", "< 5"]
    assert rows["Regio IJsselvallei"] == ["x", "x", "x"]  # each column has one hidden gemeente: its region total goes


# --- a gemeente without one table's figures; a rate the region cannot compute ----------------


def _trend(page: BeautifulSoup, key: str) -> dict[str, list[str]]:
    table = page.find(id=key).select_one("table.cijfers")
    return {tr.th.get_text(): [td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")}


def _year_sum(gemeenten, table: str, column: str, year: str) -> int:
    return sum(int(r[column]) for g in gemeenten for r in _csv(g, table) if r["schooljaar"] == year)


@pytest.mark.e2e
@pytest.mark.parametrize("ontbreekt", ["rij", "bestand"])
def test_geen_gegevens_leaves_a_gemeente_out_of_that_table_only(copied, capsys, ontbreekt):
    params = paths.PARAMS / REGIO / f"{JAAR}.yaml"
    params.write_text(params.read_text() + "ontbrekende_gegevens: geen_gegevens\n")
    if ontbreekt == "rij":
        _drop_year("jongeren_vsv", "aadorp")
    else:
        (paths.DATA / "aadorp" / "jongeren_vsv.csv").unlink()
    assert cli.main(["build", REGIO, JAAR]) == 0
    assert_no_python_words(capsys.readouterr().err)
    page = _council(paths.REPORTS / REGIO / JAAR)
    others = ["beekveld", "kleindorp"]
    for key in ("vsv", "jongeren"):
        assert _comparison(page, key)["Aadorp"] == ["geen gegevens"], key
    assert _comparison(page, "vsv")["Regio IJsselvallei"] == ["139", "3,23%"]  # 125 + 14; 139 / (3.651 + 652)
    for year, (vsv, *_) in _trend(page, "vsv").items():  # every year without Aadorp: one comparable series
        assert int(vsv) == _year_sum(others, "jongeren_vsv", "vsv", year), year
    for year, (count,) in _trend(page, "leerplichtigen").items():  # the other tables count Aadorp
        assert int(count.replace(".", "")) == _year_sum(GEMEENTEN, "leerplichtigen", "leerplichtigen", year)
    assert _comparison(page, "leerplichtigen")["Aadorp"] == ["9.302"]
    assert _comparison(page, "vsv_onderwijssoort")["Aadorp"] == ["24", "79", "6"]
    note = html_text(str(page.find(id="verantwoording").parent))
    assert "Aadorp: geen gegevens voor schooljaar 2022-2023 in Jongeren en voortijdig schoolverlaters" in note
    assert "in de andere tabellen telt ze mee" in note and "is het de som zonder die gemeente" in note
    under = html_text(str(page.find(id="vsv")))
    assert "De regiocijfers van jongeren en voortijdig schoolverlaters zijn zonder Aadorp" in under
    assert "zijn zonder" not in html_text(str(page.find(id="leerplichtigen")))
    trail = list(csv.DictReader((paths.REPORTS / REGIO / JAAR / bundel.HERKOMST).open(encoding="utf-8")))
    assert not [
        r
        for r in trail
        if r["bestand"] == "data/aadorp/jongeren_vsv.csv" or "aadorp/jongeren" in r["gebruikte_cijfers"]
    ]


@pytest.mark.e2e
def test_an_internal_failure_is_told_in_dutch_without_pythons_words(project, capsys, monkeypatch):
    from jaarverslag.spoor import manifest

    existing = paths.REPORTS / "deventer" / JAAR
    existing.mkdir(parents=True)
    (existing / "jaarverslag.pdf").write_bytes(b"vorige")

    def broken(*args):
        raise ValueError("1 columns passed, passed data had 2 columns")

    monkeypatch.setattr(manifest, "write", broken)
    assert cli.main(["build", "deventer", JAAR]) == 1
    err = capsys.readouterr().err
    assert "mislukte in de stap 'manifest' door een onverwachte fout in het programma, niet in de invoer" in err
    assert "columns passed" not in err and "--verbose" in err
    assert_no_python_words(err)
    assert (existing / "jaarverslag.pdf").read_bytes() == b"vorige"
    with pytest.raises(AssertionError):  # the check itself catches Python's words
        assert_no_python_words("Het maken mislukte (ValueError: 1 columns passed).")


def _betrokkenheid(root: Path) -> dict[str, str]:
    """Give every gemeente of the region the betrokkenheid table (a percentage without teller and
    noemer) and the region that section; the reported year's percentage per gemeente."""
    year = {"aadorp": "3.4", "beekveld": "4.1", "kleindorp": "2.7"}
    for gemeente, value in year.items():
        rows = "".join(f"{y},{2.0 + i / 10:.1f},\n" for i, y in enumerate(("2019-2020", "2020-2021", "2021-2022")))
        text = f"schooljaar,percentage_betrokkenheid,noot\n{rows}{JAAR},{value},\n"
        (root / "data" / gemeente / "betrokkenheid.csv").write_text(text)
    definition = root / "data" / REGIO / "verslag.yaml"
    definition.write_text(
        definition.read_text().replace(
            "[leerplichtigen, wettelijk_verzuim]", "[leerplichtigen, betrokkenheid, wettelijk_verzuim]"
        )
    )
    return year


@pytest.mark.e2e
def test_a_rate_without_teller_and_noemer_shows_the_gemeenten_side_by_side(copied, capsys):
    year = _betrokkenheid(copied)
    assert cli.main(["build", REGIO, JAAR]) == 0
    page = _council(paths.REPORTS / REGIO / JAAR)
    rows = _comparison(page, "betrokkenheid")
    for gemeente, naam in GEMEENTEN.items():
        assert rows[naam] == [year[gemeente].replace(".", ",") + "%"]
    assert rows["Regio IJsselvallei"] == ["–"]
    text = html_text(str(page.find(id="betrokkenheid")))
    assert "De regio heeft geen eigen cijfer voor % betrokkenheid leerplicht: de bron geeft het per gemeente" in text
    assert "Voor dit onderwerp is er geen regiocijfer" in text and "geen gegevens" not in text
    alt = page.find(id="betrokkenheid").select_one("figure img")["alt"]
    assert "Aadorp: 3,4%; Beekveld: 4,1%; Kleindorp: 2,7%." in alt and "Regio" not in alt
    trail = list(csv.DictReader((paths.REPORTS / REGIO / JAAR / bundel.HERKOMST).open(encoding="utf-8")))
    traced = {r["rij"]: r for r in trail if r["sectie"] == "betrokkenheid" and r["kolom"] != "tekst"}
    assert traced["Beekveld"]["bestand"] == "data/beekveld/betrokkenheid.csv" and traced["Beekveld"]["waarde"] == "4,1%"


@pytest.mark.e2e
def test_the_verantwoording_says_why_earlier_region_sums_are_hidden(protected):
    page = _council(protected)
    trend = _trend(page, "wettelijk_verzuim")
    small = {r["schooljaar"]: int(r["herhaald_wettelijk_verzuim"]) for r in _csv("kleindorp", "wettelijk_verzuim")}
    assert small["2019-2020"] < 5 and trend["2019-2020"][1] == "x"  # region − Aadorp − Beekveld = Kleindorp's 3
    note = html_text(str(page))
    assert (
        "Ook een regiocijfer van een eerder schooljaar kan als x staan, al staan de gemeenten van dat jaar hier "
        "niet naast elkaar" in note
    )


def _verzuim_per_1000(root: Path) -> None:
    """The region shows verzuim per 1.000 too (a derived table): every gemeente gets its sources."""
    for i, gemeente in enumerate(GEMEENTEN):
        rows = "".join(f"{y},{4 + i},{9 + i},{3 + i},,\n" for y in ("2019-2020", "2020-2021", "2021-2022", JAAR))
        header = (
            "schooljaar,langdurig_relatief_verzuim,luxe_verzuim,absoluut_verzuim,absoluut_verzuim_na_analyse,noot\n"
        )
        (root / "data" / gemeente / "overig_verzuim.csv").write_text(header + rows)
        (root / "data" / gemeente / "bbv_indicatoren.csv").write_text(
            "schooljaar,absoluut_verzuim_bbv,relatief_verzuim_bbv,bron,noot\n"
        )
    definition = root / "data" / REGIO / "verslag.yaml"
    definition.write_text(
        definition.read_text().replace(
            "[leerplichtigen, wettelijk_verzuim]", "[leerplichtigen, wettelijk_verzuim, verzuim_per_1000]"
        )
    )


@pytest.mark.e2e
def test_a_gemeente_without_the_denominator_leaves_only_the_derived_table_with_it(copied, capsys):
    _verzuim_per_1000(copied)
    params = paths.PARAMS / REGIO / f"{JAAR}.yaml"
    params.write_text(params.read_text() + "ontbrekende_gegevens: geen_gegevens\n")
    _drop_year("leerplichtigen", "kleindorp")
    assert cli.main(["build", REGIO, JAAR]) == 0, capsys.readouterr().err
    page = _council(paths.REPORTS / REGIO / JAAR)
    assert _comparison(page, "leerplichtigen")["Kleindorp"] == ["geen gegevens"]
    assert _comparison(page, "verzuim_per_1000")["Kleindorp"] == ["geen gegevens"]
    assert _comparison(page, "wettelijk_verzuim")["Kleindorp"][0] == "27"  # Kleindorp still counts in its meldingen
    assert _comparison(page, "wettelijk_verzuim")["Regio IJsselvallei"][0] == "497"  # 289 + 181 + 27
    both = ["aadorp", "beekveld"]
    meldingen = _year_sum(both, "wettelijk_verzuim", "wettelijk_verzuim", JAAR)
    leerlingen = _year_sum(both, "leerplichtigen", "leerplichtigen", JAAR)
    rate = f"{meldingen / leerlingen * 1000:.1f}".replace(".", ",")
    assert _comparison(page, "verzuim_per_1000")["Regio IJsselvallei"][-1] == rate  # (289 + 181) / (9.302 + 6.570)
    trail = list(csv.DictReader((paths.REPORTS / REGIO / JAAR / bundel.HERKOMST).open(encoding="utf-8")))
    traced = next(
        r
        for r in trail
        if r["sectie"] == "verzuim_per_1000" and r["rij"] == "Regio IJsselvallei" and r["waarde"] == rate
    )
    assert "aadorp" in traced["gebruikte_cijfers"] and "kleindorp" not in traced["gebruikte_cijfers"]
    note = html_text(str(page.find(id="verantwoording").parent))
    assert "Kleindorp: geen gegevens voor schooljaar 2022-2023 in Leerplichtige" in note
    assert "Meldingen wettelijk verzuim" not in note.split("Kleindorp: geen gegevens")[1].split(".")[0]


def test_stoppen_names_every_missing_file_and_row_at_once(copied, capsys):
    (paths.DATA / "beekveld" / "wettelijk_verzuim.csv").unlink()
    path = paths.DATA / "kleindorp" / "vsv_onderwijssoort.csv"
    path.write_text("".join(line for line in path.read_text().splitlines(True) if not line.startswith(f"{JAAR},vavo")))
    assert cli.main(["validate", REGIO, JAAR]) == 1
    err = capsys.readouterr().err
    assert "ontbreken nog gegevens van Beekveld, Kleindorp" in err
    assert "data/beekveld/wettelijk_verzuim.csv: het bestand bestaat niet." in err
    assert "data/kleindorp/vsv_onderwijssoort.csv: voeg voor 2022-2023 de rij(en) toe voor onderwijssoort vavo." in err
    assert "ontbrekende_gegevens: geen_gegevens" in err
    assert_no_python_words(err)


def test_a_region_cannot_have_a_key_figure_it_cannot_compute(copied, capsys):
    _betrokkenheid(copied)
    params = paths.PARAMS / REGIO / f"{JAAR}.yaml"
    params.write_text(
        params.read_text().replace(
            "kerncijfers:\n", "kerncijfers:\n  - {tabel: betrokkenheid, kolom: percentage_betrokkenheid}\n"
        )
    )
    assert cli.main(["validate", REGIO, JAAR]) == 1
    err = capsys.readouterr().err
    assert "kerncijfers, nummer 1: een regio heeft geen eigen cijfer voor percentage_betrokkenheid" in err


def _with_figure(table, row: str, column: int, value: float, text: str):
    from dataclasses import replace

    def changed(r):
        figures = list(r.figuren)
        figures[column] = replace(figures[column], waarde=value, tekst=text, waar=text)
        return replace(r, figuren=tuple(figures))

    return replace(table, rijen=tuple(changed(r) if r.label == row else r for r in table.rijen))


def test_every_view_of_the_comparison_shows_a_changed_figure(copied):
    """One figure of the gemeenten side by side, changed in the model: the table, the chart's data
    and alt text, Excel, herkomst, the region's finding and the memo all show it."""
    from jaarverslag.inhoud import raadsmededeling, vergelijking
    from jaarverslag.inhoud.report import Rapport

    rapport = Rapport.laad(REGIO, JAAR)
    section = rapport.definitie("vsv", als_regio=False)
    table = vergelijking.model_tabel(rapport, section)
    assert [f.tekst for f in table.rijen[0].figuren] == ["109", "2,13%"]
    rapport._vergelijkingen["vsv"] = _with_figure(table, "Aadorp", 1, 4.56, "4,56%")

    page = BeautifulSoup(str(Verslag(rapport).sectie("vsv")), "html.parser").select_one("div.vergelijking")
    cells = {tr.th.get_text(): [td.get_text() for td in tr.find_all("td")] for tr in page.select("tbody tr")}
    assert cells["Aadorp"] == ["109", "4,56%"] and cells["Beekveld"] == ["125", "3,42%"]
    assert "Aadorp: 4,56%" in page.select_one("figure img")["alt"]
    label, bars = vergelijking.grafiekrijen(rapport, section)
    assert label == "Percentage" and {f.rij: f.getal for f in bars}["Aadorp"] == 4.56
    excel = vergelijking.tabel(rapport, section).set_index("Gemeente")
    assert excel.at["Aadorp", "Percentage"] == 4.56 and excel.at["Beekveld", "Percentage"] == 3.42
    trail = {(c.rij, c.kolom): c.waarde for c in rapport.cijfers("vsv")}
    assert trail[("Aadorp", "Percentage")] == "4,56%"
    finding = "in Aadorp het percentage voortijdig schoolverlaters (4,56%) duidelijk hoger is dan in de regio (2,63%)"
    assert finding in [p.tekst for p in rapport.kernpunt_lijst()]
    assert any(finding in p.tekst for p in raadsmededeling.maak(rapport).punten)
