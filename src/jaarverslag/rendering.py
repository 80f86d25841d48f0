"""Execute the notebook with Papermill, convert it with nbconvert, and print it with WeasyPrint."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from pathlib import Path

import nbformat

from . import paths

NOTEBOOK = "jaarverslag.ipynb"
TEMPLATE = "jaarverslag"
PDF_VARIANT = "pdf/a-2a"  # archival (PDF/A-2) and tagged for accessibility (level A)
VOLATILE_METADATA = ("start_time", "end_time", "duration", "input_path", "output_path")


def execute(output: Path, parameters: dict, progress: bool = False) -> None:
    """Run the report notebook through Papermill with the project's own Python kernel."""
    import papermill
    from traitlets.config import Config

    logging.getLogger("papermill").setLevel(logging.WARNING)
    # IPC sockets in a private temp folder: no TCP ports, and no plain-text-TCP warning.
    socket_dir = Path(tempfile.mkdtemp(prefix="jaarverslag-kernel-"))
    config = Config({"KernelManager": {"transport": "ipc", "ip": str(socket_dir / "kernel")}})
    papermill.execute_notebook(
        str(paths.NOTEBOOKS / NOTEBOOK),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(paths.ROOT),
        progress_bar=progress,
        log_output=False,
        report_mode=False,
        record_timing=False,
        config=config,
    )
    shutil.rmtree(socket_dir, ignore_errors=True)
    scrub(output)


def scrub(path: Path) -> None:
    """Drop wall-clock times and absolute paths so that rebuilds are byte-identical."""
    notebook = nbformat.read(path, as_version=4)
    for meta in [notebook.metadata.get("papermill", {})] + [c.metadata.get("papermill", {}) for c in notebook.cells]:
        for key in VOLATILE_METADATA:
            meta.pop(key, None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "cel-parameters-ingevuld"  # Papermill gives it a random id
    nbformat.write(notebook, path)


def document_metadata(params: dict) -> dict:
    """Title, author, language and date for the HTML head and so the PDF metadata."""
    return {
        "titel": f"{params['titel']} {params['gemeentenaam']} {params['schooljaar']}",
        "auteur": params["auteur"],
        "datum": params["datum"],
        "beschrijving": (
            f"Verslag over leerplicht en voortijdig schoolverlaten in de gemeente "
            f"{params['gemeentenaam']}, schooljaar {params['schooljaar']}."
        ),
    }


def css() -> str:
    return (paths.TEMPLATES / TEMPLATE / "jaarverslag.css").read_text(encoding="utf-8")


def to_html(executed: Path, metadata: dict) -> str:
    """The council's HTML: no code, no audit cells, self-contained."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"audit", "parameters", "injected-parameters"}
    exporter = HTMLExporter(
        config=config,
        template_name=TEMPLATE,
        extra_template_basedirs=[str(paths.TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {"jaarverslag": {**metadata, "css": css()}}
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4), resources=resources)
    return body


def to_pdf(html: str, output: Path) -> None:
    """Print the HTML to a tagged, archival PDF (PDF/A-2a) with embedded fonts."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=str(paths.TEMPLATES))
    identifier = hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii")  # stable, content-derived
    document.write_pdf(str(output), pdf_variant=PDF_VARIANT, pdf_tags=True, pdf_identifier=identifier)
