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
from dataclasses import replace

import pandas as pd

from jaarverslag.formatting import (
    MAANDEN,
    getal,
    percentage,
    schooljaar,
    schooljaar_naar_getal,
    verschil,
    vorig_schooljaar,
)
from jaarverslag.inhoud import uitkomsten
from jaarverslag.inhoud.herkomst import Herleiding
from jaarverslag.inhoud.indicators import AFGELEID, onderwerp, verandering, vergelijkbaar, verschil_landelijk
from jaarverslag.inhoud.kernpunt import Kernpunt, Zoeker, geen_bron, geplaatst, plaatsregel
from jaarverslag.invoer.regels import MIN_BASIS, Aandeel, Aantal, Landelijk, Trend
from jaarverslag.invoer.schema import NADER_VOORLOPIG, VOORLOPIG

STABLE_ABS = 1
STABLE_PCT = 1.0
MIN_BASE_PCT = MIN_BASIS  # below this previous value a change is given in absolute terms only
STREAK_BONUS = 10  # weight for every further year a change went the same way
RECORD_MIN_JAREN = 4  # 'the highest since' needs at least this many school years of data
VOOR_CORONA = "2018-2019"  # the last school year before the schools closed in March 2020
CORONA_MARGE_PCT = 5.0
INLEIDING = 4  # key points in the introduction (one page with the contents); the others stand with their section
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


VOLGENS = {VOORLOPIG: ", volgens voorlopige cijfers", NADER_VOORLOPIG: ", volgens nader voorlopige cijfers"}


def met_status(kernpunt: Kernpunt) -> Kernpunt:
    """A finding that rests on a figure that is not final says so."""
    suffix = VOLGENS.get(kernpunt.status, "")
    return replace(kernpunt, tekst=kernpunt.tekst + suffix) if suffix else kernpunt


def _fmt(rule: Trend, value) -> str:
    return percentage(value, rule.decimalen) if rule.procent else getal(value, rule.decimalen)


def _change(rule: Trend, change: dict) -> tuple[str, str]:
    """The change against last year: absolute, and in whole percent (empty for a percentage, and on a
    base below the rule's minimum, where 3 -> 12 would read as a dramatic 300% more)."""
    if rule.procent:
        return getal(abs(change["absoluut"]), rule.decimalen), ""
    small = pd.isna(change["procent"]) or (rule.decimalen == 0 and float(change["vorig"]) < rule.minimum)
    return verschil(change["absoluut"], rule.decimalen), "" if small else getal(abs(change["procent"]))


def _span(rule: Trend, change: dict, relative: str) -> str:
    """'van 395 naar 443 (12% meer)': the figures as the council hears them."""
    unit = f" {rule.eenheid}" if rule.eenheid else ""
    more = " meer" if float(change["absoluut"]) > 0 else " minder"
    if rule.procent:  # 'van 3,7% naar 4,4% (0,7 procentpunt meer)'
        relative = f"{getal(abs(change['absoluut']), rule.decimalen)} procentpunt"
    return f"van {_fmt(rule, change['vorig'])} naar {_fmt(rule, change['nu'])}{unit}" + (
        f" ({relative}{'' if rule.procent else '%'}{more})" if relative else ""
    )


def _difference(now, before) -> tuple[Herleiding | None, Herleiding | None]:
    """The derivations of the absolute and the relative change (None without sources)."""
    if now is None or before is None:
        return None, None
    return now - before, (now - before) / before * 100


def streak(frame: pd.DataFrame, kolom: str, reported: str, way: str, count: bool) -> int:
    """How many years in a row up to `reported` the figure went `way`."""
    n, year = 0, reported
    while n < 30 and direction(verandering(frame, kolom, year), count) == way:
        n, year = n + 1, vorig_schooljaar(year)
    return n


def gewicht(change: dict, count: bool, years: int) -> float:
    """The weight of a change: its size in percent of last year's figure (a count's base at least
    MIN_BASE_PCT), plus STREAK_BONUS for every further year in the same direction."""
    base = max(abs(float(change["vorig"])), MIN_BASE_PCT if count else 1e-9)
    return abs(float(change["absoluut"])) / base * 100 + STREAK_BONUS * max(0, years - 1)


def _record(frame: pd.DataFrame, kolom: str, reported: str, way: str) -> str:
    """', het hoogste niveau in <n> schooljaren' when this year's figure is the extreme of the
    data; never when the reported year's row carries a footnote, which may qualify the figure."""
    known = frame[frame["schooljaar"] <= reported].dropna(subset=[kolom])
    if len(known) < RECORD_MIN_JAREN or _noted(frame, reported):
        return ""
    values = known.set_index("schooljaar")[kolom].astype(float)
    extreme = values.max() if way == "omhoog" else values.min()
    if values[reported] != extreme or (values == extreme).sum() > 1:
        return ""
    years = TELWOORD.get(len(values), str(len(values)))
    return f", het {'hoogste' if way == 'omhoog' else 'laagste'} niveau in {years} schooljaren"


