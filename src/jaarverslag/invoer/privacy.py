"""Recognise person-level data in free text before it is published.

A note (`noot`) or a text block goes into the report as it is; a citizen service number or
a child's birth date next to a name must never get there. The text is first normalised, so that
what a reader sees is what is matched: Unicode NFKC (fullwidth digits, non-breaking spaces), HTML
entities and tags, invisible characters (zero-width space, soft hyphen, direction marks), Markdown
emphasis and escapes (`**`, `_`, `~`, `` ` ``, `\\`) removed, every run of white space (line breaks
too) one space. The rules, kept narrow so that ordinary notes ("maart 2022 tot maart 2023",
"peildatum 1 oktober 2022") pass:

- bsn: nine digits that pass the elfproef, written as 123456782 or in the groupings 123 456 782,
  1234 56 782 and 12 34 56 782, separated by spaces, dots or hyphens;
- geboortedatum: a birth keyword (geboren, geb., geboortedatum, geb.datum) directly before
  a full date (with day), as in "geboren op 3 maart 2010" or "geb. 03-03-2010";
- datum bij naam: a full date whose year would make a pupil 3 to 25 years old in the school
  year, written right next to something that looks like a person's name ("Jan de Vries
  (03-03-2010)", "12-03-2010, J. Jansen", "leerling Sanne, 3 maart 2010", "Ömer Yılmaz
  03-03-2010"). A name in any script and any case counts; a name that is not written as one
  (all capitals, all lowercase) must not consist of ordinary Dutch words ("sinds 1 oktober 2019
  is er", "de telling van 1 oktober 2021"), and after the date it must be set off by a comma
  or brackets ("03-03-2010, sanne jansen"; not "vanaf 1 januari 2019 geldt nieuwe ...").

The description returned never repeats the value found: messages end up in logs.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

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

LETTER = r"[^\W\d_]"  # a letter of any script and case: 'Ö', 'ı', 'ł' as much as 'a'
WORD = rf"{LETTER}+(?:['’]{LETTER}+)*(?:-{LETTER}+(?:['’]{LETTER}+)*)?"  # Jan, O'Brien, El-Amrani
PARTICLE_TEXT = "van de der den te ter ten het 't in op la le el al da di du von zu"
PARTICLE_WORDS = PARTICLE_TEXT.split()
PARTICLES = r"(?:(?i:" + "|".join(PARTICLE_WORDS) + r")\s+)*"
ROLE_WORDS = (
    "leerling|leerplichtige|jongere|student|kind|zoon|dochter|meisje|jongen|broer|zus|dhr|mevr|mw|mr|mevrouw|de heer"
)
# Two words (with particles between), or a role or initials and a word. The groups are the words
# that must look like a name; the role and the particles need not.
NAME = re.compile(
    rf"(?:(?i:{ROLE_WORDS})\.?\s+(?P<a>{WORD})(?:\s+{PARTICLES}(?P<b>{WORD}))?"  # leerling Sanne (Jansen)
    rf"|(?P<initials>(?:{LETTER}\.\s?){{1,4}}){PARTICLES}(?P<c>{WORD})"  # J. de Vries, A.B. Jansen
    rf"|(?P<d>{WORD})\s+{PARTICLES}(?P<e>{WORD}))"  # Jan de Vries, Fatima El Amrani, sanne jansen
)
NAME_PARTS = ("a", "b", "c", "d", "e")
# Words that are not (part of) a person's name: sources and bodies a note may cite, in any case.
NOT_A_NAME_WORDS = """
januari februari maart april mei juni juli augustus september oktober november december
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
gemeente dienst uitvoering onderwijs basisregistratie personen bureau stichting school college
regio ministerie rijksoverheid inspectie leerplicht leerplichtwet doorstroompunt jongerenwerk team
afdeling bron peildatum telling schooljaar centrum raad wet artikel bewust aanwezig jeugd jeugdzorg
zorg veilig thuis halt politie openbaar kinderbescherming provincie nederland landelijk
"""
NOT_A_NAME = frozenset(NOT_A_NAME_WORDS.split())
# Ordinary Dutch words: a name not written as one (all capitals, all lowercase) may not be one of them.
COMMON_WORDS = """
de het een en of maar want dus dan als dat die dit deze daar hier er is zijn was waren wordt worden werd
werden heeft hebben had hadden kan kon kunnen moet moest moeten mag mogen zal zou zullen wil willen gaat
gaan ging staat stond komt kwam geldt gelden golden ook nog al niet geen wel nu toen sinds vanaf tot met
van voor vóór na naar door bij aan om op in uit over onder tegen tussen per zonder via rond circa ca tm
wij we ze zij hij hem haar hun ons onze mijn jouw uw je u ik men iets niets alle alles elk elke ieder
iedere veel meer minder meeste eerste laatste tweede derde nieuwe nieuw oude oud jaar jaren maand
maanden week weken dag dagen datum periode tijd stand totaal aantal cijfers cijfer gegevens melding
meldingen verzuim leerlingen jongeren kinderen leerplichtigen vsv vsv'ers zo zoals waar wanneer hoe
wat wie welke omdat doordat terwijl nadat voordat sindsdien inmiddels reeds pas weer steeds ruim bijna
ongeveer vooral alleen eind begin half midden start einde ingang gestart gewijzigd vastgesteld aangepast
mede mee toe af opnieuw eerder later daarna daarvoor daarmee
"""
COMMON = frozenset(COMMON_WORDS.split()) | NOT_A_NAME | frozenset(PARTICLE_WORDS)
BEFORE_DATE = re.compile(r"\s*[,:(\-–]?\s*(?:\(\s*)?\Z")  # what may stand between a name and its date
AFTER_DATE = re.compile(r"\s*\)?\s*(?P<mark>[,:(\-–])?\s*(?:\(\s*)?")
WORD_START = re.compile(rf"(?<![\w'’.]){LETTER}")
REACH = 80  # how far before or after a date a name is looked for (a name is shorter)
MAX_WORDS = 8  # at most this many words before a date start a name

SEP = r"(?:\s?[.\-]\s?|\s)"
BSN = re.compile(
    rf"(?<![\d.,])(?:\d{{9}}|\d{{3}}{SEP}\d{{3}}{SEP}\d{{3}}|\d{{4}}{SEP}\d{{2}}{SEP}\d{{3}}"
    rf"|\d{{2}}{SEP}\d{{2}}{SEP}\d{{2}}{SEP}\d{{3}})(?!\d|[.,]\d)"
)
PUPIL_AGES = (3, 25)
MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,200}>")  # an HTML tag: rendered, it is not there
INVISIBLE_MARKS = str.maketrans("", "", "*_~`\\")  # Markdown emphasis, code and escapes
SPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """`text` as a reader sees it, for matching: see the module docstring."""
    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = MARKUP.sub(" ", text)
    text = "".join(_visible(c) for c in text).translate(INVISIBLE_MARKS)
    return SPACE.sub(" ", text).strip()


def _visible(char: str) -> str:
    """A character as matched: an invisible format character dropped, a digit of any script made 0-9."""
    if char.isascii():
        return char
    if unicodedata.category(char) == "Cf":  # zero-width space and joiners, word joiner, BOM, soft hyphen, ...
        return ""
    return str(unicodedata.decimal(char)) if char.isdecimal() else char


def elfproef(digits: str) -> bool:
    """True for nine digits that pass the elfproef of the burgerservicenummer."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def is_bsn(text: str) -> bool:
    """A whole value that is a citizen service number, also written with spaces, dots or hyphens."""
    text = normalised(text)
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


