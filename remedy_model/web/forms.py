"""The case form: its fields, reading a submission into a query, and errors beside each field.

The fields are the facts of the :class:`~remedy_model.records.Case` record
(``FACT_FIELDS`` but the decision date, which the year stands for), and how each is asked
follows from its type there: a list of codes is a set of checkboxes, a yes / no fact a select
with "not known", a code a select of its vocabulary, a number a text box. A new fact in the
record appears in the form without a change here.

A submission is read in two steps. :func:`read_form` turns the browser's strings into typed
values (a number box holding "abc" is an error of that box); :func:`to_query` then hands the
values to :func:`remedy_model.api.make_case`, whose :class:`~remedy_model.errors.InputError`
names the field, so the page can show the message beside it. The page judges nothing itself:
what counts as a valid case is the codebook's (``Case``) rule.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

from remedy_model import api
from remedy_model.style import words

CASE_FIELDS: tuple[str, ...] = tuple(f for f in api.FACT_FIELDS if f != "decision_date")
"""The codebook fields the form asks for, in the record's order of facts."""


def _kind(name: str) -> tuple[str, tuple[str, ...]]:
    """How a field is asked, from its type in ``Case``: the kind and, for codes, the choices.

    >>> _kind("fault_types")[0], _kind("carer_impact"), _kind("year"), _kind("category")
    ('choices', ('yes_no', ()), ('year', ()), ('text', ()))
    """
    annotation = api.Case.model_fields[name].annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = args[0]
    origin = typing.get_origin(annotation)
    if origin is list:
        return "choices", typing.get_args(typing.get_args(annotation)[0])
    if origin is Literal:
        return "select", typing.get_args(annotation)
    if annotation is bool:
        return "yes_no", ()
    if annotation is int:
        return "year", ()
    return ("number", ()) if annotation is float else ("text", ())


FIELD_KINDS = {name: _kind(name)[0] for name in CASE_FIELDS}
"""Field -> ``choices``, ``select``, ``yes_no``, ``number``, ``year`` or ``text``."""
OPTIONS: dict[str, list[tuple[str, str]]] = {
    name: [(code, words(code)) for code in _kind(name)[1]] for name in CASE_FIELDS if _kind(name)[1]
}
"""(code, label) choices of the fields with a fixed vocabulary."""
LIST_FIELDS = tuple(n for n, k in FIELD_KINDS.items() if k == "choices")
YES_NO_FIELDS = tuple(n for n, k in FIELD_KINDS.items() if k == "yes_no")
NUMBER_FIELDS = {
    n: n.rpartition("_")[2] if n.endswith(("_months", "_weeks")) else "units"
    for n, k in FIELD_KINDS.items()
    if k == "number"
}
"""Number fields and their unit, from the field's name."""
K_CHOICES = (5, 10, 15, 20)
"""How many precedents the form offers to show."""

LABELS = {
    "category": "Category",
    "org_type": "Body type",
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
    "document": "Draft decision",
}
"""Field labels, shared by the form and the messages about it (a field missing here is
labelled by its name in words)."""
HINTS = {
    "category": "As the Ombudsman files it; a group alone when the subcategory is not known.",
    "year": "Sums are shown in this year's money and today's.",
    "duration_months": "How long the failure lasted.",
    "fault_types": "Tick every fault found.",
    "respite_lost_weeks": "If respite was lost.",
    "vulnerable": "Tick any that apply to the person affected.",
    "proposed": "A symbolic sum you propose, in pounds of the decision year.",
}
FIELDSETS = (
    ("The case", ("category", "org_type", "decision", "year", "duration_months", "fault_types")),
    ("Who was affected",
     ("carer_impact", "respite_lost", "respite_lost_weeks", "person_died", "vulnerable")),
)  # fmt: skip
"""How the form groups the fields; a fact not placed here goes under "Other facts"."""

_MONEY_NOISE = re.compile(r"[£,\s]")


def label(name: str) -> str:
    """A field's label on the form.

    >>> label("org_type"), label("service_improvements")
    ('Body type', 'Service improvements')
    """
    return LABELS.get(name) or words(name).capitalize()


