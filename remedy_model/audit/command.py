"""The ``remedy audit`` command: flags in, audit written, headline figures printed.

Only typer and the standard library are imported here at module level; pandas, scikit-learn
and matplotlib are imported when the command runs, so ``remedy --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from remedy_model import config


def audit_command(
    out: Path = typer.Option(..., "--out", help="Folder for report.html, the CSVs and the PNGs."),
    cases: list[Path] | None = typer.Option(
        None,
        "--cases",
        help="Case file (JSON Lines); repeat for several. Default: the embedded case table.",
    ),
    cpi: Path = typer.Option(config.CPI_PATH, "--cpi", help="CPI table for today's money."),
    folds: int = typer.Option(
        config.CV_FOLDS, "--folds", min=2, max=20, help="Cross-validation folds."
    ),
    repeats: int = typer.Option(
        config.CV_REPEATS, "--repeats", min=1, max=20, help="Repeats (medians are reported)."
    ),
    jobs: int = typer.Option(1, "--jobs", min=1, max=64, help="Repeats run in parallel."),
    as_json: bool = typer.Option(False, "--json", help="Print the headline figures as JSON."),
) -> None:
    """Audit consistency: each upheld case's sum against what a model that never saw it expects."""
    from remedy_model.audit.report import build_audit

    report = build_audit(
        cases or [config.CASES_PATH],
        cpi,
        out,
        folds=folds,
        repeats=repeats,
        n_jobs=jobs,
        announce=lambda line: typer.echo(
            f"{line} ({folds} folds x {repeats} repeat{'s' if repeats > 1 else ''})...", err=True
        ),
    )
    for error in report.load_errors[:5]:
        typer.echo(f"warning: skipped {error}", err=True)
    if len(report.load_errors) > 5:
        typer.echo(f"warning: {len(report.load_errors) - 5} more lines skipped", err=True)
    figures = report.headline
    if as_json:
        files = [report.html_path, *report.csv_paths.values(), *report.png_paths.values()]
        payload = {**figures, "report": str(report.html_path), "files": [str(p) for p in files]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=_plain))
        return
    typer.echo(f"wrote {report.html_path} (+ {len(report.csv_paths)} CSVs and PNGs)")
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
