"""What is published is safe: with small counts protected, no public file of a later edition shows
a hidden figure (the revisions list included), the auditor's files in accountant/ do, and the
build's own leak check stops a view that would print one."""

from __future__ import annotations

import csv
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, copy_project
from openpyxl import load_workbook

from jaarverslag import bundel, paths
from jaarverslag.errors import BouwFout

YEAR = "2022-2023"
HERFST, VOORJAAR = "2023-11-15", "2024-04-20"
PARAMS = Path("params/deventer/2022-2023.yaml")
VRIJSTELLINGEN = Path("data/deventer/vrijstellingen.csv")
OVERIG = Path("data/deventer/overig_verzuim.csv")
# Autumn: artikel 5c and 15 provisional and small (2 and 3), absoluut verzuim na analyse 3 (so its
# rate per 1.000 is computed from a hidden count). Spring: 4 (still hidden), 6 (now published), 4.
HERFST_RIJEN = {VRIJSTELLINGEN: "2022-2023,79,5,2,3,,voorlopig", OVERIG: "2022-2023,9,22,87,3,,voorlopig"}
VOORJAAR_RIJEN = {VRIJSTELLINGEN: "2022-2023,79,5,4,6,,", OVERIG: "2022-2023,9,22,87,4,,"}


def _set(root: Path, rows: dict[Path, str], datum: str) -> None:
    """Each table with a status column and `rows` as its 2022-2023 row; the params dated `datum`."""
    for path, last in rows.items():
        lines = (root / path).read_text(encoding="utf-8").splitlines()
        head = lines[0] if lines[0].endswith(",status") else lines[0] + ",status"
        body = [line if lines[0].endswith(",status") else line + "," for line in lines[1:] if "2022-2023" not in line]
        (root / path).write_text("\n".join([head, *body, last]) + "\n", encoding="utf-8")
    text = (root / PARAMS).read_text(encoding="utf-8")
    text = re.sub(r"datum: \d{4}-\d{2}-\d{2}", f"datum: {datum}", text)
    if "kleine_aantallen" not in text:
        text = text.replace("aantal_jaren: 5\n", "aantal_jaren: 5\nkleine_aantallen: 5\n")
    (root / PARAMS).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def twee_uitgaven(tmp_path_factory):
    """Deventer with kleine_aantallen: 5, built in autumn (small provisional counts) and in spring."""
    from jaarverslag.bouw.build import build

    root = copy_project(tmp_path_factory.mktemp("publiek") / "project")
    paths.set_root(root)
    try:
        _set(root, HERFST_RIJEN, HERFST)
        folder = build("deventer", YEAR, stil=True)
        _set(root, VOORJAAR_RIJEN, VOORJAAR)
        build("deventer", YEAR, stil=True)
    finally:
        paths.set_root(REPO)
    return root, folder


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _hidden(herkomst: Path) -> list[dict]:
    """Every figure an edition hid, with its true value (the auditor's trail has both)."""
    return [r for r in _rows(herkomst) if r["gedrukt"] != r["waarde"] and r["waarde"] not in ("0", "0,0")]


def _token(value: str) -> re.Pattern:
    return re.compile(rf"(?<![\d.,]){re.escape(value)}(?![\d]|,\d)")


def _leaks_in_lines(lines: list[str], hidden: list[dict]) -> list[tuple]:
    """Lines that name a hidden figure's row and column and hold its true value."""
    out = []
    for h in hidden:
        for line in lines:
            low = line.lower()
            if h["rij"].lower() in low and h["kolom"].lower() in low:
                rest = low.replace(h["rij"].lower(), " ").replace(h["kolom"].lower(), " ")
                if _token(h["waarde"]).search(rest):
                    out.append((h["rij"], h["kolom"], h["waarde"], line))
    return out


