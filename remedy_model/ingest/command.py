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

    Decision statements give one case; reports about one case give one; reviews with case
    studies give one per case study. Files that hold no decision are reported on stderr as
    "skipped PATH: ..." and the batch goes on. Exit status: 0 all read, 1 something skipped.
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
    cases, skipped = counts["cases"], counts["skipped"]
    if not quiet or skipped:
        kept = "" if cases or output == "-" else f"; {output} left as it was"
        typer.echo(
            f"{cases} case{'s' if cases != 1 else ''} from {len(files) - skipped} "
            f"file{'s' if len(files) - skipped != 1 else ''}; {skipped} skipped{kept}",
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
    cache: Path = typer.Option(..., "--cache", help="Folder for the downloaded pages."),
    date_from: str = typer.Option(..., "--from", help="First decision date, YYYY-MM-DD."),
    date_to: str = typer.Option(..., "--to", help="Last decision date, YYYY-MM-DD."),
    category: str = typer.Option(
        "adult-care-services", "--category", help="Category as in decision addresses."
    ),
    max_decisions: int | None = typer.Option(None, "--max", help="Stop after this many pages."),
    base_url: str = typer.Option(
        "https://www.lgo.org.uk", "--base-url", help="The site (for a mirror or a test server)."
    ),
    contact: str | None = typer.Option(
        None, "--contact", help="An e-mail address added to the user agent."
    ),
    refresh: bool = typer.Option(False, "--refresh", help="Walk the listing again from page 1."),
    min_interval: float = typer.Option(
        1.0, "--min-interval", help="Seconds between requests; below 1 only for a local server."
    ),
) -> None:
    """Download decision pages from the Ombudsman's public site into a cache folder.

    At most one request a second, robots.txt obeyed, pages already saved never fetched again,
    resumable after an interruption. Then run `remedy ingest CACHE --output cases.jsonl`.
    """
    from urllib.parse import urlparse

    from remedy_model.ingest.fetch import MIN_INTERVAL, USER_AGENT, fetch_decisions

    host = urlparse(base_url).hostname or ""
    if min_interval < MIN_INTERVAL and host not in ("127.0.0.1", "localhost", "::1"):
        raise InputError(
            f"--min-interval {min_interval}: at most one request a second to {host or base_url}"
        )

    agent = USER_AGENT if not contact else f"{USER_AGENT[:-1]}; contact {contact})"
    result = fetch_decisions(
        cache,
        category=category,
        date_from=date_from,
        date_to=date_to,
        base_url=base_url,
        max_decisions=max_decisions,
        user_agent=agent,
        refresh=refresh,
        min_interval=min_interval,
        log=lambda msg: typer.echo(msg, err=True),
    )
    typer.echo(
        f"{len(result.saved)} saved, {len(result.cached)} already cached, "
        f"{len(result.disallowed)} disallowed by robots.txt, {len(result.failed)} failed "
        f"({result.requests} requests)",
        err=True,
    )
    if result.failed:
        raise SystemExit(1)
