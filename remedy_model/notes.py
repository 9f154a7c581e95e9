"""A case note for the file: one answer written as a self-contained HTML page or as Markdown.

The note holds the case, both answers, the verdict and its reason (with where the proposed sum
came from), the draft's remedy and the passages read from it when there is a draft, why the
figure, the facts not given, the reference view, the precedents with their links, the data
version and the date, and the assumptions. ``remedy suggest --note FILE`` writes it (through
:mod:`remedy_model.outputs`); the web page serves the HTML form as its print view.

Everything taken from data is escaped: Jinja2's autoescape for HTML; for Markdown, every
character Markdown could read as markup is backslash-escaped and links keep only web addresses.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from remedy_model.errors import InputError
from remedy_model.records import Case
from remedy_model.style import TONE_HEX, html_templates, money, pct, safe_url, words

NOTE_KINDS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}
ASSUMPTIONS = (
    "A case that does not state its decision is taken as upheld (fault causing injustice).",
    "Today's money uses the ONS consumer price index (CPI, series D7BT).",
    "Precedents and the comparisons beside the answer come from the Ombudsman's own decisions "
    "and reports; press reports train the model but are not shown as evidence.",
    "Financial sums (refunds, waived charges) are case-specific: they are listed, not judged.",
    "A suggestion is a starting point for judgement, not a decision.",
)
"""What every note assumes, beside the assumptions of the answer itself."""


def note_kind(path: Path | str) -> str:
    """``"html"`` or ``"md"`` from a note's file name; anything else is refused.

    >>> note_kind("note.html"), note_kind("NOTE.MD")
    ('html', 'md')
    >>> note_kind("note.pdf")
    Traceback (most recent call last):
    ...
    remedy_model.errors.InputError: note.pdf: a note is written as .html or .md
    """
    kind = NOTE_KINDS.get(Path(path).suffix.lower())
    if kind is None:
        reason = "a note is written as .html or .md"
        raise InputError(f"{path}: {reason}", field="note", reason=reason)
    return kind


def case_facts(case: Case, proposed: float | None = None) -> str:
    """The facts of a query in one line of words.

    >>> case_facts(Case(fault_types=["sen_ehcp"], duration_months=6, carer_impact=True), 300)
    'fault: SEN / EHC plan; 6 months; carer affected; proposed £300'
    """
    parts = [case.category] if case.category else []
    if case.org_type:
        parts.append(f"body: {words(case.org_type)}")
    if case.decision and case.decision != "upheld":
        parts.append(f"decision: {words(case.decision)}")
    if case.fault_types:
        label = "faults" if len(case.fault_types) > 1 else "fault"
        parts.append(f"{label}: " + ", ".join(map(words, case.fault_types)))
    if case.duration_months is not None:
        parts.append(f"{case.duration_months:g} months")
    parts += _flags(case)
    if case.respite_lost_weeks is not None:
        parts.append(f"{case.respite_lost_weeks:g} weeks of respite lost")
    if case.vulnerable:
        parts.append("vulnerable: " + ", ".join(map(words, case.vulnerable)))
    if case.effective_year is not None:
        parts.append(str(case.effective_year))
    if proposed is not None:
        parts.append(f"proposed {money(proposed)}")
    return "; ".join(parts) or "nothing stated (the answer is for an average upheld case)"


def _flags(case: Case) -> list[str]:
    said = {
        "carer_impact": ("carer affected", "no carer affected"),
        "respite_lost": ("respite lost", "no respite lost"),
        "person_died": ("the person died", None),
    }
    out = []
    for name, (yes, no) in said.items():
        value = getattr(case, name)
        text = None if value is None else yes if value else no
        if text:
            out.append(text)
    return out


def note_facts(answer: Any, info: dict[str, Any], today: dt.date | None = None) -> dict:
    """What both forms of the note show, computed once: headings, moneys, meta data."""
    s = answer.suggestion
    both = s.money_year != s.today_year
    trained = str(info.get("trained_at") or "unknown")[:10]
    return {
        "a": answer,
        "s": s,
        "facts": case_facts(answer.query),
        "title": _title(answer),
        "columns": [f"{s.money_year} money", f"today ({s.today_year})"]
        if both
        else [f"{s.money_year} money (today)"],
        "rows": [(key, _amounts(s, key, both)) for key in ("low", "median", "high")],
        "verdict": answer.verdict_words,
        "tone_hex": TONE_HEX,
        "date": (today or dt.date.today()).isoformat(),
        "meta": {
            "remedy_model": str(info.get("remedy_model_version") or "unknown"),
            "data": str(info.get("data_hash") or "unknown"),
            "cases": info.get("n_cases", "?"),
            "with a stated remedy": info.get("n_trainable", "?"),
            "model trained": trained,
        },
        "assumptions": [*s.assumptions, *ASSUMPTIONS],
    }


def _amounts(s: Any, key: str, both: bool) -> list[str]:
    cells = [money(s.amount_if_paid_nominal[key])]
    return [*cells, money(s.amount_if_paid_today[key])] if both else cells


def _title(answer: Any) -> str:
    if answer.draft is None:
        return "Case note: remedy check"
    return f"Case note: {answer.document} ({answer.draft.label})"


def note_html(
    answer: Any,
    info: dict[str, Any],
    *,
    back_url: str | None = None,
    today: dt.date | None = None,
) -> str:
    """The note as one self-contained HTML page (inline styles, a print stylesheet, no scripts).

    Parameters
    ----------
    answer : CaseAnswer
        The answer (:mod:`remedy_model.draft`).
    info : dict
        The model's ``info`` (data hash, training date, counts).
    back_url : str, optional
        A link back to the answer, shown on screen only.
    today : date, optional
        The note's date (default: today).

    Returns
    -------
    str
    """
    context = note_facts(answer, info, today)
    return _note_template().render(back_url=back_url, **context)


@functools.cache
def _note_template():
    """The note's template, loaded once per process."""
    env = html_templates("remedy_model", words=words, precedent_sum=precedent_sum)
    return env.get_template("note.html")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")
