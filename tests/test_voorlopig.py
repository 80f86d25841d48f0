"""Provisional figures and editions: a report in autumn with DUO's provisional vsv figures marked,
and in spring an edition with the definitive ones that lists every revised figure, while the
autumn edition stays as it was."""

from __future__ import annotations

import csv
import filecmp
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, copy_project
from openpyxl import load_workbook

from jaarverslag import bundel, cli, paths
from jaarverslag.errors import JaarverslagFout
from jaarverslag.nieuwjaar.invulwerkmap import NAME_ROW
from jaarverslag.weergave.verslag import Verslag

YEAR = "2022-2023"
HERFST, VOORJAAR = "2023-11-15", "2024-04-20"
VSV = Path("data/deventer/jongeren_vsv.csv")
VERZUIM = Path("data/deventer/wettelijk_verzuim.csv")
PARAMS = Path("params/deventer/2022-2023.yaml")
# In autumn DUO's provisional figures: 200 vsv'ers (202 the year before: "vrijwel gelijk"); in spring
# the definitive 210 ("gestegen"). Wettelijk verzuim is corrected at the same time (443 -> 450).
VOORLOPIG_RIJ = "2022-2023,7821,200,2.56,2.38,,voorlopig"
DEFINITIEF_RIJ = "2022-2023,7821,210,2.69,2.38,,"
BRON = re.compile(r"\(([^,]+), regel (\d+), kolom ([^)]+)\)")


