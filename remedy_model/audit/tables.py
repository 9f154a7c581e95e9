"""The audit's tables: each scored case beside the sum expected for it, and spread by group.

Definitions:

- a *scored* case is upheld (:data:`~remedy_model.records.UPHELD_DECISIONS`) and its remedy
  states a symbolic sum above £0;
- its *expected* sum and *interval* come from a model fitted without its complaint
  (:func:`remedy_model.evaluate.out_of_fold`): the amount if paid and its 80% interval;
- *ratio* is actual / expected (the same in any money); its log measures how far a case sits
  from its peers, and the interquartile range of the log ratio within a group is the group's
  *spread*: the smaller, the more consistent;
- a group resting on fewer than :data:`~remedy_model.trends.tables.THIN_BELOW` scored cases is
  *thin*: shown, marked, and listed last.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from remedy_model.config import CV_FOLDS, CV_REPEATS, INTERVAL_LEVEL, RANDOM_STATE
from remedy_model.dataset import cases_frame
from remedy_model.errors import InputError
from remedy_model.inflation import CpiIndex
from remedy_model.records import Case
from remedy_model.trends.tables import THIN_BELOW, solid_first

FACT_COLUMNS = [
    "decision",
    "source_group",
    "source_kind",
    "org_type",
    "category_group",
    "subcategory",
    "duration_months",
    "fault_types",
    "carer_impact",
    "respite_lost",
    "respite_lost_weeks",
    "vulnerable",
    "person_died",
    "year_is_approx",
]
"""The facts the expectation rests on (the model's inputs), written beside each case."""

OUTLIER_COLUMNS = [
    "case_ref",
    "organisation",
    "year",
    "money_year",
    "actual_gbp",
    "expected_gbp",
    "low_gbp",
    "high_gbp",
    "ratio",
    "outside",
    "today_year",
    "actual_today_gbp",
    "expected_today_gbp",
    "low_today_gbp",
    "high_today_gbp",
    "p_payment",
    *FACT_COLUMNS,
    "category",
    "url",
]
"""Columns of ``outliers.csv``. ``*_gbp`` sums are in the money of ``money_year`` (the case's
year; today's for a case with no year), ``*_today_gbp`` in the money of ``today_year``."""

GROUPINGS = {
    "year": "year",
    "category": "category_group",
    "org_type": "org_type",
    "source": "source_group",
}
"""Consistency table name (``consistency_by_<name>.csv``) -> the column it groups by."""

SPREAD_COLUMNS = [
    "n",
    "n_outside",
    "share_outside",
    "n_above",
    "n_below",
    "median_ratio",
    "q1_ratio",
    "q3_ratio",
    "median_log_ratio",
    "q1_log_ratio",
    "q3_log_ratio",
    "iqr_log_ratio",
    "thin",
]


def score_cases(
    cases: Sequence[Case],
    cpi: CpiIndex,
    *,
    folds: int = CV_FOLDS,
    repeats: int = CV_REPEATS,
    n_jobs: int = 1,
    random_state: int = RANDOM_STATE,
) -> pd.DataFrame:
    """Every scored case beside the sum a model that never saw it expects.

    Parameters
    ----------
    cases : sequence of Case
        All cases; those with a visible remedy train the fold models, the upheld ones with a
        symbolic sum are scored.
    cpi : CpiIndex
        For today's money.
    folds, repeats, n_jobs, random_state
        Of the grouped cross-validation (:func:`remedy_model.evaluate.out_of_fold`).

    Returns
    -------
    DataFrame
        :data:`OUTLIER_COLUMNS` plus ``log_ratio``, one row per scored case, the furthest
        from its expectation first.

    Raises
    ------
    InputError
        When there are too few cases with a visible remedy to cross-validate, or no case to
        score.
    """
    from remedy_model.evaluate import out_of_fold

    check_scorable(cases, folds)
    oof = out_of_fold(
        cases, cpi, folds=folds, repeats=repeats, n_jobs=n_jobs, random_state=random_state
    )
    return audit_frame(cases_frame(cases, cpi), oof)


def check_scorable(cases: Sequence[Case], folds: int) -> None:
    """Refuse case tables the audit cannot score, naming what is missing."""
    usable = [case for case in cases if case.has_target]
    paid = [c for c in usable if c.symbolic_total_gbp > 0]
    if len(usable) < 2 * folds or len(paid) < 2 * folds:
        raise InputError(
            f"too few cases to audit: {len(usable)} with a visible remedy and {len(paid)} "
            f"with a symbolic sum; {folds}-fold cross-validation needs at least {2 * folds} "
            "of each"
        )
    if not any(case.upheld for case in paid):
        raise InputError("no upheld case with a visible symbolic sum: nothing to score")


def audit_frame(frame: pd.DataFrame, oof: pd.DataFrame) -> pd.DataFrame:
    """Join out-of-fold answers to the cases frame and keep the scored cases.

    Parameters
    ----------
    frame : DataFrame
        :func:`remedy_model.dataset.cases_frame` of all cases (positional rows).
    oof : DataFrame
        :func:`remedy_model.evaluate.out_of_fold` of the same cases.
    """
    rows = frame.iloc[oof["position"].to_numpy()].reset_index(drop=True)
    scored = rows.assign(
        actual_today_gbp=oof["actual_today"].to_numpy(),
        expected_today_gbp=oof["expected_today"].to_numpy(),
        low_today_gbp=oof["low_today"].to_numpy(),
        high_today_gbp=oof["high_today"].to_numpy(),
        p_payment=oof["p_payment"].to_numpy(),
    )
    scored = scored[scored["upheld"] & (scored["actual_today_gbp"] > 0)].copy()
    today_year = int(frame["today_year"].iloc[0])
    scored["money_year"] = scored["year"].fillna(today_year).astype(int)
    scored["actual_gbp"] = scored["symbolic_gbp"]
    for name in ("expected", "low", "high"):
        scored[f"{name}_gbp"] = scored[f"{name}_today_gbp"] / scored["today_factor"]
    scored["ratio"] = scored["actual_today_gbp"] / scored["expected_today_gbp"]
    scored["log_ratio"] = np.log(scored["ratio"])
    scored["outside"] = np.select(
        [
            scored["actual_today_gbp"] > scored["high_today_gbp"],
            scored["actual_today_gbp"] < scored["low_today_gbp"],
        ],
        ["above", "below"],
        "within",
    )
    for column in ("fault_types", "vulnerable"):
        scored[column] = scored[column].map("; ".join)
    order = scored["log_ratio"].abs().sort_values(ascending=False, kind="stable").index
    return scored.loc[order, [*OUTLIER_COLUMNS, "log_ratio"]].reset_index(drop=True)


def spread(scored: pd.DataFrame, key: str) -> pd.DataFrame:
    """Consistency per value of ``key``: counts outside the interval and the spread of ratios.

    Rows with a missing ``key`` are left out. Columns: ``key`` and :data:`SPREAD_COLUMNS`;
    ``share_outside`` is ``n_outside / n``, ``iqr_log_ratio`` the interquartile range of the
    log ratio (``q1_ratio`` / ``q3_ratio`` are its ends as ratios).
    """
    grouped = scored.dropna(subset=[key]).groupby(key)
    logs = grouped["log_ratio"]
    table = pd.DataFrame(
        {
            "n": grouped.size(),
            "n_outside": grouped["outside"].agg(lambda s: int((s != "within").sum())),
            "n_above": grouped["outside"].agg(lambda s: int((s == "above").sum())),
            "n_below": grouped["outside"].agg(lambda s: int((s == "below").sum())),
            "median_log_ratio": logs.median(),
            "q1_log_ratio": logs.quantile(0.25),
            "q3_log_ratio": logs.quantile(0.75),
        }
    )
    table["share_outside"] = table["n_outside"] / table["n"]
    table["iqr_log_ratio"] = table["q3_log_ratio"] - table["q1_log_ratio"]
    for stat in ("median", "q1", "q3"):
        table[f"{stat}_ratio"] = np.exp(table[f"{stat}_log_ratio"])
    table["thin"] = table["n"] < THIN_BELOW
    return table.reset_index()[[key, *SPREAD_COLUMNS]]


def consistency_tables(scored: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The four consistency tables, keyed by :data:`GROUPINGS`: solid rows first; years in
    order, other groups with the largest share outside the interval first."""
    tables = {}
    for name, key in GROUPINGS.items():
        table = spread(scored, key)
        if name == "year":
            tables[name] = solid_first(table.astype({"year": int}), ["year"])
        else:
            tables[name] = solid_first(table, ["share_outside", "n"], ascending=False)
    return tables


def headline(scored: pd.DataFrame, level: float = INTERVAL_LEVEL) -> dict:
    """Counts for the report's first lines: scored, outside the interval, above, below."""
    outside = scored["outside"] != "within"
    return {
        "n_scored": len(scored),
        "n_outside": int(outside.sum()),
        "share_outside": float(outside.mean()) if len(scored) else float("nan"),
        "n_above": int((scored["outside"] == "above").sum()),
        "n_below": int((scored["outside"] == "below").sum()),
        "n_no_year": int(scored["year"].isna().sum()),
        "interval_level": level,
        "today_year": int(scored["today_year"].iloc[0]) if len(scored) else None,
    }


def largest(scored: pd.DataFrame, direction: str, k: int = 10) -> pd.DataFrame:
    """The ``k`` cases furthest ``direction`` ('above' or 'below') their interval."""
    part = scored[scored["outside"] == direction]
    return part.sort_values("log_ratio", ascending=direction == "below", kind="stable").head(k)
