"""The report definition as data: a gemeente's own sections, order and table, and a broken definition."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, copy_project, html_text

from jaarverslag import bundel, cli, paths
from jaarverslag.errors import ParameterFout
from jaarverslag.invoer.definitie import verslag
from jaarverslag.weergave.verslag import Verslag

FIXTURE = Path(__file__).parent / "fixtures" / "heidedorp"
CHOSEN = ["thuiszitters", "wettelijk_verzuim", "leerplichtigen", "vsv", "vsv_onderwijssoort", "jongeren"]
CHAPTERS = {
    "thuiszitters-en-verzuim": "Thuiszitters en verzuim",
    "voortijdig-schoolverlaten": "Voortijdig schoolverlaten",
}
USED_TABLES = {"thuiszitters", "wettelijk_verzuim", "leerplichtigen", "jongeren_vsv", "vsv_onderwijssoort"}
DEVENTER = ("deventer", "konnected", "jongerenloket", "14.339", "443", "7.821", "184", "2,35")


def add_heidedorp() -> None:
    """What the README asks of a gemeente with a table of its own: its data and params, its own
    data/<gemeente>/schema.yaml for the new table and its own data/<gemeente>/verslag.yaml."""
    shutil.copytree(FIXTURE / "data", paths.DATA / "heidedorp")
    shutil.copytree(FIXTURE / "params", paths.PARAMS / "heidedorp")


@pytest.fixture(scope="module")
def heidedorp(tmp_path_factory):
    from jaarverslag.bouw.build import build

    root = copy_project(tmp_path_factory.mktemp("heidedorp") / "project")
    paths.set_root(root)
    try:
        add_heidedorp()
        folder = build("heidedorp", "2022-2023", stil=True)
    finally:
        paths.set_root(REPO)
    return folder


@pytest.fixture
def gemeente(project):
    """A project copy with Heidedorp in it (no build)."""
    add_heidedorp()
    return project


def _council(folder: Path) -> BeautifulSoup:
    return BeautifulSoup((folder / "jaarverslag.html").read_text(encoding="utf-8"), "html.parser")


def _pdf_text(folder: Path) -> str:
    from pypdf import PdfReader

    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(folder / "jaarverslag.pdf").pages
    )


# --- a fictitious gemeente with its own sections, order and table ----------------------------


@pytest.mark.e2e
def test_its_html_and_pdf_show_exactly_its_sections_in_its_order(heidedorp):
    council = _council(heidedorp)
    assert [s["id"] for s in council.select("section.sectie")] == CHOSEN
    toc = [a["href"][1:] for a in council.select("nav.inhoud a")]
    assert toc == [
        "kerncijfers",
        "inleiding",
        "thuiszitters-en-verzuim",
        *CHOSEN[:3],
        "voortijdig-schoolverlaten",
        *CHOSEN[3:],
        "datakwaliteit",
        "verantwoording",
    ]
    for anchor, title in CHAPTERS.items():
        assert council.find(id=anchor).get_text(strip=True) == title
    titles = [s.h3.get_text(strip=True) for s in council.select("section.sectie")]
    pdf = _pdf_text(heidedorp)
    positions = [pdf.find(title, pdf.find("Inleiding")) for title in titles]
    assert -1 not in positions and positions == sorted(positions), titles  # the PDF reads in the same order
    assert "Het team Onderwijs volgt elke thuiszitter" in pdf  # the chapter's own text block


@pytest.mark.e2e
def test_its_own_table_has_a_chart_a_table_a_finding_and_a_validation_suite(heidedorp):
    section = _council(heidedorp).find(id="thuiszitters")
    alt = section.select_one("figure.grafiek img")["alt"]
    assert alt.startswith("Staafdiagram van thuiszitters per schooljaar, 2019-2020 tot en met 2022-2023.")
    assert "Thuiszitters: van 27 in 2019-2020 naar 34 in 2022-2023" in alt
    assert "Waarvan binnen 3 maanden terug op school: van 9 in 2019-2020 naar 16 in 2022-2023" in alt
    table = section.select_one("table.cijfers")
    assert table.caption.get_text() == "Thuiszitters, schooljaar 2019-2020 tot en met 2022-2023"
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Schooljaar", "Thuiszitters", "Waarvan binnen 3 maanden terug op school"]  # schema labels
    assert [td.get_text() for td in table.select("tbody tr")[-1].select("td")] == ["34", "16"]
    assert "na de zomervakantie" in section.select_one("ol.noten").get_text()
    assert "het aantal thuiszitters is gedaald van 38 naar 34 (11% minder)" in section.get_text()
    summary = json.loads((heidedorp / bundel.VALIDATIE[0]).read_text(encoding="utf-8"))
    suites = {s["suite"]: s["controles"] for s in summary["suites"]}
    assert set(suites) == USED_TABLES | {"kruis_vsv_onderwijssoorten", "kruis_percentage_vsv", "kruis_sprongen"}
    assert suites["thuiszitters"] >= 8 and summary["geslaagd"] and not summary["waarschuwingen"]
    trail = (heidedorp / bundel.HERKOMST).read_text(encoding="utf-8")
    assert "thuiszitters,voetnoot,,tekst,2,2,2.0,data/heidedorp/thuiszitters.csv,5,noot," in trail
    assert re.search(
        r'"Thuiszitters, schooljaar 2019-2020 tot en met 2022-2023",2022-2023,Thuiszitters,34,34,34\.0,'
        r"data/heidedorp/thuiszitters\.csv,5,thuiszitters,",
        trail,
    )


@pytest.mark.e2e
def test_its_notebook_excel_and_manifest_follow_its_definition(heidedorp):
    notebook = nbformat.read(heidedorp / bundel.NOTEBOOK, as_version=4)
    ids = [c.get("id") for c in notebook.cells]
    dashed = [k.replace("_", "-") for k in CHOSEN]
    assert [i for i in ids if i.startswith("sectie-")] == [f"sectie-{k}" for k in dashed]
    assert [i for i in ids if i.startswith("spoor-") and i[6:] in dashed] == [f"spoor-{k}" for k in dashed]
    assert [i for i in ids if i.startswith("hoofdstuk-")] == [f"hoofdstuk-{a}" for a in CHAPTERS]
    from openpyxl import load_workbook

    assert load_workbook(heidedorp / "tabellen.xlsx").sheetnames == [*CHOSEN, "herkomst"]
    inputs = json.loads((heidedorp / bundel.MANIFEST).read_text(encoding="utf-8"))["invoer"]
    data = {name for name in inputs if name.startswith("data/")}
    assert data == {
        "data/schema.yaml",
        "data/verslag.yaml",
        "data/raadsmededeling.yaml",
        "data/heidedorp/schema.yaml",
        "data/heidedorp/verslag.yaml",
        *(f"data/heidedorp/{t}.csv" for t in USED_TABLES),
    }


@pytest.mark.e2e
def test_no_deventer_text_or_figure_and_the_left_out_sections_are_named(heidedorp):
    council = _council(heidedorp)
    left_out = council.select_one("ul.weggelaten")
    names = [li.get_text() for li in left_out.select("li")]
    assert len(names) == 9 and "Overstapcoach" in names and "Vrijstellingen" in names
    assert "Voortijdig schoolverlaters in het mbo per niveau" in names and "Wettelijk verzuim" not in names
    intro = left_out.find_previous("p").get_text()
    assert "laat 9 onderwerpen van de standaardopzet weg" in intro and "data/heidedorp/verslag.yaml" in intro
    pdf = _pdf_text(heidedorp)
    for name in ("Overstapcoach", "Vrijstellingen"):
        assert pdf.count(name) == 1, name  # only in the list of left-out sections
    left_out.decompose()
    text = html_text(str(council)).lower()
    for word in DEVENTER + ("overstapcoach", "huisbezoek", "mbo-niveau", "vrijstelling", "proces-verbaal"):
        assert not re.search(rf"(?<![\d.,]){re.escape(word)}(?![\d])", text), word
    for word in DEVENTER:
        assert not re.search(rf"(?<![\d.,]){re.escape(word)}(?![\d])", pdf.lower()), word
    verantwoording = council.select_one("dl.verantwoording").get_text()
    assert "Thuiszitters" in verantwoording and "overstapcoach" not in verantwoording.lower()


# --- every part follows the one definition -------------------------------------------------


def _definition_with(change) -> None:
    import yaml

    data = yaml.safe_load(paths.DATA.joinpath("verslag.yaml").read_text(encoding="utf-8"))
    change(data)
    paths.DATA.joinpath("verslag.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def test_contents_notebook_excel_and_checklist_all_come_from_the_definition(project, tmp_path):
    """Reorder the project's chapters and drop two sections: every part follows, none is told separately."""
    from openpyxl import load_workbook

    from jaarverslag.bouw.tabellenboek import write_workbook
    from jaarverslag.inhoud.report import Rapport
    from jaarverslag.invoer.checklist import checklist
    from jaarverslag.weergave.notebook import uit_definitie

    def change(data):
        first, second = data["hoofdstukken"]
        first["secties"] = [k for k in first["secties"] if k != "vrijstellingen"][::-1]
        second["secties"] = [k for k in second["secties"] if k != "huisbezoeken"]
        data["hoofdstukken"] = [second, first]

    _definition_with(change)
    (paths.DATA / "deventer" / "huisbezoeken.csv").unlink()  # no longer used, so no longer required
    params = paths.PARAMS / "deventer" / "2022-2023.yaml"
    text = params.read_text(encoding="utf-8")
    text = text[: text.index("  vrijstellingen: |")]  # a text, and a key figure, of a left-out section
    params.write_text("\n".join(line for line in text.split("\n") if "tabel: vrijstellingen" not in line))
    expected = [*verslag("deventer").secties_van("Doorstroompunt"), *verslag("deventer").secties_van("Leerplicht")]
    assert expected[0] == "jongeren" and expected[-1] == "leerplichtigen" and len(expected) == 12

    rapport = Rapport.laad("deventer", "2022-2023")
    toc = BeautifulSoup(str(Verslag(rapport).inhoudsopgave()), "html.parser")
    stories = [a for a in toc.select("ol ol a") if a["href"].startswith("#verhaal-")]  # Deventer's story
    assert [a["href"][1:] for a in toc.select("ol ol a") if a not in stories] == expected
    cells = [c.id for c in uit_definitie(rapport.verslagdefinitie).cells if c.id.startswith("sectie-")]
    assert cells == [f"sectie-{k.replace('_', '-')}" for k in expected]
    write_workbook(rapport, tmp_path / "tabellen.xlsx")
    assert load_workbook(tmp_path / "tabellen.xlsx").sheetnames == expected
    lines = checklist("deventer", "2023-2024")
    named = {re.match(r"data/deventer/(\w+)\.csv", line)[1] for line in lines}
    assert "vrijstellingen" not in named and "huisbezoeken" not in named
    assert named == {
        "leerplichtigen",
        "betrokkenheid",
        "wettelijk_verzuim",
        "overig_verzuim",
        "processen_verbaal",
        "jongeren_vsv",
        "vsv_onderwijssoort",
    }  # the required tables the sections still use
    left_out = BeautifulSoup(str(Verslag(rapport).verantwoording()), "html.parser").select("ul.weggelaten li")
    assert [li.get_text() for li in left_out] == ["Vrijstellingen", "Resultaten van huisbezoeken door het jongerenwerk"]


