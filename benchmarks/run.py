"""Benchmarks: the build against the bare tools, measured in one run, as medians and ratios.

Run with `make bench`. Everything happens in a throw-away copy of the project, so the
analyst's reports/ stay as they are. Prints a Markdown table and writes it to
benchmarks/results.md together with the machine's core count.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import sectie

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PARTS = ("data", "params", "notebooks", "expectations", "templates", "pyproject.toml", "requirements.lock")
GEMEENTE, SCHOOLJAAR = "deventer", "2022-2023"
REGIO_FIXTURE = ROOT / "tests" / "fixtures" / "regio"  # three fictitious gemeenten and their region
REGIO = "regio-ijsselvallei"
BASIS = "a05fad4"  # the last commit before the redesign around the report model (make bench BASIS=<commit>)


def copy_project(target: Path) -> Path:
    for part in PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    (target / "reports").mkdir()
    return target


def run(args: list[str], env: dict, cwd: Path) -> None:
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} mislukte:\n{done.stderr[-2000:]}")


def timed(step, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return times


def _tree_rss_kb(pid: int, field: str = "VmRSS:") -> int:
    """Memory of a process and all its descendants (Linux /proc): the sum of their resident sets, or
    with field 'Pss:' of their proportional sets, which count a page that a forked child shares with
    its parent once instead of twice."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        source = "status" if field == "VmRSS:" else "smaps_rollup"
        try:
            for line in Path(f"/proc/{current}/{source}").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
        except OSError:
            pass
        todo += children.get(current, [])
    return total


def peak_rss_mb(args: list[str], env: dict, cwd: Path, field: str = "VmRSS:") -> float:
    process = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(process.pid, field))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    stop.set()
    sampler.join()
    return peak / 1024


def fresh_clone(target: Path) -> Path:
    """A new clone of the committed project (HEAD), as an analyst would start from."""
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    return target


def _clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("JAARVERSLAG_ROOT", "VIRTUAL_ENV")}


def install_with_make(clone: Path) -> None:
    """The environment as `make report` makes it: uv (from PATH, else make's own copy), then the lock."""
    run(["make", "--no-print-directory", ".venv/.geinstalleerd"], _clean_env(), clone)


def report_with_make(clone: Path) -> None:
    run(["make", "--no-print-directory", "report"], _clean_env(), clone)


