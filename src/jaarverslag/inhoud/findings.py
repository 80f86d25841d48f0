"""Generated key findings ("Het valt op dat...") derived from the data by explicit rules.

Which rules a report applies, to which columns and in which words, is data: each section of
the report definition (data/verslag.yaml) lists its `kernpunten`. The kinds of rule:
- trend: the reported year against the year before: gestegen / gedaald, or 'vrijwel gelijk'
  when a count changed by at most STABLE_ABS or any figure by less than STABLE_PCT percent; 'opnieuw' when the
  year before moved in the same direction. No statement when either year is missing. The change
  is given absolute and in percent, in percent only when last year's figure is at least MIN_BASE_PCT.
- landelijk: a percentage against the national one: hoger, lager or ongeveer gelijk
  (within `marge` procentpunt, from params).
- aantal: a notable count of the reported year, with last year's figure when known.

Wording follows the data: 'opnieuw' for a second year in the same direction, 'voor het derde
jaar op rij' and so on from three; 'tot het hoogste (laagste) niveau in <n> schooljaren' when the
figure is the highest (lowest) of at least RECORD_MIN_JAREN school years ('in vijf schooljaren'); 'terug op het niveau
van voor corona' when a count is again within CORONA_MARGE_PCT percent of VOOR_CORONA while last
year it was not.

Ranking (`gerangschikt`): a finding's weight (`gewicht`) is the size of the change, in percent of
last year's figure (a count's base is at least MIN_BASE_PCT, so 3 -> 12 weighs 90, not 300), plus
STREAK_BONUS for every further year the change went the same way; against the national figure it
is the difference in percent of the national figure; 'vrijwel gelijk' and 'ongeveer gelijk' weigh
0. The heaviest come first; equal weights keep the report's order. The introduction shows the
first INLEIDING; every section shows its own at its head.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from jaarverslag.formatting import MAANDEN, getal, percentage, schooljaar, schooljaar_naar_getal, verschil
from jaarverslag.inhoud.herkomst import Herleiding
from jaarverslag.inhoud.indicators import AFGELEID, onderwerp, verandering, vergelijkbaar, verschil_landelijk
from jaarverslag.invoer.regels import Aantal, Landelijk, Trend
from jaarverslag.invoer.schema import NADER_VOORLOPIG, VOORLOPIG, status_van

STABLE_ABS = 1
STABLE_PCT = 1.0
MIN_BASE_PCT = 10  # below this previous value a change is given in absolute terms only
STREAK_BONUS = 10  # weight for every further year a change went the same way
RECORD_MIN_JAREN = 4  # 'the highest since' needs at least this many school years of data
VOOR_CORONA = "2018-2019"  # the last school year before the schools closed in March 2020
CORONA_MARGE_PCT = 5.0
INLEIDING = 5  # key findings in the introduction; the others stand with their section
TELWOORD = {4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen", 10: "tien"}
RANGTELWOORD = {3: "derde", 4: "vierde", 5: "vijfde", 6: "zesde", 7: "zevende", 8: "achtste", 9: "negende"}


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
    gewicht: float = 0.0  # how notable (see the module's docstring)
    tabel: str = ""
    kolom: str = ""
    richting: str = ""  # omhoog, omlaag or gelijk (a trend); hoger, lager or gelijk (against Nederland)
    grond: tuple[Herleiding | None, ...] = ()  # cells its wording rests on beyond its figures ('opnieuw', a record)

    def __str__(self) -> str:
        return self.tekst

    @property
    def sleutel(self) -> str:
        """Which rule about which figure: the same finding in another edition of the report."""
        return f"{self.regel.split(':', 1)[0]}, {self.cijfers[0][0] if self.cijfers else ''}"

    @property
    def status(self) -> str:
        """As final as the least final figure it compares."""
        cells = [h for _, _, h in self.cijfers] + list(self.grond)
        return status_van(*(h.status for h in cells if h is not None))


VOLGENS = {VOORLOPIG: ", volgens voorlopige cijfers", NADER_VOORLOPIG: ", volgens nader voorlopige cijfers"}


def met_status(kernpunt: Kernpunt) -> Kernpunt:
    """A finding that rests on a figure that is not final says so."""
    suffix = VOLGENS.get(kernpunt.status, "")
    return replace(kernpunt, tekst=kernpunt.tekst + suffix) if suffix else kernpunt


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


def _previous(year: str) -> str:
    return schooljaar(schooljaar_naar_getal(year) - 1)


def streak(frame: pd.DataFrame, kolom: str, reported: str, way: str, count: bool) -> int:
    """How many years in a row up to `reported` the figure went `way`."""
    n, year = 0, reported
    while n < 30 and direction(verandering(frame, kolom, year), count) == way:
        n, year = n + 1, _previous(year)
    return n


def gewicht(change: dict, count: bool, years: int) -> float:
    """The weight of a change: its size in percent of last year's figure (a count's base at least
    MIN_BASE_PCT), plus STREAK_BONUS for every further year in the same direction."""
    base = max(abs(float(change["vorig"])), MIN_BASE_PCT if count else 1e-9)
    return abs(float(change["absoluut"])) / base * 100 + STREAK_BONUS * max(0, years - 1)


def _record(frame: pd.DataFrame, kolom: str, reported: str, way: str) -> str:
    """', tot het hoogste punt sinds <first year>' when this year's figure is the extreme of the data."""
    known = frame[frame["schooljaar"] <= reported].dropna(subset=[kolom])
    if len(known) < RECORD_MIN_JAREN:
        return ""
    values = known.set_index("schooljaar")[kolom].astype(float)
    extreme = values.max() if way == "omhoog" else values.min()
    if values[reported] != extreme or (values == extreme).sum() > 1:
        return ""
    years = TELWOORD.get(len(values), str(len(values)))
    return f" tot het {'hoogste' if way == 'omhoog' else 'laagste'} niveau in {years} schooljaren"