def test_a_label_comes_from_the_schema_alone(project):
    from jaarverslag.inhoud.report import Rapport

    text = paths.SCHEMA_FILE.read_text(encoding="utf-8")
    paths.SCHEMA_FILE.write_text(text.replace("label: Wettelijk verzuim\n", "label: Meldingen 16 uur\n", 1))
    rapport = Rapport.laad("deventer", "2022-2023")
    assert "Meldingen 16 uur" in str(Verslag(rapport).sectie("wettelijk_verzuim"))
    assert list(rapport.excelblad("wettelijk_verzuim").columns)[1] == "Meldingen 16 uur"
    assert rapport.kolom_label("wettelijk_verzuim", "wettelijk_verzuim") == "Meldingen 16 uur"


def test_a_chosen_sections_missing_table_is_named_and_an_unused_one_is_not_required(gemeente, capsys):
    assert cli.main(["validate", "heidedorp", "2022-2023"]) == 0  # no overstapcoach.csv, huisbezoeken.csv, ...
    (paths.DATA / "heidedorp" / "thuiszitters.csv").unlink()
    assert cli.main(["validate", "heidedorp", "2022-2023"]) == 1
    assert "data/heidedorp/thuiszitters.csv: het bestand bestaat niet." in capsys.readouterr().err
    assert not (paths.EXPECTATIONS / "thuiszitters.json").exists()  # its suite comes from its own schema


