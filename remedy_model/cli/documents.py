"""The document commands: ``remedy ingest``, ``ingest-eval``, ``fetch`` and ``corpus build``.

Exit status of ``remedy ingest``: 0 when every file gave at least one case, 1 when any file was
skipped (not a decision, or unreadable), 2 for a usage error. An existing output is never
emptied: it is replaced only when at least one case was read, and an output that is one of the
inputs is refused.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from remedy_model import config
from remedy_model.cli.common import app

corpus_app = typer.Typer(
    name="corpus",
    help="Build a case table from decision pages fetched from the Ombudsman's site.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(corpus_app, name="corpus")


@app.command("ingest")
def ingest(
    paths: list[str] = typer.Argument(
        ..., help="Files or folders: .txt, .html/.htm (saved web pages), .pdf.", show_default=False
    ),
    output: str = typer.Option(
        "-", "--output", "-o", help="JSON Lines file to write ('-' for standard output)."
    ),
    append: bool = typer.Option(False, "--append", help="Add to the output file, not replace it."),
    text_dir: Path | None = typer.Option(
        None,
        "--text-dir",
        help="Also save each document's plain text here (provenance offsets index it).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only report skipped files."),
) -> None:
    """Read decision documents into case records (one JSON line per case), with provenance.

    A decision or a report gives one case; a review one per case study; a digest one per summary.

    Files that hold no decision are reported as "skipped PATH: ..." and the batch goes on.

    Exit status: 0 all read, 1 something skipped.
    """
    from remedy_model import api

    def said(read) -> None:
        if read.error is not None:
            typer.echo(f"skipped {read.error}", err=True)
        elif not quiet:
            n, labels = len(read.records), ", ".join(read.labels)
            typer.echo(
                f"read {read.path}: {n} case{'s' if n != 1 else ''}"
                f" ({read.kind}{': ' + labels if labels else ''})",
                err=True,
            )

    to_file = output != "-"
    result = api.ingest(
        paths, output if to_file else None, sink=sys.stdout, append=append,
        text_dir=text_dir, on_file=said,
    )  # fmt: skip
    if not quiet or result.skipped:
        kept = "" if result.cases or not to_file else f"; {output} left as it was"
        read = result.files - result.skipped
        typer.echo(
            f"{result.cases} case{'s' if result.cases != 1 else ''} from {read} "
            f"file{'s' if read != 1 else ''}; {result.skipped} skipped{kept}",
            err=True,
        )
    if result.skipped:
        raise SystemExit(1)


@app.command("ingest-eval")
def ingest_eval(
    gold: Path = typer.Argument(
        ..., help="Hand-coded records (JSON Lines, each with 'doc').", show_default=False
    ),
    docs: Path = typer.Option(..., "--docs", help="Folder holding the documents named by 'doc'."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    show: bool = typer.Option(False, "--show-mismatches", help="List every wrong value."),
) -> None:
    """Score extraction against hand-coded records, field by field.

    Metadata by exact match; payments (matched on amount and symbolic flag) and fault types by
    precision, recall and F1.
    """
    from remedy_model import api

    report = api.ingest_eval(gold, docs)
    if as_json:
        typer.echo(api.dumps(report.as_dict(), indent=2))
        return
    typer.echo(report.format_text())
    if show and report.mismatches:
        typer.echo("mismatches:")
        for line in report.mismatches:
            typer.echo(f"  {line}")


@app.command("fetch")
def fetch(
    cache: Path = typer.Option(
        ..., "--cache", help="Folder for the pages (and the state of the walk).", file_okay=False
    ),
    date_from: str | None = typer.Option(None, "--from", help="First decision date, YYYY-MM-DD."),
    date_to: str | None = typer.Option(
        None, "--to", help="Last decision date, YYYY-MM-DD (default: today)."
    ),
    since_last: bool = typer.Option(
        False, "--since-last", help="Fetch only what is new since the last completed run."
    ),
    category: list[str] = typer.Option(
        None,
        "--category",
        help="Only this category (repeatable): adult-care-services, children-s-care-services, "
        "education, health (joint health and social care). Default: all four.",
    ),
    max_decisions: int | None = typer.Option(
        None, "--max", min=1, help="Save at most this many pages (a trial run)."
    ),
    base_url: str = typer.Option(
        "https://www.lgo.org.uk", "--base-url", help="The site (http or https; for a mirror)."
    ),
    contact: str | None = typer.Option(
        None, "--contact", help="An e-mail address added to the user agent."
    ),
    refresh: bool = typer.Option(False, "--refresh", help="Walk every month of the listing again."),
    min_interval: float = typer.Option(
        1.0, "--min-interval", help="Seconds between requests; below 1 only for a local server."
    ),
) -> None:
    """Download decision pages from the Ombudsman's public site into a cache folder.

    Walks the site's listing a month at a time, keeping the in-scope categories.

    At most one request a second, robots.txt obeyed; saved pages are never fetched again.

    Interrupted? Run the same command again to resume.

    Then: remedy corpus build CACHE --output table.jsonl
    """
    from remedy_model import api

    try:
        result = api.fetch(
            cache, base_url=base_url, min_interval=min_interval, date_from=date_from,
            date_to=date_to, since_last=since_last, categories=category,
            max_decisions=max_decisions, agent=api.user_agent(contact), refresh=refresh,
            log=lambda msg: typer.echo(msg, err=True),
        )  # fmt: skip
    except KeyboardInterrupt:
        typer.echo("interrupted: what was saved is kept; run the same command to resume", err=True)
        raise typer.Exit(130) from None
    _report_fetch(result)


def _report_fetch(result) -> None:
    """Print what ``remedy fetch`` did; exit 1 when pages failed."""
    plan = result.plan
    typer.echo(f"{plan.date_from} to {plan.date_to}: {', '.join(plan.categories)}", err=True)
    typer.echo(
        f"{len(result.saved)} saved, {len(result.cached)} already cached, {result.out_of_scope} "
        f"out of scope, {len(result.disallowed)} disallowed by robots.txt, {len(result.gone)} "
        f"gone, {len(result.failed)} failed ({result.requests} requests)",
        err=True,
    )
    if result.stopped_at_max:
        typer.echo("stopped at --max; run again to go on", err=True)
    for line in result.failed[:10]:
        typer.echo(f"failed {line}", err=True)
    if result.failed:
        raise SystemExit(1)


@corpus_app.command("build")
def build_corpus(
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
        None,
        "--jobs",
        "-j",
        min=1,
        max=config.MAX_JOBS,
        help="Processes reading pages (default: all cores).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print the summary only."),
) -> None:
    """Ingest a cache of decision pages and merge it with the hand-coded table.

    Duplicates by reference are dropped; the hand-coded case wins over an extracted one.

    Every extracted case has source_kind "ingested" and a confidence per field.

    Then: remedy train --cases TABLE (or remedy trends --cases TABLE).
    """
    from remedy_model import api

    def progress(done: int, total: int) -> None:
        if not quiet:
            typer.echo(f"read {done:,} of {total:,} documents", err=True)

    report = api.build_corpus(cache, output, hand_coded=hand_coded, jobs=jobs, progress=progress)
    for line in report.lines(str(cache), str(output)):
        typer.echo(line, err=True)
