"""The safety net of a redesign: build every report at an earlier commit and at the working tree,
and compare the published outputs byte for byte (`cmp`).

    .venv/bin/python benchmarks/vergelijk.py [--basis REV]

The reports: Deventer 2019-2020 to 2022-2023, the test gemeente Heidedorp (tests/fixtures/
heidedorp) and the test region (tests/fixtures/regio), with and without `kleine_aantallen`.
Each side builds from its own tree (code, data, fixtures) in a throw-away project copy, with
this environment's packages (requirements.lock must be the same on both sides), report by report
in turns (ABBA), so that the build times printed at the end are comparable. Prints one
line per report and file; exits 1 when a published output (HTML, PDF, Excel, Word) differs.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
PARTS = ("data", "params", "notebooks", "expectations", "templates", "pyproject.toml", "requirements.lock")
PUBLISHED = ("jaarverslag.html", "jaarverslag.pdf", "tabellen.xlsx", "raadsmededeling.docx")
ALSO = ("herkomst.csv", "jaarverslag.ipynb", "controle.html", "validatie.json", "validatie.html")  # accountant/
DEVENTER = [("deventer", f"{y}-{y + 1}") for y in range(2019, 2023)]
REGIO = ("regio-ijsselvallei", "2022-2023")


def _run(args: list[str], tree: Path, project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "JAARVERSLAG_ROOT": str(project)}
    done = subprocess.run([str(PYTHON), "-m", "jaarverslag.cli", *args], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{tree.name}: jaarverslag {' '.join(args)} mislukte:\n{done.stderr[-2000:]}")


def _project(tree: Path, target: Path) -> Path:
    for part in PARTS:
        source = tree / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    (target / "reports").mkdir()
    return target


def _add_heidedorp(tree: Path, project: Path) -> None:
    fixture = tree / "tests" / "fixtures" / "heidedorp"
    shutil.copytree(fixture / "data", project / "data" / "heidedorp")
    shutil.copytree(fixture / "params", project / "params" / "heidedorp")
    schema = project / "data" / "schema.yaml"
    own = fixture / "schema-thuiszitters.yaml"
    if own.exists():  # before gemeenten kept their own tables in their own folder
        schema.write_text(schema.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + own.read_text(), encoding="utf-8")
        _run(["suites"], tree, project)


def _add_region(tree: Path, project: Path, extra: str = "") -> None:
    fixture = tree / "tests" / "fixtures" / "regio"
    for part in ("data", "params"):
        for folder in (fixture / part).iterdir():
            shutil.copytree(folder, project / part / folder.name)
    params = project / "params" / REGIO[0] / f"{REGIO[1]}.yaml"
    params.write_text(params.read_text() + extra)


def projects(tree: Path, work: Path) -> list[tuple[str, Path, str, str]]:
    """The reports of the comparison in project copies made from `tree`: (name, project, gemeente, jaar)."""
    main = _project(tree, work / "project")
    _add_heidedorp(tree, main)
    _add_region(tree, main)
    protected = _project(tree, work / "beschermd")
    _add_region(tree, protected, "kleine_aantallen: 5\n")
    jobs = [(main, g, y) for g, y in [*DEVENTER, ("heidedorp", "2022-2023"), REGIO]] + [(protected, *REGIO)]
    return [(f"{g} {y}" + (" (kleine_aantallen)" if p == protected else ""), p, g, y) for p, g, y in jobs]


def build_both(trees: tuple[Path, Path], work: Path) -> tuple[dict, dict, dict, dict]:
    """Every report built from both trees, one after the other per report and in turns which goes
    first, so that a warm cache favours neither: (folders, seconds) of each side."""
    sides = [projects(tree, work / side) for tree, side in zip(trees, ("voor", "na"), strict=True)]
    folders, seconds = ({}, {}), ({}, {})
    for i, jobs in enumerate(zip(*sides, strict=True)):
        for side in (0, 1) if i % 2 == 0 else (1, 0):
            name, project, gemeente, jaar = jobs[side]
            start = time.perf_counter()
            _run(["build", gemeente, jaar, "--stil"], trees[side], project)
            seconds[side][name] = time.perf_counter() - start
            folders[side][name] = project / "reports" / gemeente / jaar
    return folders[0], folders[1], seconds[0], seconds[1]


def _worktree(rev: str, target: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(target), rev], check=True)
    return target


def _file(folder: Path, name: str) -> Path:
    """A report's file in either layout: at the top, or (since the split) the auditor's in accountant/."""
    return folder / name if (folder / name).exists() else folder / "accountant" / name


def compare(before: dict[str, Path], after: dict[str, Path]) -> tuple[list[str], list[str]]:
    """'cmp' per report and file: which published outputs differ, and which other files."""
    differ, others = [], []
    for name, folder in after.items():
        for file in (*PUBLISHED, *ALSO):
            same = filecmp.cmp(_file(before[name], file), _file(folder, file), shallow=False)
            kind = "gepubliceerd" if file in PUBLISHED else "overig"
            print(f"{'gelijk ' if same else 'ANDERS '} {name:<48} {file:<20} ({kind})")
            if not same:
                (differ if file in PUBLISHED else others).append(f"{name}: {file}")
    return differ, others


def _summary(differ: list[str], others: list[str], basis: str) -> str:
    if not differ and not others:
        return f"Alles gelijk aan {basis}."
    published = (
        f"{len(differ)} gepubliceerde bestanden verschillen van {basis}"
        if differ
        else f"Alle gepubliceerde bestanden zijn gelijk aan {basis}"
    )
    rest = f"; {len(others)} andere bestanden verschillen (zie ANDERS hierboven)" if others else ""
    return f"{published}{rest}."


def _timings(before: dict[str, float], after: dict[str, float], basis: str) -> None:
    """The build times of both sides, measured in this run, and their ratio."""
    print(f"\n{'verslag':<48} {basis[:12]:>10} {'nu':>8} {'nu/basis':>9}")
    for name in after:
        print(f"{name:<48} {before[name]:9.1f}s {after[name]:7.1f}s {after[name] / before[name]:9.2f}")
    total_before, total_after = sum(before.values()), sum(after.values())
    print(f"{'samen':<48} {total_before:9.1f}s {total_after:7.1f}s {total_after / total_before:9.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--basis", default="HEAD", help="de commit om mee te vergelijken (standaard HEAD)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vergelijk-") as tmp:
        work = Path(tmp)
        basis = _worktree(args.basis, work / "basis")
        try:
            before, after, took_before, took_after = build_both((basis, ROOT), work)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(basis)], check=False)
        differ, others = compare(before, after)
        _timings(took_before, took_after, args.basis)
    print(f"\n{_summary(differ, others, args.basis)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
