"""The jaarmagazine: a voorwoord and stories with photos and quotes, and the gemeente's house style."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, build_in_copy, html_text
from magazine_fixture import (
    ACCENT,
    COMMENT_MARK,
    FOTO_ALT,
    IPTC_MARK,
    LOGO_ALT,
    PRIMAIR,
    QUOTE,
    SERIAL,
    XMP_MARK,
    phone_photo,
    schrijf,
)
from pypdf import PdfReader

from jaarverslag import paths
from jaarverslag.errors import ParameterFout
from jaarverslag.invoer import huisstijl, redactie
from jaarverslag.invoer.redactie import RedactieFout

METADATA = (b"Exif", b"http://ns.adobe.com/xap", b"adobe:ns:meta", b"Photoshop 3.0", b"8BIM")
SECRETS = (SERIAL, XMP_MARK, IPTC_MARK, COMMENT_MARK)


@pytest.fixture(scope="module")
def magazine(tmp_path_factory):
    """The fixture's magazine built once by the real pipeline in a project copy."""
    return build_in_copy(tmp_path_factory.mktemp("magazine") / "project", schrijf)


def _pdf_text(folder: Path) -> str:
    done = subprocess.run(
        ["pdftotext", str(folder / "jaarverslag.pdf"), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def _in_order(text: str, words: list[str]) -> None:
    position = 0
    for word in words:
        found = text.find(word, position)
        assert found >= 0, f"{word!r} niet gevonden na positie {position}"
        position = found + len(word)


ORDER = [
    "Vooraf",
    "Inhoud",
    "Wettelijk verzuim",
    "Uit de praktijk",
    "Terug naar het schoolplein",
    "Langdurig relatief, luxe en absoluut verzuim",
    "Doorstroompunt",
    "Een coach naast de jongere",
    "Datakwaliteit",
]


@pytest.mark.e2e
def test_the_stories_follow_their_sections_in_html_and_pdf_and_the_contents_lists_them(magazine):
    from bs4 import BeautifulSoup

    markup = (magazine / "jaarverslag.html").read_text(encoding="utf-8")
    page = BeautifulSoup(markup, "html.parser")
    headings = [h.get_text() for h in page.select("h2, h3")]
    story = headings.index("Terug naar het schoolplein")
    assert headings[story - 1] == "Wettelijk verzuim" and headings[story + 1].startswith("Langdurig relatief")
    coach = headings.index("Een coach naast de jongere")  # 'bij' a chapter: after its last section
    assert headings[coach + 1] == "Datakwaliteit"
    _in_order(html_text(markup), ORDER[:2] + ORDER[3:])
    contents = [a.get_text() for a in page.select("nav.inhoud a")]
    assert contents[:3] == ["Kerncijfers", "Vooraf", "Inleiding"]
    at = contents.index("Wettelijk verzuim")
    assert contents[at + 1] == "Uit de praktijk: Terug naar het schoolplein"
    assert "Uit de praktijk: Een coach naast de jongere" in contents
    assert page.select_one("article.verhaal p.rubriek").get_text() == "Uit de praktijk"
    quote = page.select_one("#verhaal-a-plein blockquote.citaat")
    assert quote.get_text() == QUOTE  # a real quotation, not a styled paragraph
    assert page.select_one("#voorwoord .ondertekening").get_text() == "De wethouder OnderwijsGemeente Testdorp"
    pdf = _pdf_text(magazine)
    _in_order(pdf, ORDER)
    assert re.search(r"Uit de praktijk: Terug naar het schoolplein \.+ \d+", pdf)  # page numbers in the contents


def _html_images(folder: Path) -> list[bytes]:
    markup = (folder / "jaarverslag.html").read_text(encoding="utf-8")
    return [base64.b64decode(d) for d in re.findall(r'src="data:image/(?:jpeg|png);base64,([^"]+)"', markup)]


def _pdf_images(folder: Path) -> list[bytes]:
    reader = PdfReader(folder / "jaarverslag.pdf")
    found = []
    for page in reader.pages:
        for obj in page["/Resources"].get("/XObject", {}).values():
            obj = obj.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append(obj._data)  # the stream as embedded (a JPEG stays its own bytes)
    return found


@pytest.mark.e2e
def test_the_published_photo_carries_no_metadata_and_is_scaled_down(magazine):
    from PIL import Image

    html_images, pdf_images = _html_images(magazine), _pdf_images(magazine)
    assert len(html_images) == 1 and pdf_images
    photo = Image.open(io.BytesIO(html_images[0]))
    assert photo.format == "JPEG" and max(photo.size) == 1600  # from 4000 × 3000
    assert not photo.getexif() and not {"exif", "xmp", "photoshop", "comment", "icc_profile"} & set(photo.info)
    for data in [*html_images, *pdf_images]:
        assert not [m for m in METADATA if m in data]
        assert not [s for s in SECRETS if s.encode() in data]
    whole = (magazine / "jaarverslag.pdf").read_bytes() + (magazine / "jaarverslag.html").read_bytes()
    assert not [s for s in SECRETS if s.encode() in whole]
    assert len((magazine / "jaarverslag.pdf").read_bytes()) < 2_000_000
    original = phone_photo()
    assert SERIAL.encode() in original and b"Exif" in original  # the fixture does carry what must go


@pytest.mark.e2e
def test_the_pdf_stays_archival_and_tags_the_quote_and_the_photo(magazine):
    reader = PdfReader(magazine / "jaarverslag.pdf")
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="2" pdfaid:conformance="A"' in raw
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    kinds, alts = [], []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            kinds.append(str(node["/S"]))
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
        if "/K" in node:
            walk(node["/K"])

    walk(root["/StructTreeRoot"])
    assert kinds.count("/BlockQuote") == 3  # the voorwoord's quote and each story's
    assert FOTO_ALT in alts and LOGO_ALT in alts


@pytest.mark.e2e
def test_axe_finds_no_wcag_violations_in_the_magazine(magazine):
    from test_outputs import _axe_violations

    violations = _axe_violations((magazine / "jaarverslag.html").as_uri())
    assert violations == [], [(v["id"], v["help"]) for v in violations]


@pytest.mark.e2e
def test_the_logo_and_the_house_colours_show_in_html_and_pdf(magazine):
    from bs4 import BeautifulSoup

    markup = (magazine / "jaarverslag.html").read_text(encoding="utf-8")
    logo = BeautifulSoup(markup, "html.parser").select_one("header.titelblok img.logo")
    assert logo["alt"] == LOGO_ALT and logo["src"].startswith("data:image/svg+xml;base64,")
    assert f"--accent: {PRIMAIR}; --merk: {ACCENT};" in markup
    svgs = [base64.b64decode(d) for d in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', markup)]
    assert any(ACCENT.encode() in svg for svg in svgs), "a single-series chart in the accent colour"
    assert all(b"#e69f00" in svg for svg in svgs if b"#0072b2" in svg)  # several series keep the safe palette
    reader = PdfReader(magazine / "jaarverslag.pdf")
    title = reader.pages[0].get_contents().get_data().decode("latin-1")
    assert _rg(title, PRIMAIR)  # the title and the logo's square in the primary colour
    headings = [p for p in reader.pages if _rg(p.get_contents().get_data().decode("latin-1"), PRIMAIR)]
    assert len(headings) > 10


def _rg(stream: str, hex_colour: str) -> bool:
    """Whether a PDF content stream sets this fill colour (r g b rg)."""
    wanted = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    for match in re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) rg", stream):
        if all(abs(float(v) - w) < 0.003 for v, w in zip(match.groups(), wanted, strict=True)):
            return True
    return False


# --- refusals: every problem named with its file and key, in one message --------------------


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _refused(project: Path) -> str:
    with pytest.raises(RedactieFout) as caught:
        redactie.controleer("deventer", "2022-2023")
    return str(caught.value)


STORY = "---\ntitel: Een verhaal\nbij: wettelijk_verzuim\n{extra}---\nDe tekst van het verhaal.\n"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("kleur: rood\n", "sleutel 'kleur': onbekend"),
        ("citaat: Dit staat er niet in.\n", "sleutel 'citaat': het citaat staat niet letterlijk in de tekst"),
        ("foto: ../beelden/plein.gif\nfoto_alt: Een plein\n", "plein.gif is geen JPEG- of PNG-bestand"),
        ("foto: ../beelden/kapot.jpg\nfoto_alt: Een plein\n", "kapot.jpg is beschadigd of onvolledig"),
        ("foto: ../beelden/goed.jpg\n", "sleutel 'foto_alt': een foto heeft een beschrijving nodig"),
        ("foto: ../beelden/bestaat-niet.jpg\nfoto_alt: x\n", "bestaat-niet.jpg bestaat niet"),
    ],
)
def test_a_wrong_story_is_refused_naming_the_file_and_key(project, extra, expected):
    folder = redactie.map_van("deventer", "2022-2023")
    images = folder / "beelden"
    images.mkdir(exist_ok=True)
    (images / "plein.gif").write_bytes(b"GIF89a" + bytes(40))
    (images / "kapot.jpg").write_bytes(phone_photo(400, 300)[:3000])
    (images / "goed.jpg").write_bytes(phone_photo(400, 300))
    _write(folder, "verhalen/zz-fout.md", STORY.format(extra=extra))
    message = _refused(project)
    assert "params/deventer/2022-2023/verhalen/zz-fout.md" in message and expected in message, message


