"""raadsmededeling.docx: the memo (inhoud/raadsmededeling.py) in the gemeente's Word template,
filled in by docxtpl (body, headers, footers, footnotes and endnotes: weergave/worddelen.py), with title, author, subject and language in its properties, and the same
bytes on every rebuild (weergave/zipvast.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jaarverslag.errors import kort
from jaarverslag.inhoud.raadsmededeling import Memo
from jaarverslag.weergave import sjablooncontrole, zipvast

BESTAND = "raadsmededeling.docx"
MAX_EIGENSCHAP = 255  # characters Word keeps in a core property such as the title
CONCEPT = "Concept"


def plaatshouders(memo: Memo) -> dict:
    """What each placeholder of the template holds (wordsjabloon.PLAATSHOUDERS names them)."""
    return {
        "onderwerp": memo.tekst("onderwerp"),
        "gemeentenaam": memo.gemeentenaam,
        "wie": memo.wie,
        "schooljaar": memo.schooljaar,
        "datum": memo.datum,
        "auteur": memo.auteur,
        "status": memo.status,
        "status_kop": CONCEPT if memo.status == "concept" else "",
        "besluit": memo.lijst("besluit"),
        "inleiding": memo.tekst("inleiding"),
        "kern": memo.tekst("kern"),
        "toelichting": memo.tekst("toelichting"),
        "valt_op": memo.valt_op,
        "punten": memo.puntzinnen,
        "kader": memo.lijst("kader"),
        "partijen": memo.tekst("partijen"),
        "argumenten_voor": memo.tekst("argumenten_voor"),
        "argumenten_tegen": memo.tekst("argumenten_tegen"),
        "financien": memo.tekst("financien"),
        "communicatie": memo.tekst("communicatie"),
        "aanpak": memo.tekst("aanpak"),
        "bijlage_titel": memo.bijlage_titel,
        "bijlage_bestand": memo.bijlage_bestand,
    }


def schrijf(memo: Memo, sjabloon: Path, target: Path, datum: str) -> Path:
    """Fill in the template (checked before the build: wordsjabloon.controleer) and write the memo."""
    from jaarverslag.weergave.worddelen import Vuller  # start-up: docxtpl and python-docx only here

    template = Vuller(sjabloon)
    template.render(plaatshouders(memo), jinja_env=sjablooncontrole.omgeving())
    moment = dt.datetime.combine(dt.date.fromisoformat(datum), dt.time())
    properties = template.docx.core_properties
    title = f"{'Concept: ' if memo.status == 'concept' else ''}Raadsmededeling {memo.tekst('onderwerp')}"
    properties.title, properties.subject = kort(title, MAX_EIGENSCHAP), kort(memo.bijlage_titel, MAX_EIGENSCHAP)
    properties.author = properties.last_modified_by = memo.auteur
    properties.language = "nl-NL"
    properties.created = properties.modified = moment
    properties.revision, properties.comments = 1, ""
    properties.keywords = f"raadsmededeling; leerplicht; Doorstroompunt; {memo.schooljaar}"
    template.save(target)
    zipvast.vastzetten(target, moment.strftime("%Y-%m-%dT%H:%M:%SZ"), zipvast.zip_tijd())
    return target
