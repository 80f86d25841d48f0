"""End to end: the real build (Papermill, nbconvert, WeasyPrint) on the shipped data."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import nbformat
import pytest
from conftest import assert_no_python_words, html_text
from pypdf import PdfReader
from tables_html import cell, read_tables

from jaarverslag import bundel, cli, paths
from jaarverslag.bouw.build import build
from jaarverslag.errors import BouwFout
from jaarverslag.weergave.notebook import NOTEBOOK

pytestmark = pytest.mark.e2e


def test_outputs_exist(built_report):
    names = {str(p.relative_to(built_report)) for p in built_report.rglob("*") if p.is_file()}
    assert {
        "accountant/jaarverslag.ipynb",
        "jaarverslag.html",
        "jaarverslag.pdf",
        "accountant/manifest.json",
        "accountant/validatie.json",
        "accountant/validatie.html",
    } <= names


def test_notebook_was_executed_with_injected_parameters(built_report):
    notebook = nbformat.read(built_report / bundel.NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    injected = [c for c in code if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'schooljaar = "2022-2023"' in injected[0].source
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert any("text/html" in o.get("data", {}) for c in code for o in c.outputs)


def test_kernel_runs_in_the_project_environment(built_report):
    # the kernel is started with the Python that runs the build: the project's own .venv
    assert sys.prefix != sys.base_prefix, "tests must run inside the project environment"
    notebook = nbformat.read(built_report / bundel.NOTEBOOK, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"


def test_html_has_no_code_and_is_in_dutch(built_report):
    markup = (built_report / "jaarverslag.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in markup
    assert "Rapport.laad" not in markup and "rapport.sectie" not in markup
    assert "input_area" not in markup and "In&nbsp;[" not in markup
    assert "<script" not in markup
    assert 'src="http' not in markup  # self-contained


def test_pdf_is_valid_and_has_title_and_figures(built_report):
    reader = PdfReader(built_report / "jaarverslag.pdf")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert (built_report / "jaarverslag.pdf").read_bytes().startswith(b"%PDF-")
    assert "Jaarverslag leerplicht en Doorstroompunt" in text
    assert reader.metadata.title == "Jaarverslag leerplicht en Doorstroompunt Deventer 2022-2023"
    assert "15.249" in text and "2,35%" in text


# (caption start, row, column, text in the report) - every figure of the source's cijfers sections
REPORT_FIGURES = [
    ("Leerplichtige en kwalificatieplichtige leerlingen", "2018-2019", "Aantal leerlingen (5-18 jaar)", "15.249"),
    ("Leerplichtige en kwalificatieplichtige leerlingen", "2019-2020", "Aantal leerlingen (5-18 jaar)", "15.020"),
    ("Leerplichtige en kwalificatieplichtige leerlingen", "2021-2022", "Aantal leerlingen (5-18 jaar)", "14.354"),
    ("Leerplichtige en kwalificatieplichtige leerlingen", "2022-2023", "Aantal leerlingen (5-18 jaar)", "14.339"),
    ("Betrokkenheid leerplicht", "2018-2019", "% betrokkenheid leerplicht", "3,1%"),
    ("Betrokkenheid leerplicht", "2019-2020", "% betrokkenheid leerplicht", "2,2%"),
    ("Betrokkenheid leerplicht", "2022-2023", "% betrokkenheid leerplicht", "4,4%"),
    ("Preventieve verzuimgesprekken", "2018-2019", "BAS-gesprekken", "58"),
    ("Preventieve verzuimgesprekken", "2019-2020", "BAS-gesprekken", "–"),
    ("Preventieve verzuimgesprekken", "2021-2022", "BAS-gesprekken", "281"),
    ("Preventieve verzuimgesprekken", "2022-2023", "BAS-gesprekken", "285"),
    ("Wettelijk verzuim", "2020-2021", "Wettelijk verzuim", "333"),
    ("Wettelijk verzuim", "2022-2023", "Wettelijk verzuim", "443"),
    ("Wettelijk verzuim", "2018-2019", "Waarvan herhaald wettelijk verzuim", "146"),
    ("Wettelijk verzuim", "2022-2023", "Waarvan herhaald wettelijk verzuim", "158"),
    ("Langdurig relatief", "2019-2020", "Langdurig relatief verzuim", "15"),
    ("Langdurig relatief", "2022-2023", "Langdurig relatief verzuim", "9"),
    ("Langdurig relatief", "2020-2021", "Luxe verzuim", "11"),
    ("Langdurig relatief", "2022-2023", "Luxe verzuim", "22"),
    ("Langdurig relatief", "2021-2022", "Absoluut verzuim", "55"),
    ("Langdurig relatief", "2022-2023", "Absoluut verzuim", "87"),
    ("Langdurig relatief", "2022-2023", "Absoluut verzuim na analyse", "33"),
    ("Vrijstellingen", "2022-2023", "Artikel 5 onder a", "79"),
    ("Vrijstellingen", "2021-2022", "Artikel 5 onder a", "66"),
    ("Vrijstellingen", "2022-2023", "Artikel 5 onder b", "5"),
    ("Vrijstellingen", "2019-2020", "Artikel 5 onder c", "11"),
    ("Vrijstellingen", "2022-2023", "Artikel 15", "12"),
    ("Processen-verbaal", "2021-2022", "Luxe verzuim", "10"),
    ("Processen-verbaal", "2022-2023", "Wettelijk verzuim", "17"),
    ("Processen-verbaal", "2022-2023", "Wettelijk: waarvan voortgezet onderwijs", "8"),
    ("Processen-verbaal", "2022-2023", "Luxe: waarvan basisonderwijs", "7"),
    ("Jongeren in het onderwijs", "2018-2019", "Aantal jongeren", "8.425"),
    ("Jongeren in het onderwijs", "2022-2023", "Aantal jongeren", "7.821"),
    ("Nieuwe voortijdig schoolverlaters", "2018-2019", "Aantal vsv'ers", "203"),
    ("Nieuwe voortijdig schoolverlaters", "2022-2023", "Aantal vsv'ers", "184"),
    ("Nieuwe voortijdig schoolverlaters", "2018-2019", "Percentage", "2,41%"),
    ("Nieuwe voortijdig schoolverlaters", "2022-2023", "Percentage", "2,35%"),
    ("Nieuwe voortijdig schoolverlaters", "2022-2023", "Percentage landelijk", "2,38%"),
    ("Nieuwe voortijdig schoolverlaters", "2021-2022", "Percentage landelijk", "2,37%"),
    ("Voortijdig schoolverlaters per onderwijssoort: Voortgezet onderwijs", "2018-2019", "Percentage", "0,77%"),
    (
        "Voortijdig schoolverlaters per onderwijssoort: Voortgezet onderwijs",
        "2022-2023",
        "Aantal schoolverlaters",
        "17",
    ),
    ("Voortijdig schoolverlaters per onderwijssoort: Mbo", "2019-2020", "Aantal schoolverlaters", "147"),
    ("Voortijdig schoolverlaters per onderwijssoort: Mbo", "2022-2023", "Percentage landelijk", "6,53%"),
    ("Voortijdig schoolverlaters per onderwijssoort: Vavo", "2022-2023", "Percentage", "20,00%"),
    ("Voortijdig schoolverlaters per onderwijssoort: Vavo", "2021-2022", "Percentage", "13,21%"),
    ("Voortijdig schoolverlaters in het mbo per niveau", "Niveau 1 (Entree)", "Percentage", "18,46%"),
    ("Voortijdig schoolverlaters in het mbo per niveau", "Niveau 2", "Aantal schoolverlaters", "52"),
    ("Voortijdig schoolverlaters in het mbo per niveau", "Niveau 4", "Percentage landelijk", "4,50%"),
    ("Overstapcoach", "2021-2022", "Totaal", "13"),
    ("Overstapcoach", "2022-2023", "Waarvan intensief begeleid", "24"),
    ("Overstapcoach", "2022-2023", "Waarvan meedenken, adviseren of begeleiden naar hulp", "21"),
    ("Resultaten van huisbezoeken", "Aan het werk", "Aantal", "33"),
    ("Resultaten van huisbezoeken", "Terug naar school", "Aantal", "8"),
    ("Resultaten van huisbezoeken", "Totaal", "Aantal", "64"),
    ("Verzuim per 1.000", "2022-2023", "Meldingen absoluut verzuim per 1.000 leerplichtigen", "6,1"),
    ("Verzuim per 1.000", "2022-2023", "Absoluut verzuim na analyse per 1.000 leerplichtigen", "2,3"),
    ("Verzuim per 1.000", "2022-2023", "Meldingen wettelijk verzuim per 1.000 leerplichtigen", "30,9"),
]


@pytest.fixture(scope="module")
def report_tables(built_report):
    return read_tables((built_report / "jaarverslag.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("caption", "row", "column", "expected"), REPORT_FIGURES)
def test_report_shows_source_figure_in_dutch_style(report_tables, caption, row, column, expected):
    assert cell(report_tables, caption, row, column) == expected


def test_enough_figures_are_checked():
    assert len(REPORT_FIGURES) >= 40


def test_report_holds_key_findings_and_data_quality(built_report):
    text = html_text((built_report / "jaarverslag.html").read_text(encoding="utf-8"))
    assert "Het valt op dat in schooljaar 2022-2023" in text
    assert "285 preventieve verzuimgesprekken" in text
    assert "absoluut verzuim voor het vierde jaar op rij is gestegen" in text
    assert "ongeveer gelijk is aan het landelijke percentage" in text
    assert "Datakwaliteit" in text and "Vo + mbo + vavo = 164, maar het aantal vsv'ers is 166 (verschil 2)." in text
    assert "vsv_som_onderwijssoorten" not in text  # column names stay in the auditor's trail


def test_footnotes_stand_under_their_table(built_report):
    text = html_text((built_report / "jaarverslag.html").read_text(encoding="utf-8"))
    assert "De overstapcoach is gestart in april 2021." in text
    assert "in werkelijkheid om 33 kinderen/jongeren" in text
    assert "– = cijfer niet beschikbaar in de bron." in text
    # a figure that validation warns about points the reader to Datakwaliteit, under its own table
    assert "Controle: een percentage van 0 kan niet als er vsv zijn. Het cijfer is overgenomen" in text


def test_every_chart_has_alt_text(built_report):
    markup = (built_report / "jaarverslag.html").read_text(encoding="utf-8")
    images = re.findall(r"<img [^>]*>", markup)
    assert len(images) >= 14
    for image in images:
        alt = re.search(r'alt="([^"]*)"', image)
        assert alt and len(alt.group(1)) > 40


def test_validation_saved_with_report(built_report):
    summary = json.loads((built_report / bundel.VALIDATIE[0]).read_text())
    assert summary["geslaagd"] and len(summary["waarschuwingen"]) == 4
    manifest = json.loads((built_report / bundel.MANIFEST).read_text())
    assert manifest["validatie"]["waarschuwingen"] == 4
    assert manifest["uitvoer"]["jaarverslag.pdf"]
    assert "data/deventer/leerplichtigen.csv" in manifest["invoer"]


@pytest.mark.parametrize(
    ("schooljaar", "years"),
    [
        ("2019-2020", ["2018-2019", "2019-2020"]),
        ("2020-2021", ["2018-2019", "2019-2020", "2020-2021"]),
        ("2021-2022", ["2018-2019", "2019-2020", "2020-2021", "2021-2022"]),
    ],
)
def test_earlier_school_years_show_their_window(project, schooljaar, years):
    folder = build("deventer", schooljaar, stil=True)
    tables = read_tables((folder / "jaarverslag.html").read_text(encoding="utf-8"))
    table = next(t for t in tables if t["caption"].startswith("Wettelijk verzuim"))
    assert [row[0] for row in table["rows"][1:]] == years
    text = html_text((folder / "jaarverslag.html").read_text(encoding="utf-8"))
    assert f"Schooljaar {schooljaar}" in text
    later = f"{int(schooljaar[:4]) + 1}-{int(schooljaar[:4]) + 2}"
    assert f"Het valt op dat in schooljaar {schooljaar}" in text
    assert not any(later in str(t["rows"]) for t in tables if "verzuim" in t["caption"].lower())


def test_unknown_school_year_fails_in_dutch_and_leaves_reports_alone(project, capsys):
    existing = paths.REPORTS / "deventer" / "2022-2023"
    existing.mkdir(parents=True)
    (existing / "jaarverslag.pdf").write_bytes(b"oud")
    assert cli.main(["build", "deventer", "1999-2000"]) == 1
    err = capsys.readouterr().err
    assert "Er is geen parameterbestand params/deventer/1999-2000.yaml" in err
    assert (existing / "jaarverslag.pdf").read_bytes() == b"oud"
    assert not (paths.REPORTS / "deventer" / "1999-2000").exists()


def test_failing_notebook_keeps_previous_report_and_the_failed_notebook(project, monkeypatch):
    existing = paths.REPORTS / "deventer" / "2022-2023"
    existing.mkdir(parents=True)
    (existing / "jaarverslag.pdf").write_bytes(b"vorige")
    notebook = nbformat.read(paths.NOTEBOOKS / NOTEBOOK, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("kapot")'))
    nbformat.write(notebook, paths.NOTEBOOKS / NOTEBOOK)
    with pytest.raises(BouwFout) as caught:
        build("deventer", "2022-2023", stil=True)
    message = str(caught.value)
    assert "stopte door een fout in het programma (niet in de invoer)" in message
    assert_no_python_words(message)
    assert (existing / "jaarverslag.pdf").read_bytes() == b"vorige"
    failed = paths.REPORTS / "deventer" / "2022-2023.mislukt" / bundel.NOTEBOOK
    assert failed.exists()
    assert not list((paths.REPORTS / "deventer").glob(".*.bouw"))


def test_make_report_for_unknown_year_fails_cleanly():
    done = subprocess.run(
        ["make", "--no-print-directory", "report", "SCHOOLJAAR=1999-2000"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Er is geen parameterbestand params/deventer/1999-2000.yaml" in done.stderr
    assert not (paths.ROOT / "reports" / "deventer" / "1999-2000").exists()
