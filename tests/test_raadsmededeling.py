"""The college's memo, raadsmededeling.docx: read back with python-docx, its points the report's
top findings, every number traced, the gemeente's own template, concept and vastgesteld."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, assert_no_python_words, copy_project
from docx import Document

from jaarverslag import bundel, cli, paths
from jaarverslag.errors import ParameterFout
from jaarverslag.inhoud import boodschap, raadsmededeling
from jaarverslag.inhoud.report import Rapport
from jaarverslag.spoor import memospoor
from jaarverslag.weergave import memo, sjablooncontrole, wordsjabloon

HEADINGS = [
    "Onderwerp",
    "Besluit",
    "Inleiding",
    "Kern van de boodschap",
    "Nadere toelichting",
    "Kader",
    "Betrokken partijen",
    "Argumenten voor en tegen",
    "Voor",
    "Tegen",
    "Financiële consequenties",
    "Openbaarmaking en communicatie",
    "Aanpak en uitvoering",
    "Bijlage",
]
NUMBER = re.compile(r"[+−-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?%?|[+−-]?\d+(?:,\d+)?%?")
PARAMS = Path("params") / "deventer" / "2022-2023.yaml"


def _write(rapport: Rapport, target: Path) -> Path:
    return memo.schrijf(
        raadsmededeling.maak(rapport),
        wordsjabloon.sjabloon(rapport.params["gemeente"]),
        target,
        rapport.params["datum"],
    )


@pytest.fixture(scope="module")
def deventer() -> Rapport:
    return Rapport.laad("deventer", "2022-2023")


@pytest.fixture(scope="module")
def docx(deventer, tmp_path_factory) -> Path:
    return _write(deventer, tmp_path_factory.mktemp("memo") / "raadsmededeling.docx")


def _paragraphs(path: Path) -> list:
    return Document(path).paragraphs


def _bullets(path: Path) -> list[str]:
    """The points under 'Het valt op dat ...:' (up to the next heading)."""
    paragraphs = _paragraphs(path)
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Het valt op dat"))
    out = []
    for p in paragraphs[start + 1 :]:
        if p.style.name.startswith("Heading"):
            break
        out.append(p.text)
    return out


def test_the_headings_are_the_source_memos_in_order_in_words_heading_styles(docx):
    headings = [p.text for p in _paragraphs(docx) if p.style.name.startswith("Heading")]
    assert headings == HEADINGS
    levels = {p.text: p.style.name for p in _paragraphs(docx) if p.style.name.startswith("Heading")}
    assert levels["Voor"] == levels["Tegen"] == "Heading 2" and levels["Kader"] == "Heading 1"
    styles = [p.style.name for p in _paragraphs(docx)]
    assert styles.count("List Number") == 3 and styles[0] == "Title"


def test_the_points_are_the_reports_top_findings_figure_for_figure(deventer, docx):
    ranked = deventer.kernpunt_lijst()
    top = boodschap.in_verslagvolgorde(ranked[:7], deventer.verslagdefinitie)  # the rules' choice, told in report order
    bullets = _bullets(docx)
    assert len(bullets) == 7 and [p.style.name for p in _paragraphs(docx) if p.text in bullets] == ["List Bullet"] * 7
    assert [b.rstrip(";.") for b in bullets] == [k.tekst for k in top]
    assert bullets[0].endswith(";") and bullets[-1].endswith(".")
    for bullet, finding in zip(bullets, top, strict=True):
        for _, printed, _ in finding.cijfers:
            assert printed in bullet
    assert "leerplichtambtenaren 285 preventieve verzuimgesprekken" in ranked[0].tekst  # leerplicht's first point
    assert "de overstapcoach 24 jongeren intensief begeleidde" in bullets[-2]  # as in the source memo


def _memo_params(**block) -> Path:
    """Deventer's params with these keys of `raadsmededeling:` set."""
    import yaml

    path = paths.ROOT / PARAMS
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["raadsmededeling"] = {**data.get("raadsmededeling", {}), **block}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_number_of_points_comes_from_params(project, tmp_path):
    _memo_params(aantal_punten=3)
    assert len(_bullets(_write(Rapport.laad("deventer", "2022-2023"), tmp_path / "m.docx"))) == 3


