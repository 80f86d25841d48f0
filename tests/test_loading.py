"""The shipped tables against the source document, and the loader on what analysts export."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import pytest

from jaarverslag import cli, paths
from jaarverslag.errors import InvoerFout
from jaarverslag.invoer import loading, privacy, ruwecellen
from jaarverslag.invoer import schema as schema_module
from jaarverslag.invoer.loading import load_table, load_tables, parse_number
from jaarverslag.invoer.schema import parse_schooljaar, schema

# (table, school year, category or None, column, figure in the jaarmagazine 2022-2023)
SOURCE_FIGURES = [
    ("leerplichtigen", "2018-2019", None, "leerplichtigen", 15249),
    ("leerplichtigen", "2020-2021", None, "leerplichtigen", 14883),
    ("leerplichtigen", "2022-2023", None, "leerplichtigen", 14339),
    ("betrokkenheid", "2019-2020", None, "percentage_betrokkenheid", 2.2),
    ("betrokkenheid", "2022-2023", None, "percentage_betrokkenheid", 4.4),
    ("bas_gesprekken", "2018-2019", None, "bas_gesprekken", 58),
    ("bas_gesprekken", "2020-2021", None, "bas_gesprekken", 228),
    ("bas_gesprekken", "2022-2023", None, "bas_gesprekken", 285),
    ("wettelijk_verzuim", "2018-2019", None, "wettelijk_verzuim", 384),
    ("wettelijk_verzuim", "2022-2023", None, "wettelijk_verzuim", 443),
    ("wettelijk_verzuim", "2019-2020", None, "herhaald_wettelijk_verzuim", 102),
    ("overig_verzuim", "2018-2019", None, "langdurig_relatief_verzuim", 18),
    ("overig_verzuim", "2021-2022", None, "luxe_verzuim", 39),
    ("overig_verzuim", "2022-2023", None, "absoluut_verzuim", 87),
    ("overig_verzuim", "2022-2023", None, "absoluut_verzuim_na_analyse", 33),
    ("vrijstellingen", "2022-2023", None, "artikel_5a", 79),
    ("vrijstellingen", "2021-2022", None, "artikel_5b", 4),
    ("vrijstellingen", "2019-2020", None, "artikel_5c", 11),
    ("vrijstellingen", "2018-2019", None, "artikel_15", 15),
    ("processen_verbaal", "2018-2019", None, "pv_luxe_verzuim", 1),
    ("processen_verbaal", "2022-2023", None, "pv_wettelijk_verzuim", 17),
    ("processen_verbaal", "2022-2023", None, "pv_luxe_verzuim_po", 7),
    ("processen_verbaal", "2022-2023", None, "pv_wettelijk_verzuim_mbo", 5),
    ("jongeren_vsv", "2018-2019", None, "jongeren", 8425),
    ("jongeren_vsv", "2022-2023", None, "jongeren", 7821),
    ("jongeren_vsv", "2021-2022", None, "vsv", 202),
    ("jongeren_vsv", "2022-2023", None, "percentage_vsv", 2.35),
    ("jongeren_vsv", "2022-2023", None, "percentage_vsv_landelijk", 2.38),
    ("vsv_onderwijssoort", "2018-2019", "vo", "vsv", 19),
    ("vsv_onderwijssoort", "2022-2023", "vo", "percentage_vsv", 0.64),
    ("vsv_onderwijssoort", "2019-2020", "mbo", "vsv", 147),
    ("vsv_onderwijssoort", "2022-2023", "mbo", "percentage_vsv_landelijk", 6.53),
    ("vsv_onderwijssoort", "2021-2022", "vavo", "percentage_vsv", 13.21),
    ("vsv_onderwijssoort", "2020-2021", "vavo", "vsv", 0),
    ("vsv_mbo_niveau", "2022-2023", "1", "vsv", 12),
    ("vsv_mbo_niveau", "2022-2023", "1", "percentage_vsv_landelijk", 25.85),
    ("vsv_mbo_niveau", "2022-2023", "4", "vsv", 66),
    ("overstapcoach", "2021-2022", None, "overstapcoach_totaal", 13),
    ("overstapcoach", "2022-2023", None, "overstapcoach_intensief", 24),
    ("overstapcoach", "2023-2024", None, "overstapcoach_meedenken", 33),
    ("huisbezoeken", "2022-2023", None, "aan_het_werk", 33),
    ("huisbezoeken", "2022-2023", None, "wil_geen_contact", 10),
    ("huisbezoeken", "2022-2023", None, "huisbezoeken_totaal", 64),
]


@pytest.fixture(scope="module")
def tables():
    return load_tables("deventer")


def _value(tables, table, year, category, column):
    frame = tables[table]
    rows = frame[frame["schooljaar"] == year]
    if category is not None:
        key = [c for c in schema()[table].key if c != "schooljaar"][0]
        rows = rows[rows[key] == category]
    assert len(rows) == 1, (table, year, category)
    return rows.iloc[0][column]


@pytest.mark.parametrize(("table", "year", "category", "column", "expected"), SOURCE_FIGURES)
def test_shipped_figure_matches_source(tables, table, year, category, column, expected):
    assert _value(tables, table, year, category, column) == pytest.approx(expected)


def test_source_figures_cover_every_table(tables):
    assert {t for t, *_ in SOURCE_FIGURES} == {
        t for t in schema() if not tables[t].empty
    }  # Deventer gives no BBV figures
    assert len(SOURCE_FIGURES) >= 30


def test_figure_the_source_does_not_give_is_empty_not_zero(tables):
    assert pd.isna(_value(tables, "bas_gesprekken", "2019-2020", None, "bas_gesprekken"))
    assert pd.isna(_value(tables, "overig_verzuim", "2021-2022", None, "absoluut_verzuim_na_analyse"))


def test_source_mistakes_are_kept(tables):
    # the jaarmagazine prints 0% for vo in 2019-2020 although 23 pupils left: kept, validation reports it
    assert _value(tables, "vsv_onderwijssoort", "2019-2020", "vo", "percentage_vsv") == 0
    assert _value(tables, "jongeren_vsv", "2020-2021", None, "vsv") == 166


def test_footnotes_are_stored(tables):
    assert "april 2021" in _value(tables, "overstapcoach", "2021-2022", None, "noot")
    assert "33" in _value(tables, "overig_verzuim", "2022-2023", None, "noot")
    assert "corona" in _value(tables, "betrokkenheid", "2019-2020", None, "noot")


def test_types_follow_the_schema(tables):
    assert str(tables["leerplichtigen"]["leerplichtigen"].dtype) == "Int64"
    assert str(tables["jongeren_vsv"]["percentage_vsv"].dtype) == "Float64"
    assert list(tables["vsv_onderwijssoort"]["onderwijssoort"][:3]) == ["vo", "mbo", "vavo"]


# --- what analysts export ---------------------------------------------------------------


def _as_dutch_csv(frame: pd.DataFrame, table: str, path) -> None:
    """Write a table as Excel does in a Dutch locale: ';', decimal comma, Windows-1252."""
    out = frame.copy()
    for column, spec in schema()[table].columns.items():
        if spec["type"] == "percentage":
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else f"{v}".replace(".", ",") + "%")
        if spec["type"] == "aantal":
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else f"{int(v):,}".replace(",", "."))
    out.to_csv(path, sep=";", index=False, encoding="cp1252")


@pytest.mark.parametrize("table", list(schema()))
def test_dutch_excel_csv_and_xlsx_load_identically(tables, tmp_path, table):
    original = tables[table]
    dutch = tmp_path / f"{table}.csv"
    _as_dutch_csv(original, table, dutch)
    xlsx = tmp_path / f"{table}.xlsx"
    original.astype(object).where(original.notna(), None).to_excel(xlsx, index=False)
    spec = schema()[table]
    pd.testing.assert_frame_equal(load_table(dutch, spec), original)
    pd.testing.assert_frame_equal(load_table(xlsx, spec), original)


def test_utf8_bom_and_dutch_thousands(tmp_path):
    path = tmp_path / "leerplichtigen.csv"
    path.write_bytes("\ufeffschooljaar;leerplichtigen;noot\n2022/23;15.249;Oekraïne\n".encode())
    frame = load_table(path, schema()["leerplichtigen"])
    assert frame.iloc[0]["schooljaar"] == "2022-2023"
    assert frame.iloc[0]["leerplichtigen"] == 15249
    assert frame.iloc[0]["noot"] == "Oekraïne"


def test_xlsx_percentage_format_is_read_as_percent(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["schooljaar", "percentage_betrokkenheid", "noot"])
    sheet.append(["2022-2023", 0.044, None])
    sheet["B2"].number_format = "0.0%"
    path = tmp_path / "betrokkenheid.xlsx"
    book.save(path)
    assert load_table(path, schema()["betrokkenheid"]).iloc[0]["percentage_betrokkenheid"] == pytest.approx(4.4)


@pytest.mark.parametrize(
    ("text", "comma", "kind", "expected"),
    [
        ("15.249", True, "aantal", 15249),
        ("15 249", True, "aantal", 15249),
        ("15\u00a0249", True, "aantal", 15249),
        ("2,35", True, "percentage", 2.35),
        ("2,35%", True, "percentage", 2.35),
        ("2,35 %", True, "percentage", 2.35),
        ("1.234,5", True, "percentage", 1234.5),
        ("2.35", False, "percentage", 2.35),
        ("1.000", False, "percentage", 1.0),  # percentages keep their decimals
        ("15249", False, "aantal", 15249),
        (" 15249\u00a0", False, "aantal", 15249),
        ("", True, "aantal", None),
        ("–", True, "aantal", None),
    ],
)
def test_parse_number(text, comma, kind, expected):
    assert parse_number(text, comma, kind) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("text", "comma", "kind"),
    [("2.35", True, "percentage"), ("15,249", False, "aantal"), ("1.2.3", True, "aantal"), ("abc", False, "aantal")],
)
def test_ambiguous_number_is_an_error(text, comma, kind):
    with pytest.raises(schema_module.CellError):
        parse_number(text, comma, kind)


# (text, ';' file, kind) -> what the message says; each of these used to load as a (wrong) number
WRONG_NUMBERS = [
    ("1.000", False, "aantal", "schrijf 1000 zonder punt; in een bestand met ',' als scheidingsteken is de punt"),
    ("14.339", False, "aantal", "schrijf 14339 zonder punt"),
    ("1.000.000", False, "aantal", "schrijf 1000000 zonder punt"),
    ("14 339", False, "aantal", "schrijf 14339 zonder spatie"),
    ("14\u00a0339", False, "aantal", "schrijf 14339 zonder spatie"),
    ("14'339", False, "aantal", "schrijf 14339 zonder apostrof"),
    ("443.0", False, "aantal", "een aantal is een geheel getal van alleen cijfers, zonder punt"),
    ("443%", False, "aantal", "een procentteken hoort alleen bij een percentage"),
    ("443%", True, "aantal", "een procentteken hoort alleen bij een percentage"),
    ("\u0661\u0664\u0663\u0663\u0669", False, "aantal", "geen aantal"),  # Arabic-Indic 14339
    ("\u0661\u0664\u0663\u0663\u0669", True, "aantal", "geen eenduidig getal"),
    ("\uff10\uff11\uff12\uff13", False, "percentage", "geen getal"),  # fullwidth 0123
    ("\uff11\uff14.\uff13\uff13\uff19", True, "aantal", "geen eenduidig getal"),
    ("\u06f2,\u06f5", True, "percentage", "geen eenduidig getal"),  # Persian 2,5
    ("1 4 3 3 9", True, "aantal", "geen eenduidig getal"),
    ("1_000", False, "aantal", "geen aantal"),  # float() takes underscores
]


@pytest.mark.parametrize(("text", "comma", "kind", "expected"), WRONG_NUMBERS)
def test_number_that_is_not_unambiguous_is_refused_with_a_hint(text, comma, kind, expected):
    with pytest.raises(schema_module.CellError) as caught:
        parse_number(text, comma, kind)
    assert expected in str(caught.value)


def test_thousands_with_a_point_in_a_comma_file_is_refused_not_read_as_one(tmp_path):
    path = tmp_path / "wettelijk_verzuim.csv"
    path.write_text(GOOD.replace("443", "1.000"))
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["wettelijk_verzuim"])
    assert [str(m) for m in caught.value.meldingen] == [
        f"{path}, kolom 'wettelijk_verzuim', rij 3: '1.000' is geen eenduidig aantal: schrijf 1000 zonder punt; "
        "in een bestand met ',' als scheidingsteken is de punt een decimaalteken."
    ]


@pytest.mark.parametrize("year", ["\u0662\u0660\u0662\u0662-\u0662\u0660\u0662\u0663", "２０２２-２０２３"])
def test_schooljaar_in_digits_of_another_script_is_refused(tmp_path, year):
    path = tmp_path / "wettelijk_verzuim.csv"
    path.write_text(GOOD.replace("2022-2023", year), encoding="utf-8")
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["wettelijk_verzuim"])
    assert "kolom 'schooljaar', rij 3:" in str(caught.value) and "typ de cijfers 0-9" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2022-2023", "2022-2023"), ("2022/23", "2022-2023"), ("2022 - 2023", "2022-2023"), ("1999/00", "1999-2000")],
)
def test_schooljaar_normalised(text, expected):
    assert parse_schooljaar(text) == expected


@pytest.mark.parametrize("text", ["2023-2022", "2022-2024", "22-23", "2022", "schooljaar 2022"])
def test_malformed_schooljaar_refused(text):
    with pytest.raises(schema_module.CellError):
        parse_schooljaar(text)


# --- bad input: Dutch message naming file, column and row, non-zero exit code ------------

GOOD = "schooljaar,wettelijk_verzuim,herhaald_wettelijk_verzuim,noot\n2021-2022,395,158,\n2022-2023,443,158,\n"
BAD_INPUT = {
    "onbekende kolom": (GOOD.replace(",noot", ",noot,extra").replace("158,\n", "158,,1\n"), "extra", 1),
    "hernoemde kolom": (GOOD.replace("herhaald_wettelijk_verzuim", "herhaald"), "herhaald_wettelijk_verzuim", 1),
    "ontbrekende kolom": (
        GOOD.replace(",herhaald_wettelijk_verzuim", "").replace(",158", ""),
        "herhaald_wettelijk_verzuim",
        1,
    ),
    "tekst in getal": (GOOD.replace("443", "veel"), "wettelijk_verzuim", 3),
    "negatief aantal": (GOOD.replace("443", "-443"), "wettelijk_verzuim", 3),
    "geen geheel getal": (GOOD.replace("443", "443.5"), "wettelijk_verzuim", 3),
    "dubbel schooljaar": (GOOD.replace("2022-2023", "2021-2022"), "schooljaar", 3),
    "verkeerd schooljaar": (GOOD.replace("2022-2023", "2023-2022"), "schooljaar", 3),
    "bsn-kolom": (GOOD.replace(",noot", ",bsn").replace("158,\n", "158,123456782\n"), "bsn", 1),
    "bsn-waarde": (GOOD.replace("158,\n2022", "158,111222333\n2022"), "noot", 2),
}


def _run_validate(capsys) -> tuple[int, str]:
    code = cli.main(["validate", "deventer", "2022-2023"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_names_file_column_and_row(project, capsys, case):
    content, column, row = BAD_INPUT[case]
    (paths.DATA / "deventer" / "wettelijk_verzuim.csv").write_text(content, encoding="utf-8")
    code, err = _run_validate(capsys)
    assert code == 1
    assert "data/deventer/wettelijk_verzuim.csv" in err
    assert f"kolom '{column}'" in err
    if row is not None:
        assert f"rij {row}" in err


def test_percentage_outside_range(project, capsys):
    path = paths.DATA / "deventer" / "jongeren_vsv.csv"
    path.write_text(path.read_text().replace("2.35,2.38", "235,2.38"), encoding="utf-8")
    code, err = _run_validate(capsys)
    assert code == 1
    assert "kolom 'percentage_vsv', rij 6" in err
    assert "tussen 0 en 100" in err


def test_missing_file(project, capsys):
    (paths.DATA / "deventer" / "vrijstellingen.csv").unlink()
    code, err = _run_validate(capsys)
    assert code == 1
    assert "data/deventer/vrijstellingen.csv: het bestand bestaat niet" in err


def test_empty_file(project, capsys):
    (paths.DATA / "deventer" / "vrijstellingen.csv").write_text("")
    code, err = _run_validate(capsys)
    assert code == 1
    assert "data/deventer/vrijstellingen.csv: het bestand is leeg" in err


def test_person_level_data_is_refused_with_reason(project, capsys):
    path = paths.DATA / "deventer" / "leerplichtigen.csv"
    path.write_text("schooljaar,leerplichtigen,noot,geboortedatum\n2022-2023,14339,,2010-01-01\n")
    code, err = _run_validate(capsys)
    assert code == 1
    assert "kolom 'geboortedatum'" in err and "persoonsgegevens" in err


def test_bsn_detection_uses_elfproef():
    assert loading._looks_like_bsn("123456782")
    assert not loading._looks_like_bsn("123456789")
    assert not loading._looks_like_bsn("15249")


def test_all_problems_of_a_file_are_reported_together(tmp_path):
    path = tmp_path / "wettelijk_verzuim.csv"
    path.write_text(GOOD.replace("443", "-1").replace("395", "x"))
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["wettelijk_verzuim"])
    assert len(caught.value.meldingen) == 2


# --- person-level data in free text (privacy.find_person_data) ----------------------------

PERSON_DATA = [
    ("Leerling met bsn 123456782 verhuisd.", "burgerservicenummer"),
    ("bsn: 1234 56 782", "burgerservicenummer"),
    ("nummer 123.456.782 in de melding", "burgerservicenummer"),
    ("123 456 782", "burgerservicenummer"),
    ("1234.56.782", "burgerservicenummer"),
    ("12.34.56.782", "burgerservicenummer"),
    ("geboren op 3 maart 2010", "geboortedatum"),
    ("geb. 03-03-2010", "geboortedatum"),
    ("Geboortedatum: 2010-03-03", "geboortedatum"),
    ("geb.datum 3/3/10", "geboortedatum"),
    ("moeder geboren 12-05-1975", "geboortedatum"),  # a parent's birth date is person data too
    ("Jan de Vries (03-03-2010) verzuimde vaak.", "naam"),
    ("12-03-2010, J. Jansen", "naam"),
    ("leerling Sanne, 3 maart 2010", "naam"),
    ("Fatima El Amrani 12-03-2012", "naam"),
    ("A.B. van der Berg (1-1-2011)", "naam"),
    ("Mohammed Yilmaz, 14-7-2008", "naam"),
    # written so that a plain pattern misses it, though a reader sees the same
    ("123 456\n782", "burgerservicenummer"),  # over a line break
    ("bsn 123 456\r\n782", "burgerservicenummer"),
    ("123\u00a0456\u00a0782", "burgerservicenummer"),  # non-breaking spaces
    ("123\u202f456\u202f782", "burgerservicenummer"),  # narrow non-breaking spaces
    ("123-456-782", "burgerservicenummer"),
    ("1234 - 56 - 782", "burgerservicenummer"),
    ("123456\u200b782", "burgerservicenummer"),  # zero-width space
    ("12\u2060345\ufeff6782", "burgerservicenummer"),  # word joiner, BOM
    ("123\u00ad456\u00ad782", "burgerservicenummer"),  # soft hyphens
    ("123&nbsp;456&nbsp;782", "burgerservicenummer"),  # an HTML entity renders as a space
    ("**123456782**", "burgerservicenummer"),
    ("\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff12", "burgerservicenummer"),  # fullwidth
    ("\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0662", "burgerservicenummer"),  # Arabic-Indic
    ("ge\u00adboren op 3\u00a0maart 2010", "geboortedatum"),
    ("GEBOREN 03-03-2010", "geboortedatum"),
    ("**Jan de Vries** (03-03-2010)", "naam"),  # Markdown emphasis
    ("__Jan de Vries__, 03-03-2010", "naam"),
    ("*Jan* *de Vries* 03-03-2010", "naam"),
    ("<b>Jan de Vries</b> (03-03-2010)", "naam"),  # an HTML tag
    ("JAN DE VRIES 03-03-2010", "naam"),  # all capitals
    ("sanne jansen 03-03-2010", "naam"),  # all lowercase
    ("jan de vries (3 maart 2010)", "naam"),
    ("03-03-2010, sanne jansen", "naam"),
    ("Jan de vries 03-03-2010", "naam"),
    ("leerling sanne, 3 maart 2010", "naam"),
    ("Ömer Yılmaz 03-03-2010", "naam"),  # letters beyond Latin-1
    ("Łukasz Wiśniewski, 4-5-2011", "naam"),
    ("Zoë Çelik (12-12-2012)", "naam"),
    ("Jan de\nVries (03-03-2010)", "naam"),  # over a line break
    ("Jan\u200b de Vries 03-03-2010", "naam"),
    ("J. de Vries\n03-03-2010", "naam"),
]
NO_PERSON_DATA = [
    "Huisbezoeken door de jongerenwerker van Raster in de periode maart 2022 tot maart 2023.",
    "De overstapcoach is gestart in april 2021.",
    "Schooljaar start corona (maart 2020).",
    "peildatum 1 oktober 2022",
    "Peildatum 1 oktober 2019, Basisregistratie Personen",
    "Bron: Dienst Uitvoering Onderwijs, 1 oktober 2019",
    "Gemeente Deventer, 01-10-2019",
    "Sinds 1 augustus 2018 voert Bewust Aanwezig op School gesprekken.",
    "Kinderen geboren vóór 1 oktober 2018 zijn leerplichtig.",
    "Jan de Vries (03-03-1970)",  # not a pupil's age
    "Jan de Vries 1 oktober 2022",  # the school year itself
    "123456789",  # fails the elfproef
    "15.249 en 14.339 leerlingen",
    "in 2021 2022 1 keer",
    "telefoon 0570 123 456",
    "Absoluut verzuim: 87 meldingen; na analyse 33 kinderen/jongeren. 31 leerlingen vertrokken zonder "
    "uitschrijving uit de Basisregistratie Personen.",
    "",
    # ordinary sentences with a date, in any case: names are looked for in any case now
    "sinds 1 oktober 2022 is er een overstapcoach",
    "sinds 1 oktober 2019 is er een overstapcoach",  # a year a pupil could be born in
    "de telling van 1 oktober 2021",
    "de telling van 1 oktober 2019 telt mee",
    "de cijfers van 01-10-2019 zijn bijgesteld",
    "vanaf 1 januari 2019 geldt nieuwe wetgeving",
    "op 1 januari 2019: nieuwe regels voor vrijstellingen",
    "Sinds 1 augustus 2018 voert bas de gesprekken",
    "vanaf 1 augustus 2018, mede door corona, minder meldingen",
    "aantal meldingen 01-10-2019",
    "stand per 1 oktober 2019",
    "tot en met 31-07-2019 telde DUO anders",
    "meldingen tussen 01-08-2018 en 31-07-2019",
    "in de periode 1-8-2018 t/m 31-7-2019",
    "in Deventer 01-10-2019",
    "o.a. corona 01-10-2019",  # an abbreviation, not initials
    "PEILDATUM 1 OKTOBER 2019, BRON DUO",
    "VANAF 1 JANUARI 2019 GELDT NIEUWE WETGEVING",
    "**Peildatum** 1 oktober 2019",
    "telefoon 0570-123 456",
    "2018-2019: 384 meldingen, 2019-2020: 308",
]


@pytest.mark.parametrize(("text", "expected"), PERSON_DATA)
def test_person_data_in_text_is_found(text, expected):
    found = privacy.find_person_data(text, "2022-2023")
    assert found is not None and expected in found
    assert not any(ch.isdigit() for ch in found)  # never repeats the value


@pytest.mark.parametrize("text", NO_PERSON_DATA)
def test_ordinary_notes_are_no_person_data(text):
    assert privacy.find_person_data(text, "2022-2023") is None


def test_pupil_age_follows_the_school_year():
    text = "Jan de Vries (03-03-2010)"
    assert privacy.find_person_data(text, "2022-2023")  # 12 years old
    assert privacy.find_person_data(text, "2040-2041") is None  # 30 years old
    assert privacy.find_person_data(text, "2011-2012") is None  # 1 year old


def test_shipped_notes_have_no_person_data(tables):
    notes = [
        (name, year, note)
        for name, frame in tables.items()
        for year, note in zip(frame["schooljaar"], frame["noot"], strict=True)
        if not pd.isna(note)
    ]
    assert len(notes) >= 8
    assert [n for n in notes if privacy.find_person_data(n[2], n[1])] == []


@pytest.mark.parametrize("text", ["A. " * 20000, "Aa van " * 20000, "van de " * 20000 + "X", "1-1-2010 " * 5000])
def test_person_data_search_is_fast_on_long_text(text):
    import time

    start = time.perf_counter()
    privacy.find_person_data(text, "2022-2023")
    assert time.perf_counter() - start < 1.0


# --- shapes, encodings and sizes: refused with the file, and the row a person sees ------------

LEERPLICHTIGEN = "schooljaar,leerplichtigen,noot\n2021-2022,14354,\n"


def _load_text(tmp_path, content: bytes | str, table: str = "leerplichtigen"):
    path = tmp_path / f"{table}.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return load_table(path, schema()[table])


def _refusal(tmp_path, content, table: str = "leerplichtigen") -> list[str]:
    with pytest.raises(InvoerFout) as caught:
        _load_text(tmp_path, content, table)
    return [str(m) for m in caught.value.meldingen]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (LEERPLICHTIGEN + "2022-2023,14,339,\n", "rij 3: deze rij heeft 4 cellen, de kopregel 3"),
        (LEERPLICHTIGEN + "2022-2023,14339\n", "rij 3: deze rij heeft 2 cellen, de kopregel 3"),
        ("schooljaar;leerplichtigen;noot\n2022-2023;14;339;\n", "rij 2: deze rij heeft 4 cellen"),
    ],
)
def test_row_not_as_wide_as_the_header_is_refused(tmp_path, content, expected):
    found = _refusal(tmp_path, content)
    assert len(found) == 1 and expected in found[0]


def test_full_row_with_empty_last_cell_is_accepted(tmp_path):
    frame = _load_text(tmp_path, LEERPLICHTIGEN + "2023-2024,14100,\n")
    assert frame["leerplichtigen"].tolist() == [14354, 14100]


def test_old_mac_line_endings_are_read(tmp_path):
    frame = _load_text(tmp_path, LEERPLICHTIGEN.replace("\n", "\r") + "2022-2023,14339,\r")
    assert frame["leerplichtigen"].tolist() == [14354, 14339]


# the physical line of every message: blank lines and multi-line quoted notes count
SPACED = (
    '\nschooljaar,leerplichtigen,noot\n\n2019-2020,15020,"regel een\nregel twee"\n\n'
    '2020-2021,{a},\n2021-2022,14354,"een\n\ntwee"\n{b},{c},{note}\n'
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"a": "veel", "b": "2022-2023", "c": "14339", "note": ""}, "kolom 'leerplichtigen', rij 7:"),
        ({"a": "14883", "b": "2022-2023", "c": "-1", "note": ""}, "kolom 'leerplichtigen', rij 11:"),
        ({"a": "14883", "b": "2020-2021", "c": "14339", "note": ""}, "kolom 'schooljaar', rij 11:"),
        ({"a": "14883", "b": "2022-2023", "c": "14339", "note": "bsn 1234 56 782"}, "kolom 'noot', rij 11:"),
        ({"a": "123.456.782", "b": "2022-2023", "c": "14339", "note": ""}, "kolom 'leerplichtigen', rij 7:"),
    ],
)
def test_row_numbers_are_the_lines_a_person_sees(tmp_path, values, expected):
    found = _refusal(tmp_path, SPACED.format(**values))
    assert len(found) == 1 and expected in found[0], found


def test_header_problem_names_the_header_line(tmp_path):
    found = _refusal(tmp_path, "\n\nschooljaar,aantal,noot\n2022-2023,1,\n")
    assert any("kolom 'leerplichtigen', rij 3: deze kolom ontbreekt" in f for f in found)


def _workbook(tmp_path, rows: list[list], name: str = "leerplichtigen"):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / f"{name}.xlsx"
    book.save(path)
    return path


def test_xlsx_rows_are_sheet_rows(tmp_path):
    header = ["schooljaar", "leerplichtigen", "noot"]
    path = _workbook(tmp_path, [[], header, ["2021-2022", 14354], [], ["2022-2023", "veel"]])
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["leerplichtigen"])
    assert "kolom 'leerplichtigen', rij 5:" in str(caught.value)


def test_xlsx_value_right_of_the_header_is_refused(tmp_path):
    header = ["schooljaar", "leerplichtigen", "noot"]
    path = _workbook(tmp_path, [header, ["2021-2022", 14354], ["2022-2023", 14, None, 339]])
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["leerplichtigen"])
    assert [str(m) for m in caught.value.meldingen] == [
        f"{path}, kolom 'D', rij 3: deze cel staat rechts van de laatste kolom van de kopregel ('noot') en "
        "zou wegvallen. Zet de waarde in de goede kolom of verwijder hem."
    ]


def test_xlsx_cell_outside_the_stored_dimension_is_still_seen(tmp_path):
    import zipfile

    header = ["schooljaar", "leerplichtigen", "noot"]
    path = _workbook(tmp_path, [header, ["2022-2023", 14, None, 339]])
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    dimension = re.search(r'<dimension ref="A1:D2" ?/>', sheet)  # openpyxl writes it with or without lxml
    assert dimension, sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(dimension[0], '<dimension ref="A1:C2"/>').encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["leerplichtigen"])
    assert "kolom 'D', rij 2" in str(caught.value)


def _rewritten(path, part: str, old: str, new: str) -> None:
    """Replace `old` by `new` in one XML part of a workbook, as another program would have written it."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    text = parts[part].decode()
    written = old if old in text else old.replace("<v />", "<v></v>").replace(" />", "/>")  # as lxml writes it
    assert written in text, text[-500:]
    parts[part] = text.replace(written, new).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def _as_saved_by_excel(path) -> None:
    """Excel drops openpyxl's request to recalculate everything on opening when it saves."""
    _rewritten(path, "xl/workbook.xml", ' fullCalcOnLoad="1"', "")


