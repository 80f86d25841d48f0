"""data/duo.yaml: how a row of a DUO file is placed in an onderwijssoort and an mbo-niveau.

The mapping is data: each value of NIVEAU, and the columns where DUO marks vavo. A value the
mapping does not know is refused with its count, so that no row is silently left out of a
figure (the onderwijssoorten add up to the total, the mbo levels to the mbo row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jaarverslag import paths
from jaarverslag.errors import InvoerFout, Melding, ParameterFout, kort
from jaarverslag.invoer.schema import schema
from jaarverslag.invoer.yamlbestand import read_yaml

BESTAND = "duo.yaml"
SOORT_TABEL, NIVEAU_TABEL = "vsv_onderwijssoort", "vsv_mbo_niveau"
SOORT, MBO_NIVEAU, VAVO, MBO = "onderwijssoort", "mbo_niveau", "vavo", "mbo"
MAX_REGELS = 5  # line numbers a message names per problem
PERSOONLIJK_OGEND = re.compile(r"[0-9]{4,}|[0-9]{1,2}-[0-9]{1,2}-[0-9]{2,4}|@")


def regels(mask: pd.Series) -> str:
    """The file lines of the first rows where `mask` holds (the header is line 1)."""
    lines = (mask[mask].index[:MAX_REGELS] + 2).tolist()
    more = int(mask.sum()) - len(lines)
    return ", ".join(map(str, lines)) + (f" en {more} meer" if more > 0 else "")


def toonbaar(value: str) -> str:
    """A value of a non-personal column as a message may quote it; one that looks like a person's
    data (a number of four digits or more, a date, an e-mail address) is not quoted: a row that
    lost a field may hold one there."""
    text = str(value).strip()
    return "(een waarde die op een persoonsgegeven lijkt)" if PERSOONLIJK_OGEND.search(text) else f"'{kort(text, 40)}'"


def _norm(value) -> str:
    return " ".join(str(value).split()).casefold()


def gemcode(value) -> str:
    """A GEMCODE as a comparable code: without spaces, GM and leading zeros ('0150' -> '150'); '' if it is none."""
    text = str(value).strip().upper().removeprefix("GM")
    return str(int(text)) if text.isdigit() and int(text) else ""


@dataclass(frozen=True)
class Indeling:
    niveau: dict[str, tuple[str, str | None, str]]  # normalised NIVEAU -> onderwijssoort, mbo_niveau, as declared
    vavo: dict[str, tuple[str, ...]]  # column -> the values that mean vavo, as declared

    def deel_in(self, frame: pd.DataFrame, naam: str) -> pd.DataFrame:
        """Per row: its gemeente code, onderwijssoort and mbo-niveau (empty outside the mbo)."""
        codes = _per_categorie(frame["GEMCODE"], gemcode)
        if (codes == "").any():
            raise InvoerFout(
                [
                    Melding(
                        naam,
                        f"regel {regels(pd.Series(codes == ''))}: geen gemeentecode (leeg of geen getal).",
                        "GEMCODE",
                    )
                ]
            )
        known = _per_categorie(frame["NIVEAU"], lambda v: _norm(v) in self.niveau).astype(bool)
        if not known.all():
            raise InvoerFout([self._onbekend(frame["NIVEAU"], known, naam)])
        soort = _per_categorie(frame["NIVEAU"], lambda v: self.niveau[_norm(v)][0]).astype(object)
        niveau = _per_categorie(frame["NIVEAU"], lambda v: self.niveau[_norm(v)][1]).astype(object)
        vavo = np.zeros(len(frame), dtype=bool)
        for column, values in self.vavo.items():
            wanted = {_norm(v) for v in values}
            vavo |= _per_categorie(frame[column], lambda v, w=wanted: _norm(v) in w).astype(bool)
        soort[vavo], niveau[vavo] = VAVO, None
        return pd.DataFrame({"gemcode": codes, SOORT: soort, MBO_NIVEAU: niveau})

    def _onbekend(self, column: pd.Series, known: np.ndarray, naam: str) -> Melding:
        unknown = column[~known]
        counts = unknown.value_counts()
        counts = counts[counts > 0]
        shown = {v: n for v, n in counts.items() if _lijkt_op_niveau(v)}
        hidden = int(counts.sum()) - sum(shown.values())
        listed = "; ".join(f"{toonbaar(v)}: {n} rij(en)" for v, n in shown.items())
        if hidden:  # a shifted row can put a name here: such a value is counted, never shown
            listed += (
                "; " if listed else ""
            ) + f"{hidden} rij(en) met een waarde die niet op een onderwijsniveau lijkt (niet getoond)"
        return Melding(
            naam,
            f"regel {regels(pd.Series(~known))}: waarden die {paths.relative(bestand())} niet kent: {listed}. "
            "Zet ze in dat bestand (onder niveau) met hun onderwijssoort.",
            "NIVEAU",
        )

    def filter(self, code: str, soort: str | None = None, niveau: str | None = None) -> str:
        """The rows of a count in words, as an auditor filters the file: GEMCODE = 150 en NIVEAU ∈ {…}."""
        parts = [f"GEMCODE = {code}"]
        vavo = " of ".join(f"{c} ∈ {{{', '.join(v)}}}" for c, v in self.vavo.items())
        if soort == VAVO:
            values = [d for s, _, d in self.niveau.values() if s == VAVO]
            named = [f"NIVEAU ∈ {{{', '.join(values)}}}"] if values else []
            parts.append(f"({' of '.join([*named, vavo])})" if vavo else named[0])
        elif soort:
            values = [d for s, n, d in self.niveau.values() if s == soort and (niveau is None or n == niveau)]
            parts.append(f"NIVEAU ∈ {{{', '.join(values)}}}")
            parts += [f"{c} ∉ {{{', '.join(v)}}}" for c, v in self.vavo.items()]
        return " en ".join(parts)


def _per_categorie(column: pd.Series, function) -> np.ndarray:
    """function() of every row's value, computed once per distinct value (the column is categorical)."""
    per_value = np.array([function(v) for v in column.cat.categories] + [None], dtype=object)
    return per_value[column.cat.codes.to_numpy()]


