"""The data dictionary and where each table's file is; light to import.

The project's tables are in data/schema.yaml. A gemeente may add tables of its own in
data/<gemeente>/schema.yaml; those count only in that gemeente's reports. Which gemeente's
tables are in force is set by reading its report definition (`definitie.verslag`), where
every report starts: `schema()` is then the project's tables and that gemeente's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from jaarverslag import paths
from jaarverslag.errors import InvoerFout, Melding, kort
from jaarverslag.invoer.bbv import AFGELEID

SUFFIXES = (".csv", ".xlsx")
EIGEN = "schema.yaml"  # a gemeente's own tables, in data/<gemeente>/
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
    bestand: str = "data/schema.yaml"  # the schema file that defines it, for messages and the trail

    @property
    def key(self) -> list[str]:
        return [c for c, spec in self.columns.items() if spec["type"] in ("schooljaar", "categorie")]


_in_force: list[str | None] = [None]  # the gemeente whose own tables count (None: the project's only)


def gebruik(gemeente: str | None) -> None:
    """Let `schema()` hold the project's tables and, from now on, those of this gemeente."""
    _in_force[0] = gemeente


def eigen_schema(gemeente: str) -> Path:
    return paths.DATA / gemeente / EIGEN


def project_schema() -> dict[str, Table]:
    """The project's own tables (data/schema.yaml), in file order (read again when it changes)."""
    return _schema(paths.SCHEMA_FILE, _version(paths.SCHEMA_FILE))


def schema() -> dict[str, Table]:
    """The project's tables, then those of the gemeente in force (see `gebruik`)."""
    project = project_schema()
    gemeente = _in_force[0]
    own = eigen_schema(gemeente) if gemeente else None
    if own is None or not (own.exists() or own.is_symlink()):
        return project
    return _met_eigen(own, _version(own), paths.SCHEMA_FILE, _version(paths.SCHEMA_FILE))


def _version(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@cache
def _met_eigen(own: Path, _version_own: int, project_file: Path, _version_project: int) -> dict[str, Table]:
    project = _schema(project_file, _version_project)
    added = _schema(own, _version_own)
    where, there = paths.relative(own), paths.relative(project_file)
    clashes = [
        Melding(where, _redefinition(name, project[name], added[name], there)) for name in added if name in project
    ]
    clashes += [
        Melding(where, f"tabel '{name}' heeft de naam van {why}; kies een andere naam.")
        for name, why in ((n, _reserved(n)) for n in added)
        if why
    ]
    if clashes:
        raise InvoerFout(clashes)
    return project | added


def _redefinition(name: str, project: Table, own: Table, there: str) -> str:
    shared = [c for c in own.columns if c in project.columns and c != "schooljaar"]
    what = f"tabel '{name}' (met kolom {', '.join(shared)})" if shared else f"tabel '{name}'"
    return (
        f"{what} staat al in {there}. Een gemeente voegt alleen eigen tabellen toe; een tabel van het "
        "project wijzigen raakt de verslagen van alle gemeenten. Geef je tabel een eigen naam."
    )


def _reserved(name: str) -> str | None:
    """Why a table name of a gemeente's own cannot be used: it is a derived table or a cross-table check."""
    if name in AFGELEID:
        return "een afgeleide tabel van het project"
    return "een controle over tabellen heen (kruis_...)" if name.startswith("kruis_") else None


@cache
def _schema(path: Path, _version: int) -> dict[str, Table]:
    where = paths.relative(path)
    why = paths.not_a_plain_file(path) if path != paths.SCHEMA_FILE else None
    if why:  # a gemeente's own file: a link out of the project or a pipe is not read
        raise InvoerFout([Melding(where, why)])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))["tabellen"]
        return {
            name: Table(
                name,
                spec["titel"],
                spec["bron"],
                bool(spec.get("verplicht")),
                spec["kolommen"],
                spec.get("optelling"),
                where,
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


def _clear() -> None:
    _schema.cache_clear()
    _met_eigen.cache_clear()


schema.cache_clear = _clear  # type: ignore[attr-defined]
