"""The report's fixed parts around its sections: the auditor's opening, the title page, the
contents, Datakwaliteit and the Verantwoording."""

from __future__ import annotations

from jaarverslag import paths
from jaarverslag.formatting import getal
from jaarverslag.inhoud import findings, geheim
from jaarverslag.inhoud.datakwaliteit import KWALITEIT_ONDERSCHRIFT
from jaarverslag.inhoud.opmaak import opsomming
from jaarverslag.invoer.definitie import anker
from jaarverslag.invoer.schema import schema
from jaarverslag.weergave import tabel
from jaarverslag.weergave.html import Fragment, esc, markdown, table_html

REGIO_GEHEIM = (
    "<p>Ook een regiocijfer van een eerder schooljaar kan als x staan, al staan de gemeenten van dat jaar hier "
    "niet naast elkaar. Elke gemeente publiceert haar eigen cijfers van eerdere jaren in haar eigen verslag; het "
    "regiocijfer min de cijfers van de andere gemeenten zou dan het verborgen kleine aantal van één gemeente "
    "opleveren. Daarom telt het regiocijfer als een totaal van de gemeenten, in elk schooljaar.</p>"
)

NIET_GECONTROLEERD = (
    "De invoergegevens van deze versie zijn niet gecontroleerd: het notebook is buiten de build uitgevoerd "
    "(met de hand of met papermill, zonder de uitkomst van de controles). Ook is niet nagegaan of de gelezen "
    "bestanden dezelfde zijn als de gecontroleerde. Maak het verslag voor de raad met make report of "
    "jaarverslag build; die controleert de gegevens eerst."
)


def audit(rapport) -> Fragment:
    """Parameters, input files with their sha256, and the validation summary."""
    from jaarverslag.spoor.manifest import input_paths, sha256

    params = "".join(
        f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rapport.params.items() if k != "teksten"
    )
    files = "".join(
        f'<tr><th scope="row">{esc(paths.relative(p))}</th><td><code>{sha256(p)}</code></td></tr>'
        for p in input_paths(rapport.params["gemeente"], rapport.schooljaar)
        if p.exists()
    )
    v = rapport.validatie
    summary = (
        f"<p>Validatie (Great Expectations): {v.get('aantal_controles', '–')} controles in "
        f"{v.get('aantal_suites', '–')} suites; geen blokkerende fouten; "
        f"{len(v.get('waarschuwingen', []))} waarschuwing(en). Details: validatie.json.</p>"
        if v
        else "<p>Validatie: niet meegegeven (het notebook is buiten de build uitgevoerd).</p>"
    )
    return Fragment(
        "<h2>Verantwoording voor de accountant</h2>"
        + table_html("Parameters", '<th scope="col">Sleutel</th><th scope="col">Waarde</th>', [params])
        + table_html("Invoerbestanden", '<th scope="col">Bestand</th><th scope="col">sha256</th>', [files])
        + summary
    )


def titelblok(rapport) -> Fragment:
    p = rapport.params
    wie = esc(p["gemeentenaam"]) if rapport.regio else f"Gemeente {esc(p['gemeentenaam'])}"
    leden = f'<p class="schooljaar">{esc(opsomming(list(rapport.regio.namen.values())))}</p>' if rapport.regio else ""
    return Fragment(
        '<header class="titelblok">'
        f'<p class="gemeente">{wie}</p>'
        f"{leden}"
        f"<h1>{esc(p['titel'])}</h1>"
        f'<p class="schooljaar">Schooljaar {esc(p["schooljaar"])}</p>'
        f'<p class="datum">{esc(findings.datum_nl(p["datum"]))}</p>'
        + ("" if rapport.gecontroleerd else '<p class="waarschuwing">Niet gecontroleerd: niet voor de raad.</p>')
        + "</header>"
    )


def inhoudsopgave(rapport) -> Fragment:
    """Table of contents: chapters and their sections (page numbers in the PDF)."""
    items = ['<li><a href="#inleiding">Inleiding</a></li>']
    if rapport.params.get("kerncijfers"):
        items.insert(0, '<li><a href="#kerncijfers">Kerncijfers</a></li>')
    for hoofdstuk, keys in rapport.verslagdefinitie.hoofdstukken:
        sub = "".join(
            f'<li><a href="#{esc(k)}">{esc(rapport.verslagdefinitie.secties[k].titel)}</a></li>' for k in keys
        )
        items.append(f'<li><a href="#{esc(anker(hoofdstuk))}">{esc(hoofdstuk)}</a><ol>{sub}</ol></li>')
    items += [
        '<li><a href="#datakwaliteit">Datakwaliteit</a></li>',
        '<li><a href="#verantwoording">Verantwoording</a></li>',
    ]
    return Fragment(
        f'<nav class="inhoud" aria-labelledby="inhoud-kop"><h2 id="inhoud-kop">Inhoud</h2><ol>{"".join(items)}</ol></nav>'
    )


