"""Are remedies becoming more consistent? Early and late years compared, carefully.

The measure is the *spread*: the interquartile range of log(actual / expected) among the
scored cases of a period, read as the width of the band holding the middle half of cases (a
factor: the upper quartile's ratio over the lower one's). Periods are the first and last years
with scored cases, widened until each holds :data:`~remedy_model.trends.summary.MIN_PERIOD`
cases (:func:`~remedy_model.trends.summary.change_windows`); with fewer the paragraph says
there are too few. A seeded bootstrap interval of the change decides whether it is called
clear. Press-reported sums skew high and their share differs between periods, so the paragraph
says so and repeats the comparison on decision pages alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from remedy_model.rates import BOOTSTRAP_LEVEL, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED
from remedy_model.style import money
from remedy_model.trends.summary import MIN_PERIOD, change_windows
from remedy_model.trends.tables import years_label


def iqr(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """Interquartile range along ``axis``."""
    q1, q3 = np.quantile(values, [0.25, 0.75], axis=axis)
    return q3 - q1


def bootstrap_iqr_change(
    first: Sequence[float],
    last: Sequence[float],
    *,
    level: float = BOOTSTRAP_LEVEL,
    n_resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """Percentile bootstrap interval of IQR(last) - IQR(first), each period resampled alone.

    >>> rng = np.random.default_rng(0)
    >>> low, high = bootstrap_iqr_change(rng.normal(0, 2, 200), rng.normal(0, 1, 200))
    >>> bool(high < 0)
    True
    """
    rng = np.random.default_rng(seed)
    a, b = np.asarray(first, dtype=float), np.asarray(last, dtype=float)
    draws = [
        iqr(part[rng.integers(0, len(part), (n_resamples, len(part)))], axis=1) for part in (a, b)
    ]
    tail = (1 - level) / 2
    low, high = np.quantile(draws[1] - draws[0], [tail, 1 - tail])
    return float(low), float(high)


def window_spread(scored: pd.DataFrame, years: Sequence[int]) -> dict:
    """Counts, sources, share outside and the middle-half band of one period."""
    inside = scored[scored["year"].isin(years)]
    logs = inside["log_ratio"].to_numpy()
    q1, q3 = np.quantile(logs, [0.25, 0.75]) if len(logs) else (np.nan, np.nan)
    return {
        "years": [int(y) for y in years],
        "n": len(inside),
        "n_press": int((inside["source_group"] == "press").sum()),
        "share_outside": float((inside["outside"] != "within").mean()) if len(inside) else None,
        "q1_ratio": float(np.exp(q1)),
        "q3_ratio": float(np.exp(q3)),
        "band": float(np.exp(q3 - q1)),
        "log_ratio": logs,
    }


def consistency_change(scored: pd.DataFrame, min_n: int = MIN_PERIOD) -> dict | None:
    """Spread in the first and last years with scored cases, and whether it clearly changed.

    Returns ``None`` when the scored cases span fewer than two years. Otherwise ``first`` and
    ``last`` (:func:`window_spread`), ``compared`` (each holds at least ``min_n`` cases) and,
    when compared, ``band_change`` (the later band's width over the earlier one's), its
    bootstrap interval ``band_change_low`` / ``band_change_high`` and ``verdict``:
    ``'narrower'``, ``'wider'`` or ``'no clear change'``.
    """
    windows = change_windows(scored["year"], min_n=min_n)
    if windows is None:
        return None
    first, last = (window_spread(scored, years) for years in windows)
    moved = {"first": first, "last": last, "min_n": min_n}
    moved["compared"] = min(first["n"], last["n"]) >= min_n
    if moved["compared"]:
        low, high = bootstrap_iqr_change(first["log_ratio"], last["log_ratio"])
        moved["band_change"] = last["band"] / first["band"]
        moved["band_change_low"], moved["band_change_high"] = np.exp(low), np.exp(high)
        moved["verdict"] = "narrower" if high < 0 else "wider" if low > 0 else "no clear change"
    return moved


def period_words(window: dict) -> str:
    """'2024-2026 (122 cases, 52 from the press)'."""
    return (
        f"{years_label(window['years'])} ({window['n']} cases, {window['n_press']} from the press)"
    )


def compared_sentences(moved: dict, level: float) -> list[str]:
    """What the two periods show and whether the change is clear, in words."""
    first, last = moved["first"], moved["last"]
    verdict = {
        "narrower": "The spread is clearly narrower in the later years: remedies there sit "
        "closer to what their peers suggest.",
        "wider": "The spread is clearly wider in the later years: remedies there sit further "
        "from what their peers suggest.",
        "no clear change": "The difference is within what chance alone could give, so the data "
        "do not show a clear change in consistency.",
    }[moved["verdict"]]
    return [
        f"Comparing {period_words(first)} with {period_words(last)}: the middle half of cases "
        f"lay between {first['q1_ratio']:.2f} and {first['q3_ratio']:.2f} times the expected "
        f"sum earlier (a band {first['band']:.1f} times wide) and between "
        f"{last['q1_ratio']:.2f} and {last['q3_ratio']:.2f} times later (a band "
        f"{last['band']:.1f} times wide); {first['share_outside']:.0%} and "
        f"{last['share_outside']:.0%} fell outside the {level:.0%} interval.",
        f"{verdict} (The later band is {moved['band_change']:.2f} times as wide as the earlier; "
        f"{BOOTSTRAP_LEVEL:.0%} bootstrap interval {moved['band_change_low']:.2f} to "
        f"{moved['band_change_high']:.2f}.)",
    ]


def too_few_sentence(scored: pd.DataFrame, min_n: int, what: str = "scored cases") -> str:
    """Why no periods are compared."""
    n_dated = int(scored["year"].notna().sum())
    return (
        f"There are too few {what} to say whether consistency is changing: a comparison needs "
        f"at least {min_n} cases in each period, and the {n_dated} {what} with a year cannot be "
        "split into two such periods."
    )


def press_sentence(scored: pd.DataFrame, moved: dict | None) -> str | None:
    """How press-sourced cases differ, and how their share differs between the periods."""
    press = scored["source_group"] == "press"
    if not press.any():
        return None
    pages = scored["source_group"] == "decision"
    paid = scored["actual_today_gbp"]
    medians = (
        f"median {money(paid[press].median())} against {money(paid[pages].median())} on "
        "decision pages, today's money"
    )
    if paid[press].median() > paid[pages].median():
        sentence = f"Press-sourced sums skew high ({medians}). The model knows each case's source"
    else:
        sentence = f"Press-sourced sums do not run higher here ({medians})"
    sentence += ", but the press picks out unusual cases"
    if moved and moved["compared"]:
        first, last = moved["first"], moved["last"]
        sentence += (
            f", and press reports supply {first['n_press'] / first['n']:.0%} of the earlier "
            f"cases against {last['n_press'] / last['n']:.0%} of the later ones, so part of any "
            "change may reflect where the cases were found"
        )
    return sentence + "."


def pages_sentence(scored: pd.DataFrame, level: float) -> str:
    """The same comparison on the Ombudsman's decision pages alone."""
    pages = scored[scored["source_group"] == "decision"]
    moved = consistency_change(pages) if len(pages) else None
    if moved is None or not moved["compared"]:
        return too_few_sentence(pages, MIN_PERIOD, "decision-page cases")
    first, last = moved["first"], moved["last"]
    verdict = {"narrower": "clearly narrower", "wider": "clearly wider"}.get(
        moved["verdict"], "not clearly different"
    )
    return (
        f"On decision pages alone, {years_label(first['years'])} ({first['n']} cases) against "
        f"{years_label(last['years'])} ({last['n']} cases): bands {first['band']:.1f} and "
        f"{last['band']:.1f} times wide, {first['share_outside']:.0%} and "
        f"{last['share_outside']:.0%} outside the {level:.0%} interval; the later spread is "
        f"{verdict}."
    )


