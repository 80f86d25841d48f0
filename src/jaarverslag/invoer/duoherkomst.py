"""The trail of figures counted from DUO's person-level files: data/<gemeente>/duo-herkomst.csv.

`jaarverslag duo` writes one row per count it wrote into a table (the number of rows of one
DUO file that pass a filter), and nothing about a person: the file's name and sha256, the
filter in words (`GEMCODE = 150 en NIVEAU ∈ {…}`) and the count. The trail reads it for the
cells of those tables, so that an auditor with the DUO file can count again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from jaarverslag import paths

BESTAND = "duo-herkomst.csv"
KOLOMMEN = ("tabel", "schooljaar", "categorie", "kolom", "status", "bestand", "sha256", "filter", "aantal")
NOEMER = "jongeren"  # the start population of a row (NRSP); in jongeren_vsv also a column of the table
TELLER = "vsv"  # the leavers of a row (NenR)


@dataclass(frozen=True)
class Telling:
    """One count: the rows of a DUO file that pass a filter."""

    tabel: str
    schooljaar: str
    categorie: str  # onderwijssoort or mbo_niveau; empty for jongeren_vsv
    kolom: str  # jongeren (NRSP) or vsv (NenR)
    status: str
    bestand: str  # the DUO file's name, without its folder
    sha256: str
    filter: str
    aantal: int

    @property
    def sleutel(self) -> tuple[str, str, str, str]:
        return (self.tabel, self.schooljaar, self.categorie, self.kolom)

    def __str__(self) -> str:
        return f"aantal rijen van {self.bestand} (sha256 {self.sha256}) met {self.filter}: {self.aantal}"


def pad(gemeente: str) -> Path:
    return paths.DATA / gemeente / BESTAND


def lees(gemeente: str) -> dict[tuple[str, str, str, str], Telling]:
    """The counts of a gemeente's earlier imports by (tabel, schooljaar, categorie, kolom); none without a file."""
    path = pad(gemeente)
    return tellingen(path.read_bytes()) if path.is_file() else {}


def tellingen(data: bytes) -> dict[tuple[str, str, str, str], Telling]:
    rows = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    out = {}
    for row in rows:
        telling = Telling(**{k: row[k] for k in KOLOMMEN if k != "aantal"}, aantal=int(row["aantal"]))
        out[telling.sleutel] = telling
    return out


def als_bytes(tellingen: dict[tuple[str, str, str, str], Telling]) -> bytes:
    """The file, sorted by its key, so that the same counts give the same bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(KOLOMMEN)
    for key in sorted(tellingen):
        t = tellingen[key]
        writer.writerow([getattr(t, k) for k in KOLOMMEN])
    return buffer.getvalue().encode("utf-8")
