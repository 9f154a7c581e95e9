"""One print-readable figure per trends table, drawn with matplotlib's Agg renderer.

Figures are built as :class:`matplotlib.figure.Figure` objects, not through pyplot, so no window
or global state is involved. Every figure labels its axes with units, names the prices year in the
title, shows the case count of each bar or point, and marks thin cells (fewer than 5 cases) as
hatched grey. Colours are dark and light so they survive printing in black and white.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

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
    """Axis tick text in pounds.

    >>> pounds(12500.0)
    '£12,500'
    """
    return f"£{value:,.0f}"


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
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    return path


def _iqr(table: pd.DataFrame, median: str, q1: str, q3: str) -> np.ndarray:
    """Error-bar lengths (below, above) from quartile columns."""
    return np.vstack([table[median] - table[q1], table[q3] - table[median]]).clip(min=0)


def plot_by_year(table: pd.DataFrame, today_year: int, path: Path) -> Path:
    """Median and interquartile range of symbolic sums per year, today's money and nominal."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(8.5, 4.8))
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
        transform = ax.get_xaxis_transform()
        for row in table.itertuples():
            style = "italic" if row.thin else "normal"
            ax.text(
                row.year,
                1.01,
                str(row.n),
                transform=transform,
                ha="center",
                va="bottom",
                fontsize=8,
                style=style,
                color=THIN_EDGE if row.thin else "black",
            )
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


def plot_bars(
    table: pd.DataFrame,
    label_column: str,
    title: str,
    xlabel: str,
    path: Path,
    suffix: str = "",
    label: Callable[[object], str] = plain,
) -> Path:
    """Horizontal bars of the median in today's money with interquartile whiskers.

    ``suffix`` picks the columns (``median_today<suffix>`` ...). Rows with no sum get no bar
    but keep their label and count, so nothing is hidden.
    """
    median, q1, q3 = (f"{name}_today{suffix}" for name in ("median", "q1", "q3"))
    rows = table.iloc[::-1].reset_index(drop=True)
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(8.5, 1.8 + 0.36 * len(rows)), layout="constrained")
        ax = fig.add_subplot()
        y = np.arange(len(rows))
        values = rows[median].fillna(0)
        thin = rows["thin"].to_numpy()
        ax.barh(
            y,
            values,
            color=np.where(thin, THIN_FACE, SOLID),
            edgecolor=np.where(thin, THIN_EDGE, SOLID),
            hatch=[THIN_HATCH if t else "" for t in thin],
            height=0.65,
        )
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
        for i, row in rows.iterrows():
            end = row[q3] if row[median] == row[median] else 0.0
            text = f"n={row['n']}" + (" thin" if row["thin"] else "")
            if row[median] != row[median]:
                text = f"n={row['n']}: no sums"
            ax.text(
                end + right * 0.01,
                i,
                text,
                va="center",
                fontsize=8,
                color=THIN_EDGE if row["thin"] else "black",
            )
        ax.set_xlim(0, right * 1.18)
        ax.set_yticks(y, [label(v) for v in rows[label_column]])
        ax.xaxis.set_major_formatter(FuncFormatter(pounds))
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.legend(
            handles=[
                Patch(facecolor=SOLID, label="median (whiskers: interquartile range)"),
                Patch(facecolor=THIN_FACE, edgecolor=THIN_EDGE, hatch=THIN_HATCH, label=THIN_NOTE),
            ],
            loc="outside lower center",
            ncol=2,
            fontsize=8,
            frameon=False,
        )
        return _save(fig, path)


def plot_share(table: pd.DataFrame, path: Path) -> Path:
    """Share of upheld cases with a stated remedy that include a symbolic payment, per year."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(8.5, 4.3))
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


def write_plots(tables: dict[str, pd.DataFrame], today_year: int, out_dir: Path) -> dict[str, Path]:
    """Draw every table's figure as ``out_dir/<name>.png``; return the paths by table name."""
    out_dir = Path(out_dir)
    money = f"{today_year} money"
    per_case = f"Symbolic payment per case, £ ({money})"
    bars = {
        "by_fault": (
            "fault_type",
            "Symbolic payments by fault type (a case counts under each fault)",
        ),
        "by_category": ("category_group", "Symbolic payments by category group"),
        "by_org_type": ("org_type", "Symbolic payments by type of organisation"),
        "carer": ("group", "Symbolic payments: unpaid carer affected or not"),
        "respite": ("group", "Symbolic payments: respite lost or not"),
    }
    paths = {"by_year": plot_by_year(tables["by_year"], today_year, out_dir / "by_year.png")}
    for name, (column, title) in bars.items():
        paths[name] = plot_bars(
            tables[name],
            column,
            f"{title}\n(median, today's money = {today_year} prices)",
            per_case,
            out_dir / f"{name}.png",
        )
    paths["rates"] = plot_bars(
        tables["rates"],
        "label",
        f"What a month of lost care, respite or education is worth\n"
        f"(payment / months lost, median; today's money = {today_year} prices)",
        f"Payment per month lost, £ ({money})",
        out_dir / "rates.png",
        suffix="_per_month",
    )
    paths["payment_share"] = plot_share(tables["payment_share"], out_dir / "payment_share.png")
    return paths
