"""The encoder scikit-learn fits on the feature frame, and its export to plain arrays.

Numbers are median-imputed with a missing indicator and scaled; categories are one-hot encoded
with rare levels pooled (``min_frequency``) and unseen levels sent to the pool; binary columns
pass through. :func:`export_encoder` turns the fitted transformer into an
:class:`~remedy_model.modeling.arrays.Encoder` that gives the same matrix with numpy alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from remedy_model.features import (
    BINARY_COLUMNS,
    CATEGORICAL_COLUMNS,
    FEATURE_COLUMNS,
    NUMERIC_COLUMNS,
)
from remedy_model.modeling.arrays import (
    INFREQUENT,
    CategoricalBlock,
    Encoder,
    NumericBlock,
)


def make_preprocessor(
    columns: Sequence[str] = tuple(FEATURE_COLUMNS), *, min_frequency: int = 3
) -> ColumnTransformer:
    """Build the encoder for a subset of :data:`~remedy_model.features.FEATURE_COLUMNS`.

    Parameters
    ----------
    columns : sequence of str
        Feature columns to encode, each numeric, categorical or binary.
    min_frequency : int
        Category levels seen fewer times are pooled into one column.

    Returns
    -------
    ColumnTransformer
        Unfitted; blocks in the order numeric, categorical, binary.
    """
    numeric = [c for c in columns if c in NUMERIC_COLUMNS]
    categorical = [c for c in columns if c in CATEGORICAL_COLUMNS]
    binary = [c for c in columns if c in BINARY_COLUMNS]
    unknown = set(columns) - set(numeric) - set(categorical) - set(binary)
    if unknown:
        raise ValueError(f"not feature columns: {sorted(unknown)}")
    transformers = []
    if numeric:
        imputer = SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True)
        transformers.append(("numeric", make_pipeline(imputer, StandardScaler()), numeric))
    if categorical:
        onehot = OneHotEncoder(
            handle_unknown="infrequent_if_exist", min_frequency=min_frequency, sparse_output=False
        )
        transformers.append(("categorical", onehot, categorical))
    if binary:
        transformers.append(("binary", "passthrough", binary))
    return ColumnTransformer(transformers, verbose_feature_names_out=False)


def export_encoder(transformer: ColumnTransformer) -> Encoder:
    """The fitted ``transformer`` of :func:`make_preprocessor` as plain arrays.

    Parameters
    ----------
    transformer : ColumnTransformer
        Fitted.

    Returns
    -------
    Encoder
        Transforms feature arrays to the same matrix as ``transformer.transform``.
    """
    blocks = {name: (step, cols) for name, step, cols in transformer.transformers_}
    numeric = categorical = None
    if "numeric" in blocks:
        pipeline, cols = blocks["numeric"]
        imputer, scaler = pipeline[0], pipeline[1]
        numeric = NumericBlock(
            columns=list(cols),
            medians=np.asarray(imputer.statistics_, dtype=float),
            indicator_of=[int(i) for i in imputer.indicator_.features_],
            mean=np.asarray(scaler.mean_, dtype=float),
            scale=np.asarray(scaler.scale_, dtype=float),
        )
    if "categorical" in blocks:
        onehot, cols = blocks["categorical"]
        infrequent = onehot.infrequent_categories_
        levels = []
        for found, rare in zip(onehot.categories_, infrequent, strict=True):
            rare_set = set() if rare is None else {str(v) for v in rare}
            kept = [str(v) for v in found if str(v) not in rare_set]
            levels.append(kept + ([INFREQUENT] if rare_set else []))
        categorical = CategoricalBlock(columns=list(cols), levels=levels)
    binary = list(blocks["binary"][1]) if "binary" in blocks else []
    encoder = Encoder(numeric, categorical, binary)
    if encoder.names() != [str(n) for n in transformer.get_feature_names_out()]:
        raise ValueError("exported encoder columns differ from the fitted transformer's")
    return encoder
