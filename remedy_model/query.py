"""Queries: the facts of a case to answer, validated into a :class:`Case`.

Kept light (pydantic only) so the CLI can read and echo a query before the models load.
"""

from __future__ import annotations

import difflib
import math
import operator
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from remedy_model.errors import InputError
from remedy_model.jsonio import (
    MAX_RECORD_BYTES,
    JsonProblem,
    decode,
    open_regular,
    read_lines,
    size_text,
    too_long_message,
)
from remedy_model.records import MAX_AMOUNT_GBP, Case, describe_validation_error, parse_case

DEFAULT_DECISION = "upheld"
"""A query is about a fault already found, so it is taken as upheld unless it says otherwise."""
QUERY_FIELDS: tuple[str, ...] = tuple(Case.model_fields)
_KNOWN_KEYS = frozenset(QUERY_FIELDS)
"""The keys a query may carry: the fields of a case record (a whole record is a query)."""
MAX_K = 50
"""Most precedents one query may ask for, on every surface."""


def _shown(value: Any, width: int = 20) -> str:
    """A value cut to ``width`` characters for a message (even an integer too long to print)."""
    try:
        text = str(value)
    except ValueError:
        return "a number too long to show"
    return text if len(text) <= width else text[:width] + "..."


def _error(where: str | None, place: str | None, reason: str, field: str | None) -> InputError:
    """An :class:`InputError` whose message is ``where: place: reason`` (parts present)."""
    message = ": ".join(part for part in (where, place, reason) if part)
    return InputError(message, field=field, reason=reason)


def make_case(fields: Mapping[str, Any], *, where: str | None = "query") -> Case:
    """Validate a query's fields as a :class:`Case`; errors name the field.

    A query without a ``decision`` is taken as upheld (:data:`DEFAULT_DECISION`). A key that
    is not a field of a case record is refused, with the closest field named; so is a number
    that is not finite. ``where`` starts every message (``None``: no place).

    >>> make_case({"fault_types": ["care_plan"]}).decision
    'upheld'
    >>> make_case({"duraton_months": 3})
    Traceback (most recent call last):
    ...
    remedy_model.errors.InputError: query: unknown field 'duraton_months' \
(did you mean 'duration_months'?)
    """
    if not _KNOWN_KEYS.issuperset(fields):
        _refuse_unknown_key(fields, where)
    data = {k: v for k, v in fields.items() if v is not None}
    data.setdefault("decision", DEFAULT_DECISION)
    for name, value in data.items():
        if isinstance(value, float) and not math.isfinite(value):
            reason = "not a number" if math.isnan(value) else f"not a finite number ({value})"
            raise _error(where, name, reason, name)
    try:
        return parse_case(data)
    except ValidationError as exc:
        place, message = describe_validation_error(exc)
        field = place if exc.errors()[0].get("loc") else None
        raise _error(where, place, message, field) from None


def _refuse_unknown_key(fields: Mapping[str, Any], where: str | None) -> None:
    for key in fields:
        if key in _KNOWN_KEYS:
            continue
        name = str(key)[:100]
        close = difflib.get_close_matches(name, QUERY_FIELDS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise _error(where, None, f"unknown field '{_shown(name, 40)}'{hint}", name)


def precedent_count(k: Any) -> int:
    """Check how many precedents are asked for: a whole number from 1 to :data:`MAX_K`.

    >>> precedent_count(5)
    5
    >>> precedent_count(0)
    Traceback (most recent call last):
    ...
    remedy_model.errors.InputError: k: must be a whole number from 1 to 50, got 0
    """
    try:
        number = operator.index(k)
    except TypeError:
        number = 0
    if isinstance(k, bool) or not 1 <= number <= MAX_K:
        reason = f"must be a whole number from 1 to {MAX_K}, got {_shown(k)}"
        raise _error(None, "k", reason, "k")
    return number


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
        limit = f"£{MAX_AMOUNT_GBP:,.0f}"
        reason = f"must be a finite sum of pounds from 0 to {limit}, got {_shown(value)}"
        raise _error(None, "proposed", reason, "proposed")
    return number


def case_from_json(data: bytes | str, *, where: str | None) -> Case:
    """Read one case record from JSON text as a query (a file, a ``predict`` line, a body).

    The text is decoded by :func:`remedy_model.jsonio.decode` (UTF-8 with or without a
    byte-order mark, nesting and numbers bounded), must be one object, and is validated by
    :func:`make_case` (unknown keys refused).
    """
    if len(data) > MAX_RECORD_BYTES:
        reason = f"more than the {size_text(MAX_RECORD_BYTES)} limit for one case record"
        raise _error(where, None, reason, None)
    try:
        obj = decode(data)
    except JsonProblem as exc:
        raise _error(where, exc.field, exc.message, exc.field) from None
    if not isinstance(obj, dict):
        kind = {list: "an array", str: "a string"}.get(type(obj), "a single value")
        raise _error(where, None, f"expected one JSON object (a case record), got {kind}", None)
    return make_case(obj, where=where)


def read_case_file(path: Path | str) -> Case:
    """Read one case record from a JSON file (``remedy suggest --case FILE``).

    Anything but a regular file of at most :data:`~remedy_model.jsonio.MAX_RECORD_BYTES` is
    refused before it is read.
    """
    with open_regular(path, what="a JSON case file", limit=MAX_RECORD_BYTES) as handle:
        data = handle.read(MAX_RECORD_BYTES + 1)
    return case_from_json(data, where=str(path))


def read_queries(path: Path | str) -> Iterator[tuple[int, Case | InputError]]:
    """The queries of a JSON Lines file: ``(line number, Case or the line's error)``.

    Every line is yielded, a blank one as an error, so a batch answer can keep one line per
    input line; an error's message names the field but not the place. A file that is not a
    regular file, is too large or holds no non-blank line raises :class:`InputError` at once.
    """
    return ((number, query_of_line(line)) for number, line in query_lines(path))


def query_lines(path: Path | str) -> Iterator[tuple[int, bytes | None]]:
    """The raw lines of a JSON Lines file of queries (``None`` for one over the length limit),
    once the file is known to be a regular file, not too large, with a non-blank line."""
    path = Path(path)
    with open_regular(path, what="a JSON Lines file") as handle:
        if not any(line is None or line.strip() for _, line in read_lines(handle, path)):
            raise InputError(f"{path}: file is empty")
    return _raw_lines(path)


def _raw_lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    with open_regular(path, what="a JSON Lines file") as handle:
        yield from read_lines(handle, path)


def query_of_line(line: bytes | None) -> Case | InputError:
    """One line of a JSON Lines file of queries as a :class:`Case`, or its error."""
    if line is None:
        return InputError(too_long_message())
    if not line.strip():
        return InputError("empty line")
    try:
        return case_from_json(line, where=None)
    except InputError as exc:
        return exc
