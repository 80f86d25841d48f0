"""The report definition: which chapters and sections a report shows, in which order.

It is data: data/verslag.yaml for the project, and optionally data/<gemeente>/verslag.yaml,
which replaces the chapter list (the gemeente's choice and order of sections) and adds or
changes sections. Labels, units and category names come from data/schema.yaml only. The
notebook, the table of contents, the Excel companion, the validation, the loader and the
new-year checklist all follow `verslag(gemeente)`. A definition that names an unknown
table, column, chart kind or rule is refused before any data is read, with a Dutch
message that names the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort
from jaarverslag.invoer import bbv, benodigd, vertaling
from jaarverslag.invoer.kerncijfer import KERNCIJFER_VORM, Kerncijfer
from jaarverslag.invoer.schema import Table, eigen_schema, gebruik, niet_te_berekenen, schema, table_path
from jaarverslag.invoer.sectiedefinitie import BESTAND, KOP, SLEUTEL, VAST, Section, _fout, _section, _title
from jaarverslag.invoer.yamlbestand import read_yaml


class _Lijst(BaseModel):
    """The `kerncijfers:` of a definition file, for its messages."""

    kerncijfers: list[Kerncijfer] = Field(description="een lijst van {tabel, kolom} met eventueel landelijk en label")


@dataclass(frozen=True)
class Verslag:
    """The sections a gemeente's report shows, by chapter, and the project's sections it leaves out."""

    hoofdstukken: tuple[tuple[str, tuple[str, ...]], ...]
    secties: dict[str, Section]  # in report order
    weggelaten: tuple[Section, ...] = ()
    bestanden: tuple[Path, ...] = ()
    kerncijfers: tuple[Kerncijfer, ...] = ()  # the definition's key figures, for every gemeente

    def secties_van(self, hoofdstuk: str) -> list[str]:
        return next(list(keys) for title, keys in self.hoofdstukken if title == hoofdstuk)

    @property
    def tabellen(self) -> tuple[str, ...]:
        """The input tables the chosen sections use (a derived table by its sources), in schema order."""
        used = {t for s in self.secties.values() for t in bbv.BRONNEN.get(s.tabel, (s.tabel,))}
        return tuple(name for name in schema() if name in used)

    @cached_property
    def nodig(self) -> dict[str, tuple[str, ...]]:
        """Per input table, the columns this report needs: what it prints or checks (benodigd.py)."""
        return benodigd.kolommen(self.secties.values(), self.standaard_kerncijfers(), self.tabellen)

    def invoertabel(self, name: str) -> Table:
        """An input table as this report asks for it: its schema with only the columns it needs."""
        return benodigd.ingekort(schema()[name], self.nodig[name])

    @property
    def afgeleid(self) -> tuple[str, ...]:
        """The derived tables the sections show (figures per 1.000)."""
        return tuple(dict.fromkeys(s.tabel for s in self.secties.values() if s.tabel in bbv.AFGELEID))

    @property
    def tekstplekken(self) -> tuple[str, ...]:
        """Where params can place a text block: the introduction, each chapter, each section."""
        return ("inleiding", *(anker(title) for title, _ in self.hoofdstukken), *self.secties)

    @property
    def regels(self) -> tuple:
        """Every findings rule, in report order."""
        return tuple(rule for s in self.secties.values() for rule in s.kernpunten)

    def standaard_kerncijfers(self, regio: bool = False) -> tuple[Kerncijfer, ...]:
        """The definition's key figures that this report's sections show (and, in a region, that
        the region can compute): what a params file without `kerncijfers` gets."""
        return tuple(
            k
            for k in self.kerncijfers
            if self.sectie_met_kolom(k.tabel, k.kolom)
            and not (regio and k.tabel in schema() and k.kolom in niet_te_berekenen(k.tabel))
        )

    def sectie_met_kolom(self, tabel: str, kolom: str) -> Section | None:
        return next((s for s in self.secties.values() if s.tabel == tabel and kolom in s.kolommen), None)


def anker(title: str) -> str:
    """A chapter's anchor in the HTML and its key for a text block: 'Eigen onderwerpen' -> 'eigen-onderwerpen'."""
    return title.lower().replace(" ", "-")


def bestanden(gemeente: str) -> list[Path]:
    """The project's definition and, when there is one, the gemeente's own."""
    own = paths.DATA / gemeente / BESTAND
    return [paths.DATA / BESTAND, *([own] if own.exists() or own.is_symlink() else [])]


def verslag(gemeente: str) -> Verslag:
    """The report definition of a gemeente, checked against the schema (read again when a file changes).

    From here on `schema()` holds the gemeente's own tables too (data/<gemeente>/schema.yaml).
    """
    gebruik(gemeente)
    stamps = tuple((f, _version(f)) for f in bestanden(gemeente))
    tables = tuple((f, _version(f)) for f in (paths.SCHEMA_FILE, eigen_schema(gemeente)))
    return _verslag(stamps, tables)


