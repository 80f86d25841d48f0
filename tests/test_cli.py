"""The analyst's year: the CLI, a new school year, batch builds, and any gemeente."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest
import yaml
from conftest import html_text

from jaarverslag import cli, paths
from jaarverslag.invoer.schema import schema


@pytest.mark.e2e
def test_new_school_year_creates_params_and_lists_missing_rows(project, capsys):
    assert cli.main(["nieuw-schooljaar", "deventer", "2023-2024"]) == 0
    out = capsys.readouterr().out
    created = yaml.safe_load((paths.PARAMS / "deventer" / "2023-2024.yaml").read_text())
    assert created["schooljaar"] == "2023-2024" and created["gemeentenaam"] == "Deventer" and "teksten" not in created
    required = [name for name, table in schema().items() if table.required]
    for name in required:
        assert f"[ ] data/deventer/{name}.csv: voeg een rij toe voor 2023-2024" in out
    assert "overstapcoach.csv" not in out  # optional tables are not demanded

    assert cli.main(["build", "deventer", "2023-2024"]) == 1
    err = capsys.readouterr().err
    for name in required:
        assert f"[ ] data/deventer/{name}.csv: voeg een rij toe voor 2023-2024" in err
    assert not (paths.REPORTS / "deventer" / "2023-2024").exists()


def test_new_school_year_refuses_to_overwrite(project, capsys):
    assert cli.main(["nieuw-schooljaar", "deventer", "2022-2023"]) == 1
    assert "bestaat al" in capsys.readouterr().err


@pytest.mark.e2e
def test_filled_in_row_leaves_the_checklist(project, capsys):
    cli.main(["nieuw-schooljaar", "deventer", "2023-2024"])
    path = paths.DATA / "deventer" / "leerplichtigen.csv"
    path.write_text(path.read_text() + "2023-2024,14100,\n")
    capsys.readouterr()
    assert cli.main(["build", "deventer", "2023-2024"]) == 1
    err = capsys.readouterr().err
    assert "leerplichtigen.csv" not in err and "vrijstellingen.csv" in err


def test_verbose_shows_the_traceback_only_on_request(project, capsys):
    (paths.PARAMS / "deventer" / "2022-2023.yaml").write_text("gemeente: [")
    assert cli.main(["validate", "deventer", "2022-2023"]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert cli.main(["--verbose", "validate", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "geen geldige YAML" in err


@pytest.mark.e2e  # the real command, end to end
def test_defaults_pick_the_only_gemeente_and_its_latest_year(project, capsys):
    assert cli.main(["validate"]) == 0
    assert "deventer 2022-2023" in capsys.readouterr().out


def _scaled_copy(target_gemeente: str, factor: int) -> None:
    """Another gemeente's data: every count multiplied, percentages kept (they stay consistent)."""
    source, target = paths.DATA / "deventer", paths.DATA / target_gemeente
    target.mkdir()
    for name, table in schema().items():
        rows = list(csv.DictReader(io.StringIO((source / f"{name}.csv").read_text(encoding="utf-8"))))
        for row in rows:
            for column, spec in table.columns.items():
                if spec["type"] == "aantal" and row[column]:
                    row[column] = str(int(row[column]) * factor)
                if column == "noot":
                    row[column] = ""
        with open(target / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(table.columns))
            writer.writeheader()
            writer.writerows(rows)


@pytest.mark.e2e
def test_any_gemeente_builds_from_its_own_data_and_params(project):
    from jaarverslag.bouw.build import build

    _scaled_copy("testdorp", 2)
    (paths.PARAMS / "testdorp").mkdir()
    (paths.PARAMS / "testdorp" / "2022-2023.yaml").write_text(
        "gemeente: testdorp\ngemeentenaam: Testdorp\nschooljaar: 2022-2023\n"
        "titel: Jaarverslag leerplicht en RMC\nauteur: Gemeente Testdorp\ndatum: 2024-07-01\naantal_jaren: 3\n"
    )
    folder = build("testdorp", "2022-2023", stil=True)
    text = html_text((folder / "jaarverslag.html").read_text(encoding="utf-8"))
    assert "Gemeente Testdorp" in text and "Jaarverslag leerplicht en RMC" in text and "1 juli 2024" in text
    assert "28.678" in text and "570 preventieve verzuimgesprekken" in text  # 14.339 and 285, doubled
    assert "deventer" not in text.lower()
    from pypdf import PdfReader

    assert PdfReader(folder / "jaarverslag.pdf").metadata.title.endswith("Testdorp 2022-2023")
    assert "15.249" not in text and "2018-2019" not in text  # three years: 2020-2021 to 2022-2023


