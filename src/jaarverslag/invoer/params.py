"""Load and validate params/<gemeente>/<schooljaar>.yaml before anything executes."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort
from jaarverslag.invoer.privacy import find_person_data
from jaarverslag.invoer.schema import CellError, parse_schooljaar
from jaarverslag.invoer.yamlbestand import read_yaml, read_yaml_with_digest

GEMEENTE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = {"titel": 200, "auteur": 200, "gemeentenaam": 100}
MAX_BLOCK = 20_000  # characters in one text block

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
    "kerncijfers": (
        list,
        False,
        "de cijfers op de pagina Kerncijfers: een lijst van {tabel, kolom} met eventueel landelijk en label",
    ),
    "kleine_aantallen": (
        int,
        False,
        "aantallen kleiner dan dit getal worden niet gepubliceerd ('< 5'); 0 of weglaten: alles wordt gepubliceerd",
    ),
    "gemeenten": (
        dict,
        False,
        "alleen voor een regioverslag: de gemeenten van de regio, mapnaam: naam (bijvoorbeeld {zwolle: Zwolle})",
    ),
    "ontbrekende_gegevens": (
        str,
        False,
        "regioverslag: 'stoppen' (standaard) als een gemeente gegevens mist, of 'geen_gegevens' (gemeente apart)",
    ),
    "regio_afwijking": (
        int,
        False,
        "regioverslag: een gemeente wijkt opvallend af bij zoveel procent verschil met de regio (standaard 25)",
    ),
}
DEFAULTS = {"aantal_jaren": 5, "marge_landelijk": 0.1, "teksten": {}, "kerncijfers": []}
KERNCIJFER_KEYS = {"tabel", "kolom", "landelijk", "label"}
MAX_KERNCIJFERS = 12


def check_gemeente(gemeente: str) -> str:
    """A gemeente is a folder name: lowercase letters, digits and hyphens, nothing that leaves data/."""
    if not isinstance(gemeente, str) or len(gemeente) > 60 or not GEMEENTE_NAME.fullmatch(gemeente):
        raise ParameterFout(
            f"'{kort(gemeente, 40)}' is geen geldige gemeentenaam voor een map: gebruik kleine letters, "
            "cijfers en streepjes, bijvoorbeeld 'zwolle' of 'sudwest-fryslan'."
        )
    return gemeente


def check_schooljaar(schooljaar: str) -> str:
    """A school year as JJJJ-JJJJ (2022/23 becomes 2022-2023); nothing else reaches a path."""
    try:
        return parse_schooljaar(kort(schooljaar, 40))
    except CellError as exc:
        raise ParameterFout(f"Schooljaar: {exc}") from exc


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


def _check_type(key: str, value, where: str):
    expected, _, description = KEYS[key]
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if expected is dt.date:
        value = _date(value)
    ok = isinstance(value, expected) and not isinstance(value, bool)
    if not ok or (isinstance(value, float) and not math.isfinite(value)):
        raise ParameterFout(f"{where}: '{key}' heeft de verkeerde vorm ({kort(value)}); verwacht {description}.")
    if isinstance(value, str) and len(value) > MAX_TEXT.get(key, MAX_BLOCK):
        raise ParameterFout(f"{where}: '{key}' is te lang (meer dan {MAX_TEXT.get(key, MAX_BLOCK)} tekens).")
    return value


def _check_date_in_reach(datum: dt.date, schooljaar: str, where: str) -> None:
    """A report on a school year is dated from its start up to five years after (not 0001-01-01)."""
    first = int(schooljaar[:4])
    earliest, latest = dt.date(first, 8, 1), dt.date(first + 6, 7, 31)
    if not earliest <= datum <= latest:
        raise ParameterFout(
            f"{where}: 'datum' ({datum.isoformat()}) past niet bij schooljaar {schooljaar}; "
            f"verwacht een datum tussen {earliest.isoformat()} en {latest.isoformat()}."
        )


def _date(value):
    """A calendar date written as JJJJ-MM-DD: no time of day, no 13th month."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
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
            f"{where}: het bestand hoort bij {kort(params['gemeente'], 40)} {normalised}, "
            f"maar de bestandsnaam zegt {gemeente} {schooljaar}."
        )
    params["schooljaar"] = normalised  # '2022/23' in the file must not reach a path or a table as such
    _check_date_in_reach(params["datum"], normalised, where)
    if not 1 <= params["aantal_jaren"] <= 15:
        raise ParameterFout(f"{where}: 'aantal_jaren' moet tussen 1 en 15 liggen.")
    bad_spots = sorted(set(params["teksten"]) - set(text_spots)) if text_spots else []
    if bad_spots:
        raise ParameterFout(
            f"{where}: onbekende tekstplek(ken) {', '.join(bad_spots)} onder 'teksten'. "
            f"Mogelijk: {', '.join(text_spots)}."
        )
    for spot, block in params["teksten"].items():
        if not isinstance(block, str):
            raise ParameterFout(f"{where}: elk tekstblok onder 'teksten' moet tekst (Markdown) zijn ({spot}).")
        if len(block) > MAX_BLOCK:
            raise ParameterFout(f"{where}: tekstblok '{spot}' is te lang (meer dan {MAX_BLOCK} tekens).")
    _check_kerncijfers(params["kerncijfers"], where, gemeente, regio=bool(params.get("gemeenten")))
    _refuse_person_data(params, where)
    _check_region(params, where)
    if not (params.get("kleine_aantallen", 0) == 0 or 2 <= params["kleine_aantallen"] <= 100):
        raise ParameterFout(f"{where}: 'kleine_aantallen' is 0 (uit) of een drempel van 2 tot en met 100.")
    if not 0 <= params["marge_landelijk"] <= 5:
        raise ParameterFout(f"{where}: 'marge_landelijk' moet tussen 0 en 5 (procentpunt) liggen.")
    params["datum"] = params["datum"].isoformat()
    return params


