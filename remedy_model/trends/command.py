"""The ``remedy trends`` command: flags in, report out, headline figures printed.

Only typer and the standard library are imported here at module level; pandas and matplotlib
are imported when the command runs, so ``remedy --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from remedy_model import config


def trends_command(
    out: Path = typer.Option(..., "--out", help="Folder for report.html, the CSVs and the PNGs."),
    cases: list[Path] | None = typer.Option(
        None,
        "--cases",
        help="Case file (JSON Lines); repeat for several. Default: the embedded case table.",
    ),
    year_from: int | None = typer.Option(None, "--from", help="First decision year to include."),
    year_to: int | None = typer.Option(None, "--to", help="Last decision year to include."),
    category: str | None = typer.Option(
        None, "--category", help="Category group, e.g. 'Adult care services' (not case-sensitive)."
    ),
    cpi: Path = typer.Option(config.CPI_PATH, "--cpi", help="CPI table for today's money."),
    as_json: bool = typer.Option(False, "--json", help="Print the headline figures as JSON."),
) -> None:
    """Write a remedy trends report for policy staff: sums by year, fault, group, and rates."""
    from remedy_model.trends.report import build_report

    report = build_report(cases or [config.CASES_PATH], cpi, out, year_from, year_to, category)
    for error in report.load_errors[:5]:
        typer.echo(f"warning: skipped {error}", err=True)
    if len(report.load_errors) > 5:
        typer.echo(f"warning: {len(report.load_errors) - 5} more lines skipped", err=True)
    figures = report.headline
    if as_json:
        files = [report.html_path, *report.csv_paths.values(), *report.png_paths.values()]
        payload = {**figures, "report": str(report.html_path), "files": [str(p) for p in files]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    typer.echo(f"wrote {report.html_path} (+ {len(report.csv_paths)} CSVs and PNGs)")
    typer.echo(
        f"{figures['n_cases']} cases; {figures['n_with_sum']} with a symbolic sum; "
        f"{figures['n_no_visible_sum']} with no visible sum left out"
    )
    typer.echo(figures["what_changed"])
