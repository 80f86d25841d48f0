"""Faults during a build: a dead or stuck kernel, signals, a publish that fails, a hostile
environment. Each goes through the real CLI and checks the exit code, the Dutch message,
no traceback, the last good report untouched, and nothing left behind."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from jaarverslag import bundel, cli, paths
from jaarverslag.bouw import publish
from jaarverslag.bouw.kernel import KERNEL_DIR_PREFIX, SOCKET_PATH_MAX, Kernel, KernelFout
from jaarverslag.errors import BouwFout, OmgevingsFout, omgevingsfout
from jaarverslag.weergave import document
from jaarverslag.weergave.notebook import NOTEBOOK

pytestmark = pytest.mark.e2e
JAARVERSLAG = str(Path(sys.executable).parent / "jaarverslag")
OLD_REPORT = {"jaarverslag.pdf": b"%PDF-1.7 vorige versie", "accountant/manifest.json": b'{"vorige": true}'}


def _old_report() -> Path:
    """A last good report whose bytes the tests compare afterwards."""
    folder = paths.REPORTS / "deventer" / "2022-2023"
    folder.mkdir(parents=True)
    for name, data in OLD_REPORT.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def _assert_untouched(folder: Path) -> None:
    files = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert files == OLD_REPORT
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [], f"lock or staging left behind: {leftovers}"


def _add_cell(source: str) -> None:
    """Put a cell into the project's notebook, right after the data are loaded."""
    path = paths.NOTEBOOKS / NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(3, nbformat.v4.new_code_cell(source))
    nbformat.write(notebook, path)


