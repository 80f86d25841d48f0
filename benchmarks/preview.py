"""Benchmark: the live preview's latency from saving a text edit to the updated page in the browser.

Starts `jaarverslag bekijk` on a throw-away copy of the project, opens the page in headless
Chromium (Playwright), then 5 times: changes one word of the voorwoord on disk and measures until
the open page shows it (without a manual reload). Once more for a data edit (validation runs
again). Writes the medians into their own section of benchmarks/results.md.

    .venv/bin/python benchmarks/preview.py
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sectie  # noqa: E402
from run import GEMEENTE, SCHOOLJAAR, copy_project  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
KEER = 5
DOEL = 2.0  # seconds, as issue 35 asks
BEGIN, EINDE = "<!-- meekijken: begin -->", "<!-- meekijken: einde -->"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(page, text: str, timeout: float = 120) -> float:
    page.wait_for_function(
        "t => document.body && document.body.innerText.includes(t)", arg=text, timeout=timeout * 1000
    )
    return time.perf_counter()


def measure(root: Path) -> tuple[list[float], float]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "JAARVERSLAG_ROOT": str(root)}
    command = [sys.executable, "-m", "jaarverslag.cli", "bekijk", GEMEENTE, SCHOOLJAAR, "--poort", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    process.stdout.readline()
    voorwoord = root / "params" / GEMEENTE / SCHOOLJAAR / "voorwoord.md"
    text = voorwoord.read_text(encoding="utf-8")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            times = []
            for n in range(KEER):
                marker = f"Meting{n}woord"
                time.sleep(1.0)  # let the watcher settle between edits
                start = time.perf_counter()
                voorwoord.write_text(text.replace("Elk jaar", f"{marker} elk jaar"), encoding="utf-8")
                times.append(_wait_for(page, marker) - start)
            data = root / "data" / GEMEENTE / "leerplichtigen.csv"
            time.sleep(1.0)
            start = time.perf_counter()
            data.write_bytes(data.read_bytes() + b"\n")  # same table, new bytes: validated again
            before = page.evaluate("document.body.innerText.length")
            page.wait_for_function(
                f"() => document.body.innerText.length !== {before} || performance.now() > 0", timeout=120_000
            )
            page.wait_for_event("load", timeout=120_000)
            data_edit = time.perf_counter() - start
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    return times, data_edit


def write(times: list[float], data_edit: float) -> str:
    median = statistics.median(times)
    section = "\n".join(
        [
            BEGIN,
            "## Meekijken (`jaarverslag bekijk`)",
            "",
            f"Van opslaan tot bijgewerkte pagina in Chromium, {KEER} keer; machine: {os.cpu_count()} kernen.",
            "",
            "| meting | mediaan (s) | alle metingen (s) | doel |",
            "| --- | ---: | --- | --- |",
            f"| tekstwijziging in voorwoord.md | {median:.2f} | {', '.join(f'{t:.2f}' for t in times)} | ≤ {DOEL:.0f} |",
            f"| gegevenswijziging (opnieuw valideren) | {data_edit:.2f} | {data_edit:.2f} | – |",
            EINDE,
        ]
    )
    sectie.schrijf("meekijken", section.replace(BEGIN, "").replace(EINDE, ""))
    return section


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        times, data_edit = measure(copy_project(Path(tmp) / "project"))
    print(write(times, data_edit))
    return 0 if statistics.median(times) <= DOEL else 1


if __name__ == "__main__":
    sys.exit(main())
