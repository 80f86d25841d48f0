"""Hostile inputs through `jaarverslag validate`: refused, in Dutch, naming where, briefly.

Each case puts one file in place of a table of the shipped Deventer data (in a throw-away
copy of the project) and runs the command as the analyst would. Small files live in
tests/hostile/; big ones are generated here, never committed.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from jaarverslag import cli, paths

CORPUS = Path(__file__).parent / "hostile"
MAX_MESSAGE = 5000
NEVER = ("Traceback", "deze kolom ontbreekt")  # an unreadable file must not look like a missing column
LEERPLICHTIGEN = "schooljaar,leerplichtigen,noot\n"


def _rows(count: int, figure: str = "14339", note: str = "") -> str:
    return "".join(f"{1000 + i}-{1001 + i},{figure},{note}\n" for i in range(count))


def _workbook(rows: list[list], formats: dict[str, str] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    for cell, number_format in (formats or {}).items():
        book.active[cell].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (30 * 2**20))  # packs to ~30 kB
    return buffer.getvalue()


GENERATED = {
    "te_veel_rijen": lambda: LEERPLICHTIGEN + _rows(1500),
    "duizenden_foute_rijen": lambda: LEERPLICHTIGEN + _rows(900, figure="veel"),
    "lange_cel": lambda: LEERPLICHTIGEN + _rows(1, figure="9" * 100_000),
    "brede_kopregel": lambda: LEERPLICHTIGEN.replace("\n", ",") + ",".join(f"k{i}" for i in range(5000)) + "\n",
    "xlsx_cel_rechts_van_kopregel": lambda: _workbook(
        [["schooljaar", "leerplichtigen", "noot"], ["2021-2022", 14354], ["2022-2023", 14, None, 339]]
    ),
    "xlsx_zonder_werkmap": lambda: LEERPLICHTIGEN + _rows(5),
    # written by a script and never opened in Excel: the formula has no computed value
    "xlsx_formule_zonder_waarde": lambda: _workbook(
        [["schooljaar", "leerplichtigen", "noot"], ["2021-2022", 14354], ["2022-2023", "=14000+339"]]
    ),
    "xlsx_procentopmaak_in_aantal": lambda: _workbook(
        [["schooljaar", "leerplichtigen", "noot"], ["2021-2022", 14354], ["2022-2023", 14339]], {"B3": "0%"}
    ),
    "xlsx_zip_bom": _zip_bomb,
}

LP = "data/deventer/leerplichtigen.csv"
LX = "data/deventer/leerplichtigen.xlsx"
WV = "data/deventer/wettelijk_verzuim.csv"
PERSON = "dit lijkt op gegevens over personen"
OTHER_SCRIPT = "bevat cijfers uit een ander schrift; typ de cijfers 0-9."
# case -> (table, file name in data/deventer/, fragments the message must contain, fragments it must not)
CASES = {
    "duizendtal_komma": ("leerplichtigen", LP, [f"{LP}, rij 6: deze rij heeft 4 cellen, de kopregel 3"], []),
    "rij_te_kort": (
        "wettelijk_verzuim",
        "data/deventer/wettelijk_verzuim.csv",
        ["data/deventer/wettelijk_verzuim.csv, rij 5: deze rij heeft 3 cellen, de kopregel 4"],
        [],
    ),
    "utf16_bom": ("leerplichtigen", LP, [f"{LP}: het bestand is opgeslagen als UTF-16", "CSV UTF-8"], []),
    "utf16_zonder_bom": ("leerplichtigen", LP, [f"{LP}: het bestand is opgeslagen als UTF-16"], []),
    "utf32_bom": ("leerplichtigen", LP, [f"{LP}: het bestand is opgeslagen als UTF-32", "CSV UTF-8"], ["UTF-16"]),
    "nul_bytes": ("leerplichtigen", LP, [f"{LP}: het bestand bevat binaire gegevens"], []),
    "stuurtekens": ("leerplichtigen", LP, [f"{LP}: het bestand bevat stuurtekens"], []),
    "zip_als_csv": ("leerplichtigen", LP, [f"{LP}: dit is geen CSV-bestand maar een zip-bestand"], []),
    "pdf_als_csv": ("leerplichtigen", LP, [f"{LP}: dit is geen CSV-bestand maar een PDF"], []),
    "xls_als_csv": ("leerplichtigen", LP, [f"{LP}: dit is geen CSV-bestand maar een oud Office-bestand"], []),
    "tabs": ("leerplichtigen", LP, [f"{LP}, rij 1: de kolommen zijn gescheiden door tabs"], []),
    "open_aanhalingsteken": ("leerplichtigen", LP, [f"{LP}, rij 6: deze regel is niet te lezen als CSV"], []),
    "bsn_in_noot": (
        "leerplichtigen",
        LP,
        [f"{LP}, kolom 'noot', rij 6: dit lijkt op gegevens over personen (een burgerservicenummer"],
        ["1234 56 782", "782"],
    ),
    "bsn_als_getal": (
        "leerplichtigen",
        LP,
        [f"{LP}, kolom 'leerplichtigen', rij 5: dit lijkt op gegevens over personen (een burgerservicenummer"],
        ["123.456.782"],
    ),
    "geboortedatum_in_noot": (
        "leerplichtigen",
        LP,
        [f"{LP}, kolom 'noot', rij 6: dit lijkt op gegevens over personen (een geboortedatum)"],
        ["Vries", "2010"],
    ),
    "naam_en_datum_in_noot": (
        "leerplichtigen",
        LP,
        [f"{LP}, kolom 'noot', rij 6: dit lijkt op gegevens over personen (een datum naast een naam"],
        ["Jansen", "2011"],
    ),
    # person data written so that a plain pattern misses it
    **{
        case: ("leerplichtigen", LP, [f"{LP}, kolom 'noot', rij 6: {PERSON} (een burgerservicenummer"], ["456", "782"])
        for case in ("bsn_over_twee_regels", "bsn_met_streepjes", "bsn_met_harde_spaties", "bsn_met_onzichtbaar_teken")
    },
    **{
        case: ("leerplichtigen", LP, [f"{LP}, kolom 'noot', rij 6: {PERSON} (een datum naast een naam"], [name, "2010"])
        for case, name in (
            ("naam_vet_en_datum", "Vries"),
            ("naam_in_hoofdletters", "VRIES"),
            ("naam_in_kleine_letters", "jansen"),
            ("naam_met_turkse_letters", "Yılmaz"),
        )
    },
    # a number that is not what it looks like, or not a number at all
    "duizendtal_punt": (
        "wettelijk_verzuim",
        WV,
        [
            f"{WV}, kolom 'wettelijk_verzuim', rij 6: '1.000' is geen eenduidig aantal: schrijf 1000 zonder punt; "
            "in een bestand met ',' als scheidingsteken is de punt een decimaalteken."
        ],
        [],
    ),
    "procent_in_aantal": (
        "wettelijk_verzuim",
        WV,
        [f"{WV}, kolom 'wettelijk_verzuim', rij 6: '443%' is geen aantal: een procentteken hoort alleen bij een"],
        [],
    ),
    **{
        case: ("leerplichtigen", LP, [f"{LP}, kolom 'leerplichtigen', rij 6: '{figure}' {OTHER_SCRIPT}"], [])
        for case, figure in (("arabische_cijfers", "١٤٣٣٩"), ("volbreedte_cijfers", "１４.３３９"))
    },
    "xlsx_formule_zonder_waarde": (
        "leerplichtigen",
        LX,
        [
            f"{LX}, kolom 'leerplichtigen', rij 3: deze cel (werkblad 'Sheet') bevat een formule zonder berekende "
            "waarde; open en sla het bestand op in Excel, of typ de waarde."
        ],
        [],
    ),
    "xlsx_procentopmaak_in_aantal": (
        "leerplichtigen",
        LX,
        [f"{LX}, kolom 'leerplichtigen', rij 3: deze cel heeft in Excel procentopmaak (1433900%), maar de kolom"],
        [],
    ),
    "lege_regels_en_meerregelige_noot": ("leerplichtigen", LP, [f"{LP}, kolom 'leerplichtigen', rij 9: 'veel'"], []),
    "dubbel_schooljaar_na_lege_regels": (
        "leerplichtigen",
        LP,
        [f"{LP}, kolom 'schooljaar', rij 10: deze combinatie van schooljaar staat er al eerder in (2021-2022)"],
        [],
    ),
    "noemer_nul": (
        "jongeren_vsv",
        "jongeren_vsv",
        [
            "data/deventer/jongeren_vsv.csv, schooljaar 2021-2022: jongeren is groter dan 0: het is de noemer van het vsv-percentage"
        ],
        [],
    ),
    "te_veel_rijen": ("leerplichtigen", LP, [f"{LP}, rij 1002: het bestand heeft meer dan 1.000 rijen"], []),
    "duizenden_foute_rijen": (
        "leerplichtigen",
        LP,
        [f"{LP}, kolom 'leerplichtigen', rij 2: 'veel'", f"{LP}, kolom 'leerplichtigen', rij 11:", "en 890 meer"],
        [f"{LP}, kolom 'leerplichtigen', rij 12:"],
    ),
    "lange_cel": (
        "leerplichtigen",
        LP,
        [f"{LP}, kolom 'leerplichtigen', rij 2: '{'9' * 59}…' is te groot voor een cijfer in het jaarverslag."],
        [],
    ),
    "brede_kopregel": ("leerplichtigen", LP, [f"{LP}, rij 1: de kopregel heeft 5.003 kolommen"], ["cellen"]),
    "xlsx_cel_rechts_van_kopregel": (
        "leerplichtigen",
        "data/deventer/leerplichtigen.xlsx",
        ["data/deventer/leerplichtigen.xlsx, kolom 'D', rij 3: deze cel staat rechts van de laatste kolom"],
        [],
    ),
    "xlsx_zonder_werkmap": (
        "leerplichtigen",
        "data/deventer/leerplichtigen.xlsx",
        ["data/deventer/leerplichtigen.xlsx: dit is geen Excel-werkmap (.xlsx)"],
        [],
    ),
    "xlsx_zip_bom": (
        "leerplichtigen",
        "data/deventer/leerplichtigen.xlsx",
        ["data/deventer/leerplichtigen.xlsx: de Excel-werkmap pakt uit tot meer dan 20 MB"],
        [],
    ),
}


def _content(case: str) -> bytes:
    if case in GENERATED:
        content = GENERATED[case]()
        return content.encode() if isinstance(content, str) else content
    return (CORPUS / f"{case}.csv").read_bytes()


def _put(table: str, content: bytes, suffix: str) -> None:
    """The hostile file in place of the table's shipped file."""
    (paths.DATA / "deventer" / f"{table}.csv").unlink()
    (paths.DATA / "deventer" / f"{table}{suffix}").write_bytes(content)