def _sleeping_kernel(pid_file: Path) -> None:
    _add_cell(f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(120)")


def _start_build(tmp_path: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(_private_tmp(tmp_path))}
    return subprocess.Popen(
        [JAARVERSLAG, "build", "deventer", "2022-2023", *extra],
        env=env,
        cwd=paths.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _private_tmp(tmp_path: Path) -> Path:
    """A TMPDIR of the test's own (short: a kernel's socket path has room for 107 bytes)."""
    marker = tmp_path / "tmpdir"
    if not marker.exists():
        marker.write_text(tempfile.mkdtemp(prefix="jv-", dir="/tmp"))
    return Path(marker.read_text())


def test_a_long_tmpdir_does_not_break_the_kernel(tmp_path, monkeypatch):
    deep = tmp_path / ("lang" * 30)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    with Kernel() as kernel:
        assert len(os.fsencode(kernel.socket_dir)) <= SOCKET_PATH_MAX
        kernel.warm(60)
        socket_dir = kernel.socket_dir
    assert not socket_dir.exists()


def test_a_kernel_that_cannot_even_be_imported_leaves_no_socket_folder(monkeypatch):
    """The Jupyter imports are part of the start: when they fail (or a Ctrl-C stops them), the
    kernel's private folder, which holds its key, goes too."""
    monkeypatch.setitem(sys.modules, "jupyter_client", None)  # import jupyter_client now raises ImportError
    kernel = Kernel()
    assert kernel.socket_dir.is_dir()
    with pytest.raises(KernelFout, match="kon niet starten"):
        kernel.__enter__()
    assert not kernel.socket_dir.exists()


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 90) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return int(path.read_text())
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    raise AssertionError("the notebook never reached the sleeping cell")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def test_a_killed_kernel_stops_the_build_within_seconds(project, tmp_path):
    old = _old_report()
    pid_file = tmp_path / "kernel.pid"
    _sleeping_kernel(pid_file)
    process = _start_build(tmp_path)
    kernel = _wait_for(pid_file, process)
    os.kill(kernel, signal.SIGKILL)  # as the OOM killer would
    killed = time.monotonic()
    out, err = process.communicate(timeout=60)
    assert time.monotonic() - killed < 15
    assert process.returncode == 1
    assert "de kernel (het Python-proces dat het notebook uitvoert) is onverwacht gestopt" in err
    assert "reports/deventer/2022-2023.mislukt/accountant/jaarverslag.ipynb" in err and "Traceback" not in err
    half_run = nbformat.read(old.with_name("2022-2023.mislukt") / bundel.NOTEBOOK, as_version=4)
    assert any(c.get("execution_count") for c in half_run.cells if c.cell_type == "code")
    old.with_name("2022-2023.mislukt").rename(tmp_path / "mislukt")
    _assert_untouched(old)
    assert list(_private_tmp(tmp_path).iterdir()) == []  # kernel sockets and connection file are gone
    with publish.lock(old, "deventer 2022-2023"):  # the lock was released
        pass


def test_a_stuck_cell_stops_at_the_time_limit(project, tmp_path, capsys):
    old = _old_report()
    _add_cell("import time\ntime.sleep(120)")
    start = time.monotonic()
    assert cli.main(["build", "deventer", "2022-2023", "--tijdslimiet", "3"]) == 1
    assert time.monotonic() - start < 40
    err = capsys.readouterr().err
    assert "een cel was na 3 seconden nog niet klaar (tijdslimiet" in err and "Traceback" not in err
    assert (old.with_name("2022-2023.mislukt") / bundel.NOTEBOOK).exists()
    old.with_name("2022-2023.mislukt").rename(tmp_path / "mislukt")
    _assert_untouched(old)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_cleans_up_kernel_temp_files_and_lock(project, tmp_path, signum):
    old = _old_report()
    pid_file = tmp_path / "kernel.pid"
    _sleeping_kernel(pid_file)
    process = _start_build(tmp_path)
    kernel = _wait_for(pid_file, process)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Afgebroken; het vorige verslag is niet aangeraakt." in err and "Traceback" not in err
    deadline = time.monotonic() + 10
    while _alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(kernel)
    assert list(_private_tmp(tmp_path).iterdir()) == []
    for leftover in old.parent.glob("2022-2023.mislukt"):
        leftover.rename(tmp_path / "mislukt")
    _assert_untouched(old)


def test_a_publish_that_fails_for_real_keeps_the_old_report(project, capsys):
    old = _old_report()
    subprocess.run(["chattr", "+i", str(old)], check=True)  # the swap itself is refused (EPERM)
    try:
        assert cli.main(["build", "deventer", "2022-2023"]) == 1
    finally:
        subprocess.run(["chattr", "-i", str(old)], check=True)
    err = capsys.readouterr().err
    assert "Het nieuwe verslag op zijn plek zetten (reports/deventer/2022-2023) lukte niet" in err
    assert "niet toegestaan" in err and "Traceback" not in err
    _assert_untouched(old)


def test_an_immutable_reports_folder_is_named_in_dutch(project, capsys):
    folder = paths.REPORTS / "deventer"
    folder.mkdir(parents=True)
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        assert cli.main(["build", "deventer", "2022-2023"]) == 1
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    err = capsys.readouterr().err
    assert "De map reports/deventer kan niet worden gewijzigd: niet toegestaan" in err
    assert "De build zet daar een slotbestand (.2022-2023.lock) en wisselt daar het nieuwe verslag" in err
    assert "Traceback" not in err and list(folder.iterdir()) == []


def test_a_folder_that_becomes_unchangeable_during_a_build_names_the_failed_swap(project, capsys, monkeypatch):
    from jaarverslag.bouw import publish

    old = _old_report()
    folder = old.parent
    real_publish = publish.publish

    def frozen_then_published(staging, target):
        subprocess.run(["chattr", "+i", str(folder)], check=True)  # the swap in reports/deventer is refused
        return real_publish(staging, target)

    monkeypatch.setattr(publish, "publish", frozen_then_published)
    try:
        assert cli.main(["build", "deventer", "2022-2023"]) == 1
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    err = capsys.readouterr().err
    assert "Het nieuwe verslag op zijn plek zetten (reports/deventer/2022-2023) lukte niet" in err
    assert "niet toegestaan" in err and "wisselt daar het nieuwe verslag (.2022-2023.bouw) met het vorige" in err
    assert ".lock" not in err.split("De build zet daar")[0]  # the lock file it could not remove is not the story
    assert "Traceback" not in err
    # what the frozen folder kept (lock file, staging) goes with the next build or make clean
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [".2022-2023.bouw", ".2022-2023.lock"]
    from jaarverslag.bouw.opruimen import opruimen

    opruimen()
    _assert_untouched(old)


def test_a_full_disk_is_named_in_dutch():
    with pytest.raises(OSError) as caught, open("/dev/full", "w") as full:  # a real ENOSPC
        full.write("x")
        full.flush()
    caught.value.filename = str(paths.REPORTS / "deventer" / "2022-2023" / "jaarverslag.pdf")
    message = str(omgevingsfout(caught.value, "Het verslag schrijven"))
    assert message == "Het verslag schrijven lukte niet (reports/deventer/2022-2023/jaarverslag.pdf): de schijf is vol."
    assert isinstance(omgevingsfout(caught.value, "x"), OmgevingsFout)


# --- atomic publish ---------------------------------------------------------------------


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "jaarverslag.pdf").write_text(text)
    return path


