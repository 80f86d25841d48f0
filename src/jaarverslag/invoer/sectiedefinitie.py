"""One section of the report definition, checked against the schema: its table, columns,
chart, footnotes and findings rules; every problem a Dutch message naming the file and the key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort
from jaarverslag.invoer import bbv, vertaling
from jaarverslag.invoer.regeldefinitie import fields, rule, tekst_of_regel
from jaarverslag.invoer.schema import schema
from jaarverslag.invoer.vertaling import regel

BESTAND = "verslag.yaml"
SLEUTEL = re.compile(r"[a-z][a-z0-9_]{0,39}")  # a section's key (fullmatch): also its anchor and its cells
TITEL = re.compile(r"[^\W_][\w ,.:/'’()-]*")  # a title (fullmatch): words, no Markdown, no line break
MAX_TITEL = 120
VAST = {"inleiding", "kerncijfers", "kernpunten", "datakwaliteit", "verantwoording", "inhoud", "inhoud-kop"}
WEERGAVEN = {  # how a section shows its table -> the chart kinds it can draw
    "tijdreeks": ("staaf", "lijn", "gestapeld"),
    "per_groep": ("lijn",),
    "verdeling": ("staaf",),
    "uitsplitsing": ("liggend",),
}
GRAFIEK_SLEUTELS = {"soort", "kolommen", "as"}
CIJFERTYPEN = ("aantal", "percentage", "per_duizend")


def _fout(where: str, key: str, text: str) -> ParameterFout:
    return ParameterFout(f"{where}, sleutel {key}: {text}")


@dataclass(frozen=True)
class Section:
    key: str
    hoofdstuk: str
    titel: str
    tabel: str
    kolommen: dict[str, str]  # column -> Dutch label (table header and legend), from the schema
    soort: str = "tijdreeks"  # the section's `weergave`: tijdreeks | per_groep | verdeling | uitsplitsing
    grafiek: str = "staaf"  # staaf | lijn | gestapeld | liggend
    grafiek_kolommen: tuple[str, ...] = ()
    groep: str | None = None  # category column for per_groep / verdeling
    groep_labels: dict[str, str] = field(default_factory=dict)
    grafiek_labels: dict[str, str] = field(default_factory=dict)  # legend labels; {gemeente} is filled in
    eenheid: str = "aantal"  # y-axis title
    uitleg: str = ""
    kernpunten: tuple = ()  # findings rules (findings.Trend, Aantal, Landelijk)
    voetnoten: tuple[str, ...] = ()  # text columns whose content is a row's footnote
    bron: str = ""  # the definition file that holds the section's title and text


def _title(value, where: str, key: str, limit: int = 80) -> str:
    """A title: plain words, at most `limit` characters (it is a heading, an anchor and a caption)."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > limit or not TITEL.fullmatch(text):
        raise _fout(
            where,
            key,
            f"een titel is een korte tekst (hoogstens {limit} tekens) van woorden, zonder regeleinde of opmaaktekens.",
        )
    return text


class _Plek:
    """Where a key of a section was written, for messages: the gemeente's file or the project's."""

    def __init__(self, key: str, origins: dict):
        self.here, self.origins = f"secties.{key}", origins

    def bestand(self, path: str) -> str:
        return self.origins.get(path) or self.origins.get(re.split(r"[.,]", path)[0]) or self.origins[""]

    def fout(self, path: str, text: str) -> ParameterFout:
        return _fout(self.bestand(path), f"{self.here}.{path}", text)

    def regel(self, probleem: vertaling.Probleem) -> str:
        if probleem.heel:
            return probleem.tekst
        return f"{self.bestand(probleem.pad)}, sleutel {self.here}.{probleem.pad}: {probleem.zin}"


def _section(key: str, hoofdstuk: str, spec: dict, origins: dict) -> Section:
    """A section of the definition (merged from the files in `origins`), checked against the
    schema; every problem of the section at once, each naming its file and key."""
    plek = _Plek(key, origins)
    try:
        checked = SectieSpec.model_validate(spec, context=key)
    except ValidationError as exc:
        raise vertaling.Problemen([plek.regel(p) for p in vertaling.problemen(exc, SectieSpec)], KOP) from None
    tabel, columns = checked.tabel, _table_columns(checked.tabel)
    kolommen = {c: columns[c]["label"].strip() for c in checked.kolommen}
    plotted = checked.grafiek.get("kolommen", list(kolommen))
    groep = _categorie(tabel) if checked.weergave in ("per_groep", "verdeling") else None
    voetnoten = checked.voetnoten if checked.voetnoten is not None else ["noot"] if "noot" in columns else []
    return Section(
        key,
        hoofdstuk,
        checked.titel,
        tabel,
        kolommen,
        checked.weergave,
        checked.grafiek.get("soort", WEERGAVEN[checked.weergave][0]),
        tuple(plotted),
        groep,
        _group_labels(tabel, groep),
        _legend(tabel, plotted),
        _axis(checked.grafiek, tabel, plotted),
        checked.uitleg,
        tuple(replace(r, sectie=key) for r in checked.kernpunten),
        tuple(voetnoten),
        plek.bestand("titel"),
    )


