"""The colours and marks of the charts that need no drawing library: the colour-blind-safe palette,
the gemeente's accent colour for a single series, and the words for a provisional figure's mark
(for the legend and the alt text alike)."""

from __future__ import annotations

import contextlib
import contextvars

# Okabe-Ito: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
_ENKEL = contextvars.ContextVar("enkel", default=PALETTE[0])  # a single series: the house accent colour


@contextlib.contextmanager
def huiskleur(kleur: str):
    """Draw a chart with one series in the gemeente's accent colour (several series keep PALETTE)."""
    token = _ENKEL.set(kleur)
    try:
        yield
    finally:
        _ENKEL.reset(token)


def palet(n: int) -> list[str]:
    """The colours of n series: the house accent for one, the colour-blind-safe palette for more."""
    return [_ENKEL.get()] if n == 1 else PALETTE[:n]


def merkwoord(statuses) -> str:
    """What the chart's marks stand for: 'voorlopig cijfer', 'nader voorlopig cijfer' or both."""
    found = {s for s in statuses if isinstance(s, str) and s != "definitief"}
    if found == {"nader_voorlopig"}:
        return "nader voorlopig cijfer"
    return "(nader) voorlopig cijfer" if len(found) > 1 else "voorlopig cijfer"


def alt_voorlopig(statuses, how: str, which: list[str]) -> str:
    """The alt text's sentence on what the chart marks: ' Voorlopige cijfers (open punten): 2022-2023.'"""
    words = merkwoord(statuses).replace("voorlopig cijfer", "voorlopige cijfers")
    return f" {words[0].upper()}{words[1:]} ({how}): {', '.join(which)}."