def projectdefinitie() -> Verslag:
    """The project's own report definition (data/verslag.yaml), every section of it: what a new
    gemeente chooses from."""
    gebruik(None)
    project = paths.DATA / BESTAND
    return _verslag(((project, _version(project)),), ((paths.SCHEMA_FILE, _version(paths.SCHEMA_FILE)),))


def _version(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # missing or a broken link: reading it gives the Dutch message
        return 0


@cache
def _verslag(stamps: tuple[tuple[Path, int], ...], _tables: tuple[tuple[Path, int], ...]) -> Verslag:
    files = [f for f, _ in stamps]
    (project, data), *own = [(paths.relative(f), _read(f)) for f in files]
    sections = {key: (spec, {"": project}) for key, spec in _secties(data, project).items()}
    chapters = (data.get("hoofdstukken"), project)
    for where, extra in own:
        if not extra.get("hoofdstukken") and not extra.get("secties") and GEMEENTECODE not in extra:
            raise ParameterFout(
                f"{where}: deze verslagdefinitie is leeg; geef hoofdstukken of secties, of verwijder het bestand."
            )
        for key, spec in _secties(extra, where).items():
            sections[key] = _merged(sections.get(key), spec, where)
        if "hoofdstukken" in extra:
            chapters = (extra["hoofdstukken"], where)
    problems: list[str] = []
    chosen = _chapters(*chapters, sections, problems)
    placed = {key for _, keys in chosen for key in keys}
    for where, extra in own:
        for key in _secties(extra, where):
            if key not in placed and key not in _secties(data, project):
                message = "deze eigen sectie staat in geen hoofdstuk; zet haar sleutel onder hoofdstukken."
                problems.append(str(_fout(where, f"secties.{key}", message)))
    built = _checked(((key, title) for title, keys in chosen for key in keys), sections, problems)
    left_out = _checked(((key, "") for key in _secties(data, project) if key not in placed), sections, problems)
    if problems:
        raise vertaling.Problemen(problems, KOP)
    kerncijfers = _kerncijfers(
        *next(((extra, w) for w, extra in reversed(own) if "kerncijfers" in extra), (data, project))
    )
    return Verslag(chosen, built, tuple(left_out.values()), tuple(files), kerncijfers)


def _kerncijfers(data: dict, where: str) -> tuple[Kerncijfer, ...]:
    """The definition's `kerncijfers:` (a gemeente's own list replaces the project's), checked for form;
    whether a report can show one is checked where params take it (kerncijferkeuze)."""
    try:
        return tuple(_Lijst.model_validate({"kerncijfers": data.get("kerncijfers") or []}).kerncijfers)
    except ValidationError as exc:
        raise vertaling.params_fout(exc, _Lijst, where, {"kerncijfers": KERNCIJFER_VORM}) from None


def _checked(keys, sections: dict, problems: list[str]) -> dict[str, Section]:
    """The sections checked; every problem of every section goes into `problems`, so that the
    message lists them all at once."""
    out = {}
    for key, chapter in keys:
        try:
            out[key] = _section(key, chapter, *sections[key])
        except vertaling.Problemen as exc:
            problems += exc.regels
    return out


def _merged(base: tuple[dict, dict] | None, spec: dict, where: str) -> tuple[dict, dict]:
    """A gemeente's section over the project's: key by key (the chart too); a section on another
    table is the gemeente's own, whole. Also which file gave each key ({key or 'grafiek.x': file})."""
    own = {"": where, **{k: where for k in spec}}
    if base is None or spec.get("tabel", base[0].get("tabel")) != base[0].get("tabel"):
        return spec, own
    merged = {**base[0], **spec}
    origins = {**base[1], **own}
    if isinstance(base[0].get("grafiek"), dict) and isinstance(spec.get("grafiek"), dict):
        merged["grafiek"] = {**base[0]["grafiek"], **spec["grafiek"]}
        origins.update({f"grafiek.{k}": base[1].get("grafiek", base[1][""]) for k in base[0]["grafiek"]})
        origins.update({f"grafiek.{k}": where for k in spec["grafiek"]})
    origins[""] = base[1][""]
    return merged, origins


def _read(path: Path) -> dict:
    """A definition file, read as strictly as a params file (bounded, no aliases, no double keys)."""
    where = paths.relative(path)
    data = read_yaml(path, where) or {}
    if not isinstance(data, dict):
        raise ParameterFout(f"{where}: de verslagdefinitie is een lijst van sleutels (hoofdstukken, secties).")
    unknown = set(data) - {"hoofdstukken", "secties", "kerncijfers", GEMEENTECODE}
    if unknown:
        raise ParameterFout(
            f"{where}: onbekende sleutel(s) {', '.join(sorted(map(str, unknown)))}; "
            "een verslagdefinitie kent alleen hoofdstukken, secties, kerncijfers en gemeentecode."
        )
    return data


GEMEENTECODE = "gemeentecode"  # the CBS code of the gemeente (0150 or GM0150), as DUO's GEMCODE has it
CBS_CODE = re.compile(r"^(?:GM)?([0-9]{1,4})$", re.IGNORECASE)


def gemeentecode(gemeente: str) -> str | None:
    """The gemeente's CBS code without GM and leading zeros ('150' for 0150), from data/<gemeente>/verslag.yaml."""
    own = paths.DATA / gemeente / BESTAND
    if not (own.exists() or own.is_symlink()):
        return None
    value = _read(own).get(GEMEENTECODE)
    if value is None:
        return None
    if not isinstance(value, str):  # YAML reads 0150 as the octal number 104
        raise _fout(
            paths.relative(own),
            GEMEENTECODE,
            'zet de code tussen aanhalingstekens, zoals het CBS hem schrijft: gemeentecode: "0150" (zonder '
            "aanhalingstekens leest YAML 0150 als een ander getal).",
        )
    found = CBS_CODE.match(value.strip())
    if not found or not int(found[1]):
        raise _fout(
            paths.relative(own),
            GEMEENTECODE,
            f"'{kort(str(value), 20)}' is geen CBS-gemeentecode; schrijf hem zoals het CBS: '0150' of 'GM0150' (tussen aanhalingstekens).",
        )
    return str(int(found[1]))


def _secties(data: dict, where: str) -> dict:
    value = data.get("secties") or {}
    if not isinstance(value, dict):
        raise _fout(where, "secties", "schrijf de secties als sleutels met hun waarde.")
    for key, spec in value.items():
        if not isinstance(key, str) or not SLEUTEL.fullmatch(key) or key in VAST:
            raise _fout(
                where,
                f"secties.{kort(str(key), 40)}",
                "een sectiesleutel bestaat uit kleine letters, cijfers en _ (bijvoorbeeld thuiszitters) en is "
                f"niet een van {', '.join(sorted(VAST))}.",
            )
        if not isinstance(spec, dict):
            raise _fout(where, f"secties.{key}", "schrijf de sectie als sleutels met hun waarde (tabel, titel, ...).")
    return value


def _chapters(value, where: str, sections: dict, problems: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The chapters with their sections; a chapter with a problem is left out and its problem
    goes into `problems` (the others are still checked)."""
    if not isinstance(value, list) or not value:
        raise _fout(where, "hoofdstukken", "geef een lijst van hoofdstukken, elk met een titel en secties.")
    out, seen, ids = [], set(), set(VAST) | set(sections)
    for number, chapter in enumerate(value, start=1):
        try:
            out.append(_chapter(chapter, where, f"hoofdstukken, nummer {number}", sections, seen, ids))
        except ParameterFout as exc:
            problems.append(str(exc))
    return tuple(out)


def _chapter(chapter, where: str, here: str, sections: dict, seen: set, ids: set) -> tuple[str, tuple[str, ...]]:
    if not isinstance(chapter, dict) or set(chapter) != {"titel", "secties"}:
        raise _fout(where, here, "schrijf een hoofdstuk als {titel: ..., secties: [...]}.")
    title, keys = _title(chapter["titel"], where, f"{here}.titel"), chapter["secties"]
    anchor = re.sub(r"[^a-z0-9-]", "", anker(title))[:50]  # as its cells are named in the notebook
    if not anchor or anchor in ids or anker(title) in ids:
        raise _fout(where, f"{here}.titel", f"een ander hoofdstuk, een sectie of een vast deel heet al '{title}'.")
    ids |= {anchor, anker(title)}
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise _fout(where, f"{here}.secties", "geef de secties als een lijst van sleutels (minstens één).")
    for key in keys:
        if key not in sections:
            known = ", ".join(sections)
            raise _fout(where, f"{here}.secties", f"onbekende sectie '{kort(key, 40)}'; bekend zijn: {known}.")
        if key in seen:
            raise _fout(where, f"{here}.secties", f"sectie '{key}' staat al in een eerder hoofdstuk.")
        seen.add(key)
    return title, tuple(keys)


def input_files(gemeente: str, verslag_van: str | None = None) -> list[Path]:
    """Every input file of a gemeente for a report (its own, or a region's `verslag_van`), in
    schema order: the tables that report's definition uses."""
    return [table_path(gemeente, name) for name in verslag(verslag_van or gemeente).tabellen]
