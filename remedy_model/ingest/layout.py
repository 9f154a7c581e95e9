"""Sentences, headings and sections of a document's plain text, as character spans.

The extractors never copy text around: they work on spans ``(start, end)`` of one string, so
every value they find can point back at the exact characters it came from.

:class:`Doc` holds the text, a lower-cased copy with typographic quotes and dashes made plain
(one character for one, so offsets agree), the sentence spans and the heading lines.

A *heading* is a short line (at most ten words, no closing full stop or comma) that stands
alone: the line before it is blank, ends a sentence, or is itself a heading, and the line after
it starts a new sentence. Sentences end at ``.``, ``!`` or ``?`` followed by a capital, at blank
lines, at headings and at the start of a bullet or numbered item.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

Span = tuple[int, int]

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2022": "*",
        "\u25aa": "*",
        "\u00b7": "*",
    }
)

_PLAIN_PAIRS = [(chr(k), v) for k, v in _PLAIN.items()]

_BULLET_START = re.compile(
    r"[ \t]*(?:[*\-\u2022\u25aa\u00b7\u2013>]+[ \t]|\(?\d{1,2}[.)][ \t]|\(?[a-z][.)][ \t])"
)
_SENTENCE_END = re.compile(
    "([.!?][\"')\\]\u2019\u201d]*)(?:[ \t]+(?=[\"'(\u2018\u201c]?[A-Z0-9£*\u2022])|[ \t]*\n)"
)
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "e.g",
        "eg",
        "i.e",
        "ie",
        "etc",
        "vs",
        "cf",
        "para",
        "paras",
        "ref",
        "approx",
        "co",
        "ltd",
        "inc",
        "sec",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_DIGITS_ONLY = re.compile(r"^[\d\s./|-]*$")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+(?=[A-Z])")


def plain_lower(text: str) -> str:
    """Lower-case ``text`` with quotes and dashes made ASCII, keeping every offset.

    >>> plain_lower("Mr Y\u2019s \u2013 Carer")
    "mr y's - carer"
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if not low.isascii():
        for char, plain in _PLAIN_PAIRS:
            if char in low:
                low = low.replace(char, plain)
    return low


