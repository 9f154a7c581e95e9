"""Case records to a feature frame, and the column transformer that encodes it.

One row per case; unknown facts stay as NaN or the level ``"unknown"`` so the encoder turns them
into missing-value indicators: a case is never dropped for an unknown fact.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from remedy_model.records import FAULT_TYPES, VULNERABLE_GROUPS, Case

FAULT_COLUMNS = [f"fault_{name}" for name in FAULT_TYPES]
VULNERABLE_COLUMNS = [f"vulnerable_{name}" for name in VULNERABLE_GROUPS]
TRISTATE_COLUMNS = ["carer_impact", "respite_lost", "person_died"]
SOURCE_COLUMN = "source_group"
CATEGORICAL_COLUMNS = ["org_type", "category_group", "decision", *TRISTATE_COLUMNS, SOURCE_COLUMN]
"""Among them the source group (:data:`~remedy_model.records.SOURCE_GROUPS`): the models learn
the press offset and answer every query as a decision, since a query has no source."""
NUMERIC_COLUMNS = ["log_duration_months", "respite_lost_weeks", "year", "n_faults"]
BINARY_COLUMNS = [*FAULT_COLUMNS, *VULNERABLE_COLUMNS, "year_is_approx"]

FEATURE_COLUMNS = [*NUMERIC_COLUMNS, *CATEGORICAL_COLUMNS, *BINARY_COLUMNS]
"""Every column :func:`case_features` returns, in order."""


def _tristate(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def case_features(cases: Sequence[Case]) -> pd.DataFrame:
    """Return the feature frame of ``cases`` (one row each, columns :data:`FEATURE_COLUMNS`).

    Only facts enter: nothing that describes the remedy (who was paid, how much, what was
    recommended), since a query cannot know it.

    Examples
    --------
    >>> frame = case_features([Case(fault_types=["care_plan"], duration_months=11)])
    >>> row = frame.iloc[0]
    >>> row["fault_care_plan"], round(row["log_duration_months"], 3), row["carer_impact"]
    (np.float64(1.0), np.float64(2.485), 'unknown')
    """
    rows = []
    for case in cases:
        faults = set(case.fault_types)
        vulnerable = set(case.vulnerable)
        row: dict[str, object] = {
            "log_duration_months": (
                np.log1p(case.duration_months) if case.duration_months is not None else np.nan
            ),
            "respite_lost_weeks": (
                case.respite_lost_weeks if case.respite_lost_weeks is not None else np.nan
            ),
            "year": case.effective_year if case.effective_year is not None else np.nan,
            "n_faults": float(len(faults)),
            "org_type": case.org_type or "unknown",
            "category_group": case.category_group,
            "decision": case.decision or "unknown",
            "carer_impact": _tristate(case.carer_impact),
            "respite_lost": _tristate(case.respite_lost),
            "person_died": _tristate(case.person_died),
            SOURCE_COLUMN: case.source_group,
            "year_is_approx": float(case.year_is_approx),
        }
        for name, col in zip(FAULT_TYPES, FAULT_COLUMNS, strict=True):
            row[col] = float(name in faults)
        for name, col in zip(VULNERABLE_GROUPS, VULNERABLE_COLUMNS, strict=True):
            row[col] = float(name in vulnerable)
        rows.append(row)
    numeric = {*NUMERIC_COLUMNS, *BINARY_COLUMNS}
    return pd.DataFrame(
        {
            col: np.array([r[col] for r in rows], dtype=float if col in numeric else object)
            for col in FEATURE_COLUMNS
        },
        columns=FEATURE_COLUMNS,
    )


def make_preprocessor(
    columns: Sequence[str] = tuple(FEATURE_COLUMNS), *, min_frequency: int = 3
) -> ColumnTransformer:
    """Build the encoder for a subset of :data:`FEATURE_COLUMNS`.

    Numbers are median-imputed with a missing indicator and scaled; categories are one-hot
    encoded with rare levels pooled (``min_frequency``) and unseen levels ignored; binary
    columns pass through.
    """
    numeric = [c for c in columns if c in NUMERIC_COLUMNS]
    categorical = [c for c in columns if c in CATEGORICAL_COLUMNS]
    binary = [c for c in columns if c in BINARY_COLUMNS]
    unknown = set(columns) - set(numeric) - set(categorical) - set(binary)
    if unknown:
        raise ValueError(f"not feature columns: {sorted(unknown)}")
    transformers = []
    if numeric:
        transformers.append(
            (
                "numeric",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
                    StandardScaler(),
                ),
                numeric,
            )
        )
    if categorical:
        transformers.append(
            (
                "categorical",
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist",
                    min_frequency=min_frequency,
                    sparse_output=False,
                ),
                categorical,
            )
        )
    if binary:
        transformers.append(("binary", "passthrough", binary))
    return ColumnTransformer(transformers, verbose_feature_names_out=False)
