"""Put a finished report in place so that a report is visible at every instant.

A build writes into a staging folder next to the report. Publishing swaps the two
folders in one atomic step (Linux renameat2 RENAME_EXCHANGE, macOS renamex_np
RENAME_SWAP): at no moment is there no report. Where the file system cannot swap, the
old folder is renamed aside, the new one moved in, and the old one put back if that
fails; `recover` repairs what a machine that stopped in between left behind.

The report's lock lives here too: one build of a report at a time, and no lock file
left behind.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

from jaarverslag import paths
from jaarverslag.errors import OS_REASONS, BouwFout, mapfout

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h
RENAME_SWAP = 2  # macOS sys/stdio.h
UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV}


class SwapUnsupported(OSError):
    """This system or file system cannot exchange two folders atomically."""


def staging_dir(target: Path) -> Path:
    return target.with_name(f".{target.name}.bouw")


def aside_dir(target: Path) -> Path:
    return target.with_name(f".{target.name}.oud")


def swap(a: Path, b: Path) -> None:
    """Exchange two existing folders atomically, or raise SwapUnsupported."""
    libc = ctypes.CDLL(None, use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(os.fsencode(a), os.fsencode(b), RENAME_SWAP)
    else:
        raise SwapUnsupported(errno.ENOSYS, "atomisch wisselen van mappen kan hier niet", str(a))
    if result != 0:
        code = ctypes.get_errno()
        kind = SwapUnsupported if code in UNSUPPORTED else OSError
        raise kind(code, os.strerror(code), str(a), None, str(b))


def publish(staging: Path, target: Path) -> str | None:
    """Make `staging` the report at `target`; the previous report stays visible until then.

    Returns a Dutch warning when the previous report could not be cleared away afterwards
    (the new one is in place; the next build tries again and names what blocks it).
    """
    if not target.exists():
        os.rename(staging, target)
        return None
    try:
        swap(staging, target)
    except SwapUnsupported:
        _publish_by_renames(staging, target)
        return None
    try:
        remove_tree(staging)  # now holds the previous report
    except OSError as exc:
        reason = OS_REASONS.get(exc.errno, exc.strerror)
        return f"het vorige verslag in {paths.relative(exc.filename)} kon niet worden opgeruimd: {reason}."
    return None


def _publish_by_renames(staging: Path, target: Path) -> None:
    aside = aside_dir(target)
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def recover(target: Path) -> None:
    """Repair what an interrupted build left: put an old report back, drop a stale staging folder."""
    aside = aside_dir(target)
    if aside.exists():
        if target.exists():
            remove_tree(aside)
        else:
            os.rename(aside, target)
    if staging_dir(target).exists():
        remove_tree(staging_dir(target))


def remove_tree(folder: Path) -> None:
    """shutil.rmtree, but a file that cannot be removed is named by its full path."""

    def fail(function, name, exc_info):
        error = exc_info[1]
        raise OSError(getattr(error, "errno", None), getattr(error, "strerror", None) or str(error), name) from error

    shutil.rmtree(folder, onerror=fail)


@contextmanager
def lock(target: Path, what: str):
    """Hold the report's lock (a second build stops at once); the lock file goes when done.

    A folder that cannot be changed is named as the cause, with what the build does there; and
    removing the lock file never hides the error that stopped the build."""
    path = target.with_name(f".{target.name}.lock")
    try:
        handle = _take(path, what)
    except OSError as exc:
        raise mapfout(exc, _nearest_folder(path.parent), waarom_de_map(target)) from exc
    try:
        yield
    except BaseException:
        _release(handle, path)
        raise
    try:
        _release(handle, path, stil=False)
    except OSError as exc:
        raise mapfout(exc, path.parent, f"Het slotbestand {path.name} kon er niet worden opgeruimd.") from exc


def waarom_de_map(target: Path) -> str:
    """What a build does in the folder of a report (Dutch), for a message about that folder."""
    return (
        f"De build zet daar een slotbestand (.{target.name}.lock) en wisselt daar het nieuwe verslag "
        f"({staging_dir(target).name}) met het vorige ({target.name}); het vorige verslag is niet aangeraakt."
    )


def _nearest_folder(folder: Path) -> Path:
    """The folder itself, or the nearest one above it that exists (the one that could not be changed)."""
    return next((p for p in (folder, *folder.parents) if p.is_dir()), folder)


def _take(path: Path, what: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        handle = open(path, "w")  # noqa: SIM115 - closed in _release, after the lock file is removed
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise BouwFout(f"Er loopt al een build van {what}. Wacht tot die klaar is en probeer het opnieuw.") from exc
        if _same_file(handle, path):
            return handle
        handle.close()  # another build removed the file between our open and our lock: retry


def _release(handle, path: Path, stil: bool = True) -> None:
    """Remove the lock file and let go; with `stil`, a lock file that cannot be removed stays quietly
    (the error that stopped the build is the one to report)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        if not stil:
            raise
    finally:
        handle.close()


def _same_file(handle, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except FileNotFoundError:
        return False
