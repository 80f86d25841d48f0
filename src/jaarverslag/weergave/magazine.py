"""The magazine's editorial parts in the report: the voorwoord and the stories "Uit de praktijk"
(invoer/redactie.py reads and checks them; templates/verslag/magazine.html.j2 draws them)."""

from __future__ import annotations

import base64
import re
from types import SimpleNamespace

from markupsafe import Markup

from jaarverslag.invoer.huisstijl import Huisstijl
from jaarverslag.invoer.redactie import Foto, Stuk
from jaarverslag.weergave import fotos
from jaarverslag.weergave.html import markdown, sjabloon

RUBRIEK = "Uit de praktijk"
TEMPLATE = "magazine.html.j2"


def anker(stuk: Stuk) -> str:
    """A story's anchor: 'verhaal-' and its file name, lower case, safe in an id and a URL."""
    return "verhaal-" + (re.sub(r"[^a-z0-9-]+", "-", stuk.sleutel.lower()).strip("-") or "zonder-naam")


def _beeld(foto: Foto | None):
    if foto is None:
        return None
    return SimpleNamespace(src=Markup(fotos.data_uri(foto.pad)), alt=foto.alt, bijschrift=foto.bijschrift)


def logo(stijl: Huisstijl):
    """The gemeente's logo for the title page: its source (a data: URI) and alt text, or None."""
    if stijl.logo is None:
        return None
    if stijl.logo.suffix.lower() == ".svg":
        src = "data:image/svg+xml;base64," + base64.b64encode(stijl.logo.read_bytes()).decode("ascii")
    else:
        src = fotos.data_uri(stijl.logo)
    return SimpleNamespace(src=Markup(src), alt=stijl.logo_alt)


def voorwoord(stuk: Stuk | None) -> str:
    if stuk is None:
        return ""
    return sjabloon(
        TEMPLATE, _macro="voorwoord", stuk=stuk, beeld=_beeld(stuk.foto), tekst=Markup(markdown(stuk.tekst))
    )


def verhalen(stukken: list[Stuk]) -> str:
    """The stories that follow one section, in the order of their file names."""
    return "".join(
        sjabloon(
            TEMPLATE, _macro="verhaal", stuk=s, anker=anker(s), beeld=_beeld(s.foto), tekst=Markup(markdown(s.tekst))
        )
        for s in stukken
    )
