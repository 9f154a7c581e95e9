"""The fitted models as plain arrays: what answers a query, with numpy alone.

Training uses scikit-learn and MAPIE (:mod:`~remedy_model.modeling.payment`,
:mod:`~remedy_model.modeling.precedents`); each fitted estimator is then *exported* to the small
classes here, which hold only numbers and strings. They answer in microseconds, need no
scikit-learn import (so the CLI answers in well under a second), and are saved as arrays, so a
model file never needs unpickling. Tests check that every exported part predicts exactly what
the estimator it came from predicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from statistics import NormalDist

import numpy as np

INFREQUENT = "infrequent_sklearn"
"""The output column name scikit-learn gives the pooled rare levels of a category."""


@dataclass
class NumericBlock:
    """Median imputation with missing indicators, then standard scaling."""

    columns: list[str]
    medians: np.ndarray
    indicator_of: list[int]
    """Positions in ``columns`` that get a missing indicator (missing during training)."""
    mean: np.ndarray
    scale: np.ndarray

    def names(self) -> list[str]:
        """Encoded column names: the columns, then their missing indicators.

        Returns
        -------
        list of str
            Named as scikit-learn's ``get_feature_names_out`` names them.
        """
        return [*self.columns, *(f"missingindicator_{self.columns[i]}" for i in self.indicator_of)]

    def sources(self) -> list[str]:
        """For each encoded column, the feature column it comes from.

        Returns
        -------
        list of str
        """
        return [*self.columns, *(self.columns[i] for i in self.indicator_of)]

    def transform(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """Impute, add the missing indicators and scale, as the fitted pipeline does.

        Parameters
        ----------
        values : dict of ndarray
            Feature arrays by column name (:func:`remedy_model.features.feature_values`),
            one entry per query.

        Returns
        -------
        ndarray of shape (n_queries, len(names()))
        """
        raw = np.array([values[c] for c in self.columns], dtype=float).T
        missing = np.isnan(raw)
        filled = np.where(missing, self.medians, raw)
        stacked = np.hstack([filled, missing[:, self.indicator_of].astype(float)])
        return (stacked - self.mean) / self.scale


@dataclass
class CategoricalBlock:
    """One-hot encoding with rare levels pooled and unseen levels sent to the pool (or none)."""

    columns: list[str]
    levels: list[list[str]]
    """Per column, its output levels in order; :data:`INFREQUENT` last when rare ones exist."""

    def names(self) -> list[str]:
        """Encoded column names, ``column_level``, one per output level.

        Returns
        -------
        list of str
            Named as scikit-learn's ``get_feature_names_out`` names them.
        """
        return [
            f"{col}_{level}"
            for col, levels in zip(self.columns, self.levels, strict=True)
            for level in levels
        ]

    def sources(self) -> list[str]:
        """For each encoded column, the feature column it comes from.

        Returns
        -------
        list of str
        """
        return [col for col, levels in zip(self.columns, self.levels, strict=True) for _ in levels]

    def transform(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """One-hot encode each column; a rare or unseen level goes to the pooled column.

        A column without rare levels has no pooled column: an unseen level is then all zeros.

        Parameters
        ----------
        values : dict of ndarray
            Feature arrays by column name (:func:`remedy_model.features.feature_values`),
            one entry per query.

        Returns
        -------
        ndarray of shape (n_queries, len(names()))
        """
        if not self.columns:
            return np.zeros((0, 0))
        positions, offsets, width = self._layout
        where = np.array(
            [
                [position.get(str(value), pooled) for value in values[col]]
                for col, (position, pooled) in zip(self.columns, positions, strict=True)
            ],
            dtype=int,
        ).reshape(len(self.columns), -1)
        encoded = np.zeros((where.shape[1], width))
        hit = where >= 0
        encoded[np.nonzero(hit)[1], (where + offsets[:, None])[hit]] = 1.0
        return encoded

    @cached_property
    def _layout(self) -> tuple[list[tuple[dict[str, int], int]], np.ndarray, int]:
        """Per column: each level's position in its block (the text :data:`INFREQUENT` itself
        maps to the pool) and the pooled position (-1: none); the blocks' offsets; the width."""
        positions = []
        for levels in self.levels:
            position = {level: i for i, level in enumerate(levels)}
            pooled = position.get(INFREQUENT, -1)
            positions.append(({**position, INFREQUENT: pooled}, pooled))
        sizes = [len(levels) for levels in self.levels]
        return positions, np.cumsum([0, *sizes[:-1]]), sum(sizes)


