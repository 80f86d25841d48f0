"""A figure that Excel turned into a date (typing 1-2 gives 1 February): the date as Dutch Excel
shows it with the cell's number format, for a message the analyst recognises."""

from __future__ import annotations

import datetime as dt
import re

from jaarverslag.formatting import MAANDEN

DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
KORTE_DATUM = "d-m-yyyy"  # Excel's built-in short date (openpyxl calls it mm-dd-yy), as Dutch Excel shows it
DATUMDEEL = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s", re.IGNORECASE)


def _datum_tekst(cell) -> str:
    """What to say of a figure that Excel turned into a date (typing 1-2 gives 1 February)."""
    return (
        f"Excel heeft wat hier getypt is omgezet in een datum (de cel toont '{zoals_excel(cell.value, cell.number_format)}'). "
        "Geef de cel de opmaak Getal en typ het cijfer opnieuw."
    )


def zoals_excel(value, number_format: str) -> str:
    """A date or time as Dutch Excel shows it with the cell's number format, e.g. '1-feb' for d-mmm."""
    pattern = (number_format or "").split(";")[0]
    pattern = re.sub(r"\[[^\]]*\]|[\\\"@]|AM/PM", "", pattern)  # locale codes, escapes, quotes
    if pattern in ("", "General", "mm-dd-yy") or not DATUMDEEL.search(pattern):
        pattern = KORTE_DATUM if isinstance(value, dt.date) else "h:mm"
    return DATUMDEEL.sub(lambda m: _deel(value, m[0].lower(), m.start(), pattern), pattern)


def _deel(value, token: str, at: int, pattern: str) -> str:
    """One part of a date format; m or mm right after an h (or before an s) is minutes, as in Excel."""
    minutes = token in ("m", "mm") and bool(
        re.search(r"h[^dmy]*$", pattern[:at], re.I) or re.match(r"[^dmy]*s", pattern[at + len(token) :], re.I)
    )
    date = value if isinstance(value, dt.date) else None
    parts = {
        "yyyy": lambda: f"{date.year:04d}",
        "yy": lambda: f"{date.year % 100:02d}",
        "mmmm": lambda: MAANDEN[date.month - 1],
        "mmm": lambda: MAANDEN[date.month - 1][:3],
        "mm": lambda: f"{value.minute:02d}" if minutes else f"{date.month:02d}",
        "m": lambda: str(value.minute) if minutes else str(date.month),
        "dddd": lambda: DAGEN[date.weekday()],
        "ddd": lambda: DAGEN[date.weekday()][:2],
        "dd": lambda: f"{date.day:02d}",
        "d": lambda: str(date.day),
        "hh": lambda: f"{value.hour:02d}",
        "h": lambda: str(value.hour),
        "ss": lambda: f"{value.second:02d}",
        "s": lambda: str(value.second),
    }
    try:
        return parts[token]()
    except AttributeError:  # a date part in the format of a time, or the other way round
        return ""
