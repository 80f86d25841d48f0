"""Charts in one house style: seaborn on pandas, colour-blind-safe, Dutch labels, SVG output.

Every chart is full text width at print size (16 cm), has its legend above the plot,
Dutch number style on the axes, and is written as SVG without dates or random ids,
so that the same data give the same bytes.
"""

from __future__ import annotations

import functools
import io
import sys

import matplotlib

matplotlib.use("svg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def _seaborn_zonder_scipy():
    """seaborn, imported without SciPy's stats and clustering (half a second of the kernel's
    start): the report draws no density estimate or dendrogram, the only things seaborn takes
    from SciPy; for the rest it uses its own code. SciPy stays importable afterwards."""
    blocked = [name for name in ("scipy.stats", "scipy.cluster") if name not in sys.modules]
    sys.modules.update(dict.fromkeys(blocked))  # None: an import of it fails at once
    try:
        import seaborn  # start-up: seaborn only with its own code, see above

        return seaborn
    finally:
        for name in blocked:
            sys.modules.pop(name, None)


sns = _seaborn_zonder_scipy()
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from jaarverslag.formatting import getal  # noqa: E402
from jaarverslag.weergave.kleuren import PALETTE, merkwoord, palet  # noqa: E402, F401 - PALETTE for the tests

MARKERS = ["o", "s", "D", "^", "v", "P", "X"]
WIDTH_CM, HEIGHT_CM = 16.0, 3.8
LEGEND_ROW_CHARS = 70  # longer labels together: one per line, so the legend fits the chart's width
STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Verdana", "Arial"],  # drawn with DejaVu; a browser without it takes the next
    "font.size": 9,
    "axes.titlesize": 9.5,
    "axes.labelsize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "svg.fonttype": "none",  # text as text: a tenth of the SVG nodes for WeasyPrint to draw, and selectable
    "svg.hashsalt": "jaarverslag",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
}


def _cm(value: float) -> float:
    return value / 2.54


def _dutch_axis(axis, decimals: int = 0) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: getal(v, decimals)))


def _svg(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()


def _chart(build):
    """A chart function: `build` draws a matplotlib figure in the house style, the function
    returns its SVG. `build` stays reachable as `.figuur`, to test what a chart shows."""

    @functools.wraps(build)
    def svg(*args, **kwargs) -> bytes:
        with plt.rc_context(STYLE):
            return _svg(build(*args, **kwargs))

    def figuur(*args, **kwargs):
        with plt.rc_context(STYLE):
            fig = build(*args, **kwargs)
            fig.canvas.draw()
            return fig

    svg.figuur = figuur
    return svg


HATCH = "////"  # a provisional figure's bar; its point is an open marker: never colour alone
VOORLOPIG_STAAF, VOORLOPIG_PUNT = "gearceerd", "open punt"


def _legenda(frame: pd.DataFrame, how: str) -> str:
    return f"{merkwoord(frame.get('status', ()))} ({how})"


def _voorlopig(frame: pd.DataFrame, x: str) -> set[str]:
    """The x values (school years, categories) whose row is not final (the chart data's `status`)."""
    if "status" not in frame:
        return set()
    return set(frame.loc[frame["status"].fillna("definitief") != "definitief", x].astype(str))


def _voorlopige_staven(ax, x_labels: list[str], voorlopig: set[str], label: str = "") -> list:
    """Hatch the bars of provisional school years; the legend's extra entry, if any."""
    if not voorlopig:
        return []
    from matplotlib.patches import Patch  # start-up: only for a chart with a provisional figure

    for container in ax.containers:
        for x_label, bar in zip(x_labels, container, strict=False):
            if x_label in voorlopig:
                bar.set_hatch(HATCH)
                bar.set_edgecolor("white")
                bar.set_linewidth(0)
    return [
        Patch(
            facecolor="#777777", edgecolor="white", hatch=HATCH, label=label or f"voorlopig cijfer ({VOORLOPIG_STAAF})"
        )
    ]


def _voorlopige_punten(ax, long: pd.DataFrame) -> list:
    """Open markers on the points of provisional school years; the legend's extra entry, if any."""
    if "status" not in long:
        return []
    points = long[(long["status"].fillna("definitief") != "definitief") & long["waarde"].notna()]
    if points.empty:
        return []
    from matplotlib.lines import Line2D  # start-up: only for a chart with a provisional figure

    names = dict.fromkeys(long["reeks"])
    for colour, marker, name in zip(palet(len(names)), MARKERS, names, strict=False):
        part = points[points["reeks"] == name]
        ax.scatter(
            part["schooljaar"],
            part["waarde"],
            marker=marker,
            s=70,
            facecolors="white",
            edgecolors=colour,
            linewidths=2,
            zorder=5,
            clip_on=False,  # a point at the top of the scale stays whole
        )
    return [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor="#333333",
            markeredgewidth=2,
            label=_legenda(long, VOORLOPIG_PUNT),
        )
    ]


