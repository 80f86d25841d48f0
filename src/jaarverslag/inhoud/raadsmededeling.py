"""The college's memo to the raad (the raadsmededeling), with the report as its bijlage.

Its fixed texts come from params (`raadsmededeling:`), else from data/raadsmededeling.yaml;
its points under "Het valt op dat in het schooljaar ...:" are the report's ranked key findings,
the same sentences and figures as the appendix, worded as a list in a memo. Every number in it
is traced (spoor/memospoor.py); the Word file is a view of this model (weergave/memo.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from jaarverslag import paths
from jaarverslag.inhoud import boodschap, voorlopig
from jaarverslag.inhoud.celtekst import opsomming
from jaarverslag.inhoud.findings import Kernpunt, datum_nl
from jaarverslag.invoer import memoteksten
from jaarverslag.invoer.params import params_path

TEKSTEN = memoteksten.TEKSTEN


@dataclass(frozen=True)
class Tekst:
    """A fixed text of the memo, filled in, and where it was written (for the trail)."""

    sleutel: str  # its key, e.g. 'kader' (a list's items share it)
    tekst: str
    bron: str  # the params file or data/raadsmededeling.yaml, relative
    geschreven: str  # as written there, before {schooljaar} and the others are filled in


@dataclass(frozen=True)
class Memo:
    """Everything the raadsmededeling says, in its order."""

    gemeentenaam: str
    wie: str  # 'de gemeente' and its name, or the region with its gemeenten
    schooljaar: str
    datum: str  # as printed: '1 juni 2024'
    auteur: str
    status: str  # concept | vastgesteld
    teksten: dict[str, tuple[Tekst, ...]]  # key -> its text, or its items (besluit, kader)
    punten: tuple[Kernpunt, ...]  # the report's points as the memo tells them (boodschap.kies)
    bijlage_titel: str
    bijlage_bestand: str

    @property
    def valt_op(self) -> str:
        """The line above the points; empty when the report has none (it would end in a colon and nothing)."""
        return f"Het valt op dat in het schooljaar {self.schooljaar}:" if self.punten else ""

    def tekst(self, key: str) -> str:
        return self.teksten[key][0].tekst

    def lijst(self, key: str) -> list[str]:
        return [t.tekst for t in self.teksten[key]]

    @property
    def puntzinnen(self) -> list[str]:
        """The findings as the items of a Dutch list after a colon: ';' after each, '.' after the last."""
        return [p.tekst + (";" if i < len(self.punten) - 1 else ".") for i, p in enumerate(self.punten)]


def maak(rapport) -> Memo:
    """The memo of a report: its texts from params over the project's, its points the top findings."""
    params = rapport.params
    own = params["raadsmededeling"]
    where = _waar(params)
    standaard = memoteksten.standaardteksten()
    wie = _wie(rapport)
    fields = {"gemeentenaam": params["gemeentenaam"], "schooljaar": params["schooljaar"], "wie": wie}
    fields["titel"] = params["titel"]
    teksten = {}
    for key in TEKSTEN:
        value, bron = (own[key], where) if key in own else (getattr(standaard, key), paths.relative(memoteksten.pad()))
        items = value if isinstance(value, list) else [value]
        teksten[key] = tuple(Tekst(key, _gevouwen(item.format(**fields)), bron, item) for item in items)
    aantal = own.get("aantal_punten") or standaard.aantal_punten
    marks = voorlopig.merkzin(rapport)
    return Memo(
        params["gemeentenaam"],
        wie,
        params["schooljaar"],
        datum_nl(params["datum"]),
        params["auteur"],
        params["status"],
        teksten,
        tuple(_punten(rapport, own.get("punten") or [], aantal, where)),
        f"{params['titel']} {params['gemeentenaam']} {params['schooljaar']}"
        + (f" (voorlopige uitgave: {marks})" if marks else ""),
        "jaarverslag.pdf",
    )


def _punten(rapport, keuzes: list[dict], aantal: int, where: str) -> list[Kernpunt]:
    """The report's points as the memo tells them: the rules' choice, or the college's (boodschap.kies)."""
    return boodschap.kies(rapport.kernpunt_lijst(), keuzes, aantal, rapport.verslagdefinitie, where)


def controleer_punten(rapport) -> None:
    """Refuse unknown keys in params `raadsmededeling.punten`, with the keys of this year's points:
    where the model is built (the notebook's first cell, the live preview)."""
    keuzes = rapport.params["raadsmededeling"].get("punten") or []
    if keuzes:
        boodschap.controleer(rapport.kernpunt_lijst(), keuzes, _waar(rapport.params))


def _waar(params: dict) -> str:
    return paths.relative(params_path(params["gemeente"], params["schooljaar"]))


def _wie(rapport) -> str:
    """'de gemeente <naam>', or 'de regio <naam> (de gemeenten A, B en C)'."""
    naam = rapport.params["gemeentenaam"]
    if rapport.regio:
        eigen = naam[len("regio ") :] if naam.lower().startswith("regio ") else naam
        return f"de regio {eigen} (de gemeenten {opsomming(list(rapport.regio.namen.values()))})"
    return f"de gemeente {naam}"


def _gevouwen(text: str) -> str:
    """A text as one paragraph per blank-line-separated block: the line breaks of a YAML block
    (`|`) are the writer's, not the memo's; Word gets a line break only between blocks."""
    blocks = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "\n".join(b for b in blocks if b)
