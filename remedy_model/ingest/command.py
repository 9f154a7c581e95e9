"""The ``remedy ingest``, ``remedy ingest-eval`` and ``remedy fetch`` commands.

Registered in :mod:`remedy_model.cli`; the work is done by the ingest modules, imported inside
the functions so ``remedy --help`` stays fast.

Exit status of ``remedy ingest``: 0 when every file gave at least one case, 1 when any file was
skipped (not a decision, or unreadable), 2 for a usage error (e.g. the output cannot be
written). Records go to a temporary file that replaces ``--output`` only when at least one
case was read, so an existing output is never emptied; an output that is one of the inputs is
refused.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import typer

from remedy_model.errors import InputError, RemedyError
from remedy_model.outputs import atomic_output


def iter_inputs(paths: list[str]) -> list[str]:
    """Files to read: each file as given, and the supported files under each folder (sorted,
    hidden files left out). Paths are returned as the user spelled them (joined for folders).
    """
    from remedy_model.ingest.text import SUFFIX_KINDS

    out: list[str] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                q
                for q in p.rglob("*")
                if q.is_file()
                and q.suffix.lower() in SUFFIX_KINDS
                and not any(part.startswith(".") for part in q.relative_to(p).parts)
            )
            out.extend(str(q) for q in found)
        else:
            out.append(given)
    return out


def ingest_command(
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
    files = iter_inputs(paths)
    if not files:
        raise InputError(f"{', '.join(paths)}: no .txt, .html or .pdf files found")
    if output != "-":
        refuse_input_as_output(Path(output), files)
    if text_dir is not None:
        try:
            text_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{text_dir}: cannot create ({exc.strerror})") from exc
    counts = {"cases": 0, "skipped": 0}
    if output == "-":
        _ingest_files(files, sys.stdout, counts, text_dir=text_dir, quiet=quiet)
    else:
        # Written to a temporary file that replaces the output only when at least one case was
        # read (also after an interruption): an existing output is never emptied for nothing.
        with atomic_output(output, append=append, keep=lambda: counts["cases"] > 0) as sink:
            _ingest_files(files, sink, counts, text_dir=text_dir, quiet=quiet)
    _report_ingest(counts, len(files), output, quiet)


def _report_ingest(counts: dict[str, int], n_files: int, output: str, quiet: bool) -> None:
    """Print what ``remedy ingest`` did; exit 1 when any file was skipped."""
    cases, skipped = counts["cases"], counts["skipped"]
    if not quiet or skipped:
        kept = "" if cases or output == "-" else f"; {output} left as it was"
        read = n_files - skipped
        typer.echo(
            f"{cases} case{'s' if cases != 1 else ''} from {read} "
            f"file{'s' if read != 1 else ''}; {skipped} skipped{kept}",
            err=True,
        )
    if skipped:
        raise SystemExit(1)


def refuse_input_as_output(output: Path, files: list[str]) -> None:
    """Raise :class:`InputError` when ``output`` is one of the documents to read."""
    if not output.exists():
        return
    for name in files:
        with contextlib.suppress(OSError):
            if os.path.samefile(name, output):
                raise InputError(f"{output}: output is one of the inputs; choose another file")


def _ingest_files(files, sink, counts, *, text_dir, quiet) -> None:
    """Read each file and write its case records to ``sink``, counting cases and skips."""
    import json

    from remedy_model.ingest.document import extract_cases
    from remedy_model.ingest.text import load_text

    for name in files:
        try:
            document = load_text(name)
            if text_dir is not None:
                (text_dir / (Path(name).name + ".txt")).write_text(document.text, "utf-8")
            found = extract_cases(document)
        except RemedyError as exc:
            counts["skipped"] += 1
            typer.echo(f"skipped {exc}", err=True)
            continue
        except Exception as exc:  # a bug on one file must not lose the batch
            counts["skipped"] += 1
            typer.echo(
                f"skipped {name}: unexpected error ({type(exc).__name__}: {exc}); please report it",
                err=True,
            )
            continue
        for item in found:
            sink.write(json.dumps(item.record, ensure_ascii=False) + "\n")
            sink.flush()
            counts["cases"] += 1
        if not quiet:
            labels = ", ".join(
                i.record.get("case_label") or "" for i in found if i.record.get("case_label")
            )
            typer.echo(
                f"read {name}: {len(found)} case{'s' if len(found) != 1 else ''}"
                f" ({found[0].kind}{': ' + labels if labels else ''})",
                err=True,
            )


def ingest_eval_command(
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
    import json

    from remedy_model.ingest.evaluate import evaluate

    report = evaluate(gold, docs)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    typer.echo(report.format_text())
    if show and report.mismatches:
        typer.echo("mismatches:")
        for line in report.mismatches:
            typer.echo(f"  {line}")


def fetch_command(
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
    from remedy_model.ingest.client import user_agent
    from remedy_model.ingest.fetch import fetch_decisions

    base = _checked_site(base_url, min_interval)
    try:
        result = fetch_decisions(
            cache,
            date_from=date_from,
            date_to=date_to,
            since_last=since_last,
            categories=category,
            base_url=base,
            max_decisions=max_decisions,
            agent=user_agent(contact),
            refresh=refresh,
            min_interval=min_interval,
            log=lambda msg: typer.echo(msg, err=True),
        )
    except KeyboardInterrupt:
        typer.echo("interrupted: what was saved is kept; run the same command to resume", err=True)
        raise typer.Exit(130) from None
    _report_fetch(result)


def _checked_site(base_url: str, min_interval: float) -> str:
    """The base URL (http or https only) and a request interval allowed for it."""
    import math

    from remedy_model.ingest.client import MIN_INTERVAL
    from remedy_model.ingest.site import check_base_url, is_local

    base = check_base_url(base_url)
    if not math.isfinite(min_interval) or min_interval < 0:
        raise InputError(f"--min-interval {min_interval}: give a number of seconds, 0 or more")
    if min_interval < MIN_INTERVAL and not is_local(base):
        raise InputError(
            f"--min-interval {min_interval}: at most one request a second to {base}; "
            "shorter only for a server on this machine"
        )
    return base


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
