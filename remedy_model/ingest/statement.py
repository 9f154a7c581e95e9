"""Decision statements: the Ombudsman's published decision about one complaint (or a draft).

A saved decision page starts with a header, which gives the metadata:

    Testshire County Council (21 004 512)
    Category : Adult care services > Charging
    Decision : Upheld
    Decision date : 03 Mar 2022

(On the Ombudsman's site the decision text sits in ``<article id="article">``, whose header
holds these label/value pairs after the heading "Organisation (NN NNN NNN)"; a label and its
value may also stand on two lines.) The organisation's name may hold brackets of its own:
"Park Homes (UK) Limited (24 019 144)". Header values are marked ``"method": "header"`` in the
provenance; a category guessed from keywords is marked ``"method": "guessed"``.

A draft decision may have no header; then the organisation is the first council (or trust)
named, the decision comes from the findings ("I have found fault ..."), the category from the
lexicon, and the reference from a "Reference: 21 004 512" line if there is one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from remedy_model.ingest import lexicon
from remedy_model.ingest.facts import evidence, extract_facts, findings_only
from remedy_model.ingest.layout import Doc, Span
from remedy_model.records import current_year

REF = r"\d{2}[ -]?\d{3}[ -]?\d{3}[a-z]?"
HEADER_LINE = re.compile(
    rf"^[ \t|]*(?P<org>[^\n|(][^\n|]{{1,159}}?)\s*\(\s*(?P<ref>{REF})\b[^()\n]{{0,80}}\)[ \t|]*$",
    re.MULTILINE,
)
"""The heading "Organisation (NN NNN NNN)"; the name may hold brackets ("(UK) Limited")."""
_REF_AT_LINE_END = re.compile(rf"\(\s*{REF}\b[^()\n]{{0,80}}\)[ \t|]*$", re.MULTILINE)
"""A reference in brackets ending a line: where a heading may be (found fast)."""
FIELD_LINE = re.compile(
    r"^[ \t|•*]*(?P<key>category|decision\s+date|date\s+of\s+decision|decision|"
    r"(?:our\s+|complaint\s+|ombudsman\s+)?ref(?:erence)?(?:\s+(?:no|number))?\.?)"
    r"[ \t]*(?:[:|][ \t|]*)+(?P<val>[^\n]*?)[ \t|]*$",
    re.MULTILINE | re.IGNORECASE,
)
FIELD_PAIR = re.compile(
    r"^[ \t|•*]*(?P<key>category|decision\s+date|decision)[ \t]*:?[ \t]*\n"
    r"[ \t|]*(?P<val>[^\n]{1,200}?)[ \t|]*$",
    re.MULTILINE | re.IGNORECASE,
)
"""A header label alone on its line with its value on the next ("Category" / "Education")."""
HEADER_CHARS = 4000
"""The header is read in a decision's first characters."""
STRUCTURE = re.compile(
    r"^[ \t]*(?:summary\s*:|the\s+complaint\b|what\s+i\s+found|what\s+happened|analysis\b|"
    r"(?:my\s+)?findings?\b|my\s+assessment|final\s+decision|draft\s+decision|agreed\s+action|"
    r"recommendations?\b|conclusions?\b|decision\s*:|how\s+i\s+considered|the\s+ombudsman'?s\s+"
    r"(?:role|final\s+decision))",
    re.MULTILINE,
)
OMBUDSMAN = re.compile(r"\bombudsman\b|\blgo\b|\blgsco\b")
FINDING_WORDS = re.compile(
    r"\bfault\b|maladministration|\binjustice\b|\bupheld\b|\buphold\b|service\s+failure|"
    r"\bnot\s+investigate\b|\binitial\s+enquiries\b"
)
_FOUND = [
    (
        "closed_after_initial_enquiries",
        re.compile(
            r"\b(?:will|should|do|did)\s+not\s+investigate\b|closed\s+after\s+initial\s+enquiries|"
            r"not\s+start\s+an?\s+investigation|discontinu\w+\s+(?:my|our|the)\s+investigation"
        ),
    ),
    (
        "not_upheld",
        re.compile(
            r"\b(?:found|find)\s+no\s+fault|\bno\s+fault\s+(?:by|in|on)|did\s+not\s+find\s+(?:any\s+)?"
            r"fault|\bnot\s+at\s+fault\b|\bnot\s+uphold"
        ),
    ),
    (
        "upheld",
        re.compile(
            r"\bfound\s+fault|\bfind\s+fault|\bthere\s+(?:was|is)\s+fault|\bis\s+fault\b|\bwas\s+fault\b|"
            r"fault\s+causing|\bupheld\b|\buphold\b|\bmaladministration\s+(?:and|causing)"
        ),
    ),
]


def parse_ref(text: str) -> str | None:
    """The reference in the codebook's form ("19 002 258"), or ``None``.

    >>> parse_ref("19-002-258"), parse_ref("19002258a"), parse_ref("n/a")
    ('19 002 258', '19 002 258a', None)
    """
    m = re.search(r"(\d{2})[ -]?(\d{3})[ -]?(\d{3})([a-z]?)\b", text.lower())
    if not m:
        return None
    return f"{m[1]} {m[2]} {m[3]}{m[4]}"