HEADER = ["schooljaar", "leerplichtigen", "noot"]
UNCOMPUTED = (
    "deze cel (werkblad 'Sheet') bevat een formule zonder berekende waarde; open en sla het bestand op in Excel"
)


def test_xlsx_formula_without_computed_value_is_refused_not_published_as_unknown(tmp_path):
    path = _workbook(tmp_path, [HEADER, ["2021-2022", 14354], ["2022-2023", "=14000+339", "=B2"]])
    _as_saved_by_excel(path)  # the formulas still have no stored value: no program computed them
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["leerplichtigen"])
    assert [str(m) for m in caught.value.meldingen] == [
        f"{path}, kolom '{column}', rij 3: {UNCOMPUTED}, of typ de waarde." for column in ("leerplichtigen", "noot")
    ]


def test_xlsx_formula_with_a_dummy_value_from_a_script_is_refused(tmp_path):
    path = _workbook(tmp_path, [HEADER, ["2022-2023", "=14000+339"]])
    _rewritten(path, "xl/worksheets/sheet1.xml", "<f>14000+339</f><v />", "<f>14000+339</f><v>0</v>")  # XlsxWriter
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["leerplichtigen"])
    assert f"kolom 'leerplichtigen', rij 2: {UNCOMPUTED}" in str(caught.value)


