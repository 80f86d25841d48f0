"""Where every number in the raadsmededeling comes from, as rows of herkomst.csv under the
sectie `raadsmededeling`: its points are the report's key findings with their figures; its date
and school year come from params; a number in a fixed text from the line that holds it (the
params file, or data/raadsmededeling.yaml)."""

from __future__ import annotations

import re

from jaarverslag import paths
from jaarverslag.inhoud import herkomst, raadsmededeling
from jaarverslag.inhoud.findings import datum_nl
from jaarverslag.inhoud.herkomst import Cijfer
from jaarverslag.invoer import bbv, memoteksten
from jaarverslag.spoor import cellen

SECTIE = "raadsmededeling"
SCHOOLJAAR = re.compile(r"\b\d{4}-\d{4}\b")  # a school year names a row; its figures are traced


def cijfers(rapport, memo: raadsmededeling.Memo | None = None) -> list[Cijfer]:
    """Every number of the memo (made from the report unless given), in its order: date, school
    year, texts, the points."""
    memo = memo or raadsmededeling.maak(rapport)
    datum = cellen.params_regel(rapport, "datum", rapport.params["datum"], "datum:")
    jaar = cellen.params_regel(rapport, "schooljaar", rapport.schooljaar, "schooljaar:")
    out = herkomst.in_tekst(SECTIE, "datum", datum_nl(rapport.params["datum"]), herkomst.in_cel(datum))
    out += herkomst.in_tekst(SECTIE, "schooljaar", rapport.schooljaar, herkomst.in_cel(jaar))
    for key, texts in memo.teksten.items():
        for text in texts:
            out += herkomst.in_tekst(SECTIE, key, text.geschreven, _plek(rapport, text))
    for punt, zin in zip(memo.punten, memo.puntzinnen, strict=True):
        out += cellen.punt_cijfers(punt, SECTIE, zin) + _woorden(rapport, punt, zin)
    return out


def _woorden(rapport, punt, zin: str) -> list[Cijfer]:
    """The numbers of a point that are words of its rule ('artikel 15', 'per 1.000'), not its
    figures or school years: from the line of the report definition (or bbv.py) that holds them."""
    rest = SCHOOLJAAR.sub(" ", zin)
    for printed in sorted((p for _, p, _ in punt.cijfers), key=len, reverse=True):
        rest = rest.replace(printed, " ", 1)
    section = rapport.verslagdefinitie.sectie_met_kolom(punt.tabel, punt.kolom)
    if section is None or section.tabel in bbv.AFGELEID:
        where, start = cellen.INDICATOREN, "PER_1000"
    else:
        where, start = section.bron, f"{section.key}:"
    return herkomst.in_tekst(SECTIE, zin, rest, cellen.tekstcel(where, start, rest))


def _plek(rapport, text: raadsmededeling.Tekst):
    """The line that holds a number of a fixed text: in params under `raadsmededeling:`, or in
    data/raadsmededeling.yaml."""
    if text.bron == paths.relative(paths.DATA / memoteksten.BESTAND):
        return cellen.tekstcel(text.bron, f"{text.sleutel}:", text.geschreven, soort="raadsmededeling")

    def cell(number: str, context: str):
        start = ("raadsmededeling:", f"{text.sleutel}:")  # not the report's own `teksten` of that name
        line = cellen.params_regel(rapport, f"raadsmededeling.{text.sleutel}", number, start, context)
        return herkomst.in_cel(line)(number, context)

    return cell
