"""The money grammar: which sums in a decision are remedy payments, and what each is for.

A *payment* is a sum the body is asked (or has agreed, or has already chosen) to pay, refund or
waive as a remedy. Every other sum (a care fee, a personal budget, a charge the person paid, a
cost to the council, the Ombudsman's guidance range) is not a payment.

How a sentence is read, with examples (all run as doctests through :func:`payments_in`):

- A pay-type verb (pay, refund, reimburse, waive, award, offer, "a payment of") before the sum
  in the same clause, or a purpose after it ("to acknowledge", "in recognition of", "for her
  distress"), makes the sum a payment:

  >>> amounts("The Council should pay Mrs Q £350 to acknowledge her distress.")
  [(350.0, True, 'distress', 'complainant')]

- A rate with a number of periods is one payment of the whole sum, with ``per_period``:

  >>> [(p.amount_gbp, p.per_period) for p in payments_in(
  ...     "It will pay Mr R £200 a month for eight months for the support he missed.")]
  [(1600.0, 'month')]

- "each" after or before the sum multiplies the *recipients*, one payment each:

  >>> [a[:3] for a in amounts("The Council will pay £200 each to Mr and Mrs T for their distress.")]
  [(200.0, True, 'distress'), (200.0, True, 'distress')]

- "each body" / "from each of the three bodies" multiplies the *payer*: one payment of the total.
  A stated total ("(a total of £900)") wins; a breakdown that adds up to it ("This included
  £600 for ... and £300 for ...") replaces it:

  >>> amounts("Each of the three bodies should pay Ms U £300 for her distress.")
  [(900.0, True, 'distress', 'complainant')]
  >>> amounts("We recommended each body pay Ms U £300 (a total of £600) for her distress.")
  [(600.0, True, 'distress', 'complainant')]

- Sums that are not remedies are left out:

  >>> amounts("Mrs V paid a weekly care fee of £650 and had a personal budget of £90.")
  []
  >>> amounts("The Council charged him £1,200 for respite care.")
  []

- A sum already paid counts when the Ombudsman finds it enough, not when it falls short:

  >>> amounts("The Council has already paid Mr W £250. That is a suitable remedy.")
  [(250.0, True, 'other', 'complainant')]
  >>> amounts("The Council offered Mr W £100. That is not enough for the distress caused.")
  []

- Refunds, waived charges and arrears of support are financial (``symbolic`` false):

  >>> amounts("It should refund Mr X's estate the £3,400 he paid for his own care.")
  [(3400.0, False, 'refund', 'estate')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from remedy_model.ingest.duration import NUMBER, find_durations, number_value, periods_in
from remedy_model.ingest.found import Amount, FoundPayment
from remedy_model.ingest.layout import Doc, Span
from remedy_model.ingest.recipients import (
    PERSON,
    Roles,
    count_people,
    names_someone,
    recipient_phrase,
    resolve_recipients,
)
from remedy_model.ingest.totals import TOTAL_BEFORE, merge_blocks, resolve_totals

__all__ = [
    "PERSON",
    "Amount",
    "FoundPayment",
    "Roles",
    "block_payments",
    "find_amounts",
    "merge_blocks",
    "parse_amount",
    "payments_in",
    "sentence_payments",
]

CONTEXT_CHARS = 300
"""Characters read on each side of a sum, inside its sentence. Every sum thus costs bounded work
and extraction time grows linearly with a document's length, even for one run-on sentence
holding thousands of sums (reading whole sentences around each sum made that quadratic). No
real remedy clause comes near this length."""

AMOUNT = re.compile(
    r"(?:£|gbp\s?)\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d{1,2})?"
    r"(?:\s?(?P<mult>k|m|million|thousand)\b)?"
    r"|\b(?P<num2>\d{1,3}(?:,\d{3})+|\d+)(?P<dec2>\.\d{1,2})?\s?pounds\b"
)
"""A sum of money: "£1,050", "£2.5k", "£1.2 million", "GBP 300", "300 pounds"."""

_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}

_PAY_VERB = re.compile(
    r"\b(?:pay|pays|paid|paying|payments?|refund\w*|reimburs\w*|repay\w*|waiv\w*|"
    r"write\s+off|writes\s+off|written\s+off|wipe\w*\s+(?:out|off)|cancel\w*|award\w*|"
    r"compensat\w*|offer\w*|goodwill|recompense|receive|receives)\b"
)
_PAY_MODIFIER = re.compile(
    r"\b(?:a\s+further|an\s+additional|the\s+sum\s+of|a\s+sum\s+of|remedy\s+of|"
    r"payment\s+of)\s*$"
)
_STRONG_FINANCIAL_VERB = re.compile(
    r"\b(?:refund\w*|reimburs\w*|repay\w*|waiv\w*|write\s+off|written\s+off|wipe\w*\s+(?:out|off)|"
    r"cancel\w*)\b"
)
_PERSON_SUBJECT = re.compile(
    r"(?:\b(?:she|he|they|mrs?|ms|miss|mx)(?:\s+[a-z])?|\bthe\s+(?:family|resident|complainant|"
    r"client|person)|\b(?:his|her|their)\s+(?:\w+\s+)?(?:family|son|daughter|wife|husband|"
    r"partner|mother|father|parents?))\s+(?:(?:had|has|have|was|were|been|already|also|then|"
    r"previously|herself|himself|themselves|to)\s+)*$"
)
_PASSIVE = re.compile(r"\b(?:was|were|been|be|being|is|are)\s+$")
_REFUND_ORDER = re.compile(
    r"\b(?:should|will|must|to|would|shall)\s+(?:[\w'-]+\s+){0,3}?(?:refund|reimburse|repay|"
    r"pay\s+(?:[\w'-]+\s+){0,2}?back)\b"
)
"""A refund ordered: "the Council will refund it", "agreed to reimburse"."""
_NEXT_CLAUSE = re.compile(
    r"[,;]?\s+(?:and|but|plus|as\s+well\s+as|while)\s+(?:also\s+)?(?:to\s+)?(?:will\s+|should\s+)?"
    r"(?:pay|refund|reimburs|repay|waiv|write|cancel|cover|meet|apologi[sz]|review|arrang|provid|"
    r"make|offer|ensur|remind|train|reassess|assess|backdat|consider|share|issu|updat|amend|"
    r"creat|complet|carry|agree)\w*\b|;"
)
"""Where a sum's own clause ends: "£2,100 to recognise the distress | and reimburse ..."."""
_PURPOSE_AFTER = re.compile(
    r"^[^£]{0,50}?\b(?:to\s+(?:acknowledge|recognise|recognize|reflect|remedy|make\s+up|"
    r"compensate|put\s+right)|in\s+recognition|for\s+(?:the\s+|her\s+|his\s+|their\s+|its\s+|"
    r"any\s+)?(?:\w+\s+){0,3}?(?:distress|trouble|injustice|uncertainty|frustration|anxiety|"
    r"upset|harm|pain|loss|lack|failure|faults?|impact|strain|time|missed|lost|inconvenience|"
    r"avoidable|stress|worry|education|respite|service|services|care|support|delay)|"
    r"as\s+a\s+(?:symbolic|goodwill|financial)\s+(?:payment|remedy|gesture))"
)
_NOT_REMEDY_BEFORE = re.compile(
    r"\b(?:fees?|charges?|charged|charging|costs?|costing|budgets?|debts?|invoices?|bills?|"
    r"top-?up|contributions?|income|savings|capital|rent|salary|wages|price|priced|value|valued|"
    r"worth|allowance|benefits?|direct\s+payments?|package|threshold|limit|spent|spending|"
    r"loan|overpayment|owed|owing|estimate\s+of|quoted|rate)\b[^£.;]{0,30}$"
)
_NOT_REMEDY_AFTER = re.compile(
    r"^\s*(?:a|an|per|each|every)?\s*(?:week|month|hour|night|day|year|weekly|monthly|hourly)?\s*"
    r"(?:care\s+)?(?:fees?|charges?|top-?up|rent|contribution|budget|direct\s+payments?|"
    r"package|towards\s+(?:her|his|their)\s+care|for\s+(?:her|his|their)\s+(?:care|placement))\b"
)
_GUIDANCE = re.compile(
    r"guidance\s+on\s+remedies|\bour\s+guidance\b|we\s+(?:usually|normally|typically|generally|"
    r"would\s+usually|would\s+normally)\s+(?:recommend|suggest|ask)|(?:usually|normally|"
    r"typically)\s+(?:between|in\s+the\s+range)|range\s+of\s+£|between\s+£[\d,]+\s+and\s+£"
)
_PAST_OFFER = re.compile(
    r"\b(?:already\s+(?:paid|offered|made)|has\s+(?:already\s+)?(?:paid|offered)|had\s+"
    r"(?:already\s+)?(?:paid|offered)|offered|previously\s+(?:paid|offered)|goodwill)\b"
)
_NOT_ENOUGH = re.compile(
    r"\bnot\s+(?:enough|sufficient|adequate|appropriate|proportionate|suitable|satisfactory|"
    r"reasonable)|\binsufficient|\binadequate|\btoo\s+(?:low|little|small)\b|\bdoes\s+not\s+"
    r"(?:go\s+far\s+enough|reflect|remedy|adequately)|\bfalls?\s+short|\bdeclined|\brefused|"
    r"\brejected|\b(?:not|n't)\s+(?:[\w']+\s+){0,4}(?:enough|sufficient|adequate|appropriate|"
    r"proportionate)\b"
)
_TOTAL_AFTER = re.compile(r"^\s*(?:in\s+total|in\s+all|altogether|overall|combined)\b")
_EACH_AFTER = re.compile(r"^\s*(?:\)\s*)?each\b")
_EACH_BEFORE = re.compile(r"\beach(?:\s+(?:receive|get|be\s+paid|be\s+given))?\s*$")
_TO_EACH_OF = re.compile(
    rf"^\s*(?:\w+\s+){{0,3}}?to\s+each\s+of\s+(?:the\s+|her\s+|his\s+|their\s+)?(?P<n>{NUMBER})\b"
)
_PAYER_EACH = re.compile(
    rf"\beach\s+of\s+(?:the\s+|both\s+)?(?:(?P<n>{NUMBER})\s+)?(?:bodies|organisations|"
    r"organizations|councils|authorities|agencies|trusts|parties)\b|\beach\s+(?:body|organisation|"
    r"organization|council|authority|agency|trust|ccg|party)\b|\beach\s+(?:should\s+|to\s+|will\s+|"
    r"would\s+|must\s+|shall\s+|also\s+)?(?:pay|pays|contribute)\b|\bboth\s+(?:bodies|"
    r"organisations|councils|agencies|trusts)\s+(?:should\s+|to\s+|will\s+)?(?:each\s+)?pay\b"
)
_FROM_EACH = re.compile(
    rf"^\s*from\s+each\s+of\s+(?:the\s+|both\s+)?(?:(?P<n>{NUMBER})\s+)?(?:bodies|organisations|"
    r"organizations|councils|authorities|agencies|trusts|parties)\b"
)
_SUBJECT_BEFORE_EACH = re.compile(
    r"(?P<who>(?:(?:his|her|their|the|[a-z]+'s)\s+)?(?:[\w-]+\s+){0,2}?[\w-]+)\s+"
    r"(?:(?:should|will|would|must|shall|can|may|also|to)\s+)*each\b"
)
_PERIOD = re.compile(
    r"^\s*(?:(?:a|an|per|each|every)\s+(?P<unit>week|month|year|day|night|fortnight)\b|"
    r"(?P<adv>weekly|monthly|yearly|annually|daily|nightly)\b)"
)
_PERIOD_COUNT = re.compile(
    rf"^\s*,?\s*(?:for|over)\s+(?:a\s+period\s+of\s+|the\s+|a\s+total\s+of\s+)?"
    rf"(?P<num>{NUMBER})\s+(?P<unit>week|month|year|day|night|fortnight)s?\b"
)
_ADVERB_UNIT = {
    "weekly": "week",
    "monthly": "month",
    "yearly": "year",
    "annually": "year",
    "daily": "day",
    "nightly": "night",
}