def _schema_fout(tabel: str, kolom: str, text: str) -> ParameterFout:
    return ParameterFout(_schema_tekst(tabel, kolom, text))


def _schema_tekst(tabel: str, kolom: str, text: str) -> str:
    return f"{schema()[tabel].bestand if tabel in schema() else paths.relative(paths.SCHEMA_FILE)}, tabel {tabel}, kolom {kolom}: {text}"


def _table_columns(tabel) -> dict[str, dict]:
    """The columns of a schema table, or of a derived table, with their specs."""
    if tabel in bbv.AFGELEID:
        return bbv.kolommen()
    if not isinstance(tabel, str) or tabel not in schema():
        raise regel(
            f"tabel '{kort(str(tabel), 40)}' staat niet in data/schema.yaml (of in het eigen schema.yaml van de gemeente)."
        )
    return schema()[tabel].columns


def _categorie(tabel: str) -> str | None:
    """A table's category column (its key besides the school year), if it has one."""
    categories = [c for c in schema()[tabel].key if c != "schooljaar"] if tabel in schema() else []
    return categories[0] if categories else None


class SectieSpec(BaseModel):
    """One section of data/verslag.yaml (after a gemeente's file is merged over the project's):
    every key a section can have, its default and its rule. The checks against the schema read
    the keys before them (`info.data`); a key that is itself wrong is reported once, and what
    depends on it is not checked."""

    model_config = ConfigDict(extra="forbid")

    tabel: str = Field(description="de tabel uit data/schema.yaml (of verzuim_per_1000)")
    kolommen: list[str] = Field(description="de cijferkolommen van de tabel die de sectie toont")
    weergave: str = Field("tijdreeks", description=f"hoe de tabel getoond wordt: {', '.join(WEERGAVEN)}")
    grafiek: dict = Field(
        {}, description="de grafiek: {soort, kolommen, as}; standaard de eerste soort bij de weergave"
    )
    titel: str = Field(description="de titel van de sectie")
    uitleg: str = Field("", description="een korte uitleg onder de titel")
    voetnoten: list[str] | None = Field(None, description="tekstkolommen met een voetnoot per rij (standaard noot)")
    kernpunten: list[Any] = Field([], description="regels voor de kernpunten: trend, aantal of landelijk")

    @field_validator("tabel", mode="before")
    @classmethod
    def _bekende_tabel(cls, tabel):
        _table_columns(tabel)
        return tabel

    @field_validator("kolommen", mode="before")
    @classmethod
    def _cijferkolommen(cls, value, info: ValidationInfo):
        return _columns(value, info.data.get("tabel"), "kolommen")

    @field_validator("weergave", mode="before")
    @classmethod
    def _weergave(cls, soort, info: ValidationInfo):
        if not isinstance(soort, str) or soort not in WEERGAVEN:
            raise regel(f"'{kort(str(soort), 30)}' is geen weergave; kies uit {', '.join(WEERGAVEN)}.")
        if "tabel" in info.data and "kolommen" in info.data:
            _check_group(info.data["tabel"], soort, info.data["kolommen"])
        return soort

    @field_validator("grafiek", mode="before")
    @classmethod
    def _grafiek(cls, grafiek, info: ValidationInfo):
        if not isinstance(grafiek, dict) or set(map(str, grafiek)) - GRAFIEK_SLEUTELS:
            raise regel("schrijf de grafiek als {soort: ..., kolommen: [...], as: ...}.")
        soort = info.data.get("weergave")
        kind = grafiek.get("soort", WEERGAVEN[soort][0] if soort else None)
        if soort and (not isinstance(kind, str) or kind not in WEERGAVEN[soort]):
            raise regel(
                f"'{kort(str(kind), 30)}' is geen grafieksoort bij weergave {soort}; kies uit {', '.join(WEERGAVEN[soort])}.",
                "grafiek.soort",
            )
        if "kolommen" in grafiek and "kolommen" in info.data:
            plotted = _columns(grafiek["kolommen"], info.data.get("tabel"), "grafiek.kolommen")
            extra = sorted(set(plotted) - set(info.data["kolommen"]))
            if extra:
                raise regel(f"kolom {extra[0]} staat niet onder secties.{info.context}.kolommen.", "grafiek.kolommen")
        if "as" in grafiek and (
            not isinstance(grafiek["as"], str) or not grafiek["as"].strip() or len(grafiek["as"]) > 40
        ):
            raise regel("de titel van de as is een korte tekst.", "grafiek.as")
        return grafiek

    @field_validator("titel", mode="before")
    @classmethod
    def _titel(cls, value):
        return _titel_of_regel(value, MAX_TITEL)

    @field_validator("uitleg", mode="before")
    @classmethod
    def _uitleg(cls, value):
        return tekst_of_regel(value, empty=True)

    @field_validator("voetnoten", mode="before")
    @classmethod
    def _voetnoten(cls, value, info: ValidationInfo):
        if "tabel" not in info.data:
            return value
        columns = _table_columns(info.data["tabel"])
        if not isinstance(value, list) or any(
            not isinstance(c, str) or columns.get(c, {}).get("type") != "tekst" for c in value
        ):
            raise regel(f"geef een lijst van tekstkolommen van tabel {info.data['tabel']}.")
        return value

    @field_validator("kernpunten", mode="before")
    @classmethod
    def _kernpunten(cls, value, info: ValidationInfo):
        if not isinstance(value, list):
            raise regel("geef een lijst van regels (trend, aantal, landelijk, aandeel of bereik).")
        if "tabel" not in info.data or "kolommen" not in info.data:
            return []  # what the rules name cannot be checked; the table or columns are reported
        tabel = info.data["tabel"]
        return [
            rule(spec, tabel, _table_columns(tabel), info.data["kolommen"], f"kernpunten, nummer {n}")
            for n, spec in enumerate(value, 1)
        ]


