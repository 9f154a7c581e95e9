"""Two-part model of the symbolic payment: whether one is made, and how much when it is.

Many upheld cases end with an apology and no money, so one regression on the sum would be pulled
towards zero. Instead:

1. a logistic regression gives ``p_payment``, the probability that any symbolic sum is paid;
2. a ridge regression on log pounds (today's money), wrapped in MAPIE's cross-conformal
   regressor (CV+), gives the amount when paid with a calibrated 80% interval.

The mixture range (low / median / high of "nothing with probability 1 - p, else the amount")
is also computed; it starts at £0 when there is a fair chance of no payment. Fitting uses
scikit-learn and MAPIE; :meth:`TwoPartPaymentModel.export` gives the plain-array
:class:`~remedy_model.modeling.arrays.PaymentPredictor` that answers queries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.model_selection import GroupKFold, KFold
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d

from remedy_model.features import FEATURE_COLUMNS
from remedy_model.modeling.arrays import CrossConformal, Linear, PaymentPredictor
from remedy_model.modeling.encoding import export_encoder, make_preprocessor
from remedy_model.records import UPHELD_DECISIONS

AMOUNT_ALPHAS = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0)


class TwoPartPaymentModel(RegressorMixin, BaseEstimator):
    """Probability of a symbolic payment and its amount with a conformal interval.

    ``X`` is a feature frame from :func:`remedy_model.features.case_features` with exactly
    its columns; ``y`` the symbolic sum in today's pounds (0: no symbolic payment).

    Parameters
    ----------
    confidence_level : float, default=0.8
        Nominal coverage of the amount interval and of the mixture range.
    amount_alphas : tuple of float, default=AMOUNT_ALPHAS
        Candidate ridge penalties of the amount regression on log pounds; the best is chosen
        by efficient leave-one-out inside each fit (:class:`~sklearn.linear_model.RidgeCV`),
        on that fit's training cases only.
    payment_C : float, default=0.3
        Inverse penalty of the logistic regression for payment / no payment.
    cv : int, default=5
        Folds of the cross-conformal calibration (grouped when ``groups`` are given).
    min_frequency : int, default=3
        Rarer category levels are pooled by the encoder.
    random_state : int, default=0
        Seed of the calibration folds.
    exclude : tuple of str, default=()
        Feature columns the model leaves out (``X`` still holds every column).

    Attributes
    ----------
    encoder_ : ColumnTransformer
        Encodes the features once for both parts (fitted on all training cases; it learns no
        target, so the conformal calibration stays honest).
    payment_model_ : LogisticRegression or None
        Payment / no payment (None when every training case was paid).
    amount_model_ : mapie.regression.CrossConformalRegressor
        The conformalized ridge regression of log pounds on the encoded features.
    reference_ : dict of ndarray
        The mean encoded upheld decision-page case (``"payment"``) and paid one
        (``"amount"``): the "typical case" explanations measure effects from.
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
        min_frequency: int = 3,
        random_state: int = 0,
        exclude: tuple[str, ...] = (),
    ):
        self.confidence_level = confidence_level
        self.amount_alphas = amount_alphas
        self.payment_C = payment_C
        self.cv = cv
        self.min_frequency = min_frequency
        self.random_state = random_state
        self.exclude = exclude

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.target_tags.positive_only = True
        return tags

    def _check_X(self, X, *, reset: bool) -> pd.DataFrame:
        """The feature frame, refused if it is not one or has other columns."""
        if not isinstance(X, pd.DataFrame):
            raise TypeError("X must be a feature frame from case_features")
        missing = [c for c in FEATURE_COLUMNS if c not in X.columns]
        extra = [c for c in X.columns if c not in FEATURE_COLUMNS]
        if missing or extra:
            raise ValueError(
                f"X columns differ from the features: missing {missing}, extra {extra}"
            )
        if reset:
            self.n_features_in_ = X.shape[1]
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        return X[FEATURE_COLUMNS]

    def _check_params(self) -> None:
        if not 0 < self.confidence_level < 1:
            raise ValueError(f"confidence_level must be in (0, 1), got {self.confidence_level}")
        if self.cv < 2:
            raise ValueError(f"cv must be at least 2, got {self.cv}")

    def fit(self, X, y, groups=None):
        """Fit both parts on cases with a visible remedy.

        Parameters
        ----------
        X : DataFrame of shape (n_cases, n_features)
            Feature frame (:func:`~remedy_model.features.case_features`).
        y : array of shape (n_cases,)
            Symbolic sum in today's pounds; 0 for a remedy without symbolic money.
        groups : array of shape (n_cases,), optional
            Cases sharing a group (one complaint against several bodies) are never split
            between a calibration fold and its model. Inside scikit-learn's model selection,
            request it with ``set_fit_request(groups=True)`` (metadata routing).

        Returns
        -------
        self
        """
        self._check_params()
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None")
        X = self._check_X(X, reset=True)
        y = column_or_1d(y, warn=True).astype(float)
        check_consistent_length(X, y)
        if len(y) < 2:
            raise ValueError(f"need at least 2 cases to fit, got n_samples={len(y)}")
        if not np.all(np.isfinite(y)) or np.any(y < 0):
            raise ValueError("y must hold finite, non-negative sums")
        paid = y > 0
        if paid.sum() < 2:
            raise ValueError(f"need at least 2 cases with a payment, got {int(paid.sum())}")
        unknown = set(self.exclude) - set(FEATURE_COLUMNS)
        if unknown:
            raise ValueError(f"exclude names columns that are not features: {sorted(unknown)}")
        used = [c for c in FEATURE_COLUMNS if c not in self.exclude]
        self.encoder_ = make_preprocessor(used, min_frequency=self.min_frequency)
        Z = self.encoder_.fit_transform(X)
        self.payment_model_ = None
        if not paid.all():
            logistic = LogisticRegression(C=self.payment_C, max_iter=5000)
            self.payment_model_ = logistic.fit(Z, paid)
        self.amount_model_ = self._fit_amount(Z[paid], np.log(y[paid]), groups, paid)
        self.reference_ = _references(X, Z, paid)
        self.paid_rate_ = float(paid.mean())
        self.n_paid_ = int(paid.sum())
        return self

    def _fit_amount(self, Z, log_y, groups, paid):
        from mapie.regression import CrossConformalRegressor

        if groups is not None:
            groups = np.asarray(groups)[paid]
            folds = min(self.cv, len(np.unique(groups)))
            splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        else:
            splitter = KFold(
                n_splits=min(self.cv, len(log_y)), shuffle=True, random_state=self.random_state
            )
        return CrossConformalRegressor(
            estimator=RidgeCV(alphas=self.amount_alphas),
            confidence_level=self.confidence_level,
            method="plus",
            cv=splitter,
        ).fit_conformalize(Z, log_y, groups=groups)

    def predict_parts(self, X) -> pd.DataFrame:
        """Per case: ``p_payment`` and the amount if paid (median, low, high), today's pounds.

        Parameters
        ----------
        X : DataFrame of shape (n_cases, n_features)
            Feature frame (:func:`~remedy_model.features.case_features`).

        Returns
        -------
        DataFrame
            Columns ``p_payment``, ``amount_median``, ``amount_low``, ``amount_high``; one row
            per case.
        """
        check_is_fitted(self, "amount_model_")
        Z = self.encoder_.transform(self._check_X(X, reset=False))
        if self.payment_model_ is None:
            p = np.ones(len(Z))
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
        """:meth:`predict_parts` plus the mixture range ``low`` / ``median`` / ``high``.

        Parameters
        ----------
        X : DataFrame of shape (n_cases, n_features)
            Feature frame (:func:`~remedy_model.features.case_features`).

        Returns
        -------
        DataFrame
            The columns of :meth:`predict_parts` and ``low``, ``median``, ``high`` (today's
            pounds; ``low`` may be £0); one row per case.
        """
        check_is_fitted(self, "amount_model_")
        Z = self.encoder_.transform(self._check_X(X, reset=False))
        return pd.DataFrame(self.export().predict_range(Z))

    def predict(self, X) -> np.ndarray:
        """Median of the symbolic sum in today's pounds (0 when no payment is more likely).

        Parameters
        ----------
        X : DataFrame of shape (n_cases, n_features)
            Feature frame (:func:`~remedy_model.features.case_features`).

        Returns
        -------
        ndarray of shape (n_cases,)
        """
        return self.predict_range(X)["median"].to_numpy()

    def export(self) -> PaymentPredictor:
        """The fitted model as plain arrays (answers with numpy alone; saved without pickle).

        Returns
        -------
        PaymentPredictor
        """
        check_is_fitted(self, "amount_model_")
        mapie = self.amount_model_._mapie_regressor
        ensemble = mapie.estimator_
        payment = None
        if self.payment_model_ is not None:
            payment = Linear(
                self.payment_model_.coef_[0].copy(), float(self.payment_model_.intercept_[0])
            )
        full = ensemble.single_estimator_
        return PaymentPredictor(
            encoder=export_encoder(self.encoder_),
            payment=payment,
            amount=Linear(np.asarray(full.coef_, dtype=float), float(full.intercept_)),
            conformal=CrossConformal(
                fold_coef=np.array([e.coef_ for e in ensemble.estimators_], dtype=float),
                fold_intercept=np.array([e.intercept_ for e in ensemble.estimators_], dtype=float),
                fold_of_case=np.nanargmax(ensemble.k_, axis=1),
                residuals=np.asarray(mapie.conformity_scores_, dtype=float),
                confidence_level=self.confidence_level,
            ),
            confidence_level=self.confidence_level,
            references={k: v.copy() for k, v in self.reference_.items()},
        )


def _references(X: pd.DataFrame, Z: np.ndarray, paid: np.ndarray) -> dict[str, np.ndarray]:
    """Mean encoded rows of the upheld decision-page cases, and of the paid ones among them.

    These are the "typical case" an explanation starts from; a query is answered as a decision
    (source "decision"), so its source adds nothing to the explanation.
    """
    typical = X["decision"].isin(UPHELD_DECISIONS).to_numpy() & (
        X["source_group"].to_numpy() == "decision"
    )
    if not typical.any():
        typical = np.ones(len(Z), dtype=bool)
    typical_paid = typical & paid if (typical & paid).any() else paid
    return {"payment": Z[typical].mean(axis=0), "amount": Z[typical_paid].mean(axis=0)}
