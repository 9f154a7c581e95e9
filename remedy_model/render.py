"""Terminal output of suggestions and evaluations (the CLI's presentation only).

The answer and the verdict come first and fit an 80-column screen; the explanation, the facts
not given, the reference view and the precedents follow. Every piece of data is escaped, so
text such as ``[red]`` in a summary is printed as it is, never read as markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from remedy_model.style import TONE_TERMINAL, TONE_WORDS, money, pct
from remedy_model.suggest import Precedent, Suggestion


def print_suggestion(console: Console, s: Suggestion, *, details: bool = False) -> None:
    """Both answers, the verdict, why, the gaps, the reference view and the precedents."""
    print_answers(console, s)
    print_verdict(console, s)
    print_explanation(console, s)
    print_reference(console, s)
    print_precedents(console, s, details=details)


def print_answers(console: Console, s: Suggestion) -> None:
    """(a) the chance of a payment beside the precedents; (b) the amount if paid."""
    a = s.payment
    console.print(f"[bold]Is a symbolic payment likely?[/] chance {pct(a.chance)}")
    if a.precedents_compared:
        console.print(
            f"  {a.precedents_paid} of the {a.precedents_compared} most similar upheld cases "
            f"with a stated remedy were paid ({pct(a.precedent_share)})."
        )
    if a.note:
        console.print(f"  [dim]{escape(a.note)}[/]")
    table = Table(
        title=f"If paid, how much? ({s.level:.0%} interval)",
        title_justify="left",
        title_style="bold",
        show_edge=False,
        box=None,
        padding=(0, 2),
    )
    table.add_column("")
    nominal = f"{s.money_year} money" if s.money_year != s.today_year else "amount"
    table.add_column(nominal, justify="right")
    if s.money_year != s.today_year:
        table.add_column(f"today ({s.today_year})", justify="right")
    for label, key in (("low", "low"), ("median", "median"), ("high", "high")):
        cells = [money(s.amount_if_paid_nominal[key])]
        if s.money_year != s.today_year:
            cells.append(money(s.amount_if_paid_today[key]))
        table.add_row(label, *cells)
    console.print(table)
    for note in s.assumptions:
        console.print(f"[yellow]Assumed:[/] {escape(note)}")


def print_verdict(console: Console, s: Suggestion) -> None:
    """The verdict on a proposed sum in its tone's colour, or how to ask for one."""
    c = s.check
    if c is None:
        console.print("[dim]No sum proposed: add --proposed SUM to check one.[/]")
        return
    colour = TONE_TERMINAL[c.tone]
    shown = "£0 (no payment)" if c.question == "payment" else money(c.proposed_gbp)
    console.print(
        f"[bold {colour}]Proposed {shown}: {c.verdict} - {TONE_WORDS[c.tone]}[/]",
    )
    console.print(escape(c.reason))


def print_explanation(console: Console, s: Suggestion) -> None:
    """The facts that moved each answer most, thin support marked, then the gaps."""
    e = s.explanation
    if e is None:
        return
    console.print(
        f"\n[bold]Why this figure[/] (from a typical paid upheld case: "
        f"{money(e.typical_amount_today)} today, chance {pct(e.typical_chance)})"
    )
    for title, effects in (("amount", e.amount), ("chance", e.payment)):
        if effects:
            items = "; ".join(
                f"{escape(x.fact)} {x.effect} ({x.n_sharing} cases{', thin' if x.thin else ''})"
                for x in effects
            )
            console.print(f"  {title}: {items}")
    if s.gaps:
        console.print("[bold]Facts not given[/]")
        for gap in s.gaps:
            console.print(f"  {escape(gap.note)}")


def print_reference(console: Console, s: Suggestion) -> None:
    """Sums in the case's subcategory and group; typical sums by purpose."""
    r = s.reference
    if r is None or (not r.sums and not r.purposes):
        return
    console.print(f"\n[bold]Reference[/] (paid upheld cases, {s.money_year} money)")
    for x in r.sums:
        console.print(
            f"  {escape(x.name)}: {x.n} cases, lowest {money(x.lowest_gbp)}, "
            f"median {money(x.median_gbp)}, highest {money(x.highest_gbp)}"
        )
    if r.purposes:
        items = "; ".join(f"{escape(p.label)} {money(p.median_gbp)} ({p.n})" for p in r.purposes)
        console.print(f"  typical among the {r.pool} nearest paid: {items}")


def _sums(p: Precedent) -> str:
    if not p.remedy_visible:
        return "sum not stated"
    if not p.symbolic_gbp:
        return "£0 (no payment)"
    today = f" ({money(p.symbolic_today)} today)" if p.symbolic_today != p.symbolic_gbp else ""
    return f"{money(p.symbolic_gbp)}{today}"


def print_precedents(console: Console, s: Suggestion, *, details: bool = False) -> None:
    """The precedents, nearest first: reference, body, year, decision, sum, link."""
    console.print(
        "\n[bold]Precedents[/] (nearest upheld cases stating their remedy; symbolic sums in "
        "their own year's money)"
    )
    for i, p in enumerate(s.precedents, start=1):
        body = escape(p.organisation or "body not named")
        console.print(
            f"{i:>2}. [bold]{escape(p.label)}[/] {body}, {p.year or '?'}: {_sums(p)}; "
            f"{escape((p.decision or 'decision unknown').replace('_', ' '))}; {p.similarity}"
        )
        if p.url:
            console.print(f"    [dim]{escape(p.url)}[/]")
        if details:
            if p.summary:
                console.print(f"    {escape(p.summary)}")
            if p.shared:
                console.print(f"    [green]shares:[/] {escape('; '.join(p.shared))}")
            if p.differs:
                console.print(f"    [dim]differs: {escape('; '.join(p.differs))}[/]")
    if not details and s.precedents:
        console.print("[dim]--details shows each precedent's summary and what it shares.[/]")


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
    from remedy_model.evaluate import ratios

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
        r = ratios(table)
        console.print(
            "model amount error as a multiple of: "
            + ", ".join(f"{m.replace('_', ' ')} {v:.2f}" for m, v in r.items())
            + "\n"
        )
    for name, frame in result.breakdowns.items():
        print_breakdown(console, name, frame)
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
