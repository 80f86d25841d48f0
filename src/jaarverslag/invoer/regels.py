"""The kinds of findings rule a report definition names (trend, aantal, landelijk): what each rule
says, not how it is applied (findings.py). No pandas, so that reading the definition stays light."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Trend:
    tabel: str
    kolom: str
    onderwerp: str  # subject of the clause, e.g. "het aantal meldingen van wettelijk verzuim"
    omhoog: str = "gestegen"
    omlaag: str = "gedaald"
    decimalen: int = 0
    procent: bool = False  # the figure itself is a percentage


@dataclass(frozen=True)
class Aantal:
    tabel: str
    kolom: str
    zin: str  # with {n}: e.g. "er {n} preventieve verzuimgesprekken (BAS) werden gevoerd"


@dataclass(frozen=True)
class Landelijk:
    tabel: str
    kolom: str
    kolom_landelijk: str
    onderwerp: str