def test_every_corpus_file_is_a_case():
    assert sorted(p.stem for p in CORPUS.glob("*.csv")) == sorted(set(CASES) - set(GENERATED))
    assert max(p.stat().st_size for p in CORPUS.iterdir()) < 10_000


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_input_is_refused_naming_where(project, capsys, case):
    table, where, present, absent = CASES[case]
    _put(table, _content(case), Path(where).suffix or ".csv")
    code = cli.main(["validate", "deventer", "2022-2023"])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert err.startswith("Fout: De "), err[:300]
    assert len(err) < MAX_MESSAGE, len(err)
    for fragment in present:
        assert fragment in err, err
    for fragment in [*absent, *NEVER]:
        assert fragment not in err, err


def _subprocess_validate(root: Path) -> tuple[subprocess.CompletedProcess, float]:
    command = Path(sys.executable).with_name("jaarverslag")
    env = {**os.environ, paths.ROOT_VARIABLE: str(root), "GX_ANALYTICS_ENABLED": "False"}
    start = time.perf_counter()
    done = subprocess.run(
        [str(command), "validate", "deventer", "2022-2023"], env=env, capture_output=True, text=True, timeout=120
    )
    return done, time.perf_counter() - start


def _exactly(size: int, text: str) -> bytes:
    """`text` padded with blank lines (which a table may have) to `size` bytes."""
    return text.ljust(size, "\n").encode()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            lambda: _exactly(50 * 2**20, LEERPLICHTIGEN + _rows(1000)),
            f"{LP}: het bestand is 50,0 MB; een invoertabel mag hoogstens 5 MB zijn",
        ),
        (
            lambda: (LEERPLICHTIGEN + _rows(160_000, figure="veel")).encode(),
            f"{LP}, rij 1002: het bestand heeft meer dan 1.000 rijen",
        ),
        (
            lambda: ("schooljaar,leerplichtigen,noot" + ",x" * 400_000 + "\n2022-2023,1,\n").encode(),
            f"{LP}, rij 1: de kopregel heeft 400.003 kolommen; een invoertabel heeft er hoogstens 100",
        ),
    ],
    ids=["50 MB", "160.000 foute rijen onder de grootte-grens", "400.000 kolommen"],
)
def test_big_file_is_refused_quickly_by_the_real_command(project, content, expected):
    (paths.DATA / "deventer" / "leerplichtigen.csv").write_bytes(content())
    done, seconds = _subprocess_validate(project)
    assert done.returncode == 1, done.stderr[-2000:]
    assert expected in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert len(done.stderr) < MAX_MESSAGE
    assert seconds < 30, seconds
