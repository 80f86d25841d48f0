"""Reuse a validation result when nothing it depends on has changed.

Great Expectations takes seconds (most of it its import), and after a text edit in params the
data are the same as in the last build. The result of a passing validation is kept under
reports/.validatie/, named by a sha256 over everything the validation reads: every input file
of the report except the params file, the templates and the notebook (the data, the schema and
definition, the suites, the package's code and requirements.lock), and the params that are not
text. A build whose key is found uses the kept result and says so in its manifest
(`validatie_hergebruikt`); `jaarverslag validate` always validates again. The kept result holds
aggregates and findings only, as validatie.json does: nothing personal.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from jaarverslag import paths
from jaarverslag.invoer import redactie
from jaarverslag.invoer.params import params_path
from jaarverslag.spoor.manifest import input_paths

MAP = ".validatie"
# Params that only change what is written, never what is validated.
TEKSTEN = frozenset({"teksten", "titel", "auteur", "datum", "status", "raadsmededeling", "kerncijfers"})


def _map() -> Path:
    return paths.REPORTS / MAP


def sleutel(params: dict) -> str:
    """The sha256 over what a validation of this report reads (see the module's docstring)."""
    own = params_path(params["gemeente"], params["schooljaar"])
    skip = {own, redactie.map_van(params["gemeente"], params["schooljaar"]), paths.NOTEBOOKS, paths.TEMPLATES}
    files = [p for p in input_paths(params["gemeente"], params["schooljaar"]) if p.exists() and not _under(p, skip)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{paths.relative(path)}\0{paths.sha256(path)}\n".encode())
    rest = {k: v for k, v in params.items() if k not in TEKSTEN}
    digest.update(json.dumps(rest, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _under(path: Path, skip: set[Path]) -> bool:
    return any(path == s or path.is_relative_to(s) for s in skip) or path.name == "raadsmededeling.docx"


def lees(key: str) -> dict | None:
    """The kept summary of a passing validation with this key, or None."""
    try:
        summary = json.loads((_map() / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) and summary.get("geslaagd") is True else None


def bewaar(key: str, summary: dict) -> None:
    """Keep a passing validation's summary (without the sha256 of the params, which it does not depend on)."""
    if not summary.get("geslaagd"):
        return
    _map().mkdir(parents=True, exist_ok=True)
    kept = {k: v for k, v in summary.items() if k != "invoer_sha256"}
    target = _map() / f"{key}.json"
    handle, part = tempfile.mkstemp(dir=_map(), prefix=key, suffix=".deel")  # its own, beside other builds
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps(kept, ensure_ascii=False))  # key order as validated
    os.replace(part, target)  # a reader never sees half a file
