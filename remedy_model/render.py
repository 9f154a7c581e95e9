"""Rich terminal output of suggestions and evaluations (the CLI's presentation only)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from remedy_model.suggest import Suggestion


def money(value: float | None) -> str:
    """'£1,234' or a dash for unknown.

    >>> money(1234.4), money(None)
    ('£1,234', '-')
    """
    return "-" if value is None else f"£{value:,.0f}"


def print_suggestion(console: Console, s: Suggestion, *, title: str = "Suggested payment") -> None:
    """Range, chance of payment, precedents and (if any) the check of a proposed sum."""
    same_money = s.money_year == s.today_year
    head = Table(title=title, title_justify="left", show_edge=False)
    head.add_column("")
    head.add_column(f"{s.money_year} money" if not same_money else "nominal", justify="right")
    head.add_column(f"today ({s.today_year})", justify="right")
    for label, key in (("low", "low"), ("median", "median"), ("high", "high")):
        head.add_row(f"range {label}", money(s.range_nominal[key]), money(s.range_today[key]))
    head.add_row(
        "amount if paid",
        f"{money(s.amount_if_paid_nominal['median'])} "
        f"({money(s.amount_if_paid_nominal['low'])}-{money(s.amount_if_paid_nominal['high'])})",
        f"{money(s.amount_if_paid_today['median'])} "
        f"({money(s.amount_if_paid_today['low'])}-{money(s.amount_if_paid_today['high'])})",
    )
    console.print(head)
    console.print(
        f"Chance of any symbolic payment: [bold]{s.p_payment:.0%}[/]. The range is the central "
        f"{s.level:.0%} of the outcomes: £0 if no payment, else the amount."
    )
    for note in s.assumptions:
        console.print(f"[yellow]Assumed:[/] {note}")
    print_precedents(console, s)
    if s.check is not None:
        c = s.check
        colour = "green" if c.verdict == "within" and not c.outlier else "red"
        console.print(f"\n[bold {colour}]Proposed {money(c.proposed_gbp)}: {c.verdict}[/]")
        console.print(c.reason)


def print_precedents(console: Console, s: Suggestion) -> None:
    """The precedents: reference, body, year, sums then and today, summary, why similar."""
    table = Table(
        title="\nMost similar precedents", title_justify="left", show_lines=True, expand=True
    )
    table.add_column("reference", overflow="fold", ratio=3)
    table.add_column("symbolic / financial\n(then; today)", justify="right", ratio=2)
    table.add_column("summary; what it shares [dim](and differs)[/]", overflow="fold", ratio=5)
    for p in s.precedents:
        if p.remedy_visible:
            sums = (
                f"{money(p.symbolic_gbp)}; {money(p.symbolic_today)}\n"
                f"[dim]{money(p.financial_gbp)}; {money(p.financial_today)}[/]"
            )
        else:
            sums = "not shown"
        ref = f"{p.case_ref or 'no ref'}"
        if p.url:
            ref = f"[link={p.url}]{ref}[/link]"
        ref += f"\n{p.organisation or '-'}, {p.year or '?'}\n[dim]distance {p.distance:.2f}[/]"
        about = p.summary or ""
        if p.shared:
            about += "\n[green]shares:[/] " + "; ".join(p.shared[:5])
        if p.differs:
            about += "\n[dim]differs: " + "; ".join(p.differs[:3]) + "[/]"
        table.add_row(ref, sums, about)
    console.print(table)


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
    """One table per variant (methods as columns), then the targets and the ratios."""
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
    met = ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in result.targets.items())
    console.print(f"Targets (all sources): {met}")