def test_every_number_in_the_memo_has_a_herkomst_row(deventer, docx):
    trail = memospoor.cijfers(deventer)
    assert trail and {c.sectie for c in trail} == {"raadsmededeling"}
    assert all(c.herleiding is not None and c.herleiding.bronnen for c in trail)
    by_text: dict[str, list[str]] = {}
    for c in trail:
        by_text.setdefault(c.onderschrift, []).append(c.waarde)
    points = set(_bullets(docx))
    fixed = {v for text, values in by_text.items() if text not in points for v in values}  # dates, texts
    document = Document(docx)
    checked = 0
    for text in [p.text for p in document.paragraphs] + [p.text for p in document.sections[0].header.paragraphs]:
        rest = re.sub(r"\b\d{4}-\d{4}\b", " ", text)  # a school year names a row, as in the report
        if text in points:
            for printed in sorted(by_text[text], key=len, reverse=True):
                assert printed in rest, (printed, text)
                rest = rest.replace(printed, " ", 1)
                checked += 1
            assert not NUMBER.findall(rest), (text, rest)
            continue
        for number in NUMBER.findall(rest):
            assert number in fixed, (number, text)
            checked += 1
    assert checked == 40  # the date (2), texts (5, 18, 23, 1969, april 2024), the seven points' 31 figures and words
    kader = [c for c in trail if c.onderschrift == "kader"]
    assert [c.waarde for c in kader] == ["1969"] and kader[0].herleiding.bronnen[0].bestand == str(PARAMS)
    leeftijd = next(c for c in trail if c.onderschrift == "inleiding" and c.waarde == "18")  # Deventer keeps it
    assert leeftijd.herleiding.bronnen[0].bestand == "data/raadsmededeling.yaml"
    artikel = next(c for c in trail if c.waarde == "5" and "artikel 5 onder a" in c.onderschrift)
    assert artikel.herleiding.bronnen[0].bestand == "data/verslag.yaml"  # the rule's own words


@pytest.mark.e2e
def test_the_memo_is_in_herkomst_csv_of_a_build(built_report):
    import csv

    rows = list(csv.DictReader((built_report / bundel.HERKOMST).open(encoding="utf-8")))
    memo_rows = [r for r in rows if r["sectie"] == "raadsmededeling"]
    assert len(memo_rows) > 30 and all(r["bestand"] or r["formule"] for r in memo_rows)
    assert all(r["sha256"] for r in memo_rows if r["bestand"])  # what the build validated, or the file's own


def test_the_word_file_is_accessible_dutch_and_described(docx):
    document = Document(docx)
    properties = document.core_properties
    assert properties.title == "Raadsmededeling Jaarverslag leerplicht en Doorstroompunt, schooljaar 2022-2023"
    assert properties.author == "Gemeente Deventer, team Leerplicht en Doorstroompunt"
    assert properties.subject == "Jaarverslag leerplicht en Doorstroompunt Deventer 2022-2023"
    assert properties.language == "nl-NL"
    styles = zipfile.ZipFile(docx).read("word/styles.xml").decode("utf-8")
    assert 'w:lang w:val="nl-NL"' in styles
    assert not [n for n in zipfile.ZipFile(docx).namelist() if n.startswith("word/media/")]  # no text in images
    assert "w:proofState" not in zipfile.ZipFile(docx).read("word/settings.xml").decode()  # Word checks the spelling


