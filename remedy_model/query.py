"""Queries: the facts of a case to answer, validated into a :class:`Case`.

Kept light (pydantic only) so the CLI can read and echo a query before the models load.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from remedy_model.errors import InputError
from remedy_model.records import MAX_AMOUNT_GBP, Case, describe_validation_error, parse_case

DEFAULT_DECISION = "upheld"
"""A query is about a fault already found, so it is taken as upheld unless it says otherwise."""


def make_case(fields: dict[str, Any], *, where: str = "query") -> Case:
    """Validate a query's fields as a :class:`Case`; errors name the field.

    A query without a ``decision`` is taken as upheld (:data:`DEFAULT_DECISION`).

    >>> make_case({"fault_types": ["care_plan"]}).decision
    'upheld'
    """
    data = {k: v for k, v in fields.items() if v is not None}
    data.setdefault("decision", DEFAULT_DECISION)
    try:
        return parse_case(data)
    except ValidationError as exc:
        field_name, message = describe_validation_error(exc)
        raise InputError(f"{where}: {field_name}: {message}") from None


def proposed_sum(value: float | None) -> float | None:
    """Check a proposed symbolic sum: a finite number of pounds from 0 to the codebook's maximum.

    Every surface (CLI, web form, JSON API, Python API) passes its proposed sum through here, so
    no later step (a chart's axis, a percentile) ever sees an infinite or absurd sum.

    >>> proposed_sum(500), proposed_sum(None)
    (500.0, None)
    >>> proposed_sum(float("inf"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    remedy_model.errors.InputError: proposed: must be a finite sum of pounds ..., got inf
    """
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not (math.isfinite(number) and 0 <= number <= MAX_AMOUNT_GBP):
        shown = str(value)[:20] + ("..." if len(str(value)) > 20 else "")
        limit = f"£{MAX_AMOUNT_GBP:,.0f}"
        raise InputError(
            f"proposed: must be a finite sum of pounds from 0 to {limit}, got {shown}",
            field="proposed",
        )
    return number


def read_case_file(path: Path | str) -> Case:
    """Read one case record from a JSON file (``remedy suggest --case FILE``)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected one JSON object (a case record)")
    return make_case(data, where=str(path))


def describe(case: Case) -> str:
    """One line naming the facts of a query, for echoing before the answer.

    >>> describe(Case(fault_types=["care_plan"], duration_months=6, year=2024))
    'care_plan; 6 months; 2024'
    """
    parts = [
        case.category,
        ", ".join(case.fault_types) or None,
        f"{case.duration_months:g} months" if case.duration_months is not None else None,
        "carer affected" if case.carer_impact else None,
        "respite lost" if case.respite_lost else None,
        ", ".join(case.vulnerable) or None,
        case.org_type,
        str(case.effective_year) if case.effective_year else None,
    ]
    return "; ".join(p for p in parts if p)
