"""Who a remedy payment goes to: the people of one case and the words naming a recipient.

:class:`Roles` says who is who in a case (complainant, cared-for person, carer); the functions
read the words around a sum ("to Mr and Mrs T", "to her son as his carer") and return one
codebook recipient per person paid. Every phrase they read is a bounded window of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from remedy_model.ingest.duration import NUMBER, number_value

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


def names_someone(phrase: str, roles: Roles) -> bool:
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


def recipient_phrase(
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
    if m and names_someone(m["who"], roles):
        return m["who"].strip()
    start = verb[1] + len(verb[0]) if verb is not None and verb[1] >= 0 else 0
    between = before[start:]
    between = re.sub(r"\beach\s*$|\b(?:a\s+)?(?:total\s+of|further|sum\s+of)\s*$", "", between)
    between = re.sub(r"^\s*(?:of|to|and|,)\s+", "", between).strip(" ,")
    if 0 < len(between) < 60 and names_someone(between, roles):
        return between
    for m in _TO_RECIPIENT.finditer(rest):
        if names_someone(m["who"], roles):
            return m["who"].strip()
    m = PERSON.search(after[:100])
    if m:
        return m.group(0)
    return ""


def count_people(phrase: str) -> int:
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


def resolve_recipients(
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