# --- a broken definition is refused before any data is read -----------------------------------

BROKEN = [
    (
        "tabel: thuiszitters",
        "tabel: thuiszitter",
        "secties.thuiszitters.tabel",
        "tabel 'thuiszitter' staat niet in data/schema.yaml",
    ),
    (
        "kolommen: [thuiszitters, terug_binnen_3_maanden]",
        "kolommen: [thuiszitters, terug]",
        "secties.thuiszitters.kolommen",
        "tabel thuiszitters heeft geen kolom 'terug'",
    ),
    (
        "grafiek: {soort: staaf}",
        "grafiek: {soort: taart}",
        "secties.thuiszitters.grafiek.soort",
        "'taart' is geen grafieksoort bij weergave tijdreeks; kies uit staaf, lijn, gestapeld",
    ),
    (
        "secties: [vsv, vsv_onderwijssoort, jongeren]",
        "secties: [vsv, vsv_per_wijk, jongeren]",
        "hoofdstukken, nummer 2.secties",
        "onbekende sectie 'vsv_per_wijk'",
    ),
    (
        "      - trend: thuiszitters",
        "      - trend: thuiszitters_totaal",
        "secties.thuiszitters.kernpunten, nummer 1.trend",
        "kolom 'thuiszitters_totaal' staat niet in de kolommen van deze sectie",
    ),
    (
        "    kolommen: [thuiszitters",
        "    weergave: per_groep\n    kolommen: [thuiszitters",
        "secties.thuiszitters.weergave",
        "weergave per_groep vraagt een tabel met een categoriekolom; thuiszitters heeft er geen",
    ),
    (
        "  thuiszitters:\n",
        '  "thuis zitters":\n',
        "secties.thuis zitters",
        "een sectiesleutel bestaat uit kleine letters",
    ),
    (
        "secties: [thuiszitters, wettelijk_verzuim, leerplichtigen]",
        "secties: [wettelijk_verzuim, leerplichtigen]",
        "secties.thuiszitters",
        "deze eigen sectie staat in geen hoofdstuk",
    ),
    (
        "titel: Voortijdig schoolverlaten",
        "titel: Thuiszitters en Verzuim",
        "hoofdstukken, nummer 2.titel",
        "een ander hoofdstuk, een sectie of een vast deel heet al 'Thuiszitters en Verzuim'",
    ),
    (
        "secties: [vsv, vsv_onderwijssoort, jongeren]",
        "secties: []",
        "hoofdstukken, nummer 2.secties",
        "geef de secties als een lijst van sleutels (minstens één)",
    ),
    ("grafiek: {soort: staaf}", "weergave: [tijdreeks]", "secties.thuiszitters.weergave", "is geen weergave"),
    (
        "    kolommen: [thuiszitters",
        "    voetnoten: [[noot]]\n    kolommen: [thuiszitters",
        "secties.thuiszitters.voetnoten",
        "geef een lijst van tekstkolommen",
    ),
    (
        "        onderwerp: het aantal thuiszitters",
        "        onderwerp: het aantal thuiszitters\n        omlaag: ''",
        "secties.thuiszitters.kernpunten, nummer 1.omlaag",
        "dit is een tekst (niet leeg)",
    ),
    (
        "      - trend: thuiszitters\n        onderwerp: het aantal thuiszitters",
        "      - aantal: thuiszitters\n        zin: er waren {n} thuiszitters in {x}",
        "secties.thuiszitters.kernpunten, nummer 1.zin",
        "andere accolades mogen er niet in staan",
    ),
    (
        "      - trend: thuiszitters\n        onderwerp: het aantal thuiszitters",
        "      - landelijk: thuiszitters\n        tegenover: terug_binnen_3_maanden\n        onderwerp: x",
        "secties.thuiszitters.kernpunten, nummer 1.tegenover",
        "vergelijk twee percentagekolommen",
    ),
    (
        "grafiek: {soort: staaf}",
        "grafiek: {soort: staaf, kolommen: [noot]}",
        "secties.thuiszitters.grafiek.kolommen",
        "kolom noot is geen cijfer",
    ),
    (
        "kolommen: [thuiszitters, terug_binnen_3_maanden]\n    grafiek: {soort: staaf}",
        "kolommen: [thuiszitters]\n    grafiek: {soort: staaf, kolommen: [terug_binnen_3_maanden]}",
        "secties.thuiszitters.grafiek.kolommen",
        "kolom terug_binnen_3_maanden staat niet onder secties.thuiszitters.kolommen",
    ),
    ("    titel: Thuiszitters\n", "    titel: '  '\n", "secties.thuiszitters.titel", "een titel is een korte tekst"),
    (
        "    titel: Thuiszitters\n",
        "    titel: '**Thuiszitters**'\n",
        "secties.thuiszitters.titel",
        "zonder regeleinde of opmaaktekens",
    ),
    ("  thuiszitters:\n    tabel", "  datakwaliteit:\n    tabel", "secties.datakwaliteit", "is niet een van"),
    (
        "  thuiszitters:\n    tabel",
        '  "thuiszitters\\n":\n    tabel',
        "secties.thuiszitters ",
        "een sectiesleutel bestaat uit",
    ),
    (
        "titel: Voortijdig schoolverlaten",
        "titel: Verantwoording",
        "hoofdstukken, nummer 2.titel",
        "een vast deel heet al",
    ),
    (
        "    kolommen: [thuiszitters, terug_binnen_3_maanden]\n    grafiek: {soort: staaf}",
        "    weergave: uitsplitsing\n    kolommen: [thuiszitters]\n    grafiek: {soort: liggend}",
        "secties.thuiszitters.weergave",
        "weergave uitsplitsing vraagt minstens twee kolommen",
    ),
    (
        "        onderwerp: het aantal thuiszitters",
        "        onderwerp: het aantal thuiszitters\n        thema: Thuis Zitters",
        "secties.thuiszitters.kernpunten, nummer 1.thema",
        "een thema is een sleutel van kleine letters",
    ),
    (
        "        onderwerp: het aantal thuiszitters",
        "        onderwerp: het aantal thuiszitters\n        gewicht: 99",
        "secties.thuiszitters.kernpunten, nummer 1.gewicht",
        "gewicht is een getal van 0 tot en met 10",
    ),
    (
        "        onderwerp: het aantal thuiszitters",
        "        onderwerp: het aantal thuiszitters\n        correctie: {kolom: noot, zin: 'na analyse {n}'}",
        "secties.thuiszitters.kernpunten, nummer 1.correctie.kolom",
        "is geen cijfer van dezelfde soort",
    ),
    (
        "      - trend: thuiszitters\n        onderwerp: het aantal thuiszitters",
        "      - aandeel: thuiszitters\n        zin: '{p} thuis'",
        "secties.thuiszitters.kernpunten, nummer 1.aandeel",
        "is geen percentage",
    ),
    (
        "      - trend: thuiszitters\n        onderwerp: het aantal thuiszitters",
        "      - bereik: thuiszitters\n        zin: '{n} bezocht'\n        uitkomsten: {weg: weg}",
        "secties.thuiszitters.kernpunten, nummer 1.uitkomsten",
        "kolom 'weg' staat niet in de kolommen van deze sectie",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "message"), BROKEN, ids=[b[2] for b in BROKEN])