@dataclass
class Encoder:
    """Feature arrays (:func:`remedy_model.features.feature_values`) to the encoded matrix."""

    numeric: NumericBlock | None
    categorical: CategoricalBlock | None
    binary: list[str]

    def _blocks(self) -> list:
        return [b for b in (self.numeric, self.categorical) if b is not None]

    @property
    def columns(self) -> list[str]:
        """The feature columns read, in block order.

        Returns
        -------
        list of str
        """
        return [c for b in self._blocks() for c in b.columns] + list(self.binary)

    def names(self) -> list[str]:
        """Encoded column names, as scikit-learn's ``get_feature_names_out`` gives them.

        Returns
        -------
        list of str
        """
        return [n for b in self._blocks() for n in b.names()] + list(self.binary)

    def sources(self) -> list[str]:
        """For each encoded column, the feature column it comes from.

        Returns
        -------
        list of str
        """
        return [s for b in self._blocks() for s in b.sources()] + list(self.binary)

    def transform(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """The encoded matrix of the queries, as the fitted transformer gives it.

        Parameters
        ----------
        values : dict of ndarray
            Feature arrays by column name (:func:`remedy_model.features.feature_values`),
            one entry per query.

        Returns
        -------
        ndarray of shape (n_queries, len(names()))
        """
        parts = [b.transform(values) for b in self._blocks()]
        if self.binary:
            parts.append(np.array([values[c] for c in self.binary], dtype=float).T)
        return np.hstack(parts)


@dataclass
class Linear:
    """``Z @ coef + intercept``: a fitted linear model's prediction."""

    coef: np.ndarray
    intercept: float

    def decision(self, Z: np.ndarray) -> np.ndarray:
        """The linear prediction for each encoded query.

        Parameters
        ----------
        Z : ndarray of shape (n_queries, n_encoded)
            Encoded queries (:meth:`Encoder.transform`).

        Returns
        -------
        ndarray of shape (n_queries,)
        """
        return Z @ self.coef + self.intercept


@dataclass
class CrossConformal:
    """The CV+ interval of a cross-conformal regressor (MAPIE ``method="plus"``).

    For a query ``x``, each training case ``i`` gives ``mu_-k(i)(x) -+ R_i`` where
    ``mu_-k(i)`` is the model fitted without case ``i``'s fold and ``R_i`` its absolute
    out-of-fold residual; the bounds are finite-sample-corrected quantiles of those values
    (Barber et al., 2021), as MAPIE computes them.
    """

    fold_coef: np.ndarray
    """(n_folds, n_encoded) coefficients of the fold models."""
    fold_intercept: np.ndarray
    fold_of_case: np.ndarray
    """For each calibration case, the fold whose model did not see it."""
    residuals: np.ndarray
    confidence_level: float

    def bounds(self, Z: np.ndarray, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
        """The CV+ lower and upper bounds for each encoded query.

        Parameters
        ----------
        Z : ndarray of shape (n_queries, n_encoded)
            Encoded queries (:meth:`Encoder.transform`).
        chunk : int
            Queries handled at once, which bounds memory to ``chunk`` x calibration cases.

        Returns
        -------
        low, high : ndarray of shape (n_queries,)
            The bounds, on the scale of the fold models (log pounds).
        """
        n = len(self.residuals)
        level = min(np.ceil(self.confidence_level * (n + 1)) / n, 1.0)
        rank = int(np.floor((n - 1) * level))  # numpy's quantile method "lower"
        lows, highs = [], []
        for start in range(0, len(Z), chunk):
            fold_pred = Z[start : start + chunk] @ self.fold_coef.T + self.fold_intercept
            per_case = fold_pred[:, self.fold_of_case]
            lows.append(-np.partition(self.residuals - per_case, rank, axis=1)[:, rank])
            highs.append(np.partition(per_case + self.residuals, rank, axis=1)[:, rank])
        if not lows:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(lows), np.concatenate(highs)


_STANDARD_NORMAL = NormalDist()


def normal_quantile(q: np.ndarray) -> np.ndarray:
    """Standard normal quantiles (vectorised :meth:`statistics.NormalDist.inv_cdf`).

    Parameters
    ----------
    q : array-like
        Probabilities; clipped to just inside (0, 1) so the result stays finite.

    Returns
    -------
    ndarray
        Of the same shape as ``q``.

    Examples
    --------
    >>> np.round(normal_quantile(np.array([0.5, 0.9])), 4)
    array([0.    , 1.2816])
    """
    flat = np.clip(np.asarray(q, dtype=float).ravel(), 1e-12, 1 - 1e-12)
    return np.array([_STANDARD_NORMAL.inv_cdf(v) for v in flat]).reshape(np.shape(q))


def mixture_quantile(q, p, median, low, high, level):
    """Quantile ``q`` of "0 with probability 1 - p, else log-normal(median, spread)".

    The log-normal's spread is set so its central ``level`` band is ``low`` to ``high``.

    Parameters
    ----------
    q : float
        The probability of the quantile (e.g. 0.1, 0.5, 0.9).
    p : ndarray
        Per query, the chance of any payment.
    median, low, high : ndarray
        Per query, the amount if paid: its median and its ``level`` interval (pounds, > 0).
    level : float
        Nominal coverage of ``low`` to ``high``.

    Returns
    -------
    ndarray
        Per query, the quantile in pounds (0 where ``q`` falls within the chance of no
        payment).

    Examples
    --------
    >>> float(mixture_quantile(0.1, np.array([0.5]), np.array([1000.0]),
    ...                        np.array([250.0]), np.array([4000.0]), 0.8)[0])
    0.0
    >>> round(float(mixture_quantile(0.5, np.array([1.0]), np.array([1000.0]),
    ...                              np.array([250.0]), np.array([4000.0]), 0.8)[0]))
    1000
    """
    z = float(normal_quantile(np.array(0.5 + level / 2)))
    sigma = np.maximum((np.log(high) - np.log(low)) / (2 * z), 1e-9)
    p = np.clip(p, 1e-9, 1.0)
    inner = (q - (1 - p)) / p
    amount = np.exp(np.log(median) + sigma * normal_quantile(inner))
    return np.where(inner <= 0, 0.0, amount)


@dataclass
class PaymentPredictor:
    """The two-part payment model as arrays: chance of a payment, amount if paid, interval.

    ``payment`` is ``None`` when every training case was paid (the chance is then 1).
    Amounts are in today's pounds; the amount models work on log pounds.
    """

    encoder: Encoder
    payment: Linear | None
    amount: Linear
    conformal: CrossConformal
    confidence_level: float
    references: dict[str, np.ndarray] = field(default_factory=dict)
    """The encoded "typical case" of each part (``"payment"``, ``"amount"``) that explanations
    measure effects from."""

    def encode(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """Encode the queries' features once for both parts.

        Parameters
        ----------
        values : dict of ndarray
            Feature arrays by column name (:func:`remedy_model.features.feature_values`),
            one entry per query.

        Returns
        -------
        ndarray of shape (n_queries, n_encoded)
        """
        return self.encoder.transform(values)

    def chance(self, Z: np.ndarray) -> np.ndarray:
        """Probability of any symbolic payment.

        Parameters
        ----------
        Z : ndarray of shape (n_queries, n_encoded)
            Encoded queries (:meth:`Encoder.transform`).

        Returns
        -------
        ndarray of shape (n_queries,)
            1 for every query when the model was trained on paid cases only.
        """
        if self.payment is None:
            return np.ones(len(Z))
        return 1.0 / (1.0 + np.exp(-self.payment.decision(Z)))

    def parts(self, Z: np.ndarray) -> dict[str, np.ndarray]:
        """``p_payment`` and the amount if paid (``amount_median``, ``_low``, ``_high``).

        Parameters
        ----------
        Z : ndarray of shape (n_queries, n_encoded)
            Encoded queries (:meth:`Encoder.transform`).

        Returns
        -------
        dict of ndarray
            One array per key, one value per query, amounts in today's pounds; the interval
            always contains the median.
        """
        point = self.amount.decision(Z)
        low, high = self.conformal.bounds(Z)
        return {
            "p_payment": self.chance(Z),
            "amount_median": np.exp(point),
            "amount_low": np.exp(np.minimum(low, point)),
            "amount_high": np.exp(np.maximum(high, point)),
        }

    def predict_range(self, Z: np.ndarray) -> dict[str, np.ndarray]:
        """:meth:`parts` plus the mixture range ``low`` / ``median`` / ``high`` (may be £0).

        Parameters
        ----------
        Z : ndarray of shape (n_queries, n_encoded)
            Encoded queries (:meth:`Encoder.transform`).

        Returns
        -------
        dict of ndarray
            The keys of :meth:`parts` and ``low``, ``median``, ``high``, in today's pounds.
        """
        parts = self.parts(Z)
        tail = (1 - self.confidence_level) / 2
        for name, q in (("low", tail), ("median", 0.5), ("high", 1 - tail)):
            parts[name] = mixture_quantile(
                q,
                parts["p_payment"],
                parts["amount_median"],
                parts["amount_low"],
                parts["amount_high"],
                self.confidence_level,
            )
        return parts


@dataclass
class PrecedentIndex:
    """Weighted encoded facts of every precedent, searched by Euclidean distance."""

    encoder: Encoder
    weights: np.ndarray
    points: np.ndarray
    """(n_precedents, n_encoded) weighted encoded facts of the precedents."""

    @cached_property
    def norms(self) -> np.ndarray:
        """Squared length of each precedent's point (computed once).

        Returns
        -------
        ndarray of shape (n_precedents,)
        """
        return (self.points**2).sum(axis=1)

    def locate(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """Each query as a point comparable with :attr:`points` (weighted encoded facts).

        Parameters
        ----------
        values : dict of ndarray
            Feature arrays by column name (:func:`remedy_model.features.feature_values`),
            one entry per query.

        Returns
        -------
        ndarray of shape (n_queries, n_encoded)
        """
        return self.encoder.transform(values) * self.weights

    def distances(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """(n_queries, n_precedents) distances from each query to every precedent.

        Parameters
        ----------
        values : dict of ndarray
            Feature arrays by column name (:func:`remedy_model.features.feature_values`),
            one entry per query.

        Returns
        -------
        ndarray of shape (n_queries, n_precedents)
            Euclidean distances between the weighted encoded facts.
        """
        return self.distances_to(self.locate(values))

    def distances_to(self, located: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
        """Distances from located queries (:meth:`locate`) to the precedents ``among``.

        Parameters
        ----------
        located : ndarray of shape (n_queries, n_encoded)
        among : ndarray of int, optional
            Precedent positions; all precedents when omitted.

        Returns
        -------
        ndarray of shape (n_queries, len(among))
        """
        points, norms = self.points, self.norms
        if among is not None:
            points, norms = points[among], norms[among]
        squared = located @ points.T
        squared *= -2
        squared += (located**2).sum(axis=1)[:, None]
        squared += norms[None, :]
        np.maximum(squared, 0.0, out=squared)
        return np.sqrt(squared, out=squared)
