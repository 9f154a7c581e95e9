"""Plots of one suggestion: the precedents shown against the amount interval and a proposal.

The figure and the precedents table show the same cases, in the same order; a proposed sum is
drawn in its verdict's colour (:mod:`remedy_model.style`).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from remedy_model.style import MEDIAN_HEX, POINT_HEX, RANGE_HEX, TONE_HEX, money
from remedy_model.suggest import Suggestion

_POUNDS = FuncFormatter(lambda v, _: money(v))


def _proposal(s: Suggestion) -> tuple[float, str] | None:
    if s.check is None or s.check.question != "amount":
        return None
    return s.check.proposed_today, TONE_HEX[s.check.tone]


def precedent_figure(s: Suggestion) -> Figure:
    """The precedents' symbolic sums (today's money) against the amount-if-paid interval.

    One row per precedent in the table, nearest first; £0 is an apology only, and a precedent
    whose sum was not stated is listed without a dot.
    """
    rows = s.precedents
    fig = Figure(figsize=(8, 0.32 * len(rows) + 2.0), dpi=120)
    ax = fig.subplots()
    a = s.amount_if_paid_today
    ax.axvspan(a["low"], a["high"], color=RANGE_HEX, alpha=0.5, label=f"{s.level:.0%} if paid")
    ax.axvline(a["median"], color=MEDIAN_HEX, lw=1.5, label="median if paid")
    for y, p in enumerate(rows):
        if p.remedy_visible and p.symbolic_today is not None:
            ax.plot(p.symbolic_today, y, "o", color=POINT_HEX)
            note = money(p.symbolic_today) if p.symbolic_today else "£0 (no payment)"
        else:
            note = "sum not stated"
        x = p.symbolic_today if p.remedy_visible and p.symbolic_today else 0
        ax.annotate(note, (x, y), xytext=(6, 0), textcoords="offset points", va="center",
                    fontsize=7)  # fmt: skip
    proposal = _proposal(s)
    if proposal is not None:
        ax.axvline(proposal[0], color=proposal[1], lw=2, ls="--",
                   label=f"proposed ({money(proposal[0])})")  # fmt: skip
    ax.set_yticks(range(len(rows)), [f"{p.label} ({p.year or '?'})" for p in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("symlog", linthresh=100)
    highest = max(
        [a["high"], *(p.symbolic_today or 0 for p in rows), proposal[0] if proposal else 0]
    )
    ax.set_xlim(0, highest * 2.5)
    ax.xaxis.set_major_formatter(_POUNDS)
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(f"symbolic payment, £ in {s.today_year} money (log scale above £100)")
    ax.set_title(f"The {len(rows)} precedents shown, nearest first")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def plot_suggestion(s: Suggestion, path: Path | str) -> Path:
    """Save :func:`precedent_figure` as a PNG at ``path``."""
    path = Path(path)
    precedent_figure(s).savefig(path)
    return path


def answer_figure(s: Suggestion) -> Figure:
    """The two answers: the chance of a payment, and the amount-if-paid interval."""
    fig = Figure(figsize=(8, 2.6), dpi=120)
    ax_p, ax_a = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 3]})
    p = s.p_payment
    ax_p.bar(["no payment", "payment"], [1 - p, p], color=["#bdbdbd", "#3182bd"])
    ax_p.set_ylim(0, 1)
    ax_p.set_ylabel("probability")
    ax_p.set_title("Any symbolic payment?")
    a = s.amount_if_paid_today
    ax_a.hlines(0, a["low"], a["high"], color="#3182bd", lw=8, label=f"{s.level:.0%} interval")
    ax_a.plot(a["median"], 0, "D", color=MEDIAN_HEX, ms=9, label="median")
    proposal = _proposal(s)
    lo, hi = a["low"], a["high"]
    if proposal is not None:
        ax_a.plot(proposal[0], 0, "v", color=proposal[1], ms=11, label="proposed")
        lo, hi = min(lo, proposal[0]), max(hi, proposal[0])
    ax_a.set_xscale("log")
    ax_a.set_yticks([])
    ax_a.set_xlim(max(lo / 2, 1), hi * 2)
    ax_a.xaxis.set_major_formatter(_POUNDS)
    ax_a.xaxis.set_minor_formatter(NullFormatter())
    ax_a.set_xlabel(f"£ in {s.today_year} money (log scale)")
    ax_a.set_title("If a payment is made, how much?")
    ax_a.legend(loc="upper right", fontsize=8, ncols=3)
    fig.tight_layout()
    return fig


def plot_range(s: Suggestion, path: Path | str) -> Path:
    """Save :func:`answer_figure` as a PNG at ``path``."""
    path = Path(path)
    answer_figure(s).savefig(path)
    return path
