"""What the charts show: whole-number ticks for counts in every chart kind, decimals for rates."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from jaarverslag import paths
from jaarverslag.inhoud import soorten
from jaarverslag.weergave import grafieken, tekenen
from jaarverslag.weergave.verslag import Verslag

YEARS = ["2018-2019", "2019-2020", "2020-2021", "2021-2022", "2022-2023"]
COUNTS = pd.DataFrame({"schooljaar": YEARS, "a": [1210, 1003, 934, 1180, 1245], "b": [310, 290, 305, 330, 355]})


def _ticks(fig, axis: str = "y") -> list[str]:
    ax = fig.axes[0]
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels if t.get_text()]


def test_a_line_chart_of_counts_has_whole_number_ticks():
    ticks = _ticks(tekenen.lines.figuur(COUNTS, {"a": "A", "b": "B"}, "leerlingen", 0))
    assert ticks and all("," not in t for t in ticks), ticks
    assert "1.200" in ticks or "1.000" in ticks  # Dutch thousands separator
    rates = COUNTS.assign(a=[2.1, 2.4, 1.9, 2.2, 2.35], b=[1.8, 1.7, 1.75, 1.6, 1.7])
    assert any("," in t for t in _ticks(tekenen.lines.figuur(rates, {"a": "A"}, "procent", 1)))


def test_a_stacked_chart_and_small_counts_have_whole_number_ticks():
    small = COUNTS.assign(a=[1, 3, 2, 4, 2], b=[0, 1, 2, 1, 3])
    for fig in (
        tekenen.stacked_bars.figuur(small, {"a": "A", "b": "B"}, "meldingen"),
        tekenen.bars.figuur(small, "schooljaar", {"a": "A"}, "meldingen"),
    ):
        ticks = _ticks(fig)
        assert ticks and all("," not in t and float(t).is_integer() for t in ticks), ticks
    bars = tekenen.horizontal_bars.figuur(["x", "y", "z"], [1, 4, 2], "Aantal jongeren", ["1", "4", "2"], True)
    ticks = _ticks(bars, "x")
    assert ticks and all("," not in t for t in ticks), ticks
    rates = tekenen.horizontal_bars.figuur(["x", "y"], [2.6, 3.4], "procent", ["2,6%", "3,4%"])
    assert any("," in t for t in _ticks(rates, "x"))


def test_the_report_draws_a_count_line_chart_with_whole_numbers(project, monkeypatch):  # nothing kept yet
    from jaarverslag.inhoud.report import Rapport

    seen = []
    drawn = tekenen.lines

    def spy(frame, labels, ylabel, decimals=1):
        seen.append(decimals)
        return drawn(frame, labels, ylabel, decimals)

    monkeypatch.setattr(tekenen, "lines", spy)
    rapport = Rapport.laad("deventer", "2022-2023")
    counts = replace(rapport.definitie("leerplichtigen"), grafiek="lijn")
    rate = rapport.definitie("betrokkenheid")
    assert rate.grafiek == "lijn"
    for section in (counts, rate):
        grafieken.grafiek(rapport, section, soorten.grafiekdata(section, soorten.tabellen(rapport, section)))
    assert seen == [0, 1]


@pytest.mark.parametrize("value", [0, 5])
def test_a_chart_of_zeros_still_draws(value):
    flat = COUNTS.assign(a=[value] * 5, b=[value] * 5)
    assert tekenen.lines(flat, {"a": "A"}, "meldingen", 0).startswith(b"<?xml")


def test_a_chart_whose_figures_are_all_unknown_is_left_out(project):
    """Only the counts of the mbo levels known: no empty chart with an axis of zeros, the table stays."""

    path = project / "data" / "deventer" / "vsv_mbo_niveau.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split(",") for line in lines[1:]]
    path.write_text("\n".join([lines[0], *(",".join([*r[:3], "", "", *r[5:]]) for r in rows)]) + "\n", encoding="utf-8")
    html = str(Verslag.laad("deventer", "2022-2023").sectie("vsv_mbo_niveau"))
    assert "<img" not in html and "<table" in html


def test_the_provisional_legend_of_a_chart_per_group_stays_clear_of_the_panel_titles():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    years = ["2020-2021", "2021-2022", "2022-2023"]
    groups = [
        "Voortgezet onderwijs (vo)",
        "Middelbaar beroepsonderwijs (mbo)",
        "Voortgezet algemeen volwassenenonderwijs",
    ]
    frame = pd.DataFrame(
        [
            {"schooljaar": y, "soort": g, "vsv": 20 + i, "status": "voorlopig" if y == years[-1] else "definitief"}
            for g in groups
            for i, y in enumerate(years)
        ]
    )
    fig = tekenen.lines_per_group.figuur(frame, "soort", {"vsv": "Aantal"}, "aantal")
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    assert [t.get_text() for legend in legends for t in legend.get_texts()] == ["voorlopig cijfer (open punt)"]
    box = legends[0].get_window_extent(renderer)
    titles = [ax._left_title for ax in fig.axes]  # set_title(loc="left")
    assert [t.get_text() for t in titles] == groups
    assert not [t.get_text() for t in titles if t.get_window_extent(renderer).overlaps(box)]
    assert box.y1 <= fig.bbox.height and box.y0 >= max(t.get_window_extent(renderer).y1 for t in titles)


def _frame(value: int) -> pd.DataFrame:
    return pd.DataFrame({"schooljaar": ["2021-2022", "2022-2023"], "a": [10, value], "status": ["definitief"] * 2})


def test_a_chart_is_kept_and_found_again_without_matplotlib(project, monkeypatch):
    """The store gives the same bytes the drawing gives; with the same arguments a fresh process
    finds it without importing matplotlib; other figures or another colour draw anew. Outside a
    build nothing is kept."""
    import subprocess
    import sys

    from jaarverslag import paths
    from jaarverslag.weergave import grafiekopslag
    from jaarverslag.weergave.grafiekopslag import Tekenaar

    Tekenaar().bars(_frame(11), "schooljaar", {"a": "A"}, "leerlingen")
    assert not (paths.REPORTS / grafiekopslag.MAP).exists()  # no build: the preview, a notebook by hand
    monkeypatch.setenv(grafiekopslag.VARIABELE, str(paths.REPORTS / grafiekopslag.MAP))

    drawn = Tekenaar().bars(_frame(12), "schooljaar", {"a": "A"}, "leerlingen")
    assert drawn == tekenen.bars(_frame(12), "schooljaar", {"a": "A"}, "leerlingen")
    kept = list((paths.REPORTS / grafiekopslag.MAP).glob("*.svg"))
    assert len(kept) == 1 and kept[0].read_bytes() == drawn
    Tekenaar().bars(_frame(13), "schooljaar", {"a": "A"}, "leerlingen")
    with Tekenaar().huiskleur("#8a1538"):
        Tekenaar().bars(_frame(12), "schooljaar", {"a": "A"}, "leerlingen")
    assert len(list((paths.REPORTS / grafiekopslag.MAP).glob("*.svg"))) == 3
    script = (
        "import sys, pandas as pd\n"
        "from jaarverslag.weergave.grafiekopslag import Tekenaar\n"
        "frame = pd.DataFrame({'schooljaar': ['2021-2022', '2022-2023'], 'a': [10, 12], 'status': ['definitief'] * 2})\n"
        "svg = Tekenaar().bars(frame, 'schooljaar', {'a': 'A'}, 'leerlingen')\n"
        "print(len(svg), 'matplotlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(len(drawn)), "False"]


def test_a_kept_chart_cut_short_is_drawn_again_and_charts_no_build_used_are_removed(tmp_path, monkeypatch):
    import os
    import time

    from jaarverslag.weergave import grafiekopslag
    from jaarverslag.weergave.grafiekopslag import Tekenaar

    monkeypatch.setenv(grafiekopslag.VARIABELE, str(tmp_path))
    drawn = Tekenaar().bars(_frame(12), "schooljaar", {"a": "A"}, "leerlingen")
    (kept,) = tmp_path.glob("*.svg")
    kept.write_bytes(drawn[:-40])  # a file cut short (a full disk, a killed build)
    assert Tekenaar().bars(_frame(12), "schooljaar", {"a": "A"}, "leerlingen") == drawn
    assert kept.read_bytes() == drawn
    old = tmp_path / "oud.svg"
    old.write_bytes(drawn)
    for path in (old, kept):  # both kept by an earlier build
        os.utime(path, (time.time() - 60, time.time() - 60))
    started = time.time() - 1
    Tekenaar().bars(_frame(12), "schooljaar", {"a": "A"}, "leerlingen")  # used by this build: touched
    grafiekopslag.opruimen(tmp_path, sinds=started)
    assert sorted(p.name for p in tmp_path.glob("*.svg")) == [kept.name]


@pytest.mark.e2e
def test_the_kernel_draws_ahead_exactly_the_charts_the_cells_then_show(project, built_report, tmp_path, monkeypatch):
    """While the build validates, the kernel draws the report's charts into the store (Verslag.teken_vooruit),
    so that the cells find them: it must draw each chart the report shows, byte for byte, and no other.
    On data it cannot read it draws nothing and raises nothing: the build's own checks speak then."""
    import base64
    import re

    from jaarverslag.weergave import grafiekopslag
    from jaarverslag.weergave.verslag import Verslag

    store = tmp_path / "grafieken"
    monkeypatch.setenv(grafiekopslag.VARIABELE, str(store))
    Verslag.teken_vooruit("deventer", "2022-2023")
    drawn = {path.read_bytes() for path in store.glob("*.svg")}
    html = (built_report / "jaarverslag.html").read_text(encoding="utf-8")
    shown = {base64.b64decode(data) for data in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)}
    assert len(shown) >= 10
    assert drawn == shown

    for path in store.glob("*.svg"):
        path.unlink()
    (paths.DATA / "deventer" / "leerplichtigen.csv").write_text("schooljaar,leerplichtigen\n2022-2023,veel\n")
    Verslag.teken_vooruit("deventer", "2022-2023")  # a table it cannot read: nothing drawn, nothing raised
    assert list(store.glob("*.svg")) == []


