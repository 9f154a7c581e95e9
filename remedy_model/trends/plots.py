"""One print-readable figure per trends table, drawn with matplotlib's Agg renderer.

Figures are built as :class:`matplotlib.figure.Figure` objects, not through pyplot, so no window
or global state is involved. Every figure labels its axes with units, names the prices year in the
title, shows the case count of each bar or point, and marks thin cells (fewer than 5 cases) as
hatched grey. Colours are dark and light so they survive printing in black and white.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from remedy_model.outputs import atomic_path
from remedy_model.style import money
from remedy_model.trends.tables import THIN_BELOW

SOLID = "#1f3b73"
NOMINAL = "#9a9a9a"
THIN_FACE = "#e0e0e0"
THIN_EDGE = "#6f6f6f"
THIN_HATCH = "///"

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.8,
    "svg.fonttype": "none",
}
DPI = 150

THIN_NOTE = f"hatched grey = thin (fewer than {THIN_BELOW} cases)"


def pounds(value: float, _pos: object = None) -> str:
    """Axis tick text in pounds (a matplotlib tick formatter's signature).

    >>> pounds(12500.0)
    '£12,500'
    """
    return money(value)


WORDS = {
    "sen_ehcp": "SEN / EHC plan",
    "mental_capacity_dols": "mental capacity / DoLS",
    "nhs_joint": "NHS joint",
}


def plain(label: object) -> str:
    """A vocabulary word for reading.

    >>> plain("care_not_provided"), plain("sen_ehcp")
    ('care not provided', 'SEN / EHC plan')
    """
    return WORDS.get(str(label), str(label).replace("_", " "))


def _save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, format="png", dpi=DPI, facecolor="white")
    return path


def bar_size(labels: pd.Series, label: Callable[[object], str] = plain) -> tuple[float, float]:
    """Figure size for horizontal bars: taller with more rows, wider with long labels."""
    longest = max((len(label(v)) for v in labels), default=0)
    return 8.5 + 0.08 * max(0, longest - 28), 1.8 + 0.36 * len(labels)


def _iqr(table: pd.DataFrame, median: str, q1: str, q3: str) -> np.ndarray:
    """Error-bar lengths (below, above) from quartile columns."""
    return np.vstack([table[median] - table[q1], table[q3] - table[median]]).clip(min=0)


def year_counts(ax, table: pd.DataFrame) -> None:
    """The case count of each year above the plot, grey and italic when thin."""
    transform = ax.get_xaxis_transform()
    for row in table.itertuples():
        ax.text(
            row.year,
            1.01,
            str(row.n),
            transform=transform,
            ha="center",
            va="bottom",
            fontsize=8,
            style="italic" if row.thin else "normal",
            color=THIN_EDGE if row.thin else "black",
        )


def plot_by_year(table: pd.DataFrame, today_year: int, path: Path) -> Path:
    """Median and interquartile range of symbolic sums per year, today's money and nominal."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(8.5, 4.8), layout="constrained")
        ax = fig.add_subplot()
        known = table.dropna(subset=["median_today"])
        for thin, part in known.groupby("thin"):
            face = "white" if thin else SOLID
            colour = THIN_EDGE if thin else SOLID
            ax.errorbar(
                part["year"] - 0.12,
                part["median_today"],
                yerr=_iqr(part, "median_today", "q1_today", "q3_today"),
                fmt="o",
                color=colour,
                mfc=face,
                mec=colour,
                capsize=3,
                ms=6,
                label=f"{today_year} money" + (" (thin)" if thin else ""),
            )
        ax.errorbar(
            known["year"] + 0.12,
            known["median_gbp"],
            yerr=_iqr(known, "median_gbp", "q1_gbp", "q3_gbp"),
            fmt="s",
            color=NOMINAL,
            ms=4,
            capsize=2,
            label="nominal (money of the year)",
        )
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(pounds))
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, p: ""))
        year_counts(ax, table)
        ax.set_xlim(table["year"].min() - 0.7, table["year"].max() + 0.7)
        ax.text(-0.01, 1.01, "n =", transform=ax.transAxes, ha="right", va="bottom", fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Decision year (n = cases with a symbolic sum, shown above the plot)")
        ax.set_ylabel("Symbolic payment per case, £ (log scale)")
        ax.set_title(
            f"Symbolic payments by decision year, median and interquartile range\n"
            f"(today's money = {today_year} prices; hollow grey points = thin, "
            f"fewer than {THIN_BELOW} cases)",
            pad=26,
        )
        ax.legend(loc="upper right", fontsize=8, frameon=False)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        return _save(fig, path)


def thin_bars(ax, values: pd.Series, thin: np.ndarray) -> np.ndarray:
    """Horizontal bars, solid or hatched grey when thin; returns their y positions."""
    y = np.arange(len(values))
    ax.barh(
        y,
        values,
        color=np.where(thin, THIN_FACE, SOLID),
        edgecolor=np.where(thin, THIN_EDGE, SOLID),
        hatch=[THIN_HATCH if t else "" for t in thin],
        height=0.65,
    )
    return y


def bar_labels(ax, ends: Sequence[float], texts: Sequence[str], thin: np.ndarray, gap: float):
    """A small text after each bar (counts), grey for thin rows."""
    for i, (end, text, is_thin) in enumerate(zip(ends, texts, thin, strict=True)):
        colour = THIN_EDGE if is_thin else "black"
        ax.text(end + gap, i, text, va="center", fontsize=8, color=colour)


def bar_legend(fig: Figure, solid_label: str) -> None:
    """The legend under a bar chart: what a solid bar shows, and what thin means."""
    fig.legend(
        handles=[
            Patch(facecolor=SOLID, label=solid_label),
            Patch(facecolor=THIN_FACE, edgecolor=THIN_EDGE, hatch=THIN_HATCH, label=THIN_NOTE),
        ],
        loc="outside lower center",
        ncol=2,
        fontsize=8,
        frameon=False,
    )


def plot_bars(
    table: pd.DataFrame,
    label_column: str,
    title: str,
    xlabel: str,
    path: Path,
    suffix: str = "",
    label: Callable[[object], str] = plain,
    whiskers: tuple[str, str, str] | None = None,
) -> Path:
    """Horizontal bars of the median in today's money with interquartile whiskers.

    ``suffix`` picks the columns (``median_today<suffix>`` ...); ``whiskers`` (low column,
    high column, legend text) replaces the interquartile range. Rows are drawn top to bottom
    in the table's order (thin rows last). Rows with no sum get no bar but keep their label
    and count, so nothing is hidden.
    """
    median, q1, q3 = (f"{name}_today{suffix}" for name in ("median", "q1", "q3"))
    whisker_text = "median (whiskers: interquartile range)"
    if whiskers is not None:
        q1, q3, whisker_text = whiskers
    rows = table.iloc[::-1].reset_index(drop=True)
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=bar_size(rows[label_column], label), layout="constrained")
        ax = fig.add_subplot()
        values = rows[median].fillna(0)
        thin = rows["thin"].to_numpy()
        y = thin_bars(ax, values, thin)
        known = rows[median].notna().to_numpy()
        ax.errorbar(
            values[known],
            y[known],
            xerr=_iqr(rows[known], median, q1, q3),
            fmt="none",
            ecolor="black",
            elinewidth=0.9,
            capsize=3,
        )
        right = np.nanmax(np.r_[rows[q3].to_numpy(dtype=float), values.to_numpy(), 1.0])
        texts = [
            f"n={r['n']}" + (" thin" if r["thin"] else "")
            if r[median] == r[median]
            else f"n={r['n']}: no sums"
            for _, r in rows.iterrows()
        ]
        ends = np.fmax(rows[q3].to_numpy(dtype=float), values.to_numpy(dtype=float))
        bar_labels(ax, ends, texts, thin, right * 0.01)
        ax.set_xlim(0, right * 1.18)
        ax.set_yticks(y, [label(v) for v in rows[label_column]])
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.xaxis.set_major_formatter(FuncFormatter(pounds))
        ax.set(xlabel=xlabel, title=title)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        bar_legend(fig, whisker_text)
        return _save(fig, path)


