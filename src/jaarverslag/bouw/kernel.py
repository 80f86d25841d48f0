"""The kernel that executes the report notebook: started early, run through Papermill, scrubbed
of wall-clock times so that rebuilds are byte-identical."""

from __future__ import annotations

import logging
import os
import queue
import shutil
import tempfile
from pathlib import Path

import nbformat

from jaarverslag import paths
from jaarverslag.errors import BouwFout
from jaarverslag.invoer.definitie import verslag
from jaarverslag.weergave.notebook import uit_definitie

VOLATILE_METADATA = ("start_time", "end_time", "duration", "input_path", "output_path")


class Kernel:
    """The project's Python kernel, started early so that its start-up overlaps validation.

    The kernel listens on IPC sockets in a private temp folder (no TCP ports), which also
    holds its connection file, and imports the report package silently while the build
    validates the data (in a full build it also draws the charts ahead, see `vooruit`); no
    notebook cell runs before validation has passed. The manager is the asynchronous one
    nbclient expects: with it, nbclient polls the kernel process every second while it waits
    for output, so a kernel that dies is noticed at once.
    """

    WARM_UP = "import jaarverslag.weergave.verslag"
    DRAW_AHEAD = "from jaarverslag.weergave.verslag import Verslag; Verslag.teken_vooruit({gemeente!r}, {schooljaar!r})"

    def __init__(self, vooruit: tuple[str, str] | None = None):
        """`vooruit` (gemeente, schooljaar): while the build validates, also draw that report's charts
        into the chart store (Verslag.teken_vooruit), for the cells to find. A build that reuses the
        validation (a text edit) finds its charts kept (grafiekopslag.py) and gives none."""
        self.warm_up = self.WARM_UP
        if vooruit is not None:
            self.warm_up += "\n" + self.DRAW_AHEAD.format(gemeente=vooruit[0], schooljaar=vooruit[1])
        self.socket_dir = _socket_dir()
        self.km = None
        self.client = None

    def __enter__(self) -> Kernel:
        try:  # the imports too: a Ctrl-C while they run must not leave the socket folder behind
            from jupyter_client import AsyncKernelManager  # start-up: Jupyter only here
            from jupyter_core.utils import run_sync  # start-up: Jupyter only here

            self.km = AsyncKernelManager(
                kernel_name="python3",
                transport="ipc",
                ip=str(self.socket_dir / "kernel"),
                connection_file=str(self.socket_dir / "verbinding.json"),
            )
            run_sync(self.km.start_kernel)(cwd=str(paths.ROOT))
            self.client = self.km.client()
            self.client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
            self.client.execute(self.warm_up, silent=True, store_history=False)  # queued until the kernel is up
        except Exception as exc:
            self.__exit__()
            raise KernelFout(
                "Het Python-proces dat het notebook uitvoert (de kernel) kon niet starten; "
                "'jaarverslag --verbose' toont waarom."
            ) from exc
        except BaseException:
            self.__exit__()
            raise
        return self

    def warm(self, timeout: float = 120) -> None:
        """Wait until the warm-up imports are done, then let go of the warm-up channel."""
        from jupyter_core.utils import run_sync  # start-up: Jupyter only here

        if self.client is None:
            return
        try:
            for _ in range(max(1, int(timeout))):  # ask every second whether the kernel still lives
                try:
                    run_sync(self.client.get_shell_msg)(timeout=1)
                    return
                except queue.Empty:
                    if not run_sync(self.km.is_alive)():
                        raise KernelFout(
                            "de kernel (het Python-proces dat het notebook uitvoert) stopte al tijdens het opstarten"
                        ) from None
            raise KernelFout(f"de kernel gaf binnen {timeout:.0f} seconden geen antwoord")
        finally:
            self.client.stop_channels()
            self.client = None

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Shut the kernel down (again: nothing happens) and remove its sockets. The build stops it as
        soon as the notebook has run, so that its memory is free before the HTML and the PDF are made."""
        if self.client is not None:
            self.client.stop_channels()
            self.client = None
        try:
            if self.km is not None and self.km.has_kernel:
                from jupyter_core.utils import run_sync  # start-up: Jupyter only here

                run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            shutil.rmtree(self.socket_dir, ignore_errors=True)


class KernelFout(BouwFout):
    """The kernel did not start, died, or stayed silent longer than the time limit."""


SOCKET_PATH_MAX = 90  # a Unix socket path has room for 107 bytes; the kernel adds "/kernel-N"


KERNEL_DIR_PREFIX = "jaarverslag-kernel-"


def _socket_dir() -> Path:
    """A private folder for the kernel's sockets, in TMPDIR unless that path is too long for a socket.

    Its name holds this process's id, so that a later build can remove what a killed build
    left (the connection file holds the kernel's key).
    """
    prefix = f"{KERNEL_DIR_PREFIX}{os.getpid()}-"
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if len(os.fsencode(folder)) > SOCKET_PATH_MAX:
        folder.rmdir()
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    _remove_orphans(folder.parent)
    return folder


def _remove_orphans(parent: Path) -> None:
    """Remove kernel folders of builds whose process no longer exists (killed with SIGKILL)."""
    for folder in parent.glob(f"{KERNEL_DIR_PREFIX}*-*"):
        pid = folder.name.removeprefix(KERNEL_DIR_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _process_exists(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


WARM_UP_LIMIT = 120  # seconds the kernel's warm-up may take at least, whatever a cell may take


def execute(output: Path, parameters: dict, kernel: Kernel, progress: bool = False, timeout: int = 300) -> None:
    """Run the report notebook through Papermill in the given (already started) kernel.

    A cell that runs longer than `timeout` seconds stops the build (papermill raises
    nbclient's CellTimeoutError); a kernel process that dies is noticed within a second
    (DeadKernelError). The warm-up is no cell: in a full build it draws the charts ahead, which
    takes longer than a short cell limit allows, so it may take WARM_UP_LIMIT seconds or more.
    """
    import papermill  # start-up: Jupyter only here

    from jaarverslag.bouw import papermillmotor  # start-up: Jupyter only here

    logging.getLogger("papermill").setLevel(logging.CRITICAL)  # the build reports failures itself, in Dutch
    kernel.warm(max(timeout, WARM_UP_LIMIT))

    papermill.execute_notebook(
        uit_definitie(verslag(parameters["gemeente"])),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(paths.ROOT),
        progress_bar=progress,
        log_output=False,
        report_mode=False,
        record_timing=False,
        execution_timeout=timeout,
        km=kernel.km,
        engine_name=papermillmotor.NAAM,
    )
    scrub(output)


def scrub(path: Path) -> None:
    """Drop wall-clock times and absolute paths so that rebuilds are byte-identical."""
    notebook = nbformat.read(path, as_version=4)
    for meta in [notebook.metadata.get("papermill", {})] + [c.metadata.get("papermill", {}) for c in notebook.cells]:
        for key in VOLATILE_METADATA:
            meta.pop(key, None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "cel-parameters-ingevuld"  # Papermill gives it a random id
    nbformat.write(notebook, path)
