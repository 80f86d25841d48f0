"""Project paths, anchored at the project root and never at the current directory."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    override = os.environ.get("JAARVERSLAG_ROOT")
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "notebooks").is_dir():
            return parent
    return Path.cwd().resolve()


ROOT = _find_root()
DATA = ROOT / "data"
PARAMS = ROOT / "params"
NOTEBOOKS = ROOT / "notebooks"
EXPECTATIONS = ROOT / "expectations"
REPORTS = ROOT / "reports"
TEMPLATES = ROOT / "templates"
SCHEMA_FILE = DATA / "schema.yaml"


def relative(path: Path) -> str:
    """Show a path relative to the project root when it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
