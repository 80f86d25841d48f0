"""Generated key findings ("Het valt op dat...") derived from the data by explicit rules.

Rules:
- trend: the reported year against the year before: gestegen / gedaald, or 'vrijwel gelijk'
  when a count changed by at most STABLE_ABS or any figure by less than STABLE_PCT percent; 'opnieuw' when the
  year before moved in the same direction. No statement when either year is missing. The change
  is given absolute and in percent, in percent only when last year's figure is at least MIN_BASE_PCT.
- landelijk: a percentage against the national one: hoger, lager or ongeveer gelijk
  (within `marge` procentpunt, from params).
- aantal: a notable count of the reported year, with last year's figure when known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from .formatting import getal, percentage, schooljaar, schooljaar_naar_getal, verschil
from .herkomst import Herleiding
from .indicators import AFGELEID, onderwerp, verandering, vergelijkbaar, verschil_landelijk

STABLE_ABS = 1
STABLE_PCT = 1.0
MIN_BASE_PCT = 10  # below this previous value a change is given in absolute terms only
MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


@dataclass(frozen=True)
class Trend:
    tabel: str
    kolom: str
    onderwerp: str  # subject of the clause, e.g. "het aantal meldingen van wettelijk verzuim"
    omhoog: str = "gestegen"
    omlaag: str = "gedaald"
    decimalen: int = 0
    procent: bool = False  # the figure itself is a percentage


@dataclass(frozen=True)
class Aantal:
    tabel: str
    kolom: str
    zin: str  # with {n}: e.g. "er {n} preventieve verzuimgesprekken (BAS) werden gevoerd"


@dataclass(frozen=True)
class Landelijk:
    tabel: str
    kolom: str
    kolom_landelijk: str
    onderwerp: str


RULES = (
    Aantal(
        "bas_gesprekken",
        "bas_gesprekken",
        "leerplichtambtenaren {n} preventieve verzuimgesprekken (BAS-gesprekken) voerden",
    ),
    Trend(
        "leerplichtigen",
        "leerplichtigen",
        "het aantal leer- en kwalificatieplichtige leerlingen",
        "toegenomen",
        "afgenomen",
    ),
    Trend("betrokkenheid", "percentage_betrokkenheid", "de betrokkenheid van leerplicht", decimalen=1, procent=True),
    Trend("wettelijk_verzuim", "wettelijk_verzuim", "het aantal meldingen van wettelijk (relatief) verzuim"),
    Trend("overig_verzuim", "absoluut_verzuim", "het aantal meldingen van absoluut verzuim"),
    Trend("verzuim_per_1000", "relatief_per_1000", "", decimalen=1),  # named by indicators.onderwerp
    Trend(
        "vrijstellingen",
        "artikel_5a",
        "het aantal vrijstellingen vanwege psychische of lichamelijke redenen (artikel 5 onder a)",
        "toegenomen",
        "afgenomen",
    ),
    Trend(
        "vrijstellingen",
        "artikel_5b",
        "het aantal vrijstellingen vanwege bedenkingen tegen de richting van het onderwijs (artikel 5 onder b)",
        "toegenomen",
        "afgenomen",
    ),
    Trend(
        "vrijstellingen",
        "artikel_5c",
        "het aantal vrijstellingen vanwege schoolbezoek in het buitenland (artikel 5 onder c)",
        "toegenomen",
        "afgenomen",
    ),
    Trend(
        "vrijstellingen",
        "artikel_15",
        "het aantal vrijstellingen vanwege onderwijs op een andere plek, zoals binnen een bedrijf (artikel 15)",
        "toegenomen",
        "afgenomen",
    ),
    Aantal(
        "overstapcoach",
        "overstapcoach_intensief",
        "de overstapcoach {n} jongeren intensief begeleidde bij de overstap naar het mbo",
    ),
    Trend("jongeren_vsv", "vsv", "het aantal nieuwe voortijdig schoolverlaters"),
    Landelijk(
        "jongeren_vsv", "percentage_vsv", "percentage_vsv_landelijk", "het percentage voortijdig schoolverlaters"
    ),
)


def datum_nl(iso: str) -> str:
    """'2024-06-01' -> '1 juni 2024'."""
    date = dt.date.fromisoformat(iso)
    return f"{date.day} {MAANDEN[date.month - 1]} {date.year}"


def direction(change: dict, count: bool = True) -> str | None:
    """'omhoog', 'omlaag', 'gelijk', or None when a figure is missing.

    Stable: a count that moved by at most STABLE_ABS, or any figure that moved by less
    than STABLE_PCT percent of its previous value.
    """
    if pd.isna(change["absoluut"]):
        return None
    absolute = change["absoluut"]
    relative = change["procent"]
    stable_pct = not pd.isna(relative) and abs(relative) < STABLE_PCT
    if (count and abs(absolute) <= STABLE_ABS) or stable_pct:
        return "gelijk"
    return "omhoog" if absolute > 0 else "omlaag"


@dataclass(frozen=True)
class Kernpunt:
    """A key finding: its sentence, the rule that made it, and the figures it compared."""

    tekst: str
    regel: str  # the rule in words, with its table and column
    cijfers: tuple[tuple[str, str, Herleiding | None], ...]  # (what, as printed, derivation)

    def __str__(self) -> str:
        return self.tekst


Zoeker = Callable[[str, str, str], "Herleiding | None"]  # (tabel, schooljaar, kolom) -> source


def _geen_bron(tabel: str, schooljaar: str, kolom: str) -> None:
    return None


def _fmt(rule: Trend, value) -> str:
    return percentage(value, rule.decimalen) if rule.procent else getal(value, rule.decimalen)


def _change(rule: Trend, change: dict) -> tuple[str, str]:
    """The change against last year: absolute, and in % (empty for a percentage, in procentpunt,
    and on a base below MIN_BASE_PCT, where 3 -> 12 would read as a dramatic +300%)."""
    if rule.procent:
        return verschil(change["absoluut"], rule.decimalen, "procentpunt"), ""
    small = pd.isna(change["procent"]) or float(change["vorig"]) < MIN_BASE_PCT
    relative = "" if small else f"{verschil(change['procent'], 1)}%"
    return verschil(change["absoluut"], rule.decimalen), relative


def _difference(now, before) -> tuple[Herleiding | None, Herleiding | None]:
    """The derivations of the absolute and the relative change (None without sources)."""
    if now is None or before is None:
        return None, None
    return now - before, (now - before) / before * 100


def trend(rule: Trend, frame: pd.DataFrame, reported: str, cel: Zoeker = _geen_bron) -> Kernpunt | None:
    now = verandering(frame, rule.kolom, reported)
    count = rule.decimalen == 0 and not rule.procent
    way = direction(now, count)
    if way is None:
        return None
    before_year = schooljaar(schooljaar_naar_getal(reported) - 1)
    absolute, relative = _change(rule, now)
    span = f"van {_fmt(rule, now['vorig'])} in {before_year} naar {_fmt(rule, now['nu'])}: {absolute}"
    span += f", {relative}" if relative else ""
    if way == "gelijk":
        text = f"{rule.onderwerp} vrijwel gelijk is gebleven ({span})"
    else:
        again = direction(verandering(frame, rule.kolom, before_year), count) == way
        verb = rule.omhoog if way == "omhoog" else rule.omlaag
        text = f"{rule.onderwerp} {'opnieuw ' if again else ''}is {verb} ({span})"
    source_now, source_before = cel(rule.tabel, reported, rule.kolom), cel(rule.tabel, before_year, rule.kolom)
    change, change_pct = _difference(source_now, source_before)
    figures = [
        (f"vorig schooljaar ({before_year})", _fmt(rule, now["vorig"]), source_before),
        (f"dit schooljaar ({reported})", _fmt(rule, now["nu"]), source_now),
        ("verandering", absolute, change),
    ] + ([("verandering in procenten", relative.rstrip("%"), change_pct)] if relative else [])
    stable = f"{STABLE_ABS} of minder, of " if count else ""
    rule_text = (
        f"Trend ({rule.tabel}.{rule.kolom}): {reported} tegenover {before_year}; 'vrijwel gelijk' bij een "
        f"verandering van {stable}minder dan {getal(STABLE_PCT)}%, 'opnieuw' als het jaar ervoor dezelfde kant op ging."
    )
    return Kernpunt(text, rule_text, tuple(figures))


def aantal(rule: Aantal, frame: pd.DataFrame, reported: str, cel: Zoeker = _geen_bron) -> Kernpunt | None:
    change = verandering(frame, rule.kolom, reported)
    if pd.isna(change["nu"]):
        return None
    text = rule.zin.format(n=getal(change["nu"]))
    figures = [(f"dit schooljaar ({reported})", getal(change["nu"]), cel(rule.tabel, reported, rule.kolom))]
    if not pd.isna(change["vorig"]):
        text += f" (vorig schooljaar: {getal(change['vorig'])})"
        before_year = schooljaar(schooljaar_naar_getal(reported) - 1)
        figures.append(
            (f"vorig schooljaar ({before_year})", getal(change["vorig"]), cel(rule.tabel, before_year, rule.kolom))
        )
    rule_text = (
        f"Aantal ({rule.tabel}.{rule.kolom}): het aantal van {reported}, met dat van het jaar ervoor als het bekend is."
    )
    return Kernpunt(text, rule_text, tuple(figures))


def landelijk(
    rule: Landelijk, frame: pd.DataFrame, reported: str, marge: float, cel: Zoeker = _geen_bron
) -> Kernpunt | None:
    rows = frame[frame["schooljaar"] == reported]
    if rows.empty:
        return None
    own, national = rows.iloc[0][rule.kolom], rows.iloc[0][rule.kolom_landelijk]
    way = verschil_landelijk(own, national, marge)
    if way is None:
        return None
    compared = {"gelijk": "ongeveer gelijk is aan", "hoger": "hoger is dan", "lager": "lager is dan"}[way]
    text = f"{rule.onderwerp} ({percentage(own)}) {compared} het landelijke percentage ({percentage(national)})"
    figures = (
        ("gemeente", percentage(own), cel(rule.tabel, reported, rule.kolom)),
        ("landelijk", percentage(national), cel(rule.tabel, reported, rule.kolom_landelijk)),
    )
    rule_text = (
        f"Landelijk ({rule.tabel}.{rule.kolom} tegenover {rule.kolom_landelijk}): 'ongeveer gelijk' binnen "
        f"{getal(marge, 1)} procentpunt (marge_landelijk in params), anders hoger of lager."
    )
    return Kernpunt(text, rule_text, figures)


def _named(rule: Trend, frame: pd.DataFrame, reported: str) -> Trend:
    """A derived indicator is named by what it is this year (official or an approximation)."""
    if rule.tabel not in AFGELEID:
        return rule
    return replace(rule, onderwerp=onderwerp(frame, rule.kolom, reported))


def _comparable(rule: Trend, frame: pd.DataFrame, reported: str) -> bool:
    """No trend between an official figure and an approximation: they measure different things."""
    before = schooljaar(schooljaar_naar_getal(reported) - 1)
    return rule.tabel not in AFGELEID or vergelijkbaar(frame, rule.kolom, reported, before)


def kernpunten(
    tables: dict[str, pd.DataFrame], reported: str, marge: float, cel: Zoeker = _geen_bron
) -> list[Kernpunt]:
    """Every statement the rules can make about the reported school year, in rule order."""
    out = []
    for rule in RULES:
        frame = tables.get(rule.tabel)
        if frame is None or frame.empty:
            continue
        if isinstance(rule, Trend):
            statement = (
                trend(_named(rule, frame, reported), frame, reported, cel)
                if _comparable(rule, frame, reported)
                else None
            )
        elif isinstance(rule, Aantal):
            statement = aantal(rule, frame, reported, cel)
        else:
            statement = landelijk(rule, frame, reported, marge, cel)
        if statement:
            out.append(statement)
    return out
