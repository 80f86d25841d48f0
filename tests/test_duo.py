"""`jaarverslag duo`: the vsv tables counted from DUO's person-level files, from the provisional
files in autumn to the definitive ones in spring, with nothing personal kept anywhere."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import REPO, assert_no_python_words, copy_project
from duo_bestanden import herzien, levering, personen

from jaarverslag import bundel, cli, paths
from jaarverslag.bouw.build import build

YEAR = "2022-2023"
HERFST, VOORJAAR = "2023-11-15", "2024-04-20"
PARAMS = Path("params/deventer/2022-2023.yaml")
TABELLEN = {"jongeren_vsv": None, "vsv_onderwijssoort": "onderwijssoort", "vsv_mbo_niveau": "mbo_niveau"}
AANTALLEN = {"150": 7800, "193": 400, "1742": 300}  # Deventer, and two gemeenten of the same region


def _run(*args: str) -> tuple[int, str]:
    """The command as the analyst runs it: exit code and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue() + err.getvalue()


def _set_datum(root: Path, datum: str) -> None:
    text = (root / PARAMS).read_text(encoding="utf-8")
    (root / PARAMS).write_text(re.sub(r"datum: \d{4}-\d{2}-\d{2}", f"datum: {datum}", text), encoding="utf-8")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _year_rows(root: Path) -> dict[tuple[str, str], dict]:
    """The 2022-2023 rows of the three vsv tables: {(tabel, categorie): row}."""
    out = {}
    for tabel, column in TABELLEN.items():
        for row in _rows(root / "data" / "deventer" / f"{tabel}.csv"):
            if row["schooljaar"] == YEAR:
                out[(tabel, row[column] if column else "")] = row
    return out


def _expected(tally: dict) -> dict[tuple[str, str], tuple[int, int, float]]:
    return {key: (start, vsv, round(vsv / start * 100, 2)) for key, (start, vsv) in tally.items()}


@pytest.fixture(scope="module")
def seizoen(tmp_path_factory):
    """Autumn: DUO's provisional files imported and the report built; spring: the definitive files
    (3 more leavers in mbo 2, 2 fewer in vo) imported and the next edition built."""
    base = tmp_path_factory.mktemp("duo")
    root = copy_project(base / "project")
    paths.set_root(root)
    try:
        mensen = personen(AANTALLEN, seed=34)
        herfst = levering(base / "duo-bestanden", 2023, "V", mensen)
        voorjaar = levering(base / "duo-bestanden", 2023, "D", herzien(mensen, nieuwe_vsv=3, niet_meer=2))
        _set_datum(root, HERFST)
        outputs = [_run("duo", "deventer", *map(str, herfst.bestanden), "--overschrijven")]
        after_autumn = _year_rows(root)
        build("deventer", YEAR, stil=True)
        autumn_trail = _rows(root / "reports" / "deventer" / YEAR / bundel.HERKOMST)
        _set_datum(root, VOORJAAR)
        outputs.append(_run("duo", "deventer", *map(str, voorjaar.bestanden)))
        after_spring = _year_rows(root)
        folder = build("deventer", YEAR, stil=True)
        outputs.append(_run("verify", "deventer", YEAR, "--duo", *map(str, voorjaar.bestanden)))
    finally:
        paths.set_root(REPO)
    return {
        "root": root,
        "folder": folder,
        "herfst": herfst,
        "voorjaar": voorjaar,
        "outputs": outputs,
        "na_herfst": after_autumn,
        "na_voorjaar": after_spring,
        "spoor_herfst": autumn_trail,
    }


@pytest.mark.e2e
def test_the_provisional_files_give_every_count_and_percentage_of_the_generators_tally(seizoen):
    code, output = seizoen["outputs"][0]
    assert code == 0, output
    rows, expected = seizoen["na_herfst"], _expected(seizoen["herfst"].telling("150"))
    assert set(rows) == set(expected)
    for key, (start, vsv, percentage) in expected.items():
        row = rows[key]
        assert (int(row["vsv"]), float(row["percentage_vsv"]), row["status"]) == (vsv, percentage, "voorlopig"), key
        if key[0] == "jongeren_vsv":
            assert int(row["jongeren"]) == start
    assert rows[("jongeren_vsv", "")]["percentage_vsv_landelijk"] == "2.38"  # not in DUO's files: as typed
    assert sum(int(rows[("vsv_onderwijssoort", s)]["vsv"]) for s in ("vo", "mbo", "vavo")) == int(
        rows[("jongeren_vsv", "")]["vsv"]
    )
    assert sum(int(rows[("vsv_mbo_niveau", n)]["vsv"]) for n in "1234") == int(
        rows[("vsv_onderwijssoort", "mbo")]["vsv"]
    )


