"""What changed since the edition a report replaces: every figure of its tables and its
Kerncijfers whose printed value or status differs, old and new, with the new figure's trail,
and every key finding whose direction turned ("gedaald" became "gestegen").

The earlier edition is read from its own files: its herkomst.csv (every printed figure, its
value and status) and its manifest (its key findings and their direction). herzieningen.csv
in the bundle and the part "Herzieningen" of the Verantwoording are views of this list.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import pandas as pd

from jaarverslag.inhoud import kerncijfers
from jaarverslag.invoer.schema import DEFINITIEF
from jaarverslag.spoor.herkomst import Cijfer
from jaarverslag.spoor.uitgaven import Uitgave

BESTAND = "herzieningen.csv"
ONTBREEKT = "–"
RICHTING = {"omhoog": "gestegen", "omlaag": "gedaald", "gelijk": "gelijk", "hoger": "hoger", "lager": "lager"}
KOLOMMEN = (
    "sectie",
    "onderschrift_of_kernpunt",
    "rij",
    "kolom",
    "oude_waarde",
    "nieuwe_waarde",
    "oude_status",
    "nieuwe_status",
    "bestand",
    "regel",
    "bronkolom",
    "formule",
    "gebruikte_cijfers",
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

    @property
    def onderdeel(self) -> str:
        """The table as the revisions table names it: 'Kerncijfers', or the caption without its years."""
        return "Kerncijfers" if self.sectie == "kerncijfers" else self.onderschrift.split(", schooljaar ")[0]

    def rij_csv(self) -> dict:
        trail = {k: self.spoor.get(k, "") for k in KOLOMMEN[8:]}
        return dict(zip(KOLOMMEN[:8], self._velden(), strict=True)) | trail

    def _velden(self) -> tuple:
        return (self.sectie, self.onderschrift, self.rij, self.kolom, self.oud, self.nieuw,
                self.oude_status, self.nieuwe_status)  # fmt: skip


def cijfers(rapport) -> list[Cijfer]:
    """The figures an edition is compared on: Kerncijfers, then every section's tables."""
    keys = [k for _, section_keys in rapport.verslagdefinitie.hoofdstukken for k in section_keys]
    return kerncijfers.cijfers(rapport) + [c for key in keys for c in rapport.cijfers(key)]


def lijst(rapport, vorige: Uitgave) -> list[Herziening]:
    """Every figure and key finding that differs from edition `vorige`, in reading order."""
    before = _oude_cijfers(vorige, {"kerncijfers", *rapport.verslagdefinitie.secties})
    now = {_sleutel(row): row for row in (c.rij_csv() for c in cijfers(rapport))}
    out = [_herziening(row, before.get(key)) for key, row in now.items() if _anders(row, before.get(key))]
    out += [_verdwenen(key, row) for key, row in before.items() if key not in now]
    return out + _richtingen(rapport, vorige)


def _oude_cijfers(vorige: Uitgave, sections: set[str]) -> dict[tuple, dict]:
    """The earlier edition's figures of its tables and Kerncijfers (not the numbers in texts)."""
    path = vorige.map / "herkomst.csv"
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


def _herziening(row: dict, old: dict | None) -> Herziening:
    return Herziening(
        row["sectie"],
        row["onderschrift_of_kernpunt"],
        row["rij"],
        row["kolom"],
        old["waarde"] if old else ONTBREEKT,
        row["waarde"],
        _status(old) if old else "",
        _status(row),
        row,
    )


def _verdwenen(key: tuple, old: dict) -> Herziening:
    return Herziening(*key, old["waarde"], ONTBREEKT, _status(old), "", {})


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


def als_tabel(items: list[Herziening]):
    """herzieningen.csv: one row per revision, with the new figure's trail."""
    return pd.DataFrame([h.rij_csv() for h in items], columns=list(KOLOMMEN))


def kernpunten_voor_manifest(rapport) -> list[dict]:
    """The key findings as the manifest keeps them: what a later edition compares directions with."""
    return [{"sleutel": k.sleutel, "richting": k.richting, "tekst": k.tekst} for k in rapport.kernpunt_lijst()]
