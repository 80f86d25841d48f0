"""Small counts kept out of what is published (params kleine_aantallen), the true values kept in the trail."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from jaarverslag.inhoud import geheim
from jaarverslag.inhoud.report import Rapport
from jaarverslag.invoer.schema import schema
from jaarverslag.weergave.verslag import Verslag

COUNT = re.compile(r"^\d+(\.\d{3})*$")  # a count as printed: 7, 14.339


@pytest.fixture(scope="module")
def beschermd():
    """Deventer 2022-2023 with counts below 5 protected."""
    rapport = Rapport.laad("deventer", "2022-2023")
    return Rapport(dict(rapport.params, kleine_aantallen=5), rapport.tables, rapport.validatie, rapport.herkomst)


def test_secondary_suppression_leaves_no_part_to_recompute():
    values = {"t": 10, "a": 7, "b": 3, "c": 0, "u": 20, "d": 18, "e": 2, "f": 8, "g": 1, "h": 1, "v": 9, "i": 2, "j": 1}
    groups = [("t", ["a", "b", "c"]), ("u", ["d", "e"]), ("f", ["g", "h", "c"]), ("v", ["i", "j", "a"])]
    hidden = geheim.secundair({"b", "e", "g", "h", "i", "j"}, values, groups, 5)
    assert hidden == {"b", "a", "e", "d", "g", "h", "f", "i", "j"}  # never the 0; 1 + 1 = 2 is fixed: its total
    assert "v" not in hidden  # 9 − 7 = 2 + 1 = 3 could also be 1 + 2
    assert geheim.secundair({"b"}, {"t": 3, "b": 3}, [("t", ["b"])], 5) == {"b", "t"}  # a lone part: the total goes
    assert geheim.secundair({"g"}, {"r": 30, "g": 1, "a": 20, "c": 9}, [("r", ["g", "a", "c"], True)], 5) == {"g", "r"}


@pytest.mark.e2e  # draws every chart of the report
def test_no_published_count_is_below_the_threshold(beschermd):
    printed = []
    for key in beschermd.verslagdefinitie.secties:
        page = BeautifulSoup(str(Verslag(beschermd).sectie(key)), "html.parser")
        printed += [td.get_text() for td in page.select("table.cijfers td")]
        printed += re.findall(r": (\d+)(?=[;.])", page.select_one("img")["alt"]) if page.select_one("img") else []
    counts = [int(p.replace(".", "")) for p in printed if COUNT.match(p)]
    assert counts and all(c == 0 or c >= 5 for c in counts)
    assert printed.count("< 5") == len(beschermd.onderdrukking.aantallen) > 10
    assert printed.count("x") == len(beschermd.onderdrukking.afgeleid) == 1  # basisonderwijs 7: see below
    kern = BeautifulSoup(str(Verslag(beschermd).kerncijfers()), "html.parser").get_text(" ")
    assert "< 5" not in kern  # Deventer's key figures are all large
    for key, section in beschermd.verslagdefinitie.secties.items():
        if section.tabel not in schema():
            continue
        counts = [
            label for c, label in section.kolommen.items() if schema()[section.tabel].columns[c]["type"] == "aantal"
        ]
        frame = beschermd.excelblad(key)
        values = (frame if section.soort == "uitsplitsing" else frame[[c for c in counts if c in frame]]).stack()
        assert all(not isinstance(v, int | float) or v == 0 or v >= 5 for v in values.tolist()), key


def test_a_part_that_a_total_would_reveal_is_suppressed_too(beschermd):
    page = BeautifulSoup(str(Verslag(beschermd).sectie("processen_verbaal")), "html.parser")
    last = [td.get_text() for td in page.select("table.cijfers tbody tr")[-1].select("td")]
    assert last[:4] == ["10", "17", "x", "< 5"]  # luxe 10 = basisonderwijs 7 + voortgezet 3: both hidden
    assert "&lt; 5 = een aantal kleiner dan 5" in str(page.select("p.noot-ontbreekt")[-1])
    visits = BeautifulSoup(str(Verslag(beschermd).sectie("huisbezoeken")), "html.parser").select("table.cijfers tr")
    shown = [row.td.get_text() for row in visits if row.td]
    assert shown.count("< 5") == 3 and shown.count("x") == 0  # 64 − 56 = 8 = 4 + 2 + 2 in many ways


def test_the_trail_and_findings_keep_to_their_side(beschermd):
    trail = {(c.rij, c.kolom): c.waarde for c in beschermd.cijfers("processen_verbaal")}
    assert trail[("2022-2023", "Luxe: waarvan voortgezet onderwijs")] == "3"  # the auditor sees the true value
    assert trail[("2022-2023", "Luxe: waarvan basisonderwijs")] == "7"
    for punt in beschermd.kernpunt_lijst():
        assert not any(re.fullmatch(r"[1-4]", printed) for _, printed, _ in punt.cijfers), punt.tekst
    assert "Kleine aantallen: een aantal van 1 tot en met 4 staat in dit verslag als &lt; 5" in str(
        Verslag(beschermd).verantwoording()
    )


def test_a_rate_from_a_small_count_is_not_published(beschermd):
    import pandas as pd

    tables = dict(beschermd.tables)
    frame = tables["vsv_onderwijssoort"].copy()
    vavo = (frame["schooljaar"] == "2022-2023") & (frame["onderwijssoort"] == "vavo")
    frame.loc[vavo, "vsv"] = pd.array([3], dtype=frame["vsv"].dtype)
    tables["vsv_onderwijssoort"] = frame
    rapport = Rapport(beschermd.params, tables, beschermd.validatie, beschermd.herkomst)
    assert rapport.onderdrukking.teken("vsv_onderwijssoort", ("2022-2023", "vavo"), "percentage_vsv") == "x"
    hidden = rapport.onderdrukking.aantallen | rapport.onderdrukking.afgeleid
    hidden = {cel for cel in hidden if cel[1][0] == "2022-2023" and cel[0] == "vsv_onderwijssoort" and cel[2] == "vsv"}
    assert len(hidden) >= 2  # vavo, and one more part of the year's total of vsv'ers
    page = BeautifulSoup(str(Verslag(rapport).sectie("vsv_onderwijssoort")), "html.parser")
    vavo_rows = page.select("table.cijfers")[-1].select("tbody tr")
    assert [td.get_text() for td in vavo_rows[-1].select("td")][:2] == ["< 5", "x"]


def test_a_footnote_of_a_row_with_a_hidden_count_is_left_out_with_a_sentence_why(beschermd):
    """Deventer's processen-verbaal note names 'voortgezet onderwijs (3)', a count the table hides."""
    (tabel,) = beschermd.tabellen("processen_verbaal")
    printed = {f.tekst for r in tabel.rijen for f in r.figuren}
    assert "< 5" in printed  # the row holds a hidden count
    assert tabel.noten == (geheim.NOOT_WEGGELATEN,)
    page = BeautifulSoup(str(Verslag(beschermd).sectie("processen_verbaal")), "html.parser").get_text(" ")
    assert "voortgezet onderwijs (3)" not in page and "voetnoot bij deze rij is weggelaten" in page
    (open_tabel,) = Rapport.laad("deventer", "2022-2023").tabellen("processen_verbaal")
    assert any("voortgezet onderwijs (3)" in n for n in open_tabel.noten)  # unprotected, the note stays


def test_a_share_of_a_hidden_base_is_hidden_too():
    """67% of 3 intensively guided young people gives the count away: the share goes as x."""
    rapport = Rapport.laad("deventer", "2022-2023")
    frame = rapport.tables["overstapcoach"].copy()
    last = frame["schooljaar"] == "2022-2023"
    frame.loc[last, ["overstapcoach_intensief", "percentage_intensief_nog_in_mbo"]] = [3, 67]
    tables = {**rapport.tables, "overstapcoach": frame}
    beschermd = Rapport(dict(rapport.params, kleine_aantallen=5), tables, rapport.validatie, rapport.herkomst)
    key = ("2022-2023",)
    assert beschermd.onderdrukking.teken("overstapcoach", key, "overstapcoach_intensief") == "< 5"
    assert beschermd.onderdrukking.teken("overstapcoach", key, "percentage_intensief_nog_in_mbo") == geheim.GEHEIM
    assert not any("67%" in p.tekst for p in beschermd.kernpunt_lijst())
