"""The Word template of the raadsmededeling: the placeholders it may use, the check of a
gemeente's own template before a build, and the project's default template.

A template is a .docx with docxtpl's Jinja tags: `{{ onderwerp }}` for a text, and
`{%p for punt in punten %}` ... `{%p endfor %}` around a list paragraph. The default,
templates/raadsmededeling.docx, is made by `maak_standaard` (python -m
jaarverslag.weergave.wordsjabloon); a test keeps the committed file equal to what it makes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort
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
    "valt_op": "'Het valt op dat in het schooljaar ...:'",
    "punten": "de kernpunten van het verslag, als zinnen van een opsomming (een lijst)",
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
TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
OPEN = re.compile(r"\{\{.*|\{%.*")  # what is left of a tag once the closed ones are taken out
FIXED_DATE = "2024-01-01T00:00:00Z"  # the default template's own created and modified time


def sjabloon(gemeente: str) -> Path:
    """The gemeente's own template (data/<gemeente>/raadsmededeling.docx), else the project's."""
    own = paths.DATA / gemeente / STANDAARD
    return own if own.exists() or own.is_symlink() else paths.TEMPLATES / STANDAARD


def controleer(path: Path) -> None:
    """Refuse, before a build, a template that is not a Word file, that names an unknown
    placeholder or whose Jinja tags do not parse; the message names the file and the tag."""
    from docxtpl import DocxTemplate  # start-up: docxtpl and python-docx only here
    from jinja2 import TemplateSyntaxError  # start-up: docxtpl and python-docx only here

    where = paths.relative(path)
    _is_word(path, where)
    try:
        used = DocxTemplate(path).get_undeclared_template_variables()
    except TemplateSyntaxError as exc:
        raise ParameterFout(f"{where}: {_syntaxfout(path, exc)}") from None
    unknown = sorted(used - set(PLAATSHOUDERS))
    if unknown:
        named = ", ".join("{{ " + kort(name, 40) + " }}" for name in unknown)
        raise ParameterFout(
            f"{where}: onbekende plaatshouder(s) {named}. Bekend zijn: {', '.join(PLAATSHOUDERS)} "
            "(zie de README, 'De raadsmededeling')."
        )


def _is_word(path: Path, where: str) -> None:
    why = paths.not_a_plain_file(path)
    if why:
        raise ParameterFout(f"{where}: {why}")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        names = set()
    if "word/document.xml" not in names:
        raise ParameterFout(
            f"{where} is geen Word-bestand (.docx). Sla het sjabloon in Word op als 'Word-document (.docx)', "
            "of verwijder het: dan gebruikt het verslag het standaardsjabloon."
        )


def _syntaxfout(path: Path, exc) -> str:
    """Which tag of the template does not parse, in the words of the document."""
    import jinja2  # start-up: docxtpl and python-docx only here

    paragraphs = _alinea_teksten(path)
    for text in paragraphs:  # Word keeps a tag within its paragraph
        unclosed = OPEN.search(TAG.sub(" ", text))
        if unclosed:
            return f"de plaatshouder of opdracht '{kort(unclosed[0].strip(), 60)}' wordt niet gesloten met }}}} of %}}."
    environment = jinja2.Environment()
    for match in (m for text in paragraphs for m in TAG.finditer(text) if m[1] is not None):
        try:
            environment.parse("{{" + match[1] + "}}")
        except jinja2.TemplateSyntaxError:
            return f"de plaatshouder '{kort(match[0], 60)}' is geen geldige plaatshouder (een naam, zoals {{{{ onderwerp }}}})."
    return (
        "de opdrachten tussen {% en %} passen niet bij elkaar (bijvoorbeeld een {%p for %} zonder {%p endfor %}); "
        f"regel {exc.lineno} van de Word-tekst."
    )


def _alinea_teksten(path: Path) -> list[str]:
    from docx import Document  # start-up: docxtpl and python-docx only here

    document = Document(path)
    return [p.text for p in document.paragraphs] + [p.text for s in document.sections for p in s.header.paragraphs]


def maak_standaard(target: Path) -> Path:
    """Write the project's default template: the source memo's headings, in Word's own heading
    and list styles, in Dutch (nl-NL), with 'Concept' in the header while it is one."""
    from docx import Document  # start-up: docxtpl and python-docx only here

    document = Document()
    _nederlands(document)
    _huisstijl(document)
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
    properties.revision, properties.last_modified_by = 1, "jaarverslag"
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
        ("Nadere toelichting", [tekst("toelichting"), tekst("valt_op"), ("lijst", ("punten", "List Bullet"))]),
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
