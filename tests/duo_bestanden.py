"""A generator of DUO-layout vsv files (NRSP and NenR) with made-up persons, for the tests.

The files look like DUO's: `;` as separator, a `#` before the first column name, CRLF line
ends, UTF-8, dates as dd-mm-jjjj, and DUO's names (NRSP2023V….csv). Every BSN and
onderwijsnummer fails the elfproef, so no real person's number is ever written. The
generator keeps its own tally of what each figure must be, and every personal value it
wrote, so that a test can look for them anywhere.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

NRSP_KOLOMMEN = (
    "BURGERSERVICENUMMER",
    "ONDERWIJSNUMMER",
    "GEBOORTEDATUM",
    "GESLACHT",
    "ACHTERNAAM",
    "VOORVOEGSEL",
    "VOORNAMEN",
    "POSTCODE_CIJFERS",
    "RMC_REGIO",
    "RMC_REGIO_NAAM",
    "GEMCODE",
    "GEMEENTENAAM",
    "BRIN",
    "VESTIGINGSNUMMER",
    "NIVEAU",
    "ONDERWIJSSOORT",
    "CREBO",
    "CREBO_OMSCHRIJVING",
)
NENR_KOLOMMEN = (*NRSP_KOLOMMEN, "EXAMEN", "IND_BEKOSTIGING")
# NIVEAU as DUO writes it -> (onderwijssoort, mbo_niveau) as the tables count it
NIVEAUS = {
    "VO onderbouw": ("vo", None),
    "VMBO bovenbouw": ("vo", None),
    "HAVO/VWO bovenbouw": ("vo", None),
    "VAVO": ("vavo", None),
    "Mbo1 opleidingen": ("mbo", "1"),
    "Mbo2 opleidingen": ("mbo", "2"),
    "Mbo3 opleidingen": ("mbo", "3"),
    "Mbo4 opleidingen": ("mbo", "4"),
}
GEMEENTEN = {"150": "Deventer", "193": "Zwolle", "1742": "Rijssen-Holten"}
LETTERS = "bcdfghjklmnpqrstvwxz"


def faalt_elfproef(digits: str) -> bool:
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 != 0


def nummer(rng: random.Random) -> str:
    """Nine digits that are not a valid BSN (they fail the elfproef)."""
    while True:
        digits = f"{rng.randrange(10**8, 10**9)}"
        if faalt_elfproef(digits):
            return digits


@dataclass(frozen=True)
class Persoon:
    bsn: str
    onderwijsnummer: str
    geboortedatum: str  # dd-mm-jjjj
    achternaam: str
    voorvoegsel: str
    voornamen: str
    postcode: str
    gemcode: str  # as written in the file (some with leading zeros)
    niveau: str  # as written in the file (some with odd spaces or case)
    onderwijssoort: str  # BOL, BBL, VO or VAVO
    vsv: bool

    @property
    def code(self) -> str:
        return str(int(self.gemcode.strip().upper().removeprefix("GM")))

    @property
    def indeling(self) -> tuple[str, str | None]:
        """(onderwijssoort, mbo_niveau) as the tables count this person."""
        if self.onderwijssoort == "VAVO":
            return "vavo", None
        return NIVEAUS[_declared(self.niveau)]

    def persoonlijk(self) -> list[str]:
        """Every personal value of this row, as it stands in the file."""
        surname = self.achternaam.split(";")[0]  # its made-up part
        return [self.bsn, self.onderwijsnummer, self.geboortedatum, surname, self.voornamen, self.postcode]


def _declared(niveau: str) -> str:
    wanted = " ".join(niveau.split()).casefold()
    return next(n for n in NIVEAUS if n.casefold() == wanted)


def _naam(rng: random.Random, start: str) -> str:
    """A made-up name that occurs nowhere else: a capital and seven letters."""
    return start + "".join(rng.choice(LETTERS) for _ in range(7))


def personen(aantallen: dict[str, int], seed: int = 1, vsv_kans: float = 0.03) -> list[Persoon]:
    """A start population: per gemeente code that many persons, every NIVEAU, some awkward rows."""
    rng = random.Random(seed)
    out = []
    for code, count in aantallen.items():
        for i in range(count):
            niveau = list(NIVEAUS)[i % len(NIVEAUS)]
            soort = NIVEAUS[niveau][0]
            leerweg = {"mbo": rng.choice(["BOL", "BBL"]), "vo": "VO", "vavo": "VAVO"}[soort]
            if soort == "vo" and i % 53 == 0:
                leerweg = "VAVO"  # vavo marked in ONDERWIJSSOORT, not in NIVEAU
            written = niveau
            if i % 41 == 0:
                written = f"  {niveau.upper()} "  # odd case and spaces
            out.append(
                Persoon(
                    bsn=nummer(rng),
                    onderwijsnummer=nummer(rng),
                    geboortedatum=f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(2000, 2010)}",
                    achternaam=_naam(rng, "Q") + ("; de Ruiter" if i % 97 == 0 else ""),  # a ; inside a quoted name
                    voorvoegsel=rng.choice(["", "van", "de", "van der"]),
                    voornamen=_naam(rng, "Zé") if i % 7 == 0 else _naam(rng, "X"),
                    postcode=str(rng.randint(9500, 9999)),
                    gemcode=code.zfill(4) if i % 29 == 0 else code,  # DUO drops the zeros; some rows keep them
                    niveau=written,
                    onderwijssoort=leerweg,
                    vsv=rng.random() < vsv_kans,
                )
            )
    return out


def herzien(mensen: list[Persoon], nieuwe_vsv: int, niet_meer: int, niveau: str = "Mbo2 opleidingen") -> list[Persoon]:
    """The definitive population: `nieuwe_vsv` more leavers at `niveau` in gemeente 150, `niet_meer` fewer in vo."""
    out, added, removed = list(mensen), 0, 0
    for i, p in enumerate(out):
        if p.code != "150":
            continue
        if added < nieuwe_vsv and not p.vsv and p.onderwijssoort != "VAVO" and _declared(p.niveau) == niveau:
            out[i], added = replace(p, vsv=True), added + 1
        elif removed < niet_meer and p.vsv and p.indeling[0] == "vo":
            out[i], removed = replace(p, vsv=False), removed + 1
    return out


def _regel(cells: list[str]) -> str:
    return ";".join(f'"{c}"' if ";" in c or '"' in c else c for c in cells)


def _cellen(p: Persoon, nenr: bool) -> list[str]:
    cells = [
        p.bsn,
        p.onderwijsnummer,
        p.geboortedatum,
        "M" if int(p.bsn[-1]) % 2 else "V",
        p.achternaam,
        p.voorvoegsel,
        p.voornamen,
        p.postcode,
        "RMC21",
        "IJssel-Vecht",
        p.gemcode,
        GEMEENTEN.get(p.code, "Elders"),
        "12AB",
        "00",
        p.niveau,
        p.onderwijssoort,
        "25180" if p.onderwijssoort in ("BOL", "BBL") else "",
        "Medewerker; logistiek" if p.onderwijssoort in ("BOL", "BBL") else "",
    ]
    return [*cells, "N", "J"] if nenr else cells


def schrijf(path: Path, mensen: list[Persoon], nenr: bool) -> Path:
    """The file as DUO writes it: '#' before the first name, ';', CRLF, UTF-8."""
    kolommen = NENR_KOLOMMEN if nenr else NRSP_KOLOMMEN
    rows = [_cellen(p, nenr) for p in mensen if p.vsv or not nenr]
    lines = ["#" + ";".join(kolommen), *(_regel(r) for r in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


@dataclass
class Levering:
    """One delivery of DUO: an NRSP and a NenR file of a counting year, and what they must count to."""

    nrsp: Path
    nenr: Path
    mensen: list[Persoon] = field(repr=False)

    @property
    def bestanden(self) -> list[Path]:
        return [self.nrsp, self.nenr]

    def telling(self, code: str) -> dict:
        """The generator's own tally for one gemeente: {(tabel, categorie): (jongeren, vsv)}."""
        start, leavers = Counter(), Counter()
        for p in (p for p in self.mensen if p.code == code):
            soort, niveau = p.indeling
            keys = [("jongeren_vsv", ""), ("vsv_onderwijssoort", soort)]
            keys += [("vsv_mbo_niveau", niveau)] if niveau else []
            for key in keys:
                start[key] += 1
                leavers[key] += p.vsv
        keys = [("jongeren_vsv", "")] + [("vsv_onderwijssoort", s) for s in ("vo", "mbo", "vavo")]
        keys += [("vsv_mbo_niveau", n) for n in "1234"]
        return {k: (start[k], leavers[k]) for k in keys}

    def persoonlijk(self) -> set[str]:
        return {v for p in self.mensen for v in p.persoonlijk()}


def levering(folder: Path, jaar: int, status: str, mensen: list[Persoon], ontvanger: str = "27GZ") -> Levering:
    """NRSP<jaar><status><ontvanger>.csv and NenR… in `folder` (outside the project)."""
    folder.mkdir(parents=True, exist_ok=True)
    nrsp = schrijf(folder / f"NRSP{jaar}{status}I{ontvanger}.csv", mensen, nenr=False)
    nenr = schrijf(folder / f"NenR{jaar}{status}I{ontvanger}.csv", mensen, nenr=True)
    return Levering(nrsp, nenr, mensen)
