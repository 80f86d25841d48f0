"""A table of the report model as HTML: the template templates/verslag/tabel.html.j2 with the
signs it explains ('–', '< 5', 'x', 'geen gegevens')."""

from __future__ import annotations

from jaarverslag.formatting import ONTBREEKT, getal
from jaarverslag.inhoud import geheim, model, regio
from jaarverslag.weergave.html import sjabloon


def tabel_html(rapport, tabel: model.Tabel) -> str:
    return sjabloon(
        "tabel.html.j2",
        tabel=tabel,
        drempel=getal(rapport.onderdrukking.drempel),
        ontbreekt=ONTBREEKT,
        geheim=geheim.GEHEIM,
        geen_gegevens=regio.GEEN_GEGEVENS,
    )