@pytest.mark.e2e
def test_the_definitive_files_replace_the_provisional_rows_and_the_next_edition_lists_exactly_those_revisions(seizoen):
    code, output = seizoen["outputs"][1]
    assert code == 0 and "(herziening)" in output, output
    before, after = seizoen["na_herfst"], seizoen["na_voorjaar"]
    assert {r["status"] for r in after.values()} == {""}  # definitief
    changed = {
        (tabel, categorie, column)
        for (tabel, categorie), row in after.items()
        for column in ("jongeren", "vsv", "percentage_vsv")
        if column in row and row[column] != before[(tabel, categorie)][column]
    }
    assert changed == {
        ("jongeren_vsv", "", "vsv"),
        ("jongeren_vsv", "", "percentage_vsv"),
        ("vsv_onderwijssoort", "vo", "vsv"),
        ("vsv_onderwijssoort", "vo", "percentage_vsv"),
        ("vsv_onderwijssoort", "mbo", "vsv"),
        ("vsv_onderwijssoort", "mbo", "percentage_vsv"),
        ("vsv_mbo_niveau", "2", "vsv"),
        ("vsv_mbo_niveau", "2", "percentage_vsv"),
    }
    revised = [r for r in _rows(seizoen["folder"] / "herzieningen.csv") if r["sectie"] != "kernpunten"]
    assert revised and all((r["oude_status"], r["nieuwe_status"]) == ("voorlopig", "definitief") for r in revised)
    new_values = {r["bestand"] + ":" + r["regel"] + ":" + r["bronkolom"] for r in revised if r["bestand"]}
    value_changed = {
        f"{r['bestand']}:{r['regel']}:{r['bronkolom']}"
        for r in revised
        if r["bestand"] and r["oude_waarde"] != r["nieuwe_waarde"]
    }
    expected_cells = {_cell(seizoen["root"], tabel, categorie, column) for tabel, categorie, column in changed}
    assert value_changed == {c for c in expected_cells if c in new_values}
    assert {c.split(":")[0] for c in new_values} <= {f"data/deventer/{t}.csv" for t in TABELLEN}


def _cell(root: Path, tabel: str, categorie: str, column: str) -> str:
    """'data/deventer/<tabel>.csv:<line>:<column>' of the 2022-2023 row of that category."""
    column_of = TABELLEN[tabel]
    for line, row in enumerate(_rows(root / "data" / "deventer" / f"{tabel}.csv"), start=2):
        if row["schooljaar"] == YEAR and (not column_of or row[column_of] == categorie):
            return f"data/deventer/{tabel}.csv:{line}:{column}"
    raise AssertionError((tabel, categorie))


@pytest.mark.e2e
def test_each_imported_figure_names_the_duo_file_its_sha256_the_filter_and_the_count(seizoen):
    import hashlib

    trail = _rows(seizoen["folder"] / bundel.HERKOMST)
    nenr = seizoen["voorjaar"].nenr
    digest = hashlib.sha256(nenr.read_bytes()).hexdigest()
    total = next(r for r in trail if r["sectie"] == "vsv" and r["kolom"] == "Aantal vsv'ers" and r["rij"] == YEAR)
    vsv = seizoen["voorjaar"].telling("150")[("jongeren_vsv", "")][1]
    assert total["formule"] == f"aantal rijen van {nenr.name} (sha256 {digest}) met GEMCODE = 150: {vsv}"
    mbo2 = [r for r in trail if "NIVEAU ∈ {Mbo2 opleidingen}" in r["formule"]]
    assert mbo2 and all("ONDERWIJSSOORT ∉ {VAVO}" in r["formule"] for r in mbo2)
    percentage = next(r for r in trail if r["sectie"] == "vsv" and r["kolom"] == "Percentage" and r["rij"] == YEAR)
    assert percentage["formule"].startswith(
        f"vsv / jongeren × 100 = {vsv} / 7800 × 100; vsv: aantal rijen van {nenr.name}"
    )
    earlier = [r for r in trail if r["bestand"] and "2021-2022" in r["rij"]]
    assert earlier and not any(r["formule"] for r in earlier)  # typed figures keep their plain trail
    manifest = (seizoen["folder"] / bundel.MANIFEST).read_text(encoding="utf-8")
    assert "data/deventer/duo-herkomst.csv" in manifest
    autumn = next(r for r in seizoen["spoor_herfst"] if r["formule"].startswith("aantal rijen van NenR2023VI"))
    assert "NenR2023VI27GZ.csv" in autumn["formule"]


