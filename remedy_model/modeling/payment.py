"""Two-part model of the symbolic payment: whether one is made, and how much when it is.

Many upheld cases end with an apology and no money, so one regression on the sum would be pulled
towards zero. Instead:

1. a logistic regression gives ``p_payment``, the probability that any symbolic sum is paid;
2. a ridge regression on log pounds (today's money), wrapped in MAPIE's cross-conformal
   regressor (CV+), gives the amount when paid with a calibrated 80% interval.

The range reported for a case (low / median / high) is the 10th / 50th / 90th percentile of the
mixture "nothing with probability 1 - p, else the amount", with the amount taken as log-normal
around the conformal median and spread so its 80% band matches the conformal interval. So the
range starts at £0 when there is a fair chance of no payment.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.model_selection import GroupKFold, KFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from remedy_model.features import FEATURE_COLUMNS, make_preprocessor

AMOUNT_COLUMNS = tuple(FEATURE_COLUMNS)
"""Features of both parts: the facts of a case, nothing that describes its remedy."""
AMOUNT_ALPHAS = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0)


class TwoPartPaymentModel(RegressorMixin, BaseEstimator):
    """Probability of a symbolic payment and its amount with a conformal interval.

    Parameters
    ----------
    confidence_level : float, default=0.8
        Nominal coverage of the amount interval and of the reported range.
    amount_alphas : tuple of float, default=AMOUNT_ALPHAS
        Candidate ridge penalties of the amount regression on log pounds; the best is chosen
        by efficient leave-one-out inside each fit (:class:`~sklearn.linear_model.RidgeCV`), so
        evaluation never tunes on its test cases.
    payment_C : float, default=0.3
        Inverse penalty of the logistic regression for payment/no payment.
    cv : int, default=5
        Folds of the cross-conformal calibration (grouped when ``groups`` are given).
    encode : bool, default=True
        True: ``X`` is a feature frame from :func:`remedy_model.features.case_features`
        and is encoded with :func:`~remedy_model.features.make_preprocessor`. False: ``X`` is a
        numeric matrix used as it is (imputed and scaled); used by the estimator checks.
    min_frequency : int, default=3
        Rarer category levels are pooled by the encoder.
    random_state : int, default=0
        Seed of the fold split.

    Attributes
    ----------
    encoder_ : ColumnTransformer or Pipeline
        Encodes the features once for both parts (fitted on all training cases; it learns no
        target, so the conformal calibration stays honest).
    payment_model_ : LogisticRegression or None
        The fitted classifier of payment/no payment (None when every training case was paid).
    amount_model_ : mapie.regression.CrossConformalRegressor
        The fitted, conformalized ridge regression of log pounds on the encoded features.
    paid_rate_ : float
        Share of training cases with a payment.
    n_paid_ : int
        Training cases with a payment (the amount model's sample).
    """

    def __init__(
        self,
        confidence_level: float = 0.8,
        amount_alphas: tuple[float, ...] = AMOUNT_ALPHAS,
        payment_C: float = 0.3,
        cv: int = 5,
        encode: bool = True,
        min_frequency: int = 3,
        random_state: int = 0,
    ):
        self.confidence_level = confidence_level
        self.amount_alphas = amount_alphas
        self.payment_C = payment_C
        self.cv = cv
        self.encode = encode
        self.min_frequency = min_frequency
        self.random_state = random_state

    def _encoder(self, columns: Sequence[str]) -> ColumnTransformer | Pipeline:
        if self.encode:
            return make_preprocessor(columns, min_frequency=self.min_frequency)
        return make_pipeline(SimpleImputer(keep_empty_features=True), StandardScaler())

    def _columns(self, X, columns: Sequence[str]):
        return X[list(columns)] if self.encode else X

    def _check_X(self, X, *, reset: bool):
        if self.encode:
            if not isinstance(X, pd.DataFrame):
                raise TypeError("X must be a feature frame from case_features when encode=True")
            missing = [c for c in FEATURE_COLUMNS if c not in X.columns]
            if missing:
                raise ValueError(f"X lacks feature columns: {missing}")
            if reset:
                self.n_features_in_ = X.shape[1]
                self.feature_names_in_ = np.asarray(X.columns, dtype=object)
            return X
        return validate_data(self, X, reset=reset, ensure_all_finite="allow-nan")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.positive_only = True
        return tags

    def fit(self, X, y, groups=None):
        """Fit both parts on cases with a visible remedy.

        Parameters
        ----------
        X : DataFrame or array of shape (n_cases, n_features)
        y : array of shape (n_cases,)
            Symbolic sum in today's pounds; 0 for a remedy without symbolic money.
        groups : array of shape (n_cases,), optional
            Cases sharing a group (one complaint against several bodies) are never split
            between a calibration fold and its model.

        Returns
        -------
        self
        """
        from mapie.regression import CrossConformalRegressor

        if not 0 < self.confidence_level < 1:
            raise ValueError(f"confidence_level must be in (0, 1), got {self.confidence_level}")
        if self.cv < 2:
            raise ValueError(f"cv must be at least 2, got {self.cv}")
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None")
        if self.encode:
            X = self._check_X(X, reset=True)
            y = column_or_1d(y, warn=True).astype(float)
            check_consistent_length(X, y)
        else:
            X, y = validate_data(
                self, X, y, ensure_all_finite="allow-nan", y_numeric=True, ensure_min_samples=2
            )
        if not np.all(np.isfinite(y)) or np.any(y < 0):
            raise ValueError("y must hold finite, non-negative sums")
        paid = y > 0
        n_paid = int(paid.sum())
        if n_paid < 2:
            raise ValueError(f"need at least 2 cases with a payment, got {n_paid}")
        self.encoder_ = self._encoder(AMOUNT_COLUMNS).fit(self._columns(X, AMOUNT_COLUMNS))
        Z = self.encoder_.transform(self._columns(X, AMOUNT_COLUMNS))
        if paid.all():
            self.payment_model_ = None
        else:
            self.payment_model_ = LogisticRegression(C=self.payment_C, max_iter=5000).fit(Z, paid)
        if groups is not None:
            groups = np.asarray(groups)[paid]
            folds = min(self.cv, len(np.unique(groups)))
            splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        else:
            folds = min(self.cv, n_paid)
            splitter = KFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        self.amount_model_ = CrossConformalRegressor(
            estimator=RidgeCV(alphas=self.amount_alphas),
            confidence_level=self.confidence_level,
            method="plus",
            cv=splitter,
        ).fit_conformalize(Z[paid], np.log(y[paid]), groups=groups)
        self.paid_rate_ = float(paid.mean())
        self.n_paid_ = n_paid
        return self

    def predict_parts(self, X) -> pd.DataFrame:
        """Per case: ``p_payment`` and the amount if paid (median, low, high), today's pounds."""
        check_is_fitted(self, "amount_model_")
        X = self._check_X(X, reset=False)
        Z = self.encoder_.transform(self._columns(X, AMOUNT_COLUMNS))
        if self.payment_model_ is None:
            p = np.ones(X.shape[0])
        else:
            p = self.payment_model_.predict_proba(Z)[:, 1]
        point, bounds = self.amount_model_.predict_interval(Z, aggregate_point_predictions=None)
        low, high = bounds[:, 0, 0], bounds[:, 1, 0]
        return pd.DataFrame(
            {
                "p_payment": p,
                "amount_median": np.exp(point),
                "amount_low": np.exp(np.minimum(low, point)),
                "amount_high": np.exp(np.maximum(high, point)),
            }
        )

    def predict_range(self, X) -> pd.DataFrame:
        """Low / median / high of the symbolic sum (today's pounds), with the parts.

        The range is the central ``confidence_level`` interval of the mixture of "no payment"
        and the amount model; see the module docstring.
        """
        parts = self.predict_parts(X)
        tail = (1 - self.confidence_level) / 2
        for name, q in (("low", tail), ("median", 0.5), ("high", 1 - tail)):
            parts[name] = mixture_quantile(
                q,
                parts["p_payment"].to_numpy(),
                parts["amount_median"].to_numpy(),
                parts["amount_low"].to_numpy(),
                parts["amount_high"].to_numpy(),
                self.confidence_level,
            )
        return parts

    def predict(self, X) -> np.ndarray:
        """Median of the symbolic sum in today's pounds (0 when no payment is more likely)."""
        return self.predict_range(X)["median"].to_numpy()


def mixture_quantile(q, p, median, low, high, level):
    """Quantile ``q`` of "0 with probability 1 - p, else log-normal(median, spread)".

    The log-normal's spread is set so its central ``level`` band is ``low`` to ``high``.

    >>> float(mixture_quantile(0.1, np.array([0.5]), np.array([1000.0]),
    ...                        np.array([250.0]), np.array([4000.0]), 0.8)[0])
    0.0
    >>> round(float(mixture_quantile(0.5, np.array([1.0]), np.array([1000.0]),
    ...                              np.array([250.0]), np.array([4000.0]), 0.8)[0]))
    1000
    """
    z = norm.ppf(0.5 + level / 2)
    sigma = np.maximum((np.log(high) - np.log(low)) / (2 * z), 1e-9)
    p = np.clip(p, 1e-9, 1.0)
    inner = (q - (1 - p)) / p
    with np.errstate(invalid="ignore"):
        amount = np.exp(np.log(median) + sigma * norm.ppf(np.clip(inner, 1e-12, 1 - 1e-12)))
    return np.where(inner <= 0, 0.0, amount)
