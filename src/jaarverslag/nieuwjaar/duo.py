"""`jaarverslag duo`: the vsv tables counted straight from DUO's person-level files.

An NRSP file (start population) and a NenR file (early school leavers) of one counting year
give, per gemeente (found by its CBS code in GEMCODE), the rows of jongeren_vsv,
vsv_onderwijssoort and vsv_mbo_niveau: the counts, and the percentage vsv / jongeren × 100.
The rows go through the same merge (a provisional row may be replaced, a definitive one only
with `overschrijven`), checklist and GX suites as a workbook's, and are written all files or
none, together with data/<gemeente>/duo-herkomst.csv: per count the DUO file's name, its
sha256, the filter and the count, so that the trail stays complete without any person.
The national percentages are not in DUO's files: they stay as typed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from jaarverslag import paths
from jaarverslag.controle import validation
from jaarverslag.errors import InvoerFout, Melding, ParameterFout
from jaarverslag.invoer import duoherkomst
from jaarverslag.invoer.checklist import checklist_per_tabel
from jaarverslag.invoer.definitie import gemeentecode, verslag
from jaarverslag.invoer.duoherkomst import NOEMER, TELLER, Telling
from jaarverslag.invoer.loading import load_tables
from jaarverslag.invoer.params import check_gemeente, regio_leden
from jaarverslag.invoer.paramsmodel import standaard
from jaarverslag.invoer.schema import STATUS, schema, table_path
from jaarverslag.nieuwjaar import duobestand
from jaarverslag.nieuwjaar.duobestand import NENR, NRSP, DuoBestand
from jaarverslag.nieuwjaar.duoindeling import MBO_NIVEAU, NIVEAU_TABEL, SOORT, SOORT_TABEL, Indeling, indeling
from jaarverslag.nieuwjaar.samenvoegen import Blad, Wijziging, _merge
from jaarverslag.nieuwjaar.wegschrijven import _contents, _replace_all

TOTAAL = "jongeren_vsv"
TABELLEN = (TOTAAL, SOORT_TABEL, NIVEAU_TABEL)
CATEGORIE = {TOTAAL: None, SOORT_TABEL: SOORT, NIVEAU_TABEL: MBO_NIVEAU}


@dataclass
class DuoUitkomst:
    wijzigingen: list[Wijziging] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)
    bestanden: list[str] = field(default_factory=list)
    tellingen: list[Telling] = field(default_factory=list)


@dataclass(frozen=True)
class Levering:
    """The NRSP and NenR file of one counting year and status."""

    schooljaar: str
    status: str
    nrsp: DuoBestand
    nenr: DuoBestand


def importeer(
    gemeente: str,
    bestanden: list[Path],
    opgegeven: dict[str, str | None] | None = None,
    overschrijven: bool = False,
    schrijven: bool = True,
) -> DuoUitkomst:
    """Count the files, check the rows as a build would, and write them (unless `schrijven` is off)."""
    check_gemeente(gemeente)
    mapping = indeling()
    leveringen = _leveringen([duobestand.lees(Path(p), mapping, opgegeven or {}) for p in bestanden])
    result, problems, contents = DuoUitkomst(), [], {}
    codes = _codes(gemeente, leveringen)
    for lid, code in codes.items():
        found, files = _importeer_lid(lid, code, leveringen, mapping, overschrijven, result, regio=len(codes) > 1)
        problems += found
        contents.update(files)
    if problems:
        raise InvoerFout(problems, waarschuwingen=result.waarschuwingen)
    if schrijven and result.wijzigingen:
        _replace_all(contents)
        result.bestanden = [paths.relative(p) for p in contents]
    return result


def _leveringen(gelezen: list[DuoBestand]) -> list[Levering]:
    """The files paired per counting year and status: each pair needs one file of each kind."""
    pairs: dict[tuple[str, str], dict[str, DuoBestand]] = defaultdict(dict)
    problems = []
    for bestand in gelezen:
        key, soort = (bestand.identiteit.schooljaar, bestand.identiteit.status), bestand.identiteit.soort
        if soort in pairs[key]:
            problems.append(Melding(bestand.naam, f"er is al een {soort}-bestand van {key[0]} ({key[1]}) gegeven."))
        pairs[key][soort] = bestand
    for (schooljaar, status), pair in pairs.items():
        for soort in (NRSP, NENR):
            if soort not in pair:
                other = next(iter(pair.values()))
                problems.append(
                    Melding(
                        other.naam,
                        f"geef ook het {soort}-bestand van {schooljaar} ({status}): het percentage vsv vraagt "
                        "de startpopulatie (NRSP) en de voortijdig schoolverlaters (NenR) samen.",
                    )
                )
    if len({s for s, _ in pairs}) < len(pairs):
        problems.append(
            Melding(gelezen[0].naam, "geef van een teljaar de voorlopige of de definitieve bestanden, niet beide.")
        )
    if problems:
        raise InvoerFout(problems)
    return [Levering(s, st, pair[NRSP], pair[NENR]) for (s, st), pair in sorted(pairs.items())]


def _codes(gemeente: str, leveringen: list[Levering]) -> dict[str, str]:
    """The gemeente (or each member of the region) and its CBS code, as GEMCODE holds it."""
    leden = regio_leden(gemeente, leveringen[-1].schooljaar) or [gemeente]
    codes, missing = {}, []
    for lid in leden:
        code = gemeentecode(lid)
        if code is None:
            missing.append(lid)
        codes[lid] = code
    if missing:
        raise ParameterFout(
            "Zet de CBS-gemeentecode in de verslagdefinitie, zodat de rijen van de gemeente in de DUO-bestanden "
            "te vinden zijn: "
            + "; ".join(
                f'data/{lid}/verslag.yaml, sleutel gemeentecode (bijvoorbeeld gemeentecode: "0150")' for lid in missing
            )
            + "."
        )
    return codes


def _importeer_lid(
    lid: str,
    code: str,
    leveringen: list[Levering],
    mapping: Indeling,
    overschrijven: bool,
    result: DuoUitkomst,
    regio: bool = False,
) -> tuple[list[Melding], dict[Path, bytes]]:
    """One gemeente's rows: counted, merged, checked; the new bytes of its files."""
    problems = _niet_gevonden(lid, code, leveringen, result.waarschuwingen)
    if problems:
        return problems, {}
    tables = load_tables(lid)
    used = [t for t in TABELLEN if t in verslag(lid).tabellen]
    tellingen = [t for levering in leveringen for t in _tel(levering, code, mapping, used)]
    bladen = [_blad(tabel, tellingen) for tabel in used]
    where = ", ".join(sorted({b.naam for levering in leveringen for b in (levering.nrsp, levering.nenr)}))
    merged, changes, conflicts = _merge(lid, tables, bladen, overschrijven, where)
    years = sorted({levering.schooljaar for levering in leveringen})
    problems = conflicts + _controleer(lid, {t: merged[t] for t in used}, years, result.waarschuwingen)
    result.waarschuwingen += _landelijk_leeg(lid, merged, used, years)
    result.wijzigingen += [replace(c, tabel=f"{lid}: {c.tabel}") if regio else c for c in changes]
    result.tellingen += tellingen
    if problems or not changes:
        return problems, {}
    contents = _contents(lid, tables, merged, {c.tabel for c in changes})
    sidecar = {**duoherkomst.lees(lid), **{t.sleutel: t for t in tellingen}}
    contents[duoherkomst.pad(lid)] = duoherkomst.als_bytes(sidecar)
    return [], contents


