"""A section as the council reads it: its head (heading, findings, explanation, text and first
chart, kept on one page), its tables (the report model through templates/verslag/), and in a
region the gemeenten side by side; the chapters with their sections, for a notebook run by hand."""

from __future__ import annotations

from jaarverslag.inhoud import model
from jaarverslag.invoer.definitie import Section, anker
from jaarverslag.weergave import grafieken, onderdelen, tabel
from jaarverslag.weergave.html import Fragment, esc

GEEN_GEGEVENS = "Voor schooljaar {jaar} zijn geen gegevens over dit onderwerp beschikbaar."


def _sectie_kernpunten(rapport, section: Section) -> str:
    """The findings about the figures of a section, at its head."""
    own = [k for k in rapport.kernpunt_lijst() if k.tabel == section.tabel and k.kolom in section.kolommen]
    return f'<div class="sectiepunten">{onderdelen.finding_list(rapport, own, "punten")}</div>' if own else ""


def sectie(rapport, key: str) -> Fragment:
    """A section: its head (heading, findings, explanation, text and first chart, kept on one
    page in print), then its tables and, in a region, the gemeenten side by side."""
    section = rapport.definitie(key)
    if section.kolommen:
        chart, tables = _section_body(rapport, section)
        rest = tables + _zonder_noot(rapport, section) + _vergelijking(rapport, key)
    else:  # a region without a figure of its own: the gemeenten side by side open the section
        chart, rest = _geen_regiocijfer(rapport, key) + _vergelijking(rapport, key), ""
    head = [f"<h3>{esc(section.titel)}</h3>", _sectie_kernpunten(rapport, section)]
    head.append(f'<p class="uitleg">{esc(section.uitleg)}</p>' if section.uitleg else "")
    head += [str(onderdelen.tekst(rapport, key)), chart]
    return Fragment(
        f'<section class="sectie" id="{esc(key)}"><div class="sectiekop">{"".join(head)}</div>{rest}</section>'
    )


def _zonder_noot(rapport, section: Section) -> str:
    from jaarverslag.inhoud import vergelijking

    return vergelijking.zonder_noot(rapport, section.tabel) if rapport.regio else ""


def _vergelijking(rapport, key: str) -> str:
    """A region's gemeenten side by side for the reported year (vergelijking.py)."""
    if not rapport.regio:
        return ""
    from jaarverslag.inhoud import vergelijking

    return vergelijking.html(rapport, rapport.definitie(key, als_regio=False))


def _geen_regiocijfer(rapport, key: str) -> str:
    """A region's section none of whose figures the region can compute: why there is no trend."""
    from jaarverslag.inhoud import vergelijking

    return vergelijking.geen_regiocijfer(rapport, rapport.definitie(key, als_regio=False))


def hoofdstukken(rapport) -> Fragment:
    """Every chapter with its text and sections, in one cell (for running the notebook by hand;
    the build gives each section its own cells, with the auditor's trail before it)."""
    parts = [
        f'<h2 id="{esc(anker(title))}">{esc(title)}</h2>{onderdelen.tekst(rapport, anker(title))}'
        + "".join(str(sectie(rapport, key)) for key in keys)
        for title, keys in rapport.verslagdefinitie.hoofdstukken
    ]
    return Fragment("".join(parts))


def _section_body(rapport, section: Section) -> tuple[str, str]:
    """The section's chart (for its head) and its tables, or a sentence that there are no figures."""
    tables = rapport.tabellen(section.key)
    if not tables:
        return "", _no_data(rapport)
    chart = grafieken.grafiek(rapport, section, model.grafiekdata(section, tables))
    return chart, "".join(tabel.tabel_html(rapport, t) for t in tables)


def _no_data(rapport) -> str:
    return f'<p class="geen-gegevens">{esc(GEEN_GEGEVENS.format(jaar=rapport.schooljaar))}</p>'
