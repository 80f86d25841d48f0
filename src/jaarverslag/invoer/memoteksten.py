"""data/raadsmededeling.yaml: the project's fixed texts of the raadsmededeling, for what a
gemeente's params leave out (`raadsmededeling:`); checked like params texts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import ValidationError

from jaarverslag import paths
from jaarverslag.errors import ParameterFout
from jaarverslag.invoer import vertaling
from jaarverslag.invoer.memotekst import memotekst_fout
from jaarverslag.invoer.paramsmodel import Raadsmededeling as Teksten
from jaarverslag.invoer.yamlbestand import read_yaml

BESTAND = "raadsmededeling.yaml"
TEKSTEN = tuple(k for k in Teksten.model_fields if k not in ("aantal_punten", "punten"))


def pad() -> Path:
    return paths.DATA / BESTAND


def standaardteksten() -> Teksten:
    """data/raadsmededeling.yaml, checked: every text present, only the allowed {fields}."""
    path = pad()
    return _standaard(path, path.stat().st_mtime_ns if path.exists() else 0)


@cache
def _standaard(path: Path, version: int) -> Teksten:
    where = paths.relative(path)
    if not path.exists():
        raise ParameterFout(f"{where} ontbreekt: daar staan de vaste teksten van de raadsmededeling.")
    data = read_yaml(path, where)
    try:
        teksten = Teksten.model_validate(data if isinstance(data, dict) else {})
    except ValidationError as exc:
        raise vertaling.params_fout(exc, Teksten, where, {}) from None
    missing = [k for k in Teksten.model_fields if getattr(teksten, k) is None and k != "punten"]
    if missing:
        raise ParameterFout(f"{where}: de sleutel(s) {', '.join(missing)} ontbreken.")
    for key in TEKSTEN:
        value = getattr(teksten, key)
        for text in value if isinstance(value, list) else [value]:
            problem = memotekst_fout(text)
            if problem:
                raise ParameterFout(f"{where}: '{key}' {problem}")
    return teksten