def test_two_renderings_give_the_same_bytes_with_times_from_the_reports_date(deventer, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # 2024-06-01, as the build sets it
    first = _write(deventer, tmp_path / "een.docx").read_bytes()
    second = _write(deventer, tmp_path / "twee.docx").read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    infos = zipfile.ZipFile(tmp_path / "een.docx").infolist()
    assert {i.date_time for i in infos} == {(2024, 6, 1, 0, 0, 0)}
    assert infos[0].filename == "[Content_Types].xml"
    core = zipfile.ZipFile(tmp_path / "een.docx").read("docProps/core.xml").decode()
    assert "2024-06-01T00:00:00Z" in core and str(__import__("datetime").date.today().year) + "-" not in core.replace(
        "2024-", ""
    )


def test_the_committed_default_template_is_what_the_project_makes(tmp_path):
    made = wordsjabloon.maak_standaard(tmp_path / "raadsmededeling.docx")
    assert made.read_bytes() == (REPO / "templates" / "raadsmededeling.docx").read_bytes()


def _own_template(text: str) -> Path:
    """data/deventer/raadsmededeling.docx: the default with one more paragraph."""
    document = Document(paths.TEMPLATES / wordsjabloon.STANDAARD)
    document.paragraphs[1].insert_paragraph_before(text)
    target = paths.DATA / "deventer" / wordsjabloon.STANDAARD
    document.save(target)
    return target


def test_a_gemeentes_own_template_is_used(project, tmp_path):
    own = _own_template("Kenmerk: RM/{{ schooljaar }}/leerplicht")
    assert wordsjabloon.sjabloon("deventer") == own
    written = _write(Rapport.laad("deventer", "2022-2023"), tmp_path / "eigen.docx")
    assert "Kenmerk: RM/2022-2023/leerplicht" in [p.text for p in _paragraphs(written)]


@pytest.mark.e2e  # goes through `jaarverslag build`, which stops before the kernel starts
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Kenmerk: {{ kenmerk }}", "onbekende plaatshouder(s) {{ kenmerk }}"),
        ("Kenmerk: {{ kenmerk ) }}", "de plaatshouder '{{ kenmerk ) }}' is geen geldige plaatshouder"),
        ("Kenmerk: {{ onderwerp", "in 'Kenmerk: {{ onderwerp' wordt een plaatshouder of opdracht niet goed geopend"),
        ("{%p for x in kader %}", "passen niet bij elkaar"),
    ],
)
def test_a_template_with_an_unknown_or_broken_placeholder_is_refused_before_the_build(project, capsys, text, message):
    _own_template(text)
    assert cli.main(["build", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert "data/deventer/raadsmededeling.docx" in err and message in err, err
    assert_no_python_words(err)
    assert not (paths.REPORTS / "deventer" / "2022-2023").exists()  # nothing published, nothing run


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Kenmerk: {{ onderwerp }", "wordt een plaatshouder of opdracht niet goed geopend of gesloten"),
        ("Kenmerk: { onderwerp }}", "wordt een plaatshouder of opdracht niet goed geopend of gesloten"),
        ("Besluit: {{ besluit }}", "{{ besluit }} is een lijst"),
        ("{{ onderwerp.__class__.__mro__ }}", "'{{ onderwerp.__class__.__mro__ }}' kan niet worden ingevuld"),
        ("{{ onderwerp.bestaatniet }}", "'{{ onderwerp.bestaatniet }}' kan niet worden ingevuld"),
        ("{{ 1/0 }}", "'{{ 1/0 }}' kan niet worden ingevuld"),
        ("{% include 'x' %}", "kan niet worden ingevuld"),
        ("{{ onderwerp|bestaatniet }}", "het filter 'bestaatniet' bestaat niet"),
    ],
)
def test_a_template_that_would_not_fill_in_is_refused_by_a_trial_in_the_sandbox(project, text, message):
    _own_template(text)
    with pytest.raises(ParameterFout) as caught:
        sjablooncontrole.controleer(wordsjabloon.sjabloon("deventer"))
    assert str(caught.value).startswith("data/deventer/raadsmededeling.docx") and message in str(caught.value)
    assert_no_python_words(str(caught.value))


def test_a_template_without_the_concept_mark_is_refused(project):
    document = Document(paths.TEMPLATES / wordsjabloon.STANDAARD)
    document.sections[0].header.paragraphs[0].runs[0].text = "Gemeente Deventer"
    document.save(paths.DATA / "deventer" / wordsjabloon.STANDAARD)
    with pytest.raises(ParameterFout, match=r"het sjabloon mist \{\{ status_kop \}\}"):
        sjablooncontrole.controleer(wordsjabloon.sjabloon("deventer"))


def test_a_loop_split_over_header_and_body_is_refused(project):
    document = Document(paths.TEMPLATES / wordsjabloon.STANDAARD)
    document.sections[0].header.add_paragraph("{%p for item in kader %}")
    document.paragraphs[1].insert_paragraph_before("{%p endfor %}")
    document.save(paths.DATA / "deventer" / wordsjabloon.STANDAARD)
    with pytest.raises(ParameterFout, match="passen niet bij elkaar"):
        sjablooncontrole.controleer(wordsjabloon.sjabloon("deventer"))


def test_a_damaged_or_huge_word_file_is_refused_as_no_word_file(project):
    target = paths.DATA / "deventer" / wordsjabloon.STANDAARD
    with zipfile.ZipFile(target, "w") as archive:  # a zip with a document but none of Word's other parts
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ParameterFout, match=r"raadsmededeling.docx is geen Word-bestand"):
        sjablooncontrole.controleer(target)
    shutil.copy(paths.TEMPLATES / wordsjabloon.STANDAARD, target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:  # a zip bomb: small, huge unpacked
        archive.writestr("word/media/groot.bin", b"0" * (sjablooncontrole.MAX_XML + 1))
    with pytest.raises(ParameterFout, match="uitgepakt is het sjabloon groter dan 20 MB"):
        sjablooncontrole.controleer(target)


def test_a_template_that_is_not_a_word_file_is_refused(project):
    (paths.DATA / "deventer" / wordsjabloon.STANDAARD).write_text("geen Word", encoding="utf-8")
    with pytest.raises(ParameterFout, match=r"data/deventer/raadsmededeling.docx is geen Word-bestand \(.docx\)"):
        sjablooncontrole.controleer(wordsjabloon.sjabloon("deventer"))


def test_a_linked_template_is_named_by_the_link_the_analyst_made(project):
    target = paths.DATA / "deventer" / "sjablonen" / "memo-2023.docx"
    target.parent.mkdir()
    target.write_text("geen Word", encoding="utf-8")
    (paths.DATA / "deventer" / wordsjabloon.STANDAARD).symlink_to(target)
    with pytest.raises(ParameterFout, match=r"^data/deventer/raadsmededeling.docx is geen Word-bestand"):
        sjablooncontrole.controleer(wordsjabloon.sjabloon("deventer"))


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"kader": ["Leerplichtwet 1969", "BSN 1234 56 782"]}, "'raadsmededeling.kader.2' bevat"),
        ({"partijen": "Samen met {kleur}"}, "'raadsmededeling.partijen' mag alleen {gemeentenaam}"),
        ({"kleur": "rood"}, "onbekende sleutel 'raadsmededeling.kleur'"),
        ({"besluit": "vaststellen"}, "'raadsmededeling.besluit' heeft de verkeerde vorm"),
        ({"besluit": []}, "'raadsmededeling.besluit' is een lege lijst"),
        ({"kern": "Ziet u {schooljaar:d}"}, "'raadsmededeling.kern' mag alleen"),
        ({"kern": "Naam {gemeentenaam!r}"}, "'raadsmededeling.kern' mag alleen"),
        ({"aanpak": "Eerst\fdan"}, "'raadsmededeling.aanpak' bevat een stuurteken"),
    ],
)
def test_the_memos_texts_in_params_are_checked(project, block, message):
    from jaarverslag.invoer.params import load_params

    _memo_params(**block)
    with pytest.raises(ParameterFout) as caught:
        load_params("deventer", "2022-2023")
    assert message in str(caught.value) and str(PARAMS) in str(caught.value)


