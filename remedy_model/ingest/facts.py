"""Facts of one case from a stretch of text: payments, duration, faults, groups, flags.

Statements, committee reports and review case studies all end here: each names the span of the
document that holds one case and how it is laid out; :func:`extract_facts` returns the
codebook fields it can tell from that span, with the provenance of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from remedy_model.ingest import lexicon
from remedy_model.ingest.duration import find_durations, number_value
from remedy_model.ingest.layout import Doc, Span
from remedy_model.ingest.money import PERSON, FoundPayment, Roles, block_payments, merge_blocks

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
    f, prov = facts.fields, facts.provenance
    low = doc.low
    sections = [
        (title, span) for title, span in doc.sections(*region) if not NO_FACT_SECTIONS.search(title)
    ]
    if whole_upheld is None:
        region_low = low[region[0] : region[1]]
        whole_upheld = bool(WHOLE_UPHELD.search(region_low)) and not PART_UPHELD.search(
            _final_decision_text(doc, region)
        )
    roles = infer_roles(doc, region, label=label, default=default_recipient)

    # Payments, section by section, repeats across sections collapsed.
    blocks = [block_payments(doc, doc.sentences_in(*span), roles) for _, span in sections]
    payments = merge_blocks([b for b in blocks if b])
    facts.payments = payments
    f["payments"] = [p.as_dict() for p in payments]
    for i, p in enumerate(payments):
        prov[f"payments[{i}]"] = evidence(doc, p.sentence[0], p.sentence[1], p.span[0])
    f["symbolic_total_gbp"] = round(sum(p.amount_gbp for p in payments if p.symbolic), 2)
    f["financial_total_gbp"] = round(sum(p.amount_gbp for p in payments if not p.symbolic), 2)

    # Sentences that may hold findings, and those that may hold improvements.
    finding_span = finding_region or region
    finding_ok = _allowed_sentences(
        doc,
        finding_span,
        lambda title: (
            not EXCLUDED_SECTIONS.search(title) or bool(whole_upheld and "complaint" in title)
        ),
    )
    rem_span = remedy_region or region
    improvement_ok = _allowed_sentences(doc, rem_span, lambda t: not EXCLUDED_SECTIONS.search(t))

    # Fault types: lexicon matches in finding sentences (the first one is the evidence).
    candidates = sorted(
        {doc.sentence_index(m.start()) for m in _FAULT_CUES.finditer(low, *finding_span)}
    )
    faults: dict[str, tuple[int, dict]] = {}
    for index in candidates:
        if index not in finding_ok or not _is_fault_sentence(doc, index, whole_upheld):
            continue
        s, e = doc.sentences[index]
        for name, fm in lexicon.fault_matches(low[s:e]):
            if name not in faults:
                faults[name] = (s + fm.start(), evidence(doc, s, e, s + fm.start()))
    ordered = sorted(faults.items(), key=lambda item: item[1][0])
    f["fault_types"] = [name for name, _ in ordered]
    for name, (_, ev) in ordered:
        prov[f"fault_types.{name}"] = ev

    # Duration of the failure: the longest length stated in a sentence about the failure.
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
    f["duration_months"] = best.months if best else None
    if best:
        prov["duration_months"] = evidence(doc, best.start, best.end)

    region_text = low[region[0] : region[1]]
    # Vulnerable groups, from anywhere in the case but the boilerplate sections.
    found: dict[str, int] = {}
    for name, regex in lexicon.VULNERABLE_RES.items():
        if not lexicon.gate_open(low, lexicon.VULNERABLE_GATES[name], *region):
            continue
        for vm in regex.finditer(low, region[0], region[1]):
            words = doc.text[vm.start() : vm.end()].split()
            if len(words) > 1 and all(w[:1].isupper() for w in words):
                continue  # a name such as "Older People's Forum"
            if not any(a <= vm.start() < b for _, (a, b) in sections):
                continue
            found[name] = vm.start()
            prov[f"vulnerable.{name}"] = evidence(doc, vm.start(), vm.end())
            break
    f["vulnerable"] = [name for name in lexicon.VULNERABLE_LEXICON if name in found]

    # Respite.
    gates = lexicon.FLAG_GATES
    m = (
        lexicon.RESPITE_LOST.search(region_text)
        if lexicon.gate_open(region_text, gates["RESPITE_LOST"])
        else None
    )
    f["respite_lost"] = bool(m)
    f["respite_lost_weeks"] = None
    if m:
        prov["respite_lost"] = evidence(doc, region[0] + m.start(), region[0] + m.end())
        for rm in lexicon.RESPITE_AMOUNT.finditer(region_text):
            value = number_value(rm["num"])
            if value:
                unit = rm["unit"].rstrip("s")
                weeks = value if unit == "week" else value / 7
                f["respite_lost_weeks"] = round(weeks, 1)
                prov["respite_lost_weeks"] = evidence(
                    doc, region[0] + rm.start(), region[0] + rm.end()
                )
                break

    # Carer impact: an unpaid carer named, respite lost, or a payment to or for a carer.
    m = (
        lexicon.CARER.search(region_text)
        if lexicon.gate_open(region_text, gates["CARER"])
        else None
    )
    carer_payment = next(
        (p for p in payments if p.recipient == "carer" or p.purpose == "carer_strain"), None
    )
    f["carer_impact"] = bool(m or f["respite_lost"] or carer_payment)
    if m:
        prov["carer_impact"] = evidence(doc, region[0] + m.start(), region[0] + m.end())
    elif carer_payment:
        prov["carer_impact"] = evidence(doc, *carer_payment.sentence, carer_payment.span[0])
    elif f["respite_lost"]:
        prov["carer_impact"] = prov["respite_lost"]

    # Death of the person.
    m = lexicon.DIED.search(region_text) if lexicon.gate_open(region_text, gates["DIED"]) else None
    f["person_died"] = bool(m)
    if m:
        prov["person_died"] = evidence(doc, region[0] + m.start(), region[0] + m.end())

    # Service improvements.
    f["service_improvements"] = False
    for im in lexicon.IMPROVEMENT.finditer(low, rem_span[0], rem_span[1]):
        index = doc.sentence_index(im.start())
        if index in improvement_ok:
            f["service_improvements"] = True
            prov["service_improvements"] = evidence(doc, *doc.sentences[index], im.start())
            break

    # Remedy visible: false when a payment is mentioned without its sum.
    f["remedy_visible"] = True
    if not payments:
        for pm in lexicon.PAYMENT_WITHOUT_SUM.finditer(low, rem_span[0], rem_span[1]):
            index = doc.sentence_index(pm.start())
            if index in improvement_ok:
                s, e = doc.sentences[index]
                if not lexicon.NEGATED.search(low[s:e]):
                    f["remedy_visible"] = False
                    prov["remedy_visible"] = evidence(doc, s, e, pm.start())
                    break
    return facts


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