def plot_share(table: pd.DataFrame, path: Path) -> Path:
    """Share of upheld cases with a stated remedy that include a symbolic payment, per year."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(8.5, 4.3), layout="constrained")
        ax = fig.add_subplot()
        thin = table["thin"].to_numpy()
        ax.bar(
            table["year"],
            table["share"],
            color=np.where(thin, THIN_FACE, SOLID),
            edgecolor=np.where(thin, THIN_EDGE, SOLID),
            hatch=[THIN_HATCH if t else "" for t in thin],
            width=0.7,
        )
        for row in table.itertuples():
            ax.text(
                row.year,
                row.share + 0.02,
                f"{row.n_paid}/{row.n}",
                ha="center",
                fontsize=7,
                rotation=90 if len(table) > 12 else 0,
                va="bottom",
                color=THIN_EDGE if row.thin else "black",
            )
        ax.set_ylim(0, 1.25)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Decision year (labels: cases paid / upheld cases with a stated remedy)")
        ax.set_ylabel("Cases with a symbolic payment, %")
        ax.set_title(
            "Share of upheld cases with any symbolic payment, by year\n"
            f"(hatched grey bars are thin: fewer than {THIN_BELOW} cases)"
        )
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        return _save(fig, path)


def plot_share_bars(table: pd.DataFrame, label_column: str, title: str, path: Path) -> Path:
    """Horizontal bars of the payment rate per group, in the table's order (thin rows last)."""
    rows = table.iloc[::-1].reset_index(drop=True)
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=bar_size(rows[label_column]), layout="constrained")
        ax = fig.add_subplot()
        thin = rows["thin"].to_numpy()
        y = thin_bars(ax, rows["share"], thin)
        texts = [
            f"{r['n_paid']}/{r['n']}" + (" thin" if r["thin"] else "") for _, r in rows.iterrows()
        ]
        bar_labels(ax, rows["share"], texts, thin, 0.01)
        ax.set_xlim(0, 1.18)
        ax.set_xticks(np.linspace(0, 1, 6))
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_yticks(y, [plain(v) for v in rows[label_column]])
        ax.set_xlabel("Share of upheld cases with a stated remedy that were paid (paid / cases)")
        ax.set_title(title)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        bar_legend(fig, "share paid")
        return _save(fig, path)


