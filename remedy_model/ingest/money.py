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
from dataclasses import dataclass, field, replace
from itertools import combinations

from remedy_model.ingest.duration import NUMBER, find_durations, number_value, periods_in
from remedy_model.ingest.layout import Doc, Span

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
_TOTAL_BEFORE = re.compile(
    r"(?:\btotal(?:ling|led)?(?:\s+(?:sum|amount))?(?:\s+of)?|\bin\s+total(?:\s+of)?|"
    r"\baltogether|\boverall|\bcombined|\bcumulative)\s*$"
)
_TOTAL_AFTER = re.compile(r"^\s*(?:in\s+total|in\s+all|altogether|overall|combined)\b")
_BREAKDOWN = re.compile(
    r"\b(?:this|which|that|these|it)\s+(?:included|includes|include|comprised|comprises|"
    r"consisted|consists|was\s+made\s+up|is\s+made\s+up|breaks?\s+down)|\bincluding\b|"
    r"\bmade\s+up\s+of\b|\bcomprising\b|\bof\s+which\b|\bbroken\s+down\b|\bconsisting\s+of\b|"
    r"\bas\s+follows\b|:\s*$"
)
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

# --- recipients ----------------------------------------------------------------------------------

PERSON = re.compile(
    r"\b(?:mrs|mr|ms|miss|mx|dr|master)\s+[a-z]\b(?!')|\b(?:mrs|mr|ms|miss|mx)\s+[a-z](?='s)"
)
_PARENT = re.compile(r"\b(?:parents?|mother|father|mum|dad|step-?(?:mother|father)|grandparents)\b")
_RELATION = re.compile(
    r"\b(?:brother-in-law|sister-in-law|son-in-law|daughter-in-law|ex-partner|ex-husband|ex-wife|"
    r"son|sons|daughter|daughters|wife|husband|partner|sister|brother|family|relatives?|niece|"
    r"nephew|grandson|granddaughter|grandmother|grandfather|spouse|cousin|aunt|uncle|children)\b"
)
_ESTATE = re.compile(r"\bestate\b")
_PRONOUN = re.compile(r"^\s*(?:her|him|them)\b")
_TO_RECIPIENT = re.compile(
    r"\bto\s+(?P<who>(?:each\s+of\s+)?(?:the\s+|her\s+|his\s+|their\s+)?(?:(?:mrs?|ms|miss|mx|dr)"
    r"\s+[a-z]\b(?:'s\s+[a-z-]+)?|[a-z]+'s\s+(?:estate|[a-z-]+)|(?:late\s+)?[a-z-]+(?:\s+and\s+"
    r"(?:his|her|their\s+)?[a-z-]+)?))"
)
_SPLIT_PEOPLE = re.compile(r"\s*(?:,|\band\b|&)\s*")
_PLURAL_COUNTS = {"parents": 2, "grandparents": 2, "couple": 2, "both": 2, "twins": 2}


@dataclass
class Roles:
    """Who is who in one case, for naming payment recipients.

    Attributes
    ----------
    people : dict
        Lower-cased person token ("ms p", "winnie", "dm") -> codebook recipient.
    carer_relations : set
        Relations ("brother-in-law") the text calls an unpaid carer.
    default : str
        Recipient when the text names nobody (the complainant for a decision statement, the
        person the case study is about for a review).
    """

    people: dict[str, str] = field(default_factory=dict)
    carer_relations: set[str] = field(default_factory=set)
    default: str = "complainant"