def _noted(frame: pd.DataFrame, reported: str) -> bool:
    """Whether the reported year's row has a footnote (the column `noot`)."""
    if "noot" not in frame.columns:
        return False
    notes = frame.loc[frame["schooljaar"] == reported, "noot"].dropna()
    return any(str(n).strip() for n in notes)


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


def trend(rule: Trend, frame: pd.DataFrame, reported: str, cel: Zoeker = geen_bron) -> Kernpunt | None:
    now = verandering(frame, rule.kolom, reported)
    count = rule.decimalen == 0 and not rule.procent
    way = direction(now, count)
    if way is None:
        return None
    before_year = vorig_schooljaar(reported)
    absolute, relative = _change(rule, now)
    span = _span(rule, now, relative)
    extra, corona = ("", ()) if way == "gelijk" else _pre_corona(rule, frame, now, cel)
    years = 0 if way == "gelijk" else streak(frame, rule.kolom, reported, way, count)
    corrected = _corrected(rule, frame, reported, cel)
    record = "" if way == "gelijk" or corrected else _record(frame, rule.kolom, reported, way)
    again = ""
    if way == "gelijk":
        small = count and not pd.isna(now["procent"]) and abs(now["procent"]) >= STABLE_PCT  # 4 -> 5
        text = f"{rule.onderwerp} {'nauwelijks is veranderd' if small else 'vrijwel gelijk is gebleven'} ({_span(rule, now, '')})"
    else:
        verb = rule.omhoog if way == "omhoog" else rule.omlaag
        again = {0: "", 1: "", 2: "opnieuw "}.get(
            years, f"voor het {RANGTELWOORD.get(years, f'{years}e')} jaar op rij "
        )
        text = f"{rule.onderwerp} {again}is {verb} {span}{record}{extra}"
    text += f", maar {corrected[0]}" if corrected else ""
    source_now, source_before = cel(rule.tabel, reported, rule.kolom), cel(rule.tabel, before_year, rule.kolom)
    change, change_pct = _difference(source_now, source_before)
    if change_pct is not None and float(now["absoluut"]) < 0:  # printed without its sign: '9% minder'
        change_pct = (source_before - source_now) / source_before * 100
    if change is not None and float(now["absoluut"]) < 0:  # printed without its sign
        change = source_before - source_now
    figures = [
        (f"vorig schooljaar ({before_year})", _fmt(rule, now["vorig"]), source_before),
        (f"dit schooljaar ({reported})", _fmt(rule, now["nu"]), source_now),
    ]
    if rule.procent and way != "gelijk":  # the change is printed in procentpunt; a count's in percent
        figures.append(("verandering in procentpunt", absolute, change))
    figures += [("verandering in procenten", relative, change_pct)] if relative and way != "gelijk" else []
    weight = 0.0 if way == "gelijk" else gewicht(now, count, years)
    stable = f"{STABLE_ABS} of minder, of " if count else ""
    rule_text = (
        f"Trend ({rule.tabel}.{rule.kolom}): {reported} tegenover {before_year}; 'vrijwel gelijk' bij een "
        f"verandering van {stable}minder dan {getal(STABLE_PCT)}%; {years} jaar op rij dezelfde kant op; "
        f"gewicht {getal(weight, 1)}; {plaatsregel(rule)}."
    )
    grond = _grond(rule, frame, reported, years, record=bool(record), cel=cel)
    small_base = count and float(now["vorig"]) < rule.minimum
    found = Kernpunt(text, rule_text, (*figures, *corona, *corrected[1:]), weight, rule.tabel, rule.kolom, way, grond)
    found = replace(found, herhaalbaar=tuple(p for p in (again, record) if p))
    return geplaatst(found, rule, way == "gelijk" or small_base)


def _corrected(rule: Trend, frame: pd.DataFrame, reported: str, cel: Zoeker) -> tuple:
    """('na analyse ging het om 33 kinderen', its figure) when the rule names a corrected column that
    holds a figure for the reported year; () otherwise."""
    if not rule.correctie or rule.correctie not in frame.columns:
        return ()
    values = frame.loc[frame["schooljaar"] == reported, rule.correctie].dropna()
    if values.empty:
        return ()
    printed = _fmt(rule, values.iloc[0])
    source = cel(rule.tabel, reported, rule.correctie)
    return rule.correctiezin.format(n=printed), (f"{rule.correctie} ({reported})", printed, source)


def _grond(rule: Trend, frame: pd.DataFrame, reported: str, years: int, record: bool, cel: Zoeker) -> tuple:
    """The cells a trend's words rest on besides the two years it cites: every year of a streak
    ('voor het derde jaar op rij'), or every known year for a record ('het hoogste niveau')."""
    known = frame[frame["schooljaar"] <= reported].dropna(subset=[rule.kolom])["schooljaar"].tolist()
    first = schooljaar(schooljaar_naar_getal(reported) - years)
    used = known if record else [y for y in known if y >= first] if years > 1 else []
    return tuple(cel(rule.tabel, y, rule.kolom) for y in used)


