"""The ``remedy`` command: parses flags, calls :mod:`remedy_model.api`, prints (rich) or JSON.

Heavy libraries (pandas, scikit-learn, matplotlib) are imported inside the commands so that
``remedy --help`` answers at once. Every user error is a :class:`RemedyError`: one line on
stderr, exit status 2, no traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.markup import escape

from remedy_model import __version__
from remedy_model.audit.command import audit_command
from remedy_model.corpus.command import app as corpus_app
from remedy_model.errors import InputError, RemedyError
from remedy_model.ingest.command import fetch_command, ingest_command, ingest_eval_command
from remedy_model.trends.command import trends_command
from remedy_model.web.command import serve_command

app = typer.Typer(
    name="remedy",
    help=(
        "Payment ranges and precedents for Local Government and Social Care Ombudsman remedies.\n\n"
        "Start with `remedy demo`; `remedy suggest --help` shows how to describe a case."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        from remedy_model import config

        typer.echo(f"remedy_model {__version__}")
        typer.echo(f"models and reports: {config.HOME_DIR} ({config.HOME_SOURCE})")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Payment ranges and precedents for Ombudsman remedies."""


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _print_json(data) -> None:
    """Print JSON that strict parsers accept (a non-finite number becomes null)."""
    from remedy_model import jsonio

    typer.echo(jsonio.dumps(data, indent=2))


def _training_notice() -> None:
    _err_console().print("No trained model yet: training on the embedded cases (a few seconds)...")


ModelOption = typer.Option(
    None,
    "--model",
    help="Model file (default: models/remedy.npz, trained on first use).",
    dir_okay=False,
)
JsonOption = typer.Option(False, "--json", help="Print JSON for programs instead of tables.")


@app.command()
def demo(
    out: Path = typer.Option(None, "--out", help="Folder for the plots (default: reports/demo)."),
    model: Path = ModelOption,
) -> None:
    """Train if needed, then show a worked example: range, precedents and a checked sum."""
    console = _console()
    console.print("[bold]remedy demo[/]: an invented case checked against the embedded precedents")
    from remedy_model import api
    from remedy_model.render import print_suggestion

    result = api.demo(out, model_path=model, on_train=_training_notice)
    case = api.DEMO_CASE
    console.print(
        f"\nCase: {case['category']}; {', '.join(case['fault_types'])}; "
        f"{case['duration_months']} months; carer affected; respite lost; "
        f"{', '.join(case['vulnerable'])}; {case['org_type']} council; {case['year']}. "
        f"Proposed: £{api.DEMO_PROPOSED:,.0f}.\n"
    )
    print_suggestion(console, result.suggestion)
    console.print("\nPlots: " + escape(", ".join(str(p) for p in result.plots)))
    console.print("Next: `remedy suggest --help`, `remedy evaluate`, `remedy predict --help`.")


@app.command()
def train(
    cases: list[Path] = typer.Option(
        None, "--cases", help="Extra case file(s) in the codebook's form (repeatable)."
    ),
    model: Path = typer.Option(None, "--model", help="Where to write the model."),
    as_json: bool = JsonOption,
) -> None:
    """Fit the payment and precedent models on the embedded cases (plus --cases) and save them."""
    from remedy_model import api

    with _err_console().status("Training and cross-validating..."):
        result = api.train(cases or (), model_path=model)
    for error in result.skipped:
        _err_console().print(f"skipped {escape(str(error))}")
    info = {
        **result.model.info,
        "model": str(result.path),
        "sidecar": str(result.sidecar),
        "seconds": round(result.seconds, 2),
        "skipped_lines": len(result.skipped),
    }
    if as_json:
        _print_json(info)
        return
    _console().print(
        f"Trained on {info['n_cases']} cases ({info['n_trainable']} with a visible remedy, "
        f"{info['n_paid']} paid) in {info['seconds']} s -> {escape(str(result.path))}"
    )


@app.command()
def evaluate(
    cases: list[Path] = typer.Option(None, "--cases", help="Extra case file(s) (repeatable)."),
    folds: int = typer.Option(5, help="Cross-validation folds."),
    repeats: int = typer.Option(3, help="Repeats with different fold splits."),
    jobs: int = typer.Option(1, "--jobs", min=1, help="Repeats run in parallel processes."),
    as_json: bool = JsonOption,
) -> None:
    """Grouped cross-validation: the model beside three baselines, with and without press cases."""
    from rich.progress import Progress

    from remedy_model import api
    from remedy_model.evaluate import ratios

    total = 2 * (folds if jobs == 1 else 1) * repeats
    err = _err_console()
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("cross-validating", total=total)
        result, data_id = api.evaluate(
            cases or (),
            folds=folds,
            repeats=repeats,
            progress=lambda: bar.advance(task),
            n_jobs=jobs,
        )
    if as_json:
        _print_json(
            {
                "data_hash": data_id,
                "folds": folds,
                "repeats": repeats,
                **result.to_dict(),
                "ratios": {v: ratios(result.table.loc[v]) for v in result.counts},
            }
        )
        return
    from remedy_model.render import print_evaluation

    print_evaluation(_console(), result, data_id, folds, repeats)


