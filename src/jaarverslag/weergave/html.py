"""HTML fragments that every part of the report shares: escaping, a table with its caption, a
chart as an image with its alt text, footnotes, Markdown with the anchors of the contents."""

from __future__ import annotations

import base64
import html
import re
from functools import cache
from pathlib import Path

import jinja2
import mistune
from markupsafe import Markup

from jaarverslag import paths
from jaarverslag.invoer.definitie import anker

_markdown = mistune.create_markdown(escape=True)


class Fragment:
    """HTML that Jupyter shows as HTML (and as a short line in plain text)."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<HTML-fragment, {len(self.markup)} tekens>"


def markdown(text: str) -> str:
    """A text block from params as HTML (Markdown, with any HTML in it escaped)."""
    return _markdown(text)


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def markdown_html(text: str) -> str:
    """A Markdown cell of the notebook as the council's HTML shows it: headings get the
    lower-case anchor the table of contents links to, and no pilcrow link."""
    return re.sub(
        r"<(h[1-6])>(.*?)</\1>",
        lambda m: f'<{m[1]} id="{esc(anker(html.unescape(m[2])))}">{m[2]}</{m[1]}>',
        _markdown(text),
    )


def figure_html(svg: bytes, alt: str) -> str:
    """A chart; no caption that would only repeat the section's heading (the alt text describes it)."""
    data = base64.b64encode(svg).decode("ascii")
    return sjabloon("figuur.html.j2", data=data, alt=Markup(esc(alt)))  # escaped as before: same bytes


def tekenaar():
    """The charts, through their store (grafiekopslag.py): matplotlib and seaborn only where a chart is
    drawn for the first time (in the kernel), not for the Excel export or after a text edit."""
    from jaarverslag.weergave.grafiekopslag import Tekenaar  # start-up: only where charts are drawn

    return Tekenaar()


def sjabloon(naam: str, _macro: str | None = None, **context) -> str:
    """A template of templates/verslag/ filled in, every value escaped (autoescaping); with
    `_macro`, that macro of the template, called with `context`."""
    template = _omgeving(paths.TEMPLATES / "verslag").get_template(naam)
    if _macro:
        return str(getattr(template.module, _macro)(**context))
    return template.render(**context)


@cache
def _omgeving(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        finalize=_escaped,
        undefined=jinja2.StrictUndefined,
    )


def _escaped(value):
    """A value escaped as esc() escapes it (&#x27; for a quote, as the rest of the report), so
    that a table made by a template has the same bytes as one made before templates."""
    return value if isinstance(value, Markup) else Markup(esc(value))
