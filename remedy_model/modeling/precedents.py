"""Nearest past cases to a query: the index scikit-learn fits, exported to plain arrays.

Distances are Euclidean on the encoded facts (fault types, vulnerable groups, category group,
organisation type, carer and respite flags, duration, year). Fault types and the category group
weigh more than the year, because investigators compare cases by what went wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.neighbors import NearestNeighbors
from sklearn.utils.validation import check_is_fitted

from remedy_model.features import (
    CATEGORICAL_COLUMNS,
    FAULT_COLUMNS,
    SOURCE_COLUMN,
    VULNERABLE_COLUMNS,
)
from remedy_model.modeling.arrays import PrecedentIndex
from remedy_model.modeling.encoding import export_encoder, make_preprocessor

PRECEDENT_COLUMNS = (
    "log_duration_months",
    "respite_lost_weeks",
    "year",
    *(c for c in CATEGORICAL_COLUMNS if c != SOURCE_COLUMN),
    *FAULT_COLUMNS,
    *VULNERABLE_COLUMNS,
)
"""Facts that define similarity (no remedy fields, so cases without a visible sum count; not the
source either, which says how a case became known, not what happened)."""

BLOCK_WEIGHTS = {"fault_": 1.0, "category_group": 1.5, "vulnerable_": 0.7, "year": 0.3}
"""Multipliers of encoded columns by name prefix; unlisted columns weigh 0.6."""
DEFAULT_WEIGHT = 0.6


class PrecedentFinder(BaseEstimator):
    """Find the most similar past cases with :class:`~sklearn.neighbors.NearestNeighbors`.

    Parameters
    ----------
    n_neighbors : int, default=5
        Neighbours returned when ``kneighbors`` is called without ``n_neighbors``.
    min_frequency : int, default=3
        Rarer category levels are pooled by the encoder.

    Attributes
    ----------
    encoder_ : ColumnTransformer
        The fitted encoder of :data:`PRECEDENT_COLUMNS`.
    weights_ : ndarray
        Per encoded column multiplier (see :data:`BLOCK_WEIGHTS`).
    points_ : ndarray
        The weighted encoded precedents.
    nn_ : NearestNeighbors
        The index over ``points_``.
    """

    def __init__(self, n_neighbors: int = 5, min_frequency: int = 3):
        self.n_neighbors = n_neighbors
        self.min_frequency = min_frequency

    def fit(self, X: pd.DataFrame, y=None):
        """Index the feature frame ``X`` (rows are the precedents, in order).

        Parameters
        ----------
        X : DataFrame of shape (n_precedents, n_features)
            Feature frame (:func:`~remedy_model.features.case_features`); only
            :data:`PRECEDENT_COLUMNS` are used.
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        self
        """
        if not isinstance(X, pd.DataFrame):
            raise TypeError("X must be a feature frame from case_features")
        if self.n_neighbors < 1:
            raise ValueError(f"n_neighbors must be at least 1, got {self.n_neighbors}")
        if len(X) < 1:
            raise ValueError("no precedents to index")
        self.encoder_ = make_preprocessor(PRECEDENT_COLUMNS, min_frequency=self.min_frequency)
        encoded = self.encoder_.fit_transform(X[list(PRECEDENT_COLUMNS)])
        names = self.encoder_.get_feature_names_out()
        self.weights_ = np.array([_weight(name) for name in names])
        self.points_ = encoded * self.weights_
        self.nn_ = NearestNeighbors(algorithm="brute").fit(self.points_)
        self.n_features_in_ = X.shape[1]
        self.n_precedents_ = len(X)
        return self

    def kneighbors(self, X: pd.DataFrame, n_neighbors: int | None = None):
        """Return (distances, row indices) of the nearest precedents, nearest first.

        Parameters
        ----------
        X : DataFrame of shape (n_queries, n_features)
            Feature frame of the queries (:func:`~remedy_model.features.case_features`).
        n_neighbors : int, optional
            How many precedents per query (default: ``self.n_neighbors``); at most all of them.

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors)
            Weighted Euclidean distances.
        indices : ndarray of shape (n_queries, n_neighbors)
            Rows of the fitted ``X``.
        """
        check_is_fitted(self, "nn_")
        k = min(n_neighbors or self.n_neighbors, self.n_precedents_)
        encoded = self.encoder_.transform(X[list(PRECEDENT_COLUMNS)]) * self.weights_
        return self.nn_.kneighbors(encoded, n_neighbors=k)

    def export(self) -> PrecedentIndex:
        """The fitted index as plain arrays (searched with numpy alone).

        Returns
        -------
        PrecedentIndex
        """
        check_is_fitted(self, "nn_")
        return PrecedentIndex(
            encoder=export_encoder(self.encoder_),
            weights=self.weights_.copy(),
            points=self.points_.copy(),
        )


def _weight(name: str) -> float:
    for prefix, weight in BLOCK_WEIGHTS.items():
        if name.startswith(prefix):
            return weight
    return DEFAULT_WEIGHT
