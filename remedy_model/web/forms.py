"""The case form: its fields, reading a submission into a query, and errors beside each field.

A submission is read in two steps. :func:`read_form` turns the browser's strings into typed
values (a number box holding "abc" is an error of that box); :func:`to_query` then hands the
values to :func:`remedy_model.api.make_case`, whose :class:`~remedy_model.errors.InputError`
names the field, so the page can show the message beside it. The page judges nothing itself:
what counts as a valid case is the codebook's (``Case``) rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from remedy_model import api
from remedy_model.errors import InputError
from remedy_model.query import proposed_sum
from remedy_model.records import (
    DECISIONS,
    FAULT_TYPES,
    MAX_AMOUNT_GBP,
    ORG_TYPES,
    VULNERABLE_GROUPS,
)

CASE_FIELDS = (
    "category",
    "org_type",
    "decision",
    "fault_types",
    "duration_months",
    "carer_impact",
    "respite_lost",
    "respite_lost_weeks",
    "vulnerable",
    "person_died",
    "year",
)
"""The codebook fields the form asks for, in the order shown (the facts of ``FACT_FIELDS``
but the decision date, which the year stands for)."""

LIST_FIELDS = ("fault_types", "vulnerable")
YES_NO_FIELDS = ("carer_impact", "respite_lost", "person_died")
NUMBER_FIELDS = {"duration_months": "months", "respite_lost_weeks": "weeks"}
K_CHOICES = (5, 10, 15, 20)
"""How many precedents the form offers to show."""

LABELS = {
    "category": "Category",
    "org_type": "Organisation type",
    "decision": "Decision",
    "fault_types": "Fault types",
    "duration_months": "Duration of the failure (months)",
    "carer_impact": "An unpaid carer was affected",
    "respite_lost": "Respite that was due was lost",
    "respite_lost_weeks": "Weeks of respite lost",
    "vulnerable": "Vulnerable groups",
    "person_died": "The cared-for person died",
    "year": "Decision year",
    "proposed": "Proposed symbolic sum (£)",
    "k": "Precedents to show",
}
"""Field labels, shared by the form and the messages about it."""

_MONEY_NOISE = re.compile(r"[£,\s]")


def words(value: str) -> str:
    """A codebook code as words for an option label.

    >>> words("respite_not_provided")
    'respite not provided'
    """
    return value.replace("_", " ")


OPTIONS: dict[str, list[tuple[str, str]]] = {
    "org_type": [(v, words(v)) for v in ORG_TYPES],
    "decision": [(v, words(v)) for v in DECISIONS],
    "fault_types": [(v, words(v)) for v in FAULT_TYPES],
    "vulnerable": [(v, words(v)) for v in VULNERABLE_GROUPS],
}
"""(code, label) choices of the fields with a fixed vocabulary."""


@dataclass
class CaseForm:
    """One submission: what was typed (to show again), the query fields, and any errors.

    Attributes
    ----------
    values : dict
        The submitted strings (lists for the multi-selects), to fill the form again.
    fields : dict
        Typed codebook fields for :func:`remedy_model.api.make_case`.
    proposed : float or None
        The proposed sum, in the money of the case's year.
    k : int
        Number of precedents to show.
    errors : dict
        Field name -> message, shown beside the field; ``"form"`` for the whole form.
    """

    values: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    proposed: float | None = None
    k: int = K_CHOICES[0]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class MultiMapping:
    """What :func:`read_form` needs of a submission: ``get`` and ``getlist``.

    Starlette's query parameters and form data have both; this wraps a plain dict for tests.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def get(self, key: str, default: Any = None) -> Any:
        value = self._data.get(key, default)
        return value[0] if isinstance(value, list) and value else value

    def getlist(self, key: str) -> list[Any]:
        value = self._data.get(key)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]


def empty_values() -> dict[str, Any]:
    """The values of a blank form."""
    values: dict[str, Any] = {name: "" for name in (*CASE_FIELDS, "proposed")}
    values.update({name: [] for name in LIST_FIELDS})
    values["k"] = str(K_CHOICES[0])
    return values


def _text(submitted, name: str) -> str:
    value = submitted.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(text: str) -> float:
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(text)
    return number