def test_a_bij_that_names_no_section_is_refused(project):
    folder = redactie.map_van("deventer", "2022-2023")
    _write(folder, "verhalen/zz-fout.md", STORY.format(extra="").replace("wettelijk_verzuim", "schoolzwemmen"))
    message = _refused(project)
    assert "verhalen/zz-fout.md, sleutel 'bij': 'schoolzwemmen' is geen hoofdstuk of sectie" in message


def test_person_data_in_a_story_is_refused(project):
    folder = redactie.map_van("deventer", "2022-2023")
    _write(
        folder,
        "verhalen/zz-fout.md",
        STORY.format(extra="").replace("De tekst", "Sanne, geboren op 3 maart 2012, de tekst"),
    )
    message = _refused(project)
    assert "verhalen/zz-fout.md: de tekst: lijkt persoonsgegevens te bevatten" in message
    assert "2012" not in message  # the message never repeats what it found


@pytest.mark.e2e
def test_all_problems_of_all_files_come_in_one_message_and_the_build_stops(project, capsys):
    from jaarverslag.cli import main

    folder = redactie.map_van("deventer", "2022-2023")
    _write(folder, "voorwoord.md", "---\ntitel: Vooraf\nondertekend: iemand\n---\nTekst.\n")
    _write(folder, "verhalen/zz-fout.md", STORY.format(extra="citaat: Niet in de tekst.\n"))
    before = sorted(p for p in (project / "reports").rglob("*") if p.is_file())
    assert main(["build", "deventer", "2022-2023"]) != 0
    message = capsys.readouterr().err
    for part in (
        "voorwoord.md, sleutel 'ondertekend': onbekend",
        "voorwoord.md, sleutel 'naam': ontbreekt",
        "voorwoord.md, sleutel 'functie': ontbreekt",
        "zz-fout.md, sleutel 'citaat'",
    ):
        assert part in message, message
    assert sorted(p for p in (project / "reports").rglob("*") if p.is_file()) == before


