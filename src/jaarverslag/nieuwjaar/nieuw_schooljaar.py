"""A new school year's params file, made from last year's (`jaarverslag nieuw-schooljaar`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from jaarverslag import paths
from jaarverslag.errors import ParameterFout
from jaarverslag.formatting import schooljaar_naar_getal
from jaarverslag.invoer.checklist import checklist, regio_checklist
from jaarverslag.invoer.params import check_names, params_path
from jaarverslag.invoer.paramsmodel import is_regio
from jaarverslag.invoer.yamlbestand import read_yaml


def previous_params(gemeente: str, schooljaar: str) -> Path:
    """The most recent params file of the gemeente before `schooljaar`."""
    start = schooljaar_naar_getal(schooljaar)
    earlier = sorted(
        (p for p in (paths.PARAMS / gemeente).glob("*.yaml") if schooljaar_naar_getal(p.stem) < start),
        key=lambda p: p.stem,
    )
    if not earlier:
        raise ParameterFout(
            f"Er is nog geen parameterbestand voor {gemeente} om van uit te gaan (map params/{gemeente}/)."
        )
    return earlier[-1]


def new_school_year(gemeente: str, schooljaar: str, today: dt.date | None = None) -> tuple[Path, list[str]]:
    """Create params/<gemeente>/<schooljaar>.yaml from last year's; return it and the checklist."""
    gemeente, schooljaar = check_names(gemeente, schooljaar)
    target = params_path(gemeente, schooljaar)
    if target.exists():
        raise ParameterFout(
            f"{paths.relative(target)} bestaat al; pas dat bestand aan in plaats van een nieuw te maken."
        )
    source = previous_params(gemeente, schooljaar)
    params = read_yaml(source, paths.relative(source))
    params["schooljaar"] = schooljaar
    params["datum"] = (today or dt.date.today()).isoformat()
    params.pop("teksten", None)  # texts are about one year; write new ones
    header = (
        f"# Gemaakt uit {source.name} met `jaarverslag nieuw-schooljaar`.\n"
        "# Controleer titel, auteur en datum; voeg eventueel tekstblokken toe onder 'teksten:'.\n"
    )
    target.write_text(header + yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if is_regio(params):  # a region: what each of its gemeenten still lacks
        return target, regio_checklist(gemeente, list(params["gemeenten"]), schooljaar)
    return target, checklist(gemeente, schooljaar)
