"""The validation result in a report folder: validatie.json for machines, validatie.html for auditors."""

from __future__ import annotations

import json
from pathlib import Path

from jaarverslag.weergave.html import sjabloon


def schrijf(summary: dict, folder: Path) -> None:
    """validatie.json (machine-readable) and validatie.html (for auditors) in a report folder."""
    (folder / "validatie.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    (folder / "validatie.html").write_text(html(summary), encoding="utf-8")


def html(summary: dict) -> str:
    """validatie.html (templates/verslag/validatie.html.j2), ending in a line end like any text file."""
    return sjabloon("validatie.html.j2", s=summary) + "\n"