def test_xlsx_formula_computed_by_excel_is_read(tmp_path):
    path = _workbook(tmp_path, [HEADER, ["2022-2023", "=14000+339", '=IF(B2>0,"","x")']])
    _as_saved_by_excel(path)
    sheet = "xl/worksheets/sheet1.xml"
    _rewritten(path, sheet, "<f>14000+339</f><v />", "<f>14000+339</f><v>14339</v>")
    _rewritten(path, sheet, '<c r="C2">', '<c r="C2" t="str">')  # Excel's empty text result: <v></v> of type str
    frame = load_table(path, schema()["leerplichtigen"])
    assert frame["leerplichtigen"].tolist() == [14339]
    assert frame["noot"].isna().all()


def test_xlsx_formula_in_the_header_is_refused_as_such(tmp_path):
    path = _workbook(tmp_path, [["schooljaar", '="leerplichtigen"', "noot"], ["2022-2023", 14339]])
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["leerplichtigen"])
    assert [str(m) for m in caught.value.meldingen] == [f"{path}, kolom 'B', rij 1: {UNCOMPUTED}, of typ de waarde."]


def test_xlsx_count_formatted_as_percentage_is_refused_not_multiplied(tmp_path):
    from openpyxl import load_workbook

    path = _workbook(tmp_path, [HEADER, ["2022-2023", 443]])
    book = load_workbook(path)
    book.active["B2"].number_format = "0%"
    book.save(path)
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["leerplichtigen"])
    assert [str(m) for m in caught.value.meldingen] == [
        f"{path}, kolom 'leerplichtigen', rij 2: deze cel heeft in Excel procentopmaak (44300%), maar de kolom is "
        "een aantal. Excel bewaart een procent als breuk: welk aantal bedoeld is, is niet zeker. Geef de cel de "
        "opmaak Getal of Standaard en controleer het aantal."
    ]


