"""A section's chart as the council sees it: the kind the definition asks for, drawn from the
section's model (a hidden figure is no point or bar), with an alt text in the figures as the
tables print them."""

from __future__ import annotations

import pandas as pd

from jaarverslag.formatting import is_missing
from jaarverslag.inhoud import soorten
from jaarverslag.inhoud.celtekst import column_spec
from jaarverslag.inhoud.soorten import Grafiekdata
from jaarverslag.invoer.definitie import Section
from jaarverslag.invoer.schema import DEFINITIEF, STATUS
from jaarverslag.weergave.html import figure_html, tekenaar


def grafiek(rapport, section: Section, data: Grafiekdata) -> str:
    """The section's chart, as its kind draws it (TEKENAARS); one series in the gemeente's accent
    colour (data/<gemeente>/huisstijl.yaml)."""
    with tekenaar().huiskleur(rapport.huisstijl.kleur_accent):
        return TEKENAARS[soorten.van(section).naam](rapport, section, data)


def _reeks(rapport, section: Section, data: Grafiekdata) -> str:
    labels, shown = _labels(rapport, section), data.waarden
    if not _heeft_cijfers(shown, labels):
        return ""
    if section.grafiek == "lijn":
        svg = tekenaar().lines(shown, labels, section.eenheid, 0 if _alle_aantallen(section, labels) else 1)
    elif section.grafiek == "gestapeld":
        svg = tekenaar().stacked_bars(shown, labels, section.eenheid)
    else:
        svg = tekenaar().bars(shown, "schooljaar", labels, section.eenheid)
    return figure_html(
        svg,
        _alt_series(section, data, labels)
        + _alt_voorlopig(section, data, PUNTEN if section.grafiek == "lijn" else STAVEN),
    )


def _per_groep(rapport, section: Section, data: Grafiekdata) -> str:
    if not _heeft_cijfers(data.waarden, _labels(rapport, section)):  # a chart of hidden figures only is left out
        return ""
    chart = tekenaar().lines_per_group(data.waarden, section.groep, _labels(rapport, section), section.eenheid)
    return figure_html(chart, _alt_per_group(section, data) + _alt_voorlopig(section, data, PUNTEN))


def _verdeling(rapport, section: Section, data: Grafiekdata) -> str:
    if not _heeft_cijfers(data.waarden, _labels(rapport, section)):  # only the counts known: the table says it
        return ""
    chart = tekenaar().bars(data.waarden, "categorie", _labels(rapport, section), section.eenheid, xlabel="")
    return figure_html(chart, _alt_categories(section, data) + _alt_voorlopig(section, data, STAVEN))


def _uitsplitsing(rapport, section: Section, data: Grafiekdata) -> str:
    labels = [section.kolommen[c] for c in section.grafiek_kolommen]
    values = [data.waarden.at[0, c] for c in section.grafiek_kolommen]
    if all(is_missing(v) for v in values):
        return ""
    printed = [data.teksten.at[0, c] for c in section.grafiek_kolommen]
    geheel = _alle_aantallen(section, section.grafiek_kolommen)
    voorlopig = data.waarden.at[0, STATUS] != DEFINITIEF
    chart = tekenaar().horizontal_bars(labels, values, f"Aantal {section.eenheid}", printed, geheel, voorlopig)
    alt = (
        f"Liggend staafdiagram: {section.titel.lower()} in schooljaar {rapport.schooljaar}. "
        + "; ".join(f"{label}: {text}" for label, text in zip(labels, printed, strict=True))
        + ". De cijfers staan ook in de tabel hieronder."
    )
    return figure_html(chart, alt + (" Voorlopige cijfers (gearceerde staven): alle." if voorlopig else ""))


PUNTEN, STAVEN = "open punten", "gearceerde staven"  # how a chart marks a provisional figure


def _alt_voorlopig(section: Section, data: Grafiekdata, how: str) -> str:
    """Which rows the chart marks as provisional, and how (the legend says the same)."""
    rows = data.waarden[data.waarden[STATUS] != DEFINITIEF]
    if rows.empty:
        return ""
    x = soorten.van(section).as_
    return tekenaar().alt_voorlopig(rows[STATUS], how, list(dict.fromkeys(str(v) for v in rows[x])))


def _labels(rapport, section: Section) -> dict[str, str]:
    return _chart_labels(section, rapport.params["gemeentenaam"])


def _alle_aantallen(section: Section, columns) -> bool:
    """Whether every plotted column is a count (whole-number ticks on the axis)."""
    return all(column_spec(section.tabel, c)["type"] == "aantal" for c in columns)


def _heeft_cijfers(frame: pd.DataFrame, labels: dict[str, str]) -> bool:
    """Whether a chart would show anything: a figure not published is empty in the published rows."""
    return bool(frame[list(labels)].notna().any().any())


def _chart_labels(section: Section, gemeentenaam: str = "") -> dict[str, str]:
    """Legend labels: the section's chart labels (with the gemeente's name) or its column labels."""
    columns = section.grafiek_kolommen or tuple(section.kolommen)
    labels = {**section.kolommen, **section.grafiek_labels}
    return {c: labels[c].format(gemeente=gemeentenaam) for c in columns}


def _describe(section: Section, column: str, data: Grafiekdata, rows: pd.Index) -> str:
    """A column's first and last published figure, as the table prints them."""
    values, texts = data.waarden.loc[rows], data.teksten.loc[rows]
    known = [(values.at[i, "schooljaar"], texts.at[i, column]) for i in rows if not is_missing(values.at[i, column])]
    if not known:
        return f"{section.kolommen[column]}: geen cijfers"
    (y0, t0), (y1, t1) = known[0], known[-1]
    if y0 == y1:
        return f"{section.kolommen[column]}: {t1} in {y1}"
    return f"{section.kolommen[column]}: van {t0} in {y0} naar {t1} in {y1}"


def _alt_series(section: Section, data: Grafiekdata, labels: dict[str, str]) -> str:
    years = data.waarden["schooljaar"].tolist()
    kind = {"lijn": "Lijndiagram", "gestapeld": "Gestapeld staafdiagram"}.get(section.grafiek, "Staafdiagram")
    parts = "; ".join(_describe(section, c, data, data.waarden.index) for c in labels)
    return f"{kind} van {section.titel.lower()} per schooljaar, {years[0]} tot en met {years[-1]}. {parts}. De cijfers staan ook in de tabel hieronder."


def _alt_per_group(section: Section, data: Grafiekdata) -> str:
    parts = []
    for name, part in data.waarden.groupby(section.groep, sort=False):
        parts.append(f"{name}: " + ", ".join(_describe(section, c, data, part.index) for c in _chart_labels(section)))
    return (
        f"Lijndiagrammen van {section.titel.lower()}, gemeente tegenover landelijk. "
        + "; ".join(parts)
        + ". De cijfers staan ook in de tabellen hieronder."
    )


def _alt_categories(section: Section, data: Grafiekdata) -> str:
    parts = [
        f"{row['categorie']}: " + ", ".join(f"{section.kolommen[c].lower()} {row[c]}" for c in _chart_labels(section))
        for _, row in data.teksten.iterrows()
    ]
    return (
        f"Staafdiagram van {section.titel.lower()}. "
        + "; ".join(parts)
        + ". De cijfers staan ook in de tabel hieronder."
    )


TEKENAARS = {"tijdreeks": _reeks, "per_groep": _per_groep, "verdeling": _verdeling, "uitsplitsing": _uitsplitsing}
