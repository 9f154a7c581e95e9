"""What two cases share and where they differ, in words (for the precedents shown)."""

from __future__ import annotations

import math
from typing import Any

from remedy_model.features import FAULT_COLUMNS, VULNERABLE_COLUMNS


def _label(column: str) -> str:
    return column.split("_", 1)[1].replace("_", " ")


def _months(log_value: Any) -> float | None:
    if log_value is None or (isinstance(log_value, float) and math.isnan(log_value)):
        return None
    return math.expm1(float(log_value))


def compare(query: dict[str, Any], other: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Say in words what two cases' feature values share and where they differ.

    Parameters
    ----------
    query, other : dict
        One value per feature column (a row of :func:`~remedy_model.features.feature_values`).

    Returns
    -------
    shared, differs : list of str
        Short phrases, e.g. ``"fault: care plan"`` or ``"duration 6 vs 24 months"``.

    Examples
    --------
    >>> from remedy_model.features import feature_values
    >>> from remedy_model.records import Case
    >>> values = feature_values([Case(fault_types=["care_plan"], carer_impact=True),
    ...     Case(fault_types=["care_plan", "charging"], carer_impact=True)])
    >>> compare(row(values, 0), row(values, 1))
    (['fault: care plan', 'carer impact'], ['fault: charging (precedent only)'])
    """
    shared: list[str] = []
    differs: list[str] = []
    for col in FAULT_COLUMNS:
        if query[col] and other[col]:
            shared.append(f"fault: {_label(col)}")
        elif query[col] != other[col]:
            side = "query only" if query[col] else "precedent only"
            differs.append(f"fault: {_label(col)} ({side})")
    for col in VULNERABLE_COLUMNS:
        if query[col] and other[col]:
            shared.append(f"vulnerable: {_label(col)}")
    for col, label in (("category_group", "category"), ("org_type", "body type")):
        if query[col] == other[col] and query[col] != "unknown":
            shared.append(f"{label}: {query[col]}")
        elif "unknown" not in (query[col], other[col]):
            differs.append(f"{label}: {query[col]} vs {other[col]}")
    for col in ("carer_impact", "respite_lost", "person_died"):
        label = col.replace("_", " ")
        if query[col] == other[col] == "yes":
            shared.append(label)
        elif {query[col], other[col]} == {"yes", "no"}:
            differs.append(f"{label}: {query[col]} vs {other[col]}")
    q_months = _months(query["log_duration_months"])
    o_months = _months(other["log_duration_months"])
    if q_months is not None and o_months is not None:
        if max(q_months, o_months) <= 2 * max(min(q_months, o_months), 1):
            shared.append(f"duration ~{o_months:.0f} months")
        else:
            differs.append(f"duration {q_months:.0f} vs {o_months:.0f} months")
    return shared, differs


def row(values: dict[str, Any], i: int) -> dict[str, Any]:
    """Row ``i`` of a dict of feature arrays, as plain values."""
    return {col: array[i] for col, array in values.items()}