def test_xlsx_percentage_formatted_cell_in_a_text_column_keeps_its_percent(tmp_path):
    from openpyxl import load_workbook

    path = _workbook(tmp_path, [HEADER, ["2022-2023", 14339, 0.044]])
    book = load_workbook(path)
    book.active["C2"].number_format = "0.0%"
    book.save(path)
    assert load_table(path, schema()["leerplichtigen"]).iloc[0]["noot"] == "4.4%"


ENCODED = LEERPLICHTIGEN.replace(",", "\t")
NOT_TEXT = {
    "utf-16 met bom": (ENCODED.encode("utf-16"), "UTF-16"),
    "utf-16 zonder bom": (LEERPLICHTIGEN.encode("utf-16-le"), "UTF-16"),
    "utf-16 big endian": (LEERPLICHTIGEN.encode("utf-16-be"), "UTF-16"),
    "utf-32 met bom": (LEERPLICHTIGEN.encode("utf-32"), "opgeslagen als UTF-32"),
    "utf-32 zonder bom": (LEERPLICHTIGEN.encode("utf-32-le"), "opgeslagen als UTF-32"),
    "utf-32 big endian": (LEERPLICHTIGEN.encode("utf-32-be"), "opgeslagen als UTF-32"),
    "utf-32 kort": ("a,b\n".encode("utf-32-le"), "opgeslagen als UTF-32"),
    "nul-tekens": (LEERPLICHTIGEN.encode().replace(b"14354", b"14\x0054"), "binaire gegevens"),
    "zip": (b"PK\x03\x04\x14\x00\x00\x00", "zip-bestand"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "een PDF"),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "oud Office-bestand"),
    "stuurtekens": (LEERPLICHTIGEN.encode().replace(b"14354", b"14\x0154"), "stuurtekens"),
    "bom maar geen utf-8": (b"\xef\xbb\xbf" + LEERPLICHTIGEN.encode() + b"2022-2023,1,\xff\n", "geen UTF-8"),
    "tabs": (ENCODED.encode(), "tabs"),
}


