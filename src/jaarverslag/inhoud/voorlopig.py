"""Which printed figures are not final yet: the rows whose `status` is voorlopig or
nader_voorlopig, in the school years the report shows. The Verantwoording lists them with
their source, and the title page calls the report a "Voorlopige uitgave" when a figure of the
reported year is among them."""

from __future__ import annotations

from dataclasses import dataclass

from jaarverslag.formatting import window_years
from jaarverslag.invoer.schema import DEFINITIEF, NADER_VOORLOPIG, STATUS, VOORLOPIG, schema


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
    """Every row of a table the report shows, in the years it shows, that is not final; in a
    region, every gemeente's row (a region's figure is provisional when a part of it is)."""
    names = [n for n in rapport.verslagdefinitie.tabellen if n in rapport.tables]
    if not rapport.regio:
        return _van(rapport, rapport.herkomst, names, "")
    leden = rapport.herkomst.leden
    return [r for g, naam in rapport.regio.namen.items() if g in leden for r in _van(rapport, leden[g], names, naam)]


def _van(rapport, herkomst, names: list[str], gemeente: str) -> list[VoorlopigeRij]:
    out = []
    for name in (n for n in names if n in herkomst.tables):
        table, frame = schema()[name], herkomst.tables[name]
        years = set(window_years(frame["schooljaar"], rapport.schooljaar, rapport.params["aantal_jaren"]))
        for position, row in frame.reset_index(drop=True).iterrows():
            status = row.get(STATUS) or DEFINITIEF
            if status == DEFINITIEF or row["schooljaar"] not in years:
                continue
            labels = [str(table.columns[k].get("waarde_labels", {}).get(row[k], row[k])) for k in table.key[1:]]
            where = _plek(herkomst, name, position)
            out.append(VoorlopigeRij(table.title, row["schooljaar"], ", ".join([gemeente, *labels][not gemeente :]),
                                     status, table.source, where))  # fmt: skip
    return out


def _plek(herkomst, name: str, position: int) -> str:
    lines = herkomst.regels.get(name)
    return f"{herkomst.bestand(name)}, regel {lines[position]}" if lines else ""


def merken(rapport) -> list[str]:
    """The marks the reported year's provisional figures carry: '*', '**' or both."""
    found = {r.status for r in rijen(rapport) if r.schooljaar == rapport.schooljaar}
    return [mark for status, mark in ((VOORLOPIG, "*"), (NADER_VOORLOPIG, "**")) if status in found]


def merkzin(rapport) -> str:
    """What the marks of the reported year mean, 'cijfers met * zijn voorlopig' ('' when none is)."""
    marks = tuple(merken(rapport))
    if not marks:
        return ""
    return {("*",): "cijfers met * zijn voorlopig", ("**",): "cijfers met ** zijn nader voorlopig"}.get(
        marks, "cijfers met * zijn voorlopig, met ** nader voorlopig"
    )


def voorlopige_uitgave(rapport) -> str:
    """What the title page says when a figure of the reported year is not final ('' when none is)."""
    which = merkzin(rapport)
    return f"Voorlopige uitgave: {which} (zie Verantwoording)" if which else ""
