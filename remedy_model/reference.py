"""The reference view investigators know: the sums paid in the case's subcategory, and the
typical sum for each payment purpose among the paid precedents.

Only upheld cases whose remedy states a symbolic sum above £0 count, and only the Ombudsman's
own texts (decision pages, reports): press reports favour large sums, so they are counted
apart. Per-month figures divide the sum paid for a lost service (care, respite, education) by
the months it was missing, where the duration is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from remedy_model.modeling.bundle import RemedyModel
from remedy_model.rates import per_month
from remedy_model.records import RATE_PURPOSES, TYPICAL_PURPOSES

REFERENCE_POOL = 30
"""Nearest paid upheld precedents the typical sums by purpose are taken over."""


@dataclass
class SumStats:
    """Lowest / median / highest symbolic sum of the paid upheld cases in one group."""

    scope: str
    """``"subcategory"`` or ``"category group"``."""
    name: str
    n: int
    lowest_today: float
    median_today: float
    highest_today: float
    lowest_gbp: float
    median_gbp: float
    highest_gbp: float
    press_n: int = 0
    """Paid upheld cases of the group known from press reports only (not in the figures)."""
    press_median_gbp: float | None = None


@dataclass
class PurposeSum:
    """The typical sum paid for one purpose (or per month of a lost service)."""

    purpose: str
    label: str
    n: int
    median_today: float
    median_gbp: float
    per_month: bool = False


@dataclass
class ReferenceView:
    """Sums by subcategory and category group, and typical sums by purpose."""

    sums: list[SumStats] = field(default_factory=list)
    purposes: list[PurposeSum] = field(default_factory=list)
    pool: int = 0
    """How many paid precedents the purposes are taken over."""


def _median(values: np.ndarray) -> float:
    """The median, as :func:`numpy.median` gives it, at a fraction of its cost on the short
    arrays of one answer.

    >>> _median(np.array([4.0, 1.0, 3.0])), _median(np.array([4.0, 1.0, 3.0, 2.0]))
    (3.0, 2.5)
    """
    ordered = np.sort(values)
    n = len(ordered)
    return float((ordered[(n - 1) // 2] + ordered[n // 2]) / 2)


def _stats(scope: str, name: str, sums: tuple, to_money: float) -> SumStats | None:
    own, press = sums
    if own.size == 0:
        return None
    low, mid, high = float(own[0]), _median(own), float(own[-1])
    press_mid = _median(press) * to_money if press.size else None
    return SumStats(
        scope, name, int(own.size), low, mid, high, low * to_money, mid * to_money,
        high * to_money, int(press.size), press_mid,
    )  # fmt: skip


def reference_view(
    model: RemedyModel,
    subcategory: str | None,
    group: str | None,
    nearest_paid: np.ndarray,
    to_money: float,
) -> ReferenceView:
    """The reference view for one query.

    Parameters
    ----------
    model : RemedyModel
        Its precedent table and the sums paid by group
        (:meth:`~remedy_model.modeling.bundle.RemedyModel.group_sums`).
    subcategory, group : str or None
        The query's subcategory and category group (``None`` when not given).
    nearest_paid : ndarray of int
        Paid upheld precedents from the Ombudsman's own texts, nearest first.
    to_money : float
        Multiplier from today's money to the query's money year.

    Returns
    -------
    ReferenceView
    """
    view = ReferenceView()
    for scope, column, name in (
        ("subcategory", "subcategory", subcategory),
        ("category group", "category_group", group),
    ):
        if name:
            stats = _stats(scope, name, model.group_sums(column, name), to_money)
            if stats is not None:
                view.sums.append(stats)
    table = model.table
    pool = nearest_paid[:REFERENCE_POOL]
    view.pool = len(pool)
    factor_today = table["today_factor"].astype(float)[pool]
    months = table["duration_months"].astype(float)[pool]
    for purpose, label in TYPICAL_PURPOSES.items():
        today = table[f"{purpose}_gbp"].astype(float)[pool] * factor_today
        view.purposes.extend(_purpose_sums(purpose, label, today, months, to_money))
    return view


def _purpose_sums(purpose, label, today, months, to_money) -> list[PurposeSum]:
    out = []
    paid = today[today > 0]
    if paid.size:
        mid = _median(paid)
        out.append(PurposeSum(purpose, label, int(paid.size), mid, mid * to_money))
    if purpose in RATE_PURPOSES:
        rates = per_month(today, months)
        rates = rates[np.isfinite(rates)]
        if rates.size:
            mid = _median(rates)
            name = f"{RATE_PURPOSES[purpose]}, per month"
            out.append(PurposeSum(purpose, name, int(rates.size), mid, mid * to_money, True))
    return out
