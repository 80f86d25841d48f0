"""Reading one of DUO's person-level vsv files (NRSP: start population, NenR: early school
leavers) without keeping anything personal.

Only the header line is read as text. The rows are parsed by pandas with `usecols` restricted
to the columns the count needs (GEMCODE, NIVEAU and the columns that mark vavo) and the last
column (to see that no row lost a field), so a BSN, name, birth date or postcode is never
parsed. A message names the file, the line and the column, never a personal value.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from jaarverslag import paths
from jaarverslag.errors import InvoerFout, Melding
from jaarverslag.invoer.schema import DEFINITIEF, VOORLOPIG
from jaarverslag.nieuwjaar.duoindeling import MAX_REGELS, Indeling

NRSP, NENR = "NRSP", "NenR"
SOORTEN = {NRSP.lower(): NRSP, NENR.lower(): NENR}
STATUSSEN = {"V": VOORLOPIG, "D": DEFINITIEF}
NAAM = re.compile(r"^(?P<soort>NRSP|NenR)(?P<jaar>[0-9]{4})(?P<status>[VD])", re.IGNORECASE)
ALLEEN_NENR = ("EXAMEN", "IND_BEKOSTIGING")  # a NenR file has these columns, an NRSP file not
GEMCODE, NIVEAU = "GEMCODE", "NIVEAU"
MAX_KOPREGEL = 64 * 1024


@dataclass(frozen=True)
class Identiteit:
    """What a DUO file is: its kind, counting year and status."""

    soort: str  # NRSP or NenR
    schooljaar: str  # 2022-2023 for a name with 2023
    status: str  # voorlopig or definitief


@dataclass
class DuoBestand:
    """A DUO file, counted: per row only its gemeente code and its category, nothing else."""

    naam: str  # the file's name without its folder (its folder may name a person)
    identiteit: Identiteit
    sha256: str
    rijen: pd.DataFrame  # gemcode, onderwijssoort, mbo_niveau (one row per person, no person data)


def lees(path: Path, indeling: Indeling, opgegeven: dict[str, str | None]) -> DuoBestand:
    """The file's identity and its rows classified; refused with Dutch messages if anything is off."""
    naam = path.name
    _check_plek(path, naam)
    header = _kopregel(path, naam)
    identiteit = _identiteit(naam, header, opgegeven)
    nodig = [GEMCODE, NIVEAU, *indeling.vavo]
    missing = [c for c in nodig if c not in header]
    if missing:
        raise InvoerFout([Melding(naam, "regel 1: deze kolom ontbreekt in de kopregel.", c) for c in missing])
    data = path.read_bytes()
    frame = _rijen(data, naam, header, nodig)
    return DuoBestand(naam, identiteit, hashlib.sha256(data).hexdigest(), indeling.deel_in(frame, naam))


def _check_plek(path: Path, naam: str) -> None:
    why = "het bestand bestaat niet." if not path.exists() else paths.not_a_plain_file(path)
    if why:
        raise InvoerFout([Melding(naam, why)])
    if _in_werkboom_niet_genegeerd(path):
        raise InvoerFout(
            [
                Melding(
                    paths.relative(path),
                    "dit DUO-bestand met persoonsgegevens staat in de projectmap en git negeert het niet, zodat het "
                    "in een commit terecht kan komen. Zet het buiten de projectmap (in een beveiligde map) en geef "
                    "dat pad op.",
                )
            ]
        )


