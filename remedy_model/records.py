"""The typed case record and the codebook's vocabularies.

Every case enters the package through :class:`Case`, so malformed values are caught once, at the
boundary, with the field named. Inside the package a ``Case`` is trusted.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from remedy_model.config import EARLIEST_YEAR

OrgType = Literal[
    "county",
    "unitary",
    "metropolitan",
    "london_borough",
    "district",
    "care_provider",
    "nhs_joint",
    "other",
]
Decision = Literal[
    "upheld", "not_upheld", "closed_after_initial_enquiries", "report_upheld", "other"
]
SourceKind = Literal[
    "lgo_decision_page",
    "lgo_report_chapter",
    "newsletter",
    "news_article",
    "advocacy_site",
    "other",
    "seed_document",
    "ingested",
]
Recipient = Literal[
    "complainant", "cared_for_person", "carer", "parent", "child", "estate", "family", "other"
]
Purpose = Literal[
    "distress",
    "time_and_trouble",
    "loss_of_service",
    "carer_strain",
    "lost_respite",
    "lost_education",
    "refund",
    "financial_loss",
    "waived_charge",
    "backdated_support",
    "other",
]
FaultType = Literal[
    "assessment_delay",
    "assessment_flawed",
    "care_not_provided",
    "care_quality",
    "care_plan",
    "respite_not_provided",
    "carer_assessment",
    "direct_payments",
    "charging",
    "safeguarding",
    "hospital_discharge",
    "transition",
    "mental_capacity_dols",
    "communication",
    "complaint_handling",
    "record_keeping",
    "sen_ehcp",
    "education_provision",
    "placement_residential",
    "continuing_healthcare",
    "housing_adaptations",
    "other",
]
Vulnerable = Literal[
    "child",
    "learning_disability",
    "dementia",
    "physical_disability",
    "mental_health",
    "end_of_life",
    "older_person",
    "autism",
]

UPHELD_DECISIONS = ("upheld", "report_upheld")
"""Decisions that found fault causing injustice: the cases a remedy is compared among."""

SOURCE_GROUPS: dict[str | None, str] = {
    "lgo_decision_page": "decision",
    "ingested": "decision",
    None: "decision",
    "lgo_report_chapter": "report",
    "seed_document": "report",
    "news_article": "press",
    "newsletter": "press",
    "advocacy_site": "press",
    "other": "press",
}
"""Where a case's facts come from, in three groups. Sums known from press reports run higher
than those on the Ombudsman's pages (newsworthy cases). A query has no source: it counts as a
decision."""
SOURCE_WORDS = {
    "lgo_decision_page": "decision page",
    "lgo_report_chapter": "Ombudsman report",
    "newsletter": "newsletter",
    "news_article": "news report",
    "advocacy_site": "advocacy site",
    "other": "other source",
    "seed_document": "seed document",
    "ingested": "ingested page",
}
"""Each source kind in words, to say where a case without a reference came from."""
PRESS_SOURCES = tuple(kind for kind, group in SOURCE_GROUPS.items() if group == "press")
"""Source kinds that report on a decision rather than being the Ombudsman's own text."""

RATE_PURPOSES = {
    "loss_of_service": "lost care",
    "lost_respite": "lost respite",
    "lost_education": "lost education",
}
"""Symbolic purposes paid per month of a lost service, with their plain names."""
TYPICAL_PURPOSES = {
    "distress": "distress",
    "time_and_trouble": "time and trouble",
    "loss_of_service": "loss of service",
    "carer_strain": "carer strain",
    "lost_respite": "lost respite",
    "lost_education": "lost education",
}
"""Symbolic purposes whose typical sums are shown beside a suggestion, with plain names."""

ORG_TYPES: tuple[str, ...] = get_args(OrgType)
DECISIONS: tuple[str, ...] = get_args(Decision)
RECIPIENTS: tuple[str, ...] = get_args(Recipient)
PURPOSES: tuple[str, ...] = get_args(Purpose)
FAULT_TYPES: tuple[str, ...] = get_args(FaultType)
VULNERABLE_GROUPS: tuple[str, ...] = get_args(Vulnerable)

