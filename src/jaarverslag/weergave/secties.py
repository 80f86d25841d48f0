"""A section as the council reads it: its head (heading, findings, explanation, text and first
chart, kept on one page), its tables (the report model through templates/verslag/), and in a
region the gemeenten side by side; the chapters with their sections, for a notebook run by hand."""

from __future__ import annotations

from markupsafe import Markup

from jaarverslag.inhoud import soorten
from jaarverslag.invoer.definitie import Section, anker
from jaarverslag.weergave import grafieken, magazine, onderdelen, regiodelen, tabel
from jaarverslag.weergave.html import Fragment, sjabloon

GEEN_GEGEVENS = "Voor schooljaar {jaar} zijn geen gegevens over dit onderwerp beschikbaar."


def sectie(rapport, key: str) -> Fragment:
    """A section: its head (heading, findings, explanation, text and first chart, kept on one
    page in print), then its tables and, in a region, the gemeenten side by side; after it the
    stories "Uit de praktijk" that belong to it."""
    section = rapport.definitie(key)
    if section.kolommen:
        chart, tables = _section_body(rapport, section)
        rest = tables + _zonder_noot(rapport, section) + _vergelijking(rapport, key)
    else:  # a region without a figure of its own: the gemeenten side by side open the section
        chart, rest = _geen_regiocijfer(rapport, key) + _vergelijking(rapport, key), ""
    own = [k for k in rapport.kernpunt_lijst() if k.over(section.tabel, section.kolommen)]
    return Fragment(
        sjabloon(
            "sectie.html.j2",
            sleutel=key,
            titel=section.titel,
            schooljaar=rapport.schooljaar,
            punten=own,
            uitleg=section.uitleg,
            tekst=Markup(onderdelen.tekst(rapport, key)),
            grafiek=Markup(chart),
            rest=Markup(rest),
        )
        + magazine.verhalen(rapport.redactie.bij(key))
    )


def _zonder_noot(rapport, section: Section) -> str:
    return regiodelen.zonder_noot(rapport, section.tabel) if rapport.regio else ""


def _vergelijking(rapport, key: str) -> str:
    """A region's gemeenten side by side for the reported year (vergelijking.py)."""
    if not rapport.regio:
        return ""
    return regiodelen.naast_elkaar(rapport, rapport.definitie(key, als_regio=False))


def _geen_regiocijfer(rapport, key: str) -> str:
    """A region's section none of whose figures the region can compute: why there is no trend."""
    return regiodelen.geen_regiocijfer(rapport)


def hoofdstukken(rapport) -> Fragment:
    """Every chapter with its text and sections, in one cell (for running the notebook by hand;
    the build gives each section its own cells, with the auditor's trail before it)."""
    parts = [
        sjabloon(
            "hoofdstuk.html.j2",
            anker=anker(title),
            titel=title,
            tekst=Markup(onderdelen.tekst(rapport, anker(title))),
            secties=Markup("".join(str(sectie(rapport, key)) for key in keys)),
        )
        for title, keys in rapport.verslagdefinitie.hoofdstukken
    ]
    return Fragment("".join(parts))


def _section_body(rapport, section: Section) -> tuple[str, str]:
    """The section's chart (for its head) and its tables, or a sentence that there are no figures."""
    tables = rapport.tabellen(section.key)
    if not tables:
        return "", _no_data(rapport)
    return _grafiek(rapport, section, tables), "".join(tabel.tabel_html(rapport, t) for t in tables)


def _grafiek(rapport, section: Section, tables: list) -> str:
    return grafieken.grafiek(rapport, section, soorten.grafiekdata(section, tables))


def alle_grafieken(rapport) -> None:
    """Draw the chart of every section that has figures, as `sectie` does: through the chart store
    (grafiekopslag.py), this leaves the charts there for the cells."""
    for key in (key for _, keys in rapport.verslagdefinitie.hoofdstukken for key in keys):
        section = rapport.definitie(key)
        tables = rapport.tabellen(key) if section.kolommen else []
        if tables:
            _grafiek(rapport, section, tables)


def _no_data(rapport) -> str:
    return sjabloon("geen_gegevens.html.j2", zin=GEEN_GEGEVENS.format(jaar=rapport.schooljaar))