def fieldsets() -> list[tuple[str, list[str]]]:
    """The form's groups of fields, every field of :data:`CASE_FIELDS` in one of them."""
    placed = {name for _, names in FIELDSETS for name in names}
    groups = [(title, [n for n in names if n in FIELD_KINDS]) for title, names in FIELDSETS]
    rest = [n for n in CASE_FIELDS if n not in placed]
    return groups + ([("Other facts", rest)] if rest else [])


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
    for name, kind in FIELD_KINDS.items():
        if kind == "choices":
            chosen = [v.strip() for v in submitted.getlist(name) if isinstance(v, str)]
            form.values[name] = form.fields[name] = [v for v in chosen if v]
        else:
            text = _text(submitted, name)
            form.values[name] = text.lower() if kind == "yes_no" else text
            _READERS[kind](form, name, form.values[name])
    _read_proposed(form, _text(submitted, "proposed"))
    k = _text(submitted, "k") or str(K_CHOICES[0])
    form.values["k"] = k
    if k in {str(choice) for choice in K_CHOICES}:
        form.k = int(k)
    else:
        form.errors["k"] = f"choose one of {', '.join(map(str, K_CHOICES))}"
    return form


def _read_text(form: CaseForm, name: str, text: str) -> None:
    form.fields[name] = text or None


def _read_yes_no(form: CaseForm, name: str, text: str) -> None:
    if text in ("", "unknown"):
        form.fields[name] = None
    elif text in ("yes", "no"):
        form.fields[name] = text == "yes"
    else:
        form.errors[name] = "choose yes, no or not known"


def _read_number(form: CaseForm, name: str, text: str) -> None:
    try:
        form.fields[name] = _number(text) if text else None
    except ValueError:
        form.errors[name] = f"enter a number of {NUMBER_FIELDS.get(name, 'units')}, e.g. 6"


def _read_year(form: CaseForm, name: str, text: str) -> None:
    try:
        form.fields[name] = int(text) if text else None
    except ValueError:
        form.errors[name] = "enter a year as four digits, e.g. 2024"


_READERS = {
    "text": _read_text,
    "select": _read_text,
    "yes_no": _read_yes_no,
    "number": _read_number,
    "year": _read_year,
}


def _read_proposed(form: CaseForm, text: str) -> None:
    form.values["proposed"] = text
    if not text:
        return
    try:
        form.proposed = api.proposed_sum(_number(_MONEY_NOISE.sub("", text)))
    except ValueError:
        form.errors["proposed"] = (
            f"enter a sum in pounds from 0 to {api.MAX_AMOUNT_GBP:,.0f}, e.g. 500"
        )


def field_of(error: Exception) -> tuple[str, str]:
    """The form field an :class:`InputError` is about and the message to show beside it;
    ``"form"`` and the whole message when it names no field.

    >>> field_of(api.InputError("query: fault_types.1: bad", field="fault_types.1", reason="bad"))
    ('fault_types', 'bad')
    >>> field_of(api.InputError("the model is busy"))
    ('form', 'the model is busy')
    """
    name = getattr(error, "field", None)
    if name:
        return name.partition(".")[0], error.reason
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
        except api.InputError as exc:
            name, message = field_of(exc)
            if name in FIELD_KINDS or name in LABELS:
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
    """Form values prefilled from a case record in the codebook's form (e.g. the demo case).

    Fields the form does not ask for are ignored; an unknown value is shown as it is, so the
    investigator sees it and the validation message when the form is sent.

    >>> v = values_from_record({"carer_impact": True, "duration_months": 6.0, "year": 2024})
    >>> v["carer_impact"], v["duration_months"], v["year"]
    ('yes', '6', '2024')
    """
    values = empty_values()
    for name, kind in FIELD_KINDS.items():
        value = record.get(name)
        if value is None:
            continue
        if kind == "choices":
            values[name] = [str(v) for v in _as_list(value)]
        elif kind == "yes_no":
            values[name] = "yes" if value is True else "no" if value is False else str(value)
        elif isinstance(value, float) and value.is_integer():
            values[name] = str(int(value))
        else:
            values[name] = str(value)
    return values


def _as_list(value: Any) -> Iterable[Any]:
    return value if isinstance(value, (list, tuple)) else [value]


def example_query() -> str:
    """The query string that fills the form with the demo case and its proposed sum."""
    values = {**values_from_record(api.DEMO_CASE), "proposed": f"{api.DEMO_PROPOSED:g}"}
    return urlencode({k: v for k, v in values.items() if v not in ("", [])}, doseq=True)


def category_choices(known: Iterable[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The category select's groups: each group with itself ("any subcategory") first, then
    its subcategories as the table knows them.

    >>> category_choices(["Education > School transport", "Education > Special needs"])
    [('Education', [('Education', 'Education (subcategory not known)'), \
('Education > School transport', 'School transport'), \
('Education > Special needs', 'Special needs')])]
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(known):
        group, _, rest = (part.strip() for part in path.partition(">"))
        options = groups.setdefault(group, [(group, f"{group} (subcategory not known)")])
        if rest:
            options.append((path, rest))
    return list(groups.items())
