"""Council-ready outputs: accessible HTML, archival PDF, audit bundle, byte-identical rebuilds."""

from __future__ import annotations

import errno
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import html_text
from openpyxl import load_workbook
from pypdf import PdfReader

from jaarverslag import bundel, cli, paths
from jaarverslag.bouw import build as build_module
from jaarverslag.bouw.build import build
from jaarverslag.errors import BouwFout, OmgevingsFout
from jaarverslag.spoor import manifest
from jaarverslag.weergave.verslag import Verslag

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def built_project(built_report, monkeypatch):
    """Point the package at the project copy that holds the session's built report."""
    root = built_report.parents[2]
    monkeypatch.setenv(paths.ROOT_VARIABLE, str(root))
    paths.set_root(root)
    yield root
    paths.set_root(Path(__file__).resolve().parents[1])


def _axe_violations(url: str) -> list:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed for the accessibility test (.ci/run installs it)"
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page()
            page.goto(url)
            result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        finally:
            browser.close()
    return result.response["violations"]


def test_axe_finds_no_wcag_violations_in_the_html(built_report):
    violations = _axe_violations((built_report / "jaarverslag.html").as_uri())
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_axe_check_can_fail(tmp_path):
    bad = tmp_path / "slecht.html"
    bad.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><img src="a.png"></body></html>')
    ids = {v["id"] for v in _axe_violations(bad.as_uri())}
    assert {"html-has-lang", "image-alt"} <= ids


