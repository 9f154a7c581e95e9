"""Grouped, repeated cross-validation of the payment model against three baselines.

No case is ever scored by a model that saw it: folds are split by complaint
(:func:`~remedy_model.dataset.case_groups`), and every model, baseline and precedent index is
refitted inside each fold on the training part only. Figures are averaged over repeats.

Metrics
-------
- ``amount_mdae_log``: median absolute error of log pounds, amount when paid (paid cases);
- ``within_x2``: share of paid cases whose predicted amount is within a factor 2 of the truth,
  a ratio of exactly 2 counted in (see :func:`within_factor`); ``within_x2_strict`` counts
  it out;
- ``auc``: payment / no payment, all cases with a visible remedy; ``auc_upheld`` on upheld ones;
- ``coverage`` and ``width``: of the amount interval on paid cases (width = high / low, median);
- ``range_coverage``: of the low-high range (which may start at £0) on all cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from remedy_model.config import CV_FOLDS, CV_REPEATS, INTERVAL_LEVEL, RANDOM_STATE
from remedy_model.inflation import CpiIndex
from remedy_model.modeling.bundle import training_set
from remedy_model.modeling.payment import TwoPartPaymentModel
from remedy_model.modeling.precedents import PrecedentFinder
from remedy_model.records import PRESS_SOURCES, Case

MODELS = ("model", "global_median", "category_median", "knn_only")
KNN_NEIGHBOURS = 10
MIN_GROUP = 5
WITHIN_FACTOR = 2.0
TIE_TOLERANCE = 1e-9
"""Relative tolerance under which a predicted/true ratio counts as exactly the factor."""

TARGETS = {
    "amount_vs_global": ("<=", 0.75),
    "amount_vs_category": ("<=", 0.90),
    "within_x2_strict": (">=", 0.56),
    "auc_upheld": (">=", 0.80),
    "coverage_low": (">=", 0.78),
    "coverage_high": ("<=", 0.84),
}
"""The model's targets (issue "An answer an investigator can trust"), on all sources."""


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

    def subset(self, mask: np.ndarray) -> FoldPredictions:
        return FoldPredictions(*(getattr(self, name)[mask] for name in self.__dataclass_fields__))