def test_a_broken_definition_names_the_file_and_the_key_before_any_data_is_read(
    gemeente, capsys, old, new, key, message
):
    own = paths.DATA / "heidedorp" / "verslag.yaml"
    text = own.read_text(encoding="utf-8")
    assert old in text
    own.write_text(text.replace(old, new, 1), encoding="utf-8")
    (paths.DATA / "heidedorp" / "leerplichtigen.csv").write_bytes(b"\x00\x01 kapot")  # never read
    with pytest.raises(ParameterFout) as caught:
        verslag("heidedorp")
    assert str(caught.value).startswith(f"data/heidedorp/verslag.yaml, sleutel {key}: ")
    assert message in str(caught.value)
    assert cli.main(["validate", "heidedorp", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert f"data/heidedorp/verslag.yaml, sleutel {key}: " in err and "leerplichtigen.csv" not in err


def test_a_gemeentes_section_changes_the_projects_key_by_key(gemeente):
    own = paths.DATA / "heidedorp" / "verslag.yaml"
    text = own.read_text(encoding="utf-8")
    own.write_text(text + "  vsv:\n    grafiek: {as: procent van de jongeren}\n", encoding="utf-8")
    vsv = verslag("heidedorp").secties["vsv"]
    assert (vsv.grafiek, vsv.grafiek_kolommen, vsv.eenheid) == (
        "lijn",
        ("percentage_vsv", "percentage_vsv_landelijk"),
        "procent van de jongeren",
    )
    own.write_text(
        text + "  vsv:\n    grafiek: {as: procent, soort: staaf}\n    weergave: uitsplitsing\n", encoding="utf-8"
    )
    with pytest.raises(ParameterFout) as caught:  # the chart kind comes from the gemeente's file: it is named
        verslag("heidedorp")
    assert str(caught.value).startswith("data/heidedorp/verslag.yaml, sleutel secties.vsv.weergave")
    own.write_text(text + "  vsv_onderwijssoort:\n    weergave: tijdreeks\n", encoding="utf-8")
    with pytest.raises(ParameterFout, match="kies weergave per_groep of verdeling"):
        verslag("heidedorp")
    own.write_text("# leeg\n", encoding="utf-8")
    with pytest.raises(ParameterFout, match=r"^data/heidedorp/verslag.yaml: deze verslagdefinitie is leeg"):
        verslag("heidedorp")


def test_a_label_or_legend_in_the_schema_is_checked(gemeente):
    own = paths.DATA / "heidedorp" / "schema.yaml"
    text = own.read_text(encoding="utf-8")
    own.write_text(text.replace("label: Thuiszitters\n", "label: Thuiszitters\n        legenda: '{x} thuis'\n"))
    with pytest.raises(
        ParameterFout, match=r"^data/heidedorp/schema.yaml, tabel thuiszitters, kolom thuiszitters: legenda"
    ):
        verslag("heidedorp")
    own.write_text(text.replace("label: Thuiszitters\n", "label: 5\n"))
    with pytest.raises(
        ParameterFout, match=r"^data/heidedorp/schema.yaml, tabel thuiszitters, kolom thuiszitters: geef een label"
    ):
        verslag("heidedorp")


def test_a_definition_is_read_as_strictly_as_a_params_file(gemeente):
    own = paths.DATA / "heidedorp" / "verslag.yaml"
    own.write_text(
        own.read_text(encoding="utf-8").replace("titel: Thuiszitters\n", "titel: &t Thuiszitters\n    x: *t\n")
    )
    with pytest.raises(ParameterFout, match=r"^data/heidedorp/verslag.yaml: regel \d+: verwijzingen \(\*alias\)"):
        verslag("heidedorp")
    own.unlink()
    own.symlink_to("/etc/passwd")
    with pytest.raises(ParameterFout, match="symlink"):
        verslag("heidedorp")


@pytest.mark.e2e
def test_the_projects_definition_is_checked_too(project, capsys):
    target = paths.DATA / "verslag.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace(
            "grafiek: {soort: lijn, as: procent}", "grafiek: {soort: lijn, as: 3}"
        )
    )
    assert cli.main(["build", "deventer", "2022-2023"]) == 1
    assert "data/verslag.yaml, sleutel secties.betrokkenheid.grafiek.as: de titel van de as is een korte tekst." in (
        capsys.readouterr().err
    )
    target.write_text("hoofdstukken: [\n")
    assert cli.main(["validate", "deventer", "2022-2023"]) == 1
    assert "data/verslag.yaml: dit is geen geldige YAML" in capsys.readouterr().err
    assert not (paths.REPORTS / "deventer" / "2022-2023").exists()


