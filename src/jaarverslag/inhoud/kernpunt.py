"""A key finding as the rules make it and the college's message joins it (findings.py, uitkomsten.py,
boodschap.py): its sentence, the rule in words, every figure with its cell, and its place in the ranking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from jaarverslag.formatting import getal
from jaarverslag.inhoud.herkomst import Herleiding
from jaarverslag.invoer.schema import status_van


@dataclass(frozen=True)
class Kernpunt:
    """A key finding: its sentence, the rule that made it, and the figures it compared."""

    tekst: str
    regel: str  # the rule in words, with its table and column
    cijfers: tuple[tuple[str, str, Herleiding | None], ...]  # (what, as printed, derivation)
    gewicht: float = 0.0  # how notable (see the docstring of findings.py)
    tabel: str = ""
    kolom: str = ""
    richting: str = ""  # omhoog, omlaag or gelijk (a trend); hoger, lager or gelijk (against Nederland)
    grond: tuple[Herleiding | None, ...] = ()  # cells its wording rests on beyond its figures ('opnieuw', a record)
    sectie: str = ""  # the section of the report definition whose rule made it
    thema: str = ""  # its topic: findings on one topic make one point (boodschap.py)
    regelgewicht: float = 1.0  # the rule's weight in the definition
    bijzaak: bool = False  # nothing changed, or a change on a small base: ranks below the others
    delen: tuple[Kernpunt, ...] = ()  # a point: the findings it joins (boodschap.py)
    keuze: str = "regels"  # a memo point: chosen by the rules, or by params (raadsmededeling.punten)
    toevoeging: str = ""  # a memo point: the college's own sentence from params
    herhaalbaar: tuple[str, ...] = ()  # phrases a point joining it says once ('opnieuw ', a record)

    def __str__(self) -> str:
        return self.tekst

    @property
    def sleutel(self) -> str:
        """Which topic, or which rule about which figure: the same point in another edition of the report."""
        return self.thema or f"{self.regel.split(':', 1)[0]}, {self.cijfers[0][0] if self.cijfers else ''}"

    def over(self, tabel: str, kolommen) -> bool:
        """Whether the point says something about one of these columns of this table."""
        return any(d.tabel == tabel and d.kolom in kolommen for d in self.delen or (self,))

    @property
    def status(self) -> str:
        """As final as the least final figure it compares."""
        cells = [h for _, _, h in self.cijfers] + list(self.grond)
        return status_van(*(h.status for h in cells if h is not None))


Zoeker = Callable[[str, str, str], "Herleiding | None"]  # (tabel, schooljaar, kolom) -> source


def geen_bron(tabel: str, schooljaar: str, kolom: str) -> None:
    return None


def plaatsregel(rule) -> str:
    """The rule's place in the ranking, as the trail states it."""
    return (
        f"thema {rule.thema or rule.kolom}, regelgewicht {getal(rule.gewicht, 1)}, "
        f"minimum {getal(rule.minimum)} (verslagdefinitie, sectie {rule.sectie or '–'})"
    )


def geplaatst(kernpunt: Kernpunt, rule, bijzaak: bool) -> Kernpunt:
    """A finding with its rule's section, topic and weight (see boodschap.py)."""
    return replace(
        kernpunt, sectie=rule.sectie, thema=rule.thema or rule.kolom, regelgewicht=rule.gewicht, bijzaak=bijzaak
    )
