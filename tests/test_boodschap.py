"""The college's message (issue 33): points per topic, ranked chapter by chapter, words for the
council, corrections respected, and the college's own choice in params, traced in herkomst.csv."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import assert_no_python_words
from test_raadsmededeling import _bullets as memo_bullets

from jaarverslag import bundel, paths
from jaarverslag.errors import ParameterFout
from jaarverslag.inhoud import boodschap, findings, raadsmededeling
from jaarverslag.inhoud.report import Rapport
from jaarverslag.invoer.regels import Trend

# The seven points of the source memo ("Het valt op dat in het schooljaar 2022-2023:", seed), each
# with what a memo point must say to cover it.
SOURCE_TOPICS = {
    "285 preventieve verzuimgesprekken (BAS)": lambda p: "285 preventieve verzuimgesprekken" in p,
    "meldingen absoluut en relatief verzuim gestegen, absoluut na analyse": lambda p: (
        "wettelijk (relatief) verzuim" in p and "absoluut verzuim" in p and "gestegen" in p and "33" in p
    ),
    "vrijstellingen psychisch of lichamelijk toegenomen": lambda p: (
        "psychische of lichamelijke" in p and "toegenomen" in p
    ),
    "vrijstellingen buitenland of onderwijs elders toegenomen": lambda p: "buitenland" in p and "artikel 15" in p,
    "overstapcoach 24 jongeren intensief, de meesten nog in het mbo": lambda p: (
        "24 jongeren intensief" in p and "de meesten van hen (70%) nog in het mbo" in p
    ),
    "vsv gedaald en nu ongeveer gelijk aan landelijk": lambda p: (
        "voortijdig schoolverlaters is gedaald" in p and "nu ongeveer gelijk is aan het landelijke percentage" in p
    ),
    "doorstroomcoaches met jongerenwerk jongeren in beeld": lambda p: (
        "jongerenwerk 64 jongeren" in p and "33 aan het werk" in p
    ),
}
DOORSTROOMPUNT = ("overstapcoach", "vsv", "doorstroomcoaches")


def _bullets(path) -> list[str]:
    return [b for b in memo_bullets(path) if b]


@pytest.mark.e2e
def test_the_built_memo_covers_six_of_the_source_memos_seven_topics(built_report):
    bullets = _bullets(built_report / "raadsmededeling.docx")
    covered = {topic for topic, says in SOURCE_TOPICS.items() if any(says(b) for b in bullets)}
    assert len(bullets) == 7 and len(covered) >= 6, sorted(set(SOURCE_TOPICS) - covered)
    assert covered >= set(SOURCE_TOPICS) - {"vrijstellingen buitenland of onderwijs elders toegenomen"}
    assert any(topic.startswith(DOORSTROOMPUNT) for topic in covered)
    assert not any("+" in b or "hoogste niveau in vijf schooljaren (van" in b for b in bullets)  # words, not '+3,4'


@pytest.mark.e2e
def test_every_number_of_the_built_memos_points_has_its_herkomst_row(built_report):
    rows = list(csv.DictReader((built_report / bundel.HERKOMST).open(encoding="utf-8")))
    points = [r for r in rows if r["sectie"] == "raadsmededeling" and r["kolom"].startswith("gekozen")]
    for bullet in _bullets(built_report / "raadsmededeling.docx"):
        own = [r for r in points if r["onderschrift_of_kernpunt"] == bullet]
        assert own and {r["kolom"] for r in own} == {"gekozen door de regels"}
        for number in ("285", "443", "87", "33", "24", "70%", "2,38%", "64"):
            if number in bullet:
                assert any(r["waarde"] == number and (r["bestand"] or r["formule"]) for r in own), (number, bullet)


@pytest.fixture(scope="module")
def deventer() -> Rapport:
    return Rapport.laad("deventer", "2022-2023")


def test_a_rule_is_not_tied_to_deventer_vsv_well_above_the_country(project):
    path = paths.DATA / "deventer" / "jongeren_vsv.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2022-2023,7821,184,2.35,", "2022-2023,7821,184,3.35,"))
    memo = raadsmededeling.maak(Rapport.laad("deventer", "2022-2023"))
    vsv = [p for p in memo.punten if p.sleutel == "vsv"]
    assert len(vsv) == 1
    assert "het percentage voortijdig schoolverlaters (3,35%) hoger is dan het landelijke percentage (2,38%)" in (
        vsv[0].tekst
    )


def test_the_absoluut_verzuim_point_names_the_analysed_33_and_claims_no_record_over_a_footnote(deventer):
    point = next(p for p in deventer.kernpunt_lijst() if p.over("overig_verzuim", ["absoluut_verzuim"]))
    part = next(d for d in point.delen if d.kolom == "absoluut_verzuim")
    assert "gestegen van 55 naar 87" in part.tekst and part.tekst.endswith(
        "maar na analyse ging het om 33 kinderen en jongeren"
    )
    assert ("absoluut_verzuim: absoluut_verzuim_na_analyse (2022-2023)", "33") in [(w, p) for w, p, _ in point.cijfers]
    for p in deventer.kernpunt_lijst():
        for d in p.delen:
            frame = deventer.tables[d.tabel]
            noted = "noot" in frame and frame.loc[frame.schooljaar == "2022-2023", "noot"].notna().any()
            assert not (noted and "hoogste niveau" in d.tekst), d.tekst


def test_a_footnote_on_the_reported_row_keeps_a_trend_from_claiming_a_record():
    rule = Trend("t", "x", "het aantal meldingen")
    years = {"2018-2019": 10, "2019-2020": 12, "2020-2021": 14, "2021-2022": 20, "2022-2023": 40}
    frame = pd.DataFrame({"schooljaar": list(years), "x": list(years.values()), "noot": [None] * 5})
    assert "hoogste niveau in vijf schooljaren" in findings.trend(rule, frame, "2022-2023").tekst
    frame.loc[4, "noot"] = "Na analyse bleken veel meldingen dubbel."
    assert "hoogste" not in findings.trend(rule, frame, "2022-2023").tekst


def _verslag(chapters: dict[str, list[str]]):
    secties = {k: SimpleNamespace(hoofdstuk=title) for title, keys in chapters.items() for k in keys}
    return SimpleNamespace(hoofdstukken=[(t, tuple(k)) for t, k in chapters.items()], secties=secties)


def _years(before, now) -> pd.DataFrame:
    return pd.DataFrame({"schooljaar": ["2021-2022", "2022-2023"], "x": [before, now]})


def test_a_change_on_a_small_base_ranks_below_a_larger_base_and_every_chapter_gets_a_point_first():
    small = findings.trend(Trend("t", "x", "het aantal a", sectie="a"), _years(3, 12), "2022-2023")
    large = findings.trend(Trend("t", "x", "het aantal b", sectie="b", thema="b"), _years(100, 110), "2022-2023")
    other = findings.trend(Trend("t", "x", "het aantal c", sectie="c", thema="c"), _years(100, 101), "2022-2023")
    assert small.gewicht > large.gewicht  # 9 on a base of 10 is the larger relative change ...
    ranked = boodschap.punten([small, large, other], _verslag({"Leerplicht": ["a", "b"], "Doorstroompunt": ["c"]}))
    assert [p.sectie for p in ranked] == ["b", "c", "a"]  # ... yet ranks below, and Doorstroompunt comes second
    assert "(" not in small.tekst and "van 3 naar 12" in small.tekst  # no '300% meer' on a base of 3


def test_one_measure_never_takes_two_points_and_the_small_vrijstellingen_rank_below(deventer):
    points = deventer.kernpunt_lijst()
    figures = [(d.tabel, d.kolom) for p in points for d in p.delen]
    assert len(figures) == len(set(figures))
    verzuim = next(p for p in points if p.sleutel == "verzuim")
    assert {d.kolom for d in verzuim.delen} == {"wettelijk_verzuim", "absoluut_verzuim", "relatief_per_1000"}
    assert "van 27,5 naar 30,9 (12% meer)" in verzuim.tekst
    keys = [p.sleutel for p in points]
    leerplicht = [k for k in keys if k not in ("vsv", "overstapcoach", "huisbezoeken")]
    assert leerplicht.index("vrijstellingen_buitenland_of_elders") > leerplicht.index("percentage_betrokkenheid")
    assert keys[:2] == ["bas_gesprekken", "vsv"]  # every chapter one point before any gets a second


PUNTEN = """  punten:
    - sleutel: vrijstellingen_buitenland_of_elders
      zin: in 2024 analyseren we deze toename daarom grondig
    - sleutel: percentage_betrokkenheid
      weglaten: true