BARS = {
    "by_fault": ("fault_type", "Symbolic payments by fault type (a case counts under each fault)"),
    "by_category": ("category_group", "Symbolic payments by category group"),
    "by_subcategory": ("subcategory", "Symbolic payments by subcategory"),
    "by_org_type": ("org_type", "Symbolic payments by type of organisation"),
    "carer": ("group", "Symbolic payments: unpaid carer affected or not"),
    "respite": ("group", "Symbolic payments: respite lost or not"),
}
"""The bar charts of medians: table name -> (label column, title)."""

SHARE_BARS = {
    "payment_rate_by_fault": ("fault_type", "How often a symbolic payment is made, by fault type"),
    "payment_rate_by_category": (
        "category_group",
        "How often a symbolic payment is made, by category group",
    ),
}


def _write(out_dir: Path, name: str, draw: Callable[[Path], object]) -> Path:
    """Draw one figure into ``out_dir/<name>.png`` through a temporary file."""
    path = Path(out_dir) / f"{name}.png"
    with atomic_path(path) as tmp:
        draw(tmp)
    return path


def write_plots(tables: dict[str, pd.DataFrame], today_year: int, out_dir: Path) -> dict[str, Path]:
    """Draw every table's figure as ``out_dir/<name>.png``; return the paths by table name."""
    prices = f"today's money = {today_year} prices"
    per_case = f"Symbolic payment per case, £ ({today_year} money)"
    paths = {
        "by_year": _write(out_dir, "by_year", partial(plot_by_year, tables["by_year"], today_year))
    }
    for name, (column, title) in BARS.items():
        full = f"{title}\n(median, {prices}; thin rows last)"
        table = tables[name]
        if name == "by_subcategory":  # many have no sum at all: the table lists those
            table = table[table["n"] > 0]
            full += "\nsubcategories without a symbolic sum are listed in the table only"
        paths[name] = _write(out_dir, name, partial(plot_bars, table, column, full, per_case))
    rates = partial(
        plot_bars,
        tables["rates"],
        "label",
        f"What a month of lost care, respite or education is worth\n"
        f"(payment / months lost, median; {prices})",
        f"Payment per month lost, £ ({today_year} money)",
        suffix="_per_month",
        whiskers=(
            "low_today_per_month",
            "high_today_per_month",
            "median (whiskers: 90% bootstrap interval of the median)",
        ),
    )
    paths["rates"] = _write(out_dir, "rates", lambda path: rates(path=path))
    paths["payment_share"] = _write(
        out_dir, "payment_share", partial(plot_share, tables["payment_share"])
    )
    for name, (column, title) in SHARE_BARS.items():
        full = f"{title}\n(thin rows last)"
        paths[name] = _write(out_dir, name, partial(plot_share_bars, tables[name], column, full))
    return paths
