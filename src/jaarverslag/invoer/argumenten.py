"""The command line's argument types (argparse `type=`): a Dutch message for a wrong value."""

from __future__ import annotations

import argparse
import datetime as dt


def positive_int(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) <= 86400:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is geen aantal seconden tussen 1 en 86400")
    return int(text)


def datum(text: str) -> str:
    """An edition's date as its folder is named: JJJJ-MM-DD."""
    try:
        if len(text) == 10 and dt.date.fromisoformat(text).isoformat() == text:
            return text
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{text[:20]}' is geen datum in de vorm JJJJ-MM-DD")