@dataclass
class EvaluationResult:
    """Metrics per variant and method, with the case counts behind them."""

    table: pd.DataFrame
    counts: dict[str, dict[str, int]]
    targets: dict[str, bool] = field(default_factory=dict)
    breakdowns: dict[str, pd.DataFrame] = field(default_factory=dict)

    def ratios(self) -> dict[str, dict[str, float]]:
        """Per variant, the model's amount error as a multiple of each baseline's."""
        return {variant: ratios(self.table.loc[variant]) for variant in self.counts}

    def extracted_change(self) -> dict | None:
        """The model's figures without and with the extracted cases in training (both scored
        on hand-coded cases only), and whether adding them helped; ``None`` without them."""
        if "with_extracted_cases" not in self.counts:
            return None
        before = self.table.loc[("all_sources", "model")]
        after = self.table.loc[("with_extracted_cases", "model")]
        keys = ("amount_mdae_log", "within_x2_strict", "auc_upheld", "coverage")
        return {
            "extra_training": self.counts["with_extracted_cases"]["extra_training"],
            "before": {k: _num(before[k]) for k in keys},
            "after": {k: _num(after[k]) for k in keys},
            "helped": bool(
                after["amount_mdae_log"] < before["amount_mdae_log"]
                and after["within_x2_strict"] >= before["within_x2_strict"]
            ),
        }

    def to_dict(self) -> dict:
        return {
            "ratios": self.ratios(),
            "extracted_cases": self.extracted_change(),
            "breakdowns": {
                name: [{k: _plain(v) for k, v in row.items()} for row in table.to_dict("records")]
                for name, table in self.breakdowns.items()
            },
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


def _plain(value):
    """A table cell as plain JSON: numbers rounded, NaN as None, text and flags as they are."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return _num(value)
    return value


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
    return {
        "amount_mdae_log": float(np.median(log_err)),
        **within_factor(log_err),
        "auc": _auc(paid, pred.p),
        "auc_upheld": _auc(paid[upheld], pred.p[upheld]),
        "coverage": float(np.mean(inside)),
        "width": float(np.median(pred.high[paid] / pred.low[paid])),
        "range_coverage": float(np.mean(in_range)),
    }


def within_factor(log_err: np.ndarray, factor: float = WITHIN_FACTOR) -> dict[str, float]:
    """Shares of predictions within ``factor`` of the truth: with ties (ratio exactly
    ``factor``, to a relative :data:`TIE_TOLERANCE`) counted in, and strictly inside.

    A float comparison alone would count a £500 prediction of a £1,000 sum in or out at random.

    >>> within_factor(np.log(np.array([2.0, 1.5, 3.0])))
    {'within_x2': 0.6667, 'within_x2_strict': 0.3333}
    """
    bound = np.log(factor)
    tie = np.isclose(log_err, bound, rtol=TIE_TOLERANCE, atol=0)
    return {
        "within_x2": round(float(np.mean((log_err < bound) | tie)), 4),
        "within_x2_strict": round(float(np.mean((log_err < bound) & ~tie)), 4),
    }


def _auc(paid: np.ndarray, p: np.ndarray) -> float:
    """ROC AUC, or NaN when it is undefined (one class only) and 0.5 for a constant score."""
    if len(set(paid)) < 2:
        return float("nan")
    return 0.5 if np.ptp(p) == 0 else float(roc_auc_score(paid, p))


@dataclass
class CvRun:
    """Out-of-fold predictions of every method over repeated grouped splits.

    Attributes
    ----------
    cases : list of Case
        The scored cases (a visible remedy), in the order of ``y``.
    y : ndarray
        Their symbolic sums in today's pounds (0: no symbolic payment).
    repeats : list of dict
        Per repeat, method name -> :class:`FoldPredictions` over all of ``cases``.
    """

    cases: list[Case]
    y: np.ndarray
    repeats: list[dict[str, FoldPredictions]]

    @property
    def upheld(self) -> np.ndarray:
        return np.array([case.upheld for case in self.cases])

    def table(self, mask: np.ndarray | None = None) -> pd.DataFrame:
        """Mean metrics over repeats, one row per method (optionally of a subset of cases)."""
        keep = np.ones(len(self.y), dtype=bool) if mask is None else mask
        y, upheld = self.y[keep], self.upheld[keep]
        rows = {
            method: pd.DataFrame(
                [score(run[method].subset(keep), y, upheld) for run in self.repeats]
            ).mean()
            for method in self.repeats[0]
        }
        table = pd.DataFrame(rows).T
        table.index.name = "method"
        return table

    def breakdown(self, key: Callable[[Case], str], name: str) -> pd.DataFrame:
        """Model and baseline metrics by a grouping of the cases (source, category group).

        Returns one row per (group, method) with the group's counts; groups with fewer than
        :data:`MIN_GROUP` paid cases are kept and marked ``thin``.
        """
        labels = np.array([key(case) for case in self.cases])
        parts = []
        for label in sorted(set(labels)):
            mask = labels == label
            n_paid = int((self.y[mask] > 0).sum())
            if n_paid == 0:
                continue
            table = self.table(mask).reset_index()
            table.insert(0, name, label)
            table.insert(1, "cases", int(mask.sum()))
            table.insert(2, "paid", n_paid)
            table["thin"] = n_paid < MIN_GROUP
            parts.append(table)
        return pd.concat(parts, ignore_index=True)


def run_cv(
    cases: Sequence[Case],
    cpi: CpiIndex,
    *,
    folds: int = CV_FOLDS,
    repeats: int = CV_REPEATS,
    level: float = INTERVAL_LEVEL,
    random_state: int = RANDOM_STATE,
    payment_params: dict | None = None,
    methods: Sequence[str] = MODELS,
    progress: Callable[[], None] | None = None,
    n_jobs: int = 1,
    extra_training: Sequence[Case] = (),
) -> CvRun:
    """Out-of-fold predictions of ``methods`` over ``repeats`` grouped, stratified splits.

    Every model, baseline and precedent index is refitted inside each fold on the training part
    only; each repeat shuffles the folds with its own seed (``random_state + repeat``).
    Repeats run in parallel processes when ``n_jobs`` is not 1 (joblib); ``progress`` is then
    called once per repeat instead of once per fold. ``extra_training`` cases (e.g. extracted
    by ingest) join every fold's training part but are never scored; one that belongs to a
    complaint of the fold's test part is left out of that fold.
    """
    usable, X, y, groups = training_set(cases, cpi)
    if len(usable) < folds:
        raise ValueError(f"need at least {folds} cases with a visible remedy, got {len(usable)}")
    job = partial(
        _one_repeat,
        X=X,
        y=y,
        groups=groups,
        extra=_extra_set(extra_training, cpi),
        folds=folds,
        tail=(1 - level) / 2,
        payment_params=payment_params,
        methods=tuple(methods),
    )
    if n_jobs == 1:
        runs = [job(random_state + r, progress=progress) for r in range(repeats)]
    else:
        from joblib import Parallel, delayed

        runs = []
        parallel = Parallel(n_jobs=n_jobs, return_as="generator")
        for run in parallel(delayed(job)(random_state + r) for r in range(repeats)):
            runs.append(run)
            if progress:
                progress()
    return CvRun(list(usable), y, runs)


def _one_repeat(
    seed, *, X, y, groups, extra, folds, tail, payment_params, methods, progress=None
) -> dict[str, FoldPredictions]:
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    preds = {m: FoldPredictions.empty(len(y)) for m in methods}
    for train, test in splitter.split(X, y > 0, groups):
        under_test = set(groups[test])
        X_tr, y_tr, g_tr = _with_extra(X.iloc[train], y[train], groups[train], extra, under_test)
        X_te = X.iloc[test]
        for method in methods:
            if method == "model":
                values = _model(y_tr, X_tr, X_te, tail, g_tr, payment_params)
            else:
                values = BASELINES[method](y_tr, X_tr, X_te, tail)
            preds[method].put(test, **values)
        if progress:
            progress()
    return preds


def _extra_set(cases: Sequence[Case], cpi: CpiIndex):
    """Features, sums and complaint groups of extra training cases (``None`` without any)."""
    if not cases:
        return None
    _, X, y, groups = training_set(cases, cpi)
    return X, y, np.array([f"extra:{g}" if g.startswith("row-") else g for g in groups])


def _with_extra(X_tr, y_tr, g_tr, extra, test_groups):
    """The training part plus the extra cases whose complaint is not under test."""
    if extra is None:
        return X_tr, y_tr, g_tr
    X_ex, y_ex, g_ex = extra
    keep = np.array([g not in test_groups for g in g_ex], dtype=bool)
    X_all = pd.concat([X_tr, X_ex[keep]], ignore_index=True)
    return X_all, np.concatenate([y_tr, y_ex[keep]]), np.concatenate([g_tr, g_ex[keep]])


BASELINES = {
    "global_median": _baseline_global,
    "category_median": _baseline_category,
    "knn_only": _baseline_knn,
}


def cross_validate(cases: Sequence[Case], cpi: CpiIndex, **options) -> pd.DataFrame:
    """Mean out-of-fold metrics of the model and the baselines (options of :func:`run_cv`).

    Returns
    -------
    DataFrame
        One row per method (:data:`MODELS`), one column per metric.
    """
    return run_cv(cases, cpi, **options).table()


def out_of_fold(
    cases: Sequence[Case],
    cpi: CpiIndex,
    *,
    folds: int = CV_FOLDS,
    repeats: int = 1,
    level: float = INTERVAL_LEVEL,
    random_state: int = RANDOM_STATE,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """The model's out-of-fold answer for every case with a visible remedy.

    Each case is predicted by models fitted without its complaint (grouped folds); with several
    repeats the figures are the medians over repeats.

    Parameters
    ----------
    cases : sequence of Case
    cpi : CpiIndex
    folds, repeats, level, random_state, n_jobs
        As for :func:`run_cv`.

    Returns
    -------
    DataFrame
        One row per case with a visible remedy: ``position`` (index into ``cases``),
        ``case_ref``, ``actual_today``, ``p_payment``, ``expected_today``, ``low_today``,
        ``high_today`` (the amount if paid and its interval, today's pounds).
    """
    run = run_cv(
        cases,
        cpi,
        folds=folds,
        repeats=repeats,
        level=level,
        random_state=random_state,
        methods=("model",),
        n_jobs=n_jobs,
    )
    position = {id(case): i for i, case in enumerate(cases)}

    def median(name: str) -> np.ndarray:
        return np.median([getattr(r["model"], name) for r in run.repeats], axis=0)

    return pd.DataFrame(
        {
            "position": [position[id(case)] for case in run.cases],
            "case_ref": [case.case_ref for case in run.cases],
            "actual_today": run.y,
            "p_payment": median("p"),
            "expected_today": median("amount"),
            "low_today": median("low"),
            "high_today": median("high"),
        }
    )


def evaluate(
    cases: Sequence[Case],
    cpi: CpiIndex,
    *,
    folds: int = CV_FOLDS,
    repeats: int = CV_REPEATS,
    level: float = INTERVAL_LEVEL,
    progress: Callable[[], None] | None = None,
    n_jobs: int = 1,
) -> EvaluationResult:
    """Evaluate on the hand-coded cases, again without press reports, and (when ``cases`` hold
    cases extracted by ingest) with them added to every training part.

    Extracted cases (``source_kind`` "ingested") are never scored: the figures are always
    about hand-coded cases, so "with extracted cases" against "all sources" says whether
    adding them helped. The run on all sources is also broken down by source and category group.

    Parameters
    ----------
    cases : sequence of Case
    cpi : CpiIndex
    folds, repeats, level, progress, n_jobs
        As for :func:`run_cv`.

    Returns
    -------
    EvaluationResult
    """
    hand = [c for c in cases if c.source_kind != "ingested"]
    extracted = [c for c in cases if c.source_kind == "ingested"]
    variants = {
        "all_sources": (hand, ()),
        "without_press_reports": ([c for c in hand if c.source_kind not in PRESS_SOURCES], ()),
    }
    if extracted:
        variants["with_extracted_cases"] = (hand, extracted)
    tables, counts, breakdowns = {}, {}, {}
    for name, (subset, extra) in variants.items():
        counts[name] = _counts(subset, extra)
        run = run_cv(
            subset, cpi, folds=folds, repeats=repeats, level=level, progress=progress,
            n_jobs=n_jobs, extra_training=extra,
        )  # fmt: skip
        tables[name] = run.table()
        if name == "all_sources":
            breakdowns = {
                "source": run.breakdown(lambda c: c.source_group, "source"),
                "category_group": run.breakdown(lambda c: c.category_group, "category_group"),
            }
    table = pd.concat(tables, names=["variant", "method"])
    return EvaluationResult(table, counts, target_checks(tables["all_sources"]), breakdowns)


def _counts(scored: Sequence[Case], extra: Sequence[Case]) -> dict[str, int]:
    usable = [c for c in scored if c.has_target]
    counts = {"cases": len(usable), "paid": sum(1 for c in usable if c.symbolic_total_gbp > 0)}
    if extra:
        counts["extra_training"] = sum(1 for c in extra if c.has_target)
    return counts


def target_checks(table: pd.DataFrame) -> dict[str, bool]:
    """Whether the model meets each target of :data:`TARGETS`."""
    model = table.loc["model"]
    values = {
        "amount_vs_global": model["amount_mdae_log"]
        / table.loc["global_median", "amount_mdae_log"],
        "amount_vs_category": model["amount_mdae_log"]
        / table.loc["category_median", "amount_mdae_log"],
        "within_x2_strict": model["within_x2_strict"],
        "auc_upheld": model["auc_upheld"],
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
