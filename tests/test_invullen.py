"""The fill-in workbook: made for a new school year, filled in, read back with validation, nothing lost."""

from __future__ import annotations

import hashlib
import os

import pytest
from openpyxl import load_workbook

from jaarverslag import cli, paths
from jaarverslag.errors import InvoerFout
from jaarverslag.nieuwjaar.inlezen import read_workbook
from jaarverslag.nieuwjaar.invulwerkmap import NAME_ROW, VORIG, make_workbook, werkmap_pad

pytestmark = pytest.mark.e2e  # the real workbook, loader and Great Expectations suites

YEAR = "2023-2024"


def _fingerprint(root) -> dict[str, str]:
    folder = root / "data" / "deventer"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _columns(sheet) -> dict[str, int]:
    return {c.value: c.column for c in sheet[NAME_ROW] if c.value}


def _fill(path, change: dict | None = None):
    """Copy last year's figure into every input cell, then apply {(sheet, column, row): value}."""
    book = load_workbook(path)
    for sheet in book.worksheets[1:]:
        columns = _columns(sheet)
        for name, column in columns.items():
            if name.endswith(VORIG) or f"{name}{VORIG}" not in columns or name == "noot":
                continue
            for row in range(NAME_ROW + 1, sheet.max_row + 1):
                sheet.cell(row, column).value = sheet.cell(row, columns[f"{name}{VORIG}"]).value
    for (title, name, row), value in (change or {}).items():
        sheet = book[title]
        sheet.cell(row, _columns(sheet)[name]).value = value
    book.save(path)
    return book


def _refused(project, workbook, match: str | None = None) -> str:
    """Read the workbook, expect a refusal (matching `match`) and no data file changed; the message."""
    before = _fingerprint(project)
    with pytest.raises(InvoerFout, match=match) as raised:
        read_workbook(workbook)
    assert _fingerprint(project) == before
    return str(raised.value)


@pytest.fixture
def workbook(project):
    return make_workbook("deventer", YEAR)


def test_the_whole_flow_from_workbook_to_report(project, capsys):
    assert cli.main(["nieuw-schooljaar", "deventer", YEAR]) == 0
    path = werkmap_pad("deventer", YEAR)
    assert f"jaarverslag inlezen invullen/{path.name}" in capsys.readouterr().out
    _fill(path, {("leerplichtigen", "leerplichtigen", 4): 14512, ("jongeren_vsv", "vsv", 4): 171})
    assert cli.main(["inlezen", str(path)]) == 0
    out = capsys.readouterr().out
    assert "leerplichtigen 2023-2024, leerplichtigen: leeg → 14.512" in out
    assert "data/deventer/leerplichtigen.csv" in out
    lines = (project / "data" / "deventer" / "leerplichtigen.csv").read_text().splitlines()
    assert lines[-1] == "2023-2024,14512,"
    assert cli.main(["build", "deventer", YEAR, "--stil"]) == 0
    html = (project / "reports" / "deventer" / YEAR / "jaarverslag.html").read_text(encoding="utf-8")
    assert "14.512" in html and "van 184 naar 171" in html


def test_the_workbook_explains_itself_and_shows_last_year(workbook):
    book = load_workbook(workbook)
    assert book.sheetnames[0] == "Uitleg" and len(list(book["Uitleg"].iter_rows())) == 5
    assert "vsv_onderwijssoort" in book.sheetnames and "leerplichtigen" in book.sheetnames
    sheet = book["vsv_onderwijssoort"]
    columns = _columns(sheet)
    assert [sheet.cell(r, columns["onderwijssoort"]).value for r in (4, 5, 6)] == ["vo", "mbo", "vavo"]
    assert {sheet.cell(r, columns["schooljaar"]).value for r in (4, 5, 6)} == {YEAR}
    assert sheet.cell(5, columns["vsv" + VORIG]).value == 154  # mbo 2022-2023, as reference
    assert sheet.cell(2, columns["vsv" + VORIG]).value == "2022-2023 (ter vergelijking)"
    assert sheet.cell(5, columns["vsv" + VORIG]).protection.locked
    assert not sheet.cell(5, columns["vsv"]).protection.locked and sheet.protection.sheet
    assert "Nieuwe voortijdig schoolverlaters uit deze onderwijssoort." in sheet.cell(2, columns["vsv"]).comment.text
    assert sheet.row_dimensions[NAME_ROW].hidden