@pytest.mark.e2e
def test_a_build_stopped_by_validation_keeps_none_of_the_charts_drawn_ahead(project, monkeypatch):
    """Data that load but fail validation (a denominator of 0): the kernel draws their charts while
    Great Expectations runs, and the build that then stops removes every one of them."""
    import time

    from jaarverslag.bouw.build import build
    from jaarverslag.controle import validation
    from jaarverslag.errors import ValidatieFout
    from jaarverslag.weergave import grafiekopslag

    (paths.DATA / "deventer" / "jongeren_vsv.csv").write_bytes(
        (Path(__file__).parent / "hostile" / "noemer_nul.csv").read_bytes()
    )
    store = grafiekopslag.map_van("deventer", "2022-2023")
    drawn = []
    validate = validation.validate

    def after_the_kernel_drew(*args, **kwargs):
        deadline = time.monotonic() + 120
        while not list(store.glob("*.svg")) and time.monotonic() < deadline:
            time.sleep(0.05)
        drawn.extend(store.glob("*.svg"))
        return validate(*args, **kwargs)

    monkeypatch.setattr(validation, "validate", after_the_kernel_drew)
    with pytest.raises(ValidatieFout, match="jongeren is groter dan 0"):
        build("deventer", "2022-2023", stil=True)
    assert drawn, "the kernel drew nothing ahead"
    assert list(store.iterdir()) == []
