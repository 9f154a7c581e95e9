"""Grouped, repeated cross-validation of the payment model against three baselines.

No case is ever scored by a model that saw it: folds are split by complaint
(:func:`~remedy_model.dataset.case_groups`), and every model, baseline and precedent index is
refitted inside each fold on the training part only. Figures are averaged over repeats.

Metrics
-------
- ``amount_mdae_log``: median absolute error of log pounds, amount when paid (paid cases);
- ``within_x2``: share of paid cases whose predicted amount is within a factor 2 of the truth;
- ``auc``: payment / no payment, all cases with a visible remedy; ``auc_upheld`` on upheld ones;
- ``coverage`` and ``width``: of the amount interval on paid cases (width = high / low, median);
- ``range_coverage``: of the low-high range (which may start at £0) on all cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from remedy_model.config import CV_FOLDS, CV_REPEATS, INTERVAL_LEVEL, RANDOM_STATE
from remedy_model.inflation import CpiIndex
from remedy_model.modeling.bundle import training_set
from remedy_model.modeling.payment import TwoPartPaymentModel
from remedy_model.modeling.precedents import PrecedentFinder
from remedy_model.records import Case

MODELS = ("model", "global_median", "category_median", "knn_only")
PRESS_SOURCES = ("news_article", "newsletter", "advocacy_site", "other")
"""Source kinds that are reports about a decision rather than the Ombudsman's own text."""
KNN_NEIGHBOURS = 10
MIN_GROUP = 5

TARGETS = {
    "amount_vs_global": ("<=", 0.75),
    "amount_vs_category": ("<=", 0.90),
    "within_x2": (">=", 0.55),
    "auc": (">=", 0.80),
    "coverage_low": (">=", 0.75),
    "coverage_high": ("<=", 0.85),
}


@dataclass
class FoldPredictions:
    """Out-of-fold predictions of one method: p, amount median / low / high, range low / high."""

    p: np.ndarray
    amount: np.ndarray
    low: np.ndarray
    high: np.ndarray
    range_low: np.ndarray
    range_high: np.ndarray

    @classmethod
    def empty(cls, n: int) -> FoldPredictions:
        return cls(*(np.full(n, np.nan) for _ in range(6)))

    def put(self, idx: np.ndarray, **values: np.ndarray) -> None:
        for name, value in values.items():
            getattr(self, name)[idx] = value


@dataclass
class EvaluationResult:
    """Metrics per variant and method, with the case counts behind them."""

    table: pd.DataFrame
    counts: dict[str, dict[str, int]]
    targets: dict[str, bool] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "metrics": {
                variant: {
                    method: {k: _num(v) for k, v in row.items()}
                    for method, row in group.droplevel(0).iterrows()
                }
                for variant, group in self.table.groupby(level=0, sort=False)
            },
            "counts": self.counts,
            "targets_met": self.targets,
        }


def _num(value) -> float | None:
    return None if pd.isna(value) else round(float(value), 4)