def test_publish_swaps_in_one_step_and_drops_the_old(tmp_path):
    target = _folder(tmp_path / "2022-2023", "oud")
    staging = _folder(publish.staging_dir(target), "nieuw")
    publish.publish(staging, target)
    assert (target / "jaarverslag.pdf").read_text() == "nieuw"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022-2023"]


def test_swap_exchanges_two_folders(tmp_path):
    a, b = _folder(tmp_path / "a", "A"), _folder(tmp_path / "b", "B")
    inode_a = a.stat().st_ino
    publish.swap(a, b)
    assert (a / "jaarverslag.pdf").read_text() == "B" and (b / "jaarverslag.pdf").read_text() == "A"
    assert b.stat().st_ino == inode_a  # really exchanged, not copied


def test_without_swap_a_failed_move_puts_the_old_report_back(tmp_path, monkeypatch):
    target = _folder(tmp_path / "2022-2023", "oud")
    staging = _folder(publish.staging_dir(target), "nieuw")

    def no_swap(a, b):
        raise publish.SwapUnsupported(errno.EINVAL, "geen wissel")

    real_rename = os.rename

    def failing_second_rename(src, dst):
        if Path(src) == staging:
            raise OSError(errno.EIO, "schijffout", str(src))
        real_rename(src, dst)

    monkeypatch.setattr(publish, "swap", no_swap)
    monkeypatch.setattr(publish.os, "rename", failing_second_rename)
    with pytest.raises(OSError):
        publish.publish(staging, target)
    assert (target / "jaarverslag.pdf").read_text() == "oud"


def test_recover_puts_back_a_report_left_aside_by_a_stopped_machine(tmp_path):
    target = tmp_path / "2022-2023"
    _folder(publish.aside_dir(target), "oud")
    _folder(publish.staging_dir(target), "half")
    publish.recover(target)
    assert (target / "jaarverslag.pdf").read_text() == "oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022-2023"]


def test_a_build_repairs_an_interrupted_publish_before_anything_else(project, capsys):
    aside = publish.aside_dir(paths.REPORTS / "deventer" / "2022-2023")
    aside.parent.mkdir(parents=True)
    _folder(aside, "oud")
    (paths.DATA / "deventer" / "leerplichtigen.csv").write_text("schooljaar,leerplichtigen,noot\n")
    assert cli.main(["build", "deventer", "2022-2023"]) == 1
    assert (paths.REPORTS / "deventer" / "2022-2023" / "jaarverslag.pdf").read_text() == "oud"
    assert not aside.exists()


def test_the_lock_file_goes_and_a_second_build_is_refused(project):
    target = paths.REPORTS / "deventer" / "2022-2023"
    with publish.lock(target, "deventer 2022-2023"):
        assert target.with_name(".2022-2023.lock").exists()
        with (
            pytest.raises(BouwFout, match="Er loopt al een build van deventer 2022-2023"),
            publish.lock(target, "deventer 2022-2023"),
        ):
            pass
    assert not target.with_name(".2022-2023.lock").exists()


# --- the PDF is the same on every rebuild, whichever way the fonts are subset -------------


def _five_pdfs(html: str, folder: Path) -> set[str]:
    from jaarverslag.bouw.build import source_date

    digests = set()
    with source_date("2024-07-01"):
        for i in range(5):
            document.to_pdf(html, folder / f"{i}.pdf")
            digests.add(hashlib.sha256((folder / f"{i}.pdf").read_bytes()).hexdigest())
    # a render takes about 2 s, so five of them span several seconds of the clock
    return digests