@dataclass
class FoundPayment:
    """One remedy payment found in the text, before it becomes a codebook payment dict."""

    amount_gbp: float
    symbolic: bool
    purpose: str
    recipient: str
    per_period: str | None
    span: Span
    sentence: Span
    is_total: bool = False
    payer_each: bool = False
    recipient_from_text: bool = False
    note: str | None = None

    @property
    def basis(self) -> str:
        """A few words, our own, on what the payment is for."""
        words = _BASIS[self.purpose]
        return f"{words} (rate per {self.per_period})" if self.per_period else words

    def as_dict(self) -> dict[str, object]:
        """The codebook's payment object."""
        return {
            "amount_gbp": self.amount_gbp,
            "recipient": self.recipient,
            "purpose": self.purpose,
            "symbolic": self.symbolic,
            "per_period": self.per_period,
            "basis": self.basis,
        }


_BASIS = {
    "distress": "avoidable distress caused by the faults",
    "time_and_trouble": "time and trouble pursuing the complaint",
    "loss_of_service": "care or support that was not provided",
    "carer_strain": "extra strain on the unpaid carer",
    "lost_respite": "respite or short breaks not provided",
    "lost_education": "education that was not provided",
    "refund": "refund of money paid out",
    "financial_loss": "money lost because of the faults",
    "waived_charge": "charges cancelled or waived",
    "backdated_support": "support money owed from the past",
    "other": "remedy payment, purpose not stated",
}


@dataclass(frozen=True)
class Amount:
    """A sum of money at ``[start, end)``."""

    start: int
    end: int
    value: float


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
            following = low[nxt[0] : nxt[1]] if nxt else ""
            found.extend(sentence_payments(doc, span, roles, lead_in=lead_in, following=following))
        end = e
        while end > s and low[end - 1].isspace():
            end -= 1
        if end > s and low[end - 1] == ":":
            lead_in = low[s:end]
        elif not _is_bullet(doc.text, s):
            lead_in = ""
    return _resolve_totals(doc, found)


