"""The content of one report (gemeente x schooljaar) as HTML fragments for the notebook.

A notebook cell calls e.g. `rapport.sectie("leerplichtigen")`; the result renders as
HTML in Jupyter, in nbconvert's HTML and so in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from jaarverslag import paths
from jaarverslag.errors import ParameterFout
from jaarverslag.formatting import ONTBREEKT, getal, is_missing
from jaarverslag.inhoud import findings, geheim, indicators, model, regio
from jaarverslag.inhoud.datakwaliteit import KWALITEIT_ONDERSCHRIFT
from jaarverslag.inhoud.opmaak import column_spec, format_value, opsomming, voetnoten
from jaarverslag.invoer.definitie import Section, Verslag, anker, verslag
from jaarverslag.invoer.loading import load_tables
from jaarverslag.invoer.params import default_report, load_params, params_path
from jaarverslag.invoer.schema import schema
from jaarverslag.spoor.herkomst import Cijfer, Herkomst
from jaarverslag.weergave.html import (
    Fragment,
    charts_module,
    esc,
    figure_html,
    markdown,
    sjabloon,
    table_html,
)

GEEN_GEGEVENS = "Voor schooljaar {jaar} zijn geen gegevens over dit onderwerp beschikbaar."
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

    def __post_init__(self):
        if self.herkomst is None:  # tables without their files' lines: figures are not traced
            self.herkomst = Herkomst.van(self.params["gemeente"], {})
        if self.verslagdefinitie is None:
            self.verslagdefinitie = verslag(self.params["gemeente"])
        if self.onderdrukking is None:
            self.onderdrukking = geheim.bepaal(self.tables, self.params.get("kleine_aantallen", 0))
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
        if regio.is_regio(params):
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
        if regio.is_regio(params):
            return cls._regio(params, tables, validatie, invoer)
        herkomst = Herkomst.van(params["gemeente"], tables, invoer)
        report = verslag(params["gemeente"])
        return cls(params, indicators.met_afgeleide(tables, report.afgeleid), validatie or {}, herkomst, report)

    @classmethod
    def _regio(cls, params: dict, gemeenten, validatie: dict | None, invoer: dict | None):
        dekking = regio.meegeteld(params, gemeenten)
        report = verslag(params["gemeente"])
        tables = regio.regio_tabellen(gemeenten, dekking, report.afgeleid)
        herkomst, leden = regio.herkomst(params, gemeenten, tables, dekking, invoer)
        hidden = regio.onderdrukking(params, tables, gemeenten, dekking)
        rapport = cls(params, tables, validatie or {}, herkomst, report, hidden)
        rapport.regio = regio.Regio.uit(params, gemeenten, dekking, leden)
        return rapport

    @property
    def schooljaar(self) -> str:
        return self.params["schooljaar"]

    # --- the auditor's view (shown in the executed notebook, not in HTML or PDF) ------

    def audit(self) -> Fragment:
        """Parameters, input files with their sha256, and the validation summary."""
        from jaarverslag.spoor.manifest import input_paths, sha256

        params = "".join(
            f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in self.params.items() if k != "teksten"
        )
        files = "".join(
            f'<tr><th scope="row">{esc(paths.relative(p))}</th><td><code>{sha256(p)}</code></td></tr>'
            for p in input_paths(self.params["gemeente"], self.schooljaar)
            if p.exists()
        )
        v = self.validatie
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

    # --- the auditor's trail per section (cells tagged `spoor`; see spoor/cellen.py) ---------

    def spoor(self, key: str) -> None:
        """Show the section's source rows, the derivation of its figures and its checks."""
        from jaarverslag.spoor import cellen

        cellen.toon_sectie(self, key)

    def spoor_kernpunten(self) -> None:
        """Show each key finding's rule and the figures it compared."""
        from jaarverslag.spoor import cellen

        cellen.toon_kernpunten(self)

    def spoor_kerncijfers(self) -> None:
        """Show where every figure of the Kerncijfers page comes from."""
        from jaarverslag.inhoud import kerncijfers
        from jaarverslag.spoor import cellen

        cellen.toon_cijfers("Kerncijfers", kerncijfers.cijfers(self))

    def spoor_datakwaliteit(self) -> None:
        """Show every suite's result and where the figures of the data-quality table come from."""
        from jaarverslag.spoor import cellen

        cellen.toon_datakwaliteit(self)

    # --- text -----------------------------------------------------------------

    def tekst(self, plek: str) -> Fragment:
        """An optional Markdown text block from params, placed at a fixed spot."""
        text = self.params["teksten"].get(plek)
        return Fragment(f'<div class="tekstblok">{markdown(text)}</div>' if text else "")

    def titelblok(self) -> Fragment:
        p = self.params
        wie = esc(p["gemeentenaam"]) if self.regio else f"Gemeente {esc(p['gemeentenaam'])}"
        leden = f'<p class="schooljaar">{esc(opsomming(list(self.regio.namen.values())))}</p>' if self.regio else ""
        return Fragment(
            '<header class="titelblok">'
            f'<p class="gemeente">{wie}</p>'
            f"{leden}"
            f"<h1>{esc(p['titel'])}</h1>"
            f'<p class="schooljaar">Schooljaar {esc(p["schooljaar"])}</p>'
            f'<p class="datum">{esc(findings.datum_nl(p["datum"]))}</p>'
            + ("" if self.gecontroleerd else '<p class="waarschuwing">Niet gecontroleerd: niet voor de raad.</p>')
            + "</header>"
        )

    def kerncijfers(self) -> Fragment:
        """One page with the year's key figures (params: kerncijfers), as a real table."""
        from jaarverslag.inhoud import kerncijfers

        model_tabel = kerncijfers.tabel(self)
        if model_tabel is None:
            return Fragment("")
        intro = (
            f"<p>De belangrijkste cijfers van schooljaar {esc(self.schooljaar)}, naast die van het jaar ervoor. "
            "Een pijl en een woord geven de richting; de toelichting staat bij elk onderwerp verderop.</p>"
        )
        table = self._tabel_html(model_tabel)
        if self.regio:
            from jaarverslag.inhoud import vergelijking

            tables = dict.fromkeys(e["tabel"] for e in self.params["kerncijfers"])
            table += "".join(vergelijking.zonder_noot(self, t) for t in tables)
        return Fragment(
            f'<section class="kerncijferpagina" id="kerncijfers"><h2>Kerncijfers</h2>{intro}{table}</section>'
        )

    def inhoudsopgave(self) -> Fragment:
        """Table of contents: chapters and their sections (page numbers in the PDF)."""
        items = ['<li><a href="#inleiding">Inleiding</a></li>']
        if self.params.get("kerncijfers"):
            items.insert(0, '<li><a href="#kerncijfers">Kerncijfers</a></li>')
        for hoofdstuk, keys in self.verslagdefinitie.hoofdstukken:
            sub = "".join(
                f'<li><a href="#{esc(k)}">{esc(self.verslagdefinitie.secties[k].titel)}</a></li>' for k in keys
            )
            items.append(f'<li><a href="#{esc(anker(hoofdstuk))}">{esc(hoofdstuk)}</a><ol>{sub}</ol></li>')
        items += [
            '<li><a href="#datakwaliteit">Datakwaliteit</a></li>',
            '<li><a href="#verantwoording">Verantwoording</a></li>',
        ]
        return Fragment(
            f'<nav class="inhoud" aria-labelledby="inhoud-kop"><h2 id="inhoud-kop">Inhoud</h2><ol>{"".join(items)}</ol></nav>'
        )

    def inleiding(self) -> Fragment:
        return Fragment('<h2 id="inleiding">Inleiding</h2>' + str(self.tekst("inleiding")) + str(self.kernpunten()))

    def kernpunt_lijst(self) -> list[findings.Kernpunt]:
        """The key findings of the year, most notable first, each with its rule and the figures it compared."""
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
                from jaarverslag.inhoud import vergelijking

                found += vergelijking.kernpunten(self)
            self._kernpunten = findings.gerangschikt(found)
        return self._kernpunten

    def kernpunten(self) -> Fragment:
        """The most notable findings in the introduction; every section shows its own."""
        items = self.kernpunt_lijst()
        if not items:
            return Fragment("")
        shown = items[: findings.INLEIDING]
        more = "<p>De andere kernpunten staan bij hun onderwerp.</p>" if len(items) > len(shown) else ""
        return Fragment('<h3 id="kernpunten">Kernpunten</h3>' + self._finding_list(shown, "kernpunten") + more)

    def _finding_list(self, items: list[findings.Kernpunt], css: str) -> str:
        body = "".join(f"<li>{esc(item.tekst)}</li>" for item in items)
        return f'<p>Het valt op dat in schooljaar {esc(self.schooljaar)}:</p><ul class="{css}">{body}</ul>'

    def sectie_kernpunten(self, section: Section) -> str:
        """The findings about the figures of a section, at its head."""
        own = [k for k in self.kernpunt_lijst() if k.tabel == section.tabel and k.kolom in section.kolommen]
        return f'<div class="sectiepunten">{self._finding_list(own, "punten")}</div>' if own else ""

    # --- sections ---------------------------------------------------------------

    def definitie(self, key: str, als_regio: bool = True) -> Section:
        """A section as this report shows it: a derived indicator's columns are named by what
        the reported year's figure is (the official indicator or an approximation); a region's
        own figures leave out what it cannot compute (`als_regio`), its gemeenten side by side
        show every column."""
        section = self.verslagdefinitie.secties[key]
        if self.regio and als_regio:
            section = regio.regio_sectie(section)
        if section.tabel not in indicators.AFGELEID:
            return section
        frame = self.tables[section.tabel]
        return replace(section, kolommen={c: indicators.label(frame, c, self.schooljaar) for c in section.kolommen})

    def sectie(self, key: str) -> Fragment:
        """A section: its head (heading, findings, explanation, text and first chart, kept on one
        page in print), then its tables and, in a region, the gemeenten side by side."""
        section = self.definitie(key)
        if section.kolommen:
            chart, rest = _first_chart(self._section_body(section) + self._zonder_noot(section))
            rest += self._vergelijking(key)
        else:  # a region without a figure of its own: the gemeenten side by side open the section
            chart, rest = self._geen_regiocijfer(key) + self._vergelijking(key), ""
        head = [f"<h3>{esc(section.titel)}</h3>", self.sectie_kernpunten(section)]
        head.append(f'<p class="uitleg">{esc(section.uitleg)}</p>' if section.uitleg else "")
        head += [str(self.tekst(key)), chart]
        return Fragment(
            f'<section class="sectie" id="{esc(key)}"><div class="sectiekop">{"".join(head)}</div>{rest}</section>'
        )

    def _zonder_noot(self, section: Section) -> str:
        from jaarverslag.inhoud import vergelijking

        return vergelijking.zonder_noot(self, section.tabel) if self.regio else ""

    def _vergelijking(self, key: str) -> str:
        """A region's gemeenten side by side for the reported year (vergelijking.py)."""
        if not self.regio:
            return ""
        from jaarverslag.inhoud import vergelijking

        return vergelijking.html(self, self.definitie(key, als_regio=False))

    def _geen_regiocijfer(self, key: str) -> str:
        """A region's section none of whose figures the region can compute: why there is no trend."""
        from jaarverslag.inhoud import vergelijking

        return vergelijking.geen_regiocijfer(self, self.definitie(key, als_regio=False))

    def hoofdstuk_secties(self, hoofdstuk: str) -> list[str]:
        return self.verslagdefinitie.secties_van(hoofdstuk)

    def hoofdstukken(self) -> Fragment:
        """Every chapter with its text and sections, in one cell (for running the notebook by hand;
        the build gives each section its own cells, with the auditor's trail before it)."""
        parts = [
            f'<h2 id="{esc(anker(title))}">{esc(title)}</h2>{self.tekst(anker(title))}'
            + "".join(str(self.sectie(key)) for key in keys)
            for title, keys in self.verslagdefinitie.hoofdstukken
        ]
        return Fragment("".join(parts))

    def kolom_label(self, tabel: str, kolom: str) -> str:
        """A column's name in this report: the schema's label (a derived figure's name this year)."""
        if tabel in indicators.AFGELEID:
            return indicators.label(self.tables[tabel], kolom, self.schooljaar)
        return schema()[tabel].columns.get(kolom, {}).get("label") or kolom.replace("_", " ").capitalize()

    def shown(self, section: Section) -> pd.DataFrame:
        """The rows a section shows (raw columns); empty when there is nothing to show."""
        frame = self.tables[section.tabel]
        if section.soort in ("verdeling", "uitsplitsing"):
            return frame[frame["schooljaar"] == self.schooljaar].reset_index(drop=True)
        if section.soort == "per_groep":
            groups = [g for g in section.groep_labels if g in set(frame[section.groep])]
            parts = [
                indicators.window(
                    frame[frame[section.groep] == g].drop(columns=section.groep),
                    self.schooljaar,
                    self.params["aantal_jaren"],
                ).assign(**{section.groep: g})
                for g in groups
            ]
            return pd.concat(parts, ignore_index=True) if parts else frame.iloc[0:0]
        shown = indicators.window(frame, self.schooljaar, self.params["aantal_jaren"])
        return shown.iloc[0:0] if shown[list(section.kolommen)].isna().all().all() else shown

    def tabellen(self, key: str) -> list[model.Tabel]:
        """The tables a section prints (the report model), computed once per section."""
        if key not in self._tabellen:
            self._tabellen[key] = model.tabellen(self, self.definitie(key))
        return self._tabellen[key]

    def cijferblad(self, key: str) -> pd.DataFrame:
        """The data step of a section in the notebook: its model, every published figure with its
        printed text, its true value and its source or formula (the trail and the display follow)."""
        return model.blad(self.tabellen(key))

    def _section_body(self, section: Section) -> str:
        tables = self.tabellen(section.key)
        if not tables:
            return self._no_data()
        shown = geheim.verberg(section.tabel, self.shown(section), self.onderdrukking)  # what charts may show
        return self._chart(section, shown) + "".join(self._tabel_html(t) for t in tables)

    def _chart(self, section: Section, shown: pd.DataFrame) -> str:
        if section.soort == "verdeling":
            return self._distribution_chart(section, shown)
        if section.soort == "uitsplitsing":
            return self._breakdown_chart(section, shown.iloc[0])
        if section.soort == "per_groep":
            return self._per_group_chart(section, shown)
        return self._chart_figure(section, shown)

    def _tabel_html(self, tabel: model.Tabel) -> str:
        return sjabloon(
            "tabel.html.j2",
            tabel=tabel,
            drempel=getal(self.onderdrukking.drempel),
            ontbreekt=ONTBREEKT,
            geheim=geheim.GEHEIM,
            geen_gegevens=regio.GEEN_GEGEVENS,
        )

    def tabel(self, key: str) -> pd.DataFrame:
        """A section's tables for Excel: Dutch column names, numbers as numbers, and a figure that is
        not published as the text the report prints instead ('< 5', 'x')."""
        section, tables = self.definitie(key), self.tabellen(key)
        if tables:
            return model.excel(section, tables)
        if section.soort == "uitsplitsing":
            return pd.DataFrame(
                {"Uitkomst": list(section.kolommen.values()), "Aantal": [pd.NA] * len(section.kolommen)}
            )
        group = [self.kolom_label(section.tabel, section.groep)] if section.groep else []
        return pd.DataFrame(columns=["Schooljaar", *group, *section.kolommen.values()])

    def _legenda(self, hidden: bool) -> str:
        """Under a table with figures that are not published: what '< 5' and 'x' mean."""
        if not hidden:
            return ""
        n = getal(self.onderdrukking.drempel)
        return (
            f'<p class="noot-ontbreekt">&lt; {n} = een aantal kleiner dan {n}; {geheim.GEHEIM} = berekend uit zo\'n '
            "aantal, of weggelaten omdat het anders uit een totaal terug te rekenen is. Zie Verantwoording.</p>"
        )

    def _no_data(self) -> str:
        return f'<p class="geen-gegevens">{esc(GEEN_GEGEVENS.format(jaar=self.schooljaar))}</p>'

    # --- tables -------------------------------------------------------------------

    # --- charts (the tables are the report model's, see model.py) -------------------

    def _row_notes(self, section: Section, row: pd.Series) -> list[str]:
        """The row's footnote from the data, and a pointer for every warning about this row."""
        own = voetnoten(section, row)
        flagged = [
            f"Controle: {w['regel'][0].lower()}{w['regel'][1:]} Het cijfer is overgenomen zoals de bron het geeft; zie Datakwaliteit."
            for w in self.validatie.get("waarschuwingen", [])
            if w["tabel"] == section.tabel
            and w["schooljaar"] == row["schooljaar"]
            and all(str(row.get(k)) == v for k, v in w.get("sleutel", {}).items())
        ]
        return own + flagged

    def _per_group_chart(self, section: Section, shown: pd.DataFrame) -> str:
        labelled = shown.assign(**{section.groep: shown[section.groep].map(section.groep_labels)})
        if not _heeft_cijfers(labelled, self._labels(section)):  # a chart of hidden figures only is left out
            return ""
        chart = charts_module().lines_per_group(labelled, section.groep, self._labels(section), section.eenheid)
        return figure_html(chart, _alt_per_group(section, labelled))

    def _distribution_chart(self, section: Section, rows: pd.DataFrame) -> str:
        labelled = rows.assign(categorie=rows[section.groep].map(section.groep_labels))
        chart = charts_module().bars(labelled, "categorie", self._labels(section), section.eenheid, xlabel="")
        return figure_html(chart, _alt_categories(section, labelled, "categorie"))

    def _breakdown_chart(self, section: Section, row: pd.Series) -> str:
        printed_by_label = {r.label: r.figuren[0].tekst for r in self.tabellen(section.key)[0].rijen}
        labels = [section.kolommen[c] for c in section.grafiek_kolommen]
        values = [row[c] for c in section.grafiek_kolommen]
        printed = [printed_by_label[label] for label in labels]
        geheel = _alle_aantallen(section, section.grafiek_kolommen)
        chart = charts_module().horizontal_bars(labels, values, f"Aantal {section.eenheid}", printed, geheel)
        alt = (
            f"Liggend staafdiagram: {section.titel.lower()} in schooljaar {self.schooljaar}. "
            + "; ".join(f"{label}: {text}" for label, text in zip(labels, printed, strict=True))
            + ". De cijfers staan ook in de tabel hieronder."
        )
        return figure_html(chart, alt)

    def _caption_year(self, section: Section) -> str:
        return f"{section.titel}, schooljaar {self.schooljaar}"

    # --- where each printed figure comes from ---------------------------------------

    def cijfers(self, key: str) -> list[Cijfer]:
        """Every figure the section's tables print, with its source cell or formula, in table order
        (with their true values, also where the council reads '< 5')."""
        figures = [c for t in self.tabellen(key) for c in t.cijfers(key)]
        if self.regio:
            from jaarverslag.inhoud import vergelijking

            figures += vergelijking.cijfers(self, self.definitie(key, als_regio=False))
        return figures

    def _labels(self, section: Section) -> dict[str, str]:
        return _chart_labels(section, self.params["gemeentenaam"])

    def _chart_figure(self, section: Section, shown: pd.DataFrame) -> str:
        labels = self._labels(section)
        if not _heeft_cijfers(shown, labels):
            return ""
        if section.grafiek == "lijn":
            svg = charts_module().lines(shown, labels, section.eenheid, 0 if _alle_aantallen(section, labels) else 1)
        elif section.grafiek == "gestapeld":
            svg = charts_module().stacked_bars(shown, labels, section.eenheid)
        else:
            svg = charts_module().bars(shown, "schooljaar", labels, section.eenheid)
        return figure_html(svg, _alt_series(section, shown, labels))

    # --- data quality -------------------------------------------------------------

    @property
    def gecontroleerd(self) -> bool:
        """Whether the build validated the inputs and passed their sha256 (never when the notebook
        runs by hand, in JupyterLab or with papermill without `validatie`)."""
        return bool(self.validatie)

    def datakwaliteit(self) -> Fragment:
        heading = '<h2 id="datakwaliteit">Datakwaliteit</h2>'
        if not self.gecontroleerd:
            return Fragment(heading + f'<p class="niet-gecontroleerd">{esc(NIET_GECONTROLEERD)}</p>')
        warnings = self.validatie.get("waarschuwingen", [])
        if not warnings:
            return Fragment(heading + "<p>De controles op de invoergegevens vonden geen onvolkomenheden.</p>")
        from jaarverslag.inhoud.datakwaliteit import plaats

        head = "".join(f'<th scope="col">{h}</th>' for h in ("Tabel", "Schooljaar", "Wat er niet klopt"))
        body = [
            f'<tr><th scope="row">{esc(w["titel"])}</th><td>{esc(plaats(w))}</td>'
            f"<td>{esc(self._kwaliteitszin(w))}</td></tr>"
            for w in warnings
        ]
        intro = (
            f"<p>De controles vonden {len(warnings)} {'onvolkomenheid' if len(warnings) == 1 else 'onvolkomenheden'} "
            "in de brongegevens. De cijfers zijn overgenomen zoals de bron ze geeft; "
            "ze zijn niet met de hand verbeterd.</p>"
        )
        return Fragment(heading + intro + table_html(KWALITEIT_ONDERSCHRIFT, head, body, extra_class="datakwaliteit"))

    def _kwaliteitszin(self, bevinding: dict) -> str:
        """A warning in words; without its figures when one of them is a count below the threshold,
        or the row holds a figure that is not published."""
        n = self.onderdrukking.drempel
        small = [v for v in (bevinding.get("waarden") or {}).values() if _is_count(v) and 0 < float(v) < n]
        if not small and not self._verborgen_rij(bevinding):
            from jaarverslag.inhoud.datakwaliteit import zin

            return zin(bevinding, self.herkomst).tekst
        return f"{bevinding['regel']} De cijfers zelf zijn kleiner dan {getal(n)} en worden niet gepubliceerd."

    def _verborgen_rij(self, bevinding: dict) -> bool:
        """Whether a table the warning's check read holds a hidden figure in the warning's school year."""
        from jaarverslag.controle.validation import tabellen_van_suite

        if not self.onderdrukking:
            return False
        place = f"{bevinding['gemeente']}/" if bevinding.get("gemeente") else ""
        tables = {place + t for t in tabellen_van_suite(bevinding["tabel"])}
        hidden = self.onderdrukking.aantallen | self.onderdrukking.afgeleid
        return any(t in tables and k[0] == bevinding["schooljaar"] for t, k, _ in hidden)  # that year: to be safe

    def _geheimhouding(self) -> str:
        """The rule for small counts, when params switch it on."""
        n = self.onderdrukking.drempel
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
            + (REGIO_GEHEIM if self.regio else "")
        )

    def verantwoording(self) -> Fragment:
        """Sources and definitions of every table, from the data dictionary."""
        entries = []
        for table in (schema()[name] for name in self.verslagdefinitie.tabellen):
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
            if self.gecontroleerd
            else f"<p>Alle cijfers komen uit de invoertabellen in de map data/ van dit project. {esc(NIET_GECONTROLEERD)}</p>"
        )
        return Fragment(
            f'<h2 id="verantwoording">Verantwoording</h2>{intro}{self._regio_uitleg()}{self._geheimhouding()}'
            f"{self._weggelaten()}"
            f'<dl class="verantwoording">{"".join(entries)}</dl>'
        )

    def _regio_uitleg(self) -> str:
        if not self.regio:
            return ""
        from jaarverslag.inhoud import vergelijking

        return vergelijking.verantwoording(self)

    def _weggelaten(self) -> str:
        """Which sections of the project's definition this gemeente left out: a choice, never silent."""
        left_out = self.verslagdefinitie.weggelaten
        if not left_out:
            return ""
        where = paths.relative(self.verslagdefinitie.bestanden[-1])  # the gemeente's own, else the project's
        items = "".join(f"<li>{esc(s.titel)}</li>" for s in left_out)
        return (
            f"<p>Dit verslag laat {len(left_out)} {'onderwerp' if len(left_out) == 1 else 'onderwerpen'} "
            f"van de standaardopzet weg (gekozen in {esc(where)}):</p>"
            f'<ul class="weggelaten">{items}</ul>'
        )