@pytest.mark.e2e  # draws every chart of the report
def test_the_notebook_run_by_hand_shows_every_chapter_in_its_one_cell():
    from jaarverslag.inhoud.report import Rapport

    rapport = Rapport.laad("deventer", "2022-2023")
    page = BeautifulSoup(str(Verslag(rapport).hoofdstukken()), "html.parser")
    assert [h.get("id") for h in page.select("h2")] == ["leerplicht", "doorstroompunt"]
    assert [s["id"] for s in page.select("section.sectie")] == list(verslag("deventer").secties)


def test_every_problem_of_a_definition_is_in_one_message(gemeente):
    own = paths.DATA / "heidedorp" / "verslag.yaml"
    text = own.read_text(encoding="utf-8")
    broken = text.replace("tabel: thuiszitters", "tabel: thuiszitter", 1).replace(
        "grafiek: {soort: staaf}", "grafiek: {soort: taart}", 1
    )
    own.write_text(broken + "  vsv:\n    weergave: taart\n    kleur: rood\n", encoding="utf-8")
    with pytest.raises(ParameterFout) as caught:
        verslag("heidedorp")
    message = str(caught.value)
    assert message.startswith("De verslagdefinitie: 4 problemen (verbeter ze alle):\n")
    lines = message.splitlines()[1:]
    assert lines[0].startswith(
        "  1. data/heidedorp/verslag.yaml, sleutel secties.thuiszitters.tabel: tabel 'thuiszitter'"
    )
    assert "sleutel secties.thuiszitters.grafiek.soort: 'taart' is geen grafieksoort" in lines[1]
    assert any("sleutel secties.vsv.weergave: 'taart' is geen weergave" in line for line in lines)
    assert any("sleutel secties.vsv.kleur: onbekende sleutel; bekend zijn tabel, kolommen" in line for line in lines)