def read_form(submitted) -> CaseForm:
    """Read a submission (anything with ``get`` and ``getlist``) into a :class:`CaseForm`.

    Blank boxes mean "not known". Only the shape of each value is checked here (a number box
    holds a number); whether the case makes sense is left to :func:`to_query`.

    >>> form = read_form(MultiMapping({"fault_types": ["care_plan"], "duration_months": "six"}))
    >>> form.fields["fault_types"], form.errors
    (['care_plan'], {'duration_months': 'enter a number of months, e.g. 6'})
    """
    form = CaseForm(values=empty_values())
    for name in ("category", "org_type", "decision"):
        text = _text(submitted, name)
        form.values[name] = text
        form.fields[name] = text or None
    for name in LIST_FIELDS:
        chosen = [v.strip() for v in submitted.getlist(name) if isinstance(v, str) and v.strip()]
        form.values[name] = chosen
        form.fields[name] = chosen
    for name in YES_NO_FIELDS:
        text = _text(submitted, name).lower()
        form.values[name] = text
        if text in ("", "unknown"):
            form.fields[name] = None
        elif text in ("yes", "no"):
            form.fields[name] = text == "yes"
        else:
            form.errors[name] = "choose yes, no or not known"
    for name, unit in NUMBER_FIELDS.items():
        text = _text(submitted, name)
        form.values[name] = text
        try:
            form.fields[name] = _number(text) if text else None
        except ValueError:
            form.errors[name] = f"enter a number of {unit}, e.g. 6"
    year = _text(submitted, "year")
    form.values["year"] = year
    try:
        form.fields["year"] = int(year) if year else None
    except ValueError:
        form.errors["year"] = "enter a year as four digits, e.g. 2024"
    proposed = _text(submitted, "proposed")
    form.values["proposed"] = proposed
    if proposed:
        try:
            form.proposed = proposed_sum(_number(_MONEY_NOISE.sub("", proposed)))
        except ValueError:
            form.errors["proposed"] = (
                f"enter a sum in pounds from 0 to {MAX_AMOUNT_GBP:,.0f}, e.g. 500"
            )
    k = _text(submitted, "k") or str(K_CHOICES[0])
    form.values["k"] = k
    if k in {str(choice) for choice in K_CHOICES}:
        form.k = int(k)
    else:
        form.errors["k"] = f"choose one of {', '.join(map(str, K_CHOICES))}"
    return form


def field_of(error: InputError) -> tuple[str, str]:
    """The form field an :class:`InputError` is about and the message to show beside it;
    ``"form"`` and the whole message when it names no field.

    >>> field_of(InputError("query: fault_types.1: bad", field="fault_types.1", reason="bad"))
    ('fault_types', 'bad')
    >>> field_of(InputError("the model is busy"))
    ('form', 'the model is busy')
    """
    if error.field:
        return error.field.partition(".")[0], error.reason
    return "form", str(error)


def to_query(form: CaseForm):
    """The :class:`~remedy_model.records.Case` of the form, or ``None`` if anything is wrong.

    Problems found by the codebook's validation are added to ``form.errors`` beside the
    fields they name. The API reports one problem at a time, so a refused field is left out
    and the rest checked again: every wrong field gets its message in one round.

    >>> form = read_form(MultiMapping({"duration_months": "-2", "year": "1990"}))
    >>> to_query(form) is None, sorted(form.errors)
    (True, ['duration_months', 'year'])
    """
    fields = {k: v for k, v in form.fields.items() if k not in form.errors}
    for _ in range(len(fields) + 1):
        try:
            case = api.make_case(fields, where="query")
        except InputError as exc:
            name, message = field_of(exc)
            if name in LABELS:
                form.errors.setdefault(name, message)
            else:
                form.errors.setdefault("form", f"{name}: {message}")
            if name not in fields:
                return None
            del fields[name]
        else:
            return case if form.ok else None
    return None


def values_from_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Form values prefilled from a case record in the codebook's form (e.g. from ingest).

    A draft's stated symbolic sum becomes the proposed sum to check. Fields the form does not
    ask for are ignored; an unknown value is shown as it is, so the investigator sees it and
    the validation message when the form is sent.

    >>> v = values_from_record({"carer_impact": True, "duration_months": 6.0, "year": 2024})
    >>> v["carer_impact"], v["duration_months"], v["year"]
    ('yes', '6', '2024')
    """
    values = empty_values()
    proposed = record.get("symbolic_total_gbp")
    if record.get("remedy_visible") and isinstance(proposed, (int, float)) and proposed > 0:
        values["proposed"] = f"{proposed:g}"
    for name in CASE_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        if name in LIST_FIELDS:
            values[name] = [str(v) for v in _as_list(value)]
        elif name in YES_NO_FIELDS:
            values[name] = "yes" if value is True else "no" if value is False else str(value)
        elif isinstance(value, float) and value.is_integer():
            values[name] = str(int(value))
        else:
            values[name] = str(value)
    return values


def _as_list(value: Any) -> Iterable[Any]:
    return value if isinstance(value, (list, tuple)) else [value]
