"""A region's parts of the report as HTML (templates/verslag/regio.html.j2): the gemeenten side
by side under each section, with a chart on the section's rate; the sentence where a region has
no figure of its own; what a table's region sums leave out; the Verantwoording of the sums."""

from __future__ import annotations

from markupsafe import Markup

from jaarverslag.inhoud import vergelijking
from jaarverslag.inhoud.celtekst import opsomming
from jaarverslag.invoer.definitie import Section
from jaarverslag.invoer.schema import DEFINITIEF
from jaarverslag.weergave.html import figure_html, sjabloon, tekenaar
from jaarverslag.weergave.tabel import tabel_html

REGIO = "regio.html.j2"


def naast_elkaar(rapport, section: Section) -> str:
    """The comparison under a section of a region's report: chart on a rate, then the table."""
    table = tabel_html(rapport, vergelijking.model_tabel(rapport, section))
    return sjabloon(
        REGIO, "vergelijking", titel=section.titel, grafiek=Markup(_grafiek(rapport, section)), tabel=Markup(table)
    )


def _grafiek(rapport, section: Section) -> str:
    """The gemeenten compared on the section's rate, as the table prints it (none without a rate)."""
    found = vergelijking.grafiekrijen(rapport, section)
    if found is None:
        return ""
    label, figures = found
    labels, printed = [f.rij for f in figures], [f.tekst + f.merk for f in figures]  # 3,42%* as the table
    provisional = [f.rij for f in figures if f.status != DEFINITIEF]
    tekenen = tekenaar()
    svg = tekenen.horizontal_bars(labels, [f.getal for f in figures], label, printed, voorlopig=set(provisional))
    alt = (
        f"Liggend staafdiagram: {label.lower()} per gemeente in schooljaar {rapport.schooljaar}. "
        + "; ".join(f"{f.rij}: {f.tekst}" for f in figures)
        + ". De cijfers staan ook in de tabel hieronder."
    )
    if provisional:
        alt += tekenen.alt_voorlopig([f.status for f in figures], "gearceerde staven", provisional)
    return figure_html(svg, alt)


def geen_regiocijfer(rapport) -> str:
    """In place of the region's trend, when the region can compute none of the section's figures."""
    return sjabloon(REGIO, "geen_regiocijfer", schooljaar=rapport.schooljaar)


def zonder_noot(rapport, tabel: str) -> str:
    """Under a region's figures of a table: the gemeenten they leave out, and why."""
    missing = vergelijking.zonder(rapport, tabel)
    if not missing:
        return ""
    titel = vergelijking.tabeltitel(tabel).lower()
    return sjabloon(REGIO, "zonder_noot", tabel=titel, gemeenten=opsomming(missing), schooljaar=rapport.schooljaar)


def verantwoording(rapport) -> str:
    """How a region's figures are made, which gemeenten they hold, and what they cannot show."""
    if not rapport.regio:
        return ""
    gegevens = vergelijking.verantwoording(rapport)
    return sjabloon(REGIO, "verantwoording", v=gegevens, schooljaar=rapport.schooljaar, opsomming=opsomming)
