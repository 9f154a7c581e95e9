"""Case records to features: one value per case and column, facts only.

Unknown facts stay as NaN or the level ``"unknown"`` so the encoder turns them into
missing-value indicators: a case is never dropped for an unknown fact. This module needs numpy
only (pandas when a frame is asked for), so answering a query stays light; the encoder that
scikit-learn fits lives in :mod:`remedy_model.modeling.encoding`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

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


FACT_LABELS = {
    "log_duration_months": "duration",
    "respite_lost_weeks": "weeks of respite lost",
    "year": "year",
    "n_faults": "number of fault types",
    "org_type": "body type",
    "category_group": "category",
    "decision": "decision",
    "carer_impact": "carer affected",
    "respite_lost": "respite lost",
    "person_died": "person died",
    SOURCE_COLUMN: "source",
    "year_is_approx": "year approximate",
    **{
        col: f"fault: {name.replace('_', ' ')}"
        for col, name in zip(FAULT_COLUMNS, FAULT_TYPES, strict=True)
    },
    **{
        col: f"vulnerable: {name.replace('_', ' ')}"
        for col, name in zip(VULNERABLE_COLUMNS, VULNERABLE_GROUPS, strict=True)
    },
}
"""Each feature column as the fact a user states, in words (for explanations)."""


def _tristate(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _nan_if_none(value: float | None) -> float:
    return np.nan if value is None else float(value)


def _indicators(cases: Sequence[Case], attr: str, names: Sequence[str]) -> np.ndarray:
    """(n_cases, len(names)) matrix: 1.0 where the case's list ``attr`` holds the name."""
    column = {name: i for i, name in enumerate(names)}
    marked = [(row, column[name]) for row, c in enumerate(cases) for name in getattr(c, attr)]
    matrix = np.zeros((len(cases), len(names)), order="F")
    if marked:
        matrix[tuple(np.array(marked).T)] = 1.0
    return matrix


def feature_values(cases: Sequence[Case]) -> dict[str, np.ndarray]:
    """The features of ``cases`` as one array per column of :data:`FEATURE_COLUMNS`.

    Numbers are float arrays (NaN when unknown); categories are object arrays of strings
    (``"unknown"`` when not known). Only facts enter: nothing that describes the remedy (who
    was paid, how much, what was recommended), since a query cannot know it. This is the one
    definition of the features, used by training (as a frame) and by answers (as arrays).

    Examples
    --------
    >>> values = feature_values([Case(fault_types=["care_plan"], duration_months=11)])
    >>> values["fault_care_plan"][0], round(values["log_duration_months"][0], 3)
    (np.float64(1.0), np.float64(2.485))
    >>> values["carer_impact"][0]
    'unknown'
    """
    n = len(cases)
    out: dict[str, np.ndarray] = {}
    duration = np.array([_nan_if_none(c.duration_months) for c in cases], dtype=float)
    out["log_duration_months"] = np.log1p(duration)
    out["respite_lost_weeks"] = np.array(
        [_nan_if_none(c.respite_lost_weeks) for c in cases], dtype=float
    )
    out["year"] = np.array([_nan_if_none(c.effective_year) for c in cases], dtype=float)
    out["n_faults"] = np.array([len(c.fault_types) for c in cases], dtype=float)
    text = {
        "org_type": [c.org_type or "unknown" for c in cases],
        "category_group": [c.category_group for c in cases],
        "decision": [c.decision or "unknown" for c in cases],
        "carer_impact": [_tristate(c.carer_impact) for c in cases],
        "respite_lost": [_tristate(c.respite_lost) for c in cases],
        "person_died": [_tristate(c.person_died) for c in cases],
        SOURCE_COLUMN: [c.source_group for c in cases],
    }
    for col, values in text.items():
        out[col] = np.array(values, dtype=object).reshape(n)
    for names, columns, attr in (
        (FAULT_TYPES, FAULT_COLUMNS, "fault_types"),
        (VULNERABLE_GROUPS, VULNERABLE_COLUMNS, "vulnerable"),
    ):
        out.update(zip(columns, _indicators(cases, attr, names).T, strict=True))
    out["year_is_approx"] = np.array([c.year_is_approx for c in cases], dtype=float)
    return {col: out[col] for col in FEATURE_COLUMNS}


def case_features(cases: Sequence[Case]):
    """Return the feature frame of ``cases`` (one row each, columns :data:`FEATURE_COLUMNS`).

    The frame form of :func:`feature_values`, for fitting with scikit-learn (pandas is
    imported here, not at module level, so answering a query stays light).

    Examples
    --------
    >>> frame = case_features([Case(fault_types=["care_plan"], duration_months=11)])
    >>> frame.shape, frame.loc[0, "carer_impact"]
    ((1, 42), 'unknown')
    """
    import pandas as pd

    return pd.DataFrame(feature_values(cases), columns=FEATURE_COLUMNS)