_MD_LINE_START = re.compile(r"^(\d+)([.)])|^([-=])")


def md(value: Any) -> str:
    """Data as Markdown text: lines folded, every character Markdown reads as markup escaped.

    >>> md("*bold* <b>x</b> [link](javascript:x)")
    '\\\\*bold\\\\* \\\\<b\\\\>x\\\\</b\\\\> \\\\[link\\\\]\\\\(javascript:x\\\\)'
    >>> md("1. not a list"), md("- not an item")
    ('1\\\\. not a list', '\\\\- not an item')
    """
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def md_link(label: str, url: str | None) -> str:
    """``[label](url)`` for a web address (spaces and brackets percent-encoded), else the label.

    >>> md_link("18 017 212", "https://example.org/a b(1)"), md_link("x", "javascript:1")
    ('[18 017 212](https://example.org/a%20b%281%29)', 'x')
    """
    target = safe_url(url)
    if target is None:
        return md(label)
    return f"[{md(label)}]({quote(target, safe=':/?#@!$&*+,;=%~')})"


def note_markdown(answer: Any, info: dict[str, Any], *, today: dt.date | None = None) -> str:
    """The note as plain Markdown, for pasting into a case system.

    Parameters
    ----------
    answer : CaseAnswer
    info : dict
        The model's ``info``.
    today : date, optional

    Returns
    -------
    str
    """
    f = note_facts(answer, info, today)
    parts = [
        f"# {md(f['title'])}",
        f"Written {f['date']} by remedy_model {md(f['meta']['remedy_model'])} (data "
        f"{md(f['meta']['data'])}, model trained {md(f['meta']['model trained'])}).",
        f"**The case:** {md(f['facts'])}",
        *_md_answers(f),
        *_md_draft(answer),
        *_md_why(f["s"]),
        *_md_reference(f["s"]),
        *_md_precedents(f["s"]),
        "## Assumptions",
        "\n".join(f"- {md(x)}" for x in f["assumptions"]),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _md_answers(f: dict) -> list[str]:
    s, a = f["s"], f["a"]
    p = s.payment
    lines = [
        "## Is a symbolic payment likely?",
        f"{pct(p.chance)} chance (model). {p.precedents_paid} of the {p.precedents_compared} "
        f"most similar upheld decisions with a stated remedy were paid "
        f"({pct(p.precedent_share)}).",
        md(p.note) if p.note else "",
        f"## If paid, how much? ({pct(s.level)} interval)",
        "| | " + " | ".join(f["columns"]) + " |\n|---|" + "---:|" * len(f["columns"]) + "\n"
        + "\n".join(f"| {key} | " + " | ".join(cells) + " |" for key, cells in f["rows"]),
        "## Verdict",
    ]  # fmt: skip
    if s.check is not None:
        lines += [f"**{md(f['verdict'])}.** {md(s.check.reason)}"]
        source = a.proposed_source
        if source is not None and source.sentences:
            lines += ["The proposed sum was read from:"]
            lines += [f"> {md(x)}" for x in source.sentences]
    else:
        lines += [md(a.no_check_words())]
    return lines


def _md_draft(answer: Any) -> list[str]:
    d = answer.draft
    if d is None:
        return []
    remedy = [f"- {md(n)}" for n in answer.notes]
    remedy += [f"- **{md(p.label)}:** {money(p.draft_gbp)}; {md(p.words)}" for p in answer.purposes]
    remedy += [
        f"- {money(p.amount_gbp)} {md(p.purpose_words)} (financial: listed, not judged)"
        for p in d.financial
    ]
    read = [f"- **{md(x.label)}:** {md(x.value)}: {md(x.evidence)}" for x in d.read]
    read += [
        f"- **payment:** {money(p.amount_gbp)} {md(p.purpose_words)}: “{md(p.quote or '')}”"
        for p in [*d.symbolic, *d.financial]
    ]
    return [
        f"## The draft's remedy ({md(answer.document)}, {md(d.label)})",
        "\n".join(remedy),
        "## Read from the draft",
        "\n".join(read),
    ]


def _md_why(s: Any) -> list[str]:
    e = s.explanation
    if e is None:
        return []
    lines = [
        "## Why this figure",
        f"From a typical paid upheld decision ({money(e.typical_amount_today)} today, "
        f"{pct(e.typical_chance)} chance of a payment):",
    ]
    items = [
        f"- {title}: {md(x.fact)} **{md(x.effect)}** ({x.n_sharing} cases"
        f"{', thin' if x.thin else ''})"
        for title, effects in (("amount", e.amount), ("chance", e.payment))
        for x in effects
    ]
    lines.append("\n".join(items) or "No stated fact moves it much.")
    if s.gaps:
        lines += ["## Facts not given", "\n".join(f"- {md(g.note)}" for g in s.gaps)]
    return lines


def _md_reference(s: Any) -> list[str]:
    r = s.reference
    if r is None or not (r.sums or r.purposes):
        return []
    items = [
        f"- {md(x.name)}: {x.n} cases, lowest {money(x.lowest_gbp)}, median "
        f"{money(x.median_gbp)}, highest {money(x.highest_gbp)}"
        for x in r.sums
    ]
    items += [
        f"- typical for {md(x.label)}: {money(x.median_gbp)} ({x.n} of the {r.pool} nearest paid)"
        for x in r.purposes
    ]
    return [f"## Reference: sums paid in upheld decisions ({s.money_year} money)", "\n".join(items)]


def _md_precedents(s: Any) -> list[str]:
    items = []
    for i, p in enumerate(s.precedents, start=1):
        items.append(
            f"{i}. {md_link(p.label, p.url)}: {md(p.organisation or 'body not named')}, "
            f"{p.year or '?'}; {md(words(p.decision or 'decision unknown'))}; "
            f"{md(precedent_sum(p))}; {md(p.similarity)}"
        )
    return ["## Precedents (nearest upheld decisions stating their remedy)", "\n".join(items)]


def precedent_sum(p: Any) -> str:
    """A precedent's symbolic sum in its year's money and today's, or why there is none."""
    if not p.remedy_visible:
        return "sum not stated"
    if not p.symbolic_gbp:
        return "£0 (no payment)"
    today = f" ({money(p.symbolic_today)} today)" if p.symbolic_today != p.symbolic_gbp else ""
    return f"{money(p.symbolic_gbp)}{today}"
