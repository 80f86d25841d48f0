"""A new gemeente in one command: its data folder with an empty table per chosen section, its
report definition, a params file with what must be filled in, and one fill-in workbook for
every school year from `vanaf` to the report's.

Everything is written in hidden folders first and moved into place at the end, so that a
failure leaves nothing behind; a folder that already exists is refused and never touched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import jinja2

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort
from jaarverslag.formatting import schooljaar, schooljaar_naar_getal
from jaarverslag.invoer.definitie import BESTAND, Verslag, projectdefinitie, verslag
from jaarverslag.invoer.params import check_names, params_path
from jaarverslag.invoer.paramsmodel import MAX_TEXT, datum_bereik, standaard
from jaarverslag.invoer.schema import schema
from jaarverslag.nieuwjaar.invulwerkmap import make_workbook, schooljaren, werkmap_pad

MAX_JAREN = 15  # as many school years as a table can show (aantal_jaren)
TITEL = "Jaarverslag leerplicht en Doorstroompunt"
KLEINE_AANTALLEN = 5  # proposed: CBS hides counts of 1 to 4, and small counts can identify persons


@dataclasses.dataclass(frozen=True)
class Opzet:
    """What `nieuwe-gemeente` made."""

    map: str
    naam: str
    schooljaren: list[str]
    tabellen: list[Path]
    definitie: Path
    params: Path
    werkmap: Path


def laatste_schooljaar(today: dt.date) -> str:
    """The last school year that has ended by `today` (a school year ends on 31 July)."""
    return schooljaar(today.year - 1 if today.month >= 8 else today.year - 2)


def maak(
    map_: str,
    naam: str,
    secties: list[str] | None = None,
    vanaf: str | None = None,
    tot: str | None = None,
    today: dt.date | None = None,
) -> Opzet:
    """Set up data/<map>/, params/<map>/<tot>.yaml and invullen/ for a new gemeente."""
    today = today or dt.date.today()
    tot = check_names(map_, tot or laatste_schooljaar(today))[1]
    vanaf = (
        check_names(map_, vanaf)[1] if vanaf else schooljaar(schooljaar_naar_getal(tot) - standaard("aantal_jaren") + 1)
    )
    years = _years(vanaf, tot, today)
    naam = _naam(naam)
    _refuse_existing(map_, tot, vanaf)
    definitie = _chosen(projectdefinitie(), secties)
    data, params = paths.DATA / map_, paths.PARAMS / map_
    staged = [_staging(data), _staging(params)]
    try:
        tables = _write_data(staged[0], definitie)
        _write_definition(staged[0] / BESTAND, map_, naam, definitie)
        _write_params(staged[1] / f"{tot}.yaml", map_, naam, years, today, definitie)
        os.replace(staged[0], data)
        os.replace(staged[1], params)
        verslag(map_)  # what was written is a definition the build accepts
        workbook = make_workbook(map_, tot, vanaf)
    except BaseException:
        for folder in (*staged, data, params):
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return Opzet(map_, naam, years, [data / p.name for p in tables], data / BESTAND, params_path(map_, tot), workbook)


def _years(vanaf: str, tot: str, today: dt.date) -> list[str]:
    if tot > laatste_schooljaar(today):
        raise ParameterFout(
            f"--tot {tot}: dat schooljaar is nog niet afgelopen; het laatst afgelopen is {laatste_schooljaar(today)}."
        )
    if vanaf > tot:
        raise ParameterFout(f"--vanaf {vanaf} ligt na het laatste schooljaar {tot}; kies een eerder schooljaar.")
    years = schooljaren(vanaf, tot)
    if len(years) > MAX_JAREN:
        raise ParameterFout(
            f"van {vanaf} tot en met {tot} zijn {len(years)} schooljaren; een verslag toont er hoogstens {MAX_JAREN}."
        )
    return years


def _naam(naam: str) -> str:
    naam = " ".join(str(naam).split())
    if not naam or len(naam) > MAX_TEXT["gemeentenaam"]:
        raise ParameterFout(
            f"--naam: geef de naam van de gemeente zoals die in het verslag staat (hoogstens {MAX_TEXT['gemeentenaam']} tekens)."
        )
    return naam


def _refuse_existing(map_: str, tot: str, vanaf: str) -> None:
    """Nothing is overwritten: an existing data or params folder, or workbook, stops the command."""
    there = [
        p
        for p in (paths.DATA / map_, paths.PARAMS / map_, werkmap_pad(map_, tot, vanaf))
        if p.exists() or p.is_symlink()
    ]
    if there:
        raise ParameterFout(
            f"{', '.join(paths.relative(p) for p in there)} {'bestaat' if len(there) == 1 else 'bestaan'} al; nieuwe-gemeente maakt alleen een gemeente "
            "die er nog niet is en overschrijft niets. Kies een andere mapnaam, of ga verder met wat er staat."
        )


def _chosen(project: Verslag, secties: list[str] | None) -> Verslag:
    """The project's definition with only the chosen sections, in the project's chapters and order."""
    keys = list(project.secties) if not secties else [s.strip() for s in secties if s.strip()]
    unknown = [k for k in keys if k not in project.secties]
    if unknown:
        raise ParameterFout(
            f"--secties: onbekende sectie(s) {', '.join(kort(k, 40) for k in unknown)}. "
            f"Bekend zijn: {', '.join(project.secties)}."
        )
    if not keys:
        raise ParameterFout("--secties: kies minstens één sectie.")
    chapters = tuple((title, tuple(k for k in chapter if k in keys)) for title, chapter in project.hoofdstukken)
    return dataclasses.replace(
        project,
        hoofdstukken=tuple((t, ks) for t, ks in chapters if ks),
        secties={k: s for k, s in project.secties.items() if k in keys},
    )


def _staging(folder: Path) -> Path:
    staged = folder.with_name(f".{folder.name}.nieuw")
    shutil.rmtree(staged, ignore_errors=True)  # left by an earlier attempt that was stopped
    staged.mkdir(parents=True)
    return staged


def _write_data(folder: Path, definitie: Verslag) -> list[Path]:
    """One CSV per table the sections need: the schema's header, no rows."""
    written = []
    for name in definitie.tabellen:
        target = folder / f"{name}.csv"
        target.write_text(",".join(schema()[name].columns) + "\n", encoding="utf-8")
        written.append(target)
    return written


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES / paths.OPZET),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not HTML: every value goes through the yaml filter
    )
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)  # JSON strings are YAML
    return env