@pytest.mark.e2e
def test_the_second_edition_publishes_no_hidden_value_and_the_auditor_keeps_them(twee_uitgaven):
    _, folder = twee_uitgaven
    hidden = _hidden(folder / bundel.HERKOMST) + _hidden(folder / "uitgaven" / HERFST / bundel.HERKOMST)
    wanted = {
        ("2022-2023", "Artikel 5 onder c", "2"),
        ("2022-2023", "Artikel 15", "3"),
        ("2022-2023", "Artikel 5 onder c", "4"),
    }
    assert wanted <= {(h["rij"], h["kolom"], h["waarde"]) for h in hidden}  # the auditor's files hold them

    revisions = _rows(folder / "herzieningen.csv")
    revised = {(r["rij"], r["kolom"]): (r["oude_waarde"], r["nieuwe_waarde"]) for r in revisions}
    assert revised[("2022-2023", "Artikel 5 onder c")] == ("< 5", "< 5")  # revised, shown as hidden
    assert revised[("2022-2023", "Artikel 15")] == ("< 5", "6")
    rate = next(
        v
        for (rij, kolom), v in revised.items()
        if rij == "2022-2023" and kolom.startswith("Absoluut verzuim na analyse per 1.000")
    )
    assert rate == ("x", "x")  # a rate built on a hidden count follows it
    assert all(r["formule"] == "" and r["gebruikte_cijfers"] == "" for r in revisions)

    for h in hidden:  # herzieningen.csv: not in any cell of the figure's own row
        for r in revisions:
            if r["rij"] == h["rij"] and r["kolom"] == h["kolom"]:
                assert h["waarde"] not in (r["oude_waarde"], r["nieuwe_waarde"]), (h, r)

    soup = BeautifulSoup((folder / "jaarverslag.html").read_text(encoding="utf-8"), "html.parser")
    html_rows = [" ".join(tr.get_text(" ").split()) for tr in soup.select("table.herzieningen tr")]
    assert any("Artikel 5 onder c" in row for row in html_rows)
    assert _leaks_in_lines(html_rows, hidden) == []

    pdf = subprocess.run(["pdftotext", "-layout", str(folder / "jaarverslag.pdf"), "-"], capture_output=True, text=True)
    assert "Herzien" in pdf.stdout
    assert _leaks_in_lines(pdf.stdout.splitlines(), hidden) == []

    book = load_workbook(folder / "tabellen.xlsx", data_only=True)
    sheet = book["vrijstellingen"]
    header = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "2022-2023")
    assert row[header.index("Artikel 5 onder c")] == "< 5"
    assert bundel.ACCOUNTANT not in str(book.sheetnames) and "herkomst" not in book.sheetnames

    with zipfile.ZipFile(folder / "raadsmededeling.docx") as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = [re.sub(r"<[^>]+>", "", p) for p in xml.split("</w:p>")]
    assert len(paragraphs) > 20 and _leaks_in_lines(paragraphs, hidden) == []


@pytest.mark.e2e
def test_the_bundle_keeps_the_auditors_files_apart_in_every_edition(twee_uitgaven):
    _, folder = twee_uitgaven
    top = sorted(p.name for p in folder.iterdir())
    assert top == sorted([bundel.ACCOUNTANT, "uitgaven", *bundel.PUBLIEK])
    accountant = sorted(p.name for p in (folder / bundel.ACCOUNTANT).iterdir())
    assert accountant == sorted(
        Path(n).name for n in (bundel.NOTEBOOK, bundel.CONTROLE, bundel.HERKOMST, *bundel.VALIDATIE, bundel.MANIFEST)
    )
    autumn = folder / "uitgaven" / HERFST
    assert (autumn / bundel.MANIFEST).exists() and (autumn / bundel.HERKOMST).exists()
    assert not (autumn / "herkomst.csv").exists()
    text = (folder / "jaarverslag.html").read_text(encoding="utf-8")
    assert "accountant/" in text  # the Verantwoording says where the true small counts are