# Purposes in priority order: the first that matches the text after the sum (then before it,
# then the whole sentence) wins. (pattern, purpose, symbolic)
PURPOSE_RULES: list[tuple[re.Pattern[str], str, bool]] = [
    (
        re.compile(
            r"\brefund\w*|\breimburs\w*|\brepay\w*|\boverpa\w*|\bpaid\s+for\s+(?:her|his|their)\s+"
            r"own|\bfund(?:ing|ed)?\s+(?:her|his|their)\s+own|\bthe\s+expense\b|\bout\s+of\s+pocket|"
            r"\b(?:she|he|they)\s+(?:had\s+)?(?:paid|was\s+charged|were\s+charged)\b"
        ),
        "refund",
        False,
    ),
    (
        re.compile(
            r"\bwaiv\w*|\bwrite\s+off|\bwritten\s+off|\bwipe\w*\s+(?:out|off)|\bcancel\w*\s+"
            r"(?:\w+\s+){0,2}(?:debt|invoice|charges?|fees?|bill)|\bnot\s+(?:to\s+)?charge"
        ),
        "waived_charge",
        False,
    ),
    (
        re.compile(
            r"\bbackdat\w*|\bin\s+arrears|\barrears\s+of|\bholiday\s+payment|\bdiscretionary\s+"
            r"(?:\w+\s+){0,2}payment|\bdirect\s+payments?\s+(?:\w+\s+){0,2}(?:owed|due|"
            r"should\s+have)|\b(?:unpaid|missed)\s+(?:direct\s+)?payments"
        ),
        "backdated_support",
        False,
    ),
    (
        re.compile(
            r"\bfinancial\s+loss|\blost\s+(?:income|earnings|wages|benefits?)|\bloss\s+of\s+"
            r"(?:income|earnings|wages|benefits?)|\bcosts?\s+(?:she|he|they)\s+incurred|"
            r"\bexpenses\b|\bcosts?\s+incurred"
        ),
        "financial_loss",
        False,
    ),
    (re.compile(r"\btime\s+and\s+trouble|\btime\s+and\s+effort"), "time_and_trouble", True),
    (re.compile(r"\brespite\b|\bshort\s+breaks?\b"), "lost_respite", True),
    (re.compile(r"\beducation|\bschool\w*|\btuition|\blessons\b"), "lost_education", True),
    (
        re.compile(
            r"\bcarers?'?s?'?\s+(?:strain|support|role)|\bstrain\b|\bas\s+(?:[a-z]+\s+)?"
            r"(?:[a-z]'s\s+|[a-z]+'s\s+|his\s+|her\s+|their\s+)?carer\b|\bcaring\b|"
            r"\bunpaid\s+care"
        ),
        "carer_strain",
        True,
    ),
    (
        re.compile(
            r"\black\s+of\s+(?:\w+\s+){0,2}(?:services?|support|care|provision)|\bloss\s+of\s+"
            r"(?:\w+\s+){0,2}(?:services?|support|care|provision|independence)|\blost\s+(?:\w+\s+)?"
            r"(?:services?|support|care|provision)|\bmissed\s+(?:\w+\s+)?(?:care|support|"
            r"services?|calls|visits)|\bwithout\s+(?:the\s+)?(?:care|support|services?)|"
            r"\bindependence\b|\bday\s+services\b|\bservices?\s+(?:she|he|they)\s+"
            r"(?:missed|did\s+not\s+receive|should\s+have)|\bsupport\s+(?:she|he|they)\s+missed|"
            r"\bcare\s+(?:she|he|they)\s+(?:missed|did\s+not\s+receive)"
        ),
        "loss_of_service",
        True,
    ),
    (
        re.compile(
            r"\bdistress\w*|\bupset\b|\banxiety\b|\buncertainty\b|\bfrustration\b|\bpain\b|"
            r"\bworry\b|\bstress\b|\bembarrass\w*|\bhurt\b|\bhumiliat\w*|\binconvenience\b"
        ),
        "distress",
        True,
    ),
    (re.compile(r"\binjustice\b|\bharm\b|\bimpact\b"), "distress_generic", True),
]


