"""Facts of one case from a stretch of text: payments, duration, faults, groups, flags.

Statements, committee reports and review case studies all end here: each names the span of the
document that holds one case and how it is laid out; :func:`extract_facts` returns the
codebook fields it can tell from that span, with the provenance of each.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from remedy_model.ingest import lexicon
from remedy_model.ingest.duration import find_durations, number_value
from remedy_model.ingest.layout import Doc, Span
from remedy_model.ingest.money import PERSON, FoundPayment, Roles, block_payments, merge_blocks
from remedy_model.ingest.visibility import hidden_remedy

_FAULT_CUES = re.compile(lexicon.FINDING.pattern + r"|\bapologi[sz]")

EXCLUDED_SECTIONS = re.compile(
    r"role\s+and\s+powers|how\s+i\s+considered|how\s+we\s+considered|what\s+i\s+have\s+"
    r"(?:and\s+have\s+not\s+)?investigated|relevant\s+(?:law|legislation)|law\s+and\s+guidance|"
    r"legal\s+and\s+administrative|^background|chronology|key\s+facts|what\s+happened|"
    r"^the\s+complaint$|^complaint$|^which\s+organisations|privacy|cookies|^contact"
)
"""Sections that describe the law, the process or the story, not what went wrong."""

NO_FACT_SECTIONS = re.compile(
    r"role\s+and\s+powers|how\s+i\s+considered|how\s+we\s+considered|relevant\s+(?:law|"
    r"legislation)|law\s+and\s+guidance|legal\s+and\s+administrative|privacy|cookies"
)
"""Sections never read for any fact (they are the same in every decision)."""

REMEDY_SECTION = re.compile(
    r"recommendation|agreed\s+action|^action|remed|what\s+should\s+happen|our\s+decision|"
    r"final\s+decision|^decision|outcome|financial|actions\s+taken|^summary"
)

DURATION_CONTEXT = re.compile(
    r"\bfail\w*|\bdelay\w*|\bwithout\b|\black\b|\blost\b|\bloss\s+of\b|\bnot\s+(?:provided|"
    r"receive|received|get|got|have|had|assessed|in\s+(?:school|education))|\bdid\s+not\b|"
    r"\bno\s+(?:suitable|support|service|services|respite|care|education|provision)\b|"
    r"\bmissed\b|\bmissing\b|\blonger\s+than\b|\bout\s+of\s+(?:education|school)\b|"
    r"\bunnecessar\w*|\bshould\s+(?:also\s+)?have\b|\bcould\s+have\b|\bwait\w*|\bgap\b|"
    r"\bunmet\b|\bunsuitable\b|\brefund\w*|\bfund\w*\s+(?:his|her|their)\s+own\b|"
    r"\bpaid\s+for\s+(?:his|her|their)\s+own\b|\bsuffer\w*|\bstill\s+not\b|\btoo\s+long\b"
)
"""A sentence whose length of time is how long a failure lasted."""

WHOLE_UPHELD = re.compile(
    r"upheld\s+the\s+complaint|found\s+fault\s+causing\s+(?:an\s+)?injustice|"
    r"^decision\s*:\s*upheld"
)
PART_UPHELD = re.compile(r"\bin\s+part\b|\bpart\s+of\s+the\s+complaint\b|\bsome\s+of\s+the\b")

_CARED_FOR_PATTERNS = [
    re.compile(r"\bthe\s+late\s+(?P<t>(?:mrs|mr|ms|miss|mx|dr)\s+[a-z])\b"),
    re.compile(
        r"\b(?P<t>(?:mrs|mr|ms|miss|mx|dr)\s+[a-z])'s\s+(?:estate|(?:assessed\s+)?"
        r"(?:eligible\s+)?(?:social\s+)?(?:care|support)\s+needs|assessed\s+eligible\s+needs)\b"
    ),
    re.compile(
        r"\b(?:young\s+person|child|son|daughter|man|woman|lady|boy|girl|adult|"
        r"grandson|granddaughter)\s*\((?P<t>[a-z]{1,3})\)"
    ),
    re.compile(r"\b(?P<t>(?:mrs|mr|ms|miss|mx|dr)\s+[a-z])'s\s+carer\b"),
]
_CARED_FOR_GATES = ("the late", "'s", "(", "carer")
_COMPLAINANT = [
    re.compile(
        r"\bwhom\s+i\s+(?:shall|will)\s+(?:refer\s+to|call)\s+as\s+(?P<t>(?:mrs|mr|ms|miss"
        r"|mx|dr)\s+[a-z])\b"
    ),
    re.compile(r"\b(?P<t>(?:mrs|mr|ms|miss|mx|dr)\s+[a-z])\s+(?:complain\w*|says|said|told\s+us)"),
]


@dataclass
class Facts:
    """Codebook fields found for one case, and where each came from."""

    fields: dict[str, object] = field(default_factory=dict)
    provenance: dict[str, dict[str, object]] = field(default_factory=dict)
    payments: list[FoundPayment] = field(default_factory=list)


def evidence(doc: Doc, start: int, end: int, focus: int | None = None, limit: int = 300) -> dict:
    """Provenance entry for ``doc.text[start:end]``, cut to ``limit`` characters near ``focus``."""
    start = max(0, start)
    end = min(len(doc.text), max(end, start))
    if end - start > limit:
        focus = start if focus is None else focus
        lo = max(start, focus - limit // 2)
        hi = min(end, lo + limit)
        lo = max(start, hi - limit)
        start, end = lo, hi
    return {"span": [start, end], "quote": doc.text[start:end]}


def infer_roles(doc: Doc, region: Span, *, label: str | None, default: str) -> Roles:
    """Who is the complainant, the cared-for person and the carer in ``region``."""
    low = doc.low[region[0] : region[1]]
    roles = Roles(default=default)
    if label:
        roles.people[label.lower()] = "cared_for_person"
    for gate, pattern in zip(_CARED_FOR_GATES, _CARED_FOR_PATTERNS, strict=True):
        if gate not in low:
            continue
        for m in pattern.finditer(low):
            roles.people.setdefault(m["t"], "cared_for_person")
    complainant = None
    for pattern in _COMPLAINANT:
        m = pattern.search(low)
        if m:
            complainant = m["t"]
            break
    done: set[int] = set()
    carer_hits = (
        lexicon.CARER.finditer(doc.low, region[0], region[1])
        if lexicon.gate_open(doc.low, lexicon.FLAG_GATES["CARER"], *region)
        else ()
    )
    for cm in carer_hits:
        index = doc.sentence_index(cm.start())
        if index in done or index < 0:
            continue
        done.add(index)
        s, e = doc.sentences[index]
        sent = doc.low[s:e]
        possessed = set(re.findall(r"\b((?:mrs|mr|ms|miss|mx|dr)\s+[a-z])'s\s+carer", sent))
        for token in PERSON.findall(sent):
            if token in possessed or roles.people.get(token) == "cared_for_person":
                continue
            roles.people[token] = "carer"
            break
        for rel in re.findall(
            r"\b(?:brother-in-law|sister-in-law|son-in-law|daughter-in-law|son|daughter|wife|"
            r"husband|partner|sister|brother|grandmother|grandfather|niece|nephew)\b",
            sent,
        ):
            if not re.search(r"\b(?:paid|live-in|agency|professional)\s+carers?\b", sent):
                roles.carer_relations.add(rel)
    if complainant:
        role = roles.people.get(complainant)
        if role is None:
            roles.people[complainant] = "complainant"
        if default == "complainant":
            roles.default = roles.people[complainant]
            if roles.default == "cared_for_person":
                roles.default = "complainant"
    return roles


def extract_facts(
    doc: Doc,
    region: Span,
    *,
    label: str | None = None,
    default_recipient: str = "complainant",
    finding_region: Span | None = None,
    remedy_region: Span | None = None,
    whole_upheld: bool | None = None,
) -> Facts:
    """Codebook facts of the case in ``doc.text[region]``.

    Parameters
    ----------
    label
        The case study's name in a multi-case review (the cared-for person).
    default_recipient
        Who a payment goes to when the text names nobody.
    finding_region
        Where fault findings are read (default: the whole region, minus background sections).
    remedy_region
        Where service improvements are read (default: the whole region).
    whole_upheld
        Whether the whole complaint was upheld, so the complaint's own summary counts as
        findings (default: read from the text).
    """
    facts = Facts()
    sections = [
        (title, span) for title, span in doc.sections(*region) if not NO_FACT_SECTIONS.search(title)
    ]
    if whole_upheld is None:
        region_low = doc.low[region[0] : region[1]]
        whole_upheld = bool(WHOLE_UPHELD.search(region_low)) and not PART_UPHELD.search(
            _final_decision_text(doc, region)
        )
    roles = infer_roles(doc, region, label=label, default=default_recipient)
    _payments(doc, sections, roles, facts)
    finding_span = finding_region or region
    finding_ok = _allowed_sentences(
        doc,
        finding_span,
        lambda title: (
            not EXCLUDED_SECTIONS.search(title) or bool(whole_upheld and "complaint" in title)
        ),
    )
    _faults(doc, finding_span, finding_ok, whole_upheld, facts)
    _duration(doc, region, facts)
    _vulnerable(doc, region, sections, facts)
    _flags(doc, region, facts)
    rem_span = remedy_region or region
    improvement_ok = _allowed_sentences(doc, rem_span, lambda t: not EXCLUDED_SECTIONS.search(t))
    _improvements(doc, rem_span, improvement_ok, facts)
    _remedy_visible(doc, rem_span, improvement_ok, facts)
    return facts


def _payments(doc: Doc, sections: list[tuple[str, Span]], roles: Roles, facts: Facts) -> None:
    """Payments, section by section, repeats across sections collapsed; and their totals."""
    f, prov = facts.fields, facts.provenance
    blocks = [block_payments(doc, doc.sentences_in(*span), roles) for _, span in sections]
    payments = merge_blocks([b for b in blocks if b])
    facts.payments = payments
    f["payments"] = [p.as_dict() for p in payments]
    for i, p in enumerate(payments):
        prov[f"payments[{i}]"] = evidence(doc, p.sentence[0], p.sentence[1], p.span[0])
    f["symbolic_total_gbp"] = round(sum(p.amount_gbp for p in payments if p.symbolic), 2)
    f["financial_total_gbp"] = round(sum(p.amount_gbp for p in payments if not p.symbolic), 2)


def _faults(doc: Doc, span: Span, allowed: set[int], whole_upheld: bool, facts: Facts) -> None:
    """Fault types: lexicon matches in finding sentences (the first one is the evidence)."""
    low = doc.low
    candidates = sorted({doc.sentence_index(m.start()) for m in _FAULT_CUES.finditer(low, *span)})
    faults: dict[str, tuple[int, dict]] = {}
    for index in candidates:
        if index not in allowed or not _is_fault_sentence(doc, index, whole_upheld):
            continue
        s, e = doc.sentences[index]
        for name, fm in lexicon.fault_matches(low[s:e]):
            if name not in faults:
                faults[name] = (s + fm.start(), evidence(doc, s, e, s + fm.start()))
    ordered = sorted(faults.items(), key=lambda item: item[1][0])
    facts.fields["fault_types"] = [name for name, _ in ordered]
    for name, (_, ev) in ordered:
        facts.provenance[f"fault_types.{name}"] = ev


def _duration(doc: Doc, region: Span, facts: Facts) -> None:
    """How long the failure lasted: the longest length stated in a sentence about a failure."""
    low = doc.low
    best = None
    context: dict[int, bool] = {}
    for d in find_durations(low, region[0], region[1]):
        index = doc.sentence_index(d.start)
        if index < 0:
            continue
        if index not in context:
            s, e = doc.sentences[index]
            sent = low[s:e]
            context[index] = bool(DURATION_CONTEXT.search(sent)) and not lexicon.NEGATED.search(
                sent
            )
        if context[index] and (best is None or d.months > best.months):
            best = d
    facts.fields["duration_months"] = best.months if best else None
    if best:
        facts.provenance["duration_months"] = evidence(doc, best.start, best.end)


def _vulnerable(doc: Doc, region: Span, sections: list[tuple[str, Span]], facts: Facts) -> None:
    """Vulnerable groups, from anywhere in the case but the boilerplate sections."""
    low = doc.low
    starts = [a for _, (a, _) in sections]
    found: dict[str, int] = {}
    for name, regex in lexicon.VULNERABLE_RES.items():
        if not lexicon.gate_open(low, lexicon.VULNERABLE_GATES[name], *region):
            continue
        for vm in regex.finditer(low, region[0], region[1]):
            words = doc.text[vm.start() : vm.end()].split()
            if len(words) > 1 and all(w[:1].isupper() for w in words):
                continue  # a name such as "Older People's Forum"
            if not _in_sections(vm.start(), starts, sections):
                continue
            found[name] = vm.start()
            facts.provenance[f"vulnerable.{name}"] = evidence(doc, vm.start(), vm.end())
            break
    facts.fields["vulnerable"] = [name for name in lexicon.VULNERABLE_LEXICON if name in found]


def _in_sections(pos: int, starts: list[int], sections: list[tuple[str, Span]]) -> bool:
    """True when ``pos`` lies in one of ``sections`` (sorted, ``starts`` their starts)."""
    index = bisect_right(starts, pos) - 1
    return index >= 0 and sections[index][1][0] <= pos < sections[index][1][1]


def _flags(doc: Doc, region: Span, facts: Facts) -> None:
    """Respite lost (and weeks), carer impact and a death, from the whole case."""
    f, prov = facts.fields, facts.provenance
    text = doc.low[region[0] : region[1]]

    def find(name: str, regex: re.Pattern[str]) -> re.Match[str] | None:
        return regex.search(text) if lexicon.gate_open(text, lexicon.FLAG_GATES[name]) else None

    def ev(m: re.Match[str]) -> dict:
        return evidence(doc, region[0] + m.start(), region[0] + m.end())

    respite = find("RESPITE_LOST", lexicon.RESPITE_LOST)
    f["respite_lost"] = bool(respite)
    f["respite_lost_weeks"] = None
    if respite:
        prov["respite_lost"] = ev(respite)
        for rm in lexicon.RESPITE_AMOUNT.finditer(text):
            value = number_value(rm["num"])
            if value:
                weeks = value if rm["unit"].rstrip("s") == "week" else value / 7
                f["respite_lost_weeks"] = round(weeks, 1)
                prov["respite_lost_weeks"] = ev(rm)
                break
    # Carer impact: an unpaid carer named, respite lost, or a payment to or for a carer.
    carer = find("CARER", lexicon.CARER)
    carer_payment = next(
        (p for p in facts.payments if p.recipient == "carer" or p.purpose == "carer_strain"), None
    )
    f["carer_impact"] = bool(carer or respite or carer_payment)
    if carer:
        prov["carer_impact"] = ev(carer)
    elif carer_payment:
        prov["carer_impact"] = evidence(doc, *carer_payment.sentence, carer_payment.span[0])
    elif respite:
        prov["carer_impact"] = prov["respite_lost"]
    died = find("DIED", lexicon.DIED)
    f["person_died"] = bool(died)
    if died:
        prov["person_died"] = ev(died)


def _improvements(doc: Doc, span: Span, allowed: set[int], facts: Facts) -> None:
    """Service improvements recommended (procedures, training, policy)."""
    facts.fields["service_improvements"] = False
    for im in lexicon.IMPROVEMENT.finditer(doc.low, span[0], span[1]):
        index = doc.sentence_index(im.start())
        if index in allowed:
            facts.fields["service_improvements"] = True
            facts.provenance["service_improvements"] = evidence(
                doc, *doc.sentences[index], im.start()
            )
            return


def _remedy_visible(doc: Doc, span: Span, allowed: set[int], facts: Facts) -> None:
    """False when the text hides the remedy: a payment agreed without its sum (and no symbolic
    sum found), or a remedy section it refers to but does not hold (and no sum found)."""
    facts.fields["remedy_visible"] = True
    if any(p.symbolic for p in facts.payments):
        return
    lo = doc.sentence_index(span[0] - 1) + 1 if span[0] > 0 else 0
    hi = doc.sentence_index(span[1] - 1)
    indices = [i for i in range(lo, hi + 1) if i in allowed]
    hidden = hidden_remedy(doc, indices, forward_ok=not facts.payments)
    if hidden:
        facts.fields["remedy_visible"] = False
        s, e = doc.sentence_at(hidden[0])
        facts.provenance["remedy_visible"] = evidence(doc, s, e, hidden[0])


def findings_only(fields: dict, prov: dict) -> tuple[dict, dict]:
    """Keep fault types only where fault was found: none for a complaint closed early, those
    with evidence for one not upheld."""
    decision = fields.get("decision")
    if decision not in ("closed_after_initial_enquiries", "not_upheld"):
        return fields, prov
    kept = [f for f in fields.get("fault_types", []) if f"fault_types.{f}" in prov]
    fields["fault_types"] = kept if decision == "not_upheld" else []
    for key in [k for k in prov if k.startswith("fault_types.")]:
        if key.split(".", 1)[1] not in fields["fault_types"]:
            del prov[key]
    return fields, prov


def _allowed_sentences(doc: Doc, span: Span, keep) -> set[int]:
    """Indices of the sentences in sections of ``span`` whose heading ``keep`` accepts."""
    out: set[int] = set()
    for title, (a, b) in doc.sections(*span):
        if not keep(title):
            continue
        lo = doc.sentence_index(a - 1) + 1 if a > 0 else 0
        hi = doc.sentence_index(b - 1)
        out.update(i for i in range(lo, hi + 1) if doc.sentences[i][0] >= a)
    return out


def _is_fault_sentence(doc: Doc, index: int, whole_upheld: bool) -> bool:
    """A finding (or an apology for something), not an allegation unless all was upheld."""
    s, e = doc.sentences[index]
    sent = doc.low[s:e]
    if _is_bullet_at(doc, s) and not whole_upheld:
        j = index - 1
        while j >= 0 and _is_bullet_at(doc, doc.sentences[j][0]):
            j -= 1
        if j >= 0:
            lead = doc.low[doc.sentences[j][0] : doc.sentences[j][1]].rstrip()
            if lead.endswith(":") and lexicon.ALLEGATION.search(lead):
                return False
    if re.search(r"\bapologi[sz]\w*\b", sent) and not lexicon.NEGATED.search(sent):
        return True
    return lexicon.is_finding(sent, allow_allegation=whole_upheld)


def _is_bullet_at(doc: Doc, pos: int) -> bool:
    return doc.text[pos] in "•*-–▪·" or bool(re.match(r"\d{1,2}[.)]\s", doc.text[pos : pos + 4]))


def _final_decision_text(doc: Doc, region: Span) -> str:
    parts = [
        doc.low[span[0] : span[1]]
        for title, span in doc.sections(*region)
        if re.search(r"final\s+decision|^decision|^finding|^conclusion", title)
    ]
    return " ".join(parts)
