"""Why this figure: the facts that moved each answer most, and what the missing facts could do.

Both parts of the payment model are linear on the encoded facts, so an answer splits exactly
into a *typical case* (the mean encoded upheld decision-page case, paid ones for the amount)
plus one contribution per fact:

- the amount if paid multiplies: typical amount x one factor per fact (``"lost respite x1.6"``);
- the chance of a payment moves by percentage points when a fact is set back to the typical
  case's value, the others held (``"carer affected +12 pts"``).

Each effect carries how many training cases share the fact (``n_sharing``), so a thinly
supported effect is seen as such. Facts the query left out are *gaps*: the answer is recomputed
with each plausible value, and the spread says how far the fact could move it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from remedy_model.features import (
    CATEGORICAL_COLUMNS,
    FACT_LABELS,
    NUMERIC_COLUMNS,
    SOURCE_COLUMN,
    feature_values,
)
from remedy_model.jsonio import plain
from remedy_model.modeling.arrays import PaymentPredictor
from remedy_model.records import ORG_TYPES, Case
from remedy_model.style import factor, points

GAP_LABELS = {
    "category": "category",
    "duration_months": "duration",
    "carer_impact": "carer affected",
    "respite_lost": "respite lost",
    "person_died": "person died",
    "org_type": "body type",
    "year": "year",
}
"""The facts a query may leave out that are checked as gaps, as words."""
HIDDEN_FACTS = (SOURCE_COLUMN, "year_is_approx")
"""Facts a query cannot state: a query is a decision with an exact year."""
THIN_SUPPORT = 10
"""An effect resting on fewer training cases than this is marked thin."""
SHOWN_EFFECTS = 5


@dataclass
class Effect:
    """One fact's effect on one answer."""

    fact: str
    effect: str
    value: float
    """The factor (amount) or the change of probability (chance, -1 to 1)."""
    n_sharing: int
    thin: bool


@dataclass
class Explanation:
    """The facts that moved the amount and the chance most, from a typical case."""

    typical_amount_today: float
    typical_chance: float
    amount: list[Effect] = field(default_factory=list)
    payment: list[Effect] = field(default_factory=list)
    other_amount: float = 1.0
    """The combined factor of the facts not listed (small effects)."""

    def to_dict(self) -> dict:
        return plain(self)


@dataclass
class Gap:
    """A fact the query did not give, and how far its plausible values move the answers."""

    fact: str
    amount_low: float
    amount_high: float
    """Factors on the amount if paid, over the fact's plausible values."""
    chance_low: float
    chance_high: float
    """Changes of the chance of a payment (probability, -1 to 1)."""
    note: str


def _describe(column: str, value: Any) -> str:
    """A fact and the query's value in words, e.g. 'duration: 9 months'."""
    label = FACT_LABELS[column]
    if column == "log_duration_months":
        return f"duration: {np.expm1(value):.0f} months"
    if column == "respite_lost_weeks":
        return f"{label}: {value:g}"
    if column == "n_faults":
        return f"{value:.0f} fault type{'' if value == 1 else 's'} stated"
    if column == "year":
        return f"{label}: {value:.0f}"
    if column in CATEGORICAL_COLUMNS:
        return f"{label}: {str(value).replace('_', ' ')}"
    return label


def _stated(column: str, value: Any) -> bool:
    if column in HIDDEN_FACTS:
        return False
    if column in NUMERIC_COLUMNS:
        return bool(np.isfinite(value))
    if column in CATEGORICAL_COLUMNS:
        return value != "unknown"
    return bool(value)


def sharing(counts: dict, column: str, value: Any) -> int:
    """Training cases sharing the query's value of a fact (durations: within a factor 2).

    >>> sharing({"log_duration_months=values": [1.5, 2.0, 3.5]}, "log_duration_months", 2.0)
    2
    >>> sharing({"carer_impact=yes": 12}, "carer_impact", "yes")
    12
    """
    if f"{column}=values" in counts:
        known = np.asarray(counts[f"{column}=values"], dtype=float)
        width = np.log(2) if column == "log_duration_months" else 0.5 * max(float(value), 1.0)
        return int((np.abs(known - float(value)) <= width).sum())
    key = value if column in CATEGORICAL_COLUMNS else float(value)
    return int(counts.get(f"{column}={key}", 0))


