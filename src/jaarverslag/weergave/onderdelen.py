"""The report's fixed parts around its sections: the auditor's opening, the title page, the
contents, Datakwaliteit and the Verantwoording."""

from __future__ import annotations

from markupsafe import Markup

from jaarverslag import paths
from jaarverslag.formatting import getal
from jaarverslag.inhoud import findings, geheim, voorlopig
from jaarverslag.inhoud import herzieningen as inhoud_herzieningen
from jaarverslag.inhoud.celtekst import opsomming
from jaarverslag.inhoud.datakwaliteit import tabel as kwaliteitstabel
from jaarverslag.inhoud.model import MERK
from jaarverslag.invoer.definitie import anker
from jaarverslag.invoer.schema import schema
from jaarverslag.spoor.manifest import input_paths
from jaarverslag.weergave import magazine, regiodelen, tabel
from jaarverslag.weergave.html import Fragment, markdown, sjabloon

NIET_GECONTROLEERD = (
    "De invoergegevens van deze versie zijn niet gecontroleerd: het notebook is buiten de build uitgevoerd "
    "(met de hand of met papermill, zonder de uitkomst van de controles). Ook is niet nagegaan of de gelezen "
    "bestanden dezelfde zijn als de gecontroleerde. Maak het verslag voor de raad met make report of "
    "jaarverslag build; die controleert de gegevens eerst."
)


def audit(rapport) -> Fragment:
    """Parameters, input files with their sha256, and the validation summary."""
    files = [
        (paths.relative(p), paths.sha256(p))
        for p in input_paths(rapport.params["gemeente"], rapport.schooljaar)
        if p.exists()
    ]
    params = [(k, v) for k, v in rapport.params.items() if k != "teksten"]
    return Fragment(sjabloon("audit.html.j2", params=params, bestanden=files, validatie=rapport.validatie))


def titelblok(rapport) -> Fragment:
    p = rapport.params
    return Fragment(
        sjabloon(
            "titelblok.html.j2",
            wie=p["gemeentenaam"] if rapport.regio else f"Gemeente {p['gemeentenaam']}",
            leden=opsomming(list(rapport.regio.namen.values())) if rapport.regio else "",
            titel=p["titel"],
            schooljaar=p["schooljaar"],
            datum=findings.datum_nl(p["datum"]),
            gecontroleerd=rapport.gecontroleerd,
            voorlopig=voorlopig.voorlopige_uitgave(rapport),
            logo=magazine.logo(rapport.huisstijl),
        )
    )


def inhoudsopgave(rapport) -> Fragment:
    """Table of contents: chapters and their sections (page numbers in the PDF)."""
    secties = rapport.verslagdefinitie.secties
    stories = {k: [(magazine.anker(s), s.titel) for s in rapport.redactie.bij(k)] for k in secties}
    chapters = [
        (anker(hoofdstuk), hoofdstuk, [(k, secties[k].titel, stories[k]) for k in keys])
        for hoofdstuk, keys in rapport.verslagdefinitie.hoofdstukken
    ]
    return Fragment(
        sjabloon(
            "inhoud.html.j2",
            kerncijfers=bool(rapport.params["kerncijfers"]),
            voorwoord=rapport.redactie.voorwoord,
            rubriek=magazine.RUBRIEK,
            hoofdstukken=chapters,
        )
    )


def voorwoord(rapport) -> Fragment:
    """The voorwoord (params/<gemeente>/<schooljaar>/voorwoord.md), or nothing."""
    return Fragment(magazine.voorwoord(rapport.redactie.voorwoord))


def datakwaliteit(rapport) -> Fragment:
    """What the checks found in the inputs, in words (a table of the report model)."""
    model_tabel = kwaliteitstabel(rapport) if rapport.gecontroleerd else None
    return Fragment(
        sjabloon(
            "datakwaliteit.html.j2",
            gecontroleerd=rapport.gecontroleerd,
            niet_gecontroleerd=NIET_GECONTROLEERD,
            tabel=model_tabel,
            tabel_html=Markup(tabel.tabel_html(rapport, model_tabel)) if model_tabel else "",
        )
    )