@dataclass
class Doc:
    """A document's text with its sentence and heading spans.

    Attributes
    ----------
    text : str
        The original text (offsets refer to it).
    low : str
        :func:`plain_lower` of ``text``; regular expressions run on this.
    sentences : list of Span
        Sentence spans in order, whitespace trimmed.
    headings : list of Span
        Heading line spans in order.
    """

    text: str
    low: str = ""
    sentences: list[Span] = field(default_factory=list)
    headings: list[Span] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def parse(cls, text: str) -> Doc:
        """Split ``text`` into sentences and headings."""
        doc = cls(text=text, low=plain_lower(text))
        doc.sentences, doc.headings = _split(text, doc.low)
        doc._starts = [s for s, _ in doc.sentences]
        return doc

    def sentences_in(self, start: int, end: int) -> list[Span]:
        """Sentence spans that start inside ``[start, end)``."""
        lo = bisect_right(self._starts, start - 1)
        hi = bisect_right(self._starts, end - 1)
        return [(s, min(e, end)) for s, e in self.sentences[lo:hi]]

    def sentence_at(self, pos: int) -> Span:
        """The sentence span containing ``pos`` (or a span of the position alone)."""
        index = bisect_right(self._starts, pos) - 1
        if index >= 0:
            s, e = self.sentences[index]
            if s <= pos < e:
                return s, e
        return pos, pos + 1

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence containing or preceding ``pos`` (-1 if none)."""
        return bisect_right(self._starts, pos) - 1

    def heading_text(self, span: Span) -> str:
        """The lower-cased plain text of a heading span."""
        return self.low[span[0] : span[1]].strip().rstrip(":").strip()

    def sections(self, start: int = 0, end: int | None = None) -> list[tuple[str, Span]]:
        """Sections between headings inside ``[start, end)``: (heading text, body span).

        Text before the first heading is a section with heading ``""``.
        """
        end = len(self.text) if end is None else end
        heads = [h for h in self.headings if start <= h[0] < end]
        out: list[tuple[str, Span]] = []
        cursor, title = start, ""
        for h in heads:
            if h[0] > cursor:
                out.append((title, (cursor, h[0])))
            title, cursor = self.heading_text(h), h[1]
        if cursor < end:
            out.append((title, (cursor, end)))
        return out


def _is_heading(line: str, prev: str | None, prev_heading: bool, nxt: str | None) -> bool:
    s = line.strip()
    if not 2 <= len(s) <= 70 or s[-1] in ".,;!?" or _DIGITS_ONLY.match(s):
        return False
    numbered = _NUMBERED_HEADING.match(s)
    if numbered:
        s = s[numbered.end() :]
        if not s:
            return False
    elif _BULLET_START.match(line):
        return False
    if not s[0].isalpha() or not s[0].isupper():
        return False
    if len(s.split()) > 10:
        return False
    if prev is not None:
        p = prev.strip()
        if p and not prev_heading and p[-1] not in ".!?:;\"')" and not _DIGITS_ONLY.match(p):
            return False
    if nxt is not None:
        n = nxt.strip()
        if n and not (n[0].isupper() or n[0].isdigit() or n[0] in "•*-\"'“‘(£>▪·–"):
            return False
    return True


def _split(text: str, low: str) -> tuple[list[Span], list[Span]]:
    """Return (sentence spans, heading spans) of ``text``."""
    pieces, headings = _pieces(text, _line_spans(text))
    return _sentences(text, low, pieces), headings


def _line_spans(text: str) -> list[Span]:
    """The span of every line of ``text`` (without its newline)."""
    lines: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    return lines


def _pieces(text: str, lines: list[Span]) -> tuple[list[Span], list[Span]]:
    """Paragraph pieces (maximal runs of lines with no blank line, heading or bullet start)
    and the headings."""
    headings: list[Span] = []
    pieces: list[Span] = []
    run: list[int] | None = None  # [start, end] of the run being gathered
    prev_text: str | None = None
    prev_heading = False
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        stripped = line.strip()
        nxt = text[lines[i + 1][0] : lines[i + 1][1]] if i + 1 < len(lines) else None
        heading = bool(stripped) and _is_heading(line, prev_text, prev_heading, nxt)
        starts_item = bool(stripped) and _starts_item(line, stripped)
        if run is not None and (not stripped or heading or starts_item):
            pieces.append((run[0], run[1]))
            run = None
        if heading:
            lead = len(line) - len(line.lstrip())
            headings.append((s + lead, s + lead + len(stripped)))
            pieces.append((s, e))
        elif stripped:
            run = [s, e] if run is None else [run[0], e]
        prev_text, prev_heading = line, heading
    if run is not None:
        pieces.append((run[0], run[1]))
    return pieces, headings


def _starts_item(line: str, stripped: str) -> bool:
    """A bullet, a lone number or a numbered heading begins a new piece."""
    return bool(
        _BULLET_START.match(line)
        or _DIGITS_ONLY.match(stripped)
        or _NUMBERED_HEADING.match(stripped)
    )


def _sentences(text: str, low: str, pieces: list[Span]) -> list[Span]:
    """Cut each piece into sentences (a full stop after an abbreviation does not end one)."""
    sentences: list[Span] = []
    for ps, pe in pieces:
        cursor = ps
        for m in _SENTENCE_END.finditer(text, ps, pe):
            if _abbreviation_before(low, m.start(1)):
                continue
            _add(sentences, text, cursor, m.end(1))
            cursor = m.end()
        _add(sentences, text, cursor, pe)
    return sentences


def _abbreviation_before(low: str, dot: int) -> bool:
    if low[dot] != ".":
        return False
    start = dot
    while start > 0 and (low[start - 1].isalpha() or low[start - 1] == "."):
        start -= 1
    word = low[start:dot]
    return word in _ABBREVIATIONS


def _add(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))