def bestand():
    return paths.DATA / BESTAND


def indeling() -> Indeling:
    """data/duo.yaml, checked against the categories of data/schema.yaml."""
    path = bestand()
    where = paths.relative(path)
    data = read_yaml(path, where) if path.exists() else None
    if not isinstance(data, dict) or not isinstance(data.get("niveau"), dict) or not data["niveau"]:
        raise ParameterFout(
            f"{where}: het bestand moet een lijst 'niveau:' hebben (waarde van NIVEAU: onderwijssoort)."
        )
    soorten = schema()[SOORT_TABEL].columns[SOORT]["waarden"]
    niveaus = schema()[NIVEAU_TABEL].columns[MBO_NIVEAU]["waarden"]
    niveau, problems = {}, []
    for value, spec in data["niveau"].items():
        spec = spec if isinstance(spec, dict) else {}
        soort, mbo = spec.get(SOORT), spec.get(MBO_NIVEAU)
        mbo = None if mbo is None else str(mbo)
        if soort not in soorten:
            problems.append(f"sleutel niveau.{value}.{SOORT}: kies uit {', '.join(soorten)}.")
        elif (soort == MBO) != (mbo is not None) or (mbo is not None and mbo not in niveaus):
            problems.append(
                f"sleutel niveau.{value}.{MBO_NIVEAU}: een mbo-waarde heeft een niveau ({', '.join(niveaus)}), een andere niet."
            )
        niveau[_norm(value)] = (soort, mbo, str(value))
    vavo = data.get("vavo") or {}
    if not isinstance(vavo, dict) or not all(isinstance(v, list) and v for v in vavo.values()):
        problems.append("sleutel vavo: geef per kolom een lijst van waarden, bijvoorbeeld ONDERWIJSSOORT: [VAVO].")
        vavo = {}
    if problems:
        raise ParameterFout(f"{where}: " + " ".join(problems))
    return Indeling(niveau, {str(c).upper(): tuple(str(v) for v in values) for c, values in vavo.items()})


NIVEAU_WOORD = re.compile(
    r"vmbo|havo|vwo|mbo|vavo|pro\b|praktijk|vso|speciaal|entree|opleiding|bovenbouw|onderbouw|niveau", re.I
)


def _lijkt_op_niveau(value) -> bool:
    """A value of NIVEAU as DUO writes one (a school type word, letters, digits, '/', spaces): such
    a value is shown in a message; anything else might be personal (a shifted name) and is not."""
    text = str(value)
    return len(text) <= 60 and bool(NIVEAU_WOORD.search(text)) and re.fullmatch(r"[\w /+.()-]+", text) is not None