def _quantiles(values: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    return np.quantile(values, qs) if len(values) else np.full(len(qs), np.nan)


def _baseline_global(y_tr, X_tr, X_te, tail):
    paid = y_tr[y_tr > 0]
    lo, med, hi = _quantiles(paid, (tail, 0.5, 1 - tail))
    r_lo, r_hi = _quantiles(y_tr, (tail, 1 - tail))
    n = len(X_te)
    return dict(
        p=np.full(n, (y_tr > 0).mean()),
        amount=np.full(n, med),
        low=np.full(n, lo),
        high=np.full(n, hi),
        range_low=np.full(n, r_lo),
        range_high=np.full(n, r_hi),
    )


def _baseline_category(y_tr, X_tr, X_te, tail):
    out = _baseline_global(y_tr, X_tr, X_te, tail)
    groups_tr = X_tr["category_group"].to_numpy()
    groups_te = X_te["category_group"].to_numpy()
    for group in np.unique(groups_te):
        in_tr = groups_tr == group
        paid = y_tr[in_tr & (y_tr > 0)]
        at = groups_te == group
        if in_tr.sum() >= MIN_GROUP:
            out["p"][at] = (y_tr[in_tr] > 0).mean()
            out["range_low"][at], out["range_high"][at] = _quantiles(y_tr[in_tr], (tail, 1 - tail))
        if len(paid) >= MIN_GROUP:
            lo, med, hi = _quantiles(paid, (tail, 0.5, 1 - tail))
            out["amount"][at], out["low"][at], out["high"][at] = med, lo, hi
    return out


def _baseline_knn(y_tr, X_tr, X_te, tail, k=KNN_NEIGHBOURS):
    paid = y_tr > 0
    all_finder = PrecedentFinder(n_neighbors=k).fit(X_tr)
    paid_finder = PrecedentFinder(n_neighbors=k).fit(X_tr[paid])
    _, idx_all = all_finder.kneighbors(X_te)
    _, idx_paid = paid_finder.kneighbors(X_te)
    near_all = y_tr[idx_all]
    near_paid = y_tr[paid][idx_paid]
    return dict(
        p=(near_all > 0).mean(axis=1),
        amount=np.median(near_paid, axis=1),
        low=np.quantile(near_paid, tail, axis=1),
        high=np.quantile(near_paid, 1 - tail, axis=1),
        range_low=np.quantile(near_all, tail, axis=1),
        range_high=np.quantile(near_all, 1 - tail, axis=1),
    )


def _model(y_tr, X_tr, X_te, tail, groups_tr=None, params=None):
    model = TwoPartPaymentModel(**{"confidence_level": 1 - 2 * tail, **(params or {})})
    parts = model.fit(X_tr, y_tr, groups=groups_tr).predict_range(X_te)
    return dict(
        p=parts["p_payment"].to_numpy(),
        amount=parts["amount_median"].to_numpy(),
        low=parts["amount_low"].to_numpy(),
        high=parts["amount_high"].to_numpy(),
        range_low=parts["low"].to_numpy(),
        range_high=parts["high"].to_numpy(),
    )


def score(pred: FoldPredictions, y: np.ndarray, upheld: np.ndarray) -> dict[str, float]:
    """Metrics of one method's out-of-fold predictions (see the module docstring)."""
    paid = y > 0
    log_err = np.abs(np.log(pred.amount[paid]) - np.log(y[paid]))
    inside = (pred.low[paid] <= y[paid]) & (y[paid] <= pred.high[paid])
    in_range = (pred.range_low <= y) & (y <= pred.range_high)
    constant_p = np.ptp(pred.p) == 0
    auc = 0.5 if constant_p else roc_auc_score(paid, pred.p)
    sub = upheld
    auc_upheld = (
        0.5 if constant_p or len(set(paid[sub])) < 2 else roc_auc_score(paid[sub], pred.p[sub])
    )
    return {
        "amount_mdae_log": float(np.median(log_err)),
        "within_x2": float(np.mean(log_err <= np.log(2))),
        "auc": float(auc),
        "auc_upheld": float(auc_upheld),
        "coverage": float(np.mean(inside)),
        "width": float(np.median(pred.high[paid] / pred.low[paid])),
        "range_coverage": float(np.mean(in_range)),
    }


def cross_validate(
    cases: Sequence[Case],
    cpi: CpiIndex,
    *,
    folds: int = CV_FOLDS,
    repeats: int = CV_REPEATS,
    level: float = INTERVAL_LEVEL,
    random_state: int = RANDOM_STATE,
    payment_params: dict | None = None,
    progress: Callable[[], None] | None = None,
) -> pd.DataFrame:
    """Mean out-of-fold metrics of the model and the baselines over repeated grouped folds.

    Returns
    -------
    DataFrame
        One row per method (:data:`MODELS`), one column per metric.
    """
    _, X, y, groups = training_set(cases, cpi)
    upheld = X["decision"].isin(["upheld", "report_upheld"]).to_numpy()
    tail = (1 - level) / 2
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in MODELS}
    for repeat in range(repeats):
        splitter = StratifiedGroupKFold(
            n_splits=folds, shuffle=True, random_state=random_state + repeat
        )
        preds = {m: FoldPredictions.empty(len(y)) for m in MODELS}
        for train, test in splitter.split(X, y > 0, groups):
            X_tr, X_te, y_tr = X.iloc[train], X.iloc[test], y[train]
            preds["model"].put(
                test, **_model(y_tr, X_tr, X_te, tail, groups[train], payment_params)
            )
            preds["global_median"].put(test, **_baseline_global(y_tr, X_tr, X_te, tail))
            preds["category_median"].put(test, **_baseline_category(y_tr, X_tr, X_te, tail))
            preds["knn_only"].put(test, **_baseline_knn(y_tr, X_tr, X_te, tail))
            if progress:
                progress()
        for method in MODELS:
            runs[method].append(score(preds[method], y, upheld))
    table = pd.DataFrame({m: pd.DataFrame(runs[m]).mean() for m in MODELS}).T
    table.index.name = "method"
    return table


def evaluate(
    cases: Sequence[Case],
    cpi: CpiIndex,
    *,
    folds: int = CV_FOLDS,
    repeats: int = CV_REPEATS,
    level: float = INTERVAL_LEVEL,
    progress: Callable[[], None] | None = None,
) -> EvaluationResult:
    """Evaluate on all cases and again without press-reported cases; check the targets."""
    variants = {
        "all_sources": list(cases),
        "without_press_reports": [c for c in cases if c.source_kind not in PRESS_SOURCES],
    }
    tables, counts = {}, {}
    for name, subset in variants.items():
        usable = [c for c in subset if c.has_target]
        counts[name] = {
            "cases": len(usable),
            "paid": sum(1 for c in usable if c.symbolic_total_gbp > 0),
        }
        tables[name] = cross_validate(
            subset, cpi, folds=folds, repeats=repeats, level=level, progress=progress
        )
    table = pd.concat(tables, names=["variant", "method"])
    main = tables["all_sources"]
    targets = target_checks(main)
    return EvaluationResult(table, counts, targets)


def target_checks(table: pd.DataFrame) -> dict[str, bool]:
    """Whether the model meets each target of the recommender issue."""
    model = table.loc["model"]
    values = {
        "amount_vs_global": model["amount_mdae_log"]
        / table.loc["global_median", "amount_mdae_log"],
        "amount_vs_category": model["amount_mdae_log"]
        / table.loc["category_median", "amount_mdae_log"],
        "within_x2": model["within_x2"],
        "auc": model["auc"],
        "coverage_low": model["coverage"],
        "coverage_high": model["coverage"],
    }
    return {
        name: bool(values[name] <= bound if op == "<=" else values[name] >= bound)
        for name, (op, bound) in TARGETS.items()
    }


def ratios(table: pd.DataFrame) -> dict[str, float]:
    """The model's amount error as a multiple of each baseline's."""
    model = table.loc["model", "amount_mdae_log"]
    return {m: float(model / table.loc[m, "amount_mdae_log"]) for m in MODELS if m != "model"}