def datakwaliteit(rapport) -> Fragment:
    heading = '<h2 id="datakwaliteit">Datakwaliteit</h2>'
    if not rapport.gecontroleerd:
        return Fragment(heading + f'<p class="niet-gecontroleerd">{esc(NIET_GECONTROLEERD)}</p>')
    warnings = rapport.validatie.get("waarschuwingen", [])
    if not warnings:
        return Fragment(heading + "<p>De controles op de invoergegevens vonden geen onvolkomenheden.</p>")
    from jaarverslag.inhoud.datakwaliteit import plaats

    head = "".join(f'<th scope="col">{h}</th>' for h in ("Tabel", "Schooljaar", "Wat er niet klopt"))
    body = [
        f'<tr><th scope="row">{esc(w["titel"])}</th><td>{esc(plaats(w))}</td>'
        f"<td>{esc(_kwaliteitszin(rapport, w))}</td></tr>"
        for w in warnings
    ]
    intro = (
        f"<p>De controles vonden {len(warnings)} {'onvolkomenheid' if len(warnings) == 1 else 'onvolkomenheden'} "
        "in de brongegevens. De cijfers zijn overgenomen zoals de bron ze geeft; "
        "ze zijn niet met de hand verbeterd.</p>"
    )
    return Fragment(heading + intro + table_html(KWALITEIT_ONDERSCHRIFT, head, body, extra_class="datakwaliteit"))


def _kwaliteitszin(rapport, bevinding: dict) -> str:
    """A warning in words; without its figures when one of them is a count below the threshold,
    or the row holds a figure that is not published."""
    n = rapport.onderdrukking.drempel
    small = [v for v in (bevinding.get("waarden") or {}).values() if _is_count(v) and 0 < float(v) < n]
    if not small and not _verborgen_rij(rapport, bevinding):
        from jaarverslag.inhoud.datakwaliteit import zin

        return zin(bevinding, rapport.herkomst).tekst
    return f"{bevinding['regel']} De cijfers zelf zijn kleiner dan {getal(n)} en worden niet gepubliceerd."


def _verborgen_rij(rapport, bevinding: dict) -> bool:
    """Whether a table the warning's check read holds a hidden figure in the warning's school year."""
    from jaarverslag.controle.suites import tabellen_van_suite

    if not rapport.onderdrukking:
        return False
    place = f"{bevinding['gemeente']}/" if bevinding.get("gemeente") else ""
    tables = {place + t for t in tabellen_van_suite(bevinding["tabel"])}
    hidden = rapport.onderdrukking.aantallen | rapport.onderdrukking.afgeleid
    return any(t in tables and k[0] == bevinding["schooljaar"] for t, k, _ in hidden)  # that year: to be safe


def _geheimhouding(rapport) -> str:
    """The rule for small counts, when params switch it on."""
    n = rapport.onderdrukking.drempel
    if not n:
        return ""
    return (
        f"<p>Kleine aantallen: een aantal van 1 tot en met {getal(n - 1)} staat in dit verslag als "
        f"&lt; {getal(n)}, omdat het naar enkele leerlingen kan wijzen. Een percentage of cijfer per 1.000 dat "
        f"daaruit is berekend staat als {geheim.GEHEIM}. Kan zo'n aantal worden teruggerekend uit een totaal "
        f"min de andere delen, dan staat ook het kleinste andere deel (of het totaal) als {geheim.GEHEIM}. "
        "Grafieken en kernpunten laten deze cijfers weg. Zo beveiligt ook het CBS zijn tabellen "
        "(CBS, Statistische beveiliging: primaire en secundaire celonderdrukking). Het uitgevoerde notebook en "
        "herkomst.csv, voor de accountant, bevatten de werkelijke cijfers.</p>"
        + (REGIO_GEHEIM if rapport.regio else "")
    )