def _is_bullet(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    head = text[line_start : pos + 2].lstrip()
    return bool(head) and head[0] in "•*-–▪·>"


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
    if not amts:
        return []
    sentence = low[s:e]
    if _GUIDANCE.search(sentence):
        return []
    out: list[FoundPayment] = []
    prev_end = s
    for i, a in enumerate(amts):
        next_start = amts[i + 1].start if i + 1 < len(amts) else e
        clause_start = max(low.rfind(";", s, a.start) + 1, s)
        before = low[clause_start : a.start]
        local_before = low[max(prev_end, clause_start) : a.start]
        after = low[a.end : next_start]
        near = low[max(s, a.start - 60) : a.start]
        prev_end = a.end

        is_total = bool(_TOTAL_BEFORE.search(near[-30:]) or _TOTAL_AFTER.match(after))
        verb = _last_pay_verb(before)
        lead_verb = _last_pay_verb(lead_in) if lead_in and verb is None else None
        modifier = bool(_PAY_MODIFIER.search(near))
        strong = bool(_STRONG_FINANCIAL_VERB.search(before))
        purpose_after = bool(_PURPOSE_AFTER.match(after))
        if (
            verb is None
            and lead_verb is None
            and not modifier
            and not purpose_after
            and not is_total
        ):
            continue
        tail = near
        if verb is not None and verb[1] >= 0:
            verb_end = clause_start + verb[1] + len(verb[0])
            if verb_end > a.start - len(near):
                tail = low[verb_end : a.start]
        if not strong and (_NOT_REMEDY_BEFORE.search(tail) or _NOT_REMEDY_AFTER.match(after)):
            continue
        if verb is not None and verb[0] in ("pay", "pays", "paid", "paying") and not purpose_after:
            subject = before[: verb[1]] if verb[1] >= 0 else ""
            if subject and _PERSON_SUBJECT.search(subject):
                continue
        if _PAST_OFFER.search(before) and (
            _NOT_ENOUGH.search(after) or _NOT_ENOUGH.search(following[:200])
        ):
            continue
        if (
            is_total
            and verb is None
            and not purpose_after
            and not out
            and not _PAY_VERB.search(sentence)
        ):
            continue  # "a total of £X" with no payment wording near: a total of other sums

        amount = a.value
        end = a.end
        per_period = None
        pm = _PERIOD.match(low[a.end : e])
        if pm:
            unit = pm["unit"] or _ADVERB_UNIT[pm["adv"]]
            per_period = unit
            end = a.end + pm.end()
            count = _period_count(low, end, e, unit)
            if count:
                amount = round(a.value * count[0], 2)
                end = count[1]

        purpose, symbolic = _classify(after, local_before, sentence)

        payer_k: float | None = None
        payer_each = False
        pe = _PAYER_EACH.search(before) or _FROM_EACH.match(after)
        if pe:
            payer_each = True
            if pe["n"]:
                payer_k = number_value(pe["n"])
            elif re.search(r"\bboth\b", pe.group(0)):
                payer_k = 2
        n_people = 1
        phrase = _recipient_phrase(
            local_before if prev_amount_in_clause(amts, i, clause_start) else before,
            after,
            low[a.end : e],
            verb
            if not prev_amount_in_clause(amts, i, clause_start)
            else (verb[0], -1)
            if verb
            else None,
            roles,
        )
        if not payer_each:
            te = _TO_EACH_OF.match(after)
            if te:
                n_people = int(number_value(te["n"]) or 1)
            elif _EACH_AFTER.match(after) or _EACH_BEFORE.search(local_before):
                if not phrase:
                    subjects = list(_SUBJECT_BEFORE_EACH.finditer(local_before))
                    sm = subjects[-1] if subjects else None
                    if sm and _names_someone(sm["who"], roles):
                        phrase = sm["who"]
                n_people = _count_people(phrase)
        recipients = _resolve_recipients(phrase, n_people, roles, sentence, a.start - s)
        if payer_each and is_total:
            payer_each = False  # "both bodies should pay a total of £600": one sum
        if payer_each and payer_k:
            amount = round(amount * payer_k, 2)
            payer_each = False
        if purpose == "distress_generic":
            purpose = "distress"
            if recipients and all(r == "carer" for r, _ in recipients):
                purpose = "carer_strain"
        for recipient, from_text in recipients:
            out.append(
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
            )
    return out


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


def _classify(after: str, before: str, sentence: str) -> tuple[str, bool]:
    """(purpose, symbolic) from the words after the sum, else before it, else the sentence."""
    for text in (after[:160], before, sentence):
        for regex, purpose, symbolic in PURPOSE_RULES:
            if regex.search(text):
                return purpose, symbolic
    return "other", True


def prev_amount_in_clause(amts: list[Amount], i: int, clause_start: int) -> bool:
    """True if another sum comes between the clause start and sum ``i``."""
    return i > 0 and amts[i - 1].end > clause_start


def _names_someone(phrase: str, roles: Roles) -> bool:
    if not phrase or not re.search(r"[a-z]", phrase):
        return False
    if (
        PERSON.search(phrase)
        or _PARENT.search(phrase)
        or _RELATION.search(phrase)
        or _ESTATE.search(phrase)
        or _PRONOUN.match(phrase)
        or re.search(r"\b(?:carers?|child|young\s+person|complainant)\b", phrase)
    ):
        return True
    return any(re.search(rf"\b{re.escape(t)}\b", phrase) for t in roles.people)


def _recipient_phrase(
    before: str, after: str, rest: str, verb: tuple[str, int] | None, roles: Roles
) -> str:
    """The words naming who is paid.

    In order: "(each) to X" right after the sum; the words between the verb (or the previous
    sum) and the sum; a "to X" later in the sentence; a person named after the sum.
    """
    m = re.match(
        r"^\s*(?:\)\s*)?(?:each\s+)?to\s+(?:each\s+of\s+)?(?P<who>[^,;.()£]{1,60}?)"
        r"(?=\s+(?:for|in|to|as|by|on|within|because|who|after)\b|[,;.(]|$)",
        after,
    )
    if m and _names_someone(m["who"], roles):
        return m["who"].strip()
    start = verb[1] + len(verb[0]) if verb is not None and verb[1] >= 0 else 0
    between = before[start:]
    between = re.sub(r"\beach\s*$|\b(?:a\s+)?(?:total\s+of|further|sum\s+of)\s*$", "", between)
    between = re.sub(r"^\s*(?:of|to|and|,)\s+", "", between).strip(" ,")
    if 0 < len(between) < 60 and _names_someone(between, roles):
        return between
    for m in _TO_RECIPIENT.finditer(rest):
        if _names_someone(m["who"], roles):
            return m["who"].strip()
    m = PERSON.search(after[:100])
    if m:
        return m.group(0)
    return ""


def _count_people(phrase: str) -> int:
    """How many people a recipient phrase names ("Mr and Mrs T" 2, "his parents" 2)."""
    if not phrase:
        return 1
    m = re.search(
        rf"\b(?P<n>{NUMBER})\s+(?:\w+\s+)?(?:children|sons|daughters|grandchildren|"
        r"siblings|people|persons|relatives|brothers|sisters|members)\b",
        phrase,
    )
    if m:
        value = number_value(m["n"])
        if value and value > 1:
            return int(value)
    for word, count in _PLURAL_COUNTS.items():
        if re.search(rf"\b{word}\b", phrase):
            return count
    parts = [p for p in _SPLIT_PEOPLE.split(phrase) if re.search(r"[a-z]", p)]
    return max(1, len(parts))


def _resolve_recipients(
    phrase: str, n: int, roles: Roles, sentence: str, offset: int
) -> list[tuple[str, bool]]:
    """``n`` (recipient, named-in-text) pairs for a phrase; split "Ms P and DM" when n > 1."""
    if n > 1:
        parts = [p for p in _SPLIT_PEOPLE.split(phrase) if re.search(r"[a-z]", p)]
        # "Mr and Mrs T": a bare title shares the last part's letter.
        tail = re.search(r"\s([a-z])$", parts[-1]) if parts else None
        if tail:
            parts = [
                f"{p} {tail[1]}" if re.fullmatch(r"mrs?|ms|miss|mx|dr", p) else p for p in parts
            ]
        if len(parts) == n:
            return [_recipient_of(p, roles, sentence, offset) for p in parts]
        one = _recipient_of(phrase, roles, sentence, offset)
        return [one] * n
    return [_recipient_of(phrase, roles, sentence, offset)]


def _recipient_of(phrase: str, roles: Roles, sentence: str, offset: int) -> tuple[str, bool]:
    """The codebook recipient for a phrase naming one person (or group)."""
    p = phrase.strip()
    if not p:
        return roles.default, False
    if _ESTATE.search(p):
        return "estate", True
    if re.search(
        r"\bas\s+(?:[a-z]+\s+)?(?:[a-z]'s\s+|[a-z]+'s\s+|his\s+|her\s+|their\s+)?carer", p
    ):
        return "carer", True
    if _PARENT.search(p):
        return "parent", True
    for token in PERSON.findall(p):
        role = roles.people.get(token)
        if role:
            return role, True
    for token, role in roles.people.items():
        if re.search(rf"\b{re.escape(token)}\b(?!')", p) and not re.search(
            rf"\b{re.escape(token)}'s\s+\w", p
        ):
            return role, True
    rel = _RELATION.search(p)
    if rel:
        if rel.group(0) in roles.carer_relations:
            return "carer", True
        return "family", True
    if re.search(r"\bcarers?\b", p):
        return "carer", True
    if re.search(r"\b(?:child|young\s+person|boy|girl)\b", p):
        return "child", True
    if _PRONOUN.match(p):
        earlier = PERSON.findall(sentence[:offset])
        for token in reversed(earlier):
            if token in roles.people:
                return roles.people[token], True
        return roles.default, False
    if PERSON.search(p):
        return "complainant", True
    return roles.default, False


def _resolve_totals(doc: Doc, found: list[FoundPayment]) -> list[FoundPayment]:
    """Merge "each body £X (a total of £Y)", drop totals that repeat their parts."""
    out: list[FoundPayment] = []
    for c in found:
        if c.is_total and out:
            p = out[-1]
            if p.sentence == c.sentence and p.payer_each and not p.is_total:
                out[-1] = replace(p, amount_gbp=c.amount_gbp, payer_each=False, note=p.note)
                continue
            run = [q for q in out if q.sentence == c.sentence and not q.is_total]
            if len(run) >= 2 and abs(sum(q.amount_gbp for q in run) - c.amount_gbp) < 0.5:
                continue
        out.append(c)
    # A total followed by a breakdown that adds up to it: keep the parts.
    result: list[FoundPayment] = []
    i = 0
    while i < len(out):
        c = out[i]
        parts_end = _breakdown_end(doc, out, i)
        if parts_end is not None:
            for q in out[i + 1 : parts_end]:
                if not q.recipient_from_text and c.recipient_from_text:
                    q = replace(q, recipient=c.recipient, recipient_from_text=True)
                result.append(q)
            i = parts_end
            continue
        result.append(c)
        i += 1
    return drop_repeated_totals(result)


def _breakdown_end(doc: Doc, items: list[FoundPayment], i: int) -> int | None:
    """If items after ``i`` are a breakdown of item ``i``, the index after the last part."""
    total = items[i].amount_gbp
    acc = 0.0
    for j in range(i + 1, len(items)):
        q = items[j]
        if j == i + 1:
            gap = doc.low[items[i].span[1] : q.span[0]]
            if not (
                _BREAKDOWN.search(gap)
                or _TOTAL_BEFORE.search(doc.low[max(0, items[i].span[0] - 30) : items[i].span[0]])
                or items[i].is_total
            ):
                return None
            if len(gap) > 400:
                return None
        acc += q.amount_gbp
        if abs(acc - total) < 0.5 and j > i + 1:
            return j + 1
        if acc > total + 0.5:
            return None
    return None


def drop_repeated_totals(items: list[FoundPayment]) -> list[FoundPayment]:
    """Drop a stated total that equals the sum of two or more of the other payments."""
    keep = list(items)
    for c in items:
        if not c.is_total or c not in keep:
            continue
        others = [q.amount_gbp for q in keep if q is not c]
        if _subset_sums_to(others, c.amount_gbp):
            keep.remove(c)
    return keep


def _subset_sums_to(values: list[float], target: float) -> bool:
    if len(values) < 2:
        return False
    if abs(sum(values) - target) < 0.5:
        return True
    if len(values) > 12:
        return False
    for size in range(2, len(values)):
        for combo in combinations(values, size):
            if abs(sum(combo) - target) < 0.5:
                return True
    return False


def merge_blocks(blocks: list[list[FoundPayment]]) -> list[FoundPayment]:
    """Combine the payments of several sections that may repeat each other.

    A decision often states its remedy twice (summary and agreed action; a report's actions
    and its financial section). Each amount is kept as many times as the section that states
    it most often, so repeats collapse while two equal payments in one section both stay.
    Totals of payments stated elsewhere are then dropped.
    """
    chosen: dict[float, list[FoundPayment]] = {}
    order: list[float] = []
    for block in blocks:
        by_amount: dict[float, list[FoundPayment]] = {}
        for p in block:
            by_amount.setdefault(p.amount_gbp, []).append(p)
        for amount, items in by_amount.items():
            if amount not in chosen:
                order.append(amount)
                chosen[amount] = items
            elif len(items) > len(chosen[amount]):
                chosen[amount] = items
    merged = [p for amount in order for p in chosen[amount]]
    merged.sort(key=lambda p: p.span[0])
    return drop_repeated_totals(merged)
