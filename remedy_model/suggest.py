"""Answer queries with a fitted :class:`RemedyModel`: payment range, precedents, and a check.

Sums are computed in today's money (the CPI's latest year) and also shown in the money of the
query's year. Work is vectorised over a batch of queries, so one query and ten thousand take the
same path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import pandas as pd

from remedy_model.check import Check, check_proposal
from remedy_model.features import case_features
from remedy_model.modeling.bundle import RemedyModel
from remedy_model.modeling.precedents import compare
from remedy_model.records import Case

CHECK_PRECEDENTS = 15
"""Similar precedents with a known remedy that a proposed sum is ranked among."""


@dataclass
class Precedent:
    """One similar past case as shown to a user."""

    case_ref: str | None
    organisation: str | None
    year: int | None
    category: str | None
    decision: str | None
    remedy_visible: bool
    symbolic_gbp: float | None
    symbolic_today: float | None
    financial_gbp: float | None
    financial_today: float | None
    summary: str | None
    url: str | None
    distance: float
    shared: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)


@dataclass
class Suggestion:
    """The answer to one query.

    ``range_today`` and ``amount_if_paid_today`` hold low / median / high in today's money;
    the ``_nominal`` twins hold the same in the money of ``money_year`` (the query's year).
    """

    case_ref: str | None
    money_year: int
    today_year: int
    level: float
    p_payment: float
    range_today: dict[str, float]
    range_nominal: dict[str, float]
    amount_if_paid_today: dict[str, float]
    amount_if_paid_nominal: dict[str, float]
    precedents: list[Precedent]
    assumptions: list[str]
    check: Check | None = None
    compared: list[dict] = field(default_factory=list)
    """The nearest precedents with a known remedy (case_ref, year, symbolic_today), which a
    proposed sum is ranked among; filled when precedents are explained."""

    def to_dict(self) -> dict:
        """Plain JSON-ready form; the ``*_gbp`` keys are in the money of ``money_year``."""
        out = asdict(self)
        out["low_gbp"] = self.range_nominal["low"]
        out["median_gbp"] = self.range_nominal["median"]
        out["high_gbp"] = self.range_nominal["high"]
        out["amount_if_paid_gbp"] = self.amount_if_paid_nominal["median"]
        return out


def _round(values: dict[str, float]) -> dict[str, float]:
    return {k: round(float(v), 2) for k, v in values.items()}


def suggest_many(
    model: RemedyModel,
    cases: Sequence[Case],
    *,
    k: int = 5,
    proposed: Sequence[float | None] | None = None,
    explain: bool = True,
) -> list[Suggestion]:
    """Suggest a range and precedents for each case in ``cases``.

    Parameters
    ----------
    model : RemedyModel
    cases : sequence of Case
        Queries; only their facts are used.
    k : int
        Precedents to return per query.
    proposed : sequence of float or None, optional
        A proposed symbolic sum per query, in the money of the query's year; checked when given.
    explain : bool
        Say what each precedent shares with the query (skipped by batch prediction for speed).
    """
    if not cases:
        return []
    cpi = model.cpi_index
    X = case_features(cases)
    parts = model.payment.predict_range(X)
    wide = explain or proposed is not None
    n_search = min(model.precedents.n_precedents_, 10 * CHECK_PRECEDENTS if wide else k)
    distances, indices = model.precedents.kneighbors(X, n_neighbors=n_search)
    table = model.table
    visible = table["remedy_visible"].to_numpy(dtype=bool)
    sums_today = table["symbolic_today"].to_numpy(dtype=float)
    level = model.payment.confidence_level
    rows = parts.to_dict("records")
    results = []
    for i, case in enumerate(cases):
        year = case.effective_year
        money_year = min(year, cpi.latest_year) if year is not None else cpi.latest_year
        factor = cpi.value(year) / cpi.value(None)
        assumptions = [a for a in [cpi.assumption(year)] if a]
        row = rows[i]
        range_today = {"low": row["low"], "median": row["median"], "high": row["high"]}
        amount_today = {
            "low": row["amount_low"],
            "median": row["amount_median"],
            "high": row["amount_high"],
        }
        precedents = [
            _precedent(model, int(j), float(d), X.iloc[i] if explain else None)
            for d, j in zip(distances[i][:k], indices[i][:k], strict=True)
        ]
        close = [j for j in indices[i] if visible[j]][:CHECK_PRECEDENTS] if wide else []
        compared = [
            {
                "case_ref": model.table_records[j]["case_ref"],
                "year": _int_or_none(model.table_records[j]["year"]),
                "symbolic_today": round(float(sums_today[j]), 2),
            }
            for j in close
        ]
        check = None
        if proposed is not None and proposed[i] is not None:
            check = check_proposal(
                float(proposed[i]),
                float(proposed[i]) / factor,
                range_today["low"],
                range_today["high"],
                sums_today[close],
                level,
            )
        results.append(
            Suggestion(
                case_ref=case.case_ref,
                money_year=money_year,
                today_year=cpi.latest_year,
                level=level,
                p_payment=round(float(row["p_payment"]), 4),
                range_today=_round(range_today),
                range_nominal=_round({n: v * factor for n, v in range_today.items()}),
                amount_if_paid_today=_round(amount_today),
                amount_if_paid_nominal=_round({n: v * factor for n, v in amount_today.items()}),
                precedents=precedents,
                assumptions=assumptions,
                check=check,
                compared=compared if explain else [],
            )
        )
    return results


def _precedent(model: RemedyModel, j: int, distance: float, query: pd.Series | None) -> Precedent:
    rec = model.table_records[j]
    shared, differs = compare(query, model.features.iloc[j]) if query is not None else ([], [])

    def money(col: str) -> float | None:
        return None if rec[col] is None else round(float(rec[col]), 2)

    return Precedent(
        case_ref=rec["case_ref"],
        organisation=rec["organisation"],
        year=_int_or_none(rec["year"]),
        category=rec["category"],
        decision=rec["decision"],
        remedy_visible=bool(rec["remedy_visible"]),
        symbolic_gbp=money("symbolic_gbp"),
        symbolic_today=money("symbolic_today"),
        financial_gbp=money("financial_gbp"),
        financial_today=money("financial_today"),
        summary=rec["summary"],
        url=rec["url"],
        distance=round(distance, 4),
        shared=shared,
        differs=differs,
    )


def _int_or_none(value) -> int | None:
    return None if value is None else int(value)
