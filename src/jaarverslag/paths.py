"""Project paths, anchored at the project root and never at the current directory.

The root is the folder with pyproject.toml and notebooks/ above this package, or the
folder in JAARVERSLAG_ROOT (tests build in a copy of the project that way; the kernel
that executes the notebook inherits the variable).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_VARIABLE = "JAARVERSLAG_ROOT"


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
    """Show a path relative to the project root when it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