_FLAG_OF_FIELD = {
    "fault_types": "--fault",
    "vulnerable": "--vulnerable",
    "duration_months": "--duration-months",
    "respite_lost_weeks": "--respite-weeks",
    "org_type": "--org-type",
    "year": "--year",
    "category": "--category",
    "decision": "--decision",
    "proposed": "--proposed",
    "k": "-k",
    "case_label": "--case-label",
    "note": "--note",
}
"""The flag that gives each query field (``InputError.field``), to name it in messages."""


def _with_flag(exc: InputError) -> InputError:
    """The error with the flag in place of the query field: ``--year: year 2999 is ...``."""
    flag = _FLAG_OF_FIELD.get((exc.field or "").partition(".")[0])
    if flag is None:
        return exc
    return InputError(f"{flag}: {exc.reason}", field=exc.field, reason=exc.reason)


def _query_from_flags(**fields):
    from remedy_model.api import make_case

    try:
        return make_case(fields, where="query")
    except InputError as exc:
        raise _with_flag(exc) from None


def _check_sources(flags: list, case: Path | None, document: Path | None, label) -> None:
    """Refuse combinations of query sources that cannot both be meant."""
    if case is not None and document is not None:
        raise InputError("give --case or --from-document, not both")
    if any(f not in (None, []) for f in flags) and (case is not None or document is not None):
        source = "--case" if case is not None else "--from-document"
        raise InputError(f"{source} replaces the fact flags; give one or the other")
    if label is not None and document is None:
        raise InputError("--case-label picks a case of --from-document; give the document too")


def _check_note(note: Path | None) -> None:
    """Refuse a note path that cannot be written, before any work is done."""
    if note is None:
        return
    from remedy_model.notes import note_kind
    from remedy_model.outputs import check_output_path

    try:
        note_kind(note)
    except InputError as exc:
        raise _with_flag(exc) from None
    check_output_path(note, what="note")


@app.command()
def suggest(
    fault: list[str] = typer.Option(
        None, "--fault", help="Fault type (repeatable), e.g. respite_not_provided."
    ),
    duration_months: float = typer.Option(
        None, "--duration-months", help="How long the failure lasted."
    ),
    carer_impact: bool = typer.Option(
        None, "--carer-impact/--no-carer-impact", help="An unpaid carer was affected."
    ),
    respite_lost: bool = typer.Option(
        None, "--respite-lost/--no-respite-lost", help="Respite that was due was not given."
    ),
    respite_weeks: float = typer.Option(None, "--respite-weeks", help="Weeks of respite lost."),
    vulnerable: list[str] = typer.Option(
        None, "--vulnerable", help="Vulnerable group (repeatable), e.g. child, dementia."
    ),
    category: str = typer.Option(None, "--category", help='e.g. "Adult care services > Charging".'),
    org_type: str = typer.Option(
        None, "--org-type", help="county, unitary, metropolitan, london_borough, ..."
    ),
    year: int = typer.Option(
        None, "--year", help="Decision year; sums are shown in its money and today's."
    ),
    person_died: bool = typer.Option(
        None, "--person-died/--person-alive", help="The cared-for person died."
    ),
    decision: str = typer.Option(None, "--decision", help="upheld (default) or report_upheld, ..."),
    case: Path = typer.Option(
        None, "--case", help="One case record (JSON) instead of the flags.", dir_okay=False
    ),
    from_document: Path = typer.Option(
        None,
        "--from-document",
        help="A draft decision (.txt, .html, .pdf): its facts form the query and its own "
        "symbolic sums are checked (unless --proposed is given).",
        dir_okay=False,
    ),
    case_label: str = typer.Option(
        None, "--case-label", help="Which case of a document holding several (its name)."
    ),
    proposed: float = typer.Option(
        None, "--proposed", help="A proposed symbolic sum (£, money of --year) to check."
    ),
    k: int = typer.Option(5, "-k", "--k", help="Number of precedents (1 to 50)."),
    details: bool = typer.Option(
        False, "--details", help="Each precedent's summary and what it shares with the case."
    ),
    note: Path = typer.Option(
        None,
        "--note",
        help="Also write a case note: note.html (printable) or note.md.",
        dir_okay=False,
    ),
    model: Path = ModelOption,
    as_json: bool = JsonOption,
) -> None:
    """Chance of a payment, the amount if paid, and the precedents; --proposed checks a sum.

    Describe the case with flags, pass --case FILE.json (one case record as in the codebook),
    or --from-document DRAFT to read the facts from a draft decision: every value is shown with
    the passage it was read from, and the draft's own symbolic sums are checked.
    """
    from remedy_model.api import precedent_count, proposed_sum

    try:
        proposed = proposed_sum(proposed)
        k = precedent_count(k)
    except InputError as exc:
        raise _with_flag(exc) from None
    facts = dict(
        fault_types=fault or None, duration_months=duration_months, carer_impact=carer_impact,
        respite_lost=respite_lost, respite_lost_weeks=respite_weeks, vulnerable=vulnerable or None,
        category=category, org_type=org_type, year=year, person_died=person_died,
        decision=decision,
    )  # fmt: skip
    _check_sources(list(facts.values()), case, from_document, case_label)
    _check_note(note)
    query, draft = _read_query(facts, case, from_document, case_label, quiet=as_json)
    from remedy_model import api

    loaded = api.get_model(model, on_train=_training_notice)
    if draft is not None:
        answer = api.check_draft(draft, model=loaded, k=k, proposed=proposed)
    else:
        answer = api.answer(query, model=loaded, k=k, proposed=proposed)
    _show_answer(answer, loaded, note=note, as_json=as_json, details=details)


