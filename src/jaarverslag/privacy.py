"""Recognise person-level data in free text before it is published.

A note (`noot`) or a text block goes into the report as it is; a citizen service number or
a child's birth date next to a name must never get there. The rules, kept narrow so that
ordinary notes ("maart 2022 tot maart 2023", "peildatum 1 oktober 2022") pass:

- bsn: nine digits that pass the elfproef, written as 123456782, 123.456.782, 123 456 782,
  1234.56.782 or 12.34.56.782 (one kind of separator, in these groupings only);
- geboortedatum: a birth keyword (geboren, geb., geboortedatum, geb.datum) directly before
  a full date (with day), as in "geboren op 3 maart 2010" or "geb. 03-03-2010";
- datum bij naam: a full date whose year would make a pupil 3 to 25 years old in the school
  year, written right next to something that looks like a person's name ("Jan de Vries
  (03-03-2010)", "12-03-2010, J. Jansen", "leerling Sanne, 3 maart 2010").

The description returned never repeats the value found: messages end up in logs.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = (
    "(?i:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec)"
)
# A full date: 3-3-2010, 03/03/10, 3.3.2010, 2010-03-03, 3 maart 2010, 3 mrt. 2010.
DATE = (
    r"(?:(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?P<sep>[-/.])(?:0?[1-9]|1[0-2])(?P=sep)(?P<y1>\d{4}|\d{2})(?!\d)"
    r"|(?<!\d)(?P<y2>\d{4})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)"
    rf"|(?<!\d)(?:0?[1-9]|[12]\d|3[01])\s+{MONTHS}\.?\s+(?P<y3>\d{{4}})(?!\d))"
)
BIRTH = re.compile(
    rf"\b(?:geboren|geboortedatum|geb\.?\s?datum|geb)\b\.?\s*:?\s*(?:op\s+)?(?P<date>{DATE})", re.IGNORECASE
)
DATE_ONLY = re.compile(DATE, re.IGNORECASE)

CAPITAL = r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?"
PARTICLES = r"(?:(?:van|de|der|den|te|ter|ten|het|'t|in|op|la|le|el|al|da|di|du|von|zu)\s+)*"
ROLES = (
    r"(?i:leerling|leerplichtige|jongere|student|kind|zoon|dochter|meisje|jongen|broer|zus"
    r"|dhr|mevr|mw|mr|mevrouw|de heer)"
)
NAME = (
    rf"(?:\b{ROLES}\.?\s+{CAPITAL}(?:\s+{PARTICLES}{CAPITAL})?"  # leerling Sanne (Jansen)
    rf"|\b(?:[A-Z]\.\s?){{1,4}}{PARTICLES}{CAPITAL}"  # J. de Vries, A.B. Jansen
    rf"|\b{CAPITAL}\s+{PARTICLES}{CAPITAL})"  # Jan de Vries, Fatima El Amrani
)
# Capitalised words that are not (part of) a person's name: sources and bodies a note may cite.
NOT_A_NAME_WORDS = """
januari februari maart april mei juni juli augustus september oktober november december
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
gemeente dienst uitvoering onderwijs basisregistratie personen bureau stichting school college
regio ministerie rijksoverheid inspectie leerplicht leerplichtwet doorstroompunt jongerenwerk team
afdeling bron peildatum telling schooljaar centrum raad wet artikel bewust aanwezig jeugd jeugdzorg
zorg veilig thuis halt politie openbaar kinderbescherming provincie nederland landelijk
"""
NOT_A_NAME = frozenset(NOT_A_NAME_WORDS.split())
GAP = r"\s*[,:(\-–]?\s*(?:\(\s*)?"  # what may stand between a name and its date
NAME_THEN_DATE = re.compile(rf"(?P<name>{NAME}){GAP}(?P<date>{DATE})")
DATE_THEN_NAME = re.compile(rf"(?P<date>{DATE})\s*\)?\s*[,:\-–]?\s*(?P<name>{NAME})")

BSN = re.compile(
    r"(?<![\d.,])(?:\d{9}|\d{3}([ .])\d{3}\1\d{3}|\d{4}([ .])\d{2}\2\d{3}|\d{2}([ .])\d{2}\3\d{2}\3\d{3})(?!\d|[.,]\d)"
)
PUPIL_AGES = (3, 25)


def elfproef(digits: str) -> bool:
    """True for nine digits that pass the elfproef of the burgerservicenummer."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def is_bsn(text: str) -> bool:
    """A whole value that is a citizen service number, also written with spaces or dots."""
    text = text.strip()
    return bool(BSN.fullmatch(text)) and elfproef(re.sub(r"\D", "", text))


def _year(match: re.Match) -> int:
    raw = next(match.group(g) for g in ("y1", "y2", "y3") if match.group(g))
    if len(raw) == 4:
        return int(raw)
    century = 2000 if int(raw) <= dt.date.today().year % 100 else 1900
    return century + int(raw)


def _pupil_years(schooljaar: str | None) -> range:
    start = int(schooljaar[:4]) if schooljaar and schooljaar[:4].isdigit() else dt.date.today().year
    return range(start - PUPIL_AGES[1], start - PUPIL_AGES[0] + 1)


def _dated_name(text: str, schooljaar: str | None) -> bool:
    years = _pupil_years(schooljaar)
    for pattern in (NAME_THEN_DATE, DATE_THEN_NAME):
        for match in pattern.finditer(text):
            date = DATE_ONLY.fullmatch(match.group("date"))
            words = re.findall(r"[^\W\d_]+", match.group("name").lower())
            if _year(date) in years and NOT_A_NAME.isdisjoint(words):
                return True
    return False


def find_person_data(text: str, schooljaar: str | None = None) -> str | None:
    """A short Dutch description of person-level data in `text`, or None when there is none.

    `schooljaar` ('2022-2023') sets which birth years belong to pupils (3 to 25 years old at
    its start); without it the current year is used.
    """
    if not text:
        return None
    if any(elfproef(re.sub(r"\D", "", m.group())) for m in BSN.finditer(text)):
        return "een burgerservicenummer: negen cijfers die de elfproef doorstaan"
    if BIRTH.search(text):
        return "een geboortedatum"
    if _dated_name(text, schooljaar):
        return "een datum naast een naam, mogelijk de geboortedatum van een leerling"
    return None
