"""Benchmark of `jaarverslag duo` on a DUO file of 200.000 rows (not a timed test).

Made-up files from the tests' generator (tests/duo_bestanden.py), in a throw-away copy of the
project. Measured in the same run, each in a fresh process, as medians with the peak resident
memory: a bare `pandas.read_csv` of the NRSP file (every column: the baseline), reading and
counting both files as `jaarverslag duo` does, and the whole command (`--proef`: counting,
merging, the checklist and the GX suites, nothing written). Appends its table to
benchmarks/results.md. The goal: under 5 s and 300 MB for the import.

    .venv/bin/python benchmarks/duo.py [--rijen 200000] [--herhalingen 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sectie  # noqa: E402
from duo_bestanden import levering, personen  # noqa: E402
from run import copy_project  # noqa: E402

MEASURE = """
import json, sys, time
start = time.perf_counter()
{body}
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))  # this process since exec
print(json.dumps({{"s": time.perf_counter() - start, "mb": int(peak.split()[1]) / 1024}}))
"""
STEPS = {
    "kale pandas.read_csv van het NRSP-bestand (alle kolommen)": "import pandas as pd\npd.read_csv(sys.argv[1], sep=';')",
    "lezen en tellen van NRSP en NenR (jaarverslag duo zonder controles)": (
        "from pathlib import Path\n"
        "from jaarverslag.nieuwjaar import duobestand\n"
        "from jaarverslag.nieuwjaar.duoindeling import indeling\n"
        "mapping = indeling()\n"
        "[duobestand.lees(Path(p), mapping, {}) for p in sys.argv[1:3]]"
    ),
    "jaarverslag duo deventer NRSP NenR --overschrijven --proef (met GX)": (
        "from jaarverslag import cli\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    assert cli.main(['duo', 'deventer', *sys.argv[1:3], '--overschrijven', '--proef']) == 0"
    ),
}


def measure(body: str, files: list[Path], env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE.format(body=body), *map(str, files)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rijen", type=int, default=200_000)
    parser.add_argument("--herhalingen", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project")
        codes = ["150", "193", "1742", *(str(c) for c in range(200, 200 + 17))]
        share = args.rijen // len(codes)
        mensen = personen(dict.fromkeys(codes, share), seed=34)
        files = levering(Path(tmp) / "duo", 2023, "V", mensen).bestanden
        count, leavers = len(mensen), sum(p.vsv for p in mensen)
        env = {**os.environ, "JAARVERSLAG_ROOT": str(root)}
        size = files[0].stat().st_size / 2**20
        klein = levering(Path(tmp) / "klein", 2023, "V", personen(dict.fromkeys(codes[:2], 1000), seed=34)).bestanden
        del mensen  # the parent stays small: a child's peak is its own
        rows = []
        for name, body in STEPS.items():
            runs = [measure(body, files, env) for _ in range(args.herhalingen)]
            rows.append((name, runs))
        name = "dezelfde opdracht op 2.000 rijen (de vaste kosten: GX en de controles)"
        rows.append((name, [measure(list(STEPS.values())[-1], klein, env) for _ in range(args.herhalingen)]))
    lines = [
        "",
        "## DUO-import (benchmarks/duo.py)",
        "",
        f"Machine: {os.cpu_count()} kernen; NRSP-bestand van {count:_} rijen ({size:.0f} MB) ".replace("_", ".")
        + f"en NenR-bestand van {leavers:_} rijen, {args.herhalingen} metingen per regel, ".replace("_", ".")
        + "elk in een nieuw proces; piekgeheugen is het maximale residente geheugen van dat proces (VmHWM).",
        "",
        "| meting | mediaan (s) | piekgeheugen (MB) | alle metingen (s) |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, runs in rows:
        times = [r["s"] for r in runs]
        peak = max(r["mb"] for r in runs)
        lines.append(
            f"| {name} | {statistics.median(times):.2f} | {peak:.0f} | {', '.join(f'{t:.2f}' for t in times)} |"
        )
    base = statistics.median(r["s"] for r in rows[0][1])
    count = statistics.median(r["s"] for r in rows[1][1])
    whole = statistics.median(r["s"] for r in rows[2][1])
    fixed = statistics.median(r["s"] for r in rows[3][1])
    lines += [
        "",
        "| verhouding | waarde | doel |",
        "| --- | ---: | --- |",
        f"| lezen en tellen / kale read_csv (plus het tellen van de velden per regel en de sha256) | {count / base:.2f} | – |",
        f"| hele opdracht (s) | {whole:.2f} | < 5 s |",
        f"| hele opdracht min de vaste kosten (s) | {whole - fixed:.2f} | < 5 s |",
        f"| piekgeheugen hele opdracht (MB) | {max(r['mb'] for r in rows[2][1]):.0f} | < 300 MB |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    sectie.schrijf("duo", text)


if __name__ == "__main__":
    main()