@pytest.mark.parametrize("case", list(NOT_TEXT))
def test_other_encodings_and_binary_files_get_a_format_message(tmp_path, case):
    content, expected = NOT_TEXT[case]
    found = _refusal(tmp_path, content)
    assert len(found) == 1 and expected in found[0]
    assert "ontbreekt" not in found[0]
    assert "CSV UTF-8" in found[0]


def test_xlsx_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "leerplichtigen.xlsx"
    path.write_text(LEERPLICHTIGEN)
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["leerplichtigen"])
    assert "dit is geen Excel-werkmap (.xlsx)" in str(caught.value)


def test_unclosed_quote_does_not_swallow_the_rest_of_the_file(tmp_path):
    found = _refusal(tmp_path, LEERPLICHTIGEN + '2022-2023,14339,"open\n2023-2024,14100,\n')
    assert len(found) == 1 and "rij 3: deze regel is niet te lezen als CSV" in found[0]


def test_file_above_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(ruwecellen, "MAX_BYTES", 100)
    monkeypatch.setattr(ruwecellen.Path, "read_bytes", lambda self: pytest.fail("read"))
    found = _refusal(tmp_path, LEERPLICHTIGEN * 10)
    assert found == [
        f"{tmp_path / 'leerplichtigen.csv'}: het bestand is 0,0 MB; een invoertabel mag hoogstens 0 MB "
        "zijn (één rij per schooljaar). Is dit het goede bestand?"
    ]


