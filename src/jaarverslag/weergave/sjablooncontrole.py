"""The check of a raadsmededeling's Word template, before a build runs: a Word file of sensible
size; no mail-merge fields (they would stay in the memo as «onderwerp»); every tag closed within
its paragraph; only known placeholders, and the ones the memo cannot do without; and a trial
filling-in, in Jinja's sandbox, of every part (body, headers, footers, footnotes, endnotes) with
sample values. Each refusal names the file, the part and, where it can, the tag."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort
from jaarverslag.weergave.wordsjabloon import PLAATSHOUDERS

MAX_BYTES = 10 * 1024 * 1024  # a memo's template is a few tens of kB
MAX_XML = 20 * 1024 * 1024  # the parts of the file unpacked: no zip bomb
VERPLICHT = ("status_kop", "punten")  # without them a concept or the findings would silently go missing
LIJSTEN = ("besluit", "punten", "kader")
TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}|\{#(.*?)#\}", re.S)
LOSSE_HAAK = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
NAAM = re.compile(r"\s*[a-z_]+\s*")  # a plain placeholder: {{ onderwerp }}
GEEN_WORD = (
    "is geen Word-bestand (.docx). Sla het sjabloon in Word op als 'Word-document (.docx)', of verwijder "
    "het: dan gebruikt het verslag het standaardsjabloon."
)


class LijstAlsTekst(Exception):
    """A list placeholder ({{ besluit }}) printed as a text."""


class _Proeflijst(list):
    """A list of sample items that refuses to be printed whole."""

    def __init__(self, name: str):
        super().__init__(["voorbeeld"])
        self.name = name

    def __str__(self):
        raise LijstAlsTekst(self.name)

    __html__ = __str__


def omgeving():
    """Jinja's sandbox, as the memo is filled in: a template cannot reach Python's internals,
    and a name that is not there is an error, not an empty text."""
    from jinja2 import StrictUndefined  # start-up: Jinja2 only here
    from jinja2.sandbox import SandboxedEnvironment  # start-up: Jinja2 only here

    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


_GOEDGEKEURD: dict[str, None] = {}  # sha256 of a template's bytes that passed every check


def controleer(path: Path) -> None:
    """Refuse a template the memo cannot be made from, with a Dutch message naming the file, the
    part (hoofdtekst, koptekst, voettekst, voetnoot, eindnoot) and the tag.

    Each check fills the template in a trial run; a process (the live preview, a test run) checks
    the same bytes once."""
    where = paths.relative(path)
    _is_word(path, where)
    paths.eens_per_inhoud(_GOEDGEKEURD, path, lambda template: _controleer(template, where))


def _controleer(path: Path, where: str) -> None:
    delen = _delen(path, where)
    for deel in delen:
        _geen_samenvoegvelden(deel, where)
        _gesloten(deel, where)
    template = _sjabloon(path)
    used = {deel.naam: _gebruikt(template, deel, where) for deel in delen}
    _bekend(used, where)
    missing = [name for name in VERPLICHT if not any(name in names for names in used.values())]
    if missing:
        named = ", ".join("{{ " + name + " }}" for name in missing)
        raise ParameterFout(
            f"{where}: het sjabloon mist {named}: zonder {{{{ status_kop }}}} (in de koptekst) staat er bij een "
            "concept geen 'Concept', zonder {{ punten }} ontbreken de kernpunten."
        )
    for deel in delen:
        _proef(template, deel, where)


def _bekend(used: dict[str, set[str]], where: str) -> None:
    """Only the placeholders of the README; an unknown one is named with the part it is in."""
    unknown = [(name, deel) for deel, names in used.items() for name in sorted(names - set(PLAATSHOUDERS))]
    if unknown:
        named = ", ".join("{{ " + kort(name, 40) + " }} in " + deel for name, deel in unknown)
        raise ParameterFout(
            f"{where}: onbekende plaatshouder(s) {named}. Bekend zijn: {', '.join(PLAATSHOUDERS)} "
            "(zie de README, 'De raadsmededeling')."
        )


def _geen_samenvoegvelden(deel, where: str) -> None:
    """A mail-merge field (MERGEFIELD, shown as «onderwerp») is not filled in: it would stay in the memo."""
    for name in deel.samenvoegvelden:
        instead = (
            "{{ " + name + " }}" if name in PLAATSHOUDERS else "een plaatshouder uit de README, zoals {{ onderwerp }}"
        )
        raise ParameterFout(
            f"{where}, {deel.naam}: het samenvoegveld (MERGEFIELD) «{kort(name, 40)}» wordt niet ingevuld en "
            f"bleef zo in de raadsmededeling staan. Verwijder het veld en typ op die plek {instead}: gewone tekst "
            "met twee accolades aan elke kant, geen veld van Word."
        )


def _is_word(path: Path, where: str) -> None:
    why = paths.not_a_plain_file(path)
    if why:
        raise ParameterFout(f"{where}: {why}")
    if path.stat().st_size > MAX_BYTES:
        raise ParameterFout(f"{where} is groter dan {MAX_BYTES // (1024 * 1024)} MB; een sjabloon is veel kleiner.")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        infos = []
    names = {i.filename for i in infos}
    if not {"word/document.xml", "[Content_Types].xml"} <= names:
        raise ParameterFout(f"{where} {GEEN_WORD}")
    if sum(i.file_size for i in infos) > MAX_XML:
        raise ParameterFout(f"{where}: uitgepakt is het sjabloon groter dan {MAX_XML // (1024 * 1024)} MB.")


def _delen(path: Path, where: str) -> list:
    """The parts with text: body (with its tables and text boxes), headers, footers, footnotes, endnotes."""
    from docx import Document  # start-up: docxtpl and python-docx only here

    from jaarverslag.weergave import worddelen  # start-up: docxtpl and python-docx only here

    try:
        return worddelen.delen(Document(path))
    except Exception:  # a damaged part, or a .docm or .dotx under another name: python-docx says why in English
        raise ParameterFout(f"{where} {GEEN_WORD}") from None


def _gesloten(deel, where: str) -> None:
    """Every {{ }}, {% %} and {# #} opens and closes within its paragraph."""
    for text in deel.teksten:
        loose = LOSSE_HAAK.search(TAG.sub(" ", text))
        if loose:
            around = kort(text[max(0, loose.start() - 30) : loose.end() + 30].strip(), 70)
            raise ParameterFout(
                f"{where}, {deel.naam}: in '{around}' wordt een plaatshouder of opdracht niet goed geopend of "
                "gesloten (schrijf {{ naam }} of {%p ... %}, met twee accolades aan elke kant)."
            )


def _sjabloon(path: Path):
    from jaarverslag.weergave import worddelen  # start-up: docxtpl and python-docx only here

    return worddelen.Vuller(path)


def _gebruikt(template, deel, where: str) -> set[str]:
    """The names a part uses (a loop's own variable not counted)."""
    from jinja2 import TemplateSyntaxError, meta  # start-up: Jinja2 only here

    try:
        return meta.find_undeclared_variables(omgeving().parse(template.patch_xml(deel.xml)))
    except TemplateSyntaxError as exc:
        raise ParameterFout(f"{where}, {deel.naam}: {_syntaxfout(deel.teksten, exc)}") from None


def _proef(template, deel, where: str) -> None:
    """Fill in the part once with sample values, as the memo is filled in; any failure is the template's."""
    from jinja2 import TemplateError, TemplateSyntaxError  # start-up: Jinja2 only here

    sample = {name: _Proeflijst(name) if name in LIJSTEN else "voorbeeld" for name in PLAATSHOUDERS}
    try:
        template.render_xml_part(template.patch_xml(deel.xml), deel.part, sample, omgeving())
    except LijstAlsTekst as exc:
        name = exc.args[0]
        raise ParameterFout(
            f"{where}, {deel.naam}: {{{{ {name} }}}} is een lijst. Zet de alinea {{{{ item }}}} tussen een alinea "
            f"{{%p for item in {name} %}} en een alinea {{%p endfor %}}."
        ) from None
    except TemplateSyntaxError as exc:
        raise ParameterFout(f"{where}, {deel.naam}: {_syntaxfout(deel.teksten, exc)}") from None
    except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError, AttributeError):
        tag = _bijzondere_tag(deel.teksten)
        named = f"de plaatshouder of opdracht '{kort(tag, 60)}'" if tag else "een plaatshouder of opdracht"
        raise ParameterFout(
            f"{where}, {deel.naam}: {named} kan niet worden ingevuld. Gebruik alleen de namen uit de README "
            "('De raadsmededeling'), zonder rekensommen, filters of ingevoegde sjablonen."
        ) from None


