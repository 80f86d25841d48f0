"""The rule for one text of the memo (params `raadsmededeling`, and the project's standard texts)."""

from __future__ import annotations

import string

MAX_BLOCK = 20_000  # characters in one text block
MEMO_VELDEN = {"gemeentenaam", "schooljaar", "wie", "titel"}  # what a memo text may fill in, as {naam}


def memotekst_fout(text: str) -> str | None:
    """What is wrong with a text of the memo (empty, too long, a control character, a brace that
    is not a plain {gemeentenaam}, {schooljaar}, {wie} or {titel}), or None."""
    if not text.strip():
        return "is leeg."
    if len(text) > MAX_BLOCK:
        return f"is te lang (meer dan {MAX_BLOCK} tekens)."
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        return "bevat een stuurteken (zoals een pagina-einde); schrijf alleen tekst."
    try:
        parts = [(f, spec, conversion) for _, f, spec, conversion in string.Formatter().parse(text) if f is not None]
    except ValueError:
        parts = [("?", "", None)]
    if any(f not in MEMO_VELDEN or spec or conversion for f, spec, conversion in parts):
        return "mag alleen {gemeentenaam}, {schooljaar}, {wie} of {titel} tussen accolades hebben."
    return None