CASE_REF_PATTERN = r"^\d{2} \d{3} \d{3}[a-z]?$"
FACT_FIELDS = (
    "category",
    "org_type",
    "decision",
    "year",
    "decision_date",
    "duration_months",
    "fault_types",
    "carer_impact",
    "respite_lost",
    "respite_lost_weeks",
    "vulnerable",
    "person_died",
)
"""The fields that describe what happened (the model's inputs), as opposed to the remedy."""
MAX_DURATION_MONTHS = 600.0
MAX_AMOUNT_GBP = 10_000_000.0


def today() -> dt.date:
    """Today's date, looked up at most once a minute (a batch validates thousands of records).

    >>> today() == dt.date.today()
    True
    """
    return _date_in_minute(int(time.time() // 60))


@functools.lru_cache(maxsize=1)
def _date_in_minute(minute: int) -> dt.date:
    return dt.date.today()


def current_year() -> int:
    """The calendar year today; a decision cannot be dated later."""
    return today().year


class Payment(BaseModel):
    """One stated sum of money in a remedy."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    amount_gbp: float = Field(ge=0, le=MAX_AMOUNT_GBP)
    recipient: Recipient | None = None
    purpose: Purpose | None = None
    symbolic: bool
    per_period: str | None = None
    basis: str | None = None


class Case(BaseModel):
    """One Ombudsman case as the codebook defines it.

    Target fields (payments, totals, ``remedy_visible``) may be absent: a query or a batch input
    line describes the facts only. Unknown facts are ``None`` and become missing-value features.

    Examples
    --------
    >>> Case(fault_types=["care_plan"], duration_months=6, year=2023).category_group
    'unknown'
    >>> Case(category="Education > Special educational needs").category_group
    'Education'
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    case_ref: str | None = Field(default=None, pattern=CASE_REF_PATTERN)
    organisation: str | None = None
    org_type: OrgType | None = None
    category: str | None = None
    decision: Decision | None = None
    decision_date: dt.date | None = None
    year: int | None = None
    year_is_approx: bool = False
    url: str | None = None
    source_kind: SourceKind | None = None
    source_doc: str | None = None
    case_label: str | None = None
    payments: list[Payment] = Field(default_factory=list)
    symbolic_total_gbp: float | None = Field(default=None, ge=0, le=MAX_AMOUNT_GBP)
    financial_total_gbp: float | None = Field(default=None, ge=0, le=MAX_AMOUNT_GBP)
    remedy_visible: bool = False
    duration_months: float | None = Field(default=None, ge=0, le=MAX_DURATION_MONTHS)
    fault_types: list[FaultType] = Field(default_factory=list)
    carer_impact: bool | None = None
    respite_lost: bool | None = None
    respite_lost_weeks: float | None = Field(default=None, ge=0, le=520)
    vulnerable: list[Vulnerable] = Field(default_factory=list)
    person_died: bool | None = None
    service_improvements: bool | None = None
    summary: str | None = None
    notes: str | None = None
    provenance: dict[str, Any] | None = None

    @field_validator("fault_types", "vulnerable", "payments", mode="before")
    @classmethod
    def _null_list_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value

    @field_validator("fault_types", "vulnerable")
    @classmethod
    def _dedupe(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_validator("year")
    @classmethod
    def _year_in_range(cls, value: int | None) -> int | None:
        if value is None:
            return value
        latest = current_year()
        if not EARLIEST_YEAR <= value <= latest:
            raise ValueError(f"year {value} is outside {EARLIEST_YEAR}-{latest}")
        return value

    @model_validator(mode="after")
    def _date_matches_year(self) -> Case:
        if self.decision_date is not None and self.decision_date > today():
            raise ValueError(f"decision_date {self.decision_date} is in the future")
        return self

    @property
    def category_group(self) -> str:
        """The first level of the category ('Education', 'Adult care services', ...)."""
        return category_group(self.category)

    @property
    def subcategory(self) -> str:
        """The category path normalised ('Education > Special educational needs'), or
        ``'unknown'``; a category given without a second level counts as its group's 'Other'."""
        return subcategory(self.category)

    @property
    def has_target(self) -> bool:
        """True when the remedy is visible, so the case can train the payment model."""
        return self.remedy_visible and self.symbolic_total_gbp is not None

    @property
    def recipients(self) -> list[str]:
        """Distinct recipients of symbolic payments, in order of first mention."""
        return list(dict.fromkeys(p.recipient or "other" for p in self.payments if p.symbolic))

    @property
    def upheld(self) -> bool:
        """True when fault causing injustice was found (:data:`UPHELD_DECISIONS`)."""
        return self.decision in UPHELD_DECISIONS

    @property
    def source_group(self) -> str:
        """'decision', 'report' or 'press' (:data:`SOURCE_GROUPS`)."""
        return SOURCE_GROUPS.get(self.source_kind, "press")

    def purpose_total(self, purpose: str) -> float | None:
        """Total of the symbolic payments for ``purpose``; ``None`` when there is none.

        >>> pay = [Payment(amount_gbp=300, purpose="lost_respite", symbolic=True)] * 2
        >>> Case(payments=pay).purpose_total("lost_respite"), Case().purpose_total("distress")
        (600.0, None)
        """
        amounts = [p.amount_gbp for p in self.payments if p.symbolic and p.purpose == purpose]
        return float(sum(amounts)) if amounts else None

    def facts(self) -> dict[str, Any]:
        """The :data:`FACT_FIELDS` of this case: what a query built from it may say."""
        return {name: getattr(self, name) for name in FACT_FIELDS}

    @property
    def effective_year(self) -> int | None:
        """The decision year, from the date when the year field is absent."""
        if self.year is not None:
            return self.year
        return self.decision_date.year if self.decision_date else None


def category_group(category: str | None) -> str:
    """Return the first level of a category path, or ``'unknown'``.

    >>> category_group("Adult care services > Charging")
    'Adult care services'
    >>> category_group(None)
    'unknown'
    """
    if not category or not category.strip():
        return "unknown"
    return category.split(">")[0].strip()


SUBCATEGORY_SPELLINGS = {
    "transition from children's services": "Transition from childrens services",
}
"""Second levels the sources spell two ways, lower-cased, to the spelling of the Ombudsman's
site, so each subcategory's sums are one group rather than two."""


def subcategory(category: str | None) -> str:
    """The first two levels of a category path, spaced and spelled as the Ombudsman writes them.

    >>> subcategory("Education >Special educational needs"), subcategory("Health")
    ('Education > Special educational needs', 'Health > Other')
    >>> subcategory("Adult care services > Transition from children's services")
    'Adult care services > Transition from childrens services'
    >>> subcategory(None)
    'unknown'
    """
    group = category_group(category)
    if group == "unknown":
        return group
    parts = [part.strip() for part in str(category).split(">")]
    second = parts[1] if len(parts) > 1 and parts[1] else "Other"
    return f"{group} > {SUBCATEGORY_SPELLINGS.get(second.lower(), second)}"


def describe_validation_error(exc: ValidationError) -> tuple[str, str]:
    """Return (field, message) for the first problem in a pydantic error, in plain words."""
    first = exc.errors()[0]
    loc = ".".join(str(part) for part in first.get("loc", ())) or "record"
    msg = first.get("msg", "invalid value").removeprefix("Value error, ")
    value = first.get("input")
    if first.get("type") == "literal_error" and value is not None:
        msg = f"unknown value {value!r}; {msg.lower()}"
    elif first.get("type") == "missing":
        msg = "required field is missing"
    return loc, msg


def parse_case(obj: object) -> Case:
    """Validate one decoded JSON value as a :class:`Case` (raises ``ValidationError``)."""
    if not isinstance(obj, dict):
        raise TypeError(f"expected a JSON object, got {type(obj).__name__}")
    return Case.model_validate(obj)
