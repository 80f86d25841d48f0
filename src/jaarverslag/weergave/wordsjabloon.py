"""The Word template of the raadsmededeling: the placeholders it may use, which template a
gemeente's memo is made from, and the project's default template (the check of a template
before a build is in sjablooncontrole.py).

A template is a .docx with docxtpl's Jinja tags: `{{ onderwerp }}` for a text,
`{%p for punt in punten %}` ... `{%p endfor %}` around a list paragraph, and `{%p if punten %}`
... `{%p endif %}` around what only a report with key findings has. The default,
templates/raadsmededeling.docx, is made by `maak_standaard` (python -m
jaarverslag.weergave.wordsjabloon); a test keeps the committed file equal to what it makes.
"""

from __future__ import annotations

from pathlib import Path

from jaarverslag import paths
from jaarverslag.weergave import zipvast

STANDAARD = "raadsmededeling.docx"
PLAATSHOUDERS = {  # name -> what it holds (README, "De raadsmededeling")
    "onderwerp": "het onderwerp",
    "gemeentenaam": "de naam van de gemeente of regio",
    "wie": "'de gemeente' en haar naam, of de regio met haar gemeenten",
    "schooljaar": "het schooljaar van het verslag",
    "datum": "de datum van het verslag, zoals op de titelpagina",
    "auteur": "de maker (params auteur)",
    "status": "concept of vastgesteld",
    "status_kop": "'Concept' zolang het verslag niet is vastgesteld, anders leeg (voor de koptekst)",
    "besluit": "de besluitpunten (een lijst)",
    "inleiding": "de inleiding",
    "kern": "de kern van de boodschap",
    "toelichting": "de zin boven 'Het valt op dat'",
    "valt_op": "'Het valt op dat in het schooljaar ...:'; leeg als het verslag geen kernpunten heeft",
    "punten": "de kernpunten van het verslag, als zinnen van een opsomming (een lijst; leeg als er geen zijn)",
    "kader": "de wetten en het beleid (een lijst)",
    "partijen": "de betrokken partijen",
    "argumenten_voor": "de argumenten voor",
    "argumenten_tegen": "de argumenten tegen",
    "financien": "de financiële consequenties",
    "communicatie": "openbaarmaking en communicatie",
    "aanpak": "aanpak en uitvoering",
    "bijlage_titel": "de titel van het jaarverslag",
    "bijlage_bestand": "de bestandsnaam van het jaarverslag (jaarverslag.pdf)",
}
FIXED_DATE = "2024-01-01T00:00:00Z"  # the default template's own created and modified time


def sjabloon(gemeente: str) -> Path:
    """The gemeente's own template (data/<gemeente>/raadsmededeling.docx), else the project's."""
    own = paths.DATA / gemeente / STANDAARD
    return own if own.exists() or own.is_symlink() else paths.TEMPLATES / STANDAARD


def maak_standaard(target: Path) -> Path:
    """Write the project's default template: the source memo's headings, in Word's own heading
    and list styles, in Dutch (nl-NL), with 'Concept' in the header while it is one."""
    from docx import Document  # start-up: docxtpl and python-docx only here

    document = Document()
    _nederlands(document)
    _spelling_nog_niet_gecontroleerd(document)
    _huisstijl(document)
    _a4_met_paginanummers(document.sections[0])
    header = document.sections[0].header.paragraphs[0]
    header.add_run("{{ status_kop }}").bold = True
    document.add_paragraph("Raadsmededeling", style="Title")
    document.add_paragraph("{{ gemeentenaam }}, {{ datum }}")
    for heading, body in _opbouw():
        document.add_heading(heading, level=2 if heading in ("Voor", "Tegen") else 1)
        for kind, text in body:
            if kind == "lijst":
                name, style = text
                document.add_paragraph(f"{{%p for item in {name} %}}")
                document.add_paragraph("{{ item }}", style=style)
                document.add_paragraph("{%p endfor %}")
            elif text:
                paragraph = document.add_paragraph(text)
                paragraph.paragraph_format.keep_with_next = text == "{{ valt_op }}"  # with its first point
    properties = document.core_properties
    properties.title, properties.language, properties.author = "Raadsmededeling", "nl-NL", "jaarverslag"
    properties.revision, properties.last_modified_by, properties.comments = 1, "jaarverslag", ""
    document.save(target)
    zipvast.vastzetten(target, FIXED_DATE)
    return target