def _is_name(match: re.Match, set_off: bool) -> bool:
    """Whether a match of NAME is a person's name; `set_off`: by punctuation from a date before it."""
    words = re.findall(r"[^\W\d_]+", match.group().lower())
    if not NOT_A_NAME.isdisjoint(words):
        return False
    initials = match.group("initials")
    if initials and not all(c.isupper() for c in initials if c.isalpha()):
        return False  # 'o.a.', 'i.v.m.': abbreviations, not initials
    parts = [match.group(g) for g in NAME_PARTS if match.group(g)]
    if all(p[0].isupper() and not p.isupper() for p in parts):
        return True  # written as a name: Jan de Vries, Ömer Yılmaz
    return set_off and all(p.lower() not in COMMON for p in parts)


def _name_before(text: str) -> bool:
    """Whether `text` (what stands before a date) ends in a name."""
    gap = BEFORE_DATE.search(text)
    text = text[: gap.start()]
    for start in [m.start() for m in WORD_START.finditer(text)][-MAX_WORDS:]:
        match = NAME.fullmatch(text, start)
        if match and _is_name(match, set_off=True):
            return True
    return False


def _name_after(text: str) -> bool:
    """Whether `text` (what stands after a date) starts with a name."""
    gap = AFTER_DATE.match(text)
    match = NAME.match(text, gap.end())
    # set off by a comma or brackets; not by a colon, as in "op 1 januari 2019: nieuwe regels"
    return bool(match) and _is_name(match, set_off=bool(re.search(r"[,()]", gap.group())))


def _dated_name(text: str, schooljaar: str | None) -> bool:
    years = _pupil_years(schooljaar)
    for date in DATE_ONLY.finditer(text):
        if _year(date) not in years:
            continue
        before, after = text[max(0, date.start() - REACH) : date.start()], text[date.end() : date.end() + REACH]
        if _name_before(before) or _name_after(after):
            return True
    return False


def find_person_data(text: str, schooljaar: str | None = None) -> str | None:
    """A short Dutch description of person-level data in `text`, or None when there is none.

    `schooljaar` ('2022-2023') sets which birth years belong to pupils (3 to 25 years old at
    its start); without it the current year is used.
    """
    if not text:
        return None
    text = normalised(text)
    if any(elfproef(re.sub(r"\D", "", m.group())) for m in BSN.finditer(text)):
        return "een burgerservicenummer: negen cijfers die de elfproef doorstaan"
    if BIRTH.search(text):
        return "een geboortedatum"
    if _dated_name(text, schooljaar):
        return "een datum naast een naam, mogelijk de geboortedatum van een leerling"
    return None