"""


def _with_punten(text: str) -> None:
    path = paths.PARAMS / "deventer" / "2022-2023.yaml"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("raadsmededeling:  #", text.join(["raadsmededeling:\n", "#"]), 1), encoding="utf-8")


@pytest.mark.e2e
def test_params_pin_leave_out_and_add_a_sentence_and_herkomst_says_who_chose(project):
    from jaarverslag.bouw.build import build

    _with_punten(PUNTEN)
    folder = build("deventer", "2022-2023", stil=True)
    bullets = _bullets(folder / "raadsmededeling.docx")
    assert len(bullets) == 7 and bullets[0].startswith("het aantal vrijstellingen vanwege inschrijving bij een school")
    assert bullets[0].endswith(
        "(artikel 15) is toegenomen van 3 naar 12, in 2024 analyseren we deze toename daarom grondig;"
    )
    assert not any("betrokken was" in b for b in bullets)
    rows = list(csv.DictReader((folder / bundel.HERKOMST).open(encoding="utf-8")))
    pinned = [r for r in rows if r["onderschrift_of_kernpunt"] == bullets[0]]
    assert pinned and all(
        r["kolom"].startswith("gekozen in params (params/deventer/2022-2023.yaml, regel ") for r in pinned
    )
    year = next(r for r in pinned if r["waarde"] == "2024")
    assert (
        year["bestand"] == "params/deventer/2022-2023.yaml"
        and "2024"
        in (
            (paths.PARAMS / "deventer" / "2022-2023.yaml")
            .read_text(encoding="utf-8")
            .splitlines()[int(year["regel"]) - 1]
        )
    )
    others = [r for r in rows if r["onderschrift_of_kernpunt"] == bullets[1]]
    assert others and {r["kolom"] for r in others} == {"gekozen door de regels"}


@pytest.mark.e2e
def test_an_unknown_point_key_stops_jaarverslag_build_at_the_notebooks_first_cell_and_the_report_stays(project, capsys):
    from jaarverslag import cli

    assert cli.main(["build", "deventer", "2022-2023"]) == 0
    folder = paths.REPORTS / "deventer" / "2022-2023"
    before = {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    capsys.readouterr()
    _with_punten("  punten:\n    - sleutel: verzuim\n    - sleutel: spijbelen\n      weglaten: true\n")
    assert cli.main(["build", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert "params/deventer/2022-2023.yaml, sleutel raadsmededeling.punten, nummer 2.sleutel:" in err
    assert "'spijbelen' is geen punt van dit verslag; dit jaar zijn er: bas_gesprekken, vsv, verzuim," in err
    assert "het vorige verslag is niet aangeraakt." in err
    assert ("valideren" in err or "hergebruikt" in err) and "uitvoeren" not in err  # the notebook stopped
    assert_no_python_words(err)
    assert {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == before
    assert (folder.with_name("2022-2023.mislukt") / bundel.NOTEBOOK).exists()  # the notebook stopped at its first cell


def test_an_unknown_point_key_is_refused_with_the_keys_of_this_year(project):
    _with_punten("  punten:\n    - sleutel: spijbelen\n")
    with pytest.raises(ParameterFout) as caught:
        raadsmededeling.maak(Rapport.laad("deventer", "2022-2023"))
    message = str(caught.value)
    assert message.startswith("params/deventer/2022-2023.yaml, sleutel raadsmededeling.punten, nummer 1.sleutel:")
    assert "'spijbelen' is geen punt van dit verslag" in message
    assert "dit jaar zijn er: bas_gesprekken, vsv, verzuim," in message
