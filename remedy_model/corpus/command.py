"""The ``remedy corpus`` commands (a typer sub-app registered in :mod:`remedy_model.cli`)."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    name="corpus",
    help="Build a case table from decision pages fetched from the Ombudsman's site.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command("build")
def build_command(
    cache: Path = typer.Argument(
        ...,
        help="The cache folder of `remedy fetch` (or any folder of decisions).",
        show_default=False,
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="The case table to write (JSON Lines).", dir_okay=False
    ),
    hand_coded: Path | None = typer.Option(
        None,
        "--hand-coded",
        help="The hand-coded table (default: the embedded one).",
        dir_okay=False,
    ),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1, help="Processes reading pages (default: all cores)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print the summary only."),
) -> None:
    """Ingest a cache of decision pages and merge it with the hand-coded table.

    Duplicates by reference are dropped; the hand-coded case wins over an extracted one.

    Every extracted case has source_kind "ingested" and a confidence per field.

    Then: remedy train --cases TABLE (or remedy trends --cases TABLE).
    """
    from remedy_model.corpus.build import build_corpus

    def progress(done: int, total: int) -> None:
        if not quiet:
            typer.echo(f"read {done:,} of {total:,} documents", err=True)

    report = build_corpus(cache, output, hand_coded=hand_coded, jobs=jobs, progress=progress)
    for line in report.lines(str(cache), str(output)):
        typer.echo(line, err=True)