@pytest.mark.e2e
def test_verify_recounts_the_figures_from_the_duo_files_given_to_it(seizoen, tmp_path):
    code, output = seizoen["outputs"][2]
    assert code == 0, output
    assert "tellingen uit de DUO-bestanden kloppen" in output


def _personal_values(*leveringen) -> set[str]:
    return set().union(*(lev.persoonlijk() for lev in leveringen))


TOKEN = re.compile(r"\d{1,2}-\d{1,2}-\d{4}|[^\W_]+")  # a date as DUO writes it, or a run of letters and digits


def _texts(root: Path):
    """(path under root, text) of every text file, a PDF's text, the members of an xlsx or docx, and
    JSON (the notebook, the manifest) with its escapes undone. Compressed bytes are read through
    these, not as they are: their random runs of digits are no text."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        where, data = str(path.relative_to(root)), path.read_bytes()
        if path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
            yield f"{where} (tekst)", text.decode("utf-8", errors="replace")
        elif path.suffix == ".svg":  # a kept chart: its words and numbers, not its drawing's coordinates
            yield f"{where} (tekst)", " ".join(ElementTree.fromstring(data).itertext())
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield f"{where}!{name}", archive.read(name).decode("utf-8", errors="replace")
        else:
            yield where, data.decode("utf-8", errors="replace")
            if path.suffix in (".ipynb", ".json"):
                yield f"{where} (json)", json.dumps(json.loads(data), ensure_ascii=False)


def _leaks(values: set[str], texts, before: dict[str, set[str]] | None = None) -> list[str]:
    """Each personal value that stands as a whole word in one of the texts (a BSN inside a sha256 is
    no leak) and was not in that file before any DUO file was read (an HTML entity &#9674; is no postcode; an earlier edition is compared with the same file)."""
    before = before or {}
    return [
        f"{where}: {value}"
        for where, text in texts
        for value in sorted(
            values & set(TOKEN.findall(text)) - before.get(re.sub(r"uitgaven/[^/]+/", "", where), set())
        )
    ]


@pytest.mark.e2e
def test_no_personal_value_of_the_files_is_anywhere_in_the_project_the_reports_or_the_output(seizoen, built_report):
    values = _personal_values(seizoen["herfst"], seizoen["voorjaar"])
    before = {where: set(TOKEN.findall(text)) for where, text in _texts(built_report.parents[2])}
    checkable = values - set().union(*before.values())
    assert len(values) > 30000 and len(checkable) > 0.99 * len(values)  # BSN, onderwijsnummer, names, dates, postcodes
    outputs = [("uitvoer", text) for _, text in seizoen["outputs"]]
    assert _leaks(values, [*_texts(seizoen["root"]), *outputs], before) == []
    assert _leaks(values, [("uitvoer", f"x {next(iter(checkable))} y")]) != []  # the scan can fail


# --- refusals ----------------------------------------------------------------------------


@pytest.fixture
def bestanden(project, tmp_path):
    return levering(tmp_path / "duo", 2023, "V", personen({"150": 300, "193": 50}, seed=7, vsv_kans=0.1))


def _unchanged(root: Path, before: dict[str, bytes]) -> bool:
    return {p: (root / p).read_bytes() for p in before} == before and not (
        root / "data/deventer/duo-herkomst.csv"
    ).exists()


def _data(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in (root / "data" / "deventer").iterdir()}


def _replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    path.write_bytes(path.read_bytes().replace(old.encode(), new.encode(), count))


def test_an_unknown_niveau_is_refused_with_its_count_and_no_personal_value_of_its_row(project, bestanden):
    before = _data(project)
    victim = next(p for p in bestanden.mensen if not p.vsv and p.niveau == "VMBO bovenbouw")
    lines = bestanden.nrsp.read_bytes().decode("utf-8").split("\r\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(victim.bsn))
    lines[at] = lines[at].replace(";VMBO bovenbouw;", ";Praktijkonderwijs;")
    bestanden.nrsp.write_bytes("\r\n".join(lines).encode("utf-8"))
    code, output = _run("duo", "deventer", *map(str, bestanden.bestanden))
    assert code == 1
    assert (
        f"NRSP2023VI27GZ.csv, kolom 'NIVEAU': regel {at + 1}: " in output and "'Praktijkonderwijs': 1 rij(en)" in output
    )
    assert "data/duo.yaml" in output
    assert _leaks(bestanden.persoonlijk(), [("uitvoer", output)]) == []
    assert _unchanged(project, before)
    assert_no_python_words(output)


def test_a_name_in_the_niveau_column_is_counted_but_never_shown(project, bestanden):
    """A shifted row can put a surname where NIVEAU stands: the refusal counts it, and shows it not."""
    victim = next(p for p in bestanden.mensen if not p.vsv and p.niveau == "VMBO bovenbouw")
    lines = bestanden.nrsp.read_bytes().decode("utf-8").split("\r\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(victim.bsn))
    lines[at] = lines[at].replace(";VMBO bovenbouw;", f";{victim.achternaam};")
    bestanden.nrsp.write_bytes("\r\n".join(lines).encode("utf-8"))
    code, output = _run("duo", "deventer", *map(str, bestanden.bestanden))
    assert code == 1 and f"regel {at + 1}" in output
    assert "1 rij(en) met een waarde die niet op een onderwijsniveau lijkt (niet getoond)" in output
    assert victim.achternaam not in output and _leaks(bestanden.persoonlijk(), [("uitvoer", output)]) == []


def test_a_row_with_a_field_too_many_is_refused_by_its_line_without_its_content(project, bestanden):
    victim = next(p for p in bestanden.mensen if not p.vsv)
    _replace_in(bestanden.nrsp, f";{victim.voornamen};", f";{victim.voornamen};Extra;")
    code, output = _run("duo", "deventer", *map(str, bestanden.bestanden))
    assert code == 1 and re.search(
        r"NRSP2023VI27GZ\.csv: regel \d+: 19 velden, de kopregel heeft er 18\. Staat er", output
    ), output
    assert _leaks(bestanden.persoonlijk() | {"Extra"}, [("uitvoer", output)]) == []


def test_a_missing_gemcode_column_is_refused(project, bestanden):
    _replace_in(bestanden.nenr, ";GEMCODE;", ";GEMEENTECODE;")
    code, output = _run("duo", "deventer", *map(str, bestanden.bestanden))
    assert code == 1 and "NenR2023VI27GZ.csv, kolom 'GEMCODE': regel 1: deze kolom ontbreekt in de kopregel." in output


def test_a_gemeentecode_that_occurs_nowhere_in_the_file_is_refused(project, bestanden):
    own = project / "data" / "deventer" / "verslag.yaml"
    own.write_text('gemeentecode: "GM0363"\n', encoding="utf-8")
    before = _data(project)
    code, output = _run("duo", "deventer", *map(str, bestanden.bestanden))
    assert code == 1 and "gemeentecode 363 van deventer (data/deventer/verslag.yaml) komt nergens voor" in output
    assert _unchanged(project, before)


def test_a_duo_file_inside_the_work_tree_that_git_does_not_ignore_is_refused(project, bestanden):
    inside = project / "data" / "deventer"
    moved = [Path(p.rename(inside / p.name)) for p in bestanden.bestanden]
    code, output = _run("duo", "deventer", *map(str, moved))
    assert (
        code == 1
        and "data/deventer/NRSP2023VI27GZ.csv: dit DUO-bestand met persoonsgegevens staat in de projectmap" in output
    )
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / ".gitignore").write_text("/duo/\n", encoding="utf-8")
    (project / "duo").mkdir()
    ignored = [Path(p.rename(project / "duo" / p.name)) for p in moved]
    code, output = _run("duo", "deventer", *map(str, ignored), "--overschrijven", "--proef")
    assert code == 0 and "Proef: er is niets geschreven." in output, output


def test_a_name_that_disagrees_with_the_content_or_the_options_is_refused(project, bestanden):
    swapped = bestanden.nrsp.with_name("NenR2023VI27GZ-kopie.csv")
    bestanden.nrsp.rename(swapped)
    code, output = _run("duo", "deventer", str(swapped), str(bestanden.nenr))
    assert code == 1 and "het bestand heet een NenR-bestand, maar zijn kolommen zijn die van een NRSP-bestand" in output
    code, output = _run("duo", "deventer", *map(str, bestanden.bestanden[1:]), str(swapped), "--status", "definitief")
    assert code == 1 and "de naam zegt status voorlopig, maar --status zegt definitief." in output
    plain = [p.rename(p.with_name(f"bestand{i}.csv")) for i, p in enumerate([swapped, bestanden.nenr])]
    code, output = _run("duo", "deventer", *map(str, plain), "--overschrijven", "--proef")
    assert code == 1 and "de naam is niet die van een DUO-bestand (NRSP2023V…); geef --schooljaar." in output
    code, output = _run(
        "duo", "deventer", *map(str, plain), "--schooljaar", YEAR, "--status", "voorlopig", "--overschrijven", "--proef"
    )
    assert code == 0 and "jongeren_vsv 2022-2023, status: definitief → voorlopig" in output, output


def test_a_definitive_typed_figure_is_not_replaced_without_overschrijven(project, bestanden):
    before = _data(project)
    code, output = _run("duo", "deventer", *map(str, bestanden.bestanden))
    assert (
        code == 1
        and "in data/deventer/jongeren_vsv.csv staat bij 2022-2023 al 7.821 (het DUO-bestand zegt 300)" in output
    )
    assert _unchanged(project, before)


def test_the_gemeentecode_is_read_as_cbs_writes_it_and_an_unquoted_one_is_refused(project):
    from jaarverslag.errors import ParameterFout
    from jaarverslag.invoer.definitie import gemeentecode, verslag

    own = project / "data" / "deventer" / "verslag.yaml"
    assert gemeentecode("deventer") == "150" and len(verslag("deventer").secties) > 10  # the project's sections
    own.write_text('gemeentecode: "GM0150"\n', encoding="utf-8")
    assert gemeentecode("deventer") == "150"
    own.write_text("gemeentecode: 0150\n", encoding="utf-8")
    with pytest.raises(ParameterFout, match="data/deventer/verslag.yaml, sleutel gemeentecode: zet de code tussen"):
        gemeentecode("deventer")


def test_a_region_imports_every_members_rows_from_the_one_regional_file(project, tmp_path):
    from test_regio import add_region

    add_region(project)
    codes = {"aadorp": "193", "beekveld": "1742", "kleindorp": "150"}
    for lid, code in codes.items():
        own = project / "data" / lid / "verslag.yaml"
        own.write_text(own.read_text(encoding="utf-8") + f'gemeentecode: "{code.zfill(4)}"\n', encoding="utf-8")
    files = levering(tmp_path / "duo", 2023, "V", personen({"150": 400, "193": 300, "1742": 200, "999": 50}, seed=3))
    code, output = _run("duo", "regio-ijsselvallei", *map(str, files.bestanden), "--overschrijven")
    assert code == 0, output
    assert "aadorp: jongeren_vsv 2022-2023, jongeren: 5.121 → 300" in output
    for lid, cbs in codes.items():
        row = next(r for r in _rows(project / "data" / lid / "jongeren_vsv.csv") if r["schooljaar"] == YEAR)
        start, vsv = files.telling(cbs)[("jongeren_vsv", "")]
        assert (int(row["jongeren"]), int(row["vsv"]), row["status"]) == (start, vsv, "voorlopig"), lid
        assert not (project / "data" / lid / "vsv_mbo_niveau.csv").exists()  # not in the region's definition