def test_html_structure(built_report):
    markup = (built_report / "jaarverslag.html").read_text(encoding="utf-8")
    levels = [int(h) for h in re.findall(r"<h([1-6])\b", markup)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert markup.count("<caption>") >= 16 and 'scope="col"' in markup and 'scope="row"' in markup
    assert re.search(r'<nav [^>]*class="inhoud"', markup) and "@media print" in markup
    assert "Gemeente Deventer" in markup and "1 juni 2024" in markup
    assert "Verantwoording voor de accountant" not in markup  # the audit cell stays in the notebook


def test_pdf_is_archival_tagged_and_described(built_report):
    reader = PdfReader(built_report / "jaarverslag.pdf")
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="2" pdfaid:conformance="A"' in raw  # PDF/A-2a
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert reader.metadata.title == "Jaarverslag leerplicht en Doorstroompunt Deventer 2022-2023"
    assert reader.metadata.author == "Gemeente Deventer, team Leerplicht en Doorstroompunt"
    assert reader.outline, "bookmarks from the headings"
    fonts = {f["/BaseFont"] for page in reader.pages for f in page["/Resources"].get("/Font", {}).values()}
    assert len(fonts) >= 2 and all("+" in str(name) for name in fonts)  # subset-embedded fonts carry a tag prefix


def test_pdf_text_in_reading_order(built_report):
    reader = PdfReader(built_report / "jaarverslag.pdf")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    order = [
        "Inhoud",
        "Het valt op dat",
        "15.249",
        "15.020",
        "14.883",
        "14.354",
        "14.339",
        "Doorstroompunt",
        "8.425",
        "8.299",
        "8.218",
        "7.989",
        "7.821",
        "2,41%",
        "2,35%",
        "Datakwaliteit",
        "Verantwoording",
    ]
    position = 0
    for word in order:  # each figure comes after the one before it, as on the page
        found = text.find(word, position)
        assert found >= 0, f"{word} niet gevonden na positie {position}"
        position = found + len(word)
    assert "Pagina 3 van" in text


def test_notebook_opens_with_parameters_inputs_and_validation(built_report):
    notebook = nbformat.read(built_report / bundel.NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.tags and "injected-parameters" in code[1].metadata.tags
    audit = code[3].outputs[0]["data"]["text/html"]
    assert "data/deventer/leerplichtigen.csv" in audit and re.search(r"[0-9a-f]{64}", audit)
    assert "220 controles" in audit and "4 waarschuwing(en)" in audit


def test_excel_companion_has_every_table_with_numbers(built_report):
    book = load_workbook(built_report / "tabellen.xlsx")
    assert len(book.sheetnames) == 15 and book.sheetnames[-1] == "herkomst"
    rows = list(book["leerplichtigen"].iter_rows(values_only=True))
    assert rows[1] == ("Schooljaar", "Aantal leerlingen (5-18 jaar)")
    assert rows[2] == ("2018-2019", 15249)
    vsv = list(book["vsv"].iter_rows(values_only=True))
    assert vsv[-1] == ("2022-2023", 184, 2.35, 2.38)
    bas = list(book["bas_gesprekken"].iter_rows(values_only=True))
    assert bas[3] == ("2019-2020", None)  # missing stays empty, never 0


def test_manifest_records_inputs_outputs_and_environment(built_report):
    recorded = json.loads((built_report / bundel.MANIFEST).read_text())
    assert set(recorded["uitvoer"]) == set(manifest.OUTPUTS) - {"herzieningen.csv"}  # a first edition
    assert recorded["uitgave"] == {"datum": "2024-06-01", "vervangt": None}
    assert {
        "data/deventer/vrijstellingen.csv",
        "params/deventer/2022-2023.yaml",
        "notebooks/jaarverslag.ipynb",
        "expectations/kruis_mbo_niveaus.json",
        "templates/jaarverslag/index.html.j2",
        "requirements.lock",
    } <= set(recorded["invoer"])
    assert recorded["parameters"]["schooljaar"] == "2022-2023"
    assert recorded["pakketten"]["great-expectations"].startswith("1.")
    assert set(recorded["git"]) == {"commit", "gewijzigd"}
    assert recorded["validatie"] == {**recorded["validatie"], "geslaagd": True, "waarschuwingen": 4}
    assert "/tmp" not in (built_report / bundel.MANIFEST).read_text()


def test_rebuild_is_byte_identical(built_project, built_report, tmp_path):
    before = {p.relative_to(built_report): p.read_bytes() for p in built_report.rglob("*") if p.is_file()}
    build("deventer", "2022-2023", stil=True, opnieuw=True)
    after = {p.relative_to(built_report): p.read_bytes() for p in built_report.rglob("*") if p.is_file()}
    assert set(before) == set(after)
    different = [name for name in before if before[name] != after[name]]
    assert different == [Path(bundel.MANIFEST)]  # it says that the rebuild reused the validation
    first, again = (json.loads(side[Path(bundel.MANIFEST)]) for side in (before, after))
    assert (first.pop("validatie_hergebruikt"), again.pop("validatie_hergebruikt")) == (False, True)
    assert first == again


def test_a_text_edit_reuses_the_validation_and_a_data_edit_does_not(project, capsys):
    """A params text edit: the same validation result, reused (GX does not run); a data edit validates again."""
    folder = paths.REPORTS / "deventer" / "2022-2023"
    assert cli.main(["build", "deventer", "2022-2023"]) == 0
    first = (folder / bundel.VALIDATIE[0]).read_text(encoding="utf-8")
    assert json.loads((folder / bundel.MANIFEST).read_text())["validatie_hergebruikt"] is False
    params = paths.PARAMS / "deventer" / "2022-2023.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("grondig geanalyseerd", "zorgvuldig bekeken"))
    capsys.readouterr()
    assert cli.main(["build", "deventer", "2022-2023"]) == 0
    err = capsys.readouterr().err
    assert "  hergebruikt" in err and "valideren" not in err
    recorded = json.loads((folder / bundel.MANIFEST).read_text())
    assert recorded["validatie_hergebruikt"] is True
    again = json.loads((folder / bundel.VALIDATIE[0]).read_text(encoding="utf-8"))
    assert (
        again["invoer_sha256"]["params/deventer/2022-2023.yaml"] == recorded["invoer"]["params/deventer/2022-2023.yaml"]
    )
    assert {k: v for k, v in again.items() if k != "invoer_sha256"} == {
        k: v for k, v in json.loads(first).items() if k != "invoer_sha256"
    }
    assert "zorgvuldig bekeken" in (folder / "jaarverslag.html").read_text(encoding="utf-8")
    data = paths.DATA / "deventer" / "leerplichtigen.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("2022-2023,14339", "2022-2023,14340"))
    assert cli.main(["build", "deventer", "2022-2023"]) == 0
    err = capsys.readouterr().err
    assert "  valideren" in err and "hergebruikt" not in err
    assert json.loads((folder / bundel.MANIFEST).read_text())["validatie_hergebruikt"] is False


def _flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "relative",
    [
        "data/deventer/leerplichtigen.csv",
        "params/deventer/2022-2023.yaml",
        "notebooks/jaarverslag.ipynb",
        "expectations/vsv_onderwijssoort.json",
        "templates/jaarverslag/jaarverslag.css",
        "requirements.lock",
        *[f"reports/deventer/2022-2023/{name}" for name in manifest.OUTPUTS if name != "herzieningen.csv"],
    ],
)
def test_verify_names_the_file_with_one_changed_byte(built_project, relative, capsys):
    target = built_project / relative
    original = target.read_bytes()
    assert cli.main(["verify", "deventer", "2022-2023"]) == 0
    _flip_one_byte(target)
    try:
        assert cli.main(["verify", "deventer", "2022-2023"]) == 1
        err = capsys.readouterr().err
        assert relative.removeprefix("reports/deventer/2022-2023/") in err and "gewijzigd" in err
    finally:
        target.write_bytes(original)
    assert cli.main(["verify", "deventer", "2022-2023"]) == 0


def test_verify_reports_a_damaged_manifest(built_project, built_report):
    path = built_report / bundel.MANIFEST
    original = path.read_bytes()
    path.write_bytes(original[:-20])
    try:
        assert any("beschadigd" in line for line in manifest.verify(built_report))
    finally:
        path.write_bytes(original)


def test_a_second_build_of_the_same_report_waits_its_turn(project):
    target = paths.REPORTS / "deventer" / "2022-2023"
    with build_module.publish.lock(target, "deventer 2022-2023"), pytest.raises(BouwFout) as caught:
        build("deventer", "2022-2023", stil=True)
    assert "Er loopt al een build van deventer 2022-2023" in str(caught.value)


def test_failed_render_leaves_previous_report(project, monkeypatch):
    folder = paths.REPORTS / "deventer" / "2022-2023"
    folder.mkdir(parents=True)
    (folder / "jaarverslag.pdf").write_bytes(b"vorige")

    def broken_pdf(html, output):
        raise OSError(errno.ENOSPC, "No space left on device", str(output))

    monkeypatch.setattr(build_module.document, "to_pdf", broken_pdf)
    with pytest.raises(OmgevingsFout) as caught:
        build("deventer", "2022-2023", stil=True)
    assert "de schijf is vol" in str(caught.value) and "reports/deventer/.2022-2023.bouw/jaarverslag.pdf" in str(
        caught.value
    )
    assert (folder / "jaarverslag.pdf").read_bytes() == b"vorige"
    assert sorted(p.name for p in folder.iterdir()) == ["jaarverslag.pdf"]
    assert not [p for p in (paths.REPORTS / "deventer").iterdir() if p.name.endswith(".bouw")]
    shutil.rmtree(folder)


def test_no_page_but_a_chapter_end_is_less_than_about_half_full(built_report):
    from jaarverslag.weergave.paginavulling import pages

    measured = pages(built_report / "jaarverslag.pdf")
    assert len(measured) <= 19  # 17 before the voorwoord and the story "Uit de praktijk" got a page each
    short = [(p.nummer, round(p.vulling, 2)) for p in measured if not p.hoofdstukeinde and p.vulling < 0.4]
    assert short == []
    assert sum(p.hoofdstukeinde for p in measured) <= 8  # title, kerncijfers, contents, inleiding, chapters, last


def test_the_kerncijfers_page_holds_the_configured_figures_with_last_years_values(built_report):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((built_report / "jaarverslag.html").read_text(encoding="utf-8"), "html.parser")
    table = page.select_one("table.kerncijfers")
    assert [th.get_text() for th in table.thead.find_all("th")] == [
        "Kerncijfer",
        "2022-2023",
        "2021-2022",
        "Richting",
        "Verschil",
        "Nederland",
    ]
    rows = {tr.th.get_text(): [td.get_text() for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")}
    assert len(rows) == 8  # as params/deventer/2022-2023.yaml lists them
    assert rows["Meldingen wettelijk verzuim"] == ["443", "395", "↑ hoger", "+48", "–"]
    assert rows["Meldingen wettelijk verzuim per 1.000 leerplichtigen"] == ["30,9", "27,5", "↑ hoger", "+3,4", "–"]
    assert rows["Leerplichtigen (5-18 jaar)"][2] == "≈ gelijk"  # −15: the rule the key findings use
    assert rows["Percentage voortijdig schoolverlaters"] == ["2,35%", "2,53%", "↓ lager", "−0,18 procentpunt", "2,38%"]
    assert page.select_one("nav.inhoud a").get_text() == "Kerncijfers"
    pdf = " ".join(p.extract_text() for p in PdfReader(built_report / "jaarverslag.pdf").pages[1:2])
    assert "Kerncijfers" in pdf and "14.339" in pdf and "↓ lager" in pdf


def test_every_section_head_starts_a_page_together_with_its_chart(built_report):
    from jaarverslag.weergave.paginavulling import losse_koppen

    html = (built_report / "jaarverslag.html").read_text(encoding="utf-8")
    assert losse_koppen(html) == []
    rule = ".sectiekop { break-inside: avoid; }"
    assert html.count(rule) == 1
    assert losse_koppen(html.replace(rule, ""))  # without the rule a heading ends a page: the check can fail


def test_herkomst_has_no_duplicate_rows(built_report):
    import pandas as pd

    trail = pd.read_csv(built_report / bundel.HERKOMST, dtype=str)
    assert len(trail) > 250 and not trail.duplicated().any(), trail[trail.duplicated(keep=False)]
    report = trail[trail["sectie"] != "raadsmededeling"]  # the memo traces its own "per 1.000"
    labels = report[(report["bestand"] == "src/jaarverslag/invoer/bbv.py") & (report["waarde"] == "1.000")]
    assert sorted(labels["regel"].astype(int)) == [31, 39, 47]  # each indicator's name on its own line


def test_the_notebook_run_without_the_builds_checks_says_so(project, tmp_path):
    import papermill

    from jaarverslag.invoer.params import load_params
    from jaarverslag.weergave import document

    executed = tmp_path / "met-de-hand.ipynb"
    parameters = {"gemeente": "deventer", "schooljaar": "2022-2023"}
    papermill.execute_notebook(paths.NOTEBOOKS / "jaarverslag.ipynb", executed, parameters, progress_bar=False)
    page = html_text(document.to_html(executed, document.document_metadata(load_params("deventer", "2022-2023"))))
    assert "De invoergegevens van deze versie zijn niet gecontroleerd" in page
    assert "Niet gecontroleerd: niet voor de raad." in page
    assert "geen onvolkomenheden" not in page and "automatisch gecontroleerd" not in page


def test_a_validation_result_without_the_sha256_of_its_inputs_does_not_count(project):
    from jaarverslag.errors import ParameterFout
    from jaarverslag.inhoud.report import Rapport

    old = {"aantal_suites": 12, "aantal_controles": 200, "geslaagd": True, "waarschuwingen": [], "suites": []}
    rapport = Rapport.laad("deventer", "2022-2023", validatie=old)
    assert not rapport.gecontroleerd
    assert "niet gecontroleerd" in html_text(str(Verslag(rapport).datakwaliteit()))
    with pytest.raises(
        ParameterFout, match="'validatie' is geen tabel van sleutels en waarden \\(gegeven: een tekst\\)"
    ):
        Rapport.laad("deventer", "2022-2023", validatie=json.dumps(old))
