"""Terminal output of suggestions and evaluations (the CLI's presentation only).

The answer and the verdict come first and fit an 80-column screen; for a draft, its remedy
against the typical sums and every value read with its passage follow; then the explanation,
the facts not given, the reference view and the precedents. Every piece of data is escaped, so
text such as ``[red]`` in a summary is printed as it is, never read as markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from remedy_model.draft import CaseAnswer, Draft
from remedy_model.notes import precedent_sum
from remedy_model.style import TONE_TERMINAL, money, pct, words
from remedy_model.suggest import Suggestion

INDENT = 4
QUOTE_INDENT = 19


def _say(console: Console, markup: str, indent: int = INDENT) -> None:
    """Print markup wrapped at the console width, every line indented (hanging paragraphs)."""
    for line in Text.from_markup(markup).wrap(console, max(console.width - indent, 20)):
        line.rstrip()
        console.print(Text(" " * indent) + line)


def print_suggestion(console: Console, s: Suggestion, *, details: bool = False) -> None:
    """Both answers, the verdict, why, the gaps, the reference view and the precedents."""
    print_answer(console, CaseAnswer(query=None, suggestion=s), details=details)


def print_answer(console: Console, a: CaseAnswer, *, details: bool = False) -> None:
    """An answer as :func:`print_suggestion` does, with the draft's remedy and passages."""
    s = a.suggestion
    print_answers(console, s)
    print_verdict(console, a)
    if a.draft is not None:
        print_draft_remedy(console, a)
        print_read(console, a)
    print_explanation(console, s)
    print_reference(console, s)
    print_precedents(console, s, details=details)


def print_draft_header(console: Console, draft: Draft) -> None:
    """Which document and which of its cases is answered (and how to pick another)."""
    name = escape(draft.source)
    if len(draft.cases) == 1:
        console.print(f"[bold]Draft:[/] {name}")
        return
    labels = escape(", ".join(draft.labels))
    _say(
        console,
        f"[bold]Draft:[/] {name} holds {len(draft.cases)} cases ({labels}); using "
        f"[bold]{escape(draft.case.label)}[/] (--case-label NAME picks another).",
        0,
    )


def print_answers(console: Console, s: Suggestion) -> None:
    """(a) the chance of a payment beside the precedents; (b) the amount if paid."""
    a = s.payment
    console.print(f"[bold]Is a symbolic payment likely?[/] {pct(a.chance)} chance")
    if a.precedents_compared:
        _say(
            console,
            f"{a.precedents_paid} of the {a.precedents_compared} most similar upheld decisions "
            f"with a stated remedy were paid ({pct(a.precedent_share)}).",
        )
    if a.note:
        _say(console, f"[dim]{escape(a.note)}[/]")
    both = s.money_year != s.today_year
    table = Table(box=None, show_edge=False, padding=(0, 1), pad_edge=False)
    table.add_column(f"[bold]If paid, how much?[/] ({s.level:.0%} interval)", min_width=38)
    table.add_column(f"{s.money_year} money" if both else f"{s.money_year} money (today)",
                     justify="right")  # fmt: skip
    if both:
        table.add_column(f"today ({s.today_year})", justify="right")
    for key in ("low", "median", "high"):
        cells = [money(s.amount_if_paid_nominal[key])]
        if both:
            cells.append(money(s.amount_if_paid_today[key]))
        table.add_row(f"    {key}", *cells)
    console.print(table)
    for note in s.assumptions:
        _say(console, f"[yellow]Assumed:[/] {escape(note)}")


def print_verdict(console: Console, a: CaseAnswer) -> None:
    """The verdict on a proposed sum in its tone's colour and where the sum came from; or why
    there is none and how to ask for one."""
    c = a.suggestion.check
    if c is None:
        console.print(f"[bold]{escape(a.no_check_words('--proposed SUM checks one'))}[/]")
        return
    console.print(f"[bold {TONE_TERMINAL[c.tone]}]{escape(a.verdict_words)}[/]")
    _say(console, escape(c.reason))
    source = a.proposed_source
    for sentence in source.sentences if source else ():
        _say(console, f"[dim]from the draft: “{escape(sentence)}”[/]")