@pytest.mark.e2e
def test_a_third_edition_that_changes_only_a_text_still_lists_the_spring_revisions(twee_uitgaven):
    from jaarverslag.bouw.build import build

    root, folder = twee_uitgaven
    paths.set_root(root)
    try:
        text = (root / PARAMS).read_text(encoding="utf-8").replace(f"datum: {VOORJAAR}", "datum: 2024-05-30")
        (root / PARAMS).write_text(text.replace("grondig geanalyseerd", "zorgvuldig geanalyseerd"), encoding="utf-8")
        build("deventer", YEAR, stil=True)
    finally:
        paths.set_root(REPO)
    revisions = _rows(folder / "herzieningen.csv")
    assert {r["uitgave"] for r in revisions} == {VOORJAAR}  # nothing new; the spring list carried forward
    assert {r["vergeleken_met"] for r in revisions} == {HERFST}
    html = BeautifulSoup((folder / "jaarverslag.html").read_text(encoding="utf-8"), "html.parser")
    heading = html.find(string=re.compile("Eerder herzien"))
    assert heading is not None and "20 april 2024" in heading and "15 november 2023" in heading
    assert "Geen cijfer in de tabellen en de kerncijfers is veranderd" in html.get_text(" ")


@pytest.mark.e2e
def test_the_leak_check_stops_a_view_that_prints_a_hidden_value(twee_uitgaven, monkeypatch, tmp_path):
    """The HTML view made to print the true value of a hidden figure (a row naming its table, row
    and column): the build stops, names the file and the figure, and the published report stays."""
    from jaarverslag.bouw.build import build
    from jaarverslag.weergave import document

    root, folder = twee_uitgaven
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    real = document.to_html
    row = (
        '<table><caption>Herzien</caption><tbody><tr><td>Vrijstellingen</td><th scope="row">2022-2023</th>'
        '<td>Artikel 5 onder c</td><td class="getal">4</td></tr></tbody></table>'
    )

    def leaking(notebook, metadata):
        return real(notebook, metadata).replace("</main>", row + "</main>")

    monkeypatch.setattr(document, "to_html", leaking)
    paths.set_root(root)
    try:
        with pytest.raises(BouwFout) as caught:
            build("deventer", YEAR, stil=True)
    finally:
        paths.set_root(REPO)
    message = str(caught.value)
    assert "jaarverslag.html" in message and "Artikel 5 onder c" in message and "werkelijk 4" in message
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before


def test_the_leak_check_reads_each_kind_of_public_file(tmp_path):
    """Unit: a hidden value in its row and column context is found in CSV, HTML and Word; the same
    value elsewhere is not."""
    from jaarverslag.bouw import lekcontrole
    from jaarverslag.inhoud.herkomst import Cijfer

    figure = Cijfer("vrijstellingen", "Vrijstellingen", "2022-2023", "Artikel 15", "3", None, "< 5")
    hidden = lekcontrole.verborgen([figure.rij_csv()])
    (tmp_path / "herzieningen.csv").write_text(
        "sectie,onderschrift_of_kernpunt,rij,kolom,oude_waarde,nieuwe_waarde\n"
        "vrijstellingen,Vrijstellingen,2022-2023,Artikel 15,3,6\n",
        encoding="utf-8",
    )
    with pytest.raises(BouwFout, match="herzieningen.csv: 'Vrijstellingen', rij 2022-2023, kolom Artikel 15"):
        lekcontrole.controleer(tmp_path, hidden)
    (tmp_path / "herzieningen.csv").write_text(
        "sectie,onderschrift_of_kernpunt,rij,kolom,oude_waarde,nieuwe_waarde\n"
        "vrijstellingen,Vrijstellingen,2022-2023,Artikel 15,< 5,6\n"
        "vrijstellingen,Vrijstellingen,2021-2022,Artikel 15,3,3\n",
        encoding="utf-8",
    )
    lekcontrole.controleer(tmp_path, hidden)  # another year's 3 is not this figure
    table = (
        '<table><caption>Vrijstellingen</caption><thead><tr><th>Schooljaar</th><th class="getal">Artikel 15</th>'
        '</tr></thead><tbody><tr><th scope="row">2022-2023<sup>1</sup></th><td class="getal">3</td></tr></tbody></table>'
    )
    (tmp_path / "jaarverslag.html").write_text(f"<html><body>{table}</body></html>", encoding="utf-8")
    with pytest.raises(BouwFout, match="jaarverslag.html"):
        lekcontrole.controleer(tmp_path, hidden)
