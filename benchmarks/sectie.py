"""One section of benchmarks/results.md per benchmark, between its own markers, so that each
benchmark rewrites its figures and leaves the others' as they are."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"


def schrijf(naam: str, tekst: str) -> None:
    """Put `tekst` in the section `naam` of results.md (replacing it, or at the end)."""
    begin, einde = f"<!-- {naam}: begin -->", f"<!-- {naam}: einde -->"
    section = f"{begin}\n{tekst.strip()}\n{einde}"
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if begin in current:
        current = re.sub(re.escape(begin) + ".*?" + re.escape(einde), lambda _: section, current, flags=re.S)
    else:
        current = current.rstrip("\n") + ("\n\n" if current else "") + section + "\n"
    RESULTS.write_text(current, encoding="utf-8")