def _without_own_kerncijfers() -> None:
    import yaml

    path = paths.PARAMS / "heidedorp" / "2022-2023.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["kerncijfers"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_params_without_kerncijfers_get_the_definitions_for_the_chosen_sections(gemeente):
    from jaarverslag.invoer.params import load_params

    _without_own_kerncijfers()
    chosen = [(k["tabel"], k["kolom"]) for k in load_params("heidedorp", "2022-2023")["kerncijfers"]]
    assert chosen == [
        ("leerplichtigen", "leerplichtigen"),
        ("wettelijk_verzuim", "wettelijk_verzuim"),
        ("jongeren_vsv", "vsv"),
        ("jongeren_vsv", "percentage_vsv"),
    ]  # of the project's eight: not betrokkenheid, absoluut verzuim, per 1.000, vrijstellingen (no such section)
    own = paths.DATA / "heidedorp" / "verslag.yaml"
    own.write_text(own.read_text(encoding="utf-8") + "kerncijfers:\n  - {tabel: thuiszitters, kolom: thuiszitters}\n")
    assert [k["kolom"] for k in load_params("heidedorp", "2022-2023")["kerncijfers"]] == ["thuiszitters"]


def test_a_definitions_kerncijfer_of_the_wrong_form_is_refused_with_its_file(gemeente):
    own = paths.DATA / "heidedorp" / "verslag.yaml"
    own.write_text(own.read_text(encoding="utf-8") + "kerncijfers:\n  - {tabel: thuiszitters}\n")
    with pytest.raises(
        ParameterFout, match=r"^data/heidedorp/verslag.yaml: kerncijfers, nummer 1: schrijf elk kerncijfer"
    ):
        verslag("heidedorp")
