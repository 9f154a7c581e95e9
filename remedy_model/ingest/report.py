"""Reports about one Ombudsman case: a council committee report on an Ombudsman report.

Such a report has no decision header. It names the Ombudsman, the committee, the findings and
the remedy, often twice (the actions taken and a financial section); it gives one record with
``decision`` "report_upheld" (the Ombudsman issued a public report finding fault). The year is
the report's own date (its first full date), else the latest year the text mentions.
"""

from __future__ import annotations

import re

from remedy_model.ingest import lexicon
from remedy_model.ingest.facts import evidence, extract_facts
from remedy_model.ingest.layout import Doc
from remedy_model.ingest.statement import (
    OMBUDSMAN,
    first_organisation,
    guessed_evidence,
    parse_date,
)
from remedy_model.records import current_year

COMMITTEE = re.compile(
    r"\breport\s+to\s*:|\bcommittee\b|\bagenda\s+item\b|\bcabinet\s+member\b|"
    r"\bmonitoring\s+officer\b|\bsection\s+31\b|\bcouncillors?\s+(?:are|is)\s+asked\b|"
    r"\bthe\s+(?:committee|cabinet|council)\s+is\s+(?:asked|recommended)\b"
)
OMBUDSMAN_REPORT = re.compile(
    r"ombudsman(?:'s)?\s+(?:\w+\s+){0,3}(?:report|findings|decision|investigation)|"
    r"report\s+(?:\w+\s+){0,4}ombudsman|\blgo\s+report|\bpublic\s+report"
)
_FULL_DATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\s+(?:19|20)\d\d\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def is_report(doc: Doc) -> bool:
    """True for a committee (or similar) report about an Ombudsman report or decision."""
    head = doc.low[:6000]
    return bool(
        OMBUDSMAN.search(doc.low) and COMMITTEE.search(head) and OMBUDSMAN_REPORT.search(doc.low)
    )


def report_year(doc: Doc) -> tuple[int, bool, tuple[int, int]] | None:
    """(year, is_approx, span): the report's date, else the latest year mentioned."""
    m = _FULL_DATE.search(doc.low, 0, min(len(doc.low), 3000))
    if m:
        date = parse_date(doc.text[m.start() : m.end()])
        if date:
            return date.year, False, (m.start(), m.end())
    return latest_year(doc)


def latest_year(doc: Doc) -> tuple[int, bool, tuple[int, int]] | None:
    """The latest plausible year the text mentions, as an approximate decision year."""
    best = None
    for m in _YEAR.finditer(doc.low):
        year = int(m.group(0))
        if 2000 <= year <= current_year() and (best is None or year > best[0]):
            best = (year, True, (m.start(), m.end()))
    return best


def extract_report(doc: Doc) -> tuple[dict, dict]:
    """All codebook fields of a committee report about one case, and their provenance."""
    fields: dict[str, object] = {"case_ref": None, "decision": "report_upheld"}
    prov: dict[str, dict] = {}
    m = OMBUDSMAN_REPORT.search(doc.low)
    if m:
        prov["decision"] = evidence(doc, m.start(), m.end())
    org = first_organisation(doc)
    fields["organisation"] = org[0] if org else None
    if org:
        prov["organisation"] = evidence(doc, org[1], org[2])
    fields["org_type"] = lexicon.org_type_of(fields["organisation"])  # type: ignore[arg-type]
    if fields["org_type"] is None and re.search(r"\blondon\s+borough\b", doc.low):
        fields["org_type"] = "london_borough"
    guess = lexicon.guess_category(doc.low)
    fields["category"] = guess[0] if guess else None
    if guess:
        prov["category"] = guessed_evidence(doc, guess[1].start(), guess[1].end())
    fields["decision_date"] = None
    year = report_year(doc)
    if year:
        fields["year"], fields["year_is_approx"] = year[0], year[1]
        prov["year"] = (guessed_evidence if year[1] else evidence)(doc, *year[2])
    facts = extract_facts(
        doc, (0, len(doc.text)), default_recipient="complainant", whole_upheld=True
    )
    fields.update(facts.fields)
    prov.update(facts.provenance)
    return fields, prov