def _bijzondere_tag(texts: list[str]) -> str | None:
    """The first tag that is more than a plain name or a for-loop over a list (what most likely failed)."""
    plain = re.compile(r"\{\{\s*[a-z_]+\s*\}\}|\{%p?\s*(for [a-z_]+ in [a-z_]+|endfor|if [a-z_]+|endif|else)\s*%\}")
    return next((m[0] for text in texts for m in TAG.finditer(text) if not plain.fullmatch(m[0])), None)


def _syntaxfout(texts: list[str], exc) -> str:
    """Which tag of the template does not parse, in the words of the document."""
    import jinja2  # start-up: Jinja2 only here

    if exc.message and exc.message.startswith("No filter named"):
        name = exc.message.split("'")[1] if "'" in exc.message else ""
        return f"het filter '{kort(name, 40)}' bestaat niet; een plaatshouder is alleen een naam, zoals {{{{ onderwerp }}}}."
    environment = jinja2.Environment()
    for match in (m for text in texts for m in TAG.finditer(text) if m[1] is not None):
        try:
            environment.parse("{{" + match[1] + "}}")
        except jinja2.TemplateSyntaxError:
            return f"de plaatshouder '{kort(match[0], 60)}' is geen geldige plaatshouder (een naam, zoals {{{{ onderwerp }}}})."
    return (
        "de opdrachten tussen {% en %} passen niet bij elkaar: bijvoorbeeld een {%p for %} zonder {%p endfor %}, "
        "of een {%p for %} in de koptekst met zijn {%p endfor %} in de tekst, of een opdracht die Jinja niet kent."
    )
