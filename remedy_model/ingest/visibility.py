"""Is the remedy visible? A payment said to be agreed without its sum hides it.

A case whose text says the body agreed to "make symbolic payments", "a symbolic financial
remedy", "a larger financial remedy", or refers the reader to a remedy section the text does not
hold, has a remedy we cannot see. Recording it as visible with no payment would make it a false
£0 training case, so ``remedy_visible`` is false there (the codebook's rule: "false if it only
says 'a payment' without the sum").

A sentence counts when it is about the remedy (agreed, recommended, offered, will or should be
done), is not negated ("I do not recommend a symbolic payment") and is not the Ombudsman's
guidance on remedies in general. Examples (our own sentences):

>>> bool(payment_without_sum("the council agreed to make symbolic payments to mrs k."))
True
>>> bool(payment_without_sum("i recommended a larger financial remedy."))
True
>>> bool(payment_without_sum("i do not recommend a symbolic payment."))
False
>>> bool(payment_without_sum("mrs k asked the council to stop making direct payments."))
False
"""

from __future__ import annotations

import re

from remedy_model.ingest.layout import Doc, Span

PAYMENT_WITHOUT_SUM = re.compile(
    r"\b(?:pay|make|made|offer\w*|recommend\w*|agreed)\s+(?:[\w'-]+\s+){0,4}(?:a|an)\s+"
    r"(?:[\w'-]+\s+){0,2}(?:payment|sum|amount)\b(?!\s+of\s+£)"
    r"|\bsymbolic\s+(?:financial\s+)?(?:payments?|remed(?:y|ies)|sums?|amounts?)\b(?!\s+of\s+£)"
    r"|\bfinancial\s+(?:remed(?:y|ies)|redress)\b(?!\s+of\s+£)"
    r"|\b(?:make|makes|making|pay)\s+(?:(?!direct\b)[\w'-]+\s+){0,2}?payments\b(?!\s+of\s+£)"
)
"""A payment mentioned without its sum."""

_REMEDY_CUE = re.compile(
    r"\b(?:agree\w*|recommend\w*|will|should|must|offer\w*|accept\w*|to\s+remedy|"
    r"as\s+a\s+remedy|put\s+(?:this|things)\s+right)\b"
)
"""Words that make a sentence about the remedy, not the story."""

_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|without|declin\w*|refus\w*|reject\w*|cannot|n't)\b"
    r"(?:\s+[\w'-]+){0,6}\s*$"
)
"""A negation in the few words before the mention."""

_GUIDANCE_WORDS = re.compile(
    r"guidance\s+on\s+remedies|\bour\s+guidance\b|\bwe\s+(?:may|can|usually|normally|"
    r"typically|generally|sometimes)\s+(?:also\s+)?(?:recommend|ask|suggest)"
)
_ALLEGATION = re.compile(r"\b(?:wants?|wanted|asked\s+for|seeks?|sought|complain\w*|says?)\b")

FORWARD_REMEDY = re.compile(
    r"\b(?:remed\w*|actions?|recommendations?)\s+(?:[\w'-]+\s+){0,3}?(?:set\s+out|listed|"
    r"described|detailed|explained|shown|given)\s+(?:below|later|at\s+the\s+end|in\s+(?:the\s+)?"
    r"(?:agreed\s+action|recommendations?|remedy|action)\b|in\s+paragraphs?\s+\d+)"
    r"|\bsee\s+(?:the\s+)?(?:agreed\s+action|recommendations?|remedy)\s+section\b"
)
"""A remedy left to a later section ("the actions set out at the end of this statement")."""

REMEDY_HEADING = re.compile(
    r"agreed\s+action|recommendation|^action|remed|what\s+should\s+happen|what\s+we\s+recommended"
)
"""Headings of the sections that state a remedy."""


def payment_without_sum(sentence: str) -> re.Match[str] | None:
    """The mention of a remedy payment without its sum in a lower-cased sentence, or ``None``."""
    if _GUIDANCE_WORDS.search(sentence) or not _REMEDY_CUE.search(sentence):
        return None
    for m in PAYMENT_WITHOUT_SUM.finditer(sentence):
        head = sentence[max(0, m.start() - 80) : m.start()]
        if _NEGATION.search(head) or _ALLEGATION.search(head[-60:]):
            continue
        return m
    return None


def hidden_remedy(doc: Doc, sentences: list[int], *, forward_ok: bool = True) -> Span | None:
    """Where the text shows the remedy is hidden, among ``sentences`` (indices), or ``None``.

    That is a payment mentioned without its sum, or (when ``forward_ok``) a remedy left to a
    section that the document does not hold.
    """
    low = doc.low
    forward = None
    for index in sentences:
        s, e = doc.sentences[index]
        if low.find("pay", s, e) >= 0 or low.find("remed", s, e) >= 0:
            m = payment_without_sum(low[s:e])
            if m:
                return s + m.start(), s + m.end()
        if forward is None:
            fm = FORWARD_REMEDY.search(low, s, e)
            forward = (fm.start(), fm.end()) if fm else None
    if forward and forward_ok and not _has_remedy_section(doc):
        return forward
    return None


def _has_remedy_section(doc: Doc) -> bool:
    """True when a heading of a remedy section is followed by some text."""
    return any(
        REMEDY_HEADING.search(title) and len(doc.text[a:b].strip()) >= 20
        for title, (a, b) in doc.sections()
    )
