"""Shared fixtures: a throw-away copy of the project, and one real build of the default report."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from jaarverslag import paths

REPO = paths.ROOT
PROJECT_PARTS = ("data", "params", "notebooks", "expectations", "templates", "pyproject.toml", "requirements.lock")


IN_MEMORY = Path("/dev/shm")
IN_MEMORY_FREE = 4 * 2**30  # bytes: room for the builds of a run with much to spare


def pytest_configure(config):
    """Test folders in memory (tmpfs) where the machine has room there. Some 230 tests each copy the
    project (75 files) and many build a report: on a virtual disk every file made costs a third of
    a millisecond, and the suite spent seconds of its half minute creating files. The workers of
    pytest-xdist get their folders under the controller's, so setting it here covers them too.
    Only what failed is kept afterwards (pyproject.toml: tmp_path_retention_policy)."""
    if os.environ.get("PYTEST_DEBUG_TEMPROOT") or config.option.basetemp or hasattr(config, "workerinput"):
        return
    if IN_MEMORY.is_dir() and os.access(IN_MEMORY, os.W_OK) and shutil.disk_usage(IN_MEMORY).free > IN_MEMORY_FREE:
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(IN_MEMORY)  # pytest --help: "Override the system temporary directory"


def copy_project(target: Path) -> Path:
    """A copy of everything a build reads, with an empty reports/ folder."""
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    (target / "reports").mkdir()
    return target


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh project copy that every path in the package (and the kernel) points at."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv(paths.ROOT_VARIABLE, str(root))
    monkeypatch.delenv("CI", raising=False)  # CI machines set it, and it silences the build's steps
    paths.set_root(root)
    yield root
    paths.set_root(REPO)


def build_in_copy(target: Path, prepare=None) -> Path:
    """Deventer 2022-2023 built by the real pipeline in a project copy at `target`, after
    `prepare(root)` changed the copy (when given); returns the report folder."""
    from jaarverslag.bouw.build import build

    root = copy_project(target)
    if prepare:
        prepare(root)
    paths.set_root(root)
    try:
        return build("deventer", "2022-2023", stil=True)
    finally:
        paths.set_root(REPO)


@pytest.fixture(scope="session")
def built_report(tmp_path_factory):
    """The 2022-2023 Deventer report, built once by the real pipeline in a project copy."""
    return build_in_copy(tmp_path_factory.mktemp("gebouwd") / "project")


def html_text(markup: str) -> str:
    """The visible text of an HTML page, whitespace folded."""
    import html
    import re

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def bundle_bytes(folder: Path) -> dict[Path, bytes]:
    """Every file of a report folder, for comparing two builds: the manifest without the one key
    that says whether the build reused an earlier validation (a rebuild does)."""
    import json

    files = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    for name, data in files.items():
        if name.name == "manifest.json":
            recorded = json.loads(data)
            recorded.pop("validatie_hergebruikt", None)
            files[name] = json.dumps(recorded, sort_keys=True).encode()
    return files


PYTHON_WORDS = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Interrupt|Exit)\b|Traceback|\bFile \"")


def assert_no_python_words(message: str) -> None:
    """A message for an analyst never shows Python's own words: an exception's name or a traceback."""
    found = PYTHON_WORDS.search(message)
    assert found is None, f"Python in een melding ({found[0]!r}): {message}"
