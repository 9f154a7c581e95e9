"""The result page's chart of the precedents, drawn as inline SVG, in two layouts.

One row per precedent in the table (nearest first) at its symbolic sum in today's money, over
the amount-if-paid interval and its median, with a proposed sum marked in its verdict's colour.
Drawn as SVG in the page, it costs a millisecond where the matplotlib PNG costs a few hundred
(the PNG stays available for download). The wide layout puts each label left of its row; the
narrow one (a phone, 390 px) puts it above, so the text keeps its size on a small screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from remedy_model.style import TONE_HEX, money, pct

LINEAR_BELOW = 100.0
"""The chart's scale is linear up to £100 and logarithmic above, as in the PNG figure."""
MAX_DECADES = 8
"""Tick marks above £100 at most (up to £1bn): sums are bounded, and so is the loop over them."""


@dataclass(frozen=True)
class Layout:
    """Sizes of one layout, in SVG units (one unit is a CSS pixel at full size)."""

    name: str
    width: int
    left: int
    right: int
    top: int
    row: int
    axis: int
    font: int
    label_above: bool


WIDE = Layout("wide", 760, 150, 70, 40, 22, 46, 11, False)
NARROW = Layout("narrow", 360, 10, 52, 62, 40, 46, 13, True)
LABEL_CHARS = {"wide": 24, "narrow": 44}
"""Longest row label of each layout (a longer one is cut with an ellipsis); the wide layout's
left margin fits the longest label shown."""
CHAR_WIDTH = 0.62
"""Width of a character as a share of the font size (a rough mean for sans-serif text)."""


def _scale(value: float) -> float:
    """Position of a sum on the chart's symmetric-log axis, in decades above £100.

    >>> _scale(0), _scale(50), _scale(100), _scale(1000)
    (0.0, 0.5, 1.0, 2.0)
    """
    value = max(float(value), 0.0)
    if value <= LINEAR_BELOW:
        return value / LINEAR_BELOW
    return 1.0 + math.log10(value / LINEAR_BELOW)


def precedent_chart(suggestion: Any, layout: Layout = WIDE) -> dict[str, Any]:
    """Coordinates of the chart of ``suggestion`` in ``layout``, for the page's template."""
    rows = suggestion.precedents
    labels = [_cut(f"{p.label} ({p.year or '?'})", LABEL_CHARS[layout.name]) for p in rows]
    if not layout.label_above:
        longest = max((len(t) for t in labels), default=10)
        layout = replace(layout, left=max(90, round(longest * layout.font * CHAR_WIDTH) + 14))
    a = suggestion.amount_if_paid_today
    check = suggestion.check
    proposed = check.proposed_today if check and check.question == "amount" else None
    sums = [p.symbolic_today or 0.0 for p in rows]
    top = _scale(max([a["high"], proposed or 0.0, LINEAR_BELOW, *sums]) * 2.5)
    inner = layout.width - layout.left - layout.right

    def x(value: float) -> float:
        return round(layout.left + inner * _scale(value) / top, 1)

    bottom = layout.top + layout.row * max(len(rows), 1)
    ticks = [0.0, *(LINEAR_BELOW * 10**n for n in range(MAX_DECADES) if n + 1 <= top)]
    colour = TONE_HEX[check.tone] if check else None
    return {
        "layout": layout.name,
        "font": layout.font,
        "label_above": layout.label_above,
        "width": layout.width,
        "height": bottom + layout.axis,
        "top": layout.top,
        "bottom": bottom,
        "left": layout.left,
        "right": layout.width - layout.right,
        "band": (x(a["low"]), x(a["high"])),
        "median": x(a["median"]),
        "proposed": None if proposed is None else x(proposed),
        "proposed_colour": colour,
        "ticks": [(x(t), money(t)) for t in ticks],
        "rows": [_row(p, labels[i], i, x, layout) for i, p in enumerate(rows)],
        "legend": _legend(suggestion.level, proposed, colour, layout),
    }


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis.

    >>> _cut("no ref. (seed document, case Duncan) (2016)", 24)
    'no ref. (seed document,…'
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _row(p: Any, label: str, i: int, x, layout: Layout) -> dict[str, Any]:
    stated = p.remedy_visible and p.symbolic_today is not None
    value = (money(p.symbolic_today) if p.symbolic_today else "£0") if stated else "not stated"
    y = layout.top + layout.row * i
    return {
        "label_x": layout.left if layout.label_above else layout.left - 8,
        "label_y": y + (layout.font + 1 if layout.label_above else layout.row / 2 + 4),
        "y": y + (layout.row - 9 if layout.label_above else layout.row / 2),
        "x": x(p.symbolic_today) if stated else None,
        "label": label,
        "value": value,
    }


def _legend(level: float, proposed, colour, layout: Layout) -> list[dict[str, Any]]:
    """The legend's entries: the interval, its median and (if any) the proposal."""
    items = [
        {"kind": "band", "text": f"{pct(level)} if paid"},
        {"kind": "median", "text": "median if paid"},
    ]
    if proposed is not None:
        items.append({"kind": "proposed", "text": f"proposed ({money(proposed)})"})
    step, per_line = (130, 3) if not layout.label_above else (175, 2)
    for i, item in enumerate(items):
        item["x"] = layout.left + step * (i % per_line)
        item["y"] = 15 + 20 * (i // per_line)
        item["colour"] = colour
    return items
