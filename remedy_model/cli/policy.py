"""The policy reports: ``remedy trends`` and ``remedy audit``."""

from __future__ import annotations

from pathlib import Path

import typer

from remedy_model import config
from remedy_model.cli.common import app

OutOption = typer.Option(..., "--out", help="Folder for report.html, the CSVs and the PNGs.")
CasesOption = typer.Option(
    None,
    "--cases",
    help="Case file (JSON Lines); repeat for several. Default: the embedded case table.",
)
CpiOption = typer.Option(
    config.CPI_PATH,
    "--cpi",
    help="CPI table for today's money.",
    show_default="the embedded ONS series",
)


@app.command("trends")
def trends(
    out: Path = OutOption,
    cases: list[Path] | None = CasesOption,
    year_from: int | None = typer.Option(None, "--from", help="First decision year to include."),
    year_to: int | None = typer.Option(None, "--to", help="Last decision year to include."),
    category: str | None = typer.Option(
        None, "--category", help="Category group, e.g. 'Adult care services' (not case-sensitive)."
    ),
    cpi: Path = CpiOption,
    as_json: bool = typer.Option(False, "--json", help="Print the headline figures as JSON."),
) -> None:
    """Write a remedy trends report for policy staff: sums by year, fault, group, and rates."""
    from remedy_model import api

    report = api.trends(
        out, cases=cases or (), cpi_path=cpi, year_from=year_from, year_to=year_to,
        category=category,
    )  # fmt: skip
    if _told_as_json(report, as_json):
        return
    figures = report.headline
    typer.echo(
        f"{figures['n_cases']} cases; {figures['n_with_sum']} with a symbolic sum; "
        f"{figures['n_no_visible_sum']} with no visible sum left out"
    )
    typer.echo(figures["what_changed"])


@app.command("audit")
def audit(
    out: Path = OutOption,
    cases: list[Path] | None = CasesOption,
    cpi: Path = CpiOption,
    folds: int = typer.Option(
        config.CV_FOLDS, "--folds", min=2, max=20, help="Cross-validation folds."
    ),
    repeats: int = typer.Option(
        config.CV_REPEATS, "--repeats", min=1, max=20, help="Repeats (medians are reported)."
    ),
    jobs: int = typer.Option(
        1, "--jobs", min=1, max=config.MAX_JOBS, help="Repeats run in parallel."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the headline figures as JSON."),
) -> None:
    """Audit consistency: each upheld case's sum against what a model that never saw it expects."""
    from remedy_model import api

    report = api.audit(
        out,
        cases=cases or (),
        cpi_path=cpi,
        folds=folds,
        repeats=repeats,
        n_jobs=jobs,
        announce=lambda line: typer.echo(
            f"{line} ({folds} folds x {repeats} repeat{'s' if repeats > 1 else ''})...", err=True
        ),
    )
    if _told_as_json(report, as_json):
        return
    figures = report.headline
    typer.echo(
        f"{figures['n_scored']} cases scored; {figures['n_outside']} "
        f"({figures['share_outside']:.0%}) outside the {figures['interval_level']:.0%} interval "
        f"({figures['n_above']} above, {figures['n_below']} below)"
    )
    typer.echo(f"more consistent over the years? {figures['consistency_answer']}")
    for sentence in figures["consistency_details"]:
        typer.echo(f"- {sentence}")


def _plain(value: object) -> object:
    """JSON for numpy numbers."""
    return value.item() if hasattr(value, "item") else str(value)


def _told_as_json(report, as_json: bool) -> bool:
    """Warn of skipped lines, then print the headline as JSON (True) or where the report went."""
    _warn_skipped(report)
    if as_json:
        _print_headline(report)
        return True
    typer.echo(f"wrote {report.html_path} (+ {len(report.csv_paths)} CSVs and PNGs)")
    return False


def _warn_skipped(report) -> None:
    """Name the first few case-file lines a report skipped, and how many more."""
    for error in report.load_errors[:5]:
        typer.echo(f"warning: skipped {error}", err=True)
    if len(report.load_errors) > 5:
        typer.echo(f"warning: {len(report.load_errors) - 5} more lines skipped", err=True)


def _print_headline(report) -> None:
    """A report's headline figures and files as JSON (numpy numbers as plain numbers)."""
    from remedy_model import api

    files = [report.html_path, *report.csv_paths.values(), *report.png_paths.values()]
    payload = {**report.headline, "report": str(report.html_path), "files": [str(p) for p in files]}
    typer.echo(api.dumps(payload, indent=2, ensure_ascii=False, default=_plain))
