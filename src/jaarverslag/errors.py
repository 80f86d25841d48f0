"""Errors an analyst can cause, with Dutch messages that name file, column and row."""

from __future__ import annotations

from dataclasses import dataclass


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
            plaats.append(f"kolom '{self.kolom}'")
        if self.rij is not None:
            plaats.append(f"rij {self.rij}")
        return f"{', '.join(plaats)}: {self.tekst}"


class JaarverslagFout(Exception):
    """Base class: a failure with a message meant for the analyst (Dutch)."""


class InvoerFout(JaarverslagFout):
    """One or more problems in the input tables."""

    def __init__(self, meldingen: list[Melding]):
        self.meldingen = list(meldingen)
        regels = "\n".join(f"  - {m}" for m in self.meldingen)
        super().__init__(f"De invoergegevens kloppen niet:\n{regels}")


class ParameterFout(JaarverslagFout):
    """The params file is missing or wrong."""


class ValidatieFout(JaarverslagFout):
    """A blocking validation finding: the report cannot be trusted."""


class BouwFout(JaarverslagFout):
    """Executing or rendering the report failed."""