def _legend_on_top(ax, n: int, extra: list | None = None) -> None:
    legend = ax.get_legend()
    extra = extra or []
    if n <= 1 and not extra:
        if legend:
            legend.remove()
        return
    handles, labels = ax.get_legend_handles_labels()
    if n <= 1:
        handles, labels = [], []
    handles, labels = [*handles, *extra], [*labels, *(h.get_label() for h in extra)]
    n = len(handles)
    ax.legend(
        handles,
        labels,
        title=None,
        frameon=False,
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        ncol=1 if sum(len(label) for label in labels) > LEGEND_ROW_CHARS else min(n, 3),
        borderaxespad=0,
        handlelength=1.6,
    )


def _status_kolom(frame: pd.DataFrame) -> tuple[str, ...]:
    return ("status",) if "status" in frame else ()


def _long(frame: pd.DataFrame, x: str, labels: dict[str, str], keep: tuple[str, ...] = ()) -> pd.DataFrame:
    data = frame[[x, *keep, *labels]].rename(columns=labels)
    long = data.melt(id_vars=[x, *keep], var_name="reeks", value_name="waarde")
    long["waarde"] = long["waarde"].astype("Float64").astype(float)
    return long


def _lineplot(ax, long: pd.DataFrame, n: int, decimals: int) -> None:
    sns.lineplot(
        long,
        x="schooljaar",
        y="waarde",
        hue="reeks",
        style="reeks",
        markers=MARKERS[:n],
        dashes=False,
        palette=palet(n),
        ax=ax,
        linewidth=2,
        markersize=6,
    )
    ax.set_ylim(bottom=0)
    ax.margins(x=0.05)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=decimals == 0))  # counts: whole-number ticks
    _dutch_axis(ax.yaxis, decimals)


@_chart
def bars(
    frame: pd.DataFrame,
    x: str,
    labels: dict[str, str],
    ylabel: str,
    xlabel: str = "Schooljaar",
):
    """Grouped vertical bars, one colour per series; a provisional row's bars hatched."""
    fig, ax = plt.subplots(figsize=(_cm(WIDTH_CM), _cm(HEIGHT_CM)))
    long = _long(frame, x, labels)
    sns.barplot(long, x=x, y="waarde", hue="reeks", palette=palet(len(labels)), ax=ax, saturation=1)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    _dutch_axis(ax.yaxis)
    marked = _voorlopige_staven(
        ax, frame[x].astype(str).tolist(), _voorlopig(frame, x), _legenda(frame, VOORLOPIG_STAAF)
    )
    _legend_on_top(ax, len(labels), marked)
    return fig