def test_every_problem_of_the_memos_texts_is_in_one_message(project):
    from jaarverslag.invoer.params import load_params

    _memo_params(
        onderwerp=" ", kern="Pieter de Vries (12-03-2010) kreeg een pv.", partijen="{burgemeester}", aantal_punten=0
    )
    with pytest.raises(ParameterFout) as caught:
        load_params("deventer", "2022-2023")
    message = str(caught.value)
    assert "4 problemen" in message and "'raadsmededeling.onderwerp' is leeg" in message
    assert "'raadsmededeling.kern' bevat" in message and "'raadsmededeling.partijen' mag alleen" in message
    assert "'raadsmededeling.aantal_punten' moet tussen 1 en 15 liggen" in message


def test_a_texts_line_breaks_are_the_writers_not_the_memos(project, tmp_path):
    _memo_params(kern="Eerste regel\nloopt door.\n\nTweede alinea.\n")
    written = _write(Rapport.laad("deventer", "2022-2023"), tmp_path / "m.docx")
    kern = next(p for p in Document(written).paragraphs if p.text.startswith("Eerste"))
    assert kern.text == "Eerste regel loopt door.\nTweede alinea."


def test_params_texts_replace_the_projects_and_are_traced_to_their_line(project, tmp_path):
    path = _memo_params(kader=["Leerplichtwet 1969", "Van Wieg naar Werk 2030"])
    rapport = Rapport.laad("deventer", "2022-2023")
    written = _write(rapport, tmp_path / "m.docx")
    assert "Van Wieg naar Werk 2030" in [p.text for p in _paragraphs(written)]
    row = next(c for c in memospoor.cijfers(rapport) if c.waarde == "2030")
    source = row.herleiding.bronnen[0]
    assert source.bestand == str(PARAMS) and "2030" in path.read_text().splitlines()[source.regel - 1]


def test_a_memo_text_is_traced_to_its_own_block_not_the_reports_text_of_that_name(project):
    path = _memo_params(inleiding="Voor kinderen van 6 tot 17 jaar (artikel 26).")
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [c for c in memospoor.cijfers(Rapport.laad("deventer", "2022-2023")) if c.onderschrift == "inleiding"]
    assert [c.waarde for c in rows] == ["6", "17", "26"]
    for row in rows:
        line = lines[row.herleiding.bronnen[0].regel - 1]
        assert row.waarde in line and "Voor kinderen" in line, line


def test_a_regions_memo_speaks_of_the_region(copied, tmp_path):
    rapport = Rapport.laad("regio-ijsselvallei", "2022-2023")
    written = _write(rapport, tmp_path / "regio.docx")
    texts = [p.text for p in _paragraphs(written)]
    assert any("over de regio IJsselvallei (de gemeenten Aadorp, Beekveld en Kleindorp)" in t for t in texts)
    assert texts[1].startswith("Regio IJsselvallei, ")
    onderwerp = texts[texts.index("Onderwerp") + 1]
    assert onderwerp == "Regioverslag leerplicht en voortijdig schoolverlaten, schooljaar 2022-2023"  # its own title
    top = boodschap.in_verslagvolgorde(rapport.kernpunt_lijst()[:7], rapport.verslagdefinitie)
    assert [b.rstrip(";.") for b in _bullets(written)] == [k.tekst for k in top]


@pytest.fixture
def copied(project):
    from test_regio import add_region

    add_region(project)
    return project


# --- concept and vastgesteld, in the built bundle ---------------------------------------------


