"""Load and validate params/<gemeente>/<schooljaar>.yaml before anything executes."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort
from jaarverslag.invoer import vertaling
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.paramsmodel import KERNCIJFER_VORM, REGIO_SLEUTELS, Params, check_gemeente
from jaarverslag.invoer.schema import CellError, parse_schooljaar
from jaarverslag.invoer.yamlbestand import read_yaml, read_yaml_with_digest


def check_schooljaar(schooljaar: str) -> str:
    """A school year as JJJJ-JJJJ (2022/23 becomes 2022-2023); nothing else reaches a path."""
    try:
        return parse_schooljaar(kort(schooljaar, 40))
    except CellError as exc:
        raise ParameterFout(f"Schooljaar: {exc}") from exc


SCHOOLJAAR_ARGUMENT = re.compile(r"[0-9]{4}-[0-9]{4}")


def check_schooljaar_argument(schooljaar: str) -> str:
    """A school year typed on the command line: exactly JJJJ-JJJJ, consecutive years. Make builds a
    path from the same text, so 2022/2023 is refused here too rather than read as 2022-2023."""
    if not SCHOOLJAAR_ARGUMENT.fullmatch(schooljaar):
        raise ParameterFout(
            f"Schooljaar '{kort(schooljaar, 40)}': schrijf het schooljaar als JJJJ-JJJJ, "
            "twee opeenvolgende jaren met een streepje, bijvoorbeeld 2022-2023."
        )
    return check_schooljaar(schooljaar)


def check_names(gemeente: str, schooljaar: str) -> tuple[str, str]:
    """The gemeente and the school year, checked and normalised."""
    return check_gemeente(gemeente), check_schooljaar(schooljaar)


def params_path(gemeente: str, schooljaar: str) -> Path:
    return paths.PARAMS / gemeente / f"{schooljaar}.yaml"


def ruwe_waarde(gemeente: str, schooljaar: str, key: str):
    """One key of a params file as written, without checking the file (None when it has none, or
    cannot be read: the build itself reports that)."""
    path = params_path(gemeente, schooljaar)
    try:
        data = read_yaml(path, paths.relative(path)) if path.exists() else {}
    except ParameterFout:
        return None
    return data.get(key) if isinstance(data, dict) else None


def regio_leden(gemeente: str, schooljaar: str) -> list[str]:
    """The gemeenten a region's params file names (empty for a gemeente)."""
    members = ruwe_waarde(gemeente, schooljaar, "gemeenten")
    return [str(g) for g in members] if isinstance(members, dict) else []


def all_reports() -> list[tuple[str, str]]:
    """Every (gemeente, schooljaar) that has a params file."""
    return sorted((p.parent.name, p.stem) for p in paths.PARAMS.glob("*/*.yaml"))


def default_report(gemeente: str | None = None, schooljaar: str | None = None) -> tuple[str, str]:
    """Fill in what the analyst left out: the only gemeente there is, and its latest school year."""
    if gemeente:
        check_gemeente(gemeente)
    if schooljaar:
        schooljaar = check_schooljaar(schooljaar)
    reports = all_reports()
    if not gemeente:
        names = sorted({g for g, _ in reports})
        if len(names) != 1:
            raise ParameterFout(
                "Geef de gemeente op; in params/ staan er " + (", ".join(names) if names else "nog geen") + "."
            )
        gemeente = names[0]
    if not schooljaar:
        years = [s for g, s in reports if g == gemeente]
        if not years:
            raise ParameterFout(f"Er is nog geen parameterbestand in params/{gemeente}/.")
        schooljaar = years[-1]
    return gemeente, schooljaar


def validate(raw: dict, where: str, gemeente: str, schooljaar: str, text_spots: tuple[str, ...] = ()) -> dict:
    """Check a params file against its model; return params with every default filled in.
    Every problem of the file is in the one message."""
    if not isinstance(raw, dict):
        raise ParameterFout(f"{where}: het bestand moet sleutels met waarden bevatten (YAML).")
    context = {"gemeente": gemeente, "schooljaar": schooljaar, "tekstplekken": text_spots, "ruw": raw}
    try:
        model = Params.model_validate(raw, context=context)
    except ValidationError as exc:
        raise vertaling.params_fout(exc, Params, where, {"kerncijfers": KERNCIJFER_VORM}) from None
    region_only = (
        set() if model.gemeenten else {"gemeenten", *REGIO_SLEUTELS}
    )  # a gemeente's params say nothing of a region
    params = model.model_dump(exclude_none=True, exclude=region_only)
    if model.kerncijfers is None:  # the report definition's, as far as this report's sections show them
        chosen = verslag(gemeente).standaard_kerncijfers(regio=bool(model.gemeenten))
        params["kerncijfers"] = [k.model_dump(exclude_none=True) for k in chosen]
    params["datum"] = model.datum.isoformat()
    return params


def load_params(gemeente: str, schooljaar: str, verwacht: str | None = None) -> dict:
    """Read and validate the params of one report (with `verwacht`: only if its sha256 is that)."""
    return load_params_with_digest(gemeente, schooljaar, verwacht)[0]


def load_params_with_digest(gemeente: str, schooljaar: str, verwacht: str | None = None) -> tuple[dict, str]:
    """The params of one report and the sha256 of the bytes they were read from. The gemeente's
    report definition is checked first: its sections are where params can place texts."""
    gemeente, schooljaar = check_names(gemeente, schooljaar)
    text_spots = verslag(gemeente).tekstplekken
    path = params_path(gemeente, schooljaar)
    where = paths.relative(path)
    if not path.exists():
        available = sorted(p.stem for p in (paths.PARAMS / gemeente).glob("*.yaml"))
        hint = f" Beschikbaar voor {gemeente}: {', '.join(available)}." if available else ""
        raise ParameterFout(
            f"Er is geen parameterbestand {where} voor {gemeente} {schooljaar}.{hint} "
            f"Een nieuw schooljaar begin je met: jaarverslag nieuw-schooljaar {gemeente} {schooljaar}"
        )
    data, digest = read_yaml_with_digest(path, where)
    if verwacht is not None and digest != verwacht:
        raise ParameterFout(
            f"{where}: het bestand is gewijzigd nadat de build het controleerde. Het verslag is niet gemaakt; "
            "start de build opnieuw als het bestand klaar is."
        )
    return validate(data, where, gemeente, schooljaar, text_spots), digest
