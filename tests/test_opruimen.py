"""Editions are an archive: `make clean` removes what builds leave behind and keeps every edition;
one edition goes only by `jaarverslag uitgave-verwijderen ... --ja`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_project

from jaarverslag import cli, paths

pytestmark = pytest.mark.e2e

YEAR = "2022-2023"
EERSTE, TWEEDE = "2023-11-15", "2024-04-20"
PARAMS = Path("params/deventer/2022-2023.yaml")


def _set_datum(root: Path, datum: str) -> None:
    text = (root / PARAMS).read_text(encoding="utf-8")
    (root / PARAMS).write_text(re.sub(r"datum: \d{4}-\d{2}-\d{2}", f"datum: {datum}", text), encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def twee_uitgaven(tmp_path_factory):
    """Deventer 2022-2023 published twice (two dates), in a project copy that make can run in."""
    from jaarverslag.bouw.build import build

    root = copy_project(tmp_path_factory.mktemp("opruimen") / "project")
    shutil.copy2(REPO / "Makefile", root / "Makefile")
    shutil.copytree(REPO / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    paths.set_root(root)
    try:
        _set_datum(root, EERSTE)
        build("deventer", YEAR, stil=True)
        _set_datum(root, TWEEDE)
        folder = build("deventer", YEAR, stil=True)
    finally:
        paths.set_root(REPO)
    return root, folder


def _leftovers(reports: Path) -> list[Path]:
    """What a stopped or failed build leaves next to the report."""
    left = [
        reports / f"{YEAR}.mislukt",
        reports / f".{YEAR}.bouw",
        reports / f".{YEAR}.oud",
    ]
    for folder in left:
        folder.mkdir()
        (folder / "jaarverslag.ipynb").write_text("{}", encoding="utf-8")
    lock = reports / f".{YEAR}.lock"
    lock.write_text("", encoding="utf-8")
    return [*left, lock]


def _run(root: Path, *arguments: str) -> int:
    paths.set_root(root)
    try:
        return cli.main(list(arguments))
    finally:
        paths.set_root(REPO)


def test_make_clean_keeps_every_edition_and_says_so(twee_uitgaven):
    root, folder = twee_uitgaven
    before = _files(folder)
    assert f"uitgaven/{EERSTE}/jaarverslag.pdf" in before and "jaarverslag.pdf" in before
    leftovers = _leftovers(folder.parent)
    (root / ".pytest_cache").mkdir()
    environment = {**os.environ, paths.ROOT_VARIABLE: str(root), "PYTHON": sys.executable}
    done = subprocess.run(
        ["make", "--no-print-directory", "clean"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    assert _files(folder) == before  # both editions, byte for byte
    assert not [p for p in leftovers if p.exists()] and not (root / ".pytest_cache").exists()
    out = done.stdout
    assert f"Bewaard: 2 uitgaven in reports/ (reports/deventer/{YEAR}: {EERSTE}, {TWEEDE})." in out
    assert "Een uitgave verwijderen: jaarverslag uitgave-verwijderen GEMEENTE SCHOOLJAAR DATUM --ja" in out
    assert f"Verwijderd: reports/deventer/{YEAR}.mislukt" in out and f"Verwijderd: reports/deventer/.{YEAR}.lock" in out
    assert _run(root, "verify", "deventer", YEAR) == 0


def test_a_report_set_aside_by_a_stopped_swap_is_put_back_not_removed(tmp_path, monkeypatch):
    from jaarverslag.bouw.opruimen import opruimen

    root = tmp_path / "project"
    aside = root / "reports" / "heidedorp" / f".{YEAR}.oud"
    aside.mkdir(parents=True)
    (aside / "manifest.json").write_text('{"uitgave": {"datum": "2023-11-15"}}', encoding="utf-8")
    paths.set_root(root)
    try:
        done = opruimen()
    finally:
        paths.set_root(REPO)
    report = root / "reports" / "heidedorp" / YEAR
    assert (report / "manifest.json").exists() and not aside.exists()
    assert done.teruggezet == [report] and done.bewaard == {report: ["2023-11-15"]}


def test_an_edition_goes_only_when_named_with_ja_and_verify_still_passes(twee_uitgaven, capsys):
    root, folder = twee_uitgaven
    before = _files(folder)
    assert _run(root, "uitgave-verwijderen", "deventer", YEAR, EERSTE) == 1
    err = capsys.readouterr().err
    assert f"Zou verwijderen: de eerdere uitgave reports/deventer/{YEAR}/uitgaven/{EERSTE}" in err
    assert f"jaarverslag uitgave-verwijderen deventer {YEAR} {EERSTE} --ja" in err
    assert f"Let op: de uitgave van {TWEEDE} noemt haar herzieningen ten opzichte van deze uitgave" in err
    assert _files(folder) == before

    assert _run(root, "uitgave-verwijderen", "deventer", YEAR, TWEEDE, "--ja") == 1
    err = capsys.readouterr().err
    assert f"de uitgave van {TWEEDE} is het huidige verslag en er zijn eerdere uitgaven ({EERSTE})" in err
    assert _run(root, "uitgave-verwijderen", "deventer", YEAR, "2024-01-01", "--ja") == 1
    assert f"geen uitgave van 2024-01-01; er zijn uitgaven van {EERSTE}, {TWEEDE}" in capsys.readouterr().err
    assert _files(folder) == before

    assert _run(root, "uitgave-verwijderen", "deventer", YEAR, EERSTE, "--ja") == 0
    assert not (folder / "uitgaven" / EERSTE).exists()
    assert {n: b for n, b in _files(folder).items() if not n.startswith("uitgaven/")} == {
        n: b for n, b in before.items() if not n.startswith("uitgaven/")
    }
    assert _run(root, "verify", "deventer", YEAR) == 0, capsys.readouterr().err

    assert _run(root, "uitgave-verwijderen", "deventer", YEAR, TWEEDE) == 1
    assert folder.exists()
    assert _run(root, "uitgave-verwijderen", "deventer", YEAR, TWEEDE, "--ja") == 0
    assert f"Verwijderd: het hele verslag reports/deventer/{YEAR}" in capsys.readouterr().out
    assert not folder.exists() and not list(folder.parent.glob(".*"))
