"""Project paths, anchored at the project root and never at the current directory.

The root is the folder with pyproject.toml and notebooks/ above this package, or the
folder in JAARVERSLAG_ROOT (tests build in a copy of the project that way; the kernel
that executes the notebook inherits the variable).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT_VARIABLE = "JAARVERSLAG_ROOT"
OPZET = "nieuwe-gemeente"  # the folder in templates/ of the files a new gemeente starts with (no report reads it)


def _find_root() -> Path:
    override = os.environ.get(ROOT_VARIABLE)
    if override:
        return Path(override).resolve()
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").exists() and (parent / "notebooks").is_dir():
            return parent
    raise RuntimeError(f"Projectmap niet gevonden; zet {ROOT_VARIABLE} op de map met pyproject.toml.")


def set_root(root: Path) -> None:
    """Point every path (and child processes such as the kernel) at another project folder."""
    global ROOT, DATA, PARAMS, NOTEBOOKS, EXPECTATIONS, REPORTS, TEMPLATES, SCHEMA_FILE
    ROOT = Path(root).resolve()
    os.environ[ROOT_VARIABLE] = str(ROOT)
    DATA = ROOT / "data"
    PARAMS = ROOT / "params"
    NOTEBOOKS = ROOT / "notebooks"
    EXPECTATIONS = ROOT / "expectations"
    REPORTS = ROOT / "reports"
    TEMPLATES = ROOT / "templates"
    SCHEMA_FILE = DATA / "schema.yaml"


ROOT = DATA = PARAMS = NOTEBOOKS = EXPECTATIONS = REPORTS = TEMPLATES = SCHEMA_FILE = Path()
set_root(_find_root())


def relative(path: Path) -> str:
    """Show a path relative to the project root when it lies inside it: by the name the analyst
    gave it (a link by its own name, not its target's), else by where it really is."""
    plain = Path(os.path.normpath(Path(path).absolute()))
    if plain.is_relative_to(ROOT):
        return str(plain.relative_to(ROOT))
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except (ValueError, RuntimeError, OSError):  # outside the root, or a symlink loop
        return str(path)


def not_a_plain_file(path: Path) -> str | None:
    """Why `path` must not be read as an input (a Dutch reason), or None when it is a plain file.

    A FIFO would block the read forever, and a link out of the project would quote another
    file (say /etc/passwd) in our messages.
    """
    try:
        mode = path.stat().st_mode
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "het bestand is niet te openen (een verwijzing naar niets, of een kringverwijzing)."
    if not stat.S_ISREG(mode):
        return "dit is geen gewoon bestand (een map, een pipe of een apparaat)."
    if path.is_symlink() and not target.is_relative_to(ROOT):
        return "dit is een verwijzing (symlink) naar een bestand buiten het project; zet het bestand zelf hier."
    return None


def sha256(path: Path) -> str:
    """The sha256 of a plain file; an OSError (naming the file) for anything else, never a hang."""
    why = not_a_plain_file(path)
    if why:
        raise OSError(errno.EINVAL, why, str(path))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def eens_per_inhoud(geheugen: dict, path: Path, beoordeel: Callable[[Path], object]):
    """beoordeel(path), once per content of the file in this process (the live preview and a test run
    check the same files again and again): kept in `geheugen` under the sha256 of its bytes, and only
    when they did not change while it ran. What raises is not kept; a file that cannot be hashed is
    judged every time."""
    try:
        digest = sha256(path)
    except OSError:
        return beoordeel(path)
    if digest not in geheugen:
        found = beoordeel(path)
        with suppress(OSError):
            if sha256(path) == digest:
                geheugen[digest] = found
        return found
    return geheugen[digest]


@contextmanager
def in_omgeving(naam: str, waarde: str) -> Iterator[None]:
    """An environment variable for this process and the processes it starts (the kernel), while the
    block runs; afterwards as it was."""
    before = os.environ.get(naam)
    os.environ[naam] = waarde
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(naam, None)
        else:
            os.environ[naam] = before