def _niet_gevonden(lid: str, code: str, leveringen: list[Levering], warnings: list[str]) -> list[Melding]:
    """A gemeente code that is not in the start population is refused; no leavers at all is only noted."""
    problems = []
    for levering in leveringen:
        if not (levering.nrsp.rijen["gemcode"] == code).any():
            problems.append(
                Melding(
                    levering.nrsp.naam,
                    f"gemeentecode {code} van {lid} (data/{lid}/verslag.yaml) komt nergens voor in de kolom GEMCODE; "
                    "is dit het bestand van jullie regio, en klopt de gemeentecode?",
                    "GEMCODE",
                )
            )
        elif not (levering.nenr.rijen["gemcode"] == code).any():
            warnings.append(f"{levering.nenr.naam}: geen enkele vsv'er met GEMCODE {code} ({lid}); geteld als 0.")
    return problems


def _tel(levering: Levering, code: str, mapping: Indeling, used: list[str]) -> list[Telling]:
    """Every count of one gemeente from one pair of files: per table and category, jongeren and vsv."""
    out = []
    for kolom, bestand in ((NOEMER, levering.nrsp), (TELLER, levering.nenr)):
        rows = bestand.rijen[bestand.rijen["gemcode"] == code]
        for tabel in used:
            for categorie, aantal in _aantallen(rows, tabel).items():
                soort, niveau = _soort_en_niveau(tabel, categorie)
                out.append(
                    Telling(
                        tabel,
                        levering.schooljaar,
                        categorie,
                        kolom,
                        levering.status,
                        bestand.naam,
                        bestand.sha256,
                        mapping.filter(code, soort, niveau),
                        aantal,
                    )
                )
    return out