@_chart
def stacked_bars(frame: pd.DataFrame, labels: dict[str, str], ylabel: str):
    """Bars per school year with the series stacked on each other (parts that add up)."""
    fig, ax = plt.subplots(figsize=(_cm(WIDTH_CM), _cm(HEIGHT_CM)))
    years = frame["schooljaar"].tolist()
    bottom = pd.Series(0.0, index=frame.index)
    for colour, (column, label) in zip(palet(len(labels)), labels.items(), strict=False):
        values = frame[column].astype("Float64").fillna(0).astype(float)
        ax.bar(years, values, bottom=bottom, color=colour, label=label, width=0.6)
        bottom = bottom + values
    ax.set(xlabel="Schooljaar", ylabel=ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    _dutch_axis(ax.yaxis)
    marked = _voorlopige_staven(ax, years, _voorlopig(frame, "schooljaar"), _legenda(frame, VOORLOPIG_STAAF))
    _legend_on_top(ax, len(labels), marked)
    return fig


@_chart
def lines(frame: pd.DataFrame, labels: dict[str, str], ylabel: str, decimals: int = 1):
    """Lines over the school years, one colour and marker per series; `decimals` 0 for counts;
    a provisional year's points open."""
    fig, ax = plt.subplots(figsize=(_cm(WIDTH_CM), _cm(HEIGHT_CM)))
    long = _long(frame, "schooljaar", labels, keep=_status_kolom(frame))
    _lineplot(ax, long, len(labels), decimals)
    ax.set(xlabel="Schooljaar", ylabel=ylabel)
    _legend_on_top(ax, len(labels), _voorlopige_punten(ax, long))
    return fig


@_chart
def lines_per_group(frame: pd.DataFrame, group: str, labels: dict[str, str], ylabel: str):
    """One line chart per group (each with its own scale), stacked, sharing the school years."""
    long = _long(frame, "schooljaar", labels, keep=(group, *_status_kolom(frame)))
    groups = [g for g in dict.fromkeys(long[group]) if long.loc[long[group] == g, "waarde"].notna().any()]
    fig, axes = plt.subplots(len(groups), 1, figsize=(_cm(WIDTH_CM), _cm(3.6 * len(groups) + 1.2)), sharex=True)
    decimals = 0 if long["waarde"].dropna().apply(float.is_integer).all() else 1  # counts: whole numbers
    extra = []
    for ax, name in zip(axes if len(groups) > 1 else [axes], groups, strict=True):
        part = long[long[group] == name]
        _lineplot(ax, part, len(labels), decimals)
        extra = _voorlopige_punten(ax, part) or extra
        ax.set_title(name, loc="left", fontweight="bold")
        ax.set(xlabel="", ylabel=ylabel)
    for i, ax in enumerate(axes if len(groups) > 1 else [axes]):
        if i and ax.get_legend():
            ax.get_legend().remove()
        elif not i:
            _legend_on_top(ax, len(labels), extra)
    _legend_above_panels(fig, axes if len(groups) > 1 else [axes])
    return fig


def _legend_above_panels(fig, axes) -> None:
    """The first panel's legend as the figure's, in a top margin kept free for it, so that it never
    runs into a panel's title."""
    legend = axes[0].get_legend()
    if legend is None:
        fig.tight_layout(h_pad=0.8)
        return
    handles, texts = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
    legend.remove()
    on_top = fig.legend(
        handles, texts, frameon=False, loc="upper left", bbox_to_anchor=(0, 1), ncol=legend._ncols, handlelength=1.6
    )
    fig.canvas.draw()
    height = on_top.get_window_extent().height / fig.bbox.height
    fig.tight_layout(h_pad=0.8, rect=(0, 0, 1, 1 - height - 0.01))


@_chart
def horizontal_bars(
    labels: list[str], values: list, xlabel: str, printed: list[str] | None = None, geheel=False, voorlopig=False
):
    """Horizontal bars with the value (or `printed`, as the table shows it) at the end of each bar;
    an empty value (a figure not published) has no bar, only its text. `geheel`: counts, whole-number ticks;
    `voorlopig`: the bars of provisional figures (a set of labels, or True: all of them) hatched."""
    with plt.rc_context({"axes.grid.axis": "x"}):
        fig, ax = plt.subplots(figsize=(_cm(WIDTH_CM), _cm(max(4.0, 0.75 * len(labels) + 1.2))))
        data = pd.DataFrame({"uitkomst": labels, "waarde": pd.array(values, dtype="Float64").fillna(0).astype(float)})
        sns.barplot(data, y="uitkomst", x="waarde", color=palet(1)[0], ax=ax, saturation=1)
        texts = printed or [getal(v) for v in data["waarde"]]
        for container in ax.containers:
            ax.bar_label(container, labels=texts, padding=3)
        ax.set(ylabel="", xlabel=xlabel)
        if geheel:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _dutch_axis(ax.xaxis, 0 if geheel or data["waarde"].max() >= 10 else 1)  # rates such as 2,6% need a decimal
        hatched = set(labels) if voorlopig is True else set(voorlopig or ())
        extra = _voorlopige_staven(ax, labels, hatched)
        if extra:
            ax.legend(handles=extra, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.02), borderaxespad=0)
    return fig
