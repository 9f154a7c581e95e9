"""Totals and breakdowns among the payments found: "each body £300 (a total of £900)", a
total followed by the parts that add up to it, a total that repeats payments stated elsewhere.

Every step here is linear in the number of payments (a document of many thousands of sums
costs no more per sum than a short one).
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import combinations

from remedy_model.ingest.found import FoundPayment
from remedy_model.ingest.layout import Doc

MAX_BREAKDOWN_PARTS = 12
"""A breakdown of a total is read over at most this many following payments."""

MAX_GAP_CHARS = 400
"""A breakdown starts at most this many characters after its total."""

TOTAL_BEFORE = re.compile(
    r"(?:\btotal(?:ling|led)?(?:\s+(?:sum|amount))?(?:\s+of)?|\bin\s+total(?:\s+of)?|"
    r"\baltogether|\boverall|\bcombined|\bcumulative)\s*$"
)
"""Words just before a sum that make it a total ("a total of £900")."""
_BREAKDOWN = re.compile(
    r"\b(?:this|which|that|these|it)\s+(?:included|includes|include|comprised|comprises|"
    r"consisted|consists|was\s+made\s+up|is\s+made\s+up|breaks?\s+down)|\bincluding\b|"
    r"\bmade\s+up\s+of\b|\bcomprising\b|\bof\s+which\b|\bbroken\s+down\b|\bconsisting\s+of\b|"
    r"\bas\s+follows\b|:\s*$"
)


def resolve_totals(doc: Doc, found: list[FoundPayment]) -> list[FoundPayment]:
    """Merge "each body £X (a total of £Y)", drop totals that repeat their parts."""
    merged = _merge_payer_totals(found)
    return drop_repeated_totals(_expand_breakdowns(doc, merged))


def _merge_payer_totals(found: list[FoundPayment]) -> list[FoundPayment]:
    """A total right after "each body £X" replaces it; a total of its sentence's parts goes."""
    out: list[FoundPayment] = []
    parts: dict[tuple[int, int], tuple[int, float]] = {}  # sentence -> (count, sum) of parts
    for c in found:
        if c.is_total and out:
            p = out[-1]
            if p.sentence == c.sentence and p.payer_each and not p.is_total:
                out[-1] = replace(p, amount_gbp=c.amount_gbp, payer_each=False, note=p.note)
                n, total = parts[p.sentence]
                parts[p.sentence] = (n, total - p.amount_gbp + c.amount_gbp)
                continue
            n, total = parts.get(c.sentence, (0, 0.0))
            if n >= 2 and abs(total - c.amount_gbp) < 0.5:
                continue
        out.append(c)
        if not c.is_total:
            n, total = parts.get(c.sentence, (0, 0.0))
            parts[c.sentence] = (n + 1, total + c.amount_gbp)
    return out


def _expand_breakdowns(doc: Doc, items: list[FoundPayment]) -> list[FoundPayment]:
    """A total followed by a breakdown that adds up to it: keep the parts, not the total."""
    result: list[FoundPayment] = []
    i = 0
    while i < len(items):
        c = items[i]
        parts_end = _breakdown_end(doc, items, i)
        if parts_end is None:
            result.append(c)
            i += 1
            continue
        for q in items[i + 1 : parts_end]:
            if not q.recipient_from_text and c.recipient_from_text:
                q = replace(q, recipient=c.recipient, recipient_from_text=True)
            result.append(q)
        i = parts_end
    return result


def _breakdown_end(doc: Doc, items: list[FoundPayment], i: int) -> int | None:
    """If items after ``i`` are a breakdown of item ``i``, the index after the last part."""
    if i + 1 >= len(items) or not _starts_breakdown(doc, items[i], items[i + 1]):
        return None
    total = items[i].amount_gbp
    acc = 0.0
    for j in range(i + 1, min(len(items), i + 1 + MAX_BREAKDOWN_PARTS)):
        acc += items[j].amount_gbp
        if abs(acc - total) < 0.5 and j > i + 1:
            return j + 1
        if acc > total + 0.5:
            return None
    return None


def _starts_breakdown(doc: Doc, total: FoundPayment, first: FoundPayment) -> bool:
    """True when ``first`` follows ``total`` closely after words that announce parts."""
    if first.span[0] - total.span[1] > MAX_GAP_CHARS:
        return False
    gap = doc.low[total.span[1] : first.span[0]]
    lead = doc.low[max(0, total.span[0] - 30) : total.span[0]]
    return bool(total.is_total or _BREAKDOWN.search(gap) or TOTAL_BEFORE.search(lead))


def drop_repeated_totals(items: list[FoundPayment]) -> list[FoundPayment]:
    """Drop a stated total that equals the sum of two or more of the other payments.

    The sum of the payments kept is carried along, so this is linear in their number (the
    search for a subset that adds up is made only when a dozen or fewer remain).
    """
    dropped: set[int] = set()
    kept_sum = sum(q.amount_gbp for q in items)
    n_kept = len(items)
    for i, c in enumerate(items):
        if not c.is_total or n_kept - 1 < 2:
            continue
        if abs(kept_sum - c.amount_gbp - c.amount_gbp) < 0.5 or (
            n_kept - 1 <= 12
            and _subset_sums_to(
                [q.amount_gbp for j, q in enumerate(items) if j != i and j not in dropped],
                c.amount_gbp,
            )
        ):
            dropped.add(i)
            kept_sum -= c.amount_gbp
            n_kept -= 1
    return [q for j, q in enumerate(items) if j not in dropped]


def _subset_sums_to(values: list[float], target: float) -> bool:
    """True when two or more of at most a dozen ``values`` add up to ``target``."""
    for size in range(2, len(values) + 1):
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