def verantwoording(rapport) -> Fragment:
    """Sources and definitions of every table, from the data dictionary."""
    entries = []
    for table in (schema()[name] for name in rapport.verslagdefinitie.tabellen):
        columns = "".join(
            f"<li><strong>{esc(c)}</strong>: {esc(spec['omschrijving'])}</li>"
            for c, spec in table.columns.items()
            if spec["type"] in ("aantal", "percentage")
        )
        entries.append(f"<dt>{esc(table.title)}</dt><dd>Bron: {esc(table.source)}.<ul>{columns}</ul></dd>")
    intro = (
        "<p>Alle cijfers komen uit de invoertabellen in de map data/ van dit project; elke tabel is voor "
        "het maken van dit verslag automatisch gecontroleerd. Het uitgevoerde notebook en manifest.json "
        "laten zien welke bestanden, parameters en controles tot elk cijfer leidden.</p>"
        if rapport.gecontroleerd
        else f"<p>Alle cijfers komen uit de invoertabellen in de map data/ van dit project. {esc(NIET_GECONTROLEERD)}</p>"
    )
    return Fragment(
        f'<h2 id="verantwoording">Verantwoording</h2>{intro}{_regio_uitleg(rapport)}{_geheimhouding(rapport)}'
        f"{_weggelaten(rapport)}"
        f'<dl class="verantwoording">{"".join(entries)}</dl>'
    )


def _regio_uitleg(rapport) -> str:
    if not rapport.regio:
        return ""
    from jaarverslag.inhoud import vergelijking

    return vergelijking.verantwoording(rapport)


def _weggelaten(rapport) -> str:
    """Which sections of the project's definition this gemeente left out: a choice, never silent."""
    left_out = rapport.verslagdefinitie.weggelaten
    if not left_out:
        return ""
    where = paths.relative(rapport.verslagdefinitie.bestanden[-1])  # the gemeente's own, else the project's
    items = "".join(f"<li>{esc(s.titel)}</li>" for s in left_out)
    return (
        f"<p>Dit verslag laat {len(left_out)} {'onderwerp' if len(left_out) == 1 else 'onderwerpen'} "
        f"van de standaardopzet weg (gekozen in {esc(where)}):</p>"
        f'<ul class="weggelaten">{items}</ul>'
    )


def _is_count(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()


def kerncijfers(rapport) -> Fragment:
    """One page with the year's key figures (params: kerncijfers), as a real table."""
    from jaarverslag.inhoud import kerncijfers

    model_tabel = kerncijfers.tabel(rapport)
    if model_tabel is None:
        return Fragment("")
    intro = (
        f"<p>De belangrijkste cijfers van schooljaar {esc(rapport.schooljaar)}, naast die van het jaar ervoor. "
        "Een pijl en een woord geven de richting; de toelichting staat bij elk onderwerp verderop.</p>"
    )
    table = tabel.tabel_html(rapport, model_tabel)
    if rapport.regio:
        from jaarverslag.inhoud import vergelijking

        tables = dict.fromkeys(e["tabel"] for e in rapport.params["kerncijfers"])
        table += "".join(vergelijking.zonder_noot(rapport, t) for t in tables)
    return Fragment(f'<section class="kerncijferpagina" id="kerncijfers"><h2>Kerncijfers</h2>{intro}{table}</section>')


def inleiding(rapport) -> Fragment:
    return Fragment('<h2 id="inleiding">Inleiding</h2>' + str(tekst(rapport, "inleiding")) + str(kernpunten(rapport)))


def kernpunten(rapport) -> Fragment:
    """The most notable findings in the introduction; every section shows its own."""
    items = rapport.kernpunt_lijst()
    if not items:
        return Fragment("")
    shown = items[: findings.INLEIDING]
    more = "<p>De andere kernpunten staan bij hun onderwerp.</p>" if len(items) > len(shown) else ""
    return Fragment('<h3 id="kernpunten">Kernpunten</h3>' + finding_list(rapport, shown, "kernpunten") + more)


def finding_list(rapport, items: list[findings.Kernpunt], css: str) -> str:
    body = "".join(f"<li>{esc(item.tekst)}</li>" for item in items)
    return f'<p>Het valt op dat in schooljaar {esc(rapport.schooljaar)}:</p><ul class="{css}">{body}</ul>'


def tekst(rapport, plek: str) -> Fragment:
    """An optional Markdown text block from params, placed at a fixed spot."""
    text = rapport.params["teksten"].get(plek)
    return Fragment(f'<div class="tekstblok">{markdown(text)}</div>' if text else "")
