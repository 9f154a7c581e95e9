"""What changed, in words, and the headline figures: computed from the trends frame and tables.

Two rules keep the paragraph honest:

- periods are compared only when each holds at least :data:`MIN_PERIOD` sums; otherwise it
  says there are too few;
- where press-reported sums dominate a period, the paragraph leads with that caveat: the
  press picks out large sums, so a change between periods partly reflects where cases were
  found. The same comparison on the Ombudsman's decision pages alone follows when they hold
  enough sums.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from remedy_model.style import money
from remedy_model.trends.tables import THIN_BELOW, coverage, share_base, years_label

MIN_PERIOD = 20
"""Sums a period must hold before it is compared with another."""
PRESS_DOMINATES = 0.5
"""Share of a period's sums from press reports above which the paragraph leads with it."""


def change_windows(
    years: pd.Series, span: int = 3, min_n: int = MIN_PERIOD
) -> tuple[list[int], list[int]] | None:
    """The first and last ``span`` years that have cases, widened inwards to ``min_n`` cases.

    Windows never overlap, so they may hold fewer than ``min_n`` cases when there are too
    few; with fewer than ``2 * span`` distinct years each takes half of them. Returns ``None``
    with fewer than two distinct years.

    >>> change_windows(pd.Series([2009, 2012, 2013, 2014, 2019, 2019, 2024, 2025, 2025]), min_n=5)
    ([2009, 2012, 2013, 2014], [2019, 2024, 2025])
    >>> change_windows(pd.Series([2020, 2020])) is None
    True
    """
    counts = years.dropna().astype(int).value_counts().sort_index()
    distinct = [int(y) for y in counts.index]
    if len(distinct) < 2:
        return None
    size = min(span, len(distinct) // 2)
    first_end, last_start = size, len(distinct) - size
    while counts.iloc[:first_end].sum() < min_n and first_end < last_start:
        first_end += 1
    while counts.iloc[last_start:].sum() < min_n and last_start > first_end:
        last_start -= 1
    return distinct[:first_end], distinct[last_start:]


def sums(frame: pd.DataFrame) -> pd.DataFrame:
    """The cases with a visible symbolic sum above £0."""
    return frame[frame["symbolic_gbp"] > 0]


def window_figures(frame: pd.DataFrame, years: Sequence[int]) -> dict:
    """Median sums (nominal and today), sources and payment share within some years."""
    inside = frame[frame["year"].isin(years)]
    paid = sums(inside)
    base = share_base(inside)
    n_paid = int((base["symbolic_gbp"] > 0).sum())
    return {
        "years": [int(y) for y in years],
        "n": len(paid),
        "median_gbp": float(paid["symbolic_gbp"].median()),
        "median_today": float(paid["symbolic_today"].median()),
        "n_press": int((paid["source_group"] == "press").sum()),
        "n_decision": int((paid["source_group"] == "decision").sum()),
        "share_n": len(base),
        "share_paid": n_paid,
        "share": n_paid / len(base) if len(base) else float("nan"),
    }


def change(frame: pd.DataFrame, min_n: int = MIN_PERIOD) -> dict | None:
    """The real-terms change of the median between the first and last years with sums.

    Returns ``None`` when the sums span fewer than two years. Otherwise the two windows'
    figures (:func:`window_figures`), ``compared`` (each window holds at least ``min_n``
    sums), ``min_n`` and ``real_change_pct`` (``None`` when not compared).
    """
    windows = change_windows(sums(frame)["year"], min_n=min_n)
    if windows is None:
        return None
    first, last = (window_figures(frame, years) for years in windows)
    compared = min(first["n"], last["n"]) >= min_n
    pct = 100.0 * (last["median_today"] / first["median_today"] - 1.0) if compared else None
    return {
        "first": first,
        "last": last,
        "compared": compared,
        "min_n": min_n,
        "real_change_pct": pct,
    }


def press_caveat(frame: pd.DataFrame, moved: dict | None) -> str | None:
    """The caveat on press-reported sums when they dominate a compared period (or all sums).

    The press picks out large sums, so where it supplies most of a period's sums the change
    of the median partly reflects where the cases were found.
    """
    paid = sums(frame)
    press = paid["source_group"] == "press"
    windows = [moved["first"], moved["last"]] if moved else []
    heavy = [w for w in windows if w["n"] and w["n_press"] / w["n"] > PRESS_DOMINATES]
    if not heavy and not press.mean() > PRESS_DOMINATES:
        return None
    where = [f"{w['n_press']} of the {w['n']} sums in {years_label(w['years'])}" for w in heavy]
    said = " and ".join(where) or f"{int(press.sum())} of the {len(paid)} sums"
    decision = paid.loc[paid["source_group"] == "decision", "symbolic_today"].median()
    return (
        f"Read with care: press reports supply {said}, and the press picks out large sums "
        f"(median {money(paid.loc[press, 'symbolic_today'].median())} against "
        f"{money(decision)} on the Ombudsman's decision pages, today's money), so a change "
        "between periods partly reflects where the cases were found."
    )


def change_sentence(moved: dict, today_year: int, lead: str = "") -> str:
    """One sentence comparing the two windows of :func:`change`, with case counts."""
    first, last = moved["first"], moved["last"]
    pct = moved["real_change_pct"]
    direction = "higher" if pct > 0 else "lower"
    return (
        f"{lead or 'In'} {today_year} money, the median symbolic payment was "
        f"{money(first['median_today'])} in {years_label(first['years'])} ({first['n']} cases) "
        f"and {money(last['median_today'])} in {years_label(last['years'])} ({last['n']} "
        f"cases): {abs(pct):.0f}% {direction} in real terms (nominal medians "
        f"{money(first['median_gbp'])} and {money(last['median_gbp'])})."
    )


def too_few_sentence(frame: pd.DataFrame, min_n: int, what: str = "sums") -> str:
    """Why no periods are compared: how many sums there are and what a comparison needs."""
    years = sums(frame)["year"].dropna()
    span = f" (years {int(years.min())}-{int(years.max())})" if len(years) else ""
    return (
        f"There are too few {what} to compare periods: a comparison needs at least {min_n} "
        f"cases in each period, and the {len(years)} {what} with a year{span} cannot be split "
        "into two such periods."
    )


def decision_page_sentence(frame: pd.DataFrame, today_year: int) -> str:
    """The same comparison on the Ombudsman's decision pages alone, or why there is none."""
    pages = frame[frame["source_group"] == "decision"]
    moved = change(pages) if len(sums(pages)) else None
    if moved is None or not moved["compared"]:
        return (
            f"The Ombudsman's decision pages alone hold too few sums to compare periods "
            f"(at least {MIN_PERIOD} in each are needed)."
        )
    return change_sentence(moved, today_year, "On the Ombudsman's decision pages alone, in")


def share_sentence(moved: dict) -> str | None:
    """How the payment share moved over the compared years, when both hold enough cases."""
    first, last = moved["first"], moved["last"]
    if min(first["share_n"], last["share_n"]) < MIN_PERIOD:
        return None
    return (
        "Of upheld cases with a stated remedy, the share with any symbolic payment went from "
        f"{first['share']:.0%} ({first['share_paid']} of {first['share_n']}) to "
        f"{last['share']:.0%} ({last['share_paid']} of {last['share_n']}) over the same years."
    )


def top_fault(fault_table: pd.DataFrame) -> dict | None:
    """The fault type with the highest median in today's money among cells that are not thin."""
    solid = fault_table[~fault_table["thin"]].dropna(subset=["median_today"])
    if solid.empty:
        return None
    row = solid.sort_values("median_today", ascending=False).iloc[0]
    return {
        "fault_type": row["fault_type"],
        "median_today": float(row["median_today"]),
        "n": int(row["n"]),
    }


def what_changed(frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> str:
    """A short paragraph, computed from the data, on how remedies moved.

    It leads with the press caveat where press-reported sums dominate (and then gives the
    comparison on decision pages alone before the one on all sources); compares the first and
    last years with sums only when each period holds at least :data:`MIN_PERIOD` and says
    there are too few otherwise; then the payment share and the fault with the largest solid
    median.
    """
    today_year = int(frame["today_year"].iloc[0])
    moved = change(frame)
    compared = moved is not None and moved["compared"]
    caveat = press_caveat(frame, moved if compared else None)
    sentences = [caveat]
    if moved is None:
        sentences.append("The sums cover a single year, so no change over time can be shown.")
    elif not compared:
        sentences.append(too_few_sentence(frame, MIN_PERIOD))
    else:
        if caveat:  # the solid comparison first
            sentences.append(decision_page_sentence(frame, today_year))
            sentences.append(change_sentence(moved, today_year, "Across all sources, in"))
        else:
            sentences.append(change_sentence(moved, today_year))
            sentences.append(decision_page_sentence(frame, today_year))
        sentences.append(share_sentence(moved))
    fault = top_fault(tables["by_fault"])
    if fault is not None:
        sentences.append(
            f"Among fault types with at least {THIN_BELOW} cases, "
            f"{fault['fault_type'].replace('_', ' ')} draws the largest median "
            f"({money(fault['median_today'])}, {fault['n']} cases)."
        )
    sentences.append(
        "The cases are a hand-coded sample of published decisions, so a change may reflect "
        "which decisions were coded as well as what was paid."
    )
    return " ".join(s for s in sentences if s)


def _clean(value: object) -> object:
    """A JSON-friendly value: NaN becomes None, numpy numbers plain Python."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    if isinstance(value, (float, np.floating)):
        return None if value != value else round(float(value), 4)
    return value


def headline(frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> dict:
    """The headline figures for programs (``--json``): sums, payment share, change, counts."""
    paid = sums(frame)
    base = share_base(frame)
    n_paid = int((base["symbolic_gbp"] > 0).sum())
    figures = {
        "today_year": int(frame["today_year"].iloc[0]),
        **coverage(frame),
        "median_gbp": paid["symbolic_gbp"].median(),
        "median_today": paid["symbolic_today"].median(),
        "q1_today": paid["symbolic_today"].quantile(0.25),
        "q3_today": paid["symbolic_today"].quantile(0.75),
        "payment_share": {
            "share": n_paid / len(base) if len(base) else float("nan"),
            "n_paid": n_paid,
            "n": len(base),
        },
        "change": change(frame),
        "top_fault": top_fault(tables["by_fault"]),
        "rates_today_per_month": {
            row["purpose"]: {
                "median": row["median_today_per_month"],
                "low": row["low_today_per_month"],
                "high": row["high_today_per_month"],
                "n": row["n"],
            }
            for row in tables["rates"].to_dict("records")
        },
        "what_changed": what_changed(frame, tables),
    }
    return _clean(figures)
