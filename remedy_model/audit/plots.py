"""The audit's figures, in the trends report's print-readable style (Agg, no pyplot).

- :func:`plot_scatter`: every scored case, actual against expected, outliers marked;
- :func:`plot_spread`: per group, the median ratio and the middle half of ratios, thin groups
  hollow grey and last.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from remedy_model.trends.plots import DPI, NOMINAL, SOLID, STYLE, THIN_EDGE, bar_size, plain, pounds
from remedy_model.trends.tables import THIN_BELOW

ABOVE = "#b03a2e"
BELOW = "#1f3b73"


def times(value: float, _pos: object = None) -> str:
    """Axis text for a ratio.

    >>> times(0.25), times(2.0), times(10.0)
    ('x0.25', 'x2', 'x10')
    """
    return f"x{value:g}"


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes (written later, with everything else, or embedded)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def plot_scatter(scored: pd.DataFrame, today_year: int, level: float) -> bytes:
    """Actual against expected sum (log-log, today's money) with the x2 band; outliers marked."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(7.5, 6.6), layout="constrained")
        ax = fig.add_subplot()
        styles = {
            "within": dict(marker="o", s=14, color=NOMINAL, alpha=0.6, label="within"),
            "above": dict(marker="^", s=30, color=ABOVE, label="above"),
            "below": dict(marker="v", s=30, color=BELOW, label="below"),
        }
        for kind, style in styles.items():
            part = scored[scored["outside"] == kind]
            style["label"] = f"{style['label']} the {level:.0%} interval ({len(part)})"
            ax.scatter(part["expected_today_gbp"], part["actual_today_gbp"], **style)
        values = scored[["expected_today_gbp", "actual_today_gbp"]].to_numpy()
        low, high = values.min() / 1.5, values.max() * 1.5
        line = np.array([low, high])
        ax.plot(line, line, color="black", linewidth=0.9, label="actual = expected")
        for factor in (2.0, 0.5):
            ax.plot(line, line * factor, color="black", linewidth=0.6, linestyle=":")
        ax.plot([], [], color="black", linewidth=0.6, linestyle=":", label="x2 and x0.5")
        ax.set(xscale="log", yscale="log", xlim=(low, high), ylim=(low, high))
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(FuncFormatter(pounds))
            axis.set_minor_formatter(NullFormatter())
        ax.set_xlabel(f"Expected by a model that never saw the case, £ ({today_year} money)")
        ax.set_ylabel(f"Symbolic sum paid, £ ({today_year} money)")
        ax.set_title(
            f"{len(scored)} upheld cases with a symbolic sum, each against its peers\n"
            "(log scales; points above the line were paid more than expected)"
        )
        ax.legend(loc="upper left", fontsize=8, frameon=False)
        ax.grid(color="#e4e4e4", linewidth=0.5)
        ax.set_axisbelow(True)
        return png(fig)


def group_labels(ax, rows: pd.DataFrame, x: float) -> None:
    """Each group's count and share outside the interval, at ``x``, grey when thin."""
    for i, row in rows.iterrows():
        text = f"n={row['n']}, {row['share_outside']:.0%} outside"
        text += " (thin)" if row["thin"] else ""
        colour = THIN_EDGE if row["thin"] else "black"
        ax.text(x, i, text, va="center", fontsize=8, color=colour)


RATIO_TICKS = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]


def plot_spread(
    table: pd.DataFrame, label_column: str, title: str, label: Callable[[object], str] = plain
) -> bytes:
    """Median ratio (dot) and interquartile range of ratios (whisker) per group, log scale.

    Rows are drawn top to bottom in the table's order (thin rows last, hollow and grey); each
    is labelled with its count and share outside the interval.
    """
    rows = table.iloc[::-1].reset_index(drop=True)
    labels = rows[label_column].map(lambda v: str(int(v)) if isinstance(v, float) else label(v))
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=bar_size(labels, str), layout="constrained")
        ax = fig.add_subplot()
        y = np.arange(len(rows))
        for thin, part in rows.groupby("thin"):
            colour = THIN_EDGE if thin else SOLID
            ax.errorbar(
                part["median_ratio"],
                part.index,
                xerr=np.vstack(
                    [
                        part["median_ratio"] - part["q1_ratio"],
                        part["q3_ratio"] - part["median_ratio"],
                    ]
                ),
                fmt="o",
                color=colour,
                mfc="white" if thin else colour,
                capsize=3,
                ms=6,
            )
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator(RATIO_TICKS))
        ax.xaxis.set_major_formatter(FuncFormatter(times))
        ax.xaxis.set_minor_formatter(NullFormatter())
        right = max(rows["q3_ratio"].max(), rows["median_ratio"].max(), 1.0) * 1.15
        group_labels(ax, rows, right)
        ax.set_xlim(min(rows["q1_ratio"].min(), 1.0) / 1.3, right * 3.5)
        ax.set_yticks(y, labels)
        ax.set_xlabel(
            "Symbolic sum paid / sum expected (dot: median; whiskers: middle half of cases)"
        )
        ax.set_title(
            f"{title}\n(shorter whiskers = more consistent; hollow grey = thin, fewer than "
            f"{THIN_BELOW} cases, listed last)"
        )
        ax.grid(axis="x", color="#e4e4e4", linewidth=0.5)
        ax.set_axisbelow(True)
        return png(fig)
