"""The kinds of findings rule a report definition names (trend, aantal, landelijk, aandeel, bereik):
what each rule says, not how it is applied (findings.py, uitkomsten.py). No pandas, so that reading
the definition stays light.

Every rule also carries how a college weighs it (`Plaats`): its topic (`thema`: findings on one topic
make one point), its weight, the minimum base under which a change is a change on a small base,
and the section it belongs to (set when the definition is read)."""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_BASIS = 10  # default minimum base: a change from fewer than this ranks below one from more


@dataclass(frozen=True, kw_only=True)
class Plaats:
    sectie: str = ""  # the section of the report definition that holds the rule
    thema: str = ""  # the topic: rules with the same thema make one point (default: the rule's column)
    gewicht: float = 1.0  # how much a college weighs this rule within its chapter
    minimum: float = MIN_BASIS  # a change from a figure below this is a change on a small base


@dataclass(frozen=True)
class Trend(Plaats):
    tabel: str
    kolom: str
    onderwerp: str  # subject of the clause, e.g. "het aantal meldingen van wettelijk verzuim"
    omhoog: str = "gestegen"
    omlaag: str = "gedaald"
    decimalen: int = 0
    procent: bool = False  # the figure itself is a percentage
    eenheid: str = ""  # words after the figures: "van 27,5 naar 30,9 meldingen per 1.000 leerplichtigen"
    correctie: str = ""  # a column with the corrected or analysed figure of the same measure
    correctiezin: str = ""  # how the point names it, with {n}: "na analyse ging het om {n} kinderen"


@dataclass(frozen=True)
class Aantal(Plaats):
    """The volume of an activity: "leerplichtambtenaren {n} preventieve verzuimgesprekken voerden"."""

    tabel: str
    kolom: str
    zin: str  # with {n}: e.g. "er {n} preventieve verzuimgesprekken (BAS) werden gevoerd"


@dataclass(frozen=True)
class Landelijk(Plaats):
    tabel: str
    kolom: str
    kolom_landelijk: str
    onderwerp: str


@dataclass(frozen=True)
class Aandeel(Plaats):
    """An outcome share of the reported year: "de meesten van hen ({p}) nog in het mbo zitten"."""

    tabel: str
    kolom: str  # a percentage column
    zin: str  # with {p}: said of any share
    meerderheid: str = ""  # with {p}: said instead when the share is more than half


@dataclass(frozen=True)
class Bereik(Plaats):
    """The results of outreach: how many were brought into view, and where they went."""

    tabel: str
    kolom: str  # the total
    zin: str  # with {n}: "het jongerenwerk met huisbezoeken {n} jongeren in beeld bracht"
    uitkomsten: tuple[tuple[str, str], ...] = field(default=())  # (column, words): "aan het werk"
