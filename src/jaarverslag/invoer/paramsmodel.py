"""The params of one report as a declared model: every key once, with its type, its default,
its Dutch meaning and its rule. `vertaling` turns what it refuses into one Dutch message.

Checks that need more than the file (the gemeente and school year of its file name, the
text spots and tables of the gemeente's report definition) read the validation context
that `params.validate` passes in.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from jaarverslag.errors import ParameterFout, kort
from jaarverslag.invoer.kerncijfer import KERNCIJFER_VORM, Kerncijfer  # noqa: F401 - KERNCIJFER_VORM for params
from jaarverslag.invoer.kerncijferkeuze import controleer
from jaarverslag.invoer.memotekst import MAX_BLOCK, memotekst_fout
from jaarverslag.invoer.privacy import find_person_data
from jaarverslag.invoer.schema import CellError, parse_schooljaar
from jaarverslag.invoer.vertaling import regel

GEMEENTE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = {"titel": 200, "auteur": 200, "gemeentenaam": 100}
MAX_KERNCIJFERS = 12


def is_regio(params: dict) -> bool:
    """Whether params are a region's (they list its `gemeenten`): the one place that asks."""
    return bool(params.get("gemeenten"))


REGIO_SLEUTELS = ("ontbrekende_gegevens", "regio_afwijking")
STATUSSEN = ("concept", "vastgesteld")
VUL_IN = "VUL IN"  # the mark of what a new gemeente's params file still asks to be filled in


def tekst(description: str, **kwargs) -> Any:
    return Field(description=description, **kwargs)


