"""The report as the notebook shows it: every cell of the notebook calls one method here, and
each is a view of the one report model (inhoud/report.py) that renders as HTML in Jupyter, in
nbconvert's HTML and so in the PDF. Cells tagged `audit` or `spoor` are for the auditor.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

import pandas as pd

from jaarverslag.inhoud import kerncijfers, model, raadsmededeling
from jaarverslag.inhoud.report import Rapport
from jaarverslag.spoor import cellen
from jaarverslag.weergave import onderdelen, secties
from jaarverslag.weergave.html import Fragment


@dataclass
class Verslag:
    """Views of one report model; none computes a figure."""

    model: Rapport

    @classmethod
    def laad(cls, *args, **kwargs) -> Verslag:
        """The model as Rapport.laad builds it (the notebook's parameters), to be shown. In the notebook's
        kernel a data step shows every label whole (pandas cuts text at 50 characters by default).
        The memo's pinned points (params raadsmededeling.punten) are checked here, so that a key that
        names no point of this year stops the notebook at its first cell."""
        pd.set_option("display.max_colwidth", None)
        return cls.van(Rapport.laad(*args, **kwargs))

    @classmethod
    def van(cls, rapport: Rapport) -> Verslag:
        """The views of a model, after checking the memo's pinned points against it (the notebook's
        first cell, and the live preview's run of the same cells)."""
        raadsmededeling.controleer_punten(rapport)
        return cls(rapport)

    @staticmethod
    def teken_vooruit(gemeente: str, schooljaar: str) -> None:
        """Draw every section's chart of the files as they are now into the chart store
        (grafiekopslag.py), while the build validates them and the kernel would sit idle.

        Nothing of this model is shown or written: the store names a chart by its exact figures,
        labels and code, so a cell takes a chart drawn here only when it asks for that very chart,
        and draws any other itself. Data that fail validation stop the build before any cell runs;
        whatever goes wrong here is left for the cells to meet (so it is ignored)."""
        with suppress(Exception):  # a head start, never a result: the cells do the real work
            secties.alle_grafieken(Rapport.laad(gemeente, schooljaar))

    # --- the auditor's view (shown in the executed notebook, not in HTML or PDF) ------

    def audit(self) -> Fragment:
        """Parameters, input files with their sha256, and the validation summary."""
        return onderdelen.audit(self.model)

    def cijferblad(self, key: str) -> pd.DataFrame:
        """A section's data step: every published figure with its printed text, its true value
        and its source or formula (the trail and the display follow)."""
        return model.blad(self.model.tabellen(key))

    def spoor(self, key: str) -> None:
        """The section's source rows, the derivation of its figures and its checks."""
        cellen.toon_sectie(self.model, key)

    def spoor_kernpunten(self) -> None:
        """Each key finding's rule and the figures it compared."""
        cellen.toon_kernpunten(self.model)

    def spoor_kerncijfers(self) -> None:
        """Where every figure of the Kerncijfers page comes from."""
        cellen.toon_cijfers("Kerncijfers", kerncijfers.cijfers(self.model))

    def spoor_datakwaliteit(self) -> None:
        """Every suite's result and where the figures of the data-quality table come from."""
        cellen.toon_datakwaliteit(self.model)

    # --- the council's report ----------------------------------------------------------

    def titelblok(self) -> Fragment:
        return onderdelen.titelblok(self.model)

    def kerncijfers(self) -> Fragment:
        """One page with the year's key figures (params: kerncijfers), as a real table."""
        return onderdelen.kerncijfers(self.model)

    def voorwoord(self) -> Fragment:
        """The voorwoord, when the report has one (params/<gemeente>/<schooljaar>/voorwoord.md)."""
        return onderdelen.voorwoord(self.model)

    def inhoudsopgave(self) -> Fragment:
        """Chapters and their sections (page numbers in the PDF)."""
        return onderdelen.inhoudsopgave(self.model)

    def inleiding(self) -> Fragment:
        return onderdelen.inleiding(self.model)

    def tekst(self, plek: str) -> Fragment:
        """An optional Markdown text block from params, placed at a fixed spot."""
        return onderdelen.tekst(self.model, plek)

    def sectie(self, key: str) -> Fragment:
        """A section: its head (heading, findings, explanation, text and first chart) and its tables."""
        return secties.sectie(self.model, key)

    def hoofdstukken(self) -> Fragment:
        """Every chapter with its text and sections in one cell (the notebook run by hand)."""
        return secties.hoofdstukken(self.model)

    def datakwaliteit(self) -> Fragment:
        return onderdelen.datakwaliteit(self.model)

    def verantwoording(self) -> Fragment:
        """Sources and definitions of every table, from the data dictionary."""
        return onderdelen.verantwoording(self.model)