def _aantallen(rows: pd.DataFrame, tabel: str) -> dict[str, int]:
    """The number of rows per category of the table (every category, 0 where none)."""
    column = CATEGORIE[tabel]
    if column is None:
        return {"": len(rows)}
    counted = rows[column].value_counts()
    return {c: int(counted.get(c, 0)) for c in schema()[tabel].columns[column]["waarden"]}


def _soort_en_niveau(tabel: str, categorie: str) -> tuple[str | None, str | None]:
    if tabel == SOORT_TABEL:
        return categorie, None
    return ("mbo", categorie) if tabel == NIVEAU_TABEL else (None, None)


def _blad(tabel: str, tellingen: list[Telling]) -> Blad:
    """The table's new rows: the counts, the percentage, the status; the national figure and the note left as they are."""
    table = schema()[tabel]
    counts = {(t.schooljaar, t.categorie, t.kolom): t for t in tellingen if t.tabel == tabel}
    rows = []
    for schooljaar, categorie in sorted({(s, c) for s, c, _ in counts}):
        jongeren, vsv = counts[schooljaar, categorie, NOEMER], counts[schooljaar, categorie, TELLER]
        row = dict.fromkeys(table.columns)
        row["schooljaar"], row[STATUS], row[TELLER] = schooljaar, jongeren.status, vsv.aantal
        if CATEGORIE[tabel]:
            row[CATEGORIE[tabel]] = categorie
        if NOEMER in table.columns:
            row[NOEMER] = jongeren.aantal
        row["percentage_vsv"] = percentage(vsv.aantal, jongeren.aantal, table.columns["percentage_vsv"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(table.columns))
    return Blad(tabel, frame, [None] * len(rows), {}, bron="het DUO-bestand", plek=f"DUO-telling {tabel}")


def percentage(vsv: int, jongeren: int, spec: dict) -> float | None:
    """vsv / jongeren × 100, rounded as the schema shows the column (2 decimals unless it says); none without jongeren."""
    return round(vsv / jongeren * 100, spec.get("decimalen", 2)) if jongeren else None


def _controleer(lid: str, merged: dict, years: list[str], warnings: list[str]) -> list[Melding]:
    """The checklist and the GX suites (the table's own and the cross-table sums) over the DUO tables as they would be."""
    problems = []
    for year in years:
        for tabel, line in checklist_per_tabel(lid, year, merged).items():
            problems.append(Melding(paths.relative(table_path(lid, tabel)), f"er ontbreekt nog iets: {line}"))
        summary = validation.validate(merged, year, standaard("aantal_jaren"))
        for finding in summary["blokkerend"]:
            where = (
                paths.relative(table_path(lid, finding["tabel"])) if finding["tabel"] in merged else finding["titel"]
            )
            problems.append(
                Melding(
                    where,
                    f"{finding['titel']} {finding['schooljaar']}: {finding['regel']} Gevonden: {finding['gevonden']}.",
                )
            )
        warnings += [
            f"{f['titel']} {f['schooljaar']}: {f['regel']} ({f['gevonden']}); het cijfer wordt wel ingelezen."
            for f in summary["waarschuwingen"]
            if f["schooljaar"] == year
        ]
    return problems


def _landelijk_leeg(lid: str, merged: dict, used: list[str], years: list[str]) -> list[str]:
    """The national percentage is not in DUO's files: say where it is still empty."""
    out = []
    for tabel in used:
        frame = merged[tabel]
        empty = frame[frame["schooljaar"].isin(years) & frame["percentage_vsv_landelijk"].isna()]
        if len(empty):
            out.append(
                f"{paths.relative(table_path(lid, tabel))}: het landelijke percentage staat niet in de DUO-bestanden "
                f"en is leeg voor {len(empty)} rij(en); vul het zelf in (DUO vsv-dashboard), anders toont het verslag '–'."
            )
    return out


def hertel(gemeente: str, schooljaar: str, bestanden: list[Path]) -> tuple[int, list[str]]:
    """Count every figure of the school year that came from DUO's files again from these files:
    how many counts agree, and each that does not (or whose file was not given)."""
    mapping = indeling()
    gelezen = {b.sha256: b for b in (duobestand.lees(Path(p), mapping, {}) for p in bestanden)}
    checked, differences, used = 0, [], set()
    for lid in regio_leden(gemeente, schooljaar) or [gemeente]:
        code, tables = gemeentecode(lid), load_tables(lid)
        for telling in (t for t in duoherkomst.lees(lid).values() if t.schooljaar == schooljaar):
            bestand = gelezen.get(telling.sha256)
            if bestand is None:
                differences.append(
                    f"{telling.bestand} (sha256 {telling.sha256[:12]}…) is niet gegeven; {telling.tabel} niet herteld."
                )
                continue
            used.add(telling.sha256)
            rows = bestand.rijen[bestand.rijen["gemcode"] == code]
            again = _aantallen(rows, telling.tabel)[telling.categorie]
            problem = _verschil(lid, telling, again, tables)
            differences += [problem] if problem else []
            checked += not problem
    differences += [
        f"{b.naam}: geen cijfer van {schooljaar} is uit dit bestand geteld."
        for s, b in gelezen.items()
        if s not in used
    ]
    return checked, list(dict.fromkeys(differences))


def _verschil(lid: str, telling: Telling, again: int, tables) -> str:
    """Why a count does not hold: the file counts otherwise, or the table holds another figure now."""
    where = (
        f"{telling.tabel} {telling.schooljaar}{', ' + telling.categorie if telling.categorie else ''}, {telling.kolom}"
    )
    if again != telling.aantal:
        return f"{where}: {telling.bestand} telt nu {again}, duo-herkomst.csv zegt {telling.aantal}."
    frame = tables[telling.tabel]
    if telling.kolom not in frame:
        return ""
    column = CATEGORIE[telling.tabel]
    row = frame[(frame["schooljaar"] == telling.schooljaar) & (frame[column] == telling.categorie if column else True)]
    value = row[telling.kolom].iloc[0] if len(row) else None
    if value is None or pd.isna(value) or int(value) != again:
        return f"{where}: {paths.relative(table_path(lid, telling.tabel))} heeft {value}, het DUO-bestand telt {again}."
    return ""
