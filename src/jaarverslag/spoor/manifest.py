"""manifest.json: what produced a report, so an auditor can trace and re-check every figure."""

from __future__ import annotations

import json
import os
import subprocess
from importlib import metadata
from pathlib import Path

from jaarverslag import bundel, paths
from jaarverslag.errors import ParameterFout
from jaarverslag.invoer import duoherkomst, huisstijl, redactie, uitgaven
from jaarverslag.invoer.definitie import bestanden, input_files
from jaarverslag.invoer.params import check_names, params_path, regio_leden
from jaarverslag.invoer.schema import eigen_schema

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
    "docxtpl",
    "python-docx",
)
OUTPUTS = bundel.UITVOER


def input_paths(gemeente: str, schooljaar: str) -> list[Path]:
    """Every file a report depends on, relative order fixed."""
    fixed = [
        paths.SCHEMA_FILE,
        eigen_schema(gemeente),  # the gemeente's own tables, if any
        *bestanden(gemeente),
        params_path(gemeente, schooljaar),
        *redactie.bestanden(gemeente, schooljaar),  # the voorwoord, the stories and their photos
        *huisstijl.bestanden(gemeente),  # logo, colours and font
        paths.ROOT / "requirements.lock",
        paths.DATA / "raadsmededeling.yaml",
        paths.DATA / gemeente / "raadsmededeling.docx",  # the gemeente's own Word template, if any
    ]
    globbed = [
        *sorted(paths.NOTEBOOKS.glob("*.ipynb")),
        *sorted(paths.EXPECTATIONS.glob("*.json")),
        *sorted(p for p in paths.TEMPLATES.rglob("*") if p.is_file() and paths.OPZET not in p.parts),
        *sorted((paths.ROOT / "src" / "jaarverslag").rglob("*.py")),
    ]

    members = regio_leden(gemeente, schooljaar)  # a region's report reads every gemeente's files
    tables = [p for g in members for p in input_files(g, gemeente)] if members else input_files(gemeente)
    counted = [duoherkomst.pad(g) for g in members or [gemeente] if duoherkomst.pad(g).exists()]  # the DUO trail
    return [*tables, *counted, *fixed, *globbed]


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


def build_manifest(
    folder: Path, params: dict, summary: dict, validated: dict[str, str] | None = None, extra: dict | None = None
) -> dict:
    """The manifest; data and params files carry the sha256 of the bytes that were validated.
    `extra`: the edition (its date and the one it replaces) and the key findings."""
    gemeente, schooljaar = params["gemeente"], params["schooljaar"]
    validated = validated or {}
    return {
        "gemeente": gemeente,
        "schooljaar": schooljaar,
        "status": params["status"],
        "parameters": params,
        "invoer": {
            paths.relative(p): validated.get(paths.relative(p)) or paths.sha256(p)
            for p in input_paths(gemeente, schooljaar)
            if p.exists()
        },
        "uitvoer": {name: paths.sha256(folder / name) for name in OUTPUTS if (folder / name).exists()},
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
        **(extra or {}),
    }


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def write(
    folder: Path, params: dict, summary: dict, validated: dict[str, str] | None = None, extra: dict | None = None
) -> Path:
    target = folder / bundel.MANIFEST
    write_json(target, build_manifest(folder, params, summary, validated, extra))
    return target


def report_dir(gemeente: str, schooljaar: str) -> Path:
    return paths.REPORTS / gemeente / schooljaar


def status(folder: Path) -> str:
    """The status the manifest records (concept or vastgesteld); '–' when there is no report (yet)."""
    try:
        recorded = json.loads(bundel.manifest_pad(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "–"
    value = recorded.get("status") if isinstance(recorded, dict) else None
    return value if value in ("concept", "vastgesteld") else "–"


def is_current(gemeente: str, schooljaar: str) -> bool:
    """True when the report exists and neither its inputs nor its outputs changed since."""
    folder = report_dir(gemeente, schooljaar)
    return folder.is_dir() and not verify(folder)


def verify(folder: Path) -> list[str]:
    """Compare a report folder with its manifest and with the current inputs.

    Returns one Dutch line per file that differs (empty when everything matches).
    """
    path = folder / bundel.MANIFEST
    if not path.exists():
        return [f"{paths.relative(path)} ontbreekt: dit is geen volledig verslag."]
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        inputs, outputs = recorded["invoer"], recorded["uitvoer"]
        if not isinstance(inputs, dict) or not isinstance(outputs, dict):
            raise TypeError("invoer and uitvoer must map names to sha256")
        gemeente, schooljaar = check_names(recorded["gemeente"], recorded["schooljaar"])
        names = [*inputs, *outputs]
        if not all(isinstance(n, str) and _inside(paths.ROOT / n) for n in names):
            raise ValueError("a name points outside the project")
    except (ValueError, KeyError, TypeError, AttributeError, ParameterFout):
        return [f"{paths.relative(path)} is beschadigd (het is geen manifest zoals de build het schrijft)."]
    problems = [_compare(paths.ROOT / name, digest, "invoer") for name, digest in inputs.items()]
    problems += [_compare(folder / name, digest, "uitvoer") for name, digest in outputs.items()]
    current = {paths.relative(p) for p in input_paths(gemeente, schooljaar) if p.exists()}
    problems += [f"invoer {name} is nieuw sinds dit verslag." for name in sorted(current - set(inputs))]
    problems += [p for edition in uitgaven.eerdere(folder) for p in _verify_edition(edition)]
    problems += uitgaven.ontbrekend(folder)
    return [p for p in problems if p]


def _verify_edition(edition: uitgaven.Uitgave) -> list[str]:
    """An earlier edition: each of its files still as its own manifest recorded them (its inputs
    were those of its date; they have changed since, which is why it is an earlier edition)."""
    outputs = edition.manifest.get("uitvoer")
    if (
        not isinstance(outputs, dict)
        or not outputs
        or not (set(outputs) <= set(OUTPUTS) or set(outputs) <= set(bundel.OUDE_INDELING))
    ):
        return [f"{paths.relative(bundel.manifest_pad(edition.map))} is beschadigd."]
    problems = [_compare(edition.map / name, digest, "uitvoer") for name, digest in outputs.items()]
    return [f"uitgave {edition.datum}: {p}" for p in problems if p]


def _inside(path: Path) -> bool:
    return Path(os.path.normpath(path)).is_relative_to(paths.ROOT)


def _compare(path: Path, digest: str, kind: str) -> str | None:
    if not path.exists():
        return f"{kind} {paths.relative(path)} ontbreekt."
    if paths.sha256(path) != digest:
        return f"{kind} {paths.relative(path)} is gewijzigd (sha256 klopt niet met het manifest)."
    return None