def test_the_workbook_has_data_validation_on_every_input_cell(workbook):
    sheet = load_workbook(workbook)["vsv_onderwijssoort"]
    columns = _columns(sheet)
    rules = {str(r.sqref): r for r in sheet.data_validations.dataValidation}
    count = rules["C4:C6"]
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert count.showErrorMessage and count.errorStyle == "stop" and "geheel getal" in count.error
    assert count.showInputMessage and count.prompt.startswith("Verplicht: vul dit cijfer in.")
    letter = sheet.cell(4, columns["percentage_vsv"]).column_letter
    share = rules[f"{letter}4:{letter}6"]
    assert (share.type, share.operator, share.formula1, share.formula2) == ("decimal", "between", "0", "100")
    assert "tussen 0 en 100" in share.error


CASES = {
    "tekst in een aantal": (
        {("leerplichtigen", "leerplichtigen", 4): "veel"},
        ["tabblad 'leerplichtigen'", "kolom 'B (Leerplichtigen (leerlingen))'", "rij 4", "'veel'"],
    ),
    "negatief aantal": (
        {("wettelijk_verzuim", "wettelijk_verzuim", 4): -3},
        ["tabblad 'wettelijk_verzuim'", "kolom 'B (Wettelijk verzuim (meldingen))'", "rij 4", "negatief"],
    ),
    "formule": (
        {("leerplichtigen", "leerplichtigen", 4): "=14000+339"},
        ["tabblad 'leerplichtigen'", "kolom 'B (Leerplichtigen (leerlingen))'", "rij 4", "verplicht"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_wrong_cell_is_named_and_nothing_changes(project, workbook, case):
    change, expected = CASES[case]
    _fill(workbook, change)
    message = _refused(project, workbook)
    assert all(part in message for part in expected), message
    assert message.count("\n") < 6  # one list, only the problems


def test_a_formula_is_ignored_with_a_warning_naming_its_cell(project, workbook, capsys):
    _fill(workbook, {("bas_gesprekken", "bas_gesprekken", 4): "=285+1"})
    assert cli.main(["inlezen", str(workbook), "--proef"]) == 0
    err = capsys.readouterr().err
    assert "tabblad 'bas_gesprekken', cel B4: een formule wordt niet gelezen" in err


def test_a_deleted_required_row_is_named(project, workbook):
    book = _fill(workbook)
    book["vsv_onderwijssoort"].delete_rows(5)  # the mbo row
    book.save(workbook)
    message = _refused(project, workbook)
    assert "tabblad 'vsv_onderwijssoort', kolom 'B (Onderwijssoort)': de rij voor 2023-2024, mbo ontbreekt" in message


def test_an_extra_sheet_is_ignored_with_a_warning(project, workbook, capsys):
    book = _fill(workbook)
    book.create_sheet("Mijn aantekeningen")["A1"] = "bellen met DUO"
    book.save(workbook)
    assert cli.main(["inlezen", str(workbook)]) == 0
    captured = capsys.readouterr()
    assert "tabblad 'Mijn aantekeningen': hoort niet bij het jaarverslag; genegeerd" in captured.err
    assert "2023-2024,14339," in (project / "data" / "deventer" / "leerplichtigen.csv").read_text()


def test_a_value_that_differs_from_the_data_is_not_overwritten_unless_asked(project, workbook, capsys):
    _fill(workbook)
    assert cli.main(["inlezen", str(workbook)]) == 0
    _fill(workbook, {("leerplichtigen", "leerplichtigen", 4): 15000})
    before = _fingerprint(project)
    assert cli.main(["inlezen", str(workbook)]) == 1
    err = capsys.readouterr().err
    assert "tabblad 'leerplichtigen', kolom 'B (Leerplichtigen (leerlingen))', rij 4" in err
    assert "staat hier al 14.339 (de werkmap zegt 15.000)" in err and "--overschrijven" in err
    assert _fingerprint(project) == before
    assert cli.main(["inlezen", str(workbook), "--overschrijven"]) == 0
    assert "leerplichtigen 2023-2024, leerplichtigen: 14.339 → 15.000" in capsys.readouterr().out
    assert (project / "data" / "deventer" / "leerplichtigen.csv").read_text().splitlines()[-1] == "2023-2024,15000,"


def test_a_csv_keeps_its_separator_decimal_comma_line_endings_and_bom(project, workbook):
    source = project / "data" / "deventer" / "jongeren_vsv.csv"
    text = source.read_text().replace(",", ";").replace("2.", "2,").replace("1.", "1,")
    original = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    source.write_bytes(original)
    _fill(workbook, {("jongeren_vsv", "percentage_vsv", 4): 2.19})
    read_workbook(workbook)
    written = source.read_bytes()
    assert written.startswith(original)  # every line that was there stays byte for byte
    assert written[len(original) :] == b"2023-2024;7821;184;2,19;2,38;\r\n"


def test_new_rows_of_a_table_grouped_by_category_go_into_their_groups(project, workbook):
    source = project / "data" / "deventer" / "vsv_onderwijssoort.csv"
    original = source.read_text(encoding="utf-8").splitlines(keepends=True)  # grouped: vo, then mbo, then vavo
    _fill(workbook)
    read_workbook(workbook)
    written = source.read_text(encoding="utf-8").splitlines(keepends=True)
    assert [line for line in written if not line.startswith(YEAR)] == original  # every old line, byte for byte
    groups = [line.split(",")[1] for line in written[1:]]
    assert groups == ["vo"] * 6 + ["mbo"] * 6 + ["vavo"] * 6
    assert [written.index(line) for line in written if line.startswith(YEAR)] == [6, 12, 18]


def test_new_rows_of_a_table_grouped_by_school_year_follow_the_last_year(project, workbook):
    source = project / "data" / "deventer" / "vsv_mbo_niveau.csv"
    original = source.read_text(encoding="utf-8").splitlines(keepends=True)
    _fill(workbook)
    read_workbook(workbook)
    written = source.read_text(encoding="utf-8").splitlines(keepends=True)
    assert written[: len(original)] == original
    assert [line.split(",")[:2] for line in written[len(original) :]] == [[YEAR, n] for n in ("1", "2", "3", "4")]


def test_an_xlsx_table_gets_its_new_row_below_the_last(project, workbook):
    from openpyxl import Workbook

    csv_file = project / "data" / "deventer" / "leerplichtigen.csv"
    book = Workbook()
    header, *lines = csv_file.read_text().splitlines()
    book.active.append(header.split(","))
    for line in lines:
        cells = line.split(",")
        book.active.append([cells[0], int(cells[1]), cells[2] or None])
    csv_file.unlink()
    book.save(project / "data" / "deventer" / "leerplichtigen.xlsx")
    _fill(workbook, {("leerplichtigen", "leerplichtigen", 4): 14400})
    read_workbook(workbook)
    rows = list(load_workbook(project / "data" / "deventer" / "leerplichtigen.xlsx").active.iter_rows(values_only=True))
    assert rows[-1][:2] == ("2023-2024", 14400) and len(rows) == 7


def test_writing_is_all_files_or_none(project, workbook, monkeypatch):
    _fill(workbook)
    before = _fingerprint(project)
    real, calls = os.replace, []

    def failing(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        read_workbook(workbook)
    assert _fingerprint(project) == before
    assert not list((project / "data" / "deventer").glob(".*.inlezen"))


def test_a_workbook_of_another_kind_is_refused(project, tmp_path):
    from openpyxl import Workbook

    other = tmp_path / "begroting.xlsx"
    Workbook().save(other)
    with pytest.raises(InvoerFout, match="geen invulwerkmap van het jaarverslag"):
        read_workbook(other)
    assert project == paths.ROOT


def test_a_note_over_two_lines_in_a_crlf_file_keeps_every_row_in_place(project, workbook):
    source = project / "data" / "deventer" / "jongeren_vsv.csv"
    lines = source.read_text().splitlines()
    lines[1] = lines[1].rstrip(",") + ',"eerste regel\ntweede regel"'  # a bare LF inside a quoted note
    lines.insert(5, "2023-2024,,180,,,")  # the new year's row exists already, before the last row
    original = "\r\n".join(lines) + "\r\n"
    source.write_bytes(original.encode())
    _fill(workbook, {("jongeren_vsv", "jongeren", 4): 7900, ("jongeren_vsv", "vsv", 4): 180})
    read_workbook(workbook)
    written = source.read_bytes().decode()
    assert written == original.replace("2023-2024,,180,,,", "2023-2024,7900,180,2.35,2.38,")


def test_personal_data_in_a_note_is_refused(project, workbook):
    _fill(workbook, {("leerplichtigen", "noot", 4): "leerling 111222333 geboren 01-02-2010"})
    _refused(project, workbook, "tabblad 'leerplichtigen'")


def test_a_cell_far_outside_the_table_is_refused_before_it_is_read(project, workbook):
    book = _fill(workbook)
    book["leerplichtigen"].cell(200000, 200).value = " "
    book.save(workbook)
    with pytest.raises(InvoerFout, match="ver buiten de tabel"):
        read_workbook(workbook)


def test_percent_formatted_cells_read_as_percent_and_a_count_so_formatted_is_refused(project, workbook):
    book = _fill(workbook)
    sheet = book["jongeren_vsv"]
    column = _columns(sheet)
    sheet.cell(4, column["percentage_vsv"]).value = 0.0207
    sheet.cell(4, column["percentage_vsv"]).number_format = "0.00%"
    book.save(workbook)
    read_workbook(workbook, schrijven=False)  # 2,07%, not 0,0207%
    assert read_workbook(workbook).wijzigingen
    assert (
        (project / "data" / "deventer" / "jongeren_vsv.csv")
        .read_text()
        .splitlines()[-1]
        .startswith("2023-2024,7821,184,2.07,")
    )
    sheet.cell(4, column["vsv"]).number_format = "0%"
    book.save(workbook)
    with pytest.raises(InvoerFout, match="kolom 'D"):
        read_workbook(workbook)


def test_a_file_changed_while_checking_is_not_overwritten(project, workbook, monkeypatch):
    import jaarverslag.nieuwjaar.inlezen as inlezen

    _fill(workbook)
    source = project / "data" / "deventer" / "leerplichtigen.csv"
    real = inlezen._merge

    def someone_saves(*args, **kwargs):
        result = real(*args, **kwargs)
        source.write_text(source.read_text() + "2024-2025,14000,\n")
        return result

    monkeypatch.setattr(inlezen, "_merge", someone_saves)
    with pytest.raises(InvoerFout, match="veranderd terwijl de werkmap werd gecontroleerd"):
        read_workbook(workbook)
    assert source.read_text().endswith("2024-2025,14000,\n")


def test_a_character_the_files_code_page_lacks_is_refused_not_a_traceback(project, workbook):
    source = project / "data" / "deventer" / "leerplichtigen.csv"
    source.write_bytes(source.read_text().replace("2018-2019,15249,", "2018-2019,15249,café").encode("cp1252"))
    _fill(workbook, {("leerplichtigen", "noot", 4): "Łódź"})
    _refused(project, workbook, "Windows-1252")


def test_a_pasted_percentage_reads_the_same_every_time(project, workbook):
    _fill(workbook, {("jongeren_vsv", "percentage_vsv", 4): 180 / 7800 * 100})
    read_workbook(workbook)
    again = read_workbook(workbook)  # not a conflict with the figure it wrote itself
    assert again.wijzigingen == []


def test_a_read_only_data_file_is_not_replaced(project, workbook):
    _fill(workbook)
    source = project / "data" / "deventer" / "leerplichtigen.csv"
    source.chmod(0o444)
    _refused(project, workbook, "alleen-lezen")


def test_required_cells_are_marked_and_say_so(workbook):
    book = load_workbook(workbook)
    sheet = book["jongeren_vsv"]
    columns = _columns(sheet)
    headers = {name: sheet.cell(2, column).value for name, column in columns.items()}
    assert headers["vsv"].endswith(" *") and headers["jongeren"].endswith(" *")
    assert not headers["noot"].endswith("*") and not headers["vsv" + VORIG].endswith("*")
    assert "(* = verplicht)" in sheet.cell(1, 1).value
    prompts = {str(r.sqref).split(":")[0][0]: r.prompt for r in sheet.data_validations.dataValidation}
    letter = sheet.cell(4, columns["vsv"]).column_letter
    assert prompts[letter].startswith("Verplicht: vul dit cijfer in.")
    titles = [r.promptTitle for r in book["betrokkenheid"].data_validations.dataValidation if r.type != "list"]
    assert titles and all(len(t) <= 32 and t.endswith(" *") for t in titles), titles  # Excel cuts at 32
    optional = book["vsv_mbo_niveau"]
    assert "(* = verplicht als je dit tabblad invult)" in optional.cell(1, 1).value
    assert all(
        "Leeg = niet bekend" in r.prompt or r.prompt.startswith("Verplicht als je dit tabblad invult")
        for r in optional.data_validations.dataValidation
        if r.type != "list"  # the status: a list, empty is definitief
    )
    status = next(r for r in optional.data_validations.dataValidation if r.type == "list")
    assert status.formula1 == '"voorlopig,nader_voorlopig,definitief"' and status.prompt.startswith("Leeg = definitief")


def test_a_figure_excel_turned_into_a_date_is_named_as_the_analyst_saw_it(project, workbook, capsys):
    import datetime as dt

    book = _fill(workbook)
    cell = book["wettelijk_verzuim"].cell(4, _columns(book["wettelijk_verzuim"])["wettelijk_verzuim"])
    cell.value, cell.number_format = dt.datetime(2024, 2, 1), "d-mmm"  # what Excel makes of typing 1-2
    book.save(workbook)
    message = _refused(project, workbook)
    assert cli.main(["inlezen", str(workbook)]) == 1
    assert message in capsys.readouterr().err
    assert (
        "tabblad 'wettelijk_verzuim', kolom 'B (Wettelijk verzuim (meldingen))', rij 4: Excel heeft wat hier getypt "
        "is omgezet in een datum (de cel toont '1-feb')" in message
    )
    assert "2024-02-01" not in message and "00:00:00" not in message


def test_warnings_are_listed_apart_after_the_errors(project, workbook):
    _fill(
        workbook, {("bas_gesprekken", "bas_gesprekken", 4): "=285+1", ("leerplichtigen", "leerplichtigen", 4): "veel"}
    )
    message = _refused(project, workbook)
    errors, _, warnings = message.partition("Let op (geen fout, ter informatie):")
    assert "'veel'" in errors and "formule" not in errors
    assert "cel B4: een formule wordt niet gelezen" in warnings and "let op:" not in message


@pytest.mark.parametrize(
    ("number_format", "shown"),
    [
        ("d-mmm", "1-feb"),
        ("mm-dd-yy", "1-2-2024"),  # Excel's built-in short date, in Dutch Excel
        ("[$-413]d mmmm yyyy", "1 februari 2024"),
        ("dddd d mmmm", "donderdag 1 februari"),
        ("h:mm", "2:35"),
        ("dd-mm-yyyy hh:mm", "01-02-2024 02:35"),
        ("General", "1-2-2024"),
    ],
)
def test_a_date_is_shown_as_dutch_excel_shows_it(number_format, shown):
    import datetime as dt

    from jaarverslag.nieuwjaar.excel_datum import zoals_excel

    assert zoals_excel(dt.datetime(2024, 2, 1, 2, 35), number_format) == shown