def test_pdf_is_identical_with_harfbuzz_subsetting(built_report, tmp_path):
    from weasyprint.pdf import fonts

    assert fonts.harfbuzz_subset is not None, "libharfbuzz-subset0 is missing (make test installs it)"
    html = (built_report / "jaarverslag.html").read_text(encoding="utf-8")
    assert len(_five_pdfs(html, tmp_path)) == 1


def test_pdf_is_identical_with_fonttools_subsetting(built_report, tmp_path, monkeypatch):
    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as on a machine without libharfbuzz-subset
    html = (built_report / "jaarverslag.html").read_text(encoding="utf-8")
    assert len(_five_pdfs(html, tmp_path)) == 1
    # the control: without SOURCE_DATE_EPOCH, fontTools stamps the clock into the font
    document.to_pdf(html, tmp_path / "a.pdf")
    time.sleep(1.1)
    document.to_pdf(html, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() != (tmp_path / "b.pdf").read_bytes()


# --- what the kernel renders is what was validated ------------------------------------------


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ("data/deventer/leerplichtigen.csv", "data/deventer/leerplichtigen.csv: dit bestand is gewijzigd nadat"),
        ("params/deventer/2022-2023.yaml", "params/deventer/2022-2023.yaml: het bestand is gewijzigd nadat"),
    ],
)
def test_a_file_changed_after_validation_stops_the_build(project, monkeypatch, capsys, changed, expected):
    from jaarverslag.bouw import build as build_module

    old = _old_report()
    validate = build_module.validate_inputs

    def validate_then_save(*args, **kwargs):
        summary = validate(*args, **kwargs)
        path = paths.ROOT / changed  # as an analyst saving in Excel during the build
        path.write_text(path.read_text(encoding="utf-8").replace("2022-2023", "2022-2023 ", 1), encoding="utf-8")
        return summary

    monkeypatch.setattr(build_module, "validate_inputs", validate_then_save)
    assert cli.main(["build", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    old.with_name("2022-2023.mislukt").rename(project / "mislukt")
    _assert_untouched(old)


def test_the_validated_digests_reach_the_manifest_and_validatie_json(built_report):
    import json

    validated = json.loads((built_report / bundel.VALIDATIE[0]).read_text())["invoer_sha256"]
    recorded = json.loads((built_report / bundel.MANIFEST).read_text())["invoer"]
    assert len(validated) == 14 and "params/deventer/2022-2023.yaml" in validated
    assert all(recorded[name] == digest for name, digest in validated.items())
    notebook = nbformat.read(built_report / bundel.NOTEBOOK, as_version=4)
    injected = next(c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert validated["data/deventer/leerplichtigen.csv"] in injected.source


# --- findings of an independent attack -------------------------------------------------------


def test_a_signal_during_the_pdf_waits_until_the_pdf_is_whole(built_report, tmp_path):
    import threading

    from jaarverslag import interrupt

    html = (built_report / "jaarverslag.html").read_text(encoding="utf-8")
    document.to_pdf(html, tmp_path / "heel.pdf")
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))  # WeasyPrint is drawing by then
    with interrupt.installed(), pytest.raises(interrupt.Afgebroken):
        timer.start()
        document.to_pdf(html, tmp_path / "onderbroken.pdf")
    # WeasyPrint catches every exception while it draws a chart: the signal must not reach it
    assert (tmp_path / "onderbroken.pdf").read_bytes() == (tmp_path / "heel.pdf").read_bytes()


def test_a_chart_weasyprint_cannot_draw_fails_the_pdf(tmp_path):
    broken = '<html lang="nl"><body><p>x</p><img src="data:image/svg+xml;base64,bm90IHN2Zw==" alt="x"></body></html>'
    with pytest.raises(BouwFout, match="De PDF is niet gemaakt: WeasyPrint kon iets niet tekenen"):
        document.to_pdf(broken, tmp_path / "kapot.pdf")


def test_a_kernel_that_dies_while_starting_is_noticed_at_once():
    with Kernel() as kernel:
        os.kill(kernel.km.provisioner.process.pid, signal.SIGKILL)
        start = time.monotonic()
        with pytest.raises(KernelFout, match="stopte al tijdens het opstarten"):
            kernel.warm(120)
        assert time.monotonic() - start < 10


def test_kernel_folders_of_killed_builds_are_removed(monkeypatch):
    tmp_path = Path(tempfile.mkdtemp(prefix="jv-", dir="/tmp"))  # short enough for a socket path
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    orphan = tmp_path / f"{KERNEL_DIR_PREFIX}999999999-abc"  # no such process
    mine = tmp_path / f"{KERNEL_DIR_PREFIX}{os.getpid()}-def"
    for folder in (orphan, mine):
        folder.mkdir()
        (folder / "verbinding.json").write_text("{}")
    with Kernel() as kernel:
        assert kernel.socket_dir.parent == tmp_path
    assert not orphan.exists() and mine.exists()


def test_a_fifo_as_input_is_refused_instead_of_hanging(project, capsys):
    path = paths.DATA / "deventer" / "leerplichtigen.csv"
    (paths.REPORTS / "deventer" / "2022-2023" / bundel.ACCOUNTANT).mkdir(parents=True)
    (paths.REPORTS / "deventer" / "2022-2023" / bundel.MANIFEST).write_text(
        '{"gemeente": "deventer", "schooljaar": "2022-2023", "invoer": {"data/deventer/leerplichtigen.csv": "x"}, "uitvoer": {}}'
    )
    path.unlink()
    os.mkfifo(path)
    assert cli.main(["build", "deventer", "2022-2023"]) == 1  # is_current hashes the inputs first
    err = capsys.readouterr().err
    assert "data/deventer/leerplichtigen.csv" in err and "dit is geen gewoon bestand" in err
    params = paths.PARAMS / "deventer" / "2022-2023.yaml"
    params.unlink()
    os.mkfifo(params)
    assert cli.main(["validate", "deventer", "2022-2023"]) == 1
    assert "params/deventer/2022-2023.yaml: dit is geen gewoon bestand" in capsys.readouterr().err


def test_a_symlink_loop_and_a_broken_schema_are_dutch_messages(project, capsys):
    path = paths.DATA / "deventer" / "leerplichtigen.csv"
    path.unlink()
    path.symlink_to(path)
    assert cli.main(["validate", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert "data/deventer/leerplichtigen.csv" in err and "Traceback" not in err
    from jaarverslag.invoer.schema import schema

    schema.cache_clear()
    paths.SCHEMA_FILE.write_text("tabellen: [\n")
    try:
        assert cli.main(["validate", "deventer", "2022-2023"]) == 1
        assert "data/schema.yaml: dit is geen geldige YAML" in capsys.readouterr().err
        paths.SCHEMA_FILE.write_text("tabellen:\n  leerplichtigen: {titel: x}\n")
        schema.cache_clear()
        assert cli.main(["validate", "deventer", "2022-2023"]) == 1
        err = capsys.readouterr().err
        assert "data/schema.yaml: tabel 'leerplichtigen': bron en kolommen ontbreken" in err, err
    finally:
        schema.cache_clear()


@pytest.mark.parametrize(
    "manifest",
    [
        '{"gemeente": "deventer", "schooljaar": "2022-2023", "invoer": [], "uitvoer": {}}',
        '{"schooljaar": "2022-2023", "invoer": {}, "uitvoer": {}}',
        '{"gemeente": "deventer", "schooljaar": "2022-2023", "invoer": {"../../etc/passwd": "x"}, "uitvoer": {}}',
        "[1, 2]",
    ],
)
def test_a_hand_edited_manifest_is_reported_as_damaged(project, capsys, manifest):
    folder = paths.REPORTS / "deventer" / "2022-2023"
    (folder / bundel.ACCOUNTANT).mkdir(parents=True)
    (folder / bundel.MANIFEST).write_text(manifest)
    assert cli.main(["verify", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert "reports/deventer/2022-2023/accountant/manifest.json is beschadigd" in err and "Traceback" not in err
    assert cli.main(["lijst"]) == 0


def test_an_old_report_that_cannot_be_cleared_is_named_by_its_full_path(project, capsys):
    old = _old_report()
    subprocess.run(["chattr", "+i", str(old / "jaarverslag.pdf")], check=True)
    try:
        assert cli.main(["build", "deventer", "2022-2023"]) == 0  # the new report is in place
        err = capsys.readouterr().err
        assert "Let op: het vorige verslag in reports/deventer/.2022-2023.bouw/jaarverslag.pdf" in err
        assert cli.main(["build", "deventer", "2022-2023", "--opnieuw"]) == 1  # the next build names it too
        err = capsys.readouterr().err
        assert "(reports/deventer/.2022-2023.bouw/jaarverslag.pdf)" in err and "niet toegestaan" in err
    finally:
        for leftover in (paths.REPORTS / "deventer").rglob("jaarverslag.pdf"):
            subprocess.run(["chattr", "-i", str(leftover)], check=False)
    assert (old / bundel.MANIFEST).read_bytes() != OLD_REPORT["accountant/manifest.json"]  # the new report is published


def test_a_full_disk_in_the_kernel_is_recognised():
    from jaarverslag.bouw.build import _disk_full

    class KernelError(Exception):  # what papermill raises for an error inside a cell
        ename, evalue = "OSError", "[Errno 28] No space left on device: 'uit.svg'"

    with pytest.raises(OSError) as full, open("/dev/full", "w") as handle:
        handle.write("x")
        handle.flush()
    assert _disk_full(KernelError()) and _disk_full(full.value)
    assert not _disk_full(OSError(errno.EACCES, "nee")) and not _disk_full(RuntimeError("kapot"))


def test_a_link_out_of_the_project_is_not_read(project, capsys):
    path = paths.DATA / "deventer" / "leerplichtigen.csv"
    path.unlink()
    path.symlink_to("/etc/passwd")
    assert cli.main(["validate", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert (
        "data/deventer/leerplichtigen.csv: dit is een verwijzing (symlink) naar een bestand buiten het project" in err
    )
    assert "root:" not in err


def test_a_kernel_lost_before_the_first_cell_leaves_no_empty_mislukt_folder(project, monkeypatch, capsys):
    from jaarverslag.bouw import build as build_module

    old = _old_report()

    def lost(*args, **kwargs):
        raise KernelFout("de kernel (het Python-proces dat het notebook uitvoert) stopte al tijdens het opstarten")

    monkeypatch.setattr(build_module, "execute", lost)
    assert cli.main(["build", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert "Het notebook liep vast: de kernel (het Python-proces dat het notebook uitvoert) stopte al" in err
    assert ".mislukt" not in err and not old.with_name("2022-2023.mislukt").exists()
    _assert_untouched(old)


def test_sigterm_is_not_swallowed_by_an_asyncio_callback():
    """The kernel client runs in asyncio, which logs (and drops) most exceptions raised in a callback."""
    import asyncio

    from jaarverslag import interrupt

    loop = asyncio.new_event_loop()

    def callback():
        raise interrupt.Afgebroken

    loop.call_soon(callback)
    sleeper = loop.create_task(asyncio.sleep(0.5))
    try:
        with pytest.raises(interrupt.Afgebroken):
            loop.run_until_complete(sleeper)
    finally:
        sleeper.cancel()
        loop.run_until_complete(asyncio.gather(sleeper, return_exceptions=True))
        loop.close()


@pytest.mark.e2e  # starts a kernel
def test_the_notebook_is_written_at_its_start_and_end_not_after_every_cell(tmp_path, monkeypatch):
    import nbformat
    import papermill
    import papermill.engines

    from jaarverslag.bouw import papermillmotor

    written = []
    real = papermill.engines.write_ipynb
    monkeypatch.setattr(papermill.engines, "write_ipynb", lambda nb, path: (written.append(path), real(nb, path)))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = {i}") for i in range(5)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source, target = tmp_path / "in.ipynb", tmp_path / "uit.ipynb"
    nbformat.write(notebook, source)
    papermill.execute_notebook(str(source), str(target), engine_name=papermillmotor.NAAM, progress_bar=False)
    assert len(written) == 2 and nbformat.read(target, as_version=4).cells[-1].execution_count == 5
