"""Verdict on a proposed payment, against the answer to the question it is about.

A proposed sum above £0 answers "how much, if paid?": it is judged against the amount interval
and the sums of the most similar upheld cases that were paid. A proposal of £0 answers "is a
payment due at all?": it is judged against the chance of a payment. One vocabulary
(``within``, ``below``, ``above``), one tone per verdict (:mod:`remedy_model.style`), and the
outlier flag said in words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from remedy_model.config import OUTLIER_PERCENTILE
from remedy_model.jsonio import plain
from remedy_model.style import money, pct


@dataclass(frozen=True)
class Check:
    """Where a proposed sum sits.

    Attributes
    ----------
    proposed_gbp, proposed_today : float
        The sum in the query's money and in today's money.
    question : str
        ``"amount"`` (a sum above £0) or ``"payment"`` (£0: is any payment due?).
    verdict : str
        ``"within"``, ``"below"`` or ``"above"``.
    percentile : float or None
        Mid-rank percentile of the proposal among the compared paid precedents (today's money);
        ``None`` for a £0 proposal or when there are none.
    n_compared : int
        How many precedents the proposal was compared with.
    outlier : bool
        Outside the interval (or £0 where a payment is very likely), or beyond the 10th / 90th
        percentile of the compared precedents.
    tone : str
        ``"ok"``, ``"caution"`` or ``"outside"`` (:data:`remedy_model.style.TONES`).
    reason : str
        The verdict in one or two sentences, the outlier flag said in words.
    """

    proposed_gbp: float
    proposed_today: float
    question: str
    verdict: str
    percentile: float | None
    n_compared: int
    outlier: bool
    tone: str
    reason: str

    def to_dict(self) -> dict:
        """The check as plain JSON-ready values, for the JSON answers and the web page.

        Returns
        -------
        dict
            One key per attribute.
        """
        return plain(self)


def percentile_of(value: float, sample: np.ndarray) -> float | None:
    """Mid-rank percentile of ``value`` in ``sample`` (ties count half).

    Ties counting half keep a proposal equal to every precedent at the 50th percentile rather
    than at an extreme.

    Parameters
    ----------
    value : float
        The sum to place.
    sample : ndarray
        The sums it is compared with.

    Returns
    -------
    float or None
        Percentile from 0 to 100; ``None`` when ``sample`` is empty.

    Examples
    --------
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


def where(value: float, low: float, high: float) -> str:
    """'below', 'within' or 'above' a closed interval.

    Parameters
    ----------
    value : float
        The sum to place.
    low, high : float
        The interval's bounds (both inside it).

    Returns
    -------
    str
        ``"below"``, ``"within"`` or ``"above"``.

    Examples
    --------
    >>> where(5, 1, 10), where(0, 1, 10), where(10, 1, 10)
    ('within', 'below', 'within')
    """
    if value < low:
        return "below"
    return "above" if value > high else "within"


def _tone(verdict: str, outlier: bool) -> str:
    if verdict != "within":
        return "outside"
    return "caution" if outlier else "ok"


@dataclass(frozen=True)
class Offer:
    """A proposed sum in the money of its year and in today's."""

    gbp: float
    today: float
    money_year: int
    today_year: int

    def words(self) -> str:
        """'£150 (2023 money; £159 today)', or '£150' when the year's money is today's.

        Returns
        -------
        str

        Examples
        --------
        >>> Offer(150, 159.2, 2023, 2025).words(), Offer(150, 150, 2025, 2025).words()
        ('£150 (2023 money; £159 today)', '£150')
        """
        if self.money_year == self.today_year:
            return money(self.gbp)
        return f"{money(self.gbp)} ({self.money_year} money; {money(self.today)} today)"


def check_amount(
    offer: Offer,
    interval: dict[str, float],
    interval_today: dict[str, float],
    paid_sums_today: np.ndarray,
    level: float,
) -> Check:
    """Judge a sum above £0 against the amount interval and the paid precedents' sums.

    Parameters
    ----------
    offer : Offer
        The proposal.
    interval, interval_today : dict
        The amount-if-paid interval (``low``, ``high``) in the offer's money and in today's.
    paid_sums_today : ndarray
        Symbolic sums of the most similar upheld cases that were paid (today's money).
    level : float
        Nominal coverage of the interval.

    Returns
    -------
    Check

    Examples
    --------
    >>> c = check_amount(Offer(3000, 3000, 2025, 2025), {"low": 200, "high": 2000},
    ...                  {"low": 200, "high": 2000}, np.array([300, 500, 800, 1500]), 0.8)
    >>> c.verdict, c.percentile, c.outlier, c.tone
    ('above', 100.0, True, 'outside')
    >>> c.reason.split(". ")[-1]
    'An outlier: above the interval.'
    """
    verdict = where(offer.today, interval_today["low"], interval_today["high"])
    pct_rank = percentile_of(offer.today, paid_sums_today)
    n = int(np.asarray(paid_sums_today).size)
    extreme = pct_rank is not None and not (
        OUTLIER_PERCENTILE <= pct_rank <= 100 - OUTLIER_PERCENTILE
    )
    outlier = verdict != "within" or extreme
    in_money = "" if offer.money_year == offer.today_year else f" in {offer.money_year} money"
    sentence = (
        f"{offer.words()} is {verdict} the {level:.0%} interval for the amount if a payment is "
        f"made ({money(interval['low'])} to {money(interval['high'])}{in_money})"
    )
    if pct_rank is not None:
        joint = "but" if verdict == "within" and extreme else "and"
        sentence += (
            f" {joint} higher than {pct_rank:.0f}% of the {n} most similar upheld cases that "
            "were paid"
        )
    return Check(
        offer.gbp,
        offer.today,
        "amount",
        verdict,
        pct_rank,
        n,
        outlier,
        _tone(verdict, outlier),
        f"{sentence}. {_outlier_words(verdict, extreme, outlier)}",
    )


def _outlier_words(verdict: str, extreme: bool, outlier: bool) -> str:
    if not outlier:
        return "Not an outlier."
    if verdict != "within":
        return f"An outlier: {verdict} the interval."
    return "An outlier among the precedents, though within the interval."


def check_no_payment(p_payment: float, n_paid: int, n_compared: int, level: float) -> Check:
    """Judge a proposal of £0 (apology only) against the chance of a symbolic payment.

    £0 is ``within`` when no payment is a plausible outcome (a chance of none of at least
    ``(1 - level) / 2``, the lower tail of the ``level`` band) and ``below`` otherwise. As for
    a sum, it is also an outlier when it is extreme among the precedents: fewer than 10% of the
    most similar upheld cases ended without a payment (its mid-rank percentile among their
    outcomes is under 10).

    Parameters
    ----------
    p_payment : float
        The model's chance of any symbolic payment.
    n_paid, n_compared : int
        Of the most similar upheld cases with a stated remedy, how many were paid.
    level : float
        Nominal coverage the verdict is read at.

    Returns
    -------
    Check

    Examples
    --------
    >>> check_no_payment(0.95, 14, 15, 0.8).verdict, check_no_payment(0.5, 7, 15, 0.8).verdict
    ('below', 'within')
    >>> check_no_payment(0.85, 15, 15, 0.8).tone
    'caution'
    """
    tail = (1 - level) / 2
    verdict = "within" if 1 - p_payment >= tail else "below"
    rank = None if not n_compared else 100.0 * 0.5 * (n_compared - n_paid) / n_compared
    extreme = rank is not None and rank < OUTLIER_PERCENTILE
    outlier = verdict == "below" or extreme
    evidence = f"{n_paid} of the {n_compared} most similar upheld cases were paid"
    if verdict == "below":
        sentence = (
            f"No payment (£0) is below what similar cases get: a symbolic payment is very likely "
            f"(chance {pct(p_payment)}; {evidence}). An outlier: fewer than "
            f"{tail:.0%} of such cases end with an apology only."
        )
    elif extreme:
        sentence = (
            f"No payment (£0) is within the model's outcomes (chance of a symbolic payment "
            f"{pct(p_payment)}) but {evidence}. An outlier among the precedents, though within "
            "the model's outcomes."
        )
    else:
        sentence = (
            f"No payment (£0) is within the outcomes of similar cases: the chance of a symbolic "
            f"payment is {pct(p_payment)} ({evidence}). Not an outlier."
        )
    return Check(
        0.0, 0.0, "payment", verdict, rank, n_compared, outlier, _tone(verdict, outlier), sentence
    )
