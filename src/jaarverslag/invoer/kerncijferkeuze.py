"""Whether a key figure named in params is one the gemeente's report can show."""

from __future__ import annotations

from jaarverslag.errors import kort
from jaarverslag.invoer import bbv
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.schema import niet_te_berekenen, schema


def controleer(entry, earlier: list, gemeente: str, regio: bool) -> str | None:
    """What is wrong with one kerncijfer (a paramsmodel.Kerncijfer), or None: it names a table
    and columns of the gemeente's report, has a short label, is computable for a region and
    is not named before."""
    report = verslag(gemeente)
    derived = {s.tabel: set(bbv.PER_1000) for s in report.secties.values() if s.tabel not in schema()}
    columns = {name: set(schema()[name].columns) for name in report.tabellen} | derived
    if entry.tabel not in columns:
        return (
            f"onbekende tabel '{kort(entry.tabel, 40)}'; het verslag toont alleen de tabellen "
            f"van zijn secties ({', '.join(columns)})."
        )
    for key in ("kolom", "landelijk"):
        value = getattr(entry, key)
        if value is not None and value not in columns[entry.tabel]:
            return f"tabel {entry.tabel} heeft geen kolom '{kort(value, 40)}' ({key})."
    if entry.label is not None and not 0 < len(entry.label) <= 120:
        return "een label is een korte tekst."
    if regio and entry.tabel in schema() and entry.kolom in niet_te_berekenen(entry.tabel):
        return (
            f"een regio heeft geen eigen cijfer voor {entry.kolom}: de bron geeft het per gemeente, "
            "zonder teller en noemer. Kies een ander kerncijfer; de gemeenten staan bij hun onderwerp naast elkaar."
        )
    same = next((n for n, e in enumerate(earlier, 1) if (e.tabel, e.kolom) == (entry.tabel, entry.kolom)), None)
    if same:
        return f"dit kerncijfer staat er al als nummer {same}; noem elk cijfer één keer."
    return None
