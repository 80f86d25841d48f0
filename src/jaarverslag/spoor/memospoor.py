"""Where every number in the raadsmededeling comes from, as rows of herkomst.csv under the
sectie `raadsmededeling`: its points are the report's key points with their figures, each row
saying in `kolom` whether the rules or params chose the point; its date
and school year come from params; a number in a fixed text from the line that holds it (the
params file, or data/raadsmededeling.yaml)."""

from __future__ import annotations

import re
from dataclasses import replace

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
        keuze = _keuze(rapport, punt)
        rows = cellen.punt_cijfers(punt, SECTIE, zin) + _toevoeging(rapport, punt, zin)
        rows += [w for deel in punt.delen or (punt,) for w in _woorden(rapport, deel, zin)]
        out += [replace(row, kolom=keuze) for row in rows]
    return out


def _keuze(rapport, punt) -> str:
    """Who chose the point: the rules of the report definition, or params (raadsmededeling.punten)."""
    if punt.keuze != "params":
        return "gekozen door de regels"
    line = cellen.params_regel(rapport, "raadsmededeling.punten", punt.sleutel, ("raadsmededeling:", "punten:"))
    return f"gekozen in params ({line.bestand}, regel {line.regel})"


def _toevoeging(rapport, punt, zin: str) -> list[Cijfer]:
    """The numbers of the college's own sentence, from the params line that holds it."""
    if not punt.toevoeging:
        return []

    def cell(number: str, context: str):
        start = ("raadsmededeling:", "punten:")
        line = cellen.params_regel(rapport, "raadsmededeling.punten", number, start, context)
        return herkomst.in_cel(line)(number, context)

    return herkomst.in_tekst(SECTIE, zin, punt.toevoeging, cell)


def _woorden(rapport, deel, zin: str) -> list[Cijfer]:
    """The numbers of a finding that are words of its rule ('artikel 15', 'per 1.000'), not its
    figures or school years: from the line of the report definition (or bbv.py) that holds them."""
    rest = SCHOOLJAAR.sub(" ", deel.tekst)
    for printed in sorted((p for _, p, _ in deel.cijfers), key=len, reverse=True):
        rest = rest.replace(printed, " ", 1)
    section = rapport.verslagdefinitie.secties.get(deel.sectie) or rapport.verslagdefinitie.sectie_met_kolom(
        deel.tabel, deel.kolom
    )
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