class MemoPunt(BaseModel):
    """One entry of `raadsmededeling.punten`: a point by its key (its thema in the report
    definition), pinned in this order (with the college's own sentence) or left out."""

    model_config = ConfigDict(extra="forbid", strict=True)

    sleutel: str = tekst("de sleutel van het punt (het thema in de verslagdefinitie), bijvoorbeeld verzuim")
    weglaten: bool = tekst("true: dit punt niet in de raadsmededeling", default=False)
    zin: str | None = tekst("een eigen zin van het college achter het punt", default=None)

    @field_validator("zin")
    @classmethod
    def _zin(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            _memotekst("raadsmededeling.punten.zin", value, info)
        return value


class Raadsmededeling(BaseModel):
    """The fixed texts of the college's memo (params `raadsmededeling:`); what is left out comes
    from data/raadsmededeling.yaml. {gemeentenaam}, {schooljaar} and {wie} are filled in."""

    model_config = ConfigDict(extra="forbid", strict=True)

    onderwerp: str | None = tekst("het onderwerp van de raadsmededeling", default=None)
    besluit: list[str] | None = tekst("de besluitpunten, een lijst van teksten (genummerd)", default=None)
    inleiding: str | None = tekst("de inleiding (een tekst)", default=None)
    kern: str | None = tekst("de kern van de boodschap (een tekst)", default=None)
    toelichting: str | None = tekst("de zin boven 'Het valt op dat' in de Nadere toelichting", default=None)
    kader: list[str] | None = tekst("de wetten en het beleid, een lijst van teksten", default=None)
    partijen: str | None = tekst("de betrokken partijen (een tekst)", default=None)
    argumenten_voor: str | None = tekst("de argumenten voor (een tekst)", default=None)
    argumenten_tegen: str | None = tekst("de argumenten tegen (een tekst)", default=None)
    financien: str | None = tekst("de financiële consequenties (een tekst)", default=None)
    communicatie: str | None = tekst("openbaarmaking en communicatie (een tekst)", default=None)
    aanpak: str | None = tekst("aanpak en uitvoering (een tekst)", default=None)
    aantal_punten: int | None = tekst("het aantal kernpunten onder 'Het valt op dat', 1 tot en met 15", default=None)
    punten: list[MemoPunt] | None = tekst(
        "punten vastzetten (in deze volgorde, eventueel met een eigen zin) of weglaten, op hun sleutel", default=None
    )

    @field_validator(
        "onderwerp",
        "inleiding",
        "kern",
        "toelichting",
        "partijen",
        "argumenten_voor",
        "argumenten_tegen",
        "financien",
        "communicatie",
        "aanpak",
    )
    @classmethod
    def _tekst(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            _memotekst(f"raadsmededeling.{info.field_name}", value, info)
        return value

    @field_validator("besluit", "kader")
    @classmethod
    def _lijst(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if value is not None and not value:
            raise regel(
                f"'raadsmededeling.{info.field_name}' is een lege lijst; noem minstens één punt, of laat de sleutel weg."
            )
        for number, text in enumerate(value or [], start=1):
            _memotekst(f"raadsmededeling.{info.field_name}.{number}", text, info)
        return value

    @field_validator("punten")
    @classmethod
    def _punten(cls, value: list[MemoPunt] | None) -> list[MemoPunt] | None:
        keys = [p.sleutel for p in value or []]
        double = sorted({k for k in keys if keys.count(k) > 1})
        if double:
            raise regel(f"'raadsmededeling.punten' noemt het punt '{kort(double[0], 40)}' twee keer.")
        both = [p.sleutel for p in value or [] if p.weglaten and p.zin]
        if both:
            raise regel(f"'raadsmededeling.punten': punt '{kort(both[0], 40)}' heeft weglaten en een zin; kies één.")
        return value

    @field_validator("aantal_punten")
    @classmethod
    def _aantal(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 15:
            raise regel("'raadsmededeling.aantal_punten' moet tussen 1 en 15 liggen.")
        return value


class Params(BaseModel):
    """params/<gemeente>/<schooljaar>.yaml."""

    model_config = ConfigDict(extra="forbid", strict=True)

    gemeente: str = tekst("mapnaam van de gemeente in data/ en params/, in kleine letters, bijvoorbeeld 'zwolle'")
    gemeentenaam: str = tekst("naam zoals die in het verslag staat, bijvoorbeeld 'Zwolle'")
    schooljaar: str = tekst("het schooljaar van het verslag, bijvoorbeeld '2022-2023'")
    titel: str = tekst("titel van het verslag")
    auteur: str = tekst("maker van het verslag (komt in de PDF-metadata)")
    datum: dt.date = tekst("datum van het verslag, JJJJ-MM-DD (staat op de titelpagina)")
    aantal_jaren: int = tekst("aantal schooljaren in elke tabel, 1 tot en met 15", default=5)
    marge_landelijk: Annotated[float, Field(allow_inf_nan=False)] = tekst(
        "verschil in procentpunt waaronder een percentage 'ongeveer gelijk' is aan landelijk, 0 tot en met 5",
        default=0.1,
    )
    teksten: dict[str, str] = tekst("optionele tekstblokken (Markdown) per plek in het verslag", default={})
    kerncijfers: list[Kerncijfer] | None = tekst(
        "de cijfers op de pagina Kerncijfers: een lijst van {tabel, kolom} met eventueel landelijk en label "
        "(weggelaten: de kerncijfers van de verslagdefinitie die bij de secties van het verslag horen)",
        default=None,
    )
    kleine_aantallen: int = tekst(
        "aantallen kleiner dan dit getal worden niet gepubliceerd ('< 5'); 0 of weglaten: alles wordt gepubliceerd",
        default=0,
    )
    gemeenten: dict[str, str] = tekst(
        "alleen voor een regioverslag: de gemeenten van de regio, mapnaam: naam (bijvoorbeeld {zwolle: Zwolle})",
        default={},
    )
    ontbrekende_gegevens: str = tekst(
        "regioverslag: 'stoppen' als een gemeente gegevens mist, of 'geen_gegevens' (gemeente apart)",
        default="stoppen",
    )
    regio_afwijking: int = tekst(
        "regioverslag: een gemeente wijkt opvallend af bij zoveel procent verschil met de regio, 5 tot en met 100",
        default=25,
    )
    status: str = tekst(
        "'concept' (het college moet het verslag nog vaststellen: 'Concept' op elke pagina) of 'vastgesteld'",
        default="concept",
    )
    raadsmededeling: Raadsmededeling = tekst(
        "de vaste teksten van de raadsmededeling (besluit, kader, partijen, ...), het aantal punten en de punten die "
        "het college kiest (`punten`), zie 'De raadsmededeling' in de README",
        default=Raadsmededeling(),
    )

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value not in STATUSSEN:
            raise regel("'status' is 'concept' of 'vastgesteld'.")
        return value

    @field_validator("gemeente", "gemeentenaam", "schooljaar", "titel", "auteur", "ontbrekende_gegevens")
    @classmethod
    def _korte_tekst(cls, value: str, info: ValidationInfo) -> str:
        limit = MAX_TEXT.get(info.field_name, MAX_BLOCK)
        if len(value) > limit:
            raise regel(f"'{info.field_name}' is te lang (meer dan {limit} tekens).")
        _zonder_persoonsgegevens(info.field_name, value, info)
        return value

    @field_validator("schooljaar")
    @classmethod
    def _schooljaar_van_de_bestandsnaam(cls, value: str, info: ValidationInfo) -> str:
        try:
            normalised = parse_schooljaar(value)
        except CellError as exc:
            raise regel(f"'schooljaar': {exc}") from None
        gemeente, schooljaar = info.context["gemeente"], info.context["schooljaar"]
        if normalised != schooljaar or info.data.get("gemeente", gemeente) != gemeente:
            raise regel(
                f"het bestand hoort bij {kort(info.data.get('gemeente', '?'), 40)} {normalised}, "
                f"maar de bestandsnaam zegt {gemeente} {schooljaar}."
            )
        return normalised  # '2022/23' in the file must not reach a path or a table as such

    @field_validator("datum", mode="before")
    @classmethod
    def _datum_als_tekst(cls, value):
        """A calendar date written as JJJJ-MM-DD: no time of day, no 13th month."""
        if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        return value

    @field_validator("datum")
    @classmethod
    def _datum_bij_het_schooljaar(cls, datum: dt.date, info: ValidationInfo) -> dt.date:
        """A report on a school year is dated from its start up to five years after (not 0001-01-01)."""
        schooljaar = info.context["schooljaar"]
        earliest, latest = datum_bereik(schooljaar)
        if not earliest <= datum <= latest:
            raise regel(
                f"'datum' ({datum.isoformat()}) past niet bij schooljaar {schooljaar}; "
                f"verwacht een datum tussen {earliest.isoformat()} en {latest.isoformat()}."
            )
        return datum

    @field_validator("aantal_jaren")
    @classmethod
    def _aantal_jaren(cls, value: int) -> int:
        if not 1 <= value <= 15:
            raise regel("'aantal_jaren' moet tussen 1 en 15 liggen.")
        return value

    @field_validator("marge_landelijk")
    @classmethod
    def _marge(cls, value: float) -> float:
        if not 0 <= value <= 5:
            raise regel("'marge_landelijk' moet tussen 0 en 5 (procentpunt) liggen.")
        return value

    @field_validator("teksten", mode="before")
    @classmethod
    def _teksten(cls, value, info: ValidationInfo):
        if not isinstance(value, dict):
            return value  # the type check words it
        spots = info.context.get("tekstplekken", ())
        bad_spots = sorted(map(str, set(value) - set(spots))) if spots else []
        if bad_spots:
            raise regel(
                f"onbekende tekstplek(ken) {', '.join(bad_spots)} onder 'teksten'. Mogelijk: {', '.join(spots)}."
            )
        for spot, block in value.items():
            if not isinstance(block, str):
                raise regel(f"elk tekstblok onder 'teksten' moet tekst (Markdown) zijn ({kort(spot, 40)}).")
            if len(block) > MAX_BLOCK:
                raise regel(f"tekstblok '{spot}' is te lang (meer dan {MAX_BLOCK} tekens).")
            _zonder_persoonsgegevens(f"teksten.{spot}", block, info)
        return value

    @field_validator("kerncijfers", mode="before")
    @classmethod
    def _hoogstens_een_pagina(cls, value):
        if isinstance(value, list) and len(value) > MAX_KERNCIJFERS:
            raise regel(f"kies hoogstens {MAX_KERNCIJFERS} kerncijfers; ze staan samen op één pagina.")
        return value

    @field_validator("kerncijfers")
    @classmethod
    def _kerncijfers_van_het_verslag(cls, entries: list[Kerncijfer] | None, info: ValidationInfo):
        if entries is None:  # `kerncijfers:` without a list: those of the report definition
            return None
        regio = is_regio(info.context["ruw"])
        for number, entry in enumerate(entries, start=1):
            problem = controleer(entry, entries[: number - 1], info.context["gemeente"], regio)
            if problem:
                raise regel(f"kerncijfers, nummer {number}: {problem}")
            if entry.label is not None:
                _zonder_persoonsgegevens(f"kerncijfers.{number}.label", entry.label, info)
        return entries

    @field_validator("kleine_aantallen")
    @classmethod
    def _drempel(cls, value: int) -> int:
        if not (value == 0 or 2 <= value <= 100):
            raise regel("'kleine_aantallen' is 0 (uit) of een drempel van 2 tot en met 100.")
        return value

    @field_validator("gemeenten", mode="before")
    @classmethod
    def _gemeenten_van_de_regio(cls, members, info: ValidationInfo):
        """A region names at least two gemeenten (folders in data/), each with its own name."""
        if not isinstance(members, dict):
            return members
        if len(members) < 2:
            raise regel("een regio heeft minstens twee gemeenten onder 'gemeenten'.")
        for folder, name in members.items():
            try:
                check_gemeente(folder)
            except ParameterFout as exc:
                raise regel(f"gemeenten: {exc}") from None
            if folder == info.context["gemeente"]:
                raise regel(f"gemeenten: '{folder}' is de regio zelf; noem alleen haar gemeenten.")
            if not isinstance(name, str) or not 0 < len(name.strip()) <= 80:
                raise regel("schrijf elke gemeente als mapnaam: naam, bijvoorbeeld 'zwolle: Zwolle'.")
        names = [str(n).strip() for n in members.values()]
        if len(set(names)) < len(names):
            raise regel("gemeenten: twee gemeenten hebben dezelfde naam; elke rij moet te herkennen zijn.")
        return members

    @field_validator(*REGIO_SLEUTELS, mode="before")
    @classmethod
    def _alleen_voor_een_regio(cls, value, info: ValidationInfo):
        if "gemeenten" not in info.context["ruw"]:
            raise regel(f"{' en '.join(REGIO_SLEUTELS)} horen bij een regioverslag (met 'gemeenten').")
        return value

    @field_validator("ontbrekende_gegevens")
    @classmethod
    def _stoppen_of_niet(cls, value: str) -> str:
        if value not in ("stoppen", "geen_gegevens"):
            raise regel("'ontbrekende_gegevens' is 'stoppen' of 'geen_gegevens'.")
        return value

    @field_validator("regio_afwijking")
    @classmethod
    def _afwijking(cls, value: int) -> int:
        if not 5 <= value <= 100:
            raise regel("'regio_afwijking' is een percentage van 5 tot en met 100.")
        return value


def datum_bereik(schooljaar: str) -> tuple[dt.date, dt.date]:
    """The first and last date a report on `schooljaar` may carry."""
    first = int(schooljaar[:4])
    return dt.date(first, 8, 1), dt.date(first + 6, 7, 31)


def standaard(key: str):
    """The default of a params key, as the model declares it."""
    return Params.model_fields[key].get_default(call_default_factory=True)


def check_gemeente(gemeente: str) -> str:
    """A gemeente is a folder name: lowercase letters, digits and hyphens, nothing that leaves data/."""
    if not isinstance(gemeente, str) or len(gemeente) > 60 or not GEMEENTE_NAME.fullmatch(gemeente):
        raise ParameterFout(
            f"'{kort(gemeente, 40)}' is geen geldige gemeentenaam voor een map: gebruik kleine letters, "
            "cijfers en streepjes, bijvoorbeeld 'zwolle' of 'sudwest-fryslan'."
        )
    return gemeente


def _memotekst(key: str, text: str, info: ValidationInfo) -> None:
    problem = memotekst_fout(text)
    if problem:
        raise regel(f"'{key}' {problem}")
    if info.context:  # params (the project's own texts in data/ are checked without a school year)
        _zonder_persoonsgegevens(key, text, info)


def _zonder_persoonsgegevens(key: str, text: str, info: ValidationInfo) -> None:
    """Titles and text blocks are published: a BSN or a pupil's birth date must not be in them,
    nor the mark of a line that `nieuwe-gemeente` left to be filled in."""
    if VUL_IN in text:
        raise regel(
            f"'{key}' is nog niet ingevuld: er staat '{VUL_IN}'. Schrijf je eigen tekst in de plaats, "
            "of haal de sleutel weg."
        )
    found = find_person_data(text, info.context["schooljaar"])
    if found:
        raise regel(
            f"'{key}' bevat {found}. Het verslag wordt gepubliceerd; persoonsgegevens horen er "
            "niet in (AVG). Haal ze uit de tekst."
        )