def _check_region(params: dict, where: str) -> None:
    """A region names at least two gemeenten (folders in data/), each with a name, and what to do when one lacks data."""
    region_keys = ("ontbrekende_gegevens", "regio_afwijking")
    if "gemeenten" not in params:
        if any(k in params for k in region_keys):
            raise ParameterFout(f"{where}: {' en '.join(region_keys)} horen bij een regioverslag (met 'gemeenten').")
        return
    members = params["gemeenten"]
    if len(members) < 2:
        raise ParameterFout(f"{where}: een regio heeft minstens twee gemeenten onder 'gemeenten'.")
    for folder, name in members.items():
        try:
            check_gemeente(folder)
        except ParameterFout as exc:
            raise ParameterFout(f"{where}: gemeenten: {exc}") from None
        if folder == params["gemeente"]:
            raise ParameterFout(f"{where}: gemeenten: '{folder}' is de regio zelf; noem alleen haar gemeenten.")
        if not isinstance(name, str) or not 0 < len(name.strip()) <= 80:
            raise ParameterFout(f"{where}: schrijf elke gemeente als mapnaam: naam, bijvoorbeeld 'zwolle: Zwolle'.")
    names = [str(n).strip() for n in members.values()]
    if len(set(names)) < len(names):
        raise ParameterFout(
            f"{where}: gemeenten: twee gemeenten hebben dezelfde naam; elke rij moet te herkennen zijn."
        )
    if params.setdefault("ontbrekende_gegevens", "stoppen") not in ("stoppen", "geen_gegevens"):
        raise ParameterFout(f"{where}: 'ontbrekende_gegevens' is 'stoppen' of 'geen_gegevens'.")
    if not 5 <= params.setdefault("regio_afwijking", 25) <= 100:
        raise ParameterFout(f"{where}: 'regio_afwijking' is een percentage van 5 tot en met 100.")


