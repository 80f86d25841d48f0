"""The council's and the auditor's documents from the executed notebook: HTML through nbconvert's
template, the archival PDF through WeasyPrint."""

from __future__ import annotations

import hashlib
import logging
import threading
from contextlib import contextmanager
from pathlib import Path

import nbformat

from jaarverslag import interrupt, paths
from jaarverslag.errors import BouwFout, kort
from jaarverslag.invoer import huisstijl

TEMPLATE = "jaarverslag"
PDF_VARIANT = "pdf/a-2a"  # archival (PDF/A-2) and tagged for accessibility (level A)
AUDITOR_ONLY = ("audit", "spoor", "parameters", "injected-parameters")  # cell tags the council does not see


def preload() -> threading.Thread:
    """Import nbconvert and WeasyPrint in the background while the kernel works."""

    def load():
        import nbconvert  # noqa: F401  (start-up: imported early, in the background)
        import weasyprint  # noqa: F401  (start-up: imported early, in the background)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    return thread


def document_metadata(params: dict) -> dict:
    """Title, author, language and date for the HTML head and so the PDF metadata."""
    return {
        "gemeente": params["gemeente"],
        "titel": f"{params['titel']} {params['gemeentenaam']} {params['schooljaar']}",
        "auteur": params["auteur"],
        "datum": params["datum"],
        "concept": params["status"] == "concept",  # a banner on top, 'CONCEPT' on every PDF page
        "beschrijving": (
            f"Verslag over leerplicht en voortijdig schoolverlaten in "
            f"{'' if params.get('gemeenten') else 'de gemeente '}{params['gemeentenaam']}, "
            f"schooljaar {params['schooljaar']}."
        ),
    }


def css(gemeente: str | None = None) -> str:
    """The report's CSS, followed by the gemeente's house style when it has one of its own."""
    own = (paths.TEMPLATES / TEMPLATE / "jaarverslag.css").read_text(encoding="utf-8")
    return own + (huisstijl_css(huisstijl.lees(gemeente)) if gemeente else "")


def huisstijl_css(stijl: huisstijl.Huisstijl) -> str:
    """The CSS of a house style (templates/jaarverslag/huisstijl.css.j2); nothing for the project's own look."""
    if not stijl.eigen:
        return ""
    import jinja2  # start-up: Jinja2 only here

    template = jinja2.Template((paths.TEMPLATES / TEMPLATE / "huisstijl.css.j2").read_text(encoding="utf-8"))
    return "\n" + template.render(primair=stijl.kleur_primair, accent=stijl.kleur_accent, lettertype=stijl.lettertype)


def to_html(executed: Path, metadata: dict) -> str:
    """The council's HTML: no code, no audit or trail cells, self-contained."""
    from nbconvert import HTMLExporter  # start-up: nbconvert only here
    from traitlets.config import Config  # start-up: nbconvert only here

    from jaarverslag.weergave.html import markdown_html  # start-up: Jinja2 only here

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(AUDITOR_ONLY)
    exporter = HTMLExporter(
        config=config,
        template_name=TEMPLATE,
        extra_template_basedirs=[str(paths.TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_filter("markdown_nl", markdown_html)
    resources = {"jaarverslag": {**metadata, "css": css(metadata.get("gemeente"))}}
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4), resources=resources)
    return body


def to_controle_html(executed: Path, metadata: dict) -> str:
    """The auditor's HTML: the whole executed notebook with its code and trail, for reading
    without Jupyter (JupyterLab's own look, self-contained)."""
    from nbconvert import HTMLExporter  # start-up: nbconvert only here

    exporter = HTMLExporter(template_name="lab", embed_images=True, language_code="nl")
    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata["title"] = f"Controle{' (concept)' if metadata['concept'] else ''}: {metadata['titel']}"
    body, _ = exporter.from_notebook_node(notebook)
    return body


def to_pdf(html: str, output: Path) -> None:
    """Print the HTML to a tagged, archival PDF (PDF/A-2a) with embedded fonts."""
    import weasyprint  # start-up: WeasyPrint only here

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=str(paths.TEMPLATES))
    identifier = hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii")  # stable, content-derived
    # WeasyPrint logs what it could not draw (a chart, an image) and carries on without it:
    # for the council's PDF that is an error, and a signal must not cut a chart short either.
    with _weasyprint_errors() as errors, interrupt.held():
        document.write_pdf(str(output), pdf_variant=PDF_VARIANT, pdf_tags=True, pdf_identifier=identifier)
    if errors:
        raise BouwFout(f"De PDF is niet gemaakt: WeasyPrint kon iets niet tekenen ({kort(errors[0], 300)}).")


@contextmanager
def _weasyprint_errors():
    """Collect the messages WeasyPrint logs at level ERROR while the block runs."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.ERROR)
    logger.setLevel(logging.ERROR)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