KOP = "De verslagdefinitie"


def _titel_of_regel(value, limit: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > limit or not TITEL.fullmatch(text):
        raise regel(
            f"een titel is een korte tekst (hoogstens {limit} tekens) van woorden, zonder regeleinde of opmaaktekens."
        )
    return text


def _columns(value, tabel: str | None, path: str) -> list[str]:
    """Numeric columns of the table, each with a label in the schema (checked once the table is known)."""
    if not isinstance(value, list) or not value or not all(isinstance(c, str) for c in value):
        raise regel("geef een lijst van kolommen.", path)
    if tabel is None:
        return value
    columns = _table_columns(tabel)
    for column in value:
        if column not in columns:
            raise regel(f"tabel {tabel} heeft geen kolom '{kort(column, 40)}'.", path)
        spec = columns[column]
        if spec.get("type") not in CIJFERTYPEN:
            raise regel(f"kolom {column} is geen cijfer maar {spec.get('type')}.", path)
        label = spec.get("label")
        if not isinstance(label, str) or not label.strip():
            text = "geef een label: de naam van de kolom in het verslag (een tekst)."
            raise regel(_schema_tekst(tabel, column, text), heel=True)
    return value


def _check_group(tabel: str, soort: str, kolommen: list[str]) -> None:
    """A table shown per category needs a category column, and one with categories must be shown so."""
    categorie = _categorie(tabel)
    if soort in ("per_groep", "verdeling") and not categorie:
        raise regel(f"weergave {soort} vraagt een tabel met een categoriekolom; {tabel} heeft er geen.")
    if soort in ("tijdreeks", "uitsplitsing") and categorie:
        raise regel(f"tabel {tabel} heeft een categoriekolom ({categorie}); kies weergave per_groep of verdeling.")
    columns = _table_columns(tabel)
    counts = [c for c in kolommen if columns[c].get("type") == "aantal"]
    if soort == "uitsplitsing" and (len(counts) < 2 or len(counts) != len(kolommen)):
        raise regel("weergave uitsplitsing vraagt minstens twee kolommen die aantallen zijn; de laatste is het totaal.")


def _group_labels(tabel: str, groep: str | None) -> dict[str, str]:
    if groep is None:
        return {}
    spec = schema()[tabel].columns[groep]
    labels = spec.get("waarde_labels", {})
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise _schema_fout(
            tabel, groep, "waarde_labels is een lijst van waarde: naam, bijvoorbeeld {vo: Voortgezet onderwijs}."
        )
    return {str(w): str(labels.get(w, labels.get(str(w), w))) for w in spec["waarden"]}


def _legend(tabel: str, plotted: list[str]) -> dict[str, str]:
    columns = schema()[tabel].columns if tabel in schema() else {}
    out = {c: columns[c]["legenda"] for c in plotted if "legenda" in columns.get(c, {})}
    for column, text in out.items():
        named = fields(text) if isinstance(text, str) else None
        if not text or named is None or named - {"gemeente"}:
            raise _schema_fout(tabel, column, "legenda is een tekst; alleen {gemeente} mag tussen accolades staan.")
    return out


def _axis(grafiek: dict, tabel: str, plotted: list[str]) -> str:
    """The y-axis title: the definition's `as`, else the unit the plotted columns share in the schema."""
    if "as" in grafiek:
        return grafiek["as"]
    if tabel in bbv.AFGELEID:
        return "per 1.000"
    units = {schema()[tabel].columns[c].get("eenheid", "aantal") for c in plotted}
    return str(units.pop()) if len(units) == 1 else "aantal"
