"""The data dictionary (data/schema.yaml) and where each table's file is; light to import."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from jaarverslag import paths
from jaarverslag.errors import InvoerFout, Melding, kort

SUFFIXES = (".csv", ".xlsx")
SCHOOLJAAR = re.compile(r"^([0-9]{4})\s*[-/]\s*([0-9]{4}|[0-9]{2})$")


@dataclass(frozen=True)
class Table:
    """What the schema says about one input table."""

    name: str
    title: str
    source: str
    required: bool
    columns: dict[str, dict]
    optelling: dict | None = None  # the table's rows add up to a total elsewhere (see geheim.py)

    @property
    def key(self) -> list[str]:
        return [c for c, spec in self.columns.items() if spec["type"] in ("schooljaar", "categorie")]


def schema() -> dict[str, Table]:
    """The data dictionary (data/schema.yaml) as Table objects, in file order (read again when it changes)."""
    try:
        version = paths.SCHEMA_FILE.stat().st_mtime_ns
    except OSError:
        version = 0
    return _schema(paths.SCHEMA_FILE, version)


@cache
def _schema(path: Path, _version: int) -> dict[str, Table]:
    where = paths.relative(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))["tabellen"]
        return {
            name: Table(
                name, spec["titel"], spec["bron"], bool(spec.get("verplicht")), spec["kolommen"], spec.get("optelling")
            )
            for name, spec in raw.items()
        }
    except yaml.YAMLError as exc:
        raise InvoerFout([Melding(where, f"dit is geen geldige YAML ({str(exc)[:300]}).")]) from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise InvoerFout(
            [Melding(where, f"het gegevenswoordenboek mist een onderdeel of heeft de verkeerde vorm ({exc!s:.100}).")]
        ) from exc


class CellError(ValueError):
    """A single cell that cannot be converted; the message is Dutch."""


def parse_schooljaar(value) -> str:
    text = "" if value is None else str(value).strip()
    match = SCHOOLJAAR.match(text)
    if not match:
        raise CellError(f"'{kort(text)}' is geen schooljaar; schrijf het als 2022-2023.")
    first, second = int(match[1]), match[2]
    expected = first + 1
    if (len(second) == 4 and int(second) != expected) or (len(second) == 2 and int(second) != expected % 100):
        raise CellError(f"'{kort(text)}' is geen schooljaar: het tweede jaar moet direct op het eerste volgen.")
    return f"{first}-{expected}"


def table_path(gemeente: str, name: str) -> Path:
    """The one file of a table: <name>.csv or <name>.xlsx in data/<gemeente>/."""
    folder = paths.DATA / gemeente
    found = [folder / f"{name}{suffix}" for suffix in SUFFIXES if (folder / f"{name}{suffix}").exists()]
    if len(found) > 1:
        raise InvoerFout(
            [Melding(paths.relative(folder), f"tabel '{name}' staat er zowel als .csv als .xlsx; laat er één staan.")]
        )
    return found[0] if found else folder / f"{name}.csv"


def niet_te_berekenen(tabel: str) -> list[str]:
    """The columns of a table that a region cannot compute (a percentage without teller and noemer)."""
    return [
        c
        for c, spec in schema()[tabel].columns.items()
        if spec["type"] in ("percentage", "per_duizend")
        and not spec.get("landelijk_van")
        and not (spec.get("teller") and spec.get("noemer"))
    ]


schema.cache_clear = _schema.cache_clear  # type: ignore[attr-defined]