def _with_status(path: Path, last: str) -> None:
    """The file with a status column (empty = definitief) and `last` as its 2022-2023 row."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",status"] + [line + "," for line in lines[1:-1]] + [last]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _set_datum(datum: str) -> None:
    text = (paths.ROOT / PARAMS).read_text(encoding="utf-8")
    (paths.ROOT / PARAMS).write_text(re.sub(r"datum: \d{4}-\d{2}-\d{2}", f"datum: {datum}", text), encoding="utf-8")


def _autumn(root: Path) -> None:
    _with_status(root / VSV, VOORLOPIG_RIJ)
    _set_datum(HERFST)


def _spring(root: Path) -> dict[tuple[str, int], set[str]]:
    """The definitive figures in place; returns the CSV diff: per (file, line) the changed columns."""
    before = {p: (root / p).read_text(encoding="utf-8").splitlines() for p in (VSV, VERZUIM)}
    text = (root / VSV).read_text(encoding="utf-8")
    (root / VSV).write_text(text.replace(VOORLOPIG_RIJ, DEFINITIEF_RIJ), encoding="utf-8")
    text = (root / VERZUIM).read_text(encoding="utf-8")
    (root / VERZUIM).write_text(text.replace("2022-2023,443,", "2022-2023,450,"), encoding="utf-8")
    _set_datum(VOORJAAR)
    return _diff(before, {p: (root / p).read_text(encoding="utf-8").splitlines() for p in before})


def _diff(before: dict, after: dict) -> dict[tuple[str, int], set[str]]:
    """Per changed line, the columns that changed; a changed status changes every figure of the row."""
    out = {}
    for path, old_lines in before.items():
        header = old_lines[0].split(",")
        for number, (old, new) in enumerate(zip(old_lines, after[path], strict=True), start=1):
            if old != new:
                changed = {h for h, a, b in zip(header, old.split(","), new.split(","), strict=True) if a != b}
                out[(str(path), number)] = set(header) if "status" in changed else changed
    return out


@pytest.fixture(scope="module")
def uitgaven(tmp_path_factory):
    """Deventer 2022-2023 built in autumn (provisional vsv) and again in spring (definitive)."""
    from jaarverslag.bouw.build import build

    root = copy_project(tmp_path_factory.mktemp("uitgaven") / "project")
    paths.set_root(root)
    try:
        _autumn(root)
        folder = build("deventer", YEAR, stil=True)
        autumn = tmp_path_factory.mktemp("herfst")
        shutil.copytree(folder, autumn / "kopie")
        diff = _spring(root)
        build("deventer", YEAR, stil=True)
    finally:
        paths.set_root(REPO)
    return root, folder, autumn / "kopie", diff


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.e2e
def test_a_provisional_vsv_row_is_marked_everywhere_it_is_printed(uitgaven):
    _, _, autumn, _ = uitgaven
    soup = BeautifulSoup((autumn / "jaarverslag.html").read_text(encoding="utf-8"), "html.parser")
    vsv = soup.find("caption", string=re.compile("^Nieuwe voortijdig schoolverlaters, schooljaar")).parent
    last = [td.get_text() for td in vsv.select("tbody tr")[-1].find_all("td")]
    assert last == ["200* (voorlopig)", "2,56%* (voorlopig)", "2,38%* (voorlopig)"]
    assert vsv.select("tbody tr")[-2].find_all("td")[0].get_text() == "202"  # 2021-2022 is definitief
    legend = vsv.find_next_sibling("p", class_="noot-ontbreekt")
    assert legend.get_text().startswith("* = voorlopig cijfer, aangeduid zoals het CBS dat doet")
    chart = soup.find("img", alt=re.compile("^Lijndiagram van nieuwe voortijdig schoolverlaters"))
    assert chart["alt"].endswith("Voorlopige cijfers (open punten): 2022-2023.")
    assert "voorlopig cijfer (open punt)" in _svg_text(chart)
    bars = soup.find("img", alt=re.compile("^Staafdiagram van jongeren in het onderwijs"))
    assert bars["alt"].endswith("Voorlopige cijfers (gearceerde staven): 2022-2023.")
    assert "voorlopig cijfer (gearceerd)" in _svg_text(bars)
    sheet = load_workbook(autumn / "tabellen.xlsx")["vsv"]
    header = [c.value for c in sheet[2]]  # row 1 is the title
    status = {row[0]: row[header.index("Status")] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert status["2022-2023"] == "voorlopig" and status["2021-2022"] == "definitief"
    findings = [li.get_text() for li in soup.select("#vsv .sectiepunten li")]  # one point per topic
    point = next(f for f in findings if "nieuwe voortijdig schoolverlaters" in f)
    assert "vrijwel gelijk is gebleven (van 202 naar 200)" in point
    assert point.endswith(", volgens voorlopige cijfers")
    assert soup.select_one(".titelblok .uitgave").get_text().startswith("Voorlopige uitgave")
    kern = soup.find("caption", string=re.compile("^Kerncijfers")).parent
    row = next(tr for tr in kern.select("tbody tr") if tr.th.get_text() == "Nieuwe voortijdig schoolverlaters")
    assert [td.get_text() for td in row.find_all("td")][:2] == ["200* (voorlopig)", "202"]
    listed = [li.get_text() for li in soup.select("ul.voorlopig li")]
    assert listed == [
        "Jongeren en voortijdig schoolverlaters, 2022-2023: voorlopig. Bron: DUO vsv-cijfers (vsv-dashboard) "
        "(data/deventer/jongeren_vsv.csv, regel 6)."
    ]
    assert not (autumn / "herzieningen.csv").exists() and "Herzieningen" not in soup.get_text()  # the first edition
    from docx import Document

    memo = "\n".join(p.text for p in Document(autumn / "raadsmededeling.docx").paragraphs)
    assert "(voorlopige uitgave: cijfers met * zijn voorlopig)" in memo


def _svg_text(img) -> str:
    import base64

    return base64.b64decode(img["src"].split(",", 1)[1]).decode("utf-8") if "base64," in img["src"] else ""


@pytest.mark.e2e
def test_the_spring_edition_lists_exactly_the_figures_the_data_changed(uitgaven):
    root, folder, _, diff = uitgaven
    trail = [r for r in _rows(folder / bundel.HERKOMST) if r["kolom"] != "tekst"]
    sections = {r["sectie"] for r in _rows(folder / "herzieningen.csv")} - {"kernpunten"}
    expected = {
        (r["sectie"], r["onderschrift_of_kernpunt"], r["rij"], r["kolom"])
        for r in trail
        if r["sectie"] not in ("kernpunten", "inleiding", "titelblad", "datakwaliteit", "raadsmededeling")
        and _uses(r, diff)
    }
    revised = [r for r in _rows(folder / "herzieningen.csv") if r["sectie"] != "kernpunten"]
    flipped = [r for r in revised if r["kolom"] == "Richting"]  # a Kerncijfers direction that turned
    assert [(r["rij"], r["oude_waarde"], r["nieuwe_waarde"]) for r in flipped] == [
        ("Nieuwe voortijdig schoolverlaters", "≈ gelijk", "↑ hoger")
    ]
    figures = {(r["sectie"], r["onderschrift_of_kernpunt"], r["rij"], r["kolom"]) for r in revised if r not in flipped}
    assert figures == expected
    assert sections >= {"kerncijfers", "vsv", "jongeren", "wettelijk_verzuim", "verzuim_per_1000"}
    vsv = next(r for r in revised if r["sectie"] == "vsv" and r["kolom"] == "Aantal vsv'ers")
    assert (vsv["oude_waarde"], vsv["nieuwe_waarde"], vsv["oude_status"], vsv["nieuwe_status"]) == (
        "200", "210", "voorlopig", "definitief")  # fmt: skip
    assert (vsv["bestand"], vsv["regel"], vsv["bronkolom"]) == (str(VSV), "6", "vsv")
    turned = [r for r in _rows(folder / "herzieningen.csv") if r["sectie"] == "kernpunten"]
    assert [(r["oude_waarde"], r["nieuwe_waarde"]) for r in turned] == [("gelijk", "gestegen")]
    assert turned[0]["onderschrift_of_kernpunt"].startswith(
        "het aantal nieuwe voortijdig schoolverlaters opnieuw is gestegen"
    )
    soup = BeautifulSoup((folder / "jaarverslag.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find(id="herzieningen").get_text() == "Herzieningen ten opzichte van de uitgave van 15 november 2023"
    shown = soup.select("table.herzieningen tbody tr")
    assert len(shown) == len(revised) and not soup.select(".titelblok .uitgave")


def _uses(row: dict, diff: dict[tuple[str, int], set[str]]) -> bool:
    """Whether a printed figure comes from a changed cell, directly or through its formula."""
    cells = (
        [(row["bestand"], row["regel"], row["bronkolom"])] if row["bestand"] else BRON.findall(row["gebruikte_cijfers"])
    )
    return any((f, int(n)) in diff and c in diff[(f, int(n))] for f, n, c in cells)


@pytest.mark.e2e
def test_the_autumn_edition_is_kept_byte_for_byte_and_passes_verify(uitgaven, capsys):
    root, folder, autumn, _ = uitgaven
    kept = folder / "uitgaven" / HERFST
    names = sorted(str(p.relative_to(autumn)) for p in autumn.rglob("*") if p.is_file())
    assert sorted(str(p.relative_to(kept)) for p in kept.rglob("*") if p.is_file()) == names
    assert all(filecmp.cmp(autumn / n, kept / n, shallow=False) for n in names)
    import json

    edition = json.loads((folder / bundel.MANIFEST).read_text(encoding="utf-8"))["uitgave"]
    assert edition == {"datum": VOORJAAR, "vervangt": HERFST}
    paths.set_root(root)
    try:
        assert cli.main(["verify", "deventer", YEAR]) == 0
        (kept / "jaarverslag.pdf").write_bytes(b"%PDF-1.7 vervalst")
        assert cli.main(["verify", "deventer", YEAR]) == 1
        assert (
            f"uitgave {HERFST}: uitvoer reports/deventer/2022-2023/uitgaven/{HERFST}/jaarverslag.pdf is gewijzigd"
            in (capsys.readouterr().err)
        )
        shutil.copy2(autumn / "jaarverslag.pdf", kept / "jaarverslag.pdf")
        (kept / bundel.MANIFEST).unlink()
        assert cli.main(["verify", "deventer", YEAR]) == 1
        assert f"uitgaven/{HERFST}/accountant/manifest.json ontbreekt of is beschadigd" in capsys.readouterr().err
        shutil.rmtree(kept)
        assert cli.main(["verify", "deventer", YEAR]) == 1
        err = capsys.readouterr().err
        assert f"de uitgave van {HERFST}, die de uitgave van {VOORJAAR} vervangt, ontbreekt" in err
    finally:
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(autumn, kept)
        paths.set_root(REPO)


@pytest.mark.e2e
def test_a_failed_publish_of_a_new_edition_leaves_both_as_they_were(uitgaven, monkeypatch, tmp_path):
    from jaarverslag.bouw import build, publish

    root, folder, _, _ = uitgaven
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    paths.set_root(root)
    try:
        _set_datum("2024-05-01")

        def broken(staging, target):
            raise OSError(5, "Input/output error", str(target))

        monkeypatch.setattr(publish, "swap", broken)
        with pytest.raises(JaarverslagFout):
            build.build("deventer", YEAR, stil=True)
    finally:
        _set_datum(VOORJAAR)
        paths.set_root(REPO)
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before  # the spring edition and, inside it, the autumn one
    assert not publish.staging_dir(folder).exists()


@pytest.mark.e2e
def test_an_edition_dated_before_the_current_one_or_twice_is_refused_before_anything_runs(uitgaven):
    from jaarverslag.bouw.build import build

    root, folder, _, _ = uitgaven
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    paths.set_root(root)
    try:
        for datum, expected in [
            ("2024-01-10", f"de datum 2024-01-10 ligt vóór die van de huidige uitgave ({VOORJAAR})"),
        ]:
            _set_datum(datum)
            with pytest.raises(JaarverslagFout, match=re.escape(f"{PARAMS}: {expected}")):
                build("deventer", YEAR, stil=True)
    finally:
        _set_datum(VOORJAAR)
        paths.set_root(REPO)
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_a_second_edition_may_not_take_the_date_of_a_kept_one(tmp_path):
    from jaarverslag.invoer import uitgaven as editions

    target = tmp_path / "2022-2023"
    (target / "uitgaven" / HERFST / bundel.ACCOUNTANT).mkdir(parents=True)
    (target / bundel.ACCOUNTANT).mkdir()
    (target / bundel.MANIFEST).write_text('{"uitgave": {"datum": "2023-10-01", "vervangt": null}}')
    (target / "uitgaven" / HERFST / bundel.MANIFEST).write_text(f'{{"uitgave": {{"datum": "{HERFST}"}}}}')
    assert "er is al een uitgave van 2023-11-15" in editions.controleer_datum(target, HERFST)
    assert editions.controleer_datum(target, "2023-10-01") is None  # the current edition, made again
    assert editions.controleer_datum(target, VOORJAAR) is None


# --- the fill-in workbook: a provisional figure is replaced without --overschrijven ---------------


def test_inlezen_replaces_a_provisional_figure_but_not_a_definitive_one_without_the_flag(project, capsys):
    _with_status(project / VSV, VOORLOPIG_RIJ)
    assert cli.main(["werkmap", "deventer", YEAR]) == 0
    workbook = project / "invullen" / f"invullen-deventer-{YEAR}.xlsx"
    book = load_workbook(workbook)
    assert "jongeren_vsv" in book.sheetnames  # complete, but provisional
    assert "leerplichtigen" not in book.sheetnames  # complete and definitief
    sheet = book["jongeren_vsv"]
    names = [c.value for c in sheet[NAME_ROW]]
    row = NAME_ROW + 1
    assert sheet.cell(row, names.index("vsv") + 1).value == 200
    assert sheet.cell(row, names.index("status") + 1).value == "voorlopig"
    sheet.cell(row, names.index("vsv") + 1, 210)
    sheet.cell(row, names.index("percentage_vsv") + 1, 2.69)
    sheet.cell(row, names.index("status") + 1).value = None  # empty: definitief
    book.save(workbook)
    assert cli.main(["inlezen", str(workbook)]) == 0
    out = capsys.readouterr().out
    assert "jongeren_vsv 2022-2023, vsv: 200 → 210 (herziening)" in out
    assert "jongeren_vsv 2022-2023, status: voorlopig → definitief (herziening)" in out, out
    assert (project / VSV).read_text(encoding="utf-8").splitlines()[-1] == "2022-2023,7821,210,2.69,2.38,,"

    sheet.cell(row, names.index("vsv") + 1, 215)  # now the figure is definitief
    book.save(workbook)
    assert cli.main(["inlezen", str(workbook)]) == 1
    err = capsys.readouterr().err
    assert (
        "staat hier al 210 (de werkmap zegt 215); een definitief cijfer wordt niet overschreven zonder --overschrijven"
        in err
    )
    assert cli.main(["inlezen", str(workbook), "--overschrijven"]) == 0
    assert cli.main(["werkmap", "deventer", YEAR]) == 1  # a workbook that may hold typed figures stays
    assert "bestaat al en kan ingevulde cijfers bevatten" in capsys.readouterr().err


def test_a_provisional_row_in_a_file_without_a_status_column_adds_the_column(project, capsys):
    path = project / VSV
    before = path.read_text(encoding="utf-8").splitlines()[:-1]  # DUO has not published 2022-2023 yet
    path.write_text("\n".join(before) + "\n", encoding="utf-8")
    assert cli.main(["werkmap", "deventer", YEAR]) == 0
    workbook = project / "invullen" / f"invullen-deventer-{YEAR}.xlsx"
    book = load_workbook(workbook)
    sheet = book["jongeren_vsv"]
    names = [c.value for c in sheet[NAME_ROW]]
    figures = {
        "jongeren": 7821,
        "vsv": 180,
        "percentage_vsv": 2.3,
        "percentage_vsv_landelijk": 2.38,
        "status": "voorlopig",
    }
    for name, value in figures.items():
        sheet.cell(NAME_ROW + 1, names.index(name) + 1, value)
    book.save(workbook)
    assert cli.main(["inlezen", str(workbook)]) == 0, capsys.readouterr().err
    after = path.read_text(encoding="utf-8").splitlines()
    assert after[0] == before[0] + ",status"
    assert after[1:-1] == [line + "," for line in before[1:]]  # every old line keeps its bytes, one cell longer
    assert after[-1] == "2022-2023,7821,180,2.3,2.38,,voorlopig"


def test_a_status_that_is_not_allowed_is_refused_with_file_column_and_row(project, capsys):
    _with_status(project / VSV, "2022-2023,7821,184,2.35,2.38,,bijna")
    assert cli.main(["validate", "deventer", YEAR]) == 1
    err = capsys.readouterr().err
    assert "data/deventer/jongeren_vsv.csv, kolom 'status', rij 6: 'bijna' is geen status; kies uit voorlopig" in err


# --- a region -------------------------------------------------------------------------------------


def test_a_region_figure_is_provisional_when_one_gemeente_is(project):
    from test_regio import add_region

    from jaarverslag.inhoud.report import Rapport

    add_region(project)
    path = paths.DATA / "aadorp" / "jongeren_vsv.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    last = next(i for i, line in enumerate(lines) if line.startswith(YEAR))
    _with_status(path, lines[last] + ",voorlopig")
    rapport = Rapport.laad("regio-ijsselvallei", YEAR)
    rows = {r.label: r for r in rapport.tabellen("vsv")[0].rijen}
    assert {f.status for f in rows[YEAR].figuren} == {"voorlopig"}
    assert {f.status for f in rows["2021-2022"].figuren} == {"definitief"}
    blad = Verslag(rapport).cijferblad("vsv")  # the auditor's data step in the notebook says it too
    printed = blad[blad["rij"] == YEAR].iloc[0]
    assert printed["status"] == "voorlopig" and printed["gedrukt"].endswith("*")
    assert "* = voorlopig cijfer" in str(Verslag(rapport).sectie("vsv"))
    assert any(
        k.tekst.endswith(", volgens voorlopige cijfers") for k in rapport.kernpunt_lijst() if k.tabel == "jongeren_vsv"
    )
    side_by_side = BeautifulSoup(str(Verslag(rapport).sectie("vsv")), "html.parser").find(
        "img", alt=re.compile("per gemeente")
    )
    assert side_by_side["alt"].endswith(
        "Voorlopige cijfers (gearceerde staven): Aadorp, Regio IJsselvallei, Nederland."
    )
    from jaarverslag.inhoud import voorlopig

    [row] = voorlopig.rijen(rapport)
    assert (row.categorie, row.bestand) == ("Aadorp", f"data/aadorp/jongeren_vsv.csv, regel {last + 1}")
    assert voorlopig.voorlopige_uitgave(rapport).startswith("Voorlopige uitgave: cijfers met * zijn voorlopig")
    text = path.read_text(encoding="utf-8").replace(",voorlopig\n", ",nader_voorlopig\n")
    path.write_text(text, encoding="utf-8")
    rapport = Rapport.laad("regio-ijsselvallei", YEAR)
    assert voorlopig.voorlopige_uitgave(rapport) == (
        "Voorlopige uitgave: cijfers met ** zijn nader voorlopig (zie Verantwoording)"
    )


def test_the_status_is_no_part_of_a_findings_key(project):
    from jaarverslag.controle import validation
    from jaarverslag.invoer.loading import load_tables

    summary = validation.validate(load_tables("deventer"), YEAR, 5)
    keyed = [f for f in summary["waarschuwingen"] if f["sleutel"]]
    assert keyed and all("status" not in f["sleutel"] for f in keyed)
    assert {f["sleutel"].get("onderwijssoort") for f in keyed} == {"vo"}


def test_a_finding_whose_streak_rests_on_a_provisional_older_year_says_so(project):
    """'voor het vierde jaar op rij ... tot het hoogste niveau' rests on every year of the streak."""
    from jaarverslag.inhoud.report import Rapport

    path = project / "data" / "deventer" / "overig_verzuim.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("2019-2020"))
    lines = [lines[0] + ",status"] + [line + ("," + "voorlopig" * (i == at)) for i, line in enumerate(lines) if i]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    points = Rapport.laad("deventer", YEAR).kernpunt_lijst()  # a point per topic joins its findings
    findings = {part.kolom: part.tekst for point in points for part in point.delen or (point,)}
    assert findings["absoluut_verzuim"].startswith(
        "het aantal meldingen van absoluut verzuim voor het vierde jaar op rij"
    )
    point = next(p for p in points if any(part.kolom == "absoluut_verzuim" for part in p.delen or (p,)))
    assert point.tekst.endswith(", volgens voorlopige cijfers")  # the point says it once, at its end
    other = next(p for p in points if any(part.kolom == "leerplichtigen" for part in p.delen or (p,)))
    assert not other.tekst.endswith("cijfers")  # another table: nothing provisional