@pytest.fixture(scope="module")
def concept_build(tmp_path_factory) -> Path:
    """Deventer 2022-2023 built as a concept (the college has not decided yet)."""
    from jaarverslag.bouw.build import build

    root = copy_project(tmp_path_factory.mktemp("concept") / "project")
    path = root / PARAMS
    path.write_text(path.read_text().replace("status: vastgesteld", "status: concept"), encoding="utf-8")
    paths.set_root(root)
    try:
        return build("deventer", "2022-2023", stil=True)
    finally:
        paths.set_root(REPO)


def _pdf_pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(pdf).pages]


def _marked_as_artifact(pdf: Path) -> list[bool]:
    """Per page: whether an /Artifact (outside the structure tree, skipped by a screen reader)
    draws text from a form (the SVG mark 'CONCEPT', as glyphs), and nothing else marks it."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(pdf).pages:
        content = page.get_contents().get_data().decode("latin-1")
        names = [
            n
            for block in re.findall(r"/Artifact\s*BMC(.*?)EMC", content, re.S)
            for n in re.findall(r"/(x\d+) Do", block)
        ]
        forms = [page["/Resources"]["/XObject"][f"/{n}"].get_object().get_data() for n in names]
        out.append(any(b"BT" in form and b"TJ" in form for form in forms))
    return out


@pytest.mark.e2e
def test_a_concept_is_marked_in_the_word_file_on_every_pdf_page_and_atop_the_html(concept_build):
    header = [p.text for p in Document(concept_build / "raadsmededeling.docx").sections[0].header.paragraphs]
    assert header == ["Concept"]
    assert Document(concept_build / "raadsmededeling.docx").core_properties.title.startswith("Concept: ")
    pdf = concept_build / "jaarverslag.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 15 and all("CONCEPT" in page.split("\n", 3)[0] + page for page in pages)
    assert all(_marked_as_artifact(pdf))
    page = BeautifulSoup((concept_build / "jaarverslag.html").read_text(encoding="utf-8"), "html.parser")
    banner = page.main.find(True)  # inside the main landmark, first
    assert banner["class"] == ["concept-banner"] and banner["role"] == "note"
    assert banner.get_text() == "Concept: het college heeft dit verslag nog niet vastgesteld."
    assert page.title.get_text().startswith("Concept: ")
    controle = BeautifulSoup((concept_build / bundel.CONTROLE).read_text(encoding="utf-8"), "html.parser")
    assert controle.title.get_text().startswith("Controle (concept): ")  # the auditor sees it too
    from test_outputs import _axe_violations

    violations = _axe_violations((concept_build / "jaarverslag.html").as_uri())  # the banner too
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    assert json.loads((concept_build / bundel.MANIFEST).read_text())["status"] == "concept"
    assert "raadsmededeling.docx" in json.loads((concept_build / bundel.MANIFEST).read_text())["uitvoer"]


@pytest.mark.e2e
def test_vastgesteld_removes_all_three_marks(built_report):
    header = [p.text for p in Document(built_report / "raadsmededeling.docx").sections[0].header.paragraphs]
    assert header == [""]
    text = subprocess.run(
        ["pdftotext", str(built_report / "jaarverslag.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "CONCEPT" not in text and "Concept" not in text
    html = (built_report / "jaarverslag.html").read_text(encoding="utf-8")
    assert "concept-banner" not in BeautifulSoup(html, "html.parser").body.decode() and "concept.svg" not in html
    assert json.loads((built_report / bundel.MANIFEST).read_text())["status"] == "vastgesteld"


@pytest.mark.e2e
def test_the_memo_is_covered_by_verify_and_lijst_shows_the_status(concept_build, capsys):
    root = concept_build.parents[2]
    paths.set_root(root)
    try:
        assert cli.main(["lijst"]) == 0
        line = next(li for li in capsys.readouterr().out.splitlines() if "2022-2023" in li)
        assert "concept" in line and "actueel" in line
        docx = concept_build / "raadsmededeling.docx"
        saved = docx.read_bytes()
        docx.write_bytes(saved[:-10] + b"0123456789")
        assert cli.main(["verify", "deventer", "2022-2023"]) == 1
        captured = capsys.readouterr()
        assert "uitvoer reports/deventer/2022-2023/raadsmededeling.docx is gewijzigd" in captured.out + captured.err
        docx.write_bytes(saved)
    finally:
        paths.set_root(REPO)


@pytest.mark.e2e  # LibreOffice takes seconds
def test_libreoffice_reads_the_memo_as_a_griffier_would(docx, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) ontbreekt: make test installeert libreoffice-writer-nogui"
    done = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "raadsmededeling.pdf"
    assert pdf.exists(), done.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    folded = " ".join(text.split())
    positions = [folded.find(h) for h in ["Raadsmededeling", *HEADINGS]]
    assert -1 not in positions and positions == sorted(positions)
    assert "Het valt op dat in het schooljaar 2022-2023:" in folded
    assert "de overstapcoach 24 jongeren intensief begeleidde bij de overstap naar het mbo" in folded
    assert "Leerplichtwet 1969" in folded


# --- a gemeente's template as Word writes it: notes, runs, mail-merge fields ----------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
NOTE_REFERENCE = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Reference w:id="1"/></w:r>'


def _run(text: str, *formatting: str) -> str:
    """One run of a paragraph, as Word writes it: <w:b/> for bold, <w:i/> for italic."""
    properties = f"<w:rPr>{''.join(formatting)}</w:rPr>" if formatting else ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<w:r>{properties}<w:t xml:space="preserve">{escaped}</w:t></w:r>'


def _notes_part(kind: str, runs: str) -> str:
    """word/footnotes.xml or word/endnotes.xml with Word's two separators and note 1 holding these runs."""
    separators = "".join(
        f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:{t}/></w:r></w:p></w:{kind}>'
        for i, t in ((-1, "separator"), (0, "continuationSeparator"))
    )
    note = f'<w:{kind} w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Ref/></w:r>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:{kind}s xmlns:w="{W}">{separators}{note}{runs}</w:p></w:{kind}></w:{kind}s>'
    )