def parse_amount(text: str) -> float | None:
    """The value of a written sum, or ``None``.

    >>> parse_amount("£1,050"), parse_amount("£2.5k"), parse_amount("£1.2 million")
    (1050.0, 2500.0, 1200000.0)
    """
    m = AMOUNT.search(text.lower())
    return _value(m) if m else None


def _value(m: re.Match[str]) -> float | None:
    num = m["num"] or m["num2"]
    dec = m["dec"] or m["dec2"] or ""
    try:
        value = float(num.replace(",", "") + dec)
    except (TypeError, ValueError):
        return None
    mult = m["mult"] if m["num"] else None
    if mult:
        value *= _MULT[mult]
    return value


def find_amounts(low: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Every sum of money in ``low[start:end]`` (lower-cased text), in order."""
    end = len(low) if end is None else end
    out = []
    for m in AMOUNT.finditer(low, start, end):
        value = _value(m)
        if value is not None and 0 < value <= 10_000_000:
            out.append(Amount(m.start(), m.end(), value))
    return out


def payments_in(text: str, roles: Roles | None = None) -> list[FoundPayment]:
    """Remedy payments in a short text (all its sentences as one block)."""
    doc = Doc.parse(text)
    return block_payments(doc, doc.sentences, roles or Roles())


def amounts(text: str) -> list[tuple[float, bool, str, str]]:
    """(amount, symbolic, purpose, recipient) of each payment in ``text``: for examples."""
    return [(p.amount_gbp, p.symbolic, p.purpose, p.recipient) for p in payments_in(text)]


def block_payments(doc: Doc, sentences: list[Span], roles: Roles) -> list[FoundPayment]:
    """Payments in consecutive sentences (one section), totals and breakdowns resolved."""
    found: list[FoundPayment] = []
    lead_in = ""
    low = doc.low
    for index, span in enumerate(sentences):
        s, e = span
        if low.find("£", s, e) >= 0 or low.find("pound", s, e) >= 0 or low.find("gbp", s, e) >= 0:
            nxt = sentences[index + 1] if index + 1 < len(sentences) else None
            following = low[nxt[0] : min(nxt[1], nxt[0] + CONTEXT_CHARS)] if nxt else ""
            found.extend(sentence_payments(doc, span, roles, lead_in=lead_in, following=following))
        end = e
        while end > s and low[end - 1].isspace():
            end -= 1
        if end > s and low[end - 1] == ":":
            lead_in = low[max(s, end - CONTEXT_CHARS) : end]
        elif not _is_bullet(doc.text, s):
            lead_in = ""
    return resolve_totals(doc, found)


def _is_bullet(text: str, pos: int) -> bool:
    """True when the line holding ``pos`` starts with a bullet (looked for nearby only)."""
    newline = text.rfind("\n", max(0, pos - 200), pos)
    if newline < 0 and pos > 200:
        return False
    head = text[newline + 1 : pos + 2].lstrip()
    return bool(head) and head[0] in "•*-–▪·>"


@dataclass(frozen=True)
class _Around:
    """The words around one sum of a sentence: bounded windows of the lower-cased text."""

    before: str
    """From the clause start (after the last ';') to the sum."""
    local_before: str
    """From the previous sum of the clause (or the clause start) to the sum."""
    after: str
    """To the next sum (or the sentence end)."""
    near: str
    """The 60 characters before the sum."""
    rest: str
    """To the sentence end."""
    sentence: str
    """The sentence around the sum."""
    offset: int
    """Where the sum starts in ``sentence``."""
    shares_clause: bool
    """An earlier sum stands in the same clause."""
    hi: int
    """Where ``rest`` ends in the document."""


def _around(low: str, span: Span, amts: list[Amount], i: int) -> _Around:
    """The context of sum ``i`` of the sentence ``span``, at most :data:`CONTEXT_CHARS` a side."""
    s, e = span
    a = amts[i]
    lo, hi = max(s, a.start - CONTEXT_CHARS), min(e, a.end + CONTEXT_CHARS)
    clause_start = max(low.rfind(";", lo, a.start) + 1, lo)
    prev_end = amts[i - 1].end if i > 0 else s
    next_start = amts[i + 1].start if i + 1 < len(amts) else e
    return _Around(
        before=low[clause_start : a.start],
        local_before=low[max(prev_end, clause_start) : a.start],
        after=low[a.end : min(next_start, hi)],
        near=low[max(s, a.start - 60) : a.start],
        rest=low[a.end : hi],
        sentence=low[lo:hi],
        offset=a.start - lo,
        shares_clause=i > 0 and prev_end > clause_start,
        hi=hi,
    )


def sentence_payments(
    doc: Doc, span: Span, roles: Roles, *, lead_in: str = "", following: str = ""
) -> list[FoundPayment]:
    """Remedy payments stated in one sentence.

    ``lead_in`` is the sentence that introduced a bullet list ("The Council will:"), whose verb
    governs the bullets; ``following`` is the next sentence, read for a verdict on a sum
    already offered ("That is enough").
    """
    s, e = span
    low = doc.low
    amts = find_amounts(low, s, e)
    if not amts or _GUIDANCE.search(low[s:e]):
        return []
    out: list[FoundPayment] = []
    for i, a in enumerate(amts):
        ctx = _around(low, span, amts, i)
        verb = _last_pay_verb(ctx.before)
        is_total = bool(TOTAL_BEFORE.search(ctx.near[-30:]) or _TOTAL_AFTER.match(ctx.after))
        kind = _is_remedy_sum(ctx, verb, is_total, lead_in, following, first=not out)
        if kind is not None:
            out.extend(_payments_at(low, a, span, ctx, verb, is_total, roles, kind))
    return out


def _is_remedy_sum(
    ctx: _Around,
    verb: tuple[str, int] | None,
    is_total: bool,
    lead_in: str,
    following: str,
    *,
    first: bool,
) -> str | None:
    """Whether the sum is a remedy payment: ``"payment"``, ``"refund"`` (a sum the person
    paid that the body is told to refund), or ``None`` (a fee, a budget, a charge, a sum the
    person paid with no refund ordered, an offer found not to be enough)."""
    lead_verb = _last_pay_verb(lead_in) if lead_in and verb is None else None
    purpose_after = bool(_PURPOSE_AFTER.match(ctx.after))
    if not (verb or lead_verb or is_total or purpose_after or _PAY_MODIFIER.search(ctx.near)):
        return None
    tail = ctx.near
    if verb is not None:
        verb_end = verb[1] + len(verb[0])
        if len(ctx.before) - verb_end < len(ctx.near):
            tail = ctx.before[verb_end:]
    strong = bool(_STRONG_FINANCIAL_VERB.search(ctx.before))
    if not strong and (_NOT_REMEDY_BEFORE.search(tail) or _NOT_REMEDY_AFTER.match(ctx.after)):
        return None
    if verb is not None and verb[0] in ("pay", "pays", "paid", "paying"):
        subject = ctx.before[: verb[1]]
        if subject and _PERSON_SUBJECT.search(subject) and not _PASSIVE.search(subject):
            return "refund" if _refund_ordered(subject, ctx.rest, following) else None
    if _PAST_OFFER.search(ctx.before) and (
        _NOT_ENOUGH.search(ctx.after) or _NOT_ENOUGH.search(following[:200])
    ):
        return None
    # "a total of £X" with no payment wording near: a total of other sums.
    if is_total and verb is None and not purpose_after and first:
        return "payment" if _PAY_VERB.search(ctx.sentence) else None
    return "payment"


def _refund_ordered(subject: str, rest: str, following: str) -> bool:
    """True when a sum the person paid is to be refunded: said before it, after it, or in the
    next sentence when that names no other sum ("The Council should refund this.")."""
    return bool(
        _REFUND_ORDER.search(subject)
        or _REFUND_ORDER.search(rest)
        or ("£" not in following and _REFUND_ORDER.search(following))
    )


def _payments_at(
    low: str,
    a: Amount,
    span: Span,
    ctx: _Around,
    verb: tuple[str, int] | None,
    is_total: bool,
    roles: Roles,
    kind: str,
) -> list[FoundPayment]:
    """The payment(s) a remedy sum stands for: one per person paid."""
    amount, end, per_period = _rate(low, a, ctx.hi)
    purpose, symbolic = ("refund", False) if kind == "refund" else _classify(ctx, verb)
    payer_each, payer_k = _payer_each(ctx)
    recipients = _recipients_of_sum(ctx, verb, roles, counting=not payer_each)
    if payer_each and is_total:
        payer_each = False  # "both bodies should pay a total of £600": one sum
    if payer_each and payer_k:
        amount = round(amount * payer_k, 2)
        payer_each = False
    if purpose == "distress_generic":
        purpose = "distress"
        if recipients and all(r == "carer" for r, _ in recipients):
            purpose = "carer_strain"
    return [
        FoundPayment(
            amount_gbp=amount,
            symbolic=symbolic,
            purpose=purpose,
            recipient=recipient,
            per_period=per_period,
            span=(a.start, end),
            sentence=span,
            is_total=is_total,
            payer_each=payer_each,
            recipient_from_text=from_text,
            note="paid by each of several bodies" if payer_each else None,
        )
        for recipient, from_text in recipients
    ]


def _rate(low: str, a: Amount, hi: int) -> tuple[float, int, str | None]:
    """(whole amount, end of the phrase, period) for "£200 a month for eight months"."""
    pm = _PERIOD.match(low[a.end : hi])
    if not pm:
        return a.value, a.end, None
    unit = pm["unit"] or _ADVERB_UNIT[pm["adv"]]
    end = a.end + pm.end()
    count = _period_count(low, end, hi, unit)
    if count:
        return round(a.value * count[0], 2), count[1], unit
    return a.value, end, unit


def _payer_each(ctx: _Around) -> tuple[bool, float | None]:
    """(paid by each of several bodies, how many bodies when the text says)."""
    pe = _PAYER_EACH.search(ctx.before) or _FROM_EACH.match(ctx.after)
    if not pe:
        return False, None
    if pe["n"]:
        return True, number_value(pe["n"])
    return True, 2 if re.search(r"\bboth\b", pe.group(0)) else None


def _recipients_of_sum(
    ctx: _Around, verb: tuple[str, int] | None, roles: Roles, *, counting: bool
) -> list[tuple[str, bool]]:
    """(recipient, named in the text) for each person the sum is paid to."""
    if ctx.shares_clause:
        phrase = recipient_phrase(
            ctx.local_before, ctx.after, ctx.rest, (verb[0], -1) if verb else None, roles
        )
    else:
        phrase = recipient_phrase(ctx.before, ctx.after, ctx.rest, verb, roles)
    n_people = 1
    if counting:
        te = _TO_EACH_OF.match(ctx.after)
        if te:
            n_people = int(number_value(te["n"]) or 1)
        elif _EACH_AFTER.match(ctx.after) or _EACH_BEFORE.search(ctx.local_before):
            if not phrase:
                subjects = list(_SUBJECT_BEFORE_EACH.finditer(ctx.local_before))
                if subjects and names_someone(subjects[-1]["who"], roles):
                    phrase = subjects[-1]["who"]
            n_people = count_people(phrase)
    return resolve_recipients(phrase, n_people, roles, ctx.sentence, ctx.offset)


def _last_pay_verb(text: str) -> tuple[str, int] | None:
    """The last pay-type word in ``text`` and its offset, or ``None``."""
    last = None
    for m in _PAY_VERB.finditer(text):
        last = m
    if last is None:
        return None
    return last.group(0), last.start()


def _period_count(low: str, pos: int, end: int, unit: str) -> tuple[float, int] | None:
    """Number of ``unit`` periods stated right after a rate, and where the phrase ends."""
    m = _PERIOD_COUNT.match(low[pos:end])
    if m:
        value = number_value(m["num"])
        if value:
            if m["unit"] == unit:
                return value, pos + m.end()
            months = value * {"week": 12 / 52, "month": 1, "year": 12, "day": 12 / 365}.get(
                m["unit"], 0
            )
            periods = periods_in(months, unit)
            if periods:
                return periods, pos + m.end()
    window = low[pos : min(end, pos + 80)]
    head = re.match(r"^\s*,?\s*(?:from|between)\b", window)
    if head:
        spans = find_durations(window)
        if spans and spans[0].start <= head.end():
            periods = periods_in(spans[0].months, unit)
            if periods:
                return periods, pos + spans[0].end
    return None


def _classify(ctx: _Around, verb: tuple[str, int] | None) -> tuple[str, bool]:
    """(purpose, symbolic) of a sum, read from its own clause.

    A refund, repayment or waiver verb governing the sum makes it financial whatever follows
    ("refund the £1,400 she paid for respite" is a refund). Otherwise the purpose comes from
    the sum's own clause ("£2,100 to recognise the distress caused | and reimburse her fees" is
    for distress), else the words before it, else the sentence around it.
    """
    own = ctx.after[:160]
    cut = _NEXT_CLAUSE.search(own)
    if cut:
        own = own[: cut.start()]
    if verb is not None and _STRONG_FINANCIAL_VERB.match(verb[0]):
        for regex, purpose, symbolic in PURPOSE_RULES:
            if not symbolic and regex.search(own):
                return purpose, symbolic
        if verb[0].startswith(("refund", "reimburs", "repay")):
            return "refund", False
        return "waived_charge", False
    for text in (own, ctx.local_before, ctx.sentence):
        for regex, purpose, symbolic in PURPOSE_RULES:
            if regex.search(text):
                return purpose, symbolic
    return "other", True
