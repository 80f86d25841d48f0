"""A section's chart as the council sees it: the kind the definition asks for, drawn from the
published rows (a hidden figure is no point or bar), with an alt text that says what it shows."""

from __future__ import annotations

import pandas as pd

from jaarverslag.formatting import is_missing
from jaarverslag.inhoud.opmaak import column_spec, format_value
from jaarverslag.invoer.definitie import Section
from jaarverslag.weergave.html import charts_module, figure_html


def grafiek(rapport, section: Section, shown: pd.DataFrame) -> str:
    if section.soort == "verdeling":
        return _verdeling(rapport, section, shown)
    if section.soort == "uitsplitsing":
        return _uitsplitsing(rapport, section, shown.iloc[0])
    if section.soort == "per_groep":
        return _per_groep(rapport, section, shown)
    return _reeks(rapport, section, shown)


def _reeks(rapport, section: Section, shown: pd.DataFrame) -> str:
    labels = _labels(rapport, section)
    if not _heeft_cijfers(shown, labels):
        return ""
    if section.grafiek == "lijn":
        svg = charts_module().lines(shown, labels, section.eenheid, 0 if _alle_aantallen(section, labels) else 1)
    elif section.grafiek == "gestapeld":
        svg = charts_module().stacked_bars(shown, labels, section.eenheid)
    else:
        svg = charts_module().bars(shown, "schooljaar", labels, section.eenheid)
    return figure_html(svg, _alt_series(section, shown, labels))


def _per_groep(rapport, section: Section, shown: pd.DataFrame) -> str:
    labelled = shown.assign(**{section.groep: shown[section.groep].map(section.groep_labels)})
    if not _heeft_cijfers(labelled, _labels(rapport, section)):  # a chart of hidden figures only is left out
        return ""
    chart = charts_module().lines_per_group(labelled, section.groep, _labels(rapport, section), section.eenheid)
    return figure_html(chart, _alt_per_group(section, labelled))


def _verdeling(rapport, section: Section, rows: pd.DataFrame) -> str:
    labelled = rows.assign(categorie=rows[section.groep].map(section.groep_labels))
    chart = charts_module().bars(labelled, "categorie", _labels(rapport, section), section.eenheid, xlabel="")
    return figure_html(chart, _alt_categories(section, labelled, "categorie"))


def _uitsplitsing(rapport, section: Section, row: pd.Series) -> str:
    printed_by_label = {r.label: r.figuren[0].tekst for r in rapport.tabellen(section.key)[0].rijen}
    labels = [section.kolommen[c] for c in section.grafiek_kolommen]
    values = [row[c] for c in section.grafiek_kolommen]
    printed = [printed_by_label[label] for label in labels]
    geheel = _alle_aantallen(section, section.grafiek_kolommen)
    chart = charts_module().horizontal_bars(labels, values, f"Aantal {section.eenheid}", printed, geheel)
    alt = (
        f"Liggend staafdiagram: {section.titel.lower()} in schooljaar {rapport.schooljaar}. "
        + "; ".join(f"{label}: {text}" for label, text in zip(labels, printed, strict=True))
        + ". De cijfers staan ook in de tabel hieronder."
    )
    return figure_html(chart, alt)


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


def _describe(section: Section, column: str, values: pd.Series, years: list[str]) -> str:
    known = [(y, v) for y, v in zip(years, values, strict=True) if not is_missing(v)]
    if not known:
        return f"{section.kolommen[column]}: geen cijfers"
    (y0, v0), (y1, v1) = known[0], known[-1]
    fmt = lambda v: format_value(section.tabel, column, v)  # noqa: E731
    if y0 == y1:
        return f"{section.kolommen[column]}: {fmt(v1)} in {y1}"
    return f"{section.kolommen[column]}: van {fmt(v0)} in {y0} naar {fmt(v1)} in {y1}"


def _alt_series(section: Section, shown: pd.DataFrame, labels: dict[str, str]) -> str:
    years = shown["schooljaar"].tolist()
    kind = {"lijn": "Lijndiagram", "gestapeld": "Gestapeld staafdiagram"}.get(section.grafiek, "Staafdiagram")
    parts = "; ".join(_describe(section, c, shown[c], years) for c in labels)
    return f"{kind} van {section.titel.lower()} per schooljaar, {years[0]} tot en met {years[-1]}. {parts}. De cijfers staan ook in de tabel hieronder."


def _alt_per_group(section: Section, labelled: pd.DataFrame) -> str:
    parts = []
    for name, part in labelled.groupby(section.groep, sort=False):
        years = part["schooljaar"].tolist()
        parts.append(f"{name}: " + ", ".join(_describe(section, c, part[c], years) for c in _chart_labels(section)))
    return (
        f"Lijndiagrammen van {section.titel.lower()}, gemeente tegenover landelijk. "
        + "; ".join(parts)
        + ". De cijfers staan ook in de tabellen hieronder."
    )


def _alt_categories(section: Section, labelled: pd.DataFrame, column: str) -> str:
    parts = [
        f"{row[column]}: "
        + ", ".join(
            f"{section.kolommen[c].lower()} {format_value(section.tabel, c, row[c])}" for c in _chart_labels(section)
        )
        for _, row in labelled.iterrows()
    ]
    return (
        f"Staafdiagram van {section.titel.lower()}. "
        + "; ".join(parts)
        + ". De cijfers staan ook in de tabel hieronder."
    )