def _pre_corona(rule: Trend, frame: pd.DataFrame, now: dict, cel: Zoeker) -> tuple[str, tuple]:
    """' en is daarmee terug op het niveau van voor corona (…)' for a count back within the margin."""
    values = frame.set_index("schooljaar")[rule.kolom]
    before = values.get(VOOR_CORONA, pd.NA)
    if rule.procent or pd.isna(before) or float(before) <= 0:
        return "", ()
    close = lambda v: abs(float(v) - float(before)) / float(before) * 100 < CORONA_MARGE_PCT  # noqa: E731
    if not close(now["nu"]) or close(now["vorig"]):
        return "", ()
    printed = _fmt(rule, before)
    figure = (f"voor corona ({VOOR_CORONA})", printed, cel(rule.tabel, VOOR_CORONA, rule.kolom))
    return f" en is daarmee terug op het niveau van voor corona ({printed} in {VOOR_CORONA})", (figure,)


def trend(rule: Trend, frame: pd.DataFrame, reported: str, cel: Zoeker = _geen_bron) -> Kernpunt | None:
    now = verandering(frame, rule.kolom, reported)
    count = rule.decimalen == 0 and not rule.procent
    way = direction(now, count)
    if way is None:
        return None
    before_year = _previous(reported)
    absolute, relative = _change(rule, now)
    span = f"van {_fmt(rule, now['vorig'])} in {before_year} naar {_fmt(rule, now['nu'])}: {absolute}"
    span += f", {relative}" if relative else ""
    extra, corona = ("", ()) if way == "gelijk" else _pre_corona(rule, frame, now, cel)
    years = 0 if way == "gelijk" else streak(frame, rule.kolom, reported, way, count)
    if way == "gelijk":
        small = count and not pd.isna(now["procent"]) and abs(now["procent"]) >= STABLE_PCT  # 4 -> 5
        text = f"{rule.onderwerp} {'nauwelijks is veranderd' if small else 'vrijwel gelijk is gebleven'} ({span})"
    else:
        verb = rule.omhoog if way == "omhoog" else rule.omlaag
        again = {0: "", 1: "", 2: "opnieuw "}.get(
            years, f"voor het {RANGTELWOORD.get(years, f'{years}e')} jaar op rij "
        )
        text = f"{rule.onderwerp} {again}is {verb}{_record(frame, rule.kolom, reported, way)} ({span}){extra}"
    source_now, source_before = cel(rule.tabel, reported, rule.kolom), cel(rule.tabel, before_year, rule.kolom)
    change, change_pct = _difference(source_now, source_before)
    figures = [
        (f"vorig schooljaar ({before_year})", _fmt(rule, now["vorig"]), source_before),
        (f"dit schooljaar ({reported})", _fmt(rule, now["nu"]), source_now),
        ("verandering", absolute, change),
    ] + ([("verandering in procenten", relative.rstrip("%"), change_pct)] if relative else [])
    weight = 0.0 if way == "gelijk" else gewicht(now, count, years)
    stable = f"{STABLE_ABS} of minder, of " if count else ""
    rule_text = (
        f"Trend ({rule.tabel}.{rule.kolom}): {reported} tegenover {before_year}; 'vrijwel gelijk' bij een "
        f"verandering van {stable}minder dan {getal(STABLE_PCT)}%; {years} jaar op rij dezelfde kant op; "
        f"gewicht {getal(weight, 1)}."
    )
    grond = _grond(rule, frame, reported, years, record=bool(_record(frame, rule.kolom, reported, way)), cel=cel)
    return Kernpunt(text, rule_text, (*figures, *corona), weight, rule.tabel, rule.kolom, way, grond)