def verantwoording(rapport) -> Fragment:
    """Sources and definitions of every table, from the data dictionary."""
    n = rapport.onderdrukking.drempel
    left_out = rapport.verslagdefinitie.weggelaten
    return Fragment(
        sjabloon(
            "verantwoording.html.j2",
            gecontroleerd=rapport.gecontroleerd,
            niet_gecontroleerd=NIET_GECONTROLEERD,
            regio=Markup(regiodelen.verantwoording(rapport)),
            drempel=getal(n) if n else "",
            drempel_min_een=getal(n - 1) if n else "",
            geheim=geheim.GEHEIM,
            is_regio=bool(rapport.regio),
            weggelaten=left_out,
            gekozen_in=paths.relative(rapport.verslagdefinitie.bestanden[-1]),  # the gemeente's own, else the project's
            tabellen=[schema()[name] for name in rapport.verslagdefinitie.tabellen],
            voorlopig=voorlopig.rijen(rapport),
            herzieningen=Markup(herzieningen(rapport)),
        )
    )


def herzieningen(rapport) -> str:
    """The part 'Herzieningen' of the Verantwoording: what changed since the edition this one replaces,
    and what the earlier editions of this school year revised in their turn."""
    vorige = rapport.vorige_uitgave()
    if vorige is None:
        return ""
    changes = rapport.herzieningen()
    own = [h for h in changes if h.uitgave == rapport.params["datum"]]
    earlier = [
        (findings.datum_nl(u), findings.datum_nl(v) if v else "", [h for h in items if h.sectie != "kernpunten"])
        for u, v, items in inhoud_herzieningen.per_uitgave(changes, rapport.params["datum"])
    ]
    return sjabloon(
        "herzieningen.html.j2",
        datum=findings.datum_nl(vorige.datum),
        cijfers=[h for h in own if h.sectie != "kernpunten"],
        kernpunten=[h for h in own if h.sectie == "kernpunten"],
        eerder=[e for e in earlier if e[2]],
        teken=f"< {getal(rapport.params.get('kleine_aantallen') or 5)}",
        merk=MERK,
    )


def kerncijfers(rapport) -> Fragment:
    """One page with the year's key figures (params: kerncijfers), as a real table."""
    model_tabel = rapport.kerncijfertabel()
    if model_tabel is None:
        return Fragment("")
    table = tabel.tabel_html(rapport, model_tabel)
    if rapport.regio:
        tables = dict.fromkeys(e["tabel"] for e in rapport.params["kerncijfers"])
        table += "".join(regiodelen.zonder_noot(rapport, t) for t in tables)
    return Fragment(sjabloon("kerncijfers.html.j2", schooljaar=rapport.schooljaar, tabellen=Markup(table)))


def inleiding(rapport) -> Fragment:
    """The introduction: its text block, then the most notable findings (every section shows its own)."""
    items = rapport.kernpunt_lijst()
    shown = items[: findings.INLEIDING]
    return Fragment(
        sjabloon(
            "inleiding.html.j2",
            tekst=Markup(tekst(rapport, "inleiding")),
            schooljaar=rapport.schooljaar,
            punten=shown,
            meer=len(items) > len(shown),
        )
    )


def finding_list(rapport, items: list[findings.Kernpunt], css: str) -> str:
    return sjabloon("kernpunten.html.j2", schooljaar=rapport.schooljaar, punten=items, klasse=css, _macro="lijst")


def tekst(rapport, plek: str) -> Fragment:
    """An optional Markdown text block from params, placed at a fixed spot."""
    text = rapport.params["teksten"].get(plek)
    return Fragment(sjabloon("tekstblok.html.j2", tekst=Markup(markdown(text))) if text else "")
