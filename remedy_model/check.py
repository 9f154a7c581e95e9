"""Verdict on a proposed payment: where it sits in the model's range and among precedents."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from remedy_model.config import OUTLIER_PERCENTILE


@dataclass(frozen=True)
class Check:
    """Where a proposed sum sits.

    Attributes
    ----------
    proposed_gbp, proposed_today : float
        The sum in the query's money and in today's money.
    verdict : str
        ``"within"``, ``"below"`` or ``"above"`` the model's range.
    percentile : float or None
        Mid-rank percentile of the proposal among the similar precedents with a known remedy
        (today's money; a precedent with no symbolic payment counts as £0). ``None`` if there
        are none.
    n_compared : int
        How many precedents the percentile is over.
    outlier : bool
        Outside the range, or beyond the 10th/90th percentile of the precedents.
    reason : str
        The verdict in one sentence.
    """

    proposed_gbp: float
    proposed_today: float
    verdict: str
    percentile: float | None
    n_compared: int
    outlier: bool
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


def percentile_of(value: float, sample: np.ndarray) -> float | None:
    """Mid-rank percentile of ``value`` in ``sample`` (ties count half).

    >>> percentile_of(500, np.array([0, 250, 500, 1000]))
    62.5
    >>> percentile_of(5, np.array([])) is None
    True
    """
    sample = np.asarray(sample, dtype=float)
    if sample.size == 0:
        return None
    below = np.sum(sample < value)
    ties = np.sum(sample == value)
    return float(100.0 * (below + 0.5 * ties) / sample.size)


def _money(value: float) -> str:
    return f"£{value:,.0f}"


def check_proposal(
    proposed_gbp: float,
    proposed_today: float,
    low_today: float,
    high_today: float,
    precedent_sums_today: np.ndarray,
    level: float,
) -> Check:
    """Compare a proposal (today's money) with the model's range and the precedents' sums.

    Examples
    --------
    >>> c = check_proposal(3000, 3000, 200, 2000, np.array([0, 500, 800, 1500]), 0.8)
    >>> c.verdict, c.percentile, c.outlier
    ('above', 100.0, True)
    """
    if low_today <= proposed_today <= high_today:
        verdict = "within"
    else:
        verdict = "below" if proposed_today < low_today else "above"
    pct = percentile_of(proposed_today, precedent_sums_today)
    n = int(np.asarray(precedent_sums_today).size)
    outlier = verdict != "within" or (
        pct is not None and not OUTLIER_PERCENTILE <= pct <= 100 - OUTLIER_PERCENTILE
    )
    band = f"the model's {level:.0%} range ({_money(low_today)} to {_money(high_today)})"
    where = {"within": "is within", "below": "is below", "above": "is above"}[verdict]
    sentence = f"{_money(proposed_today)} in today's money {where} {band}"
    if pct is not None:
        joint = "but" if verdict == "within" and outlier else "and"
        sentence += (
            f" {joint} higher than {pct:.0f}% of the {n} most similar precedents"
            " with a known remedy"
        )
    reason = sentence + "."
    return Check(proposed_gbp, proposed_today, verdict, pct, n, bool(outlier), reason)
