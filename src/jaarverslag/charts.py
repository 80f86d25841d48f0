"""Charts in one house style: seaborn on pandas, colour-blind-safe, Dutch labels, SVG output."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("svg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .formatting import getal  # noqa: E402

# Okabe-Ito: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
WIDTH_CM, HEIGHT_CM = 16.0, 6.5
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8.5,
    "svg.fonttype": "path",
    "svg.hashsalt": "jaarverslag",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _dutch_axis(ax, decimals: int = 0) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: getal(v, decimals)))


def _svg(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()


def _figure(height_cm: float = HEIGHT_CM):
    fig, ax = plt.subplots(figsize=(WIDTH_CM / 2.54, height_cm / 2.54))
    return fig, ax


def _legend(ax, n: int) -> None:
    if n > 1:
        ax.legend(title=None, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    elif ax.get_legend():
        ax.get_legend().remove()


def _long(frame: pd.DataFrame, x: str, labels: dict[str, str]) -> pd.DataFrame:
    data = frame[[x, *labels]].rename(columns=labels)
    long = data.melt(id_vars=x, var_name="reeks", value_name="waarde")
    long["waarde"] = long["waarde"].astype("Float64").astype(float)
    return long


def bars(frame: pd.DataFrame, x: str, labels: dict[str, str], ylabel: str, xlabel: str = "Schooljaar") -> bytes:
    with plt.rc_context(STYLE):
        fig, ax = _figure()
        long = _long(frame, x, labels)
        sns.barplot(long, x=x, y="waarde", hue="reeks", palette=PALETTE[: len(labels)], ax=ax, saturation=1)
        ax.set(xlabel=xlabel, ylabel=ylabel)
        _dutch_axis(ax)
        _legend(ax, len(labels))
        return _svg(fig)


def lines(frame: pd.DataFrame, x: str, labels: dict[str, str], ylabel: str, decimals: int = 1) -> bytes:
    with plt.rc_context(STYLE):
        fig, ax = _figure()
        long = _long(frame, x, labels)
        sns.lineplot(
            long,
            x=x,
            y="waarde",
            hue="reeks",
            style="reeks",
            markers=True,
            dashes=False,
            palette=PALETTE[: len(labels)],
            ax=ax,
            linewidth=2,
            markersize=7,
        )
        ax.set(xlabel="Schooljaar", ylabel=ylabel)
        ax.set_ylim(bottom=0)
        _dutch_axis(ax, decimals)
        _legend(ax, len(labels))
        return _svg(fig)


def lines_per_group(frame: pd.DataFrame, group: str, labels: dict[str, str], ylabel: str) -> bytes:
    data = frame.rename(columns=labels)
    long = data.melt(
        id_vars=["schooljaar", group], value_vars=list(labels.values()), var_name="reeks", value_name="waarde"
    )
    long["waarde"] = long["waarde"].astype("Float64").astype(float)
    groups = list(dict.fromkeys(long[group]))
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, len(groups), figsize=(WIDTH_CM / 2.54, 7.5 / 2.54), sharey=False)
        for i, (ax, name) in enumerate(zip(list(axes) if len(groups) > 1 else [axes], groups, strict=True)):
            part = long[long[group] == name]
            sns.lineplot(
                part,
                x="schooljaar",
                y="waarde",
                hue="reeks",
                style="reeks",
                markers=True,
                dashes=False,
                palette=PALETTE[: len(labels)],
                ax=ax,
                linewidth=2,
                markersize=6,
                legend=(i == 0),
            )
            ax.set_title(name)
            ax.set(xlabel="", ylabel=ylabel if i == 0 else "")
            ax.set_ylim(bottom=0)
            ax.tick_params(axis="x", labelrotation=90)
            _dutch_axis(ax, 1)
        first = axes[0] if len(groups) > 1 else axes
        first.legend(title=None, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.12), ncol=len(labels))
        fig.tight_layout()
        return _svg(fig)


def horizontal_bars(labels: list[str], values: list, xlabel: str) -> bytes:
    with plt.rc_context(STYLE):
        fig, ax = _figure(height_cm=max(4.0, 0.8 * len(labels) + 1.5))
        data = pd.DataFrame({"uitkomst": labels, "waarde": pd.array(values, dtype="Float64").astype(float)})
        sns.barplot(data, y="uitkomst", x="waarde", color=PALETTE[0], ax=ax, saturation=1)
        for container in ax.containers:
            ax.bar_label(container, labels=[getal(v) for v in data["waarde"]], padding=3)
        ax.set(ylabel="", xlabel=xlabel)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: getal(v)))
        return _svg(fig)