def _in_werkboom_niet_genegeerd(path: Path) -> bool:
    """Inside the project's work tree and not ignored by git (without git or a repository: not provably ignored)."""
    real = path.resolve()
    if not real.is_relative_to(paths.ROOT):
        return False
    try:
        done = subprocess.run(
            ["git", "-C", str(paths.ROOT), "check-ignore", "-q", "--", str(real)], capture_output=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    return done.returncode != 0


def _kopregel(path: Path, naam: str) -> list[str]:
    """The column names of line 1, without DUO's '#' before the first one."""
    with path.open("rb") as stream:
        first = stream.readline(MAX_KOPREGEL)
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvoerFout(
            [Melding(naam, "regel 1: de kopregel is geen UTF-8; DUO levert de bestanden in UTF-8.")]
        ) from None
    names = [n.strip().lstrip("#").strip().upper() for n in text.rstrip("\r\n").split(";")]
    if ";" not in text or len(set(names)) < len(names):
        raise InvoerFout(
            [Melding(naam, "regel 1: dit is geen kopregel van een DUO-bestand (kolomnamen gescheiden door ;).")]
        )
    return names


def _identiteit(naam: str, header: list[str], opgegeven: dict[str, str | None]) -> Identiteit:
    """Kind, counting year and status from the name, or from the options where the name is not DUO's;
    a name, an option or the columns that contradict each other are refused."""
    found = NAAM.match(naam)
    uit_naam = {}
    if found:
        jaar = int(found["jaar"])
        uit_naam = {
            "soort": SOORTEN[found["soort"].lower()],
            "schooljaar": f"{jaar - 1}-{jaar}",
            "status": STATUSSEN[found["status"].upper()],
        }
    problems, waarden = [], {}
    for key, optie in (("soort", "--soort"), ("schooljaar", "--schooljaar"), ("status", "--status")):
        given, named = opgegeven.get(key), uit_naam.get(key)
        if given and named and given != named:
            problems.append(f"de naam zegt {key} {named}, maar {optie} zegt {given}.")
        elif not given and not named and key != "soort":  # the kind shows in the columns
            problems.append(f"de naam is niet die van een DUO-bestand (NRSP2023V…); geef {optie}.")
        waarden[key] = given or named
    inhoud = NENR if all(c in header for c in ALLEEN_NENR) else NRSP
    waarden["soort"] = waarden["soort"] or inhoud
    if waarden["soort"] != inhoud:
        problems.append(
            f"het bestand heet een {waarden['soort']}-bestand, maar zijn kolommen zijn die van een {inhoud}-bestand "
            f"({'met' if inhoud == NENR else 'zonder'} {' en '.join(ALLEEN_NENR)})."
        )
    if problems:
        raise InvoerFout([Melding(naam, p) for p in problems])
    return Identiteit(**waarden)


def _rijen(data: bytes, naam: str, header: list[str], nodig: list[str]) -> pd.DataFrame:
    """The needed columns of every row (as categories), after checking that every row has as many fields as the header."""
    _check_velden(data, naam, len(header))
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            sep=";",
            header=None,
            skiprows=1,
            usecols=[header.index(c) for c in nodig],
            dtype="category",
            encoding="utf-8",
            keep_default_na=False,
            na_values=[],
            skip_blank_lines=False,
        )
    except UnicodeDecodeError:
        raise InvoerFout([Melding(naam, "het bestand is geen UTF-8; DUO levert de bestanden in UTF-8.")]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        raise InvoerFout(
            [Melding(naam, "het bestand is geen leesbaar DUO-bestand (CSV met ; als scheidingsteken).")]
        ) from None
    frame = frame[[header.index(c) for c in nodig]]
    frame.columns = nodig
    return frame


def _check_velden(data: bytes, naam: str, width: int) -> None:
    """Every record has `width` fields. Counted on the bytes (a ; or line end between quotes is
    part of a field), so that no field becomes a Python value: pandas with usecols would
    silently read a row that gained or lost a field, and shift a name into NIVEAU."""
    raw = np.frombuffer(data, dtype=np.uint8)
    outside = (np.cumsum(raw == ord('"'), dtype=np.uint8) & 1) == 0  # parity survives the uint8 wrap-around
    ends = np.flatnonzero((raw == ord("\n")) & outside)
    if len(ends) == 0 or ends[-1] != len(raw) - 1:
        ends = np.append(ends, len(raw))  # a last line without a line end
    separators = np.flatnonzero((raw == ord(";")) & outside)
    fields = np.bincount(np.searchsorted(ends, separators), minlength=len(ends)) + 1
    wrong = np.flatnonzero(fields != width)
    if len(wrong):
        lines = ", ".join(str(i + 1) for i in wrong[:MAX_REGELS])
        more = f" en {len(wrong) - MAX_REGELS} meer" if len(wrong) > MAX_REGELS else ""
        found = ", ".join(str(n) for n in sorted(set(fields[wrong[:MAX_REGELS]].tolist())))
        raise InvoerFout(
            [
                Melding(
                    naam,
                    f"regel {lines}{more}: {found} velden, de kopregel heeft er {width}. Staat er een ; in een naam "
                    "zonder aanhalingstekens, of is het bestand afgebroken?",
                )
            ]
        )