def _word_template(notes: dict[str, str] | None = None, paragraphs: tuple[str, ...] = ()) -> Path:
    """data/deventer/raadsmededeling.docx: the default with these paragraphs (their runs' XML)
    at the end of the body, and a footnote and/or endnote (kind -> its runs' XML), each referred
    to from a paragraph 'Noot' as Word does."""
    notes = notes or {}
    source = zipfile.ZipFile(paths.TEMPLATES / wordsjabloon.STANDAARD)
    parts = {name: source.read(name) for name in source.namelist()}
    body = "".join(f"<w:p>{runs}</w:p>" for runs in paragraphs)
    body += "".join(f"<w:p>{_run('Noot')}{NOTE_REFERENCE.format(kind=kind)}</w:p>" for kind in notes)
    document = parts["word/document.xml"].decode()
    end = document.rindex("<w:sectPr")
    parts["word/document.xml"] = (document[:end] + body + document[end:]).encode()
    for number, (kind, runs) in enumerate(notes.items()):
        parts[f"word/{kind}s.xml"] = _notes_part(kind, runs).encode()
        override = f'<Override PartName="/word/{kind}s.xml" ContentType="{WML}.{kind}s+xml"/>'
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", f"{override}</Types>".encode())
        relation = (
            f'<Relationship Id="rIdNoot{number}" Target="{kind}s.xml" '
            f'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s"/>'
        )
        rels = "word/_rels/document.xml.rels"
        parts[rels] = parts[rels].replace(b"</Relationships>", f"{relation}</Relationships>".encode())
    target = paths.DATA / "deventer" / wordsjabloon.STANDAARD
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def _note_runs(docx: Path, kind: str) -> list[tuple[str, bool, bool]]:
    """Note 1's runs that hold text: (text, bold, italic)."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(docx).read(f"word/{kind}s.xml"))
    note = root.find(f"{{{W}}}{kind}[@{{{W}}}id='1']")
    return [
        (
            "".join(t.text or "" for t in run.iter(f"{{{W}}}t")),
            run.find(f"{{{W}}}rPr/{{{W}}}b") is not None,
            run.find(f"{{{W}}}rPr/{{{W}}}i") is not None,
        )
        for run in note.iter(f"{{{W}}}r")
        if run.find(f"{{{W}}}t") is not None
    ]


BOLD, ITALIC = "<w:b/>", "<w:i/>"
DOUBLE_CLICKED = (  # the user double-clicked the name and pressed Ctrl+B: '{{ ' plain, the name bold, ' }}' plain
    _run("Over: ") + _run("{{ ") + _run("onderwerp", BOLD) + _run(" }}") + _run(" (concept)"),
    _run("Aan de raad van ") + _run("{") + _run("{ gemeente", ITALIC) + _run("naam }", ITALIC) + _run("}."),
)


@pytest.fixture(scope="module")
def word_build(tmp_path_factory) -> Path:
    """Deventer built through `jaarverslag build` with a template as Word writes one: an endnote
    and a footnote with placeholders, and placeholders split over runs by their formatting."""
    root = copy_project(tmp_path_factory.mktemp("woord") / "project")
    paths.set_root(root)
    try:
        _word_template(
            {
                "footnote": _run("Over {{ schooljaar }}, door ") + _run("{{ ") + _run("auteur", ITALIC) + _run(" }}."),
                "endnote": _run(" Zie {{ bijlage_bestand }}, {{ datum }}."),
            },
            DOUBLE_CLICKED,
        )
        assert cli.main(["build", "deventer", "2022-2023"]) == 0
        return root / "reports" / "deventer" / "2022-2023" / memo.BESTAND
    finally:
        paths.set_root(REPO)


@pytest.mark.e2e
def test_placeholders_in_endnotes_and_footnotes_are_filled_in(word_build):
    endnote = "".join(text for text, _, _ in _note_runs(word_build, "endnote"))
    assert endnote == " Zie jaarverslag.pdf, 1 juni 2024."
    footnote = _note_runs(word_build, "footnote")
    assert "".join(text for text, _, _ in footnote) == (
        "Over 2022-2023, door Gemeente Deventer, team Leerplicht en Doorstroompunt."
    )
    assert ("Gemeente Deventer, team Leerplicht en Doorstroompunt", False, True) in footnote  # italic, as written


@pytest.mark.e2e
def test_a_placeholder_split_over_runs_keeps_the_formatting_of_its_name(word_build):
    paragraphs = {p.text: p for p in _paragraphs(word_build)}
    onderwerp = "Jaarverslag leerplicht en Doorstroompunt, schooljaar 2022-2023"
    over = paragraphs[f"Over: {onderwerp} (concept)"]
    assert [(r.text, bool(r.bold)) for r in over.runs if r.text] == [
        ("Over: ", False),
        (onderwerp, True),
        (" (concept)", False),
    ]
    raad = paragraphs["Aan de raad van Deventer."]
    assert [(r.text, bool(r.italic)) for r in raad.runs if r.text] == [
        ("Aan de raad van ", False),
        ("Deventer", True),
        (".", False),
    ]


@pytest.mark.e2e  # goes through `jaarverslag build`, which stops before the kernel starts
@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ({"footnote": _run("Kenmerk: {{ kenmerk }}")}, "onbekende plaatshouder(s) {{ kenmerk }} in een voetnoot"),
        ({"endnote": _run("Kenmerk: {{ ") + _run("kenmerk", BOLD) + _run(" }}")}, "{{ kenmerk }} in een eindnoot"),
        ({"footnote": _run("Zie {{ onderwerp }")}, "een voetnoot: in 'Zie {{ onderwerp }' wordt een plaatshouder"),
        ({"endnote": _run("{{ 1/0 }}")}, "een eindnoot: de plaatshouder of opdracht '{{ 1/0 }}' kan niet worden"),
        ({"endnote": _run("Besluit: {{ besluit }}")}, "een eindnoot: {{ besluit }} is een lijst"),
    ],
)
def test_a_wrong_placeholder_in_a_note_is_refused_naming_it_and_the_note(project, capsys, notes, message):
    _word_template(notes)
    assert cli.main(["build", "deventer", "2022-2023"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "data/deventer/raadsmededeling.docx" in err and message in err, err
    assert_no_python_words(err)
    assert not (paths.REPORTS / "deventer" / "2022-2023").exists()


SIMPLE_FIELD = '<w:fldSimple w:instr=" MERGEFIELD onderwerp "><w:r><w:t>«onderwerp»</w:t></w:r></w:fldSimple>'
COMPLEX_FIELD = (  # Word's own way: begin, the instruction (here split over two runs), separate, the shown text, end
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> MERGE</w:instrText></w:r>'
    '<w:r><w:instrText xml:space="preserve">FIELD "kenmerk" \\* MERGEFORMAT </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>«kenmerk»</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
)


@pytest.mark.e2e  # goes through `jaarverslag build`, which stops before the kernel starts
@pytest.mark.parametrize(
    ("notes", "paragraphs", "message"),
    [
        (
            None,
            (_run("Onderwerp: ") + SIMPLE_FIELD,),
            "de hoofdtekst: het samenvoegveld (MERGEFIELD) «onderwerp» wordt niet ingevuld en bleef zo in de "
            "raadsmededeling staan. Verwijder het veld en typ op die plek {{ onderwerp }}",
        ),
        (
            {"footnote": _run("Kenmerk: ") + COMPLEX_FIELD},
            (),
            "een voetnoot: het samenvoegveld (MERGEFIELD) «kenmerk» wordt niet ingevuld",
        ),
    ],
)
def test_a_mail_merge_field_is_refused_saying_how_to_write_it(project, capsys, notes, paragraphs, message):
    _word_template(notes, paragraphs)
    assert cli.main(["build", "deventer", "2022-2023"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "data/deventer/raadsmededeling.docx" in err and message in err, err
    if "kenmerk" in message:  # not a placeholder of the memo: the message says what is
        assert "een plaatshouder uit de README, zoals {{ onderwerp }}" in err
    assert_no_python_words(err)
    assert not (paths.REPORTS / "deventer" / "2022-2023").exists()


# --- a report without key findings ---------------------------------------------------------------

WITHOUT_RULES = """# Alleen secties zonder regels voor kernpunten (data/verslag.yaml): dit verslag heeft er geen.
hoofdstukken:
  - titel: Leerplicht
    secties: [processen_verbaal]
  - titel: Doorstroompunt
    secties: [jongeren, vsv_onderwijssoort, vsv_mbo_niveau]