def _read_query(facts: dict, case: Path | None, document: Path | None, label, *, quiet: bool):
    """The query (and the draft, when read from one), echoed before the model loads."""
    from remedy_model import api

    draft = None
    if document is not None:
        try:
            draft = api.read_draft(document, case_label=label)
        except InputError as exc:
            raise _with_flag(exc) if exc.field == "case_label" else exc from None
        query = draft.case.query
    elif case is not None:
        query = api.read_case_file(case)
    else:
        query = _query_from_flags(**facts)
    if not quiet:
        console = _console()
        if draft is not None:
            from remedy_model.render import print_draft_header

            print_draft_header(console, draft)
        console.print(f"[bold]Case:[/] {escape(api.describe_case(query))}")
    return query, draft


def _show_answer(answer, model, *, note: Path | None, as_json: bool, details: bool) -> None:
    """Write the note (if asked), then print the answer as JSON or for reading."""
    from remedy_model import api

    if note is not None:
        api.write_note(note, answer, model)
    if as_json:
        _print_json(answer.to_dict())
    else:
        from remedy_model.render import print_answer

        print_answer(_console(), answer, details=details)
    if note is not None:
        _err_console().print(escape(f"Case note written to {note}"), soft_wrap=True)


@app.command()
def predict(
    input: Path = typer.Option(
        ..., "--input", help="Cases, one JSON object a line.", dir_okay=False
    ),
    output: Path = typer.Option(
        ..., "--output", help="Predictions, one line per input line.", dir_okay=False
    ),
    k: int = typer.Option(5, "-k", "--k", help="Precedents per case (1 to 50)."),
    model: Path = ModelOption,
) -> None:
    """Batch: a range and precedents for every line of a JSON Lines file.

    Sums are in the money of each case's year (today's if it has none). A bad line gives
    {"line": N, "error": ...} in its place, the others are still predicted, and the exit
    status is 2.
    """
    from rich.progress import Progress

    from remedy_model import api
    from remedy_model.query import precedent_count

    try:
        precedent_count(k)
    except InputError as exc:
        raise _with_flag(exc) from None
    err = _err_console()
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("predicting", total=None)
        result = api.predict(
            input,
            output,
            model_path=model,
            k=k,
            progress=lambda n: bar.advance(task, n),
            on_train=_training_notice,
        )
    summary = f"{result.n_predicted} of {result.n_lines} lines predicted -> {output}"
    err.print(escape(summary), soft_wrap=True)
    for line, message in result.errors[:10]:
        err.print(escape(f"{input}:{line}: {message}"), soft_wrap=True)
    if len(result.errors) > 10:
        err.print(f"... and {len(result.errors) - 10} more bad lines")
    if result.errors:
        raise typer.Exit(2)


# --- commands from other modules (one registration line each) ---
app.command("trends")(trends_command)
app.command("audit")(audit_command)
app.command("serve")(serve_command)
app.command("ingest")(ingest_command)
app.command("ingest-eval")(ingest_eval_command)
app.command("fetch")(fetch_command)
app.add_typer(corpus_app, name="corpus")


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that ``finally`` blocks (temporary files) run."""


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _usage_error(exc: Exception) -> int | None:
    """Print a click usage error in one line; its exit status, or None if it is not one."""
    if not hasattr(exc, "exit_code"):
        return None
    message = exc.format_message() if hasattr(exc, "format_message") else ""
    if message:  # an empty one is the help, already shown (``remedy`` without a command)
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        typer.echo(f"error: {' '.join(message.split())}{hint}", err=True)
    return int(exc.exit_code)


def _os_error(exc: OSError) -> str:
    """An operating-system error in one line: ``path: reason``."""
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename is not None else reason


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user errors print one line and return 2.

    Usage errors and operating-system errors (a folder that cannot be written, a file where a
    folder is expected) are one line too. SIGTERM and Ctrl+C stop the command where it is,
    so temporary files are removed, and return 143 and 130.
    """
    try:
        with _sigterm_raises():
            code = app(args=argv, prog_name="remedy", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except RemedyError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    except BrokenPipeError:  # the reader went away (``remedy ... | head``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        typer.echo(f"error: {_os_error(exc)}", err=True)
        return 2
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except Terminated:
        typer.echo("terminated", err=True)
        return 143
    except SystemExit as exc:  # typer.Exit inside commands
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    except Exception as exc:
        # click's exceptions (vendored by some typer versions): usage errors, Abort, Exit.
        code = _usage_error(exc)
        if code is not None:
            return code
        if type(exc).__name__ == "Abort":
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