def test_too_many_rows_are_refused_at_the_first_one_too_many(tmp_path, monkeypatch):
    monkeypatch.setattr(ruwecellen, "MAX_ROWS", 3)
    rows = "".join(f"{2000 + i}-{2001 + i},{i},\n" for i in range(10))
    found = _refusal(tmp_path, "schooljaar,leerplichtigen,noot\n\n" + rows)
    assert len(found) == 1 and "rij 6: het bestand heeft meer dan 3 rijen" in found[0]


def test_xlsx_unpacking_to_much_more_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ruwecellen, "MAX_UNPACKED", 1000)
    path = _workbook(tmp_path, [["schooljaar", "leerplichtigen", "noot"], ["2022-2023", 14339]])
    with pytest.raises(InvoerFout) as caught:
        load_table(path, schema()["leerplichtigen"])
    assert "pakt uit tot meer dan" in str(caught.value)


def test_messages_quote_values_briefly_and_show_the_first_ten_per_file(tmp_path):
    rows = "".join(f"{2000 + i}-{2001 + i},{'x' * 10_000},\n" for i in range(25))
    with pytest.raises(InvoerFout) as caught:
        _load_text(tmp_path, "schooljaar,leerplichtigen,noot\n" + rows)
    message = str(caught.value)
    assert len(caught.value.meldingen) == 25
    assert message.count("\n  - ") == 11
    assert message.endswith(f"{tmp_path / 'leerplichtigen.csv'}: en 15 meer melding(en).")
    assert len(message) < 3000


