"""The project's own promises: clean notebooks, the two README commands, environments in step."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import nbformat
import pytest
import yaml
from conftest import copy_project

from jaarverslag import cli, paths


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


def test_notebook_has_typed_parameters_cell():
    notebook = nbformat.read(paths.NOTEBOOKS / "jaarverslag.ipynb", as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert 'gemeente: str = ""' in tagged[0].source and "aantal_jaren: int = 0" in tagged[0].source


def test_notebook_cells_are_thin():
    notebook = nbformat.read(paths.NOTEBOOKS / "jaarverslag.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 6, cell.source


def _requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!\[ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_environment_yml_installs_the_lock_and_the_package():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert project["requires-python"] == ">=" + python.split("=")[1]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-r requirements.lock" in pip and "-e ." in pip


def _locked(name: str) -> dict[str, str]:
    pins = {}
    for line in (paths.ROOT / name).read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            package, version = line.strip().split("==")
            pins[package.lower().replace("_", "-")] = version
    return pins


def test_locks_pin_every_dependency_and_the_report_lock_holds_no_test_tools():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev = _locked("requirements.lock"), _locked("requirements-dev.lock")
    assert _requirement_names(project["dependencies"]) <= set(runtime), "requirements.lock is stale: make lock"
    dev_tools = _requirement_names(project["optional-dependencies"]["dev"])
    assert dev_tools <= set(dev), "requirements-dev.lock is stale: make lock"
    assert not dev_tools & set(runtime), "test and dev tools belong in requirements-dev.lock only"
    assert {"pytest", "playwright", "ruff"} <= dev_tools
    shared = set(runtime) & set(dev)
    assert shared == set(runtime) and all(runtime[n] == dev[n] for n in shared)  # one version of each


def _dry_run(target: str) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", target], cwd=paths.ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_report_installs_only_the_report_lock_and_make_test_adds_the_dev_lock():
    report, test = _dry_run("report"), _dry_run("test")
    assert "-r requirements.lock" in report and "requirements-dev.lock" not in report
    assert "systeem.py verslag" in report and "systeem.py test" not in report
    assert "-r requirements-dev.lock" in test and "systeem.py test" in test
    assert "uv" in report and "pip install -r" not in report  # uv installs the lock, not pip


def test_make_omgeving_only_makes_the_environment_and_the_new_gemeente_section_starts_with_it():
    omgeving = _dry_run("omgeving")
    assert "-r requirements.lock" in omgeving and "requirements-dev.lock" not in omgeving
    assert "systeem.py" not in omgeving and "jaarverslag build" not in omgeving
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Een andere gemeente") :]
    commands = re.findall(r"```\n(.*?)\n```", section, flags=re.S)
    assert commands[0] == "make omgeving"
    assert ".venv/bin/jaarverslag nieuwe-gemeente" in commands[1]


@pytest.mark.e2e
def test_make_refuses_a_school_year_in_another_form_before_anything_runs(tmp_path):
    root = copy_project(tmp_path / "project")
    shutil.copy2(paths.ROOT / "Makefile", root / "Makefile")
    for wrong in ("2022/2023", "2022-2024", "22-23"):
        done = subprocess.run(
            ["make", "--no-print-directory", "report", f"SCHOOLJAAR={wrong}"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode != 0
        assert f"Fout: SCHOOLJAAR={wrong} is geen schooljaar in de vorm JJJJ-JJJJ" in done.stderr, done.stderr
        assert "SCHOOLJAAR=2022-2023" in done.stderr and done.stdout == ""
    assert not (root / ".venv").exists() and list((root / "reports").iterdir()) == []


def test_the_command_refuses_a_school_year_in_another_form_too(capsys):
    assert cli.main(["validate", "deventer", "2022/2023"]) == 1
    message = capsys.readouterr().err
    assert "Schooljaar '2022/2023': schrijf het schooljaar als JJJJ-JJJJ" in message
    assert not (paths.REPORTS / "deventer" / "2022" / "2023").exists()


def test_ci_only_calls_make_test():
    script = (paths.ROOT / ".ci" / "run").read_text()
    assert "make test" in script and "chromium" not in script and "apt-get install" in script  # only make itself


@pytest.mark.e2e
def test_make_help_is_the_default_goal():
    done = subprocess.run(["make", "--no-print-directory"], cwd=paths.ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for target in ("report", "test", "lint", "clean", "lab", "validate"):
        assert f"make {target}" in done.stdout


def test_readme_shows_the_two_commands_and_names_real_files():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "make report" in readme and "make test" in readme
    for name in re.findall(r"`((?:data|params|notebooks|expectations|templates|src)/[^`*<]+)`", readme):
        assert (paths.ROOT / name).exists(), name


def test_no_gemeente_name_in_code_notebooks_or_templates():
    for folder in ("src/jaarverslag", "notebooks", "templates"):
        for path in (paths.ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".ipynb", ".j2", ".css", ".json"):
                assert "deventer" not in path.read_text(encoding="utf-8").lower(), path