def _write_definition(target: Path, map_: str, naam: str, definitie: Verslag) -> None:
    project = projectdefinitie()
    text = (
        _templates()
        .get_template("verslag.yaml.j2")
        .render(
            map=map_,
            naam=naam,
            hoofdstukken=definitie.hoofdstukken,
            koppen={k: s.titel for k, s in definitie.secties.items()},
            alle=list(project.secties),
        )
    )
    target.write_text(text, encoding="utf-8")


def _write_params(target: Path, map_: str, naam: str, years: list[str], today: dt.date, definitie: Verslag) -> None:
    tot = years[-1]
    text = (
        _templates()
        .get_template("params.yaml.j2")
        .render(
            map=map_,
            naam=naam,
            schooljaar=tot,
            titel=TITEL,
            auteur=f"Gemeente {naam}",
            datum=_datum(tot, today).isoformat(),
            plekken=definitie.tekstplekken,
            aantal_jaren=standaard("aantal_jaren"),
            jaren=len(years),  # a workbook over more or fewer years than the default: each one shown
            marge=str(standaard("marge_landelijk")).replace(".", ","),
            kleine_aantallen=KLEINE_AANTALLEN,
        )
    )
    target.write_text(text, encoding="utf-8")


def _datum(tot: str, today: dt.date) -> dt.date:
    """Today, when a report on `tot` can carry that date; else 1 December after the school year."""
    earliest, latest = datum_bereik(tot)
    return today if earliest <= today <= latest else dt.date(earliest.year + 1, 12, 1)