ANSWERS = {
    "narrower": "Yes, on this measure: sums in the later years sit clearly closer to what "
    "their peers suggest.",
    "wider": "No: sums in the later years sit clearly further from what their peers suggest.",
    "no clear change": "No clear change: once chance is allowed for, sums sit about as far "
    "from what their peers suggest in the later years as in the earlier ones.",
    "too few": "Cannot say: there are too few scored cases with a year to compare periods.",
    "single year": "Cannot say: the scored cases cover a single year.",
}
"""The one-line answer to 'are remedies becoming more consistent?', by outcome."""


def consistency_answer(
    scored: pd.DataFrame, moved: dict | None, level: float
) -> tuple[str, list[str]]:
    """The report's answer to 'are remedies becoming more consistent?': one line, then the
    evidence and caveats as sentences (counts, the press, decision pages alone, the sample)."""
    if moved is None:
        answer, details = ANSWERS["single year"], []
    elif not moved["compared"]:
        answer, details = ANSWERS["too few"], [too_few_sentence(scored, moved["min_n"])]
    else:
        answer, details = ANSWERS[moved["verdict"]], compared_sentences(moved, level)
    details.append(press_sentence(scored, moved))
    if moved is not None and moved["compared"]:
        details.append(pages_sentence(scored, level))
    details.append(
        "The cases are a hand-coded sample of published decisions, and the expected sums come "
        "from the same sample, so this measures consistency among the coded cases."
    )
    return answer, [s for s in details if s]
