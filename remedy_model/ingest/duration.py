"""The duration grammar: how long a failure lasted, in months, as decisions write it.

Forms understood (numbers in digits or words, "a"/"an" for one, "and a half" for .5):

- a length: "for two years" (24), "six weeks" (1.4), "over 18 months", "approximately six
  days" (0.2), "three and a half months" (3.5), "a year" (12), "a fortnight" (0.5);
- a range of months: "between April and September 2019" (6: both ends count, as the codebook
  counts "April to September 2017"), "from February 2020 until June 2021" (17), "from April to
  June 2019" (3);
- a range of years: "from 2011 to 2013" (24).

Lengths that are not how long something lasted are left out: deadlines ("within three
months"), ages ("aged 80", "seven years old"), points in time ("six days later", "two years
earlier", "two years ago") and frequencies ("every six weeks").

Weeks are 12/52 of a month and days 12/365 (a month is 30.4 days); results are rounded to one
decimal place.

>>> [d.months for d in find_durations("The Council failed to act for two years.")]
[24.0]
>>> [d.months for d in find_durations("Care was missing between April and September 2019.")]
[6.0]
>>> [d.months for d in find_durations("from February 2020 until June 2021")]
[17.0]
>>> [d.months for d in find_durations("The sore developed over about six weeks.")]
[1.4]
>>> [d.months for d in find_durations("Within three months the Council should apologise.")]
[]
>>> [d.months for d in find_durations("Six days later it had still not arrived.")]
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER_WORDS: dict[str, float] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a couple of": 2,
    "a few": 3,
    "several": 3,
    "both": 2,
}
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_WORDS = "one|two|three|four|five|six|seven|eight|nine"
NUMBER = (
    rf"(?:\d{{1,3}}(?:\.\d+)?|(?:{_TENS})(?:[- ](?:{_UNITS_WORDS}))?|"
    r"a couple of|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    rf"ten|{_UNITS_WORDS}|an|a)"
)
"""Regular expression for a number in digits or words (lower case)."""

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBR = {name[:3]: num for name, num in MONTHS.items()} | {"sept": 9}
MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)

UNIT_MONTHS = {
    "day": 12 / 365,
    "night": 12 / 365,
    "week": 12 / 52,
    "fortnight": 24 / 52,
    "month": 1.0,
    "year": 12.0,
}

_LENGTH = re.compile(
    rf"\b(?P<num>{NUMBER})(?P<half>\s+and\s+a\s+half)?[\s-]+"
    r"(?P<unit>day|night|week|fortnight|month|year)s?\b(?P<half2>\s+and\s+a\s+half)?"
)
_HALF_A_YEAR = re.compile(r"\bhalf\s+a\s+year\b|\bsix\s+months\b")
_RANGE_MONTHS = re.compile(
    rf"\b(?:between|from)\s+(?:(?:early|mid|late|the\s+end\s+of|the\s+start\s+of)[\s-]+)?"
    rf"(?P<m1>{MONTH})\.?(?:\s+(?P<y1>(?:19|20)\d\d))?\s*,?\s+"
    rf"(?:and|to|until|till|through|-)\s+(?:(?:early|mid|late|the\s+end\s+of)[\s-]+)?"
    rf"(?P<m2>{MONTH})\.?\s+(?P<y2>(?:19|20)\d\d)\b"
)
_RANGE_YEARS = re.compile(
    r"\b(?:between|from)\s+(?P<y1>(?:19|20)\d\d)\s+(?:and|to|until|till|-)\s+(?P<y2>(?:19|20)\d\d)\b"
)
_NOT_A_SPAN_BEFORE = re.compile(
    r"(?:\bwithin|\bin|\bafter|\bevery|\bper|\beach|\bfor\s+the\s+(?:next|following|first)|"
    r"\baged|\bage\s+of|\bnext|\bfollowing|\bfirst|\bsecond|\bthird|\blast\s+few|\bat|\bby|"
    r"£[\d,.]+(?:\s*(?:each|in\s+total))?|\b(?:days?|hours?|nights?|times|weeks?|sessions?|"
    r"visits?|calls?))\s*$"
)
_NOT_A_SPAN_AFTER = re.compile(
    r"^(?:'s|s')?[\s,]*(?:later|earlier|ago|before\s+(?:that|this|the\s+decision)|old\b|"
    r"of\s+age|after\s+(?:the|my|our|this|receiving)|from\s+(?:the\s+date|receipt|today|my|our)|"
    r"of\s+(?:my|our|the)\s+(?:final\s+)?decision|time\b|centres?\b|centers?\b|services?\b|"
    r"care\b|placements?\b|trips?\b|off\b|(?:a|per|each|every)\s+(?:day|week|month|year)\b)"
)


@dataclass(frozen=True)
class Duration:
    """A length of time found in text.

    Attributes
    ----------
    start, end : int
        Character span of the phrase.
    months : float
        The length in months, one decimal place.
    """

    start: int
    end: int
    months: float


def number_value(word: str) -> float | None:
    """Return the value of a number in digits or words, or ``None``.

    >>> number_value("eighteen"), number_value("twenty-four"), number_value("3"), number_value("an")
    (18, 24, 3.0, 1)
    """
    word = word.strip().lower()
    if not word:
        return None
    if word[0].isdigit():
        try:
            return float(word.replace(",", ""))
        except ValueError:
            return None
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    parts = re.split(r"[- ]", word)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def month_number(name: str) -> int | None:
    """Month number of a month name or abbreviation ("Sept" -> 9), else ``None``."""
    name = name.strip(".").lower()
    return MONTHS.get(name) or _MONTH_ABBR.get(name)


def find_durations(text: str, start: int = 0, end: int | None = None) -> list[Duration]:
    """Every duration in ``text[start:end]``, in order, with spans in ``text``'s offsets.

    ``text`` may be in any case; matching is on its lower-cased form.
    """
    end = len(text) if end is None else end
    low = text[start:end].lower()
    found: list[Duration] = []
    taken: list[tuple[int, int]] = []
    for m in _RANGE_MONTHS.finditer(low):
        m1, m2 = month_number(m["m1"]), month_number(m["m2"])
        y2 = int(m["y2"])
        y1 = int(m["y1"]) if m["y1"] else (y2 if (m1 or 0) <= (m2 or 0) else y2 - 1)
        if m1 is None or m2 is None:
            continue
        months = (y2 - y1) * 12 + (m2 - m1) + 1
        if 0 < months <= 600:
            found.append(Duration(start + m.start(), start + m.end(), float(months)))
            taken.append(m.span())
    for m in _RANGE_YEARS.finditer(low):
        months = (int(m["y2"]) - int(m["y1"])) * 12
        if 0 < months <= 600 and not _overlaps(m.span(), taken):
            found.append(Duration(start + m.start(), start + m.end(), float(months)))
            taken.append(m.span())
    for m in _length_matches(low):
        if _overlaps(m.span(), taken):
            continue
        before = low[max(0, m.start() - 25) : m.start()]
        after = low[m.end() : m.end() + 40]
        if _NOT_A_SPAN_BEFORE.search(before) or _NOT_A_SPAN_AFTER.match(after):
            continue
        if m["unit"] == "night":
            continue  # nights are respite counts, not how long a failure lasted
        value = number_value(m["num"])
        if value is None or value <= 0:
            continue
        if m["half"] or m["half2"]:
            value += 0.5
        months = round(value * UNIT_MONTHS[m["unit"]], 1)
        if 0 < months <= 600:
            found.append(Duration(start + m.start(), start + m.end(), months))
    found.sort(key=lambda d: d.start)
    return found


_UNIT_WORD = re.compile(r"(?:day|night|week|fortnight|month|year)s?\b")


def _length_matches(low: str) -> list[re.Match[str]]:
    """:data:`_LENGTH` matches, tried only just before unit words (much faster than a scan)."""
    out: list[re.Match[str]] = []
    last_end = -1
    for u in _UNIT_WORD.finditer(low):
        lo = max(0, u.start() - 45, last_end)
        for m in _LENGTH.finditer(low, lo, min(len(low), u.end() + 20)):
            if m.start() >= last_end and m.end() >= u.end():
                out.append(m)
                last_end = m.end()
                break
    return out


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def periods_in(months: float, unit: str) -> float:
    """How many ``unit`` periods (week, month, year, day) fit in ``months`` months.

    >>> periods_in(6, "week"), periods_in(24, "month"), periods_in(24, "year")
    (26.0, 24.0, 2.0)
    """
    per = UNIT_MONTHS.get(unit)
    if not per:
        return 0.0
    return round(months / per, 1)