def print_draft_remedy(console: Console, a: CaseAnswer) -> None:
    """The draft's symbolic sums by purpose against the typical sums; financial sums listed."""
    s, d = a.suggestion, a.draft
    said = a.no_check_words("") if s.check is None else ""
    for note in a.notes:
        if note.rstrip(".") not in said:  # the verdict's line already said it
            _say(console, f"[yellow]Note:[/] {escape(note)}", 0)
    if not d.symbolic and not d.financial:
        return
    pool = s.reference.pool if s.reference else 0
    console.print(
        f"\n[bold]The draft's remedy[/] ({s.money_year} money; typical sums among the {pool} "
        "nearest paid)"
    )
    for p in a.purposes:
        typical = p.words.removesuffix(f"; {p.per_month_words}")
        _say(console, f"{escape(p.label):<18} {money(p.draft_gbp):>8}  {escape(typical)}", 2)
        if p.per_month_words:
            _say(console, escape(p.per_month_words), 30)
    for p in d.financial:
        _say(
            console,
            f"{escape(p.purpose_words):<18} {money(p.amount_gbp):>8}  [dim]financial: listed, "
            "not judged[/]",
            2,
        )


def print_read(console: Console, a: CaseAnswer) -> None:
    """Every value read from the document with its passage (list members one by one)."""
    _say(console, f"\n[bold]Read from {escape(a.document or 'the document')}[/]", 0)
    console.print("[dim]check each value against the passage it was read from[/]")
    for x in a.draft.read:
        _say(console, f"{escape(x.label):<16} {escape(x.value)}", 2)
        _say(console, f"[dim]{escape(x.evidence)}[/]", QUOTE_INDENT)
    shown: set[str] = set()
    for p in [*a.draft.symbolic, *a.draft.financial]:
        _say(console, f"{'payment':<16} {money(p.amount_gbp)} {escape(p.purpose_words)}", 2)
        if p.quote:
            said = "[dim](the passage above)[/]" if p.quote in shown else f"“{escape(p.quote)}”"
            _say(console, f"[dim]{said}[/]", QUOTE_INDENT)
            shown.add(p.quote)


def print_explanation(console: Console, s: Suggestion) -> None:
    """The facts that moved each answer most, thin support marked, then the gaps."""
    e = s.explanation
    if e is None:
        return
    console.print(
        f"\n[bold]Why this figure[/] (from a typical paid upheld decision: "
        f"{money(e.typical_amount_today)} today, {pct(e.typical_chance)} chance)"
    )
    for title, effects in (("amount", e.amount), ("chance", e.payment)):
        for x in effects:
            thin = ", thin" if x.thin else ""
            _say(
                console,
                f"{title:<7}{x.effect:>8}  {escape(x.fact)} [dim]({x.n_sharing} cases{thin})[/]",
                2,
            )
    if s.gaps:
        console.print("[bold]Facts not given[/]")
        for gap in s.gaps:
            _say(console, escape(gap.note), 2)


def print_reference(console: Console, s: Suggestion) -> None:
    """Sums in the case's subcategory and group; typical sums by purpose."""
    r = s.reference
    if r is None or (not r.sums and not r.purposes):
        return
    console.print(
        f"\n[bold]Reference[/] (paid upheld decisions, {s.money_year} money; press reports apart)"
    )
    for x in r.sums:
        press = f"; press: {x.press_n}, median {money(x.press_median_gbp)}" if x.press_n else ""
        _say(
            console,
            f"{escape(x.name)}: {x.n} cases, lowest {money(x.lowest_gbp)}, median "
            f"{money(x.median_gbp)}, highest {money(x.highest_gbp)}[dim]{press}[/]",
            2,
        )
    if r.purposes:
        items = "; ".join(f"{escape(p.label)} {money(p.median_gbp)} ({p.n})" for p in r.purposes)
        _say(console, f"typical among the {r.pool} nearest paid: {items}", 2)