def _check_kerncijfers(entries: list, where: str, gemeente: str, regio: bool = False) -> None:
    """Every key figure names a table and columns of the gemeente's report (its report definition)."""
    from jaarverslag.inhoud.indicators import PER_1000
    from jaarverslag.invoer.definitie import verslag
    from jaarverslag.invoer.schema import niet_te_berekenen, schema

    report = verslag(gemeente)
    derived = {s.tabel: set(PER_1000) for s in report.secties.values() if s.tabel not in schema()}
    columns = {name: set(schema()[name].columns) for name in report.tabellen} | derived
    if len(entries) > MAX_KERNCIJFERS:
        raise ParameterFout(f"{where}: kies hoogstens {MAX_KERNCIJFERS} kerncijfers; ze staan samen op één pagina.")
    for number, entry in enumerate(entries, start=1):
        here = f"{where}: kerncijfers, nummer {number}"
        if not isinstance(entry, dict) or not {"tabel", "kolom"} <= set(entry) or set(entry) - KERNCIJFER_KEYS:
            raise ParameterFout(
                f"{here}: schrijf elk kerncijfer als {{tabel: ..., kolom: ...}} (eventueel met landelijk en label)."
            )
        if entry["tabel"] not in columns:
            raise ParameterFout(
                f"{here}: onbekende tabel '{kort(str(entry['tabel']), 40)}'; het verslag toont alleen de tabellen "
                f"van zijn secties ({', '.join(columns)})."
            )
        for key in ("kolom", "landelijk"):
            if key in entry and entry[key] not in columns[entry["tabel"]]:
                raise ParameterFout(
                    f"{here}: tabel {entry['tabel']} heeft geen kolom '{kort(str(entry[key]), 40)}' ({key})."
                )
        if "label" in entry and not (isinstance(entry["label"], str) and 0 < len(entry["label"]) <= 120):
            raise ParameterFout(f"{here}: een label is een korte tekst.")
        if regio and entry["tabel"] in schema() and entry["kolom"] in niet_te_berekenen(entry["tabel"]):
            raise ParameterFout(
                f"{here}: een regio heeft geen eigen cijfer voor {entry['kolom']}: de bron geeft het per gemeente, "
                "zonder teller en noemer. Kies een ander kerncijfer; de gemeenten staan bij hun onderwerp naast elkaar."
            )
        earlier = next((i for i, e in enumerate(entries[: number - 1], 1) if _same_figure(e, entry)), None)
        if earlier:
            raise ParameterFout(f"{here}: dit kerncijfer staat er al als nummer {earlier}; noem elk cijfer één keer.")


def _same_figure(a: dict, b: dict) -> bool:
    return isinstance(a, dict) and (a.get("tabel"), a.get("kolom")) == (b["tabel"], b["kolom"])


def _refuse_person_data(params: dict, where: str) -> None:
    """Titles and text blocks are published: a BSN or a pupil's birth date must not be in them."""
    texts = (
        {k: v for k, v in params.items() if isinstance(v, str)}
        | {f"teksten.{spot}": block for spot, block in params["teksten"].items()}
        | {f"kerncijfers.{i}.label": e["label"] for i, e in enumerate(params["kerncijfers"], 1) if "label" in e}
    )
    for key, text in texts.items():
        found = find_person_data(text, params["schooljaar"])
        if found:
            raise ParameterFout(
                f"{where}: '{key}' bevat {found}. Het verslag wordt gepubliceerd; persoonsgegevens horen er "
                "niet in (AVG). Haal ze uit de tekst."
            )


def load_params(gemeente: str, schooljaar: str, verwacht: str | None = None) -> dict:
    """Read and validate the params of one report (with `verwacht`: only if its sha256 is that)."""
    return load_params_with_digest(gemeente, schooljaar, verwacht)[0]


def load_params_with_digest(gemeente: str, schooljaar: str, verwacht: str | None = None) -> tuple[dict, str]:
    """The params of one report and the sha256 of the bytes they were read from. The gemeente's
    report definition is checked first: its sections are where params can place texts."""
    from jaarverslag.invoer.definitie import verslag

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
