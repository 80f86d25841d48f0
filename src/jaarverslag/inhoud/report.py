"""The report model of one report (gemeente x schooljaar): params, tables, the figures of every
section (inhoud/model.py), the key findings and the trail of every figure.

It computes; it does not show. The notebook shows it through weergave/verslag.py, and the
files drawn from it (herkomst.csv, tabellen.xlsx, the memo) are written by bouw/modelbestanden.py
in the same kernel.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import pandas as pd

from jaarverslag import paths
from jaarverslag.errors import ParameterFout
from jaarverslag.inhoud import (
    boodschap,
    findings,
    geheim,
    herzieningen,
    indicators,
    kerncijfers,
    model,
    regio,
    regiocijfers,
    soorten,
    vergelijking,
)
from jaarverslag.inhoud.celtekst import voetnoten
from jaarverslag.inhoud.herkomst import Cijfer, Herkomst
from jaarverslag.invoer import huisstijl, redactie, uitgaven
from jaarverslag.invoer.definitie import Section, Verslag, verslag
from jaarverslag.invoer.loading import load_tables
from jaarverslag.invoer.params import default_report, load_params, params_path
from jaarverslag.invoer.paramsmodel import is_regio
from jaarverslag.invoer.schema import schema


@dataclass
class Rapport:
    params: dict
    tables: dict[str, pd.DataFrame]
    validatie: dict = field(default_factory=dict)
    herkomst: Herkomst | None = None
    verslagdefinitie: Verslag | None = None  # the report definition (data/verslag.yaml and the gemeente's own)
    onderdrukking: geheim.Onderdrukking | None = None  # small counts not published (params kleine_aantallen)
    regio: object | None = None  # a region's report: its gemeenten side by side (regio.Regio)
    _kernpunten: list | None = field(default=None, repr=False)
    _tabellen: dict = field(default_factory=dict, repr=False)  # section -> its tables (the report model)
    _vergelijkingen: dict = field(default_factory=dict, repr=False)  # section -> a region's gemeenten side by side
    _kerncijfers: tuple | None = field(default=None, repr=False)  # (the Kerncijfers page's table, or None)
    _vorige: tuple | None = field(default=None, repr=False)  # (the edition this one replaces, or None)
    _redactie: redactie.Redactie | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.herkomst is None:  # tables without their files' lines: figures are not traced
            self.herkomst = Herkomst.van(self.params["gemeente"], {})
        if self.verslagdefinitie is None:
            self.verslagdefinitie = verslag(self.params["gemeente"])
        if self.onderdrukking is None:
            self.onderdrukking = geheim.bepaal(self.tables, self.params["kleine_aantallen"])
        self.publiek = geheim.gepubliceerd(self.tables, self.onderdrukking)  # what charts and findings see

    @classmethod
    def laad(
        cls,
        gemeente: str,
        schooljaar: str,
        aantal_jaren: int | None = None,
        validatie: dict | None = None,
        invoer: dict[str, str] | None = None,
    ):
        """Load params and tables; with `invoer` ({file: sha256} as the build validated them),
        only when every file still holds exactly those bytes."""
        for name, value in (("validatie", validatie), ("invoer", invoer)):
            if value is not None and not isinstance(value, dict):
                kind = {str: "een tekst", list: "een lijst", int: "een getal", float: "een getal"}.get(type(value))
                raise ParameterFout(
                    f"De notebookparameter '{name}' is geen tabel van sleutels en waarden (gegeven: "
                    f"{kind or 'iets anders'}); laat hem weg, of geef hem zoals de build dat doet."
                )
        if not invoer:  # a validation result counts only with the sha256 of the bytes it checked
            validatie = {}
        gemeente, schooljaar = default_report(gemeente, schooljaar)
        where = paths.relative(params_path(gemeente, schooljaar))
        params = load_params(gemeente, schooljaar, verwacht=invoer.get(where, "") if invoer else None)
        if aantal_jaren:
            params["aantal_jaren"] = int(aantal_jaren)
        if is_regio(params):
            return cls.uit(params, regio.laad(params, verwacht=invoer or None), validatie, invoer)
        return cls.uit(params, load_tables(gemeente, verwacht=invoer or None), validatie, invoer)

    @classmethod
    def uit(
        cls, params: dict, tables: dict[str, pd.DataFrame], validatie: dict | None = None, invoer: dict | None = None
    ):
        """A report from params and tables already loaded, with the derived indicator tables.

        With tables as `load_tables` returns them (with their sha256 and line numbers), every
        printed figure can be traced to its cell (see herkomst.py). A region's report gets every
        gemeente's tables (regio.Gemeenten) and shows the region's sums."""
        if is_regio(params):
            return cls._regio(params, tables, validatie, invoer)
        herkomst = Herkomst.van(params["gemeente"], tables, invoer)
        report = verslag(params["gemeente"])
        return cls(params, indicators.met_afgeleide(tables, report.afgeleid), validatie or {}, herkomst, report)

    @classmethod
    def _regio(cls, params: dict, gemeenten, validatie: dict | None, invoer: dict | None):
        dekking = regio.meegeteld(params, gemeenten)
        report = verslag(params["gemeente"])
        tables = regiocijfers.regio_tabellen(gemeenten, dekking, report.afgeleid)
        herkomst, leden = regiocijfers.herkomst(params, gemeenten, tables, dekking, invoer)
        hidden = regiocijfers.onderdrukking(params, tables, gemeenten, dekking)
        rapport = cls(params, tables, validatie or {}, herkomst, report, hidden)
        rapport.regio = regio.Regio.uit(params, gemeenten, dekking, leden)
        return rapport

    @property
    def schooljaar(self) -> str:
        return self.params["schooljaar"]

    @property
    def redactie(self) -> redactie.Redactie:
        """The voorwoord and the stories of this report (params/<gemeente>/<schooljaar>/, invoer/redactie.py)."""
        if self._redactie is None:
            places = redactie.plekken(self.verslagdefinitie.hoofdstukken)
            self._redactie = redactie.lees(self.params["gemeente"], self.schooljaar, places)
        return self._redactie

    @cached_property
    def huisstijl(self) -> huisstijl.Huisstijl:
        """The gemeente's logo, colours and font (data/<gemeente>/huisstijl.yaml, invoer/huisstijl.py)."""
        return huisstijl.lees(self.params["gemeente"])

    def kernpunt_lijst(self) -> list[findings.Kernpunt]:
        """The key points of the year, most telling first (boodschap.py: per topic, every chapter before
        any second), each with its rules and the figures it compared."""
        if self._kernpunten is None:
            found = findings.kernpunten(
                self.publiek,
                self.schooljaar,
                self.params["marge_landelijk"],
                self.verslagdefinitie.regels,
                self.herkomst.zoeker(),
                self.params["aantal_jaren"],
            )
            if self.regio:
                found += vergelijking.kernpunten(self)
            ranked = boodschap.punten(found, self.verslagdefinitie)
            self._kernpunten = [findings.met_status(k) for k in ranked]
        return self._kernpunten

    # --- sections ---------------------------------------------------------------

    def definitie(self, key: str, als_regio: bool = True) -> Section:
        """A section as this report shows it: a derived indicator's columns are named by what
        the reported year's figure is (the official indicator or an approximation); a region's
        own figures leave out what it cannot compute (`als_regio`), its gemeenten side by side
        show every column."""
        section = self.verslagdefinitie.secties[key]
        if self.regio and als_regio:
            section = regiocijfers.regio_sectie(section)
        if section.tabel not in indicators.AFGELEID:
            return section
        frame = self.tables[section.tabel]
        return replace(section, kolommen={c: indicators.label(frame, c, self.schooljaar) for c in section.kolommen})

    def hoofdstuk_secties(self, hoofdstuk: str) -> list[str]:
        return self.verslagdefinitie.secties_van(hoofdstuk)

    def kolom_label(self, tabel: str, kolom: str) -> str:
        """A column's name in this report: the schema's label (a derived figure's name this year)."""
        if tabel in indicators.AFGELEID:
            return indicators.label(self.tables[tabel], kolom, self.schooljaar)
        return schema()[tabel].columns.get(kolom, {}).get("label") or kolom.replace("_", " ").capitalize()

    def shown(self, section: Section) -> pd.DataFrame:
        """The rows a section shows (raw columns); empty when there is nothing to show."""
        return soorten.van(section).rijen(self, section)

    def tabellen(self, key: str) -> list[model.Tabel]:
        """The tables a section prints (the report model), computed once per section."""
        if key not in self._tabellen:
            self._tabellen[key] = soorten.tabellen(self, self.definitie(key))
        return self._tabellen[key]

    def kerncijfertabel(self) -> model.Tabel | None:
        """The Kerncijfers page as the report model (inhoud/kerncijfers.py), computed once; None without
        kerncijfers in params. Its HTML, its trail and the directions a later edition compares are views."""
        if self._kerncijfers is None:
            self._kerncijfers = (kerncijfers.tabel(self),)
        return self._kerncijfers[0]

    def vergelijking(self, key: str, maak) -> model.Tabel:
        """A region's gemeenten side by side for a section (inhoud/vergelijking.py), made once by `maak`."""
        if key not in self._vergelijkingen:
            self._vergelijkingen[key] = maak()
        return self._vergelijkingen[key]

    def excelblad(self, key: str) -> pd.DataFrame:
        """A section's tables for Excel: Dutch column names, numbers as numbers, and a figure that is
        not published as the text the report prints instead ('< 5', 'x')."""
        section, tables = self.definitie(key), self.tabellen(key)
        return soorten.van(section).excel(section, tables) if tables else soorten.van(section).leeg_excel(self, section)

    # --- tables -------------------------------------------------------------------

    # --- charts (the tables are the report model's, see model.py) -------------------

    def voetnoten(self, section: Section, row: pd.Series) -> list[str]:
        """The row's footnotes from the data as the report prints them: left out, with a sentence that
        says why, when the row holds a figure that is not published (a note may name its count)."""
        own = voetnoten(section, row)
        if own and self.onderdrukking.in_rij(section.tabel, geheim.sleutel(section.tabel, row)):
            return [geheim.NOOT_WEGGELATEN]
        return own

    def rij_noten(self, section: Section, row: pd.Series) -> list[str]:
        """The row's footnote from the data, and a pointer for every warning about this row."""
        own = self.voetnoten(section, row)
        flagged = [
            f"Controle: {w['regel'][0].lower()}{w['regel'][1:]} Het cijfer is overgenomen zoals de bron het geeft; zie Datakwaliteit."
            for w in self.validatie.get("waarschuwingen", [])
            if w["tabel"] == section.tabel
            and w["schooljaar"] == row["schooljaar"]
            and all(str(row.get(k)) == v for k, v in w.get("sleutel", {}).items())
        ]
        return own + flagged

    def onderschrift_jaar(self, section: Section) -> str:
        return f"{section.titel}, schooljaar {self.schooljaar}"

    # --- where each printed figure comes from ---------------------------------------

    def cijfers(self, key: str) -> list[Cijfer]:
        """Every figure the section's tables print, with its source cell or formula, in table order
        (with their true values, also where the council reads '< 5')."""
        figures = [c for t in self.tabellen(key) for c in t.cijfers(key)]
        if self.regio:
            figures += vergelijking.cijfers(self, self.definitie(key, als_regio=False))
        return figures

    # --- data quality -------------------------------------------------------------

    @property
    def gecontroleerd(self) -> bool:
        """Whether the build validated the inputs and passed their sha256 (never when the notebook
        runs by hand, in JupyterLab or with papermill without `validatie`)."""
        return bool(self.validatie)

    # --- editions -------------------------------------------------------------------

    def vorige_uitgave(self) -> uitgaven.Uitgave | None:
        """The edition this one replaces (an earlier date of the same gemeente and school year)."""
        if self._vorige is None:
            target = paths.REPORTS / self.params["gemeente"] / self.schooljaar
            self._vorige = (uitgaven.vorige(target, self.params["datum"]),)
        return self._vorige[0]

    def herzieningen(self) -> list[herzieningen.Herziening]:
        """Every figure and key finding that differs from the edition this one replaces."""
        vorige = self.vorige_uitgave()
        return herzieningen.lijst(self, vorige) if vorige else []
