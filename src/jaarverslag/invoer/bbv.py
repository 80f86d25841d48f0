"""The BBV indicators per 1.000 and the derived table that holds them: definitions only (no pandas),
so that reading the report definition stays light. indicators.py computes the figures."""

from __future__ import annotations

from dataclasses import dataclass

# Tables the report derives from the input tables, with the input tables they are made from.
BRONNEN = {"verzuim_per_1000": ("leerplichtigen", "wettelijk_verzuim", "overig_verzuim", "bbv_indicatoren")}
AFGELEID = tuple(BRONNEN)
OFFICIEEL, BENADERING = "officieel", "benadering"


@dataclass(frozen=True)
class Indicator:
    """A BBV indicator per 1.000: the official figure when the gemeente has it (table
    bbv_indicatoren), else an approximation from the counts of meldingen, named as such."""

    officieel: str  # label of the official indicator
    benadering: str  # label of the approximation: says what it is
    bbv: tuple[str, str] | None  # (table, column) of the official figure, if there is one
    tellers: tuple[tuple[str, str], ...]  # numerator (table, column), the first one that has a figure
    onderwerp: str  # the approximation as the subject of a key finding
    onderwerp_officieel: str


# The definitions, with their sources, are in data/README.md.
PER_1000 = {
    "absoluut_per_1000": Indicator(
        "Absoluut verzuim per 1.000 leerlingen (BBV)",
        "Meldingen absoluut verzuim per 1.000 leerplichtigen",
        ("bbv_indicatoren", "absoluut_verzuim_bbv"),
        (("overig_verzuim", "absoluut_verzuim"),),
        "het aantal meldingen van absoluut verzuim per 1.000 leerplichtigen",
        "het absoluut verzuim per 1.000 leerlingen (BBV)",
    ),
    "absoluut_na_analyse_per_1000": Indicator(
        "",
        "Absoluut verzuim na analyse per 1.000 leerplichtigen",
        None,
        (("overig_verzuim", "absoluut_verzuim_na_analyse"),),
        "het absoluut verzuim na analyse per 1.000 leerplichtigen",
        "",
    ),
    "relatief_per_1000": Indicator(
        "Relatief verzuim per 1.000 leerlingen (BBV)",
        "Meldingen wettelijk verzuim per 1.000 leerplichtigen",
        ("bbv_indicatoren", "relatief_verzuim_bbv"),
        (("wettelijk_verzuim", "wettelijk_verzuim"),),
        "het aantal meldingen van wettelijk verzuim per 1.000 leerplichtigen",
        "het relatief verzuim per 1.000 leerlingen (BBV)",
    ),
}
PER_1000_NOEMER = ("leerplichtigen", "leerplichtigen")
PER_1000_DECIMALEN = 1


def kolommen() -> dict[str, dict]:
    """The derived table's columns with their specs, as schema.yaml gives a table's: the one place
    that says how a per-1.000 figure is printed."""
    derived = {
        c: {"type": "per_duizend", "label": i.benadering, "decimalen": PER_1000_DECIMALEN} for c, i in PER_1000.items()
    }
    return {**derived, "noot": {"type": "tekst"}}
