"""The auditor's trail: every printed number traced to a source cell or a formula over such cells."""

from __future__ import annotations

import csv
import hashlib
import json
import re

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, html_text
from openpyxl import load_workbook

from jaarverslag import bundel
from jaarverslag.inhoud import indicators
from jaarverslag.inhoud.findings import INLEIDING
from jaarverslag.inhoud.herkomst import Bron, Herleiding
from jaarverslag.invoer.definitie import verslag

pytestmark = pytest.mark.e2e  # reads the bundle of a real build

SCHOOLJAAR = re.compile(r"\d{4}-\d{4}")
NUMBER = re.compile(r"[+−-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?|[+−-]?\d+(?:,\d+)?")
USED = re.compile(r"b(\d+) = (\S+) \(([^,]+), regel (\d+), kolom (\w+)\)")


@pytest.fixture(scope="module")
def trail(built_report) -> pd.DataFrame:
    return pd.read_csv(built_report / bundel.HERKOMST, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def council(built_report) -> BeautifulSoup:
    return BeautifulSoup((built_report / "jaarverslag.html").read_text(encoding="utf-8"), "html.parser")


def _root(built_report):
    return built_report.parents[2]


def _value(printed: str) -> float:
    """'−1.234,5%' -> -1234.5"""
    text = printed.replace("procentpunt", "").replace("%", "").replace("−", "-").replace("+", "").strip()
    return float(text.replace(".", "").replace(",", "."))


def _decimals(printed: str) -> int:
    number = printed.replace("procentpunt", "").replace("%", "").strip()
    return len(number.split(",")[1]) if "," in number else 0


def _row_label(cell) -> str:
    for mark in cell.find_all("sup"):
        mark.extract()
    return cell.get_text(" ", strip=True)


def _traced(row: pd.Series) -> bool:
    source = all(row[k] for k in ("bestand", "regel", "bronkolom", "sha256"))
    formula = all(row[k] for k in ("formule", "rekenregel", "gebruikte_cijfers"))
    return source != formula  # exactly one of the two


def test_every_number_in_the_council_tables_is_in_herkomst_with_a_source_or_formula(council, trail):
    traced = {(r.onderschrift_of_kernpunt, r.rij, r.kolom, r.waarde) for _, r in trail.iterrows() if _traced(r)}
    checked = 0
    for table in council.select("table.cijfers:not(.datakwaliteit)"):
        caption = table.caption.get_text(strip=True)
        headers = [th.get_text(strip=True) for th in table.thead.find_all("th")]
        for tr in table.select("tbody tr, tfoot tr"):
            label = _row_label(tr.th)
            for header, td in zip(headers[1:], tr.find_all("td"), strict=True):
                if re.search(r"\d", td.get_text()):  # a number, not '–' or a direction word
                    assert (caption, label, header, td.get_text(strip=True)) in traced, (caption, label, header)
                    checked += 1
    tables = trail[~trail.sectie.isin(["kernpunten", "datakwaliteit", "raadsmededeling"]) & (trail.kolom != "tekst")]
    assert checked == len(tables) == 176 + 25  # and every table row of the trail is printed (25 on Kerncijfers)


def test_every_number_in_the_data_quality_table_is_traced(council, trail):
    quality = trail[(trail.sectie == "datakwaliteit") & (trail.kolom != "aantal onvolkomenheden")]
    assert quality.apply(_traced, axis=1).all()
    rows = council.select("table.datakwaliteit tbody tr")
    assert len(rows) == 4
    checked = 0
    for tr in rows:
        title, year, sentence = [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        printed = set(quality[quality.rij == f"{title}, {year}"].waarde)
        numbers = NUMBER.findall(SCHOOLJAAR.sub(" ", sentence))
        assert numbers and {n if n.endswith("%") else n for n in numbers} <= printed | {p.rstrip("%") for p in printed}
        checked += len(numbers)
    assert checked == 9  # 0% and 23, three times; 164, 166 and their difference 2


def test_every_number_in_the_key_findings_is_traced(council, trail):
    wording = " ".join(getattr(r, "onderwerp", "") + getattr(r, "zin", "") for r in verslag("deventer").regels)
    wording += " ".join(i.onderwerp + i.onderwerp_officieel for i in indicators.PER_1000.values())
    fixed = set(NUMBER.findall(wording))  # numbers that are part of a rule's words (artikel 15, per 1.000)
    items = council.select("ul.kernpunten li") + council.select(".sectiepunten li")
    assert (
        len(council.select("ul.kernpunten li")) == INLEIDING and len(items) == INLEIDING + 12
    )  # the first points, then by section: ten points, verzuim's in its three sections
    for item in items:
        text = item.get_text(strip=True)
        rows = trail[(trail.sectie == "kernpunten") & (trail.onderschrift_of_kernpunt == text)]
        assert len(rows) >= 2 and rows.apply(_traced, axis=1).all(), text
        rest = SCHOOLJAAR.sub(" ", text)
        for printed in sorted(rows.waarde, key=len, reverse=True):
            assert printed in rest, (printed, text)
            rest = rest.replace(printed, " ", 1)
        assert set(NUMBER.findall(rest)) <= fixed, (text, rest)


def _source_cell(root, bestand: str, regel: int, kolom: str) -> str:
    with open(root / bestand, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            if reader.line_num == regel:
                return row[kolom]
    raise AssertionError(f"{bestand} heeft geen regel {regel}")


def test_every_source_row_holds_the_printed_value_and_the_validated_sha256(built_report, trail):
    root = _root(built_report)
    validated = json.loads((built_report / bundel.MANIFEST).read_text())["invoer"]
    sources = trail[trail.bestand != ""]
    assert len(sources) > 200
    for _, row in sources.iterrows():
        if row.bestand == bundel.VALIDATIE[0]:  # the count of findings in the Datakwaliteit text
            found = json.loads((built_report / row.bestand).read_text())["waarschuwingen"]
            assert float(row.getal) == len(found)
            continue
        if row.bestand.startswith("src/"):  # a number in the report definition's own texts
            source = REPO / row.bestand
            assert hashlib.sha256(source.read_bytes()).hexdigest() == row.sha256
        else:
            source = root / row.bestand
            assert validated[row.bestand] == row.sha256
        if "tekst" in (row.kolom, row.bronkolom) and row.bronkolom != "noot":  # a text, or a point's own words
            line = source.read_text(encoding="utf-8").splitlines()[int(row.regel) - 1]
            numbers = [n.lstrip("0") or "0" for n in re.findall(r"\d+(?:[.,]\d+)*", line)]  # 2024-06-01: 1 juni
            assert row.waarde in numbers, (row.to_dict(), line)
            continue
        cell = _source_cell(root, row.bestand, int(row.regel), row.bronkolom)
        if row.bronkolom == "noot":
            assert row.waarde in cell
        else:
            assert round(float(cell), _decimals(row.waarde)) == pytest.approx(_value(row.waarde)), row.to_dict()


def test_every_formula_recomputes_from_its_source_rows_to_the_printed_value(built_report, trail):
    root = _root(built_report)
    formulas = trail[trail.rekenregel != ""]
    assert {"verzuim_per_1000", "kernpunten"} <= set(formulas.sectie)
    for _, row in formulas.iterrows():
        names = {}
        for name, shown, bestand, regel, kolom in USED.findall(row.gebruikte_cijfers):
            names[f"b{name}"] = float(_source_cell(root, bestand, int(regel), kolom))
            assert _value(shown) == pytest.approx(names[f"b{name}"])
        assert names and set(re.findall(r"\bb\d+\b", row.rekenregel)) <= set(names), row.to_dict()
        result = eval(row.rekenregel, {"__builtins__": {}, "round": round}, names)  # noqa: S307 - the trail's own sums
        decimals = _decimals(row.waarde)
        assert round(result, decimals) == pytest.approx(_value(row.waarde), abs=10**-decimals / 2), row.to_dict()
        assert row.formule.endswith(f"= {row.waarde}")


def test_the_absence_per_1000_is_traced_to_its_files(trail):
    row = trail[(trail.sectie == "verzuim_per_1000") & (trail.rij == "2022-2023")].set_index("kolom")
    assert row.loc["Meldingen absoluut verzuim per 1.000 leerplichtigen"].formule == "87 / 14.339 × 1.000 = 6,1"
    analysed = row.loc["Absoluut verzuim na analyse per 1.000 leerplichtigen"]
    assert analysed.formule == "33 / 14.339 × 1.000 = 2,3"
    assert "data/deventer/overig_verzuim.csv, regel 6, kolom absoluut_verzuim_na_analyse" in analysed.gebruikte_cijfers
    relatief = row.loc["Meldingen wettelijk verzuim per 1.000 leerplichtigen"]
    assert relatief.formule == "443 / 14.339 × 1.000 = 30,9"
    used = relatief.gebruikte_cijfers
    assert "data/deventer/wettelijk_verzuim.csv, regel 6, kolom wettelijk_verzuim" in used
    assert "data/deventer/leerplichtigen.csv, regel 6, kolom leerplichtigen" in used


def test_the_workbook_holds_the_trail_as_a_sheet(built_report, trail):
    sheet = load_workbook(built_report / "tabellen.xlsx")["herkomst"]
    rows = list(sheet.iter_rows(values_only=True))
    assert (trail.gedrukt == trail.waarde).all()  # nothing hidden: the sheet leaves the twin column out
    trail = trail.drop(columns="gedrukt")
    assert list(rows[0]) == list(trail.columns)
    assert len(rows) - 1 == len(trail)
    number = list(trail.columns).index("getal")
    as_text = [["" if v is None else str(v) for i, v in enumerate(r) if i != number] for r in rows[1:]]
    assert as_text == trail.drop(columns="getal").values.tolist()
    numbers = [r[number] for r in rows[1:]]
    assert all(isinstance(n, (int, float)) for n in numbers)  # a number in Excel, not text
    assert numbers == pytest.approx([float(v) for v in trail.getal])


def _outputs(cell) -> str:
    return " ".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)


def test_the_notebook_shows_each_sections_source_rows_as_a_dataframe(built_report):
    notebook = nbformat.read(built_report / bundel.NOTEBOOK, as_version=4)
    cells = {c.get("id"): c for c in notebook.cells}
    for section in verslag("deventer").secties.values():
        cell = cells[f"spoor-{section.key.replace('_', '-')}"]
        assert "spoor" in cell.metadata.tags
        frames = [
            o["data"]["text/html"]
            for o in cell.outputs
            if 'class="dataframe"' in o.get("data", {}).get("text/html", "")
        ]
        assert len(frames) == 3, section.key  # source rows, derivations, validation checks
        assert re.search(r"data/deventer/\w+\.csv</th>\s*<th>\d+</th>", frames[0]), section.key
        intro = cell.outputs[0]["data"]["text/markdown"]
        assert re.search(r"`data/deventer/\w+\.csv`: sha256 `[0-9a-f]{64}`", intro), section.key
        assert "geslaagd" in frames[2]
        plain = [o["data"].get("text/plain", "") for o in cell.outputs if "data" in o]
        assert not any(re.search(r"\bNaN\b|<NA>", text) for text in frames + plain), section.key

    # rows of three files in one table: each file's count as a whole number, the others' columns empty
    def source_rows(key: str) -> str:
        cell = cells[f"spoor-{key}"]
        return next(
            o["data"]["text/html"]
            for o in cell.outputs
            if 'class="dataframe"' in o.get("data", {}).get("text/html", "")
        )

    # rows of three files in one table: a count as the file has it, the other files' columns blank
    assert re.search(r"<th>6</th>\s*<td>2022-2023</td>\s*<td>14339</td>\s*<td></td>", source_rows("verzuim-per-1000"))
    # a cell the file leaves empty (absoluut na analyse before 2022-2023) reads (leeg), the file's 33 as it is
    assert "(leeg): die cel is leeg in het bestand" in cells["spoor-overig-verzuim"].outputs[0]["data"]["text/markdown"]
    overig = source_rows("overig-verzuim")
    assert re.search(r"<th>5</th>\s*<td>2021-2022</td>(\s*<td>\d+</td>){3}\s*<td>\(leeg\)</td>", overig)
    assert re.search(r"<th>6</th>\s*<td>2022-2023</td>(\s*<td>\d+</td>){3}\s*<td>33</td>", overig)
    # a decimal column keeps its common places: the file's 0 prints as 0.00 beside 0.77
    assert re.search(r"<td>vo</td>\s*<td>23</td>\s*<td>0.00</td>", source_rows("vsv-onderwijssoort"))
    rows = _outputs(cells["spoor-verzuim-per-1000"])
    assert "33 / 14.339 × 1.000 = 2,3" in rows
    assert "data/deventer/overig_verzuim.csv, regel 6, kolom absoluut_verzuim_na_analyse" in rows
    findings_trail = _outputs(cells["spoor-kernpunten"]) + " ".join(
        o.get("data", {}).get("text/markdown", "") for o in cells["spoor-kernpunten"].outputs
    )
    assert "Regel: Punt 'verzuim' (hoofdstuk Leerplicht, 3 bevinding(en))" in findings_trail
    assert "Trend (overig_verzuim.absoluut_verzuim)" in findings_trail
    assert "(87 − 55) / 55 × 100 = 58" in findings_trail  # the change as read aloud: '(58% meer)'
    headings = [c.source for c in notebook.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert headings == ["## Leerplicht", "## Doorstroompunt"]


def test_the_council_sees_none_of_the_trail(built_report, council):
    from pypdf import PdfReader

    html = str(council)
    assert "Spoor" not in html and 'class="dataframe"' not in html and not re.search(r"[0-9a-f]{64}", html)
    assert 'id="leerplicht"' in html and 'id="doorstroompunt"' in html  # the chapter anchors the contents link to
    pdf = " ".join(page.extract_text() for page in PdfReader(built_report / "jaarverslag.pdf").pages)
    assert "Spoor" not in pdf and "rekenregel" not in pdf and "b0 =" not in pdf


def test_controle_html_is_the_whole_notebook_with_code_and_trail(built_report):
    page = (built_report / bundel.CONTROLE).read_text(encoding="utf-8")
    assert '<html lang="nl">' in page
    text = html_text(page)
    assert "Spoor: Nieuwe voortijdig schoolverlaters" in text and 'verslag . spoor ( "vsv" )' in text
    assert "443 / 14.339 × 1.000 = 30,9" in page
    recorded = json.loads((built_report / bundel.MANIFEST).read_text())["uitvoer"]
    assert {bundel.CONTROLE, bundel.HERKOMST} <= set(recorded)


def _cell(value: float, kolom: str = "x", regel: int = 2) -> Herleiding:
    return Herleiding.cel(Bron("t", "data/x/t.csv", regel, kolom, "ab" * 32, value))


def test_derivations_combine_into_one_sum_over_distinct_cells():
    now, before = _cell(443, regel=6), _cell(395, regel=5)
    change = (now - before) / before * 100
    assert change.rekenregel == "(b0 - b1) / b1 * 100"
    assert len(change.bronnen) == 2  # the cell used twice is named once
    assert change.formule("+12,2") == "(443 − 395) / 395 × 100 = +12,2"
    assert change.waarde == pytest.approx(12.1519, abs=1e-4)
    nested = now - (before - _cell(1.5, regel=4))
    assert nested.formule("50") == "443 − (395 − 1,5) = 50"
    assert (now / _cell(14339) * 1000).rond(1).waarde == 30.9
