"""Editions of a report: the same gemeente and school year published again.

An edition is known by its date (params `datum`). Building a report with a new date makes a
new edition: the current one moves, unchanged, to reports/<gemeente>/<schooljaar>/uitgaven/<datum>/
with its own manifest, and the new one takes its place (links keep working). Building with the
same date replaces the current edition, as a rebuild always did. The manifest records the
edition and the one it replaces; `verify` checks every earlier edition's files against its own
manifest (its inputs were those of its date, so only its outputs are compared).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from jaarverslag import bundel, paths

MAP = "uitgaven"
VERWIJDERD = "verwijderd.json"  # in uitgaven/: the dates of editions removed on purpose (uitgave-verwijderen)


@dataclass(frozen=True)
class Uitgave:
    """One published edition: its date, its folder and what its manifest says."""

    datum: str
    map: Path
    manifest: dict

    @property
    def vervangt(self) -> str | None:
        return (self.manifest.get("uitgave") or {}).get("vervangt")


def lees(folder: Path) -> Uitgave | None:
    """The edition in a report folder, or None when there is none (or no readable manifest)."""
    try:
        recorded = json.loads(bundel.manifest_pad(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(recorded, dict):
        return None
    datum = (recorded.get("uitgave") or {}).get("datum") or (recorded.get("parameters") or {}).get("datum")
    return Uitgave(str(datum), folder, recorded) if datum else None


def vorige(target: Path, datum: str) -> Uitgave | None:
    """The edition that an edition of `datum` at `target` replaces: the current one when its date
    differs; for a rebuild of the current edition, the one that edition replaced."""
    current = lees(target)
    if current is None:
        return None
    if current.datum != datum:
        return current
    return lees(target / MAP / current.vervangt) if current.vervangt else None


def eerdere(target: Path) -> list[Uitgave]:
    """Every earlier edition kept under uitgaven/, oldest first."""
    folder = target / MAP
    found = (lees(p) for p in sorted(folder.iterdir()) if p.is_dir()) if folder.is_dir() else ()
    return [u for u in found if u is not None]


def controleer_datum(target: Path, datum: str) -> str | None:
    """Why an edition of `datum` cannot be published at `target` (Dutch), or None: a new edition
    comes after the current one, and no two editions share a date."""
    current = lees(target)
    if current is None or current.datum == datum:
        return None
    if datum < current.datum:
        return (
            f"de datum {datum} ligt vóór die van de huidige uitgave ({current.datum}); een nieuwe uitgave "
            f"komt erna. Geef een latere datum, of {current.datum} om de huidige uitgave opnieuw te maken."
        )
    if any(u.datum == datum for u in eerdere(target)):
        return f"er is al een uitgave van {datum} (in {relatief(current)}/{MAP}/); geef een andere datum."
    return None


def verwijderd(target: Path) -> list[str]:
    """The dates of the earlier editions removed with `uitgave-verwijderen`."""
    try:
        dates = json.loads((target / MAP / VERWIJDERD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(d) for d in dates] if isinstance(dates, list) else []


def noteer_verwijderd(target: Path, datum: str) -> None:
    """Record that the earlier edition of `datum` is removed on purpose (before it goes)."""
    dates = sorted({*verwijderd(target), datum})
    record = target / MAP / VERWIJDERD
    staged = record.with_name(f".{VERWIJDERD}.nieuw")
    staged.write_text(json.dumps(dates, indent=2) + "\n", encoding="utf-8")
    staged.replace(record)


def ontbrekend(folder: Path) -> list[str]:
    """What `verify` reports about the earlier editions: a folder without a readable manifest, and
    every edition the chain of `vervangt` names that is not kept (unless it was removed on purpose)."""
    problems = [
        f"{paths.relative(bundel.manifest_pad(p))} ontbreekt of is beschadigd: deze uitgave is niet meer te controleren."
        for p in (sorted((folder / MAP).iterdir()) if (folder / MAP).is_dir() else ())
        if p.is_dir() and lees(p) is None
    ]
    seen, edition = set(verwijderd(folder)), lees(folder)
    while edition is not None and edition.vervangt and edition.vervangt not in seen:
        seen.add(edition.vervangt)
        earlier = lees(folder / MAP / edition.vervangt)
        if earlier is None:
            problems.append(
                f"de uitgave van {edition.vervangt}, die de uitgave van {edition.datum} vervangt, ontbreekt in "
                f"{paths.relative(folder / MAP)}/."
            )
        edition = earlier
    return list(dict.fromkeys(problems))


def bewaar(target: Path, staging: Path, datum: str) -> dict:
    """Put the earlier editions in the staging folder of the new one (copies, byte for byte), the
    current edition among them when this is a new edition; return the manifest's `uitgave`."""
    previous = vorige(target, datum)
    if (target / MAP).is_dir():
        shutil.copytree(target / MAP, staging / MAP, symlinks=True)
    current = lees(target)
    if current is not None and current.datum != datum:
        ignore = shutil.ignore_patterns(MAP)
        shutil.copytree(target, staging / MAP / current.datum, symlinks=True, ignore=ignore)
    return {"datum": datum, "vervangt": previous.datum if previous else None}


def relatief(uitgave: Uitgave) -> str:
    return paths.relative(uitgave.map)
