"""Plots of one suggestion: the precedents' sums against the range and a proposed sum."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, NullFormatter

from remedy_model.suggest import Suggestion

_POUNDS = FuncFormatter(lambda v, _: f"£{v:,.0f}")


def plot_suggestion(suggestion: Suggestion, path: Path | str) -> Path:
    """The similar precedents' symbolic sums (today's money) against the range and proposal.

    One row per precedent with a known remedy (nearest first); £0 means apology only.
    """
    path = Path(path)
    rows = suggestion.compared
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(rows) + 2.0), dpi=120)
    r = suggestion.range_today
    ax.axvspan(
        r["low"], r["high"], color="#9ecae1", alpha=0.5, label=f"model {suggestion.level:.0%} range"
    )
    ax.axvline(r["median"], color="#08519c", lw=1.5, label="model median")
    for y, row in enumerate(rows):
        ax.plot(row["symbolic_today"], y, "o", color="#333333")
        ax.annotate(
            f"£{row['symbolic_today']:,.0f}",
            (row["symbolic_today"], y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    if suggestion.check is not None:
        ax.axvline(
            suggestion.check.proposed_today,
            color="#cb181d",
            lw=2,
            ls="--",
            label=f"proposed (£{suggestion.check.proposed_today:,.0f})",
        )
    ax.set_yticks(
        range(len(rows)),
        [f"{x['case_ref'] or 'no ref'} ({x['year'] or '?'})" for x in rows],
        fontsize=8,
    )
    ax.invert_yaxis()
    ax.set_xscale("symlog", linthresh=100)
    highest = max(
        [
            r["high"],
            *(x["symbolic_today"] for x in rows),
            suggestion.check.proposed_today if suggestion.check else 0,
        ]
    )
    ax.set_xlim(0, highest * 2.5)
    ax.xaxis.set_major_formatter(_POUNDS)
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(f"symbolic payment, £ in {suggestion.today_year} money (log scale above £100)")
    ax.set_title(f"The {len(rows)} most similar precedents with a known remedy")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_range(suggestion: Suggestion, path: Path | str) -> Path:
    """Bar of the chance of any payment and the amount-if-paid interval, in today's money."""
    path = Path(path)
    fig, (ax_p, ax_a) = plt.subplots(
        1, 2, figsize=(8, 2.6), dpi=120, gridspec_kw={"width_ratios": [1, 3]}
    )
    p = suggestion.p_payment
    ax_p.bar(["no payment", "payment"], [1 - p, p], color=["#bdbdbd", "#3182bd"])
    ax_p.set_ylim(0, 1)
    ax_p.set_ylabel("probability")
    ax_p.set_title("Any symbolic payment?")
    a = suggestion.amount_if_paid_today
    ax_a.hlines(
        0, a["low"], a["high"], color="#3182bd", lw=8, label=f"{suggestion.level:.0%} interval"
    )
    ax_a.plot(a["median"], 0, "D", color="#08519c", ms=9, label="median")
    if suggestion.check is not None:
        ax_a.plot(suggestion.check.proposed_today, 0, "v", color="#cb181d", ms=11, label="proposed")
    ax_a.set_xscale("log")
    ax_a.set_yticks([])
    lo = min(a["low"], suggestion.check.proposed_today if suggestion.check else a["low"])
    hi = max(a["high"], suggestion.check.proposed_today if suggestion.check else a["high"])
    ax_a.set_xlim(max(lo / 2, 1), hi * 2)
    ax_a.xaxis.set_major_formatter(_POUNDS)
    ax_a.xaxis.set_minor_formatter(NullFormatter())
    ax_a.set_xlabel(f"£ in {suggestion.today_year} money (log scale)")
    ax_a.set_title("Amount if a payment is made")
    ax_a.legend(loc="upper right", fontsize=8, ncols=3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