def aantal(rule: Aantal, frame: pd.DataFrame, reported: str, cel: Zoeker = geen_bron) -> Kernpunt | None:
    """The volume of an activity, with last year's figure when known."""
    change = verandering(frame, rule.kolom, reported)
    if pd.isna(change["nu"]):
        return None
    text = rule.zin.format(n=getal(change["nu"]))
    figures = [(f"dit schooljaar ({reported})", getal(change["nu"]), cel(rule.tabel, reported, rule.kolom))]
    if not pd.isna(change["vorig"]):
        text += f" (vorig schooljaar {getal(change['vorig'])})"
        before_year = vorig_schooljaar(reported)
        figures.append(
            (f"vorig schooljaar ({before_year})", getal(change["vorig"]), cel(rule.tabel, before_year, rule.kolom))
        )
    weight = 0.0 if pd.isna(change["vorig"]) else gewicht(change, True, 1)
    rule_text = (
        f"Aantal ({rule.tabel}.{rule.kolom}): het aantal van {reported}, met dat van het jaar ervoor als het "
        f"bekend is; gewicht {getal(weight, 1)}; {plaatsregel(rule)}."
    )
    found = Kernpunt(text, rule_text, tuple(figures), weight, rule.tabel, rule.kolom)
    return geplaatst(found, rule, float(change["nu"]) < rule.minimum)


def landelijk(
    rule: Landelijk, frame: pd.DataFrame, reported: str, marge: float, cel: Zoeker = geen_bron
) -> Kernpunt | None:
    rows = frame[frame["schooljaar"] == reported]
    if rows.empty:
        return None
    own, national = rows.iloc[0][rule.kolom], rows.iloc[0][rule.kolom_landelijk]
    way = verschil_landelijk(own, national, marge)
    if way is None:
        return None
    compared = {"gelijk": "nu ongeveer gelijk is aan", "hoger": "hoger is dan", "lager": "lager is dan"}[way]
    text = f"{rule.onderwerp} ({percentage(own)}) {compared} het landelijke percentage ({percentage(national)})"
    figures = (
        ("gemeente", percentage(own), cel(rule.tabel, reported, rule.kolom)),
        ("landelijk", percentage(national), cel(rule.tabel, reported, rule.kolom_landelijk)),
    )
    weight = 0.0 if way == "gelijk" else abs(float(own) - float(national)) / max(float(national), 1e-9) * 100
    rule_text = (
        f"Landelijk ({rule.tabel}.{rule.kolom} tegenover {rule.kolom_landelijk}): 'ongeveer gelijk' binnen "
        f"{getal(marge, 1)} procentpunt (marge_landelijk in params), anders hoger of lager; gewicht {getal(weight, 1)}; "
        f"{plaatsregel(rule)}."
    )
    return geplaatst(Kernpunt(text, rule_text, figures, weight, rule.tabel, rule.kolom, way), rule, False)


def _named(rule: Trend, frame: pd.DataFrame, reported: str) -> Trend:
    """A derived indicator is named by what it is this year (official or an approximation)."""
    if rule.tabel not in AFGELEID:
        return rule
    return replace(rule, onderwerp=onderwerp(frame, rule.kolom, reported))


def _comparable(rule: Trend, frame: pd.DataFrame, reported: str) -> bool:
    """No trend between an official figure and an approximation: they measure different things."""
    before = vorig_schooljaar(reported)
    return rule.tabel not in AFGELEID or vergelijkbaar(frame, rule.kolom, reported, before)


def _toegepast(rule, frame: pd.DataFrame, reported: str, marge: float, cel: Zoeker) -> Kernpunt | None:
    """What one rule says about the reported year, or None."""
    if isinstance(rule, Trend):
        comparable = _comparable(rule, frame, reported)
        return trend(_named(rule, frame, reported), frame, reported, cel) if comparable else None
    if isinstance(rule, Aantal):
        return aantal(rule, frame, reported, cel)
    if isinstance(rule, Landelijk):
        return landelijk(rule, frame, reported, marge, cel)
    return (uitkomsten.aandeel if isinstance(rule, Aandeel) else uitkomsten.bereik)(rule, frame, reported, cel)


def gerangschikt(items: list[Kernpunt]) -> list[Kernpunt]:
    """The findings from the most notable down; equal weights keep the order of the rules."""
    return sorted(items, key=lambda k: -k.gewicht)


def kernpunten(
    tables: dict[str, pd.DataFrame],
    reported: str,
    marge: float,
    rules: tuple,
    cel: Zoeker = geen_bron,
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
        statement = _toegepast(rule, frame, reported, marge, cel)
        if statement:
            out.append(statement)
    return out
