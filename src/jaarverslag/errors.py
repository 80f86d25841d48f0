"""Errors an analyst can cause, with Dutch messages that name file, column and row."""

from __future__ import annotations

import errno
from dataclasses import dataclass

from jaarverslag import paths


@dataclass(frozen=True)
class Melding:
    """One problem found in an input file."""

    bestand: str
    tekst: str
    kolom: str | None = None
    rij: int | None = None

    def __str__(self) -> str:
        plaats = [self.bestand]
        if self.kolom is not None:
            plaats.append(f"kolom '{kort(self.kolom)}'")  # a header cell is input too
        if self.rij is not None:
            plaats.append(f"rij {self.rij}")
        return f"{', '.join(plaats)}: {self.tekst}"


class JaarverslagFout(Exception):
    """Base class: a failure with a message meant for the analyst (Dutch)."""


class InvoerFout(JaarverslagFout):
    """One or more problems in the input tables; the message shows the first few per file."""

    MAX_PER_BESTAND = 10

    def __init__(self, meldingen: list[Melding], waarschuwingen: list[str] = ()):
        self.meldingen = list(meldingen)
        self.waarschuwingen = list(waarschuwingen)  # not wrong, but worth knowing: listed after the errors
        per_file: dict[str, list[Melding]] = {}
        for melding in self.meldingen:
            per_file.setdefault(melding.bestand, []).append(melding)
        regels = []
        for bestand, found in per_file.items():
            regels += [f"  - {m}" for m in found[: self.MAX_PER_BESTAND]]
            if len(found) > self.MAX_PER_BESTAND:
                regels.append(f"  - {bestand}: en {len(found) - self.MAX_PER_BESTAND} meer melding(en).")
        if self.waarschuwingen:
            regels += ["Let op (geen fout, ter informatie):", *(f"  - {w}" for w in self.waarschuwingen)]
        super().__init__("De invoergegevens kloppen niet:\n" + "\n".join(regels))


class ParameterFout(JaarverslagFout):
    """The params file is missing or wrong."""


class ValidatieFout(JaarverslagFout):
    """A blocking validation finding: the report cannot be trusted."""


class BouwFout(JaarverslagFout):
    """Executing or rendering the report failed."""


class OmgevingsFout(JaarverslagFout):
    """The machine said no: a folder that cannot be written, a full disk, a missing program."""


MAX_SHOWN = 60  # characters of an input value that a message may quote


def kort(value, limit: int = MAX_SHOWN) -> str:
    """A value as a message may quote it: never longer than `limit` characters.

    Messages quote what the analyst typed; an input of megabytes (or a YAML alias bomb)
    must not turn into a message of megabytes. Containers are not expanded at all.
    """
    if isinstance(value, dict):
        return f"een blok van {len(value)} sleutel(s)"
    if isinstance(value, (list, tuple, set)):
        return f"een lijst van {len(value)} {'waarde' if len(value) == 1 else 'waarden'}"
    if isinstance(value, bool) or value is None:  # as YAML writes them, not as Python does
        return {True: "ja (true)", False: "nee (false)", None: "leeg"}[value]
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


OS_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quota) is op",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.EACCES: "geen toestemming (de map of het bestand is alleen-lezen of afgeschermd)",
    errno.EPERM: "niet toegestaan (de map of het bestand is beveiligd, bijvoorbeeld onveranderbaar gemaakt)",
    errno.ENOENT: "het bestand of de map bestaat niet",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENAMETOOLONG: "het pad is te lang",
}


def omgevingsfout(exc: OSError, doing: str, uitleg: str = "") -> OmgevingsFout:
    """A Dutch message for an operating-system error, naming the path and the reason (and, in
    `uitleg`, what the program needed that path for)."""
    reason = OS_REASONS.get(exc.errno, exc.strerror or "het besturingssysteem weigerde het")
    where = f" ({paths.relative(exc.filename)})" if exc.filename else ""
    return OmgevingsFout(f"{doing} lukte niet{where}: {reason}.{uitleg}")


def mapfout(exc: OSError, folder, doing: str) -> OmgevingsFout:
    """A folder that cannot be changed, named as the cause, with what the program was doing there."""
    reason = OS_REASONS.get(exc.errno, exc.strerror or "het besturingssysteem weigerde het")
    return OmgevingsFout(
        f"De map {paths.relative(folder)} kan niet worden gewijzigd: {reason}. {doing} "
        "Maak de map weer schrijfbaar en probeer het opnieuw."
    )


def onverwacht(doing: str, gevolg: str = "") -> str:
    """The message for a failure of the program itself: what failed, that the input is not to
    blame, and where the details are; never Python's own words (an exception's name or text)."""
    return (
        f"{doing} door een onverwachte fout in het programma, niet in de invoer.{gevolg} Draai dezelfde opdracht "
        "met 'jaarverslag --verbose' voor de details, en meld ze aan wie het project onderhoudt."
    )
