"""manifest.json: what produced a report, so an auditor can trace and re-check every figure."""

from __future__ import annotations

import hashlib
import json
import subprocess
from importlib import metadata
from pathlib import Path

from . import paths
from .loading import input_files
from .params import params_path

PACKAGES = (
    "jaarverslag",
    "pandas",
    "numpy",
    "great-expectations",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "matplotlib",
    "seaborn",
    "weasyprint",
    "openpyxl",
    "pyyaml",
    "mistune",
)
OUTPUTS = ("jaarverslag.ipynb", "jaarverslag.html", "jaarverslag.pdf", "validatie.json", "validatie.html")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_paths(gemeente: str, schooljaar: str) -> list[Path]:
    """Every file a report depends on, relative order fixed."""
    fixed = [paths.SCHEMA_FILE, params_path(gemeente, schooljaar), paths.ROOT / "requirements.lock"]
    globbed = [
        *sorted(paths.NOTEBOOKS.glob("*.ipynb")),
        *sorted(paths.EXPECTATIONS.glob("*.json")),
        *sorted(p for p in paths.TEMPLATES.rglob("*") if p.is_file()),
    ]
    return [*input_files(gemeente), *fixed, *globbed]


def _git() -> dict:
    def run(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = run("rev-parse", "HEAD")
    status = run("status", "--porcelain", "--untracked-files=no", "--", ".", ":!reports")
    return {"commit": commit, "gewijzigd": bool(status) if status is not None else None}


def _versions() -> dict:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def build_manifest(folder: Path, params: dict, summary: dict) -> dict:
    gemeente, schooljaar = params["gemeente"], params["schooljaar"]
    return {
        "gemeente": gemeente,
        "schooljaar": schooljaar,
        "parameters": params,
        "invoer": {paths.relative(p): sha256(p) for p in input_paths(gemeente, schooljaar) if p.exists()},
        "uitvoer": {name: sha256(folder / name) for name in OUTPUTS if (folder / name).exists()},
        "pakketten": _versions(),
        "git": _git(),
        "validatie": {
            "geslaagd": summary["geslaagd"],
            "aantal_suites": summary["aantal_suites"],
            "aantal_controles": summary["aantal_controles"],
            "blokkerend": len(summary["blokkerend"]),
            "waarschuwingen": len(summary["waarschuwingen"]),
            "gx_versie": summary["gx_versie"],
        },
    }


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def write(folder: Path, params: dict, summary: dict) -> Path:
    target = folder / "manifest.json"
    write_json(target, build_manifest(folder, params, summary))
    return target