def print_precedents(console: Console, s: Suggestion, *, details: bool = False) -> None:
    """The precedents, nearest first, two lines each: reference, body, year; sum, link."""
    console.print("\n[bold]Precedents[/]: the nearest upheld decisions stating their remedy")
    console.print("[dim]sums in the money of each decision's year, today's in brackets[/]")
    for i, p in enumerate(s.precedents, start=1):
        body = escape(p.organisation or "body not named")
        ref = escape(p.label)
        if p.url:
            ref = f"[link={escape(p.url)}]{ref}[/link]"
        console.print(f"{i:>2}. [bold]{ref}[/] {body}, {p.year or '?'}", overflow="ellipsis",
                      no_wrap=True)  # fmt: skip
        decision = escape(words(p.decision or "decision unknown"))
        console.print(f"    {precedent_sum(p)}; {decision}; {p.similarity}")
        if details:
            if p.url:
                _say(console, f"[dim]{escape(p.url)}[/]")
            if p.summary:
                _say(console, escape(p.summary))
            if p.shared:
                _say(console, f"[green]shares:[/] {escape('; '.join(p.shared))}")
            if p.differs:
                _say(console, f"[dim]differs: {escape('; '.join(p.differs))}[/]")
    if not details and s.precedents:
        console.print("[dim]--details: each precedent's link, summary and what it shares.[/]")


METRIC_LABELS = {
    "amount_mdae_log": "amount: median |log error|",
    "within_x2": "amount: share within x2 (ties in)",
    "within_x2_strict": "amount: share strictly within x2",
    "auc": "paid or not: AUC",
    "auc_upheld": "AUC, upheld cases only",
    "coverage": "amount interval coverage",
    "width": "amount interval width (high/low)",
    "range_coverage": "range coverage (incl. £0)",
}


def print_evaluation(console: Console, result, data_id: str, folds: int, repeats: int) -> None:
    """One table per variant (methods as columns), the breakdowns, then the targets."""
    for variant, counts in result.counts.items():
        table = result.table.loc[variant]
        grid = Table(
            title=f"{variant.replace('_', ' ')}: {counts['cases']} cases, {counts['paid']} paid "
            f"({folds}-fold grouped CV x {repeats}, data {data_id})",
            title_justify="left",
        )
        grid.add_column("metric")
        for method in table.index:
            grid.add_column(method.replace("_", " "), justify="right")
        for metric, label in METRIC_LABELS.items():
            grid.add_row(label, *(f"{table.loc[m, metric]:.3f}" for m in table.index))
        console.print(grid)
        r = result.ratios()[variant]
        console.print(
            "model amount error as a multiple of: "
            + ", ".join(f"{m.replace('_', ' ')} {v:.2f}" for m, v in r.items())
            + "\n"
        )
    for name, frame in result.breakdowns.items():
        print_breakdown(console, name, frame)
    change = result.extracted_change()
    if change is not None:
        b, a = change["before"], change["after"]
        console.print(
            f"Adding {change['extra_training']} extracted cases to training (scored on "
            f"hand-coded cases only): error {b['amount_mdae_log']:.3f} -> "
            f"{a['amount_mdae_log']:.3f}, strictly within x2 {b['within_x2_strict']:.1%} -> "
            f"{a['within_x2_strict']:.1%}: {'helped' if change['helped'] else 'did not help'}."
        )
    met = ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in result.targets.items())
    console.print(f"Targets (all sources): {met}")


def print_breakdown(console: Console, name: str, frame) -> None:
    """The model's amount figures by group, the global-median baseline beside them."""
    grid = Table(title=f"by {name.replace('_', ' ')} (all sources)", title_justify="left")
    for col in (name.replace("_", " "), "paid", "error", "base", "within x2", "base", "coverage"):
        grid.add_column(col, justify="left" if col == name.replace("_", " ") else "right")
    for group, rows in frame.groupby(name, sort=False):
        model = rows[rows["method"] == "model"].iloc[0]
        base = rows[rows["method"] == "global_median"].iloc[0]
        grid.add_row(
            escape(str(group)) + (" (thin)" if model["thin"] else ""),
            str(int(model["paid"])),
            f"{model['amount_mdae_log']:.2f}",
            f"{base['amount_mdae_log']:.2f}",
            f"{model['within_x2_strict']:.0%}",
            f"{base['within_x2_strict']:.0%}",
            f"{model['coverage']:.0%}",
        )
    console.print(grid)