@pytest.mark.e2e
def test_batch_builds_every_report_and_survives_a_failure(project, capsys):
    params = paths.PARAMS / "deventer" / "2020-2021.yaml"
    params.write_text(params.read_text() + "kleur: rood\n")
    (paths.PARAMS / "deventer" / "2021-2022.yaml").unlink()
    assert cli.main(["build", "--alle", "--werkers", "2"]) == 1
    out, err = capsys.readouterr()
    assert "2 van 3 verslagen klaar." in out
    assert "MISLUKT deventer 2020-2021" in out and "onbekende sleutel(s) kleur" in err
    for year in ("2019-2020", "2022-2023"):
        assert (paths.REPORTS / "deventer" / year / "jaarverslag.pdf").exists()
    assert not (paths.REPORTS / "deventer" / "2020-2021").exists()

    assert cli.main(["lijst"]) == 0
    listing = capsys.readouterr().out
    assert "2019-2020   vastgesteld  actueel" in listing and "2020-2021   –            nog niet gemaakt" in listing

    assert cli.main(["build", "deventer", "2022-2023"]) == 0  # nothing changed: no work
    assert "Actueel, niets te doen" in capsys.readouterr().out
    (paths.DATA / "deventer" / "huisbezoeken.csv").write_text(
        (paths.DATA / "deventer" / "huisbezoeken.csv").read_text().replace("maart 2023", "maart 2023 ")
    )
    assert cli.main(["lijst"]) == 0
    assert "2022-2023   vastgesteld  verouderd" in capsys.readouterr().out


@pytest.mark.e2e
def test_help_is_dutch(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("gebruik: jaarverslag") and "toon deze hulp en stop" in out
    for command in (
        "build",
        "validate",
        "verify",
        "nieuw-schooljaar",
        "werkmap",
        "nieuwe-gemeente",
        "inlezen",
        "lijst",
    ):
        assert command in out


@pytest.mark.parametrize(
    ("ci", "terminal", "stil", "quiet"),
    [(None, True, False, False), ("1", True, False, True), (None, False, False, True), (None, True, True, True)],
)
def test_the_build_steps_are_shown_only_at_a_terminal_outside_ci(monkeypatch, ci, terminal, stil, quiet):
    """CI machines set CI, and a log is no terminal: both keep the build's step lines out."""
    import argparse

    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    monkeypatch.setattr("sys.stderr.isatty", lambda: terminal, raising=False)
    assert cli._quiet(argparse.Namespace(stil=stil)) is quiet


def test_the_command_leaves_without_teardown_but_runs_its_exit_handlers_and_flushes(project, tmp_path):
    """cli.run, the installed command: exit code and every printed line as main() left them, the exit
    handlers run and a thread that is no daemon finished, before os._exit skips the interpreter's teardown."""
    from importlib.metadata import entry_points

    assert entry_points(group="console_scripts")["jaarverslag"].value == "jaarverslag.cli:run"
    program = (
        "import atexit, sys, threading, time\n"
        "from pathlib import Path\n"
        "from jaarverslag import cli\n"
        "done = Path(sys.argv[1])\n"
        "atexit.register(lambda: (done / 'handler').write_text('ja'))\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), (done / 'thread').write_text('ja'))).start()\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "POOL = ThreadPoolExecutor(1)  # never shut down: Python's exit stops its worker, and so must run()\n"
        "POOL.submit(time.sleep, 0.1)\n"
        "sys.argv = ['jaarverslag', *sys.argv[2:]]\n"
        "cli.run()\n"
        "(done / 'na-run').write_text('run kwam terug')\n"
    )
    env = {**os.environ, "JAARVERSLAG_ROOT": str(project)}

    def command(*args: str, without_stdout: bool = False) -> subprocess.CompletedProcess:
        for name in ("handler", "thread", "na-run"):
            (tmp_path / name).unlink(missing_ok=True)
        return subprocess.run(
            [sys.executable, "-c", program, str(tmp_path), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=(lambda: os.close(1)) if without_stdout else None,  # as `jaarverslag lijst >&-`
        )

    listed = command("lijst")
    assert listed.returncode == 0, listed.stderr
    assert "2022-2023   –            nog niet gemaakt" in listed.stdout  # flushed into the pipe
    assert (tmp_path / "handler").read_text() == "ja" and (tmp_path / "thread").read_text() == "ja"
    assert not (tmp_path / "na-run").exists()  # run() ended the process

    failed = command("validate", "nergens", "2022-2023")
    assert failed.returncode == 1 and "Fout: Er is geen parameterbestand params/nergens/2022-2023.yaml" in failed.stderr
    assert (tmp_path / "handler").exists() and not (tmp_path / "na-run").exists()

    unprinted = command("lijst", without_stdout=True)  # sys.stdout is None: nothing to flush, still a success
    assert unprinted.returncode == 0 and unprinted.stderr == "", unprinted.stderr