def _opbouw() -> list[tuple[str, list[tuple[str, object]]]]:
    """The memo's headings in order, each with its paragraphs: ('tekst', text) or ('lijst', (name, style))."""
    tekst = lambda name: ("tekst", "{{ " + name + " }}")  # noqa: E731
    return [
        ("Onderwerp", [tekst("onderwerp")]),
        ("Besluit", [("lijst", ("besluit", "List Number"))]),
        ("Inleiding", [tekst("inleiding")]),
        ("Kern van de boodschap", [tekst("kern")]),
        (
            "Nadere toelichting",
            [tekst("toelichting"), *_alleen_met_punten(tekst("valt_op"), ("lijst", ("punten", "List Bullet")))],
        ),
        ("Kader", [("lijst", ("kader", "List Bullet"))]),
        ("Betrokken partijen", [tekst("partijen")]),
        ("Argumenten voor en tegen", [("tekst", "")]),
        ("Voor", [tekst("argumenten_voor")]),
        ("Tegen", [tekst("argumenten_tegen")]),
        ("Financiële consequenties", [tekst("financien")]),
        ("Openbaarmaking en communicatie", [tekst("communicatie")]),
        ("Aanpak en uitvoering", [tekst("aanpak")]),
        ("Bijlage", [("tekst", "{{ bijlage_titel }} ({{ bijlage_bestand }})")]),
    ]


def _alleen_met_punten(*body: tuple[str, object]) -> list[tuple[str, object]]:
    """Paragraphs left out, with their own paragraph marks, when the report has no key findings."""
    return [("tekst", "{%p if punten %}"), *body, ("tekst", "{%p endif %}")]


def _a4_met_paginanummers(section) -> None:
    """A4 with 2,5 cm margins, as a Dutch memo is printed, and 'Pagina n van m' in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # start-up: docxtpl and python-docx only here
    from docx.oxml import OxmlElement  # start-up: docxtpl and python-docx only here
    from docx.oxml.ns import qn  # start-up: docxtpl and python-docx only here
    from docx.shared import Cm, Mm  # start-up: docxtpl and python-docx only here

    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("Pagina ", "PAGE"), (" van ", "NUMPAGES")):
        footer.add_run(text)
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        shown = OxmlElement("w:t")
        shown.text = "1"
        run.append(shown)
        simple.append(run)
        footer._p.append(simple)


def _huisstijl(document) -> None:
    """A plain sans-serif letter, as most gemeenten write (Arial; LibreOffice shows it as the
    metric-equal Liberation Sans), a little space between paragraphs."""
    from docx.oxml.ns import qn  # start-up: docxtpl and python-docx only here
    from docx.shared import Pt  # start-up: docxtpl and python-docx only here

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet", "List Number", "Header"):
        style = document.styles[name]
        style.font.name = "Arial"
        fonts = style.element.rPr.find(qn("w:rFonts"))
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # a theme font wins
            fonts.attrib.pop(qn(theme), None)
    document.styles["Normal"].font.size = Pt(10.5)
    document.styles["Normal"].paragraph_format.space_after = Pt(6)


def _spelling_nog_niet_gecontroleerd(document) -> None:
    """python-docx's default says the spelling was checked ('clean'): then Word does not check
    the filled-in texts until someone edits them."""
    from docx.oxml.ns import qn  # start-up: docxtpl and python-docx only here

    for state in document.settings.element.findall(qn("w:proofState")):
        document.settings.element.remove(state)


def _nederlands(document) -> None:
    """Dutch as the document's language, for spelling and for a screen reader's voice."""
    from docx.oxml.ns import qn  # start-up: docxtpl and python-docx only here

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run.find(qn("w:lang"))
    if lang is None:
        lang = run.makeelement(qn("w:lang"), {})
        run.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), "nl-NL")


if __name__ == "__main__":
    print(maak_standaard(paths.TEMPLATES / STANDAARD))