"""


def _without_findings() -> None:
    """Deventer with only the sections that have no rules for key findings, as a gemeente can
    choose in data/<gemeente>/verslag.yaml; its params lose what belonged to the other sections."""
    import yaml

    (paths.DATA / "deventer" / "verslag.yaml").write_text(WITHOUT_RULES, encoding="utf-8")
    path = paths.ROOT / PARAMS
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["kerncijfers"]  # Deventer's own list names figures of the sections left out
    data["teksten"] = {"inleiding": data["teksten"]["inleiding"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.rmtree(path.with_suffix(""))  # Deventer's story stands beside a section left out here


def _without_the_if() -> None:
    """data/deventer/raadsmededeling.docx: a copy of the default made before it had
    {%p if punten %} ... {%p endif %} around 'Het valt op dat' and the points."""
    document = Document(paths.TEMPLATES / wordsjabloon.STANDAARD)
    for paragraph in document.paragraphs:
        if paragraph.text in ("{%p if punten %}", "{%p endif %}"):
            paragraph._element.getparent().remove(paragraph._element)
    document.save(paths.DATA / "deventer" / wordsjabloon.STANDAARD)


@pytest.fixture(scope="module")
def without_findings(tmp_path_factory) -> dict[str, Path]:
    """The memo of a report without key findings, built through `jaarverslag build` from the
    default template and from a gemeente's template without the if."""
    folder = tmp_path_factory.mktemp("zonder-kernpunten")
    root = copy_project(folder / "project")
    paths.set_root(root)
    try:
        _without_findings()
        assert not Rapport.laad("deventer", "2022-2023").kernpunt_lijst()
        built = {}
        for name, template in (("standaard", None), ("eigen", _without_the_if)):
            if template:
                template()
            assert cli.main(["build", "deventer", "2022-2023"]) == 0
            built[name] = shutil.copy(root / "reports" / "deventer" / "2022-2023" / memo.BESTAND, folder / name)
        return built
    finally:
        paths.set_root(REPO)