def test_the_content_files_are_inputs_of_the_report(project):
    from jaarverslag.spoor.manifest import input_paths

    inputs = {paths.relative(p) for p in input_paths("deventer", "2022-2023")}
    assert {
        "params/deventer/2022-2023/voorwoord.md",
        "params/deventer/2022-2023/verhalen/01-keukentafel.md",
        "params/deventer/2022-2023/beelden/schoolpad.png",
        "data/deventer/huisstijl.yaml",
    } <= inputs
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "find params/$(GEMEENTE)/$(SCHOOLJAAR) -type f" in makefile


# --- house style ---------------------------------------------------------------------------


def test_a_house_colour_below_3_to_1_is_refused_with_its_ratio_and_a_colour_that_passes(project):
    (project / "data" / "deventer" / "huisstijl.yaml").write_text('kleur_primair: "#00567a"\nkleur_accent: "#ffcc00"\n')
    with pytest.raises(ParameterFout) as caught:
        huisstijl.lees("deventer")
    message = str(caught.value)
    assert "data/deventer/huisstijl.yaml" in message and "sleutel 'kleur_accent'" in message
    assert "#ffcc00 heeft op wit een contrast van 1,51:1, minder dan de 3:1" in message, message
    nearest = re.search(r"de dichtstbijzijnde kleur die wel voldoet is (#[0-9a-f]{6})", message)[1]
    assert 3.0 <= huisstijl.contrast(nearest, "#ffffff") < 3.1


def test_a_text_colour_must_reach_4_5_to_1(project):
    (project / "data" / "deventer" / "huisstijl.yaml").write_text('kleur_primair: "#0072b2"\nkleur_accent: "#0072b2"\n')
    assert huisstijl.lees("deventer").kleur_primair == "#0072b2"  # 5,19:1 passes
    (project / "data" / "deventer" / "huisstijl.yaml").write_text('kleur_primair: "#3399cc"\n')
    with pytest.raises(ParameterFout, match=r"#3399cc heeft op wit een contrast van 3,\d+:1, minder dan de 4,5:1"):
        huisstijl.lees("deventer")


def test_deventers_house_style_is_the_projects_own_look(project):
    from jaarverslag.weergave.document import css

    assert not huisstijl.lees("deventer").eigen
    assert css("deventer") == css()
    (project / "data" / "deventer" / "huisstijl.yaml").unlink()
    assert huisstijl.lees("deventer") == huisstijl.Huisstijl()


def test_a_photo_is_judged_once_per_content_and_again_when_it_changes(tmp_path, monkeypatch):
    """The live preview checks the photos after every edit: the same bytes are decoded once, and a
    photo replaced by a damaged one under the same name is judged again and refused."""
    from jaarverslag.invoer import foto

    monkeypatch.setattr(foto, "_BEOORDEELD", {})  # as in a fresh process
    decoded = []
    judge = foto._probleem
    monkeypatch.setattr(foto, "_probleem", lambda path: decoded.append(path.name) or judge(path))
    photo = tmp_path / "plein.jpg"
    photo.write_bytes(phone_photo(401, 301))
    assert foto.probleem(photo) is None
    assert foto.probleem(photo) is None
    assert decoded == ["plein.jpg"]
    photo.write_bytes(phone_photo(401, 301)[:3000])
    assert foto.probleem(photo) == "is beschadigd of onvolledig en kan niet gelezen worden"
    assert decoded == ["plein.jpg", "plein.jpg"]