def test_a_long_header_name_is_quoted_briefly(tmp_path):
    found = _refusal(tmp_path, "schooljaar,leerplichtigen,noot," + "k" * 100_000 + "\n2022-2023,1,,\n")
    assert max(len(f) for f in found) < 300


@pytest.mark.parametrize(
    ("content", "comma"),
    [("99999999999999999999", False), ("9" * 400, False), ("1.000.000.000.000", True), (1e20, True)],
)
def test_number_too_big_for_a_count_is_refused_not_a_crash(content, comma):
    with pytest.raises(schema_module.CellError, match="te groot"):
        parse_number(content, comma, "aantal")


def test_every_row_keeps_the_line_it_came_from():
    tables = load_tables("deventer")
    path = paths.DATA / "deventer" / "vsv_onderwijssoort.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    frame, where = tables["vsv_onderwijssoort"], tables.regels["vsv_onderwijssoort"]
    assert len(where) == len(frame) and sorted(where) == list(range(2, len(lines) + 1))
    for position, line in enumerate(where):  # the frame is sorted; each row still points at its own line
        year, soort, vsv = lines[line - 1].split(",")[:3]
        assert (frame.at[position, "schooljaar"], frame.at[position, "onderwijssoort"]) == (year, soort)
        assert frame.at[position, "vsv"] == int(vsv)
    assert tables.sha256["data/deventer/vsv_onderwijssoort.csv"] == hashlib.sha256(path.read_bytes()).hexdigest()
