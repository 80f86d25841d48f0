"""What `make clean` may remove from reports/, and the one explicit way to remove an edition.

Editions are an archive, not build output: a report folder that holds a published edition, and
every edition under its uitgaven/, is kept. What goes is what a build leaves when it is stopped
or fails: a `<schooljaar>.mislukt` folder, a staging folder, a report set aside during a swap
(put back when the report itself is missing), and a lock file that no build holds. Anything
else under reports/ stays.

`verwijder_uitgave` removes one edition that the analyst names, only with `ja=True`.
"""

from __future__ import annotations

import fcntl
from dataclasses import dataclass, field
from pathlib import Path

from jaarverslag import paths
from jaarverslag.bouw import publish
from jaarverslag.errors import ParameterFout
from jaarverslag.invoer import uitgaven

MISLUKT = ".mislukt"
SLOT = ".lock"
HOE_VERWIJDEREN = "Een uitgave verwijderen: jaarverslag uitgave-verwijderen GEMEENTE SCHOOLJAAR DATUM --ja"


@dataclass
class Opruiming:
    """What `opruimen` removed, put back and kept."""

    verwijderd: list[Path] = field(default_factory=list)
    teruggezet: list[Path] = field(default_factory=list)
    in_gebruik: list[Path] = field(default_factory=list)  # lock files a running build holds
    bewaard: dict[Path, list[str]] = field(default_factory=dict)  # report folder -> dates of its editions


def opruimen() -> Opruiming:
    """Remove the leftovers of builds under reports/; keep every edition."""
    done = Opruiming()
    for gemeente in _folders(paths.REPORTS):
        for entry in sorted(gemeente.iterdir()):
            _tidy(entry, done)
        for report in _folders(gemeente):
            dates = edities(report)
            if dates:
                done.bewaard[report] = dates
    return done


def edities(report: Path) -> list[str]:
    """The dates of every edition a report folder holds, oldest first: the earlier ones and the current."""
    current = uitgaven.lees(report)
    return [u.datum for u in uitgaven.eerdere(report)] + ([current.datum] if current else [])


def _folders(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))


def _tidy(entry: Path, done: Opruiming) -> None:
    name = entry.name
    if name.startswith(".") and name.endswith(SLOT) and entry.is_file():
        _remove_lock(entry, done)
    elif name.startswith(".") and (name.endswith(".bouw") or name.endswith(".oud")) and entry.is_dir():
        _recover(entry.with_name(name[1:].rsplit(".", 1)[0]), done)
    elif name.endswith(MISLUKT) and entry.is_dir() and not entry.is_symlink():
        publish.remove_tree(entry)
        done.verwijderd.append(entry)


def _recover(report: Path, done: Opruiming) -> None:
    """A staging folder goes; a report set aside comes back when the report itself is missing."""
    aside, staging = publish.aside_dir(report), publish.staging_dir(report)
    missing = aside.exists() and not report.exists()
    present = [p for p in (aside, staging) if p.exists()]
    publish.recover(report)
    if missing:
        done.teruggezet.append(report)
    done.verwijderd += [p for p in present if not p.exists()]


def _remove_lock(path: Path, done: Opruiming) -> None:
    with open(path, "a") as handle:  # noqa: PTH123 - the handle holds the lock while the file goes
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            done.in_gebruik.append(path)
            return
        path.unlink(missing_ok=True)
    done.verwijderd.append(path)


def verslag_opruiming(done: Opruiming) -> list[str]:
    """The Dutch lines `make clean` prints."""
    lines = [f"Verwijderd: {paths.relative(p)}" for p in done.verwijderd]
    lines += [f"Teruggezet (een build was gestopt tijdens het wisselen): {paths.relative(p)}" for p in done.teruggezet]
    lines += [f"Bewaard, een build loopt: {paths.relative(p)}" for p in done.in_gebruik]
    count = sum(len(d) for d in done.bewaard.values())
    if count:
        which = "; ".join(f"{paths.relative(r)}: {', '.join(d)}" for r, d in done.bewaard.items())
        lines.append(f"Bewaard: {count} {'uitgave' if count == 1 else 'uitgaven'} in reports/ ({which}).")
        lines.append(HOE_VERWIJDEREN)
    return lines


@dataclass(frozen=True)
class Verwijdering:
    """One edition to remove: what it is and what goes."""

    uitgave: uitgaven.Uitgave
    huidig: bool  # the current report folder itself (the only edition left)

    def beschrijving(self) -> str:
        what = "het hele verslag" if self.huidig else "de eerdere uitgave"
        return f"{what} {paths.relative(self.uitgave.map)} (uitgave van {self.uitgave.datum})"

    def gevolg(self, report: Path) -> str:
        """What else goes: the list of revisions that a later edition made against this one (Dutch, or '')."""
        later = [
            u for u in [*uitgaven.eerdere(report), uitgaven.lees(report)] if u and u.vervangt == self.uitgave.datum
        ]
        if self.huidig or not later:
            return ""
        return (
            f"Let op: de uitgave van {later[0].datum} noemt haar herzieningen ten opzichte van deze uitgave. "
            "Die lijst blijft staan in de bestanden die er nu zijn, maar een nieuwe build van het verslag kan "
            "hem niet meer maken: bewaar de uitgave als de raad moet blijven zien welke cijfers herzien zijn."
        )


def kies_uitgave(report: Path, datum: str) -> Verwijdering:
    """The edition of `datum` in a report folder, or a Dutch refusal that says what there is."""
    earlier = {u.datum: u for u in uitgaven.eerdere(report)}
    current = uitgaven.lees(report)
    if datum in earlier:
        return Verwijdering(earlier[datum], huidig=False)
    if current is not None and current.datum == datum:
        if earlier:
            raise ParameterFout(
                f"{paths.relative(report)}: de uitgave van {datum} is het huidige verslag en er zijn eerdere uitgaven "
                f"({', '.join(earlier)}). Het huidige verslag verwijderen kan alleen als het de enige uitgave is: "
                "verwijder eerst de eerdere, of maak het verslag opnieuw met een latere datum."
            )
        return Verwijdering(current, huidig=True)
    known = edities(report)
    there = f"er zijn uitgaven van {', '.join(known)}" if known else "er is daar nog geen uitgave"
    raise ParameterFout(f"{paths.relative(report)}: geen uitgave van {datum}; {there}.")


def verwijder_uitgave(report: Path, datum: str, what: str) -> Verwijdering:
    """Remove the edition of `datum`, holding the report's lock so that no build runs meanwhile.
    An earlier edition is recorded as removed, so that `verify` knows it is gone on purpose."""
    with publish.lock(report, what):
        chosen = kies_uitgave(report, datum)
        if chosen.huidig:
            publish.remove_tree(report)
        else:
            uitgaven.noteer_verwijderd(report, datum)
            publish.remove_tree(chosen.uitgave.map)
    return chosen
