"""Read and validate case files (JSON Lines), and lay cases out as a table.

A bad line is reported as ``file:line: field: problem`` and skipped; the good lines are kept.
A file that cannot be read at all, is empty, or has no valid line raises :class:`DataError`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from remedy_model.errors import DataError
from remedy_model.inflation import CpiIndex
from remedy_model.jsonio import JsonProblem, decode, open_regular, read_lines, too_long_message
from remedy_model.records import (
    TYPICAL_PURPOSES,
    Case,
    describe_validation_error,
    parse_case,
)


@dataclass(frozen=True)
class RecordError:
    """Why one line of a case file was not used."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class LoadResult:
    """The valid cases of a file, their line numbers, and the errors of the other lines."""

    cases: list[Case] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


def read_cases(path: Path | str) -> LoadResult:
    """Read a JSON Lines case file, keeping the good lines and naming the bad ones.

    Lines are decoded by :func:`remedy_model.jsonio.decode`: a line that is not UTF-8, not
    JSON, nested too deeply, too long or holding ``NaN`` is one bad line like any other. Keys
    the codebook does not know are ignored (a table may carry notes of its own).

    Parameters
    ----------
    path : path-like
        A file with one case object per line (``CODEBOOK.md``).

    Returns
    -------
    LoadResult
        Valid cases with their line numbers, and one :class:`RecordError` per bad line.

    Raises
    ------
    DataError
        When the file is missing, not a regular file, too large, empty, or has no valid line.
    """
    path = Path(path)
    result = LoadResult()
    seen_any = False
    with open_regular(path, what="a JSON Lines file", error=DataError) as handle:
        for number, line in read_lines(handle, path, error=DataError):
            if line is not None and not line.strip():
                continue
            seen_any = True
            try:
                case = _case_of_line(line)
            except JsonProblem as exc:
                result.errors.append(
                    RecordError(str(path), number, exc.field or "json", exc.message)
                )
                continue
            result.cases.append(case)
            result.lines.append(number)
    if not seen_any:
        raise DataError(f"{path}: file is empty")
    if not result.cases:
        first = result.errors[0]
        raise DataError(f"{path}: no valid case line (first problem: {first})")
    return result


def _case_of_line(line: bytes | None) -> Case:
    """One table line as a :class:`Case`; every problem is a :class:`JsonProblem`."""
    if line is None:
        raise JsonProblem(too_long_message())
    obj = decode(line)
    try:
        return parse_case(obj)
    except TypeError as exc:
        raise JsonProblem(str(exc), "record") from None
    except ValidationError as exc:
        field_name, message = describe_validation_error(exc)
        raise JsonProblem(message, field_name) from None


def load_cases(paths: Path | str | Sequence[Path | str]) -> LoadResult:
    """Read one or more case files and drop later duplicates of a ``case_ref``.

    Cases without a reference are kept, except one that repeats exactly a case of an earlier
    file (a table built with ``remedy corpus build`` holds the embedded cases, so training on
    the embedded table plus it must not count those twice). Errors of every file are collected.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    merged = LoadResult()
    seen: set[str] = set()
    seen_plain: set[str] = set()
    for path in paths:
        part = read_cases(path)
        merged.errors.extend(part.errors)
        plain: set[str] = set()
        for case, line in zip(part.cases, part.lines, strict=True):
            if case.case_ref is not None:
                if case.case_ref in seen:
                    continue
                seen.add(case.case_ref)
            else:
                key = case.model_dump_json()
                if key in seen_plain:
                    continue
                plain.add(key)
            merged.cases.append(case)
            merged.lines.append(line)
        seen_plain |= plain
    return merged


def file_sha256(path: Path | str) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_hash(paths: Iterable[Path | str]) -> str:
    """A short hash naming the exact case data a model or report was built from."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(file_sha256(path).encode())
    return digest.hexdigest()[:16]


def cases_frame(cases: Sequence[Case], cpi: CpiIndex):
    """One row per case with the facts and the sums, nominal and in today's money.

    Columns ending ``_today`` are in the CPI's latest year prices (``cpi.latest_year``);
    ``today_factor`` converts the case's money to today's. ``paid`` is True/False for cases
    with a visible remedy and NaN otherwise. ``<purpose>_gbp`` holds the symbolic sum paid for
    each purpose of :data:`~remedy_model.records.TYPICAL_PURPOSES` (NaN when the remedy is not
    visible or has no payment of that purpose).
    """
    import pandas as pd  # here, not at the top: reading cases for a query stays light

    records = [_case_row(case, cpi) for case in cases]
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    money = ["symbolic_gbp", "financial_gbp", "symbolic_today", "financial_today"]
    for col in (*money, *(f"{p}_gbp" for p in TYPICAL_PURPOSES), "today_factor"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype(float)
    frame["today_year"] = cpi.latest_year
    frame["paid"] = frame["paid"].astype(object).where(frame["symbolic_gbp"].notna(), np.nan)
    return frame


def _case_row(case: Case, cpi: CpiIndex) -> dict:
    year = case.effective_year
    factor = cpi.value(None) / cpi.value(year)
    sym = case.symbolic_total_gbp if case.remedy_visible else None
    fin = case.financial_total_gbp if case.remedy_visible else None
    purposes = {
        f"{purpose}_gbp": case.purpose_total(purpose) if case.remedy_visible else None
        for purpose in TYPICAL_PURPOSES
    }
    return {
        "case_ref": case.case_ref,
        "organisation": case.organisation,
        "org_type": case.org_type or "unknown",
        "category": case.category,
        "category_group": case.category_group,
        "subcategory": case.subcategory,
        "decision": case.decision or "unknown",
        "upheld": case.upheld,
        "year": year,
        "year_is_approx": case.year_is_approx,
        "source_kind": case.source_kind,
        "source_group": case.source_group,
        "source_doc": case.source_doc,
        "case_label": case.case_label,
        "remedy_visible": case.remedy_visible,
        "symbolic_gbp": sym,
        "financial_gbp": fin,
        "symbolic_today": None if sym is None else sym * factor,
        "financial_today": None if fin is None else fin * factor,
        "today_factor": factor,
        "paid": None if sym is None else sym > 0,
        **purposes,
        "duration_months": case.duration_months,
        "fault_types": list(case.fault_types),
        "vulnerable": list(case.vulnerable),
        "carer_impact": case.carer_impact,
        "respite_lost": case.respite_lost,
        "respite_lost_weeks": case.respite_lost_weeks,
        "person_died": case.person_died,
        "url": case.url,
        "summary": case.summary,
    }


def case_groups(cases: Sequence[Case]) -> list[str]:
    """A group key per case for cross-validation: one complaint is one group.

    References that differ only by a trailing letter ("20 011 594a", "20 011 594b") are one
    complaint against several bodies; cases without a reference are their own group.

    >>> case_groups([Case(case_ref="20 011 594a"), Case(case_ref="20 011 594b"), Case()])
    ['20 011 594', '20 011 594', 'row-2']
    """
    return [
        case.case_ref.rstrip("abcdefghijklmnopqrstuvwxyz") if case.case_ref else f"row-{i}"
        for i, case in enumerate(cases)
    ]
