"""Which printed figures are not final yet: the rows whose `status` is voorlopig or
nader_voorlopig, in the school years the report shows. The Verantwoording lists them with
their source, and the title page calls the report a "Voorlopige uitgave" when a figure of the
reported year is among them."""

from __future__ import annotations

from dataclasses import dataclass

from jaarverslag.inhoud import indicators
from jaarverslag.invoer.schema import DEFINITIEF, STATUS, schema


@dataclass(frozen=True)
class VoorlopigeRij:
    """One row of an input table whose figures the source has not made final."""

    tabel: str  # its title
    schooljaar: str
    categorie: str  # the category's label, or ''
    status: str  # voorlopig or nader_voorlopig
    bron: str  # the table's source, as the schema names it
    bestand: str  # the file and line, for the auditor ('' in a region, whose rows are sums)

    @property
    def status_tekst(self) -> str:
        return self.status.replace("_", " ")


def rijen(rapport) -> list[VoorlopigeRij]:
    """Every row of a table the report shows, in the years it shows, that is not final."""
    out = []
    for name in (n for n in rapport.verslagdefinitie.tabellen if n in rapport.tables):
        table, frame = schema()[name], rapport.tables[name]
        years = set(indicators.window_years(frame["schooljaar"], rapport.schooljaar, rapport.params["aantal_jaren"]))
        for position, row in frame.iterrows():
            status = row.get(STATUS) or DEFINITIEF
            if status == DEFINITIEF or row["schooljaar"] not in years:
                continue
            category = ", ".join(
                str(table.columns[k].get("waarde_labels", {}).get(row[k], row[k])) for k in table.key[1:]
            )
            out.append(
                VoorlopigeRij(
                    table.title, row["schooljaar"], category, status, table.source, _plek(rapport, name, position)
                )
            )
    return out


def _plek(rapport, name: str, position: int) -> str:
    lines = rapport.herkomst.regels.get(name)
    return f"{rapport.herkomst.bestand(name)}, regel {lines[position]}" if lines else ""


def voorlopige_uitgave(rapport) -> bool:
    """Whether a figure of the reported year is not final: the title page says so."""
    return any(r.schooljaar == rapport.schooljaar for r in rijen(rapport))
