"""The system prerequisites: what each make target needs and the command that installs it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jaarverslag import paths, systeem


def test_a_report_needs_pango_and_fonts_and_tests_add_chromium_and_poppler():
    report = {n.name for n in systeem.needs_for("verslag")}
    test = {n.name for n in systeem.needs_for("test")}
    assert report == {"Pango", "HarfBuzz subset", "DejaVu-lettertypen"}
    assert test == report | {"Chromium", "poppler-utils", "LibreOffice Writer"}


@pytest.mark.parametrize(
    ("system", "debian", "expected"),
    [
        (
            "linux",
            True,
            "sudo apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 chromium",
        ),
        ("darwin", False, "brew install pango && brew install --cask chromium"),
        ("linux", False, "het equivalent van de Debian-pakketten: libpango-1.0-0 libpangoft2-1.0-0 chromium"),
    ],
)
def test_the_install_command_fits_the_system(system, debian, expected):
    needs = {n.name: n for n in systeem.needs_for("test")}
    missing = [needs["Pango"], needs["Chromium"]]
    assert expected in systeem.install_command(missing, system, debian)


def test_a_missing_program_is_detected(monkeypatch, tmp_path):
    # with no program on PATH, every need of the tests that is a program counts as missing
    monkeypatch.setenv("PATH", str(tmp_path))
    missing = {n.name for n in systeem.needs_for("test") if not n.present()}
    assert {n.name for n in systeem.needs_for("test") if n.programs} <= missing
    assert {"Chromium", "poppler-utils"} <= missing and "Pango" not in missing  # a library needs no PATH


def test_a_missing_library_is_detected():
    ghost = systeem.Need("Spook", "niets", "spook", "spook", libraries=("bestaat-niet-1.0",))
    assert not ghost.present()
    assert systeem.Need("Pango", "x", "x", "x", libraries=("pango-1.0",)).present()


def test_the_script_runs_on_the_bare_system_python():
    # it runs before .venv exists: standard library only, under the system's python3
    done = subprocess.run(
        ["python3", "-I", str(paths.ROOT / "src" / "jaarverslag" / "systeem.py"), "verslag"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    wrong = subprocess.run(
        [sys.executable, str(paths.ROOT / "src" / "jaarverslag" / "systeem.py"), "alles"],
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 2 and "verslag|test" in wrong.stderr
