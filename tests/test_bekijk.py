"""The live preview (`jaarverslag bekijk`) in a real browser: a saved edit shows without a reload,
a broken params file shows its Dutch message until it is fixed, localhost only, nothing in reports/."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import pytest
from test_outputs import CHROMIUM

pytestmark = pytest.mark.e2e
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def preview(project):
    """`jaarverslag bekijk` running on a project copy; yields (url, port, process)."""
    port = _free_port()
    env = {**os.environ, "JAARVERSLAG_ROOT": str(project)}
    command = [sys.executable, "-m", "jaarverslag.cli", "bekijk", "deventer", "2022-2023", "--poort", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()  # printed once the first render is served
    assert f"http://127.0.0.1:{port}/" in line, line + process.stderr.read()
    try:
        yield f"http://127.0.0.1:{port}/", port, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_preview_follows_the_files_in_the_browser(project, preview):
    from playwright.sync_api import expect, sync_playwright

    url, port, process = preview
    voorwoord = project / "params" / "deventer" / "2022-2023" / "voorwoord.md"
    params = project / "params" / "deventer" / "2022-2023.yaml"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(url)
            expect(page.locator("#voorwoord")).to_contain_text("Elk jaar leggen we als college")
            voorwoord.write_text(voorwoord.read_text(encoding="utf-8").replace("Elk jaar", "Ieder najaar"), "utf-8")
            expect(page.locator("#voorwoord")).to_contain_text("Ieder najaar leggen we", timeout=15_000)

            good = params.read_text(encoding="utf-8")
            params.write_text(good.replace("aantal_jaren: 5", "aantal_jaren: vijf"), encoding="utf-8")
            alert = page.locator("pre.bouwfout")
            expect(alert).to_contain_text("params/deventer/2022-2023.yaml", timeout=15_000)
            expect(alert).to_contain_text("aantal_jaren")
            params.write_text(good, encoding="utf-8")
            expect(page.locator("#voorwoord")).to_contain_text("Ieder najaar", timeout=15_000)
            expect(page.locator("pre.bouwfout")).to_have_count(0)
        finally:
            browser.close()
    assert list((project / "reports").rglob("*")) == []  # nothing written under reports/, not even the validation
    assert process.poll() is None


def test_the_preview_listens_on_localhost_only(preview):
    _, port, process = preview
    done = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True)
    addresses = re.findall(r"\s(\S+):" + str(port) + r"\b", done.stdout)
    assert addresses == ["127.0.0.1"], done.stdout


def test_ctrl_c_stops_the_preview_cleanly(preview):
    import signal

    _, _, process = preview
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    assert "Gestopt." in process.stderr.read()


def test_a_signal_during_the_first_render_stops_cleanly_and_leaves_no_temp_folder(project, tmp_path):
    import signal
    import time

    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "JAARVERSLAG_ROOT": str(project), "TMPDIR": str(temp)}
    command = [sys.executable, "-m", "jaarverslag.cli", "bekijk", "deventer", "2022-2023", "--poort", str(_free_port())]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert "maken voor de voorvertoning" in process.stderr.readline()
    assert list(temp.glob("jaarverslag-bekijk-*"))  # the preview's own folder, made before the first render
    time.sleep(0.3)  # the first render loads, validates (GX) and runs the cells: seconds
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Meekijken op" not in out  # it stopped during the first render
    assert "Gestopt." in err and "niet aangeraakt" not in err, err  # no build was stopped: nothing to reassure about
    assert not list(temp.glob("jaarverslag-bekijk-*"))
