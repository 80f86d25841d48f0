"""The safety net of a redesign: build every report at an earlier commit and at the working tree,
and compare the published outputs byte for byte (`cmp`).

    .venv/bin/python benchmarks/vergelijk.py [--basis REV]

The reports: Deventer 2019-2020 to 2022-2023, the test gemeente Heidedorp (tests/fixtures/
heidedorp) and the test region (tests/fixtures/regio), with and without `kleine_aantallen`.
Each side builds from its own tree (code, data, fixtures) in a throw-away project copy, with
this environment's packages (requirements.lock must be the same on both sides). Prints one
line per report and file; exits 1 when a published output (HTML, PDF, Excel, herkomst.csv)
differs.
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
PUBLISHED = ("jaarverslag.html", "jaarverslag.pdf", "tabellen.xlsx", "herkomst.csv")
ALSO = ("jaarverslag.ipynb", "controle.html", "validatie.json", "validatie.html")
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


def build_all(tree: Path, work: Path, seconds: dict[str, float] | None = None) -> dict[str, Path]:
    """Every report of the comparison, built from `tree`; report name -> its folder. The build time
    of each report goes into `seconds`."""
    main = _project(tree, work / "project")
    _add_heidedorp(tree, main)
    _add_region(tree, main)
    protected = _project(tree, work / "beschermd")
    _add_region(tree, protected, "kleine_aantallen: 5\n")
    jobs = [(main, g, y) for g, y in [*DEVENTER, ("heidedorp", "2022-2023"), REGIO]] + [(protected, *REGIO)]
    out = {}
    for project, gemeente, jaar in jobs:
        name = f"{gemeente} {jaar}" + (" (kleine_aantallen)" if project == protected else "")
        start = time.perf_counter()
        _run(["build", gemeente, jaar, "--stil"], tree, project)
        if seconds is not None:
            seconds[name] = time.perf_counter() - start
        out[name] = project / "reports" / gemeente / jaar
    return out


def _worktree(rev: str, target: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(target), rev], check=True)
    return target


def compare(before: dict[str, Path], after: dict[str, Path]) -> list[str]:
    """'cmp' per report and file: which published outputs differ."""
    differ = []
    for name, folder in after.items():
        for file in (*PUBLISHED, *ALSO):
            same = filecmp.cmp(before[name] / file, folder / file, shallow=False)
            kind = "gepubliceerd" if file in PUBLISHED else "overig"
            print(f"{'gelijk ' if same else 'ANDERS '} {name:<48} {file:<20} ({kind})")
            if not same and file in PUBLISHED:
                differ.append(f"{name}: {file}")
    return differ


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
        took_before, took_after = {}, {}
        try:
            before = build_all(basis, work / "voor", took_before)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(basis)], check=False)
        after = build_all(ROOT, work / "na", took_after)
        differ = compare(before, after)
        _timings(took_before, took_after, args.basis)
    print(
        f"\n{len(differ)} gepubliceerde bestanden verschillen van {args.basis}."
        if differ
        else f"\nAlles gelijk aan {args.basis}."
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