def _toelichting(docx: Path) -> list[str]:
    """The paragraphs under 'Nadere toelichting', up to the next heading."""
    paragraphs = _paragraphs(docx)
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Nadere toelichting")
    end = next(i for i, p in enumerate(paragraphs) if i > start and p.style.name.startswith("Heading"))
    return [p.text for p in paragraphs[start + 1 : end]]


@pytest.mark.e2e
def test_without_findings_the_default_memo_leaves_out_the_line_and_its_list(without_findings):
    toelichting = _toelichting(without_findings["standaard"])
    assert len(toelichting) == 1 and toelichting[0].startswith(
        "In de bijlage staat het verslag"
    )  # no empty paragraph either
    assert not any("Het valt op dat" in p.text for p in _paragraphs(without_findings["standaard"]))


@pytest.mark.e2e
def test_without_findings_a_gemeentes_older_template_prints_no_dangling_line(without_findings):
    toelichting = _toelichting(without_findings["eigen"])
    assert toelichting[1:] == [""]  # its own paragraph stays, empty; no 'Het valt op dat ...:' and no points
    assert not any("Het valt op dat" in p.text for p in _paragraphs(without_findings["eigen"]))


def test_with_findings_the_default_memo_keeps_the_line_with_its_first_point(docx):
    toelichting = _toelichting(docx)
    assert toelichting[1] == "Het valt op dat in het schooljaar 2022-2023:" and len(toelichting) == 2 + 7
    line = next(p for p in _paragraphs(docx) if p.text == toelichting[1])
    assert line.paragraph_format.keep_with_next


def test_a_template_is_checked_once_per_content_and_again_when_it_changes(project, monkeypatch):
    """Checking a template fills it in on trial; a process checks the same bytes once, and the same
    file with a broken placeholder is checked again and refused."""
    monkeypatch.setattr(sjablooncontrole, "_GOEDGEKEURD", {})  # as in a fresh process
    checked = []
    check = sjablooncontrole._controleer
    monkeypatch.setattr(
        sjablooncontrole, "_controleer", lambda path, where: checked.append(where) or check(path, where)
    )
    _own_template("{{ onderwerp }}")
    sjablooncontrole.controleer(wordsjabloon.sjabloon("deventer"))
    sjablooncontrole.controleer(wordsjabloon.sjabloon("deventer"))
    assert checked == ["data/deventer/raadsmededeling.docx"]
    _own_template("{{ onderwerp.bestaatniet }}")
    with pytest.raises(ParameterFout, match="kan niet worden ingevuld"):
        sjablooncontrole.controleer(wordsjabloon.sjabloon("deventer"))
    assert len(checked) == 2
