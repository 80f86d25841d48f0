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
from jaarverslag.invoer.yamlbestand import SNELLE_LOADER, lees_snel, yamlfout

SUFFIXES = (".csv", ".xlsx")
STATUS = "status"  # the optional column of every table: voorlopig, nader_voorlopig or definitief
DEFINITIEF, VOORLOPIG, NADER_VOORLOPIG = "definitief", "voorlopig", "nader_voorlopig"
STATUS_ORDE = (DEFINITIEF, NADER_VOORLOPIG, VOORLOPIG)  # least final last: a sum has its parts' latest
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
    def verplichte_kolommen(self) -> list[str]:
        """The columns a file must have (all but `status`, which may be left out)."""
        return [c for c, spec in self.columns.items() if not spec.get("optioneel")]

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
    shared = [c for c in own.columns if c in project.columns and c not in ("schooljaar", STATUS)]
    what = f"tabel '{name}' (met kolom {', '.join(shared)})" if shared else f"tabel '{name}'"
    return (
        f"{what} staat al in {there}. Een gemeente voegt alleen eigen tabellen toe; een tabel van het "
        "project wijzigen raakt de verslagen van alle gemeenten. Geef je tabel een eigen naam."
    )


def _status_kolom() -> dict:
    """The `status` column as data/schema.yaml declares it, for every table (a gemeente's own too)."""
    return next(iter(project_schema().values())).columns[STATUS]


def status_van(*statussen: str) -> str:
    """The status of a figure made of others (a sum, a rate, a difference): the least final one."""
    known = [s for s in statussen if s in STATUS_ORDE] or [DEFINITIEF]
    return max(known, key=STATUS_ORDE.index)


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
        document = lees_snel(path.read_text(encoding="utf-8"), SNELLE_LOADER, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise InvoerFout([Melding(where, yamlfout(exc))]) from exc
    tables = document.get("tabellen") if isinstance(document, dict) else None
    if not isinstance(tables, dict) or not tables:
        raise InvoerFout([Melding(where, "het bestand moet beginnen met 'tabellen:' met daaronder de tabellen.")])
    problems = [m for name, spec in tables.items() for m in _vormfouten(str(name), spec, where)]
    if path != paths.SCHEMA_FILE:
        status = _status_kolom()
    elif isinstance(document.get("status"), dict) and isinstance(document["status"].get("waarden"), list):
        status = {**document["status"], "optioneel": True}
    else:
        problems.append(
            Melding(where, "'status:' ontbreekt: de kolom die elke tabel mag hebben (zie de uitleg bovenin).")
        )
    if problems:
        raise InvoerFout(problems)
    return {
        name: Table(
            name,
            spec["titel"],
            spec["bron"],
            bool(spec.get("verplicht")),
            {**spec["kolommen"], STATUS: status},
            spec.get("optelling"),
            where,
        )
        for name, spec in tables.items()
    }


TYPES = ("schooljaar", "aantal", "percentage", "per_duizend", "categorie", "tekst")


def _vormfouten(name: str, spec, where: str) -> list[Melding]:
    """What is wrong with one table of a schema file, each problem naming the table and column."""
    here = f"tabel '{kort(name, 40)}'"
    if not isinstance(spec, dict):
        return [Melding(where, f"{here}: geef titel, bron en kolommen.")]
    missing = [k for k in ("titel", "bron", "kolommen") if not spec.get(k)]
    if missing:
        verb = "ontbreekt" if len(missing) == 1 else "ontbreken"
        return [Melding(where, f"{here}: {' en '.join(missing)} {verb}; een tabel heeft titel, bron en kolommen.")]
    columns = spec["kolommen"]
    if not isinstance(columns, dict):
        return [Melding(where, f"{here}: geef de kolommen als kolomnaam: {{type: ..., omschrijving: ...}}.")]
    problems = []
    if next(iter(columns), None) != "schooljaar":
        problems.append(Melding(where, f"{here}: de eerste kolom is schooljaar ({{type: schooljaar}})."))
    for column, definition in columns.items():
        kind = definition.get("type") if isinstance(definition, dict) else None
        if kind not in TYPES:
            problems.append(
                Melding(
                    where,
                    f"{here}, kolom '{kort(str(column), 40)}': type '{kort(str(kind), 30)}' bestaat niet; "
                    f"kies uit {', '.join(TYPES)}.",
                )
            )
        elif kind == "categorie" and not isinstance(definition.get("waarden"), list):
            problems.append(Melding(where, f"{here}, kolom '{column}': een categorie noemt haar waarden: [a, b, c]."))
    return problems


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