def install_with_pip(clone: Path) -> None:
    """The same environment with plain pip, as the project made it before uv."""
    pip = [str(clone / ".venv" / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    run(["python3", "-m", "venv", ".venv"], _clean_env(), clone)
    run([*pip, "-r", "requirements.lock"], _clean_env(), clone)
    run([*pip, "--no-deps", "-e", "."], _clean_env(), clone)


def report_with_pip(clone: Path) -> None:
    run([str(clone / ".venv" / "bin" / "jaarverslag"), "build", GEMEENTE, SCHOOLJAAR, "--stil"], _clean_env(), clone)


SETUPS = {
    "make report (uv)": (install_with_make, report_with_make),
    "zelfde met pip": (install_with_pip, report_with_pip),
}


def measure_setup(n: int) -> dict[str, list[float]]:
    """Fresh clone to finished report, with warm package caches (one untimed run warms them).

    Both the whole `make report` and its installation part are recorded: the first report
    is the same work either way, but without pip's precompiled bytecode it imports slower.
    """
    results = {}
    with tempfile.TemporaryDirectory(prefix="jaarverslag-setup-") as tmp:
        for name, (install, report) in SETUPS.items():
            clones = [Path(tmp) / f"{name[:4]}-{i}" for i in range(n + 1)]
            fresh_clone(clones[0])
            install(clones[0])  # warms the caches
            report(clones[0])
            installs, totals = [], []
            for clone in clones[1:]:
                fresh_clone(clone)
                start = time.perf_counter()
                install(clone)
                installs.append(time.perf_counter() - start)
                report(clone)
                totals.append(time.perf_counter() - start)
                assert (clone / "reports" / GEMEENTE / SCHOOLJAAR / "jaarverslag.pdf").exists()
                shutil.rmtree(clone)
            results[f"verse kloon, alleen installatie: {name}"] = installs
            results[f"verse kloon tot verslag: {name}"] = totals
    return results


def measure_region(tmp: Path, n: int) -> dict[str, list[float]]:
    """The region's build against building each of its gemeenten's own report, in its own project copy."""
    project = copy_project(tmp / "regio")
    for part in ("data", "params"):
        for folder in (REGIO_FIXTURE / part).iterdir():
            shutil.copytree(folder, project / part / folder.name)
    env = {**os.environ, "JAARVERSLAG_ROOT": str(project), "CI": "1"}
    cli = [str(BIN / "jaarverslag")]
    gemeenten = sorted(p.name for p in (REGIO_FIXTURE / "data").iterdir() if p.name != REGIO)

    def build(name: str):
        return lambda: run([*cli, "build", name, SCHOOLJAAR, "--opnieuw", "--stil"], env, project)

    def each_gemeente():
        for gemeente in gemeenten:
            build(gemeente)()

    return {
        f"regioverslag ({len(gemeenten)} gemeenten)": timed(build(REGIO), n),
        f"de {len(gemeenten)} gemeenteverslagen na elkaar": timed(each_gemeente, n),
    }


def measure_against_base(tmp: Path, basis: str, n: int) -> dict[str, list[float]]:
    """The full build at `basis` and at the working tree, each from its own tree and project copy,
    in turns (ABBA), so that a warm cache favours neither."""
    from vergelijk import _project, _worktree  # the safety net's copies of a commit's tree

    tree = _worktree(basis, tmp / "basis")
    try:
        sides = {basis: (tree, _project(tree, tmp / "basis-project")), "nu": (ROOT, copy_project(tmp / "nu-project"))}
        times: dict[str, list[float]] = {name: [] for name in sides}
        for i in range(2 * n):
            for name in list(sides) if i % 2 == 0 else list(sides)[::-1]:
                source, project = sides[name]
                shutil.rmtree(project / "reports" / ".validatie", ignore_errors=True)  # a full build validates
                env = {**os.environ, "PYTHONPATH": str(source / "src"), "JAARVERSLAG_ROOT": str(project), "CI": "1"}
                args = [sys.executable, "-m", "jaarverslag.cli", "build", GEMEENTE, SCHOOLJAAR, "--opnieuw", "--stil"]
                start = time.perf_counter()
                run(args, env, project)
                times[name].append(time.perf_counter() - start)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    return {f"volledige build, basis {basis}": times[basis], "volledige build, nu (naast de basis)": times["nu"]}


def _page_fill(pdf: Path) -> str:
    """The council PDF's page count and its emptiest page outside title page and chapter ends."""
    from jaarverslag.weergave.paginavulling import pages

    measured = pages(pdf)
    inner = [p for p in measured if not p.hoofdstukeinde]
    emptiest = min(inner, key=lambda p: p.vulling)
    return (
        f"Paginavulling van de PDF: {len(measured)} pagina's; de leegste pagina buiten titelblad en "
        f"hoofdstukeinden is pagina {emptiest.nummer}, {emptiest.vulling:.0%} gevuld (doel: ongeveer de helft of meer)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Meet de build tegen de kale gereedschappen.")
    parser.add_argument("--herhalingen", type=int, default=3, help="aantal metingen per regel (mediaan)")
    parser.add_argument("--zonder-installatie", action="store_true", help="sla de meting van de installatie over")
    parser.add_argument("--basis", default=BASIS, help=f"de commit om de volledige build mee te vergelijken ({BASIS})")
    args = parser.parse_args()
    n = args.herhalingen
    setup = {} if args.zonder_installatie else measure_setup(n)

    with tempfile.TemporaryDirectory(prefix="jaarverslag-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        env = {**os.environ, "JAARVERSLAG_ROOT": str(project), "CI": "1"}
        report = project / "reports" / GEMEENTE / SCHOOLJAAR
        cli = [str(BIN / "jaarverslag")]
        floor_dir = Path(tmp) / "kaal"
        floor_dir.mkdir()
        expanded = floor_dir / "jaarverslag.ipynb"  # the notebook as the build runs it: a cell per section
        run(
            [
                sys.executable,
                "-c",
                "import nbformat; from jaarverslag.invoer.definitie import verslag; from jaarverslag.weergave.notebook import "
                f"uit_definitie; nbformat.write(uit_definitie(verslag('{GEMEENTE}')), '{expanded}')",
            ],
            env,
            project,
        )

        def full_build():
            shutil.rmtree(project / "reports", ignore_errors=True)
            run([*cli, "build", GEMEENTE, SCHOOLJAAR, "--opnieuw", "--stil"], env, project)

        def floor():
            notebook = floor_dir / "uit.ipynb"
            run(
                [
                    str(BIN / "papermill"),
                    str(expanded),
                    str(notebook),
                    "-p",
                    "gemeente",
                    GEMEENTE,
                    "-p",
                    "schooljaar",
                    SCHOOLJAAR,
                    "--no-progress-bar",
                ],
                env,
                project,
            )
            run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(notebook)], env, floor_dir)
            run([str(BIN / "weasyprint"), str(floor_dir / "uit.html"), str(floor_dir / "uit.pdf")], env, floor_dir)

        def load_only():
            run(
                [
                    sys.executable,
                    "-c",
                    f"from jaarverslag.invoer.loading import load_tables; load_tables('{GEMEENTE}')",
                ],
                env,
                project,
            )

        def validate_only():
            run([*cli, "validate", GEMEENTE, SCHOOLJAAR], env, project)

        def noop_cli():
            run([*cli, "build", GEMEENTE, SCHOOLJAAR], env, project)

        def text_edit():
            params = project / "params" / GEMEENTE / f"{SCHOOLJAAR}.yaml"
            text = params.read_text(encoding="utf-8")
            old, new = ("grondig", "zorgvuldig") if "grondig" in text else ("zorgvuldig", "grondig")
            params.write_text(text.replace(old, new, 1), encoding="utf-8")
            run([*cli, "build", GEMEENTE, SCHOOLJAAR, "--stil"], env, project)

        def all_years(workers: int):
            return lambda: run([*cli, "build", "--alle", "--opnieuw", "--werkers", str(workers)], env, project)

        results = {}
        print(f"Meten ({n}x per regel, {os.cpu_count()} kernen)...", file=sys.stderr)
        results["volledige build"] = timed(full_build, n)
        results["vloer: papermill + nbconvert + weasyprint"] = timed(floor, n)
        results["alleen laden"] = timed(load_only, n)
        results["valideren (met GX-import en context)"] = timed(validate_only, n)
        full_build()
        assert (report / "accountant" / "manifest.json").exists()
        fill = _page_fill(report / "jaarverslag.pdf")
        results["no-op build (jaarverslag build)"] = timed(noop_cli, n)
        results["tekstwijziging in params, dan jaarverslag build"] = timed(text_edit, n)
        results["alle schooljaren na elkaar (1 werker)"] = timed(all_years(1), n)
        results["alle schooljaren, 2 werkers"] = timed(all_years(2), n)

        def peak(field: str) -> float:  # a full build: no kept validation, so GX is imported
            shutil.rmtree(project / "reports")
            return peak_rss_mb([*cli, "build", GEMEENTE, SCHOOLJAAR, "--opnieuw", "--stil"], env, project, field)

        rss = [peak("VmRSS:") for _ in range(n)]
        pss = [peak("Pss:") for _ in range(n)]
        results.update(measure_region(Path(tmp), n))
        results.update(measure_against_base(Path(tmp), args.basis, n))

    results.update(setup)
    med = {name: statistics.median(values) for name, values in results.items()}
    ratios = {
        "volledige build / vloer": (
            med["volledige build"] / med["vloer: papermill + nbconvert + weasyprint"],
            "≤ 0,45",
        ),
        "tekstwijziging / volledige build": (
            med["tekstwijziging in params, dan jaarverslag build"] / med["volledige build"],
            "≤ 0,5",
        ),
        "valideren / alleen laden": (med["valideren (met GX-import en context)"] / med["alleen laden"], "–"),
        **(
            {
                "verse kloon tot verslag: make report (uv) / met pip": (
                    med["verse kloon tot verslag: make report (uv)"] / med["verse kloon tot verslag: zelfde met pip"],
                    "≤ 0,3",
                ),
                "verse kloon, alleen installatie: uv / pip": (
                    med["verse kloon, alleen installatie: make report (uv)"]
                    / med["verse kloon, alleen installatie: zelfde met pip"],
                    "–",
                ),
            }
            if setup
            else {}
        ),
        "regioverslag / de gemeenteverslagen samen": (
            med["regioverslag (3 gemeenten)"] / med["de 3 gemeenteverslagen na elkaar"],
            "≤ 0,5",
        ),
        "volledige build nu / basis (zelfde run, om en om)": (
            med["volledige build, nu (naast de basis)"] / med[f"volledige build, basis {args.basis}"],
            "≤ 0,6",
        ),
        "2 werkers / 1 werker": (
            med["alle schooljaren, 2 werkers"] / med["alle schooljaren na elkaar (1 werker)"],
            "≤ 0,65",
        ),
    }
    lines = [
        f"# Benchmarkresultaten\n\nMachine: {os.cpu_count()} kernen; {n} metingen per regel, mediaan in seconden.\n",
        "| meting | mediaan (s) | alle metingen (s) |",
        "| --- | ---: | --- |",
        *[
            f"| {name} | {med[name]:.2f} | {', '.join(f'{v:.2f}' for v in values)} |"
            for name, values in results.items()
        ],
        "",
        "| verhouding | waarde | doel |",
        "| --- | ---: | --- |",
        *[f"| {name} | {value:.2f} | {goal} |" for name, (value, goal) in ratios.items()],
        f"| no-op build | {med['no-op build (jaarverslag build)']:.2f} s | ≤ 0,5 s |",
        f"| piekgeheugen volledige build, som van RSS over de procesboom (build, kernel, kind) | {statistics.median(rss):.0f} MB | ≤ 500 MB |",
        f"| piekgeheugen volledige build, som van PSS (gedeelde pagina's één keer) | {statistics.median(pss):.0f} MB | ≤ 500 MB |",
        "",
        fill,
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    sectie.schrijf("build", text)


if __name__ == "__main__":
    main()