def _by_fact(contributions: np.ndarray, sources: list[str]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for value, source in zip(contributions, sources, strict=True):
        totals[source] = totals.get(source, 0.0) + float(value)
    return totals


def explain(
    predictor: PaymentPredictor,
    support: dict[str, dict[str, int]],
    z: np.ndarray,
    values: dict[str, Any],
) -> Explanation:
    """The effects of a query's stated facts on both answers.

    Parameters
    ----------
    predictor : PaymentPredictor
        The fitted two-part model (with its ``references``).
    support : dict
        Training cases per fact value (:func:`remedy_model.modeling.bundle.fact_support`).
    z : ndarray
        The query's encoded row.
    values : dict
        The query's feature values (one per feature column).

    Returns
    -------
    Explanation
    """
    sources = predictor.encoder.sources()
    ref_amount = predictor.references["amount"]
    typical_amount = float(np.exp(predictor.amount.decision(ref_amount[None, :])[0]))
    amount_logs = _by_fact(predictor.amount.coef * (z - ref_amount), sources)
    amount, listed = [], 0.0
    for column, log_effect in sorted(amount_logs.items(), key=lambda kv: -abs(kv[1])):
        big = abs(log_effect) >= np.log(1.05)
        if big and _stated(column, values[column]) and len(amount) < SHOWN_EFFECTS:
            amount.append(_effect(column, values, np.exp(log_effect), support["amount"]))
            listed += log_effect
    other = float(np.exp(sum(amount_logs.values()) - listed))
    ref_payment = predictor.references["payment"]
    typical_chance = float(predictor.chance(ref_payment[None, :])[0])
    return Explanation(
        typical_amount_today=round(typical_amount, 2),
        typical_chance=round(typical_chance, 4),
        amount=amount,
        payment=_payment_effects(predictor, support, z, values, sources),
        other_amount=round(other, 3),
    )


def _effect(column: str, values: dict, value: float, counts: dict[str, int]) -> Effect:
    n = sharing(counts, column, values[column])
    label = _describe(column, values[column])
    return Effect(label, factor(value), round(value, 4), n, n < THIN_SUPPORT)


def _payment_effects(predictor, support, z, values, sources) -> list[Effect]:
    if predictor.payment is None:
        return []
    reference = predictor.references["payment"]
    stated = [c for c in dict.fromkeys(sources) if _stated(c, values[c])]
    sources_array = np.array(sources)
    rows = np.repeat(z[None, :], len(stated) + 1, axis=0)  # the query, then one fact reset each
    for i, column in enumerate(stated, start=1):
        cols = sources_array == column
        rows[i, cols] = reference[cols]
    chances = predictor.chance(rows)
    effects = []
    for column, without in zip(stated, chances[1:], strict=True):
        change = float(chances[0] - without)
        if abs(change) >= 0.01:
            n = sharing(support["payment"], column, values[column])
            label = _describe(column, values[column])
            effects.append(Effect(label, points(change), round(change, 4), n, n < THIN_SUPPORT))
    effects.sort(key=lambda e: -abs(e.value))
    return effects[:SHOWN_EFFECTS]


def gap_alternatives(model_years: tuple[int, int], categories: list[str]) -> dict[str, list]:
    """For each fact of :data:`GAP_LABELS`, the values tried to see how far it moves answers.

    ``categories`` are the category groups the model knows; ``model_years`` the first and last
    year of its cases.
    """
    return {
        "category": categories,
        "duration_months": [1.0, 6.0, 24.0],
        "carer_impact": [True, False],
        "respite_lost": [True, False],
        "person_died": [True, False],
        "org_type": [t for t in ORG_TYPES if t != "other"],
        "year": list(model_years),
    }


def gaps(
    predictor: PaymentPredictor,
    case: Case,
    alternatives: dict[str, list],
    answer: tuple[float, float],
) -> list[Gap]:
    """The facts ``case`` leaves out and how far each could move the two answers.

    Parameters
    ----------
    predictor : PaymentPredictor
    case : Case
        The query.
    alternatives : dict
        Field -> values to try (:func:`gap_alternatives`).
    answer : (float, float)
        The query's amount if paid (today's pounds) and chance of a payment.

    Returns
    -------
    list of Gap
        One per missing fact, the largest possible movement of the amount first.
    """
    missing = {k: v for k, v in alternatives.items() if getattr(case, k) is None and v}
    variants = [case.model_copy(update={k: v}) for k, vs in missing.items() for v in vs]
    found = []
    if variants:
        parts = predictor.parts(predictor.encode(feature_values(variants)))
        ratio = parts["amount_median"] / answer[0]
        change = parts["p_payment"] - answer[1]
        start = 0
        for name, options in missing.items():
            span = slice(start, start + len(options))
            start += len(options)
            found.append(_gap(GAP_LABELS[name], ratio[span], change[span]))
    if not case.fault_types:
        note = "no fault type given: the answer is for a case with no stated fault"
        found.append(Gap("fault types", 1.0, 1.0, 0.0, 0.0, note))
    found.sort(key=lambda g: -max(abs(np.log(g.amount_high)), abs(np.log(g.amount_low))))
    return found


def _gap(label: str, ratio: np.ndarray, change: np.ndarray) -> Gap:
    low, high = float(ratio.min()), float(ratio.max())
    c_low, c_high = float(change.min()), float(change.max())
    note = (
        f"{label} not given: it could move the amount {factor(low)} to {factor(high)} and "
        f"the chance {points(c_low)} to {points(c_high)}"
    )
    return Gap(label, round(low, 4), round(high, 4), round(c_low, 4), round(c_high, 4), note)
