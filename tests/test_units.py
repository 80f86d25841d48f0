"""Unit tests: Dutch formatting, indicators, the findings rules and the params checks."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from jaarverslag import paths
from jaarverslag.errors import ParameterFout
from jaarverslag.formatting import getal, percentage, verschil
from jaarverslag.inhoud import findings, indicators
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.params import load_params

RULES = verslag("deventer").regels  # the findings rules of the shipped report definition


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (15249, 0, "15.249"),
        (1234567.891, 1, "1.234.567,9"),
        (2.35, 2, "2,35"),
        (0, 0, "0"),
        (-5, 0, "−5"),
        (None, 0, "–"),
        (pd.NA, 0, "–"),
        (float("nan"), 2, "–"),
        (-0.001, 1, "0,0"),
    ],
)
def test_getal(value, decimals, expected):
    assert getal(value, decimals) == expected


def test_percentage_and_change():
    assert percentage(2.35) == "2,35%"
    assert percentage(4.4, 1) == "4,4%"
    assert percentage(None) == "–"
    assert verschil(48) == "+48" and verschil(-2) == "−2" and verschil(pd.NA) == "–"


def _years(values: dict) -> pd.DataFrame:
    return pd.DataFrame({"schooljaar": list(values), "x": pd.array(list(values.values()), dtype="Int64")})


def test_window_takes_last_years_and_fills_gaps():
    frame = _years({"2018-2019": 1, "2020-2021": 3, "2021-2022": 4})
    shown = indicators.window(frame, "2021-2022", 5)
    assert shown["schooljaar"].tolist() == ["2018-2019", "2019-2020", "2020-2021", "2021-2022"]
    assert pd.isna(shown.loc[1, "x"])
    assert indicators.window(frame, "2021-2022", 2)["schooljaar"].tolist() == ["2020-2021", "2021-2022"]


def _verzuim(bbv: dict | None = None, na_analyse=33) -> dict:
    year = lambda **columns: pd.DataFrame({"schooljaar": ["2022-2023"], **columns})  # noqa: E731
    count = lambda v: pd.array([v], dtype="Int64")  # noqa: E731
    rate = lambda v: pd.array([v], dtype="Float64")  # noqa: E731
    official = bbv or {}
    return {
        "leerplichtigen": year(leerplichtigen=count(14339)),
        "overig_verzuim": year(
            absoluut_verzuim=count(87), absoluut_verzuim_na_analyse=count(na_analyse), luxe_verzuim=count(22)
        ),
        "wettelijk_verzuim": year(wettelijk_verzuim=count(443)),
        "bbv_indicatoren": year(
            absoluut_verzuim_bbv=rate(official.get("absoluut", pd.NA)),
            relatief_verzuim_bbv=rate(official.get("relatief", pd.NA)),
            bron=pd.array([official.get("bron", pd.NA)], dtype="string"),
        ),
    }


def test_each_bbv_indicator_value_and_label_for_2022_2023():
    frame = indicators.verzuim_per_duizend(_verzuim())
    row = frame.iloc[0]
    assert row["absoluut_per_1000"] == pytest.approx(6.1)  # 87 meldingen / 14.339 × 1.000
    assert row["absoluut_na_analyse_per_1000"] == pytest.approx(2.3)  # the 33 left after analysis, apart
    assert row["relatief_per_1000"] == pytest.approx(30.9)  # 443 wettelijk verzuim / 14.339 × 1.000, no luxe
    assert (
        indicators.label(frame, "absoluut_per_1000", "2022-2023")
        == "Meldingen absoluut verzuim per 1.000 leerplichtigen"
    )
    assert (
        indicators.label(frame, "relatief_per_1000", "2022-2023")
        == "Meldingen wettelijk verzuim per 1.000 leerplichtigen"
    )
    assert pd.isna(row["noot"])  # only an official figure gets a note, with its source


def test_without_a_count_after_analysis_that_column_stays_empty():
    row = indicators.verzuim_per_duizend(_verzuim(na_analyse=pd.NA)).iloc[0]
    assert row["absoluut_per_1000"] == pytest.approx(6.1) and pd.isna(row["absoluut_na_analyse_per_1000"])


def test_the_official_bbv_figure_takes_precedence_with_its_source():
    tables = _verzuim({"absoluut": 1.2, "relatief": 21.7, "bron": "waarstaatjegemeente.nl, mei 2024"})
    frame = indicators.verzuim_per_duizend(tables)
    row = frame.iloc[0]
    assert (row["absoluut_per_1000"], row["relatief_per_1000"]) == (pytest.approx(1.2), pytest.approx(21.7))
    assert indicators.label(frame, "relatief_per_1000", "2022-2023") == "Relatief verzuim per 1.000 leerlingen (BBV)"
    assert (
        "Relatief verzuim per 1.000 leerlingen (BBV): officieel cijfer (waarstaatjegemeente.nl, mei 2024)."
        in row["noot"]
    )
    only_absolute = indicators.verzuim_per_duizend(_verzuim({"absoluut": 1.2, "bron": "DUO"})).iloc[0]
    assert only_absolute["relatief_per_1000"] == pytest.approx(30.9)  # the other falls back to the approximation


def test_no_trend_between_an_official_figure_and_an_approximation():
    tables = _verzuim({"relatief": 21.7, "bron": "DUO"})
    frame = pd.concat(
        [
            indicators.verzuim_per_duizend(tables),
            indicators.verzuim_per_duizend(_verzuim()).assign(schooljaar="2021-2022"),
        ]
    )
    assert not indicators.vergelijkbaar(frame, "relatief_per_1000", "2022-2023", "2021-2022")
    assert findings.kernpunten({"verzuim_per_1000": frame}, "2022-2023", 0.1, RULES) == []


def test_no_per_1000_figure_without_a_denominator():
    tables = _verzuim()
    tables["leerplichtigen"]["leerplichtigen"] = pd.array([0], dtype="Int64")
    row = indicators.verzuim_per_duizend(tables).iloc[0]
    assert pd.isna(row["absoluut_per_1000"]) and pd.isna(row["relatief_per_1000"])


def test_verandering_absolute_and_percent():
    change = indicators.verandering(_years({"2021-2022": 200, "2022-2023": 150}), "x", "2022-2023")
    assert change["absoluut"] == -50 and change["procent"] == pytest.approx(-25)
    missing = indicators.verandering(_years({"2022-2023": 150}), "x", "2022-2023")
    assert pd.isna(missing["absoluut"])


@pytest.mark.parametrize(
    ("own", "national", "expected"),
    [(2.35, 2.38, "gelijk"), (2.53, 2.37, "hoger"), (1.5, 2.0, "lager"), (None, 2.0, None)],
)
def test_verschil_landelijk(own, national, expected):
    assert indicators.verschil_landelijk(own if own is not None else pd.NA, national, 0.1) == expected


RULE = findings.Trend("t", "x", "het aantal meldingen")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"2021-2022": 10, "2022-2023": 20},
            "het aantal meldingen is gestegen van 10 naar 20 (100% meer)",
        ),
        (
            {"2020-2021": 5, "2021-2022": 10, "2022-2023": 20},
            "het aantal meldingen opnieuw is gestegen van 10 naar 20 (100% meer)",
        ),
        (
            {"2020-2021": 30, "2021-2022": 10, "2022-2023": 20},
            "het aantal meldingen is gestegen van 10 naar 20 (100% meer)",
        ),
        (
            {"2020-2021": 30, "2021-2022": 20, "2022-2023": 10},
            "het aantal meldingen opnieuw is gedaald van 20 naar 10 (50% minder)",
        ),
        (
            {"2021-2022": 20, "2022-2023": 21},
            "het aantal meldingen nauwelijks is veranderd (van 20 naar 21)",
        ),
        (
            {"2021-2022": 20, "2022-2023": 20},
            "het aantal meldingen vrijwel gelijk is gebleven (van 20 naar 20)",
        ),
        ({"2020-2021": 5, "2022-2023": 20}, None),  # the year before is missing: no statement
        ({"2021-2022": 10}, None),  # the reported year is missing
        (
            {"2020-2021": None, "2021-2022": 10, "2022-2023": 20},
            "het aantal meldingen is gestegen van 10 naar 20 (100% meer)",
        ),
    ],
)
def test_trend_rule(values, expected):
    assert _text(findings.trend(RULE, _years(values), "2022-2023")) == expected


def _text(kernpunt):
    return None if kernpunt is None else kernpunt.tekst


def test_trend_rule_for_percentages_uses_relative_threshold():
    rule = findings.Trend("t", "x", "de betrokkenheid", decimalen=1, procent=True)
    frame = pd.DataFrame({"schooljaar": ["2021-2022", "2022-2023"], "x": pd.array([3.7, 4.4], dtype="Float64")})
    assert (
        _text(findings.trend(rule, frame, "2022-2023"))
        == "de betrokkenheid is gestegen van 3,7% naar 4,4% (0,7 procentpunt meer)"
    )


def test_aantal_rule():
    rule = findings.Aantal("t", "x", "er {n} gesprekken waren")
    assert (
        _text(findings.aantal(rule, _years({"2021-2022": 281, "2022-2023": 1285}), "2022-2023"))
        == "er 1.285 gesprekken waren (vorig schooljaar 281)"
    )
    assert _text(findings.aantal(rule, _years({"2022-2023": 5}), "2022-2023")) == "er 5 gesprekken waren"
    assert findings.aantal(rule, _years({"2021-2022": 5}), "2022-2023") is None


def test_landelijk_rule():
    rule = findings.Landelijk("t", "p", "l", "het percentage")
    frame = pd.DataFrame({"schooljaar": ["2022-2023"], "p": [2.35], "l": [2.38]})
    assert (
        _text(findings.landelijk(rule, frame, "2022-2023", 0.1))
        == "het percentage (2,35%) nu ongeveer gelijk is aan het landelijke percentage (2,38%)"
    )
    assert "hoger is dan" in _text(findings.landelijk(rule, frame.assign(p=2.6), "2022-2023", 0.1))
    assert findings.landelijk(rule, frame, "2021-2022", 0.1) is None


def test_findings_2022_2023_match_the_raadsmededeling():
    from jaarverslag.inhoud.report import Rapport

    text = " | ".join(
        map(str, findings.kernpunten(Rapport.laad("deventer", "2022-2023").tables, "2022-2023", 0.1, RULES))
    )
    assert "285 preventieve verzuimgesprekken" in text
    assert (
        "absoluut verzuim voor het vierde jaar op rij is gestegen van 55 naar 87 (58% meer), maar na analyse "
        "ging het om 33 kinderen en jongeren" in text
    )  # no record: the footnote of 2022-2023 says most were not real
    assert "meldingen van wettelijk verzuim per 1.000 leerplichtigen voor het derde jaar op rij is gestegen" in text
    assert "(artikel 5 onder a) opnieuw is toegenomen" in text
    assert "(artikel 5 onder c) opnieuw is toegenomen" in text
    assert "(artikel 15) is toegenomen" in text
    assert "de overstapcoach 24 jongeren intensief begeleidde" in text
    assert "voortijdig schoolverlaters is gedaald" in text
    assert "(2,35%) nu ongeveer gelijk is aan het landelijke percentage (2,38%)" in text


@pytest.mark.parametrize("year", ["2019-2020", "2020-2021", "2021-2022"])
def test_findings_are_true_for_other_years(year):
    from jaarverslag.inhoud.report import Rapport

    rapport = Rapport.laad("deventer", year)
    for statement in map(str, findings.kernpunten(rapport.tables, year, 0.1, RULES)):
        numbers = [n for n in statement.replace("(", " ").replace(")", " ").split() if n[0].isdigit()]
        assert numbers, statement  # every statement quotes its figures
    vsv = rapport.tables["jongeren_vsv"].set_index("schooljaar")["vsv"]
    before = f"{int(year[:4]) - 1}-{year[:4]}"
    word = "gestegen" if vsv[year] > vsv[before] else "gedaald"
    assert any(
        f"voortijdig schoolverlaters is {word}" in s or f"opnieuw is {word}" in s or f"jaar op rij is {word}" in s
        for s in map(str, findings.kernpunten(rapport.tables, year, 0.1, RULES))
    )


def test_datum_nl():
    assert findings.datum_nl("2024-06-01") == "1 juni 2024"


def _write_params(project, **changes):
    path = paths.PARAMS / "deventer" / "2022-2023.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kleur": "rood"}, "onbekende sleutel(s) kleur"),
        ({"aantal_jaren": "vijf"}, "'aantal_jaren' heeft de verkeerde vorm"),
        ({"datum": "gisteren"}, "'datum' heeft de verkeerde vorm"),
        ({"schooljaar": "2022/2024"}, "geen schooljaar"),
        ({"schooljaar": "2021-2022"}, "maar de bestandsnaam zegt deventer 2022-2023"),
        ({"teksten": {"nergens": "x"}}, "onbekende tekstplek(ken) nergens"),
    ],
)
def test_bad_params_give_dutch_error(project, changes, message):
    _write_params(project, **changes)
    with pytest.raises(ParameterFout) as caught:
        load_params("deventer", "2022-2023")
    assert message in str(caught.value)
    assert "params/deventer/2022-2023.yaml" in str(caught.value)


def test_params_defaults():
    params = load_params("deventer", "2021-2022")
    assert params["aantal_jaren"] == 5 and params["marge_landelijk"] == 0.1 and params["teksten"] == {}


def test_no_percentage_change_on_a_base_below_ten():
    rule = findings.Trend("t", "x", "het aantal vrijstellingen", "toegenomen", "afgenomen")
    small = findings.trend(rule, _years({"2021-2022": 3, "2022-2023": 12}), "2022-2023")
    assert small.tekst == "het aantal vrijstellingen is toegenomen van 3 naar 12"
    assert [label for label, _, _ in small.cijfers] == [
        "vorig schooljaar (2021-2022)",
        "dit schooljaar (2022-2023)",
    ]  # every figure the point lists is printed in it: no '+9' the council does not read
    large = findings.trend(rule, _years({"2021-2022": 10, "2022-2023": 12}), "2022-2023")
    assert large.tekst.endswith("van 10 naar 12 (20% meer)")


def test_the_wording_follows_a_streak_a_record_and_the_pre_corona_level():
    rule = findings.Trend("t", "x", "het aantal meldingen")
    rising = _years({"2018-2019": 10, "2019-2020": 20, "2020-2021": 30, "2021-2022": 40, "2022-2023": 50})
    text = findings.trend(rule, rising, "2022-2023").tekst
    assert text.startswith(
        "het aantal meldingen voor het vierde jaar op rij is gestegen van 40 naar 50 (25% meer), het hoogste niveau in "
        "vijf schooljaren"
    )
    dip = _years({"2018-2019": 100, "2019-2020": 60, "2020-2021": 70, "2021-2022": 80, "2022-2023": 98})
    back = findings.trend(rule, dip, "2022-2023")
    assert back.tekst.endswith("en is daarmee terug op het niveau van voor corona (100 in 2018-2019)")
    assert back.cijfers[-1][:2] == ("voor corona (2018-2019)", "100")
    assert "hoogste" not in back.tekst  # 98 is not above 100


def test_the_ranking_rule_orders_findings_by_weight():
    rule = findings.Trend("t", "x", "a")
    big_base = findings.trend(rule, _years({"2021-2022": 1000, "2022-2023": 1100}), "2022-2023")  # +10%: 10
    small_base = findings.trend(rule, _years({"2021-2022": 3, "2022-2023": 12}), "2022-2023")  # 9 on a base of 10: 90
    streak = findings.trend(
        rule, _years({"2019-2020": 100, "2020-2021": 110, "2021-2022": 120, "2022-2023": 130}), "2022-2023"
    )  # +8,3% and three years up: 8,3 + 2 x 10
    stable = findings.trend(rule, _years({"2021-2022": 100, "2022-2023": 100}), "2022-2023")  # 0
    national = findings.landelijk(
        findings.Landelijk("t", "p", "l", "het percentage"),
        pd.DataFrame({"schooljaar": ["2022-2023"], "p": [3.0], "l": [2.0]}),
        "2022-2023",
        0.1,
    )  # 50% above the national figure: 50
    assert [round(k.gewicht, 1) for k in (big_base, small_base, streak, stable, national)] == [
        10.0,
        90.0,
        28.3,
        0.0,
        50.0,
    ]
    ranked = findings.gerangschikt([stable, big_base, streak, national, small_base])
    assert ranked == [small_base, national, streak, big_base, stable]
