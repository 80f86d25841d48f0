"""The parts of a Word file a reader sees text in (body, headers, footers, footnotes, endnotes),
and the docxtpl template that fills in every one of them.

Word splits a text into runs wherever its formatting (or its spelling check, or an edit) changes:
a placeholder whose name was made bold after typing is `{{ ` in one run, `onderwerp` bold in the
next and ` }}` in a third. docxtpl moves the whole tag into the run that holds `{{`; `Vuller`
first moves it into the run that holds the first letter of the name, so the filled-in text keeps
the formatting the writer gave the name.

Imported only where a Word file is checked or filled in: it loads docxtpl and python-docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docxtpl import DocxTemplate
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
P, T = f"{{{W}}}p", f"{{{W}}}t"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
DELEN = {  # content type -> the part, in the words of a message (in this order)
    f"{WML}.document.main+xml": "de hoofdtekst",
    f"{WML}.header+xml": "een koptekst",
    f"{WML}.footer+xml": "een voettekst",
    f"{WML}.footnotes+xml": "een voetnoot",
    f"{WML}.endnotes+xml": "een eindnoot",
}
NOTEN = (f"{WML}.footnotes+xml", f"{WML}.endnotes+xml")
PLAATSHOUDER = re.compile(r"\{\{(.*?)\}\}", re.S)
DECLARATIE = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
SAMENVOEGVELD = re.compile(r'\s*MERGEFIELD\s+(?:"([^"]*)"|(\S+))', re.I)


@dataclass(frozen=True)
class Deel:
    """One part of the Word file that holds text, with its name for a message."""

    naam: str
    part: object  # python-docx's Part

    @property
    def xml(self) -> str:
        return self.part.blob.decode("utf-8")

    @property
    def teksten(self) -> list[str]:
        """The text of each paragraph (a tag stays within one)."""
        root = _boom(self.xml)
        return ["".join(t.text or "" for t in _eigen_teksten(p)) for p in root.iter(P)]

    @property
    def samenvoegvelden(self) -> list[str]:
        """The names of the mail-merge fields (MERGEFIELD) in this part, simple and complex."""
        names = []
        for instruction in _veldcodes(_boom(self.xml)):
            match = SAMENVOEGVELD.match(instruction)
            if match:
                names.append(match[1] if match[1] is not None else match[2])
        return names


def delen(document) -> list[Deel]:
    """Every part of a python-docx Document with text a reader sees, body first."""
    order = list(DELEN)
    parts = [p for p in document.part.package.iter_parts() if p.content_type in DELEN]
    parts.sort(key=lambda p: (order.index(p.content_type), str(p.partname)))
    return [Deel(DELEN[p.content_type], p) for p in parts]


class Vuller(DocxTemplate):
    """docxtpl's template that also fills in the endnotes, fills in each notes part once, and
    keeps the formatting of a placeholder's name when the placeholder is split over runs."""

    def patch_xml(self, src_xml: str) -> str:
        return super().patch_xml(samengevoegd(src_xml))

    def render_footnotes(self, context, jinja_env=None) -> None:
        """Footnotes and endnotes (docxtpl itself does the footnotes only, once per section)."""
        for deel in delen(self.docx):
            if deel.part.content_type in NOTEN:
                xml = self.render_xml_part(self.patch_xml(deel.xml), deel.part, context, jinja_env)
                deel.part._blob = xml.encode("utf-8")


def samengevoegd(xml: str) -> str:
    """The part with every placeholder that spans runs moved whole into the run holding the first
    letter of its name; the XML unchanged (the same string) when no placeholder spans runs."""
    if "{" not in xml:
        return xml
    declaration = DECLARATIE.match(xml)
    head = declaration[0] if declaration else ""
    root = etree.fromstring(xml[len(head) :])
    changed = [_samenvoegen(paragraph) for paragraph in root.iter(P)]
    return head + etree.tostring(root, encoding="unicode") if any(changed) else xml


def _samenvoegen(paragraph) -> bool:
    texts = _eigen_teksten(paragraph)
    joined = "".join(t.text or "" for t in texts)
    starts = [0]
    for t in texts:
        starts.append(starts[-1] + len(t.text or ""))
    changed = False
    for match in reversed(list(PLAATSHOUDER.finditer(joined))):  # from the end: earlier offsets stay valid
        spanned = [i for i, t in enumerate(texts) if starts[i] < match.end() and starts[i + 1] > match.start()]
        if len(spanned) < 2:
            continue
        name = match.start(1) + len(match[1]) - len(match[1].lstrip())
        owner = next((i for i in spanned if starts[i] <= name < starts[i + 1]), spanned[0])
        for i in spanned:
            text = texts[i].text or ""
            low, high = max(match.start() - starts[i], 0), min(match.end() - starts[i], len(text))
            texts[i].text = text[:low] + (match[0] if i == owner else "") + text[high:]
            texts[i].set(XML_SPACE, "preserve")
        changed = True
    return changed


def _eigen_teksten(paragraph) -> list:
    """The w:t elements of this paragraph, not those of a paragraph inside it (a text box)."""
    return [t for t in paragraph.iter(T) if next(t.iterancestors(P)) is paragraph]


def _veldcodes(root) -> list[str]:
    """The instruction of every field: w:fldSimple's w:instr, and the w:instrText between a
    complex field's begin and separate (fields can nest)."""
    codes = [simple.get(f"{{{W}}}instr", "") for simple in root.iter(f"{{{W}}}fldSimple")]
    open_fields: list[list[str]] = []
    for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText"):
        kind = element.get(f"{{{W}}}fldCharType")
        if kind == "begin":
            open_fields.append([])
        elif element.tag.endswith("instrText") and open_fields:
            open_fields[-1].append(element.text or "")
        elif kind == "end" and open_fields:
            codes.append("".join(open_fields.pop()))
    return codes


def _boom(xml: str):
    return etree.fromstring(DECLARATIE.sub("", xml, count=1).encode("utf-8"))
