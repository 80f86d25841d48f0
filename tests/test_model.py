"""The report model: a section's printed figures computed once; HTML, Excel, herkomst and alt text are views."""

from __future__ import annotations

from dataclasses import replace

from bs4 import BeautifulSoup

from jaarverslag.inhoud.model import Figuur, Tabel
from jaarverslag.inhoud.report import Rapport
from jaarverslag.weergave.verslag import Verslag

KEY = "huisbezoeken"  # a breakdown: its chart's alt text is drawn from the model too


def _changed(rapport: Rapport, key: str, row: str, value: int) -> Tabel:
    """Replace one figure of a section's model by `value`, everything else as it was."""
    (tabel,) = rapport.tabellen(key)
    rows = tuple(
        replace(r, figuren=tuple(replace(f, waarde=value, tekst=str(value), waar=str(value)) for f in r.figuren))
        if r.label == row
        else r
        for r in tabel.rijen
    )
    rapport._tabellen[key] = [replace(tabel, rijen=rows)]
    return rapport._tabellen[key][0]


def test_every_view_of_a_section_shows_a_changed_figure():
    rapport = Rapport.laad("deventer", "2022-2023")
    before = {r.label: r.figuren[0].tekst for r in rapport.tabellen(KEY)[0].rijen}
    assert before["Aan het werk"] == "33"
    _changed(rapport, KEY, "Aan het werk", 777)
    page = BeautifulSoup(str(Verslag(rapport).sectie(KEY)), "html.parser")
    cells = {tr.th.get_text(): tr.td.get_text() for tr in page.select("table.cijfers tr") if tr.td}
    assert (
        cells["Aan het werk"] == "777" and cells["Begeleiding door Konnected"] == before["Begeleiding door Konnected"]
    )
    assert "Aan het werk: 777" in page.select_one("figure img")["alt"]
    excel = rapport.excelblad(KEY)
    assert excel.loc[excel["Uitkomst"] == "Aan het werk", "Aantal"].item() == 777
    trail = {c.rij: c.waarde for c in rapport.cijfers(KEY)}
    assert trail["Aan het werk"] == "777"


def test_a_figure_knows_its_printed_text_its_true_value_and_its_source():
    rapport = Rapport.laad("deventer", "2022-2023")
    (tabel,) = rapport.tabellen("leerplichtigen")
    last = tabel.rijen[-1]
    assert last.label == "2022-2023" and tabel.kop == ("Schooljaar", "Aantal leerlingen (5-18 jaar)")
    figure = last.figuren[0]
    assert isinstance(figure, Figuur) and (figure.tekst, figure.waar, figure.waarde) == ("14.339", "14.339", 14339)
    assert figure.herleiding.bronnen[0].bestand == "data/deventer/leerplichtigen.csv"
    assert figure.herleiding.bronnen[0].regel == 6 and not figure.verborgen
    assert (
        tabel.onderschrift
        == "Leerplichtige en kwalificatieplichtige leerlingen, schooljaar 2018-2019 tot en met 2022-2023"
    )


def test_a_series_chart_and_its_alt_text_are_drawn_from_the_model():
    from jaarverslag.inhoud import soorten

    rapport = Rapport.laad("deventer", "2022-2023")
    _changed(rapport, "leerplichtigen", "2022-2023", 777)
    data = soorten.grafiekdata(rapport.definitie("leerplichtigen"), rapport.tabellen("leerplichtigen"))
    assert data.waarden.set_index("schooljaar").at["2022-2023", "leerplichtigen"] == 777
    page = BeautifulSoup(str(Verslag(rapport).sectie("leerplichtigen")), "html.parser")
    assert "naar 777 in 2022-2023" in page.select_one("figure img")["alt"]


def test_a_report_of_one_school_year_makes_its_findings_without_a_year_before():
    rapport = Rapport.laad("deventer", "2022-2023", aantal_jaren=1)
    punten = rapport.kernpunt_lijst()
    assert punten and not any("2021-2022" in p.tekst for p in punten)  # no trend without the year before
    assert "<table" in str(
        Verslag(rapport).sectie("verzuim_per_1000")
    )  # the derived table whose trend needed the year before


def test_the_kerncijfers_page_its_trail_and_its_directions_are_views_of_one_table():
    from jaarverslag.inhoud import kerncijfers

    rapport = Rapport.laad("deventer", "2022-2023")
    table = rapport.kerncijfertabel()
    assert table is rapport.kerncijfertabel()  # computed once
    row = next(r for r in table.rijen if r.label == "Meldingen wettelijk verzuim")
    assert [f.tekst for f in row.figuren[:3]] == ["443", "395", "↑ hoger"]
    changed = tuple(
        replace(f, waarde=777, tekst="777", waar="777") if i == 0 else replace(f, tekst="↓ lager") if i == 2 else f
        for i, f in enumerate(row.figuren)
    )
    rows = tuple(replace(r, figuren=changed) if r is row else r for r in table.rijen)
    rapport._kerncijfers = (replace(table, rijen=rows),)
    page = BeautifulSoup(str(Verslag(rapport).kerncijfers()), "html.parser")
    shown = {tr.th.get_text(): [td.get_text() for td in tr.find_all("td")] for tr in page.select("tbody tr")}
    assert shown["Meldingen wettelijk verzuim"][:3] == ["777", "395", "↓ lager"]
    trail = {(c.rij, c.kolom): c.waarde for c in kerncijfers.cijfers(rapport)}
    assert trail[("Meldingen wettelijk verzuim", "2022-2023")] == "777"
    assert kerncijfers.richtingen(rapport)["Meldingen wettelijk verzuim"] == "↓ lager"


def test_a_changed_count_in_the_models_data_reaches_every_output_and_the_memo():
    """The model's own data changed before any view is drawn: the table, its chart, Excel, herkomst,
    the Kerncijfers, the derived rate and the memo's point are all drawn from it."""
    from jaarverslag.inhoud import kerncijfers, raadsmededeling, soorten

    rapport = Rapport.laad("deventer", "2022-2023")
    for frame in {
        id(f): f for f in (rapport.tables["wettelijk_verzuim"], rapport.publiek["wettelijk_verzuim"])
    }.values():
        frame.loc[frame["schooljaar"] == "2022-2023", "wettelijk_verzuim"] = 777
    (tabel,) = rapport.tabellen("wettelijk_verzuim")
    assert tabel.rijen[-1].figuren[0].tekst == "777"
    page = BeautifulSoup(str(Verslag(rapport).sectie("wettelijk_verzuim")), "html.parser")
    assert "777" in [td.get_text() for td in page.select("table.cijfers tr td")]
    assert "777" in page.select_one("figure img")["alt"]
    data = soorten.grafiekdata(rapport.definitie("wettelijk_verzuim"), rapport.tabellen("wettelijk_verzuim"))
    assert data.waarden.set_index("schooljaar").at["2022-2023", "wettelijk_verzuim"] == 777
    assert rapport.excelblad("wettelijk_verzuim").set_index("Schooljaar").iloc[-1, 0] == 777
    assert [c.waarde for c in rapport.cijfers("wettelijk_verzuim") if c.rij == "2022-2023"][0] == "777"
    kern = {(c.rij, c.kolom): c.waarde for c in kerncijfers.cijfers(rapport)}
    assert kern[("Meldingen wettelijk verzuim", "2022-2023")] == "777"
    assert kern[("Meldingen wettelijk verzuim", "Verschil")] == "+382"
    memo = " ".join(p.tekst for p in raadsmededeling.maak(rapport).punten)
    assert "van 395 naar 777" in memo and "van 395 naar 443" not in memo