def parse_date(text: str) -> dt.date | None:
    """A decision date ("24 Jan 2020", "24/01/2020", "2020-01-24"), or ``None`` (also when
    it is impossible or in the future).

    >>> parse_date("24 Jan 2020"), parse_date("5 August 2020"), parse_date("soon")
    (datetime.date(2020, 1, 24), datetime.date(2020, 8, 5), None)
    """
    text = text.strip()
    has_year = re.search(r"\d{4}", text)
    starts_with_day = re.search(r"\d", text.split()[0] if text else "")
    if (not has_year or not starts_with_day) and not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        from dateutil import parser as dateparser

        value = dateparser.parse(text, dayfirst=True, fuzzy=True, default=dt.datetime(1900, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    date = value.date()
    if date.year < 2000 or date > dt.date.today():
        return None
    return date


def header_lines(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The headings "Organisation (NN NNN NNN)" in ``text[start:end]``, in order.

    Lines ending with a bracketed reference are found first, then each is matched whole, so
    the cost stays linear in the text's length.
    """
    end = len(text) if end is None else end
    for m in _REF_AT_LINE_END.finditer(text, start, end):
        line_start = max(text.rfind("\n", start, m.start()) + 1, start)
        heading = HEADER_LINE.match(text, line_start, m.end())
        if heading:
            yield heading


def has_header(doc: Doc) -> bool:
    """True when the text starts like a saved decision page ("Council (NN NNN NNN)", fields)."""
    head = doc.text[:HEADER_CHARS]
    keys = {
        m["key"].lower().split()[0]
        for regex in (FIELD_LINE, FIELD_PAIR)
        for m in regex.finditer(head)
    }
    return bool(keys and next(header_lines(head), None)) or {"category", "decision"} <= keys


def is_statement(doc: Doc) -> tuple[bool, str]:
    """Whether the text reads as one Ombudsman decision, and if not, why not."""
    if has_header(doc):
        return True, ""
    low = doc.low
    ombudsman = bool(OMBUDSMAN.search(low))
    structure = len({m.group(0).strip().lower()[:12] for m in STRUCTURE.finditer(low)})
    finding = bool(FINDING_WORDS.search(low))
    if finding and (ombudsman or structure >= 2) and (structure >= 1 or ombudsman):
        return True, ""
    missing = []
    if not ombudsman and structure < 2:
        missing.append("no Ombudsman decision header or headings")
    if not finding:
        missing.append("no finding of fault or injustice")
    return False, "; ".join(missing) or "no decision wording"


def header_metadata(doc: Doc, region: Span | None = None) -> tuple[dict, dict]:
    """Metadata fields and their provenance from a decision's header (or its text).

    ``region`` (default: the whole text) is the part of the document about this decision.
    """
    start, end = region or (0, len(doc.text))
    fields: dict[str, object] = {}
    prov: dict[str, dict] = {}
    head_end = min(end, start + HEADER_CHARS)
    _title_line(doc, start, head_end, fields, prov)
    for key, val, ev in _header_pairs(doc, start, head_end):
        _header_value(key, val, ev, fields, prov)
    _metadata_from_text(doc, (start, end), fields, prov)
    fields["org_type"] = lexicon.org_type_of(fields.get("organisation"))  # type: ignore[arg-type]
    if fields["org_type"] and "organisation" in prov:
        prov["org_type"] = prov["organisation"]
    set_year(fields, prov)
    return fields, prov


def _title_line(doc: Doc, start: int, end: int, fields: dict, prov: dict) -> None:
    """Organisation and reference from the heading "Organisation (NN NNN NNN)"."""
    m = next(header_lines(doc.text, start, end), None)
    if not m:
        return
    org = re.sub(r"\s+", " ", m["org"]).strip(" :-|")
    fields["organisation"] = org or None
    fields["case_ref"] = parse_ref(m["ref"])
    if org:
        prov["organisation"] = header_evidence(doc, m.start("org"), m.end("org"))
    prov["case_ref"] = header_evidence(doc, m.start("ref"), m.end("ref"))


def _header_pairs(doc: Doc, start: int, end: int) -> list[tuple[str, str, dict]]:
    """(label, value, provenance) of the header's pairs, in the order they appear: "Label :
    value" on one line, or a label alone on its line with the value on the next."""
    found = []
    for regex in (FIELD_LINE, FIELD_PAIR):
        for fm in regex.finditer(doc.text, start, end):
            val = fm["val"].strip()
            if val:
                ev = header_evidence(doc, fm.start("val"), fm.end("val"))
                found.append((fm.start(), re.sub(r"\s+", " ", fm["key"].lower()), val, ev))
    return [(key, val, ev) for _, key, val, ev in sorted(found, key=lambda item: item[0])]


def _header_value(key: str, val: str, ev: dict, fields: dict, prov: dict) -> None:
    """Set the field a header pair gives, unless an earlier pair gave it."""
    if key == "category" and "category" not in fields:
        if ">" in val or lexicon.guess_category(val.lower()) or len(val) < 60:
            fields["category"] = re.sub(r"\s*>\s*", " > ", val).strip(" >")
            prov["category"] = ev
    elif key in ("decision date", "date of decision") and "decision_date" not in fields:
        date = parse_date(val)
        if date:
            fields["decision_date"] = date.isoformat()
            prov["decision_date"] = ev
    elif key == "decision" and "decision" not in fields:
        value = lexicon.decision_of(val)
        if value != "other" or len(val) < 40:
            fields["decision"] = value
            prov["decision"] = ev
    elif key.startswith(("ref", "our", "complaint", "ombudsman")) and "case_ref" not in fields:
        ref = parse_ref(val)
        if ref:
            fields["case_ref"] = ref
            prov["case_ref"] = ev


def _metadata_from_text(doc: Doc, region: Span, fields: dict, prov: dict) -> None:
    """Organisation, decision and category read from the text when the header lacks them."""
    if "organisation" not in fields:
        org = first_organisation(doc, region)
        if org:
            fields["organisation"] = org[0]
            prov["organisation"] = evidence(doc, org[1], org[2])
    if "decision" not in fields:
        found = decision_from_text(doc, region)
        if found:
            fields["decision"] = found[0]
            prov["decision"] = evidence(doc, found[1], found[2])
    if "category" not in fields:
        guess = lexicon.guess_category(doc.low[region[0] : region[1]])
        if guess:
            fields["category"] = guess[0]
            at = region[0] + guess[1].start()
            prov["category"] = guessed_evidence(doc, at, region[0] + guess[1].end())


def header_evidence(doc: Doc, start: int, end: int) -> dict:
    """Provenance of a value read from the decision's header (``"method": "header"``)."""
    return {**evidence(doc, start, end), "method": "header"}


def guessed_evidence(doc: Doc, start: int, end: int) -> dict:
    """Provenance of a value guessed from keywords (``"method": "guessed"``): the quote is
    the first keyword that led to the guess."""
    return {**evidence(doc, start, end), "method": "guessed"}


def set_year(fields: dict, prov: dict) -> None:
    """Fill ``year`` and ``year_is_approx`` from the decision date, else the reference."""
    if fields.get("decision_date"):
        fields["year"] = int(str(fields["decision_date"])[:4])
        fields["year_is_approx"] = False
        prov["year"] = prov.get("decision_date", {})
    elif fields.get("case_ref"):
        year = 2000 + int(str(fields["case_ref"])[:2])
        if year <= current_year():
            fields["year"] = year
            fields["year_is_approx"] = True
            if prov.get("case_ref"):
                prov["year"] = {**prov["case_ref"], "method": "guessed"}
    if not prov.get("year"):
        prov.pop("year", None)


_NOT_NAME_WORDS = frozenset(
    [
        "The",
        "This",
        "That",
        "Each",
        "Both",
        "A",
        "An",
        "Our",
        "Their",
        "His",
        "Her",
        "Its",
        "Which",
        "And",
        "If",
        "When",
        "Then",
        "So",
        "But",
        "Summary:",
        "Mr",
        "Mrs",
        "Ms",
    ]
)


def first_organisation(doc: Doc, region: Span | None = None) -> tuple[str, int, int] | None:
    """The first organisation named in the text ("Testshire County Council"), or ``None``;
    read in the first 6,000 characters of ``region`` (default: the whole text)."""
    start, end = region or (0, len(doc.text))
    for m in lexicon.ORG_PATTERN.finditer(doc.text, start, min(end, start + 6000)):
        name = re.split(r"[.!?:;]\s+", re.sub(r"\s+", " ", m.group(0)).strip())[-1]
        words = name.split()
        while words and words[0] in _NOT_NAME_WORDS:
            words.pop(0)
        if len(words) < 2 or words[0] in {"Council", "County", "City", "Borough", "District"}:
            continue
        name = " ".join(words)
        return name, m.end() - len(name), m.end()
    return None


def decision_from_text(doc: Doc, region: Span | None = None) -> tuple[str, int, int] | None:
    """The decision read from the findings when there is no header."""
    start, end = region or (0, len(doc.text))
    low = doc.low
    sections = [
        span
        for title, span in doc.sections(start, end)
        if re.search(r"decision|finding|conclu", title)
    ]
    for value, regex in _FOUND:
        for s, e in sections or [(start, end)]:
            m = regex.search(low, s, e)
            if m:
                return value, m.start(), m.end()
    return None


def extract_statement(doc: Doc) -> tuple[dict, dict]:
    """All codebook fields of a decision statement, and their provenance."""
    fields, prov = header_metadata(doc)
    facts = extract_facts(doc, (0, len(doc.text)), default_recipient="complainant")
    fields.update(facts.fields)
    prov.update(facts.provenance)
    return findings_only(fields, prov)
