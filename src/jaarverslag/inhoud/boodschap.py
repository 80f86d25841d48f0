"""The college's message: the findings joined per topic and ranked as a college would tell the
council, for the report's Kernpunten and the memo alike.

- Points per topic: findings whose rules share a `thema` in the report definition make one point
  (the count and the rate of one measure; related categories), in the definition's order.
- Ranking: every chapter gets its first point before any chapter gets a second (round robin in
  the definition's chapter order). Within a chapter: a point on which nothing changed, or only a
  change on a small base (below the rule's `minimum`), comes after the others; then the rule's
  `gewicht`, the definition's order of sections, and last the size of the change.
- The memo (`kies`): params `raadsmededeling.punten` pin points by their key (in their order, with
  the college's own sentence), or leave them out; the rules fill the other places, and the memo
  lists those in the report's order.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import zip_longest

from jaarverslag.errors import ParameterFout, kort
from jaarverslag.inhoud.celtekst import opsomming
from jaarverslag.inhoud.findings import Kernpunt


def punten(found: list[Kernpunt], verslag) -> list[Kernpunt]:
    """The points of the report, most telling first (see the module's docstring)."""
    topics: dict[str, list[Kernpunt]] = {}
    for finding in found:
        topics.setdefault(finding.thema or finding.sleutel, []).append(finding)
    chapters: dict[str, list[Kernpunt]] = {title: [] for title, _ in verslag.hoofdstukken}
    for parts in topics.values():
        point = samengevoegd(parts, _hoofdstuk(parts[0], verslag))
        chapters.setdefault(_hoofdstuk(point, verslag), []).append(point)
    ranked = [sorted(points, key=lambda p: _rang(p, verslag)) for points in chapters.values()]
    return [p for row in zip_longest(*ranked) for p in row if p is not None]


def _hoofdstuk(point: Kernpunt, verslag) -> str:
    section = verslag.secties.get(point.sectie)
    return section.hoofdstuk if section else ""


def _volgorde(point: Kernpunt, verslag) -> int:
    keys = list(verslag.secties)
    return keys.index(point.sectie) if point.sectie in keys else len(keys)


def _rang(point: Kernpunt, verslag) -> tuple:
    return (point.bijzaak, -point.regelgewicht, _volgorde(point, verslag), -point.gewicht)


def samengevoegd(parts: list[Kernpunt], hoofdstuk: str) -> Kernpunt:
    """One point from the findings on one topic: their sentences joined, every figure kept."""
    lead = parts[0]
    text = _zinnen(parts)
    figures = tuple(
        (f"{p.kolom}: {what}" if len(parts) > 1 else what, printed, source)
        for p in parts
        for what, printed, source in p.cijfers
    )
    rule = (
        f"Punt '{lead.thema or lead.sleutel}' (hoofdstuk {hoofdstuk or '–'}, {len(parts)} bevinding(en)): "
        + " ".join(p.regel for p in parts)
    )
    return replace(
        lead,
        tekst=text,
        regel=rule,
        cijfers=figures,
        gewicht=max(p.gewicht for p in parts),
        grond=tuple(g for p in parts for g in p.grond),
        regelgewicht=max(p.regelgewicht for p in parts),
        bijzaak=all(p.bijzaak for p in parts),
        delen=tuple(parts),
    )


def _zinnen(parts: list[Kernpunt]) -> str:
    """The findings' sentences as one: 'A en B'; with three or more, or a sentence that has its own
    commas, 'A; B; C' so it reads aloud. A streak or a record an earlier sentence stated is not
    repeated ('het hoogste niveau in vijf schooljaren' once)."""
    said: list[str] = []
    for part in parts:
        text = part.tekst
        for phrase in part.herhaalbaar:
            if said and any(phrase in earlier for earlier in said):
                text = text.replace(phrase, "", 1)
        said.append(text)
    if len(said) < 3 and not any(", " in text for text in said):
        return opsomming(said)
    return "; ".join(said)


def in_verslagvolgorde(points: list[Kernpunt], verslag) -> list[Kernpunt]:
    """Points in the order the report shows their sections."""
    return sorted(points, key=lambda p: _volgorde(p, verslag))


def kies(ranked: list[Kernpunt], keuzes: list[dict], aantal: int, verslag, where: str) -> list[Kernpunt]:
    """The memo's points: those params pin (in their order, with the college's own sentence), then
    the rules' first `aantal` of the others in the report's order; params may leave points out."""
    controleer(ranked, keuzes, where)
    known = {p.sleutel: p for p in ranked}
    left_out = {c["sleutel"] for c in keuzes if c.get("weglaten")}
    pinned = [_vastgezet(known[c["sleutel"]], c.get("zin") or "") for c in keuzes if not c.get("weglaten")]
    taken = left_out | {p.sleutel for p in pinned}
    rest = [p for p in ranked if p.sleutel not in taken][: max(0, aantal - len(pinned))]
    return pinned + in_verslagvolgorde(rest, verslag)


def controleer(ranked: list[Kernpunt], keuzes: list[dict], where: str) -> None:
    """Refuse a key in params `raadsmededeling.punten` that names no point of this year's report,
    listing the keys there are."""
    known = [p.sleutel for p in ranked]
    for number, choice in enumerate(keuzes, start=1):
        if choice["sleutel"] not in known:
            raise ParameterFout(
                f"{where}, sleutel raadsmededeling.punten, nummer {number}.sleutel: "
                f"'{kort(choice['sleutel'], 40)}' is geen punt van dit verslag; dit jaar zijn er: {', '.join(known)}."
            )


def _vastgezet(point: Kernpunt, sentence: str) -> Kernpunt:
    """A point params chose, with the college's own sentence after it."""
    return replace(
        point, keuze="params", toevoeging=sentence, tekst=point.tekst + (f", {sentence}" if sentence else "")
    )
