"""What changed since the edition a report replaces: every figure of its tables and its
Kerncijfers whose value or status differs, old and new, with the new figure's trail; every
Kerncijfers direction and key finding whose direction turned ("gedaald" became "gestegen");
and, carried forward, what the earlier editions of the same school year revised in their turn.

The earlier edition is read from its own files: its herkomst.csv (every figure, its true value,
how it was printed and its status), its herzieningen.csv (what it revised) and its manifest (its
key findings and Kerncijfers directions). A revision is a view of the figures on both sides: it
shows each as the council read it, so a hidden small count stays '< 5' (or 'x') here too, and
only the fact that it was revised is published. herzieningen.csv in the bundle and the part
"Herzieningen" of the Verantwoording are views of this list.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace

import pandas as pd

from jaarverslag import bundel
from jaarverslag.formatting import ONTBREEKT
from jaarverslag.inhoud import kerncijfers
from jaarverslag.inhoud.geheim import GEHEIM
from jaarverslag.inhoud.herkomst import Cijfer, parse
from jaarverslag.invoer.schema import DEFINITIEF
from jaarverslag.invoer.uitgaven import Uitgave

BESTAND = "herzieningen.csv"
RICHTING = {"omhoog": "gestegen", "omlaag": "gedaald", "gelijk": "gelijk", "hoger": "hoger", "lager": "lager"}
SPOOR = ("bestand", "regel", "bronkolom", "formule", "gebruikte_cijfers")
SPOOR_MET_WAARDEN = ("formule", "gebruikte_cijfers")  # they quote source figures, which may be hidden
KOLOMMEN = (
    "sectie",
    "onderschrift_of_kernpunt",
    "rij",
    "kolom",
    "oude_waarde",
    "nieuwe_waarde",
    "oude_status",
    "nieuwe_status",
    "uitgave",
    "vergeleken_met",
    *SPOOR,
)


@dataclass(frozen=True)
class Herziening:
    """One printed figure (or a key finding's direction) that differs from the earlier edition."""

    sectie: str
    onderschrift: str
    rij: str
    kolom: str
    oud: str
    nieuw: str
    oude_status: str
    nieuwe_status: str
    spoor: dict  # the new figure's columns of herkomst.csv (bestand, regel, formule, ...)
    verborgen: bool = False  # a hidden figure on either side: revised, but not shown
    uitgave: str = ""  # the edition that revised it (its date)
    vergeleken_met: str = ""  # the edition it was compared with (its date)

    @property
    def onderdeel(self) -> str:
        """The table as the revisions table names it: 'Kerncijfers', or the caption without its years."""
        return "Kerncijfers" if self.sectie == "kerncijfers" else self.onderschrift.split(", schooljaar ")[0]

    def rij_csv(self) -> dict:
        trail = {k: self.spoor.get(k, "") for k in SPOOR}
        return dict(zip(KOLOMMEN[: -len(SPOOR)], self._velden(), strict=True)) | trail

    def _velden(self) -> tuple:
        return (self.sectie, self.onderschrift, self.rij, self.kolom, self.oud, self.nieuw,
                self.oude_status, self.nieuwe_status, self.uitgave, self.vergeleken_met)  # fmt: skip


def cijfers(rapport) -> list[Cijfer]:
    """The figures an edition is compared on: Kerncijfers, then every section's tables."""
    keys = [k for _, section_keys in rapport.verslagdefinitie.hoofdstukken for k in section_keys]
    return kerncijfers.cijfers(rapport) + [c for key in keys for c in rapport.cijfers(key)]


def lijst(rapport, vorige: Uitgave) -> list[Herziening]:
    """Every figure, Kerncijfers direction and key finding that differs from edition `vorige`, in
    reading order; then what the earlier editions revised (carried forward)."""
    drempel = rapport.params.get("kleine_aantallen")
    before = _oude_cijfers(vorige, {"kerncijfers", *rapport.verslagdefinitie.secties})
    now = {_sleutel(row): row for row in (c.rij_csv() for c in cijfers(rapport))}
    out = [_herziening(row, before.get(key), drempel) for key, row in now.items() if _anders(row, before.get(key))]
    out += [_verdwenen(key, row, drempel) for key, row in before.items() if key not in now]
    out += _kerncijfer_richtingen(rapport, vorige) + _richtingen(rapport, vorige)
    dated = [replace(h, uitgave=rapport.params["datum"], vergeleken_met=vorige.datum) for h in out]
    return dated + eerder(vorige)


def eerder(vorige: Uitgave) -> list[Herziening]:
    """What the edition `vorige` listed as revised (its own revisions and those it carried forward)."""
    path = vorige.map / BESTAND
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [_uit_csv(row, vorige) for row in rows]


def _uit_csv(row: dict, vorige: Uitgave) -> Herziening:
    """A row of an earlier herzieningen.csv (one from before editions carried their revisions forward
    has no dates: its revisions are those of `vorige` itself)."""
    hidden = not _zichtbaar(row["oude_waarde"]) or not _zichtbaar(row["nieuwe_waarde"])
    return Herziening(
        *(row[k] for k in KOLOMMEN[:8]),
        spoor={k: row.get(k, "") for k in SPOOR},
        verborgen=hidden,
        uitgave=row.get("uitgave") or vorige.datum,
        vergeleken_met=row.get("vergeleken_met") or (vorige.vervangt or ""),
    )


def _zichtbaar(printed: str) -> bool:
    return not (printed.startswith("< ") or printed == GEHEIM)


def _oude_cijfers(vorige: Uitgave, sections: set[str]) -> dict[tuple, dict]:
    """The earlier edition's figures of its tables and Kerncijfers (not the numbers in texts)."""
    path = bundel.herkomst_pad(vorige.map)
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {_sleutel(r): r for r in rows if r["sectie"] in sections and r["kolom"] != "tekst"}


def _sleutel(row: dict) -> tuple[str, str, str, str]:
    return row["sectie"], row["onderschrift_of_kernpunt"], row["rij"], row["kolom"]


def _status(row: dict | None) -> str:
    return (row or {}).get("status") or DEFINITIEF


def _anders(row: dict, old: dict | None) -> bool:
    return old is None or old["waarde"] != row["waarde"] or _status(old) != _status(row)


def _gedrukt(row: dict, drempel: int | None) -> str:
    """A figure as its edition printed it. An edition from before herkomst.csv kept that has only
    the true value: with small counts protected now, a count below the threshold is shown as
    hidden, and so is anything computed (it may rest on one)."""
    if "gedrukt" in row:
        return row["gedrukt"]
    if not drempel:
        return row["waarde"]
    if row.get("formule"):
        return GEHEIM
    return f"< {drempel}" if 0 < abs(parse(row["waarde"])) < drempel else row["waarde"]


def _publiek_spoor(row: dict, hidden: bool, drempel: int | None) -> dict:
    """The new figure's trail as a public file may show it: its place, and with small counts
    protected no formula (a formula quotes the figures it uses, which may be hidden ones)."""
    if not (drempel or hidden):
        return row
    return {k: ("" if k in SPOOR_MET_WAARDEN else v) for k, v in row.items()}


def _herziening(row: dict, old: dict | None, drempel: int | None) -> Herziening:
    was = _gedrukt(old, drempel) if old else ONTBREEKT
    now = _gedrukt(row, drempel)
    hidden = not _zichtbaar(was) or not _zichtbaar(now)
    return Herziening(
        row["sectie"],
        row["onderschrift_of_kernpunt"],
        row["rij"],
        row["kolom"],
        was,
        now,
        _status(old) if old else "",
        _status(row),
        _publiek_spoor(row, hidden, drempel),
        hidden,
    )


def _verdwenen(key: tuple, old: dict, drempel: int | None) -> Herziening:
    was = _gedrukt(old, drempel)
    return Herziening(*key, was, ONTBREEKT, _status(old), "", {}, not _zichtbaar(was))


def _kerncijfer_richtingen(rapport, vorige: Uitgave) -> list[Herziening]:
    """Kerncijfers whose direction turned (↑ hoger became ↓ lager), by their label in the earlier manifest."""
    before = vorige.manifest.get("kerncijfers_richting") or {}
    caption = kerncijfers.caption(rapport)
    return [
        Herziening("kerncijfers", caption, label, kerncijfers.KOPPEN[3], before[label], way, "", "", {})
        for label, way in kerncijfers.richtingen(rapport).items()
        if isinstance(before, dict) and before.get(label) not in (None, way)
    ]


def _richtingen(rapport, vorige: Uitgave) -> list[Herziening]:
    """Key findings whose direction turned: by their rule and figure, in the earlier manifest."""
    before = {k["sleutel"]: k for k in vorige.manifest.get("kernpunten", []) if isinstance(k, dict)}
    out = []
    for finding in rapport.kernpunt_lijst():
        old = before.get(finding.sleutel)
        if old and old.get("richting") and finding.richting and old["richting"] != finding.richting:
            out.append(
                Herziening(
                    "kernpunten",
                    finding.tekst,
                    finding.sleutel,
                    "richting",
                    RICHTING.get(old["richting"], old["richting"]),
                    RICHTING.get(finding.richting, finding.richting),
                    "",
                    finding.status,
                    {},
                )
            )
    return out


def per_uitgave(items: list[Herziening], datum: str) -> list[tuple[str, str, list[Herziening]]]:
    """The revisions carried forward from earlier editions, grouped as (uitgave, vergeleken_met,
    revisions), newest edition first; those of the edition of `datum` itself are left out."""
    groups: dict[tuple[str, str], list[Herziening]] = {}
    for h in items:
        if h.uitgave != datum:
            groups.setdefault((h.uitgave, h.vergeleken_met), []).append(h)
    return [(u, v, groups[(u, v)]) for u, v in sorted(groups, reverse=True)]


def als_tabel(items: list[Herziening]):
    """herzieningen.csv: one row per revision, with the new figure's trail."""
    return pd.DataFrame([h.rij_csv() for h in items], columns=list(KOLOMMEN))


def voor_manifest(rapport) -> dict:
    """What a later edition compares directions with: the key findings and the Kerncijfers directions."""
    return {
        "kernpunten": [
            {"sleutel": k.sleutel, "richting": k.richting, "tekst": k.tekst} for k in rapport.kernpunt_lijst()
        ],
        "kerncijfers_richting": kerncijfers.richtingen(rapport),
    }