# --- helpers -------------------------------------------------------------------------


def _alle_aantallen(section: Section, columns) -> bool:
    """Whether every plotted column is a count (whole-number ticks on the axis)."""
    return all(column_spec(section.tabel, c)["type"] == "aantal" for c in columns)


def _first_chart(body: str) -> tuple[str, str]:
    """A section body split after its opening chart (('', body) when it opens with something else)."""
    end = body.find("</figure>") + len("</figure>") if body.startswith("<figure") else 0
    return body[:end], body[end:]


def _heeft_cijfers(frame: pd.DataFrame, labels: dict[str, str]) -> bool:
    """Whether a chart would show anything: a figure not published is empty in the published rows."""
    return bool(frame[list(labels)].notna().any().any())


def _is_count(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()


def _chart_labels(section: Section, gemeentenaam: str = "") -> dict[str, str]:
    """Legend labels: the section's chart labels (with the gemeente's name) or its column labels."""
    columns = section.grafiek_kolommen or tuple(section.kolommen)
    labels = {**section.kolommen, **section.grafiek_labels}
    return {c: labels[c].format(gemeente=gemeentenaam) for c in columns}


def _describe(section: Section, column: str, values: pd.Series, years: list[str]) -> str:
    known = [(y, v) for y, v in zip(years, values, strict=True) if not is_missing(v)]
    if not known:
        return f"{section.kolommen[column]}: geen cijfers"
    (y0, v0), (y1, v1) = known[0], known[-1]
    fmt = lambda v: format_value(section.tabel, column, v)  # noqa: E731
    if y0 == y1:
        return f"{section.kolommen[column]}: {fmt(v1)} in {y1}"
    return f"{section.kolommen[column]}: van {fmt(v0)} in {y0} naar {fmt(v1)} in {y1}"


def _alt_series(section: Section, shown: pd.DataFrame, labels: dict[str, str]) -> str:
    years = shown["schooljaar"].tolist()
    kind = {"lijn": "Lijndiagram", "gestapeld": "Gestapeld staafdiagram"}.get(section.grafiek, "Staafdiagram")
    parts = "; ".join(_describe(section, c, shown[c], years) for c in labels)
    return f"{kind} van {section.titel.lower()} per schooljaar, {years[0]} tot en met {years[-1]}. {parts}. De cijfers staan ook in de tabel hieronder."


def _alt_per_group(section: Section, labelled: pd.DataFrame) -> str:
    parts = []
    for name, part in labelled.groupby(section.groep, sort=False):
        years = part["schooljaar"].tolist()
        parts.append(f"{name}: " + ", ".join(_describe(section, c, part[c], years) for c in _chart_labels(section)))
    return (
        f"Lijndiagrammen van {section.titel.lower()}, gemeente tegenover landelijk. "
        + "; ".join(parts)
        + ". De cijfers staan ook in de tabellen hieronder."
    )


def _alt_categories(section: Section, labelled: pd.DataFrame, column: str) -> str:
    parts = [
        f"{row[column]}: "
        + ", ".join(
            f"{section.kolommen[c].lower()} {format_value(section.tabel, c, row[c])}" for c in _chart_labels(section)
        )
        for _, row in labelled.iterrows()
    ]
    return (
        f"Staafdiagram van {section.titel.lower()}. "
        + "; ".join(parts)
        + ". De cijfers staan ook in de tabel hieronder."
    )


__all__ = ["Rapport", "Fragment"]