def _grond(rule: Trend, frame: pd.DataFrame, reported: str, years: int, record: bool, cel: Zoeker) -> tuple:
    """The cells a trend's words rest on besides the two years it cites: every year of a streak
    ('voor het derde jaar op rij'), or every known year for a record ('het hoogste niveau')."""
    known = frame[frame["schooljaar"] <= reported].dropna(subset=[rule.kolom])["schooljaar"].tolist()
    first = schooljaar(schooljaar_naar_getal(reported) - years)
    used = known if record else [y for y in known if y >= first] if years > 1 else []
    return tuple(cel(rule.tabel, y, rule.kolom) for y in used)


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
    weight = 0.0 if pd.isna(change["vorig"]) else gewicht(change, True, 1)
    rule_text = (
        f"Aantal ({rule.tabel}.{rule.kolom}): het aantal van {reported}, met dat van het jaar ervoor als het "
        f"bekend is; gewicht {getal(weight, 1)}."
    )
    return Kernpunt(text, rule_text, tuple(figures), weight, rule.tabel, rule.kolom)


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
    weight = 0.0 if way == "gelijk" else abs(float(own) - float(national)) / max(float(national), 1e-9) * 100
    rule_text = (
        f"Landelijk ({rule.tabel}.{rule.kolom} tegenover {rule.kolom_landelijk}): 'ongeveer gelijk' binnen "
        f"{getal(marge, 1)} procentpunt (marge_landelijk in params), anders hoger of lager; gewicht {getal(weight, 1)}."
    )
    return Kernpunt(text, rule_text, figures, weight, rule.tabel, rule.kolom, way)


def _named(rule: Trend, frame: pd.DataFrame, reported: str) -> Trend:
    """A derived indicator is named by what it is this year (official or an approximation)."""
    if rule.tabel not in AFGELEID:
        return rule
    return replace(rule, onderwerp=onderwerp(frame, rule.kolom, reported))


def _comparable(rule: Trend, frame: pd.DataFrame, reported: str) -> bool:
    """No trend between an official figure and an approximation: they measure different things."""
    before = schooljaar(schooljaar_naar_getal(reported) - 1)
    return rule.tabel not in AFGELEID or vergelijkbaar(frame, rule.kolom, reported, before)


def gerangschikt(items: list[Kernpunt]) -> list[Kernpunt]:
    """The findings from the most notable down; equal weights keep the order of the rules."""
    return sorted(items, key=lambda k: -k.gewicht)


def kernpunten(
    tables: dict[str, pd.DataFrame],
    reported: str,
    marge: float,
    rules: tuple,
    cel: Zoeker = _geen_bron,
    aantal_jaren: int = 5,
) -> list[Kernpunt]:
    """Every statement the rules (of the report definition) can make about the reported school year, in rule order. They look
    only at the school years the report shows (`aantal_jaren`): a streak, a record or the level
    before corona is never about a year the reader does not see."""
    first = schooljaar(schooljaar_naar_getal(reported) - aantal_jaren + 1)
    out = []
    for rule in rules:
        frame = tables.get(rule.tabel)
        if frame is None or frame.empty:
            continue
        frame = frame[(frame["schooljaar"] >= first) & (frame["schooljaar"] <= reported)]
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
