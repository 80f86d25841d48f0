"""Load and validate params/<gemeente>/<schooljaar>.yaml before anything executes."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import yaml

from . import paths
from .errors import ParameterFout
from .schema import CellError, parse_schooljaar

# key -> (type, required, Dutch description)
KEYS: dict[str, tuple[type, bool, str]] = {
    "gemeente": (str, True, "mapnaam van de gemeente in data/ en params/, in kleine letters, bijvoorbeeld 'zwolle'"),
    "gemeentenaam": (str, True, "naam zoals die in het verslag staat, bijvoorbeeld 'Zwolle'"),
    "schooljaar": (str, True, "het schooljaar van het verslag, bijvoorbeeld '2022-2023'"),
    "titel": (str, True, "titel van het verslag"),
    "auteur": (str, True, "maker van het verslag (komt in de PDF-metadata)"),
    "datum": (dt.date, True, "datum van het verslag, JJJJ-MM-DD (staat op de titelpagina)"),
    "aantal_jaren": (int, False, "aantal schooljaren in elke tabel (standaard 5)"),
    "marge_landelijk": (
        float,
        False,
        "verschil in procentpunt waaronder een percentage 'ongeveer gelijk' is aan landelijk (standaard 0,1)",
    ),
    "teksten": (dict, False, "optionele tekstblokken (Markdown) per plek in het verslag"),
}
DEFAULTS = {"aantal_jaren": 5, "marge_landelijk": 0.1, "teksten": {}}


def params_path(gemeente: str, schooljaar: str) -> Path:
    return paths.PARAMS / gemeente / f"{schooljaar}.yaml"


def all_reports() -> list[tuple[str, str]]:
    """Every (gemeente, schooljaar) that has a params file."""
    return sorted((p.parent.name, p.stem) for p in paths.PARAMS.glob("*/*.yaml"))


def default_report(gemeente: str | None = None, schooljaar: str | None = None) -> tuple[str, str]:
    """Fill in what the analyst left out: the only gemeente there is, and its latest school year."""
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


def _check_type(key: str, value, where: str):
    expected, _, description = KEYS[key]
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if expected is dt.date and isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(value)
    if not isinstance(value, expected) or isinstance(value, bool):
        raise ParameterFout(f"{where}: '{key}' heeft de verkeerde vorm ({value!r}); verwacht {description}.")
    return value


def validate(raw: dict, where: str, gemeente: str, schooljaar: str, text_spots: tuple[str, ...] = ()) -> dict:
    """Check keys and types; return params with defaults filled in."""
    if not isinstance(raw, dict):
        raise ParameterFout(f"{where}: het bestand moet sleutels met waarden bevatten (YAML).")
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise ParameterFout(f"{where}: onbekende sleutel(s) {', '.join(unknown)}. Toegestaan: {', '.join(KEYS)}.")
    missing = [k for k, (_, required, _) in KEYS.items() if required and k not in raw]
    if missing:
        raise ParameterFout(f"{where}: de sleutel(s) {', '.join(missing)} ontbreken.")
    params = {**DEFAULTS, **{k: _check_type(k, v, where) for k, v in raw.items()}}
    try:
        normalised = parse_schooljaar(params["schooljaar"])
    except CellError as exc:
        raise ParameterFout(f"{where}: 'schooljaar': {exc}") from exc
    if normalised != schooljaar or params["gemeente"] != gemeente:
        raise ParameterFout(
            f"{where}: het bestand hoort bij {params['gemeente']} {normalised}, "
            f"maar de bestandsnaam zegt {gemeente} {schooljaar}."
        )
    if not 1 <= params["aantal_jaren"] <= 15:
        raise ParameterFout(f"{where}: 'aantal_jaren' moet tussen 1 en 15 liggen.")
    bad_spots = sorted(set(params["teksten"]) - set(text_spots)) if text_spots else []
    if bad_spots:
        raise ParameterFout(
            f"{where}: onbekende tekstplek(ken) {', '.join(bad_spots)} onder 'teksten'. "
            f"Mogelijk: {', '.join(text_spots)}."
        )
    if any(not isinstance(v, str) for v in params["teksten"].values()):
        raise ParameterFout(f"{where}: elk tekstblok onder 'teksten' moet tekst (Markdown) zijn.")
    params["datum"] = params["datum"].isoformat()
    return params


def load_params(gemeente: str, schooljaar: str, text_spots: tuple[str, ...] = ()) -> dict:
    """Read and validate the params of one report."""
    try:
        schooljaar = parse_schooljaar(schooljaar)
    except CellError as exc:
        raise ParameterFout(f"Schooljaar: {exc}") from exc
    path = params_path(gemeente, schooljaar)
    where = paths.relative(path)
    if not path.exists():
        available = sorted(p.stem for p in (paths.PARAMS / gemeente).glob("*.yaml"))
        hint = f" Beschikbaar voor {gemeente}: {', '.join(available)}." if available else ""
        raise ParameterFout(
            f"Er is geen parameterbestand {where} voor {gemeente} {schooljaar}.{hint} "
            f"Een nieuw schooljaar begin je met: jaarverslag nieuw-schooljaar {gemeente} {schooljaar}"
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterFout(f"{where}: dit is geen geldige YAML ({exc}).") from exc
    return validate(raw, where, gemeente, schooljaar, text_spots)
