"""Reviews with several case studies: one record per case study, labelled by its name.

A case study starts at a heading that names it: "Ben's story", "Case study 3: Ben",
"Case study: Ben". It runs to the next case study or to the next "Case studies" banner, or,
after its last known sub-heading (Background, What we found, Our recommendations, ...), to the
first other heading (the review's general text resumes there). The short summary just before
the heading (the banner's strap line) belongs to it.

Joint reviews by the local government and the health service ombudsmen give ``org_type``
"nhs_joint" and category "Health and social care joint". A review has no decision dates: the
year is the latest the review mentions, marked approximate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from remedy_model.ingest.facts import evidence, extract_facts
from remedy_model.ingest.layout import Doc, Span
from remedy_model.ingest.report import latest_year
from remedy_model.ingest.statement import OMBUDSMAN, guessed_evidence

STORY_HEADING = re.compile(
    r"^[ \t]*(?:(?P<name>[A-Z][\w-]+(?:\s+(?:and|&)\s+[A-Z][\w-]+)?)['\u2019]s?\s+(?:story|case)"
    r"|[Cc]ase\s+[Ss]tudy\s*(?:\d{1,2}|[A-Z])?\s*[:.\-\u2013\u2014]\s*(?P<name2>[A-Z][\w-]+"
    r"(?:\s+(?:and|&)\s+[A-Z][\w-]+)?))[ \t]*$",
    re.MULTILINE,
)
BANNER = re.compile(r"^[ \t]*case\s+studies[ \t]*$", re.MULTILINE | re.IGNORECASE)
SUBHEADING = re.compile(
    r"^(?:background|which\s+organisations?\s+we\s+investigated|what\s+we\s+found|"
    r"(?:our\s+)?recommendations?|what\s+happened|outcome|remedy|the\s+complaint|findings?|"
    r"what\s+we\s+did|the\s+(?:council|trust)'?s?\s+response|what\s+we\s+recommended)$"
)
RECOMMENDATION = re.compile(r"^(?:our\s+)?recommendations?$|^remedy$|^what\s+we\s+recommended$")
JOINT = re.compile(
    r"parliamentary\s+and\s+health\s+service\s+ombudsman|\bphso\b|joint\s+working|"
    r"health\s+and\s+social\s+care\s+ombudsman"
)
NOT_UPHELD = re.compile(
    r"\bno\s+fault\b|\bno\s+evidence\b|\bgood\s+joint\s+working|\beffective\s+joint\s+working|"
    r"\bworked\s+(?:well|jointly)|\bdid\s+not\s+find\s+fault|\bproper\s+arrangements"
)
UPHELD = re.compile(
    r"\bwe\s+(?:also\s+)?(?:recommended|asked)\b|\bfault\s+by\b|\bfailed\b|\bfailure\b|"
    r"\bshould\s+(?:also\s+)?have\b|\bapologi[sz]e\b"
)


@dataclass(frozen=True)
class CaseStudy:
    """One case study: its label and its span (including the strap line before it)."""

    label: str
    start: int
    heading: Span
    end: int


def case_studies(doc: Doc) -> list[CaseStudy]:
    """The case studies of a review, in order."""
    heads = [
        (m.start(), m.end(), (m["name"] or m["name2"]).strip())
        for m in STORY_HEADING.finditer(doc.text)
    ]
    if not heads:
        return []
    banners = [m.start() for m in BANNER.finditer(doc.text)]
    out: list[CaseStudy] = []
    for i, (hs, he, label) in enumerate(heads):
        limit = heads[i + 1][0] if i + 1 < len(heads) else len(doc.text)
        prev_end = out[-1].end if out else 0
        before = [b for b in banners if prev_end <= b < hs]
        start = before[-1] if before else hs
        end = min([b for b in banners if he < b < limit], default=limit)
        end = _end_after_subheadings(doc, he, end)
        out.append(CaseStudy(label, start, (hs, he), end))
    # A later case's strap line may not start before the previous case's end.
    return out


def _end_after_subheadings(doc: Doc, start: int, end: int) -> int:
    """Cut a case study at the first unknown heading after its last known sub-heading."""
    seen_known = False
    for hs, he in doc.headings:
        if hs < start or hs >= end:
            continue
        title = doc.heading_text((hs, he))
        if SUBHEADING.match(title):
            seen_known = True
            continue
        if seen_known and not BANNER.match(doc.text[hs:he]):
            return hs
    return end


def is_review(doc: Doc) -> bool:
    """True for a document with two or more case studies and Ombudsman wording."""
    return len(STORY_HEADING.findall(doc.text)) >= 2 and bool(OMBUDSMAN.search(doc.low))


def extract_review(doc: Doc) -> list[tuple[dict, dict]]:
    """(fields, provenance) for each case study of a review."""
    joint = JOINT.search(doc.low)
    year = latest_year(doc)
    out = []
    for study in case_studies(doc):
        fields: dict[str, object] = {
            "case_ref": None,
            "organisation": None,
            "case_label": study.label,
            "decision_date": None,
        }
        prov: dict[str, dict] = {"case_label": evidence(doc, *study.heading)}
        if joint:
            fields["org_type"] = "nhs_joint"
            fields["category"] = "Health and social care joint"
            prov["org_type"] = prov["category"] = evidence(doc, joint.start(), joint.end())
        else:
            fields["org_type"] = None
            fields["category"] = None
        if year:
            fields["year"], fields["year_is_approx"] = year[0], year[1]
            prov["year"] = guessed_evidence(doc, *year[2])
        region = (study.start, study.end)
        rec = _recommendation_span(doc, study)
        decision, ev = _decision(doc, study, rec)
        fields["decision"] = decision
        if ev:
            prov["decision"] = ev
        finding_region = region
        facts = extract_facts(
            doc,
            region,
            label=study.label,
            default_recipient="cared_for_person",
            finding_region=finding_region,
            remedy_region=rec or (study.end, study.end),
            whole_upheld=False,
        )
        fields.update(facts.fields)
        prov.update(facts.provenance)
        if decision == "not_upheld":
            fields["fault_types"] = []
            for key in [k for k in prov if k.startswith("fault_types.")]:
                del prov[key]
        out.append((fields, prov))
    return out


def _recommendation_span(doc: Doc, study: CaseStudy) -> Span | None:
    for hs, he in doc.headings:
        if study.heading[1] <= hs < study.end and RECOMMENDATION.match(doc.heading_text((hs, he))):
            return he, study.end
    return None


def _decision(doc: Doc, study: CaseStudy, rec: Span | None) -> tuple[str, dict | None]:
    low = doc.low
    found_span = None
    for hs, he in doc.headings:
        if study.heading[1] <= hs < study.end and doc.heading_text((hs, he)).startswith(
            "what we found"
        ):
            found_span = (he, rec[0] if rec else study.end)
    text_span = found_span or (study.start, study.end)
    if rec:
        m = UPHELD.search(low, rec[0], rec[1])
        if m:
            return "upheld", evidence(doc, m.start(), m.end())
    m = UPHELD.search(low, *text_span)
    neg = NOT_UPHELD.search(low, *text_span)
    if neg and not rec:
        return "not_upheld", evidence(doc, neg.start(), neg.end())
    if m:
        return "upheld", evidence(doc, m.start(), m.end())
    if neg:
        return "not_upheld", evidence(doc, neg.start(), neg.end())
    return "other", None
