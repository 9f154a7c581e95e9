"""The answer commands: ``remedy demo``, ``remedy suggest`` and ``remedy predict``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from remedy_model import config
from remedy_model.cli.common import (
    JsonOption,
    ModelOption,
    app,
    console,
    err_console,
    print_json,
    training_notice,
    with_flag,
)
from remedy_model.errors import InputError


@app.command()
def demo(
    out: Path = typer.Option(None, "--out", help="Folder for the plots (default: reports/demo)."),
    model: Path = ModelOption,
) -> None:
    """Train if needed, then show a worked example: both answers, precedents, a checked sum."""
    screen = console()
    screen.print("[bold]remedy demo[/]: an invented case checked against the embedded precedents")
    from remedy_model import api
    from remedy_model.render import print_suggestion

    result = api.demo(out, model_path=model, on_train=training_notice)
    case = api.describe_case(api.make_case(api.DEMO_CASE))
    screen.print(f"\nCase: {escape(case)}.")
    screen.print(f"Proposed: £{api.DEMO_PROPOSED:,.0f}.\n")
    print_suggestion(screen, result.suggestion)
    screen.print("\nPlots: " + escape(", ".join(str(p) for p in result.plots)))
    screen.print("Next: `remedy suggest --help`, `remedy evaluate`, `remedy predict --help`.")


def _query_from_flags(**fields):
    from remedy_model.api import make_case

    try:
        return make_case(fields, where="query")
    except InputError as exc:
        raise with_flag(exc) from None


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
    from remedy_model import api

    try:
        api.check_note_path(note)
    except InputError as exc:
        raise with_flag(exc) if exc.field == "note" else exc from None


@app.command()
def suggest(
    fault: list[str] = typer.Option(
        None, "--fault", help="Fault type (repeatable), e.g. care_plan, charging."
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
        raise with_flag(exc) from None
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

    loaded = api.get_model(model, on_train=training_notice)
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
            raise with_flag(exc) if exc.field == "case_label" else exc from None
        query = draft.case.query
    elif case is not None:
        query = api.read_case_file(case)
    else:
        query = _query_from_flags(**facts)
    if not quiet:
        out = console()
        if draft is not None:
            from remedy_model.render import print_draft_header

            print_draft_header(out, draft)
        out.print(f"[bold]Case:[/] {escape(api.describe_case(query))}")
    return query, draft


def _show_answer(answer, model, *, note: Path | None, as_json: bool, details: bool) -> None:
    """Write the note (if asked), then print the answer as JSON or for reading."""
    from remedy_model import api

    if note is not None:
        api.write_note(note, answer, model)
    if as_json:
        print_json(answer.to_dict())
    else:
        from remedy_model.render import print_answer

        print_answer(console(), answer, details=details)
    if note is not None:
        err_console().print(escape(f"Case note written to {note}"), soft_wrap=True)


@app.command()
def predict(
    input: Path = typer.Option(
        ..., "--input", help="Cases, one JSON object a line.", dir_okay=False
    ),
    output: Path = typer.Option(
        ..., "--output", help="Predictions, one line per input line.", dir_okay=False
    ),
    k: int = typer.Option(5, "-k", "--k", help="Precedents per case (1 to 50)."),
    jobs: int | None = typer.Option(
        None,
        "--jobs",
        min=1,
        max=config.MAX_JOBS,
        help="Processes answering (default: one per core; the output is the same).",
    ),
    model: Path = ModelOption,
) -> None:
    """Batch: a range and precedents for every line of a JSON Lines file.

    Sums are in the money of each case's year (today's if it has none). A bad line gives
    {"line": N, "error": ...} in its place, the others are still predicted, and the exit
    status is 2.
    """
    from rich.progress import Progress

    from remedy_model import api

    try:
        api.precedent_count(k)
    except InputError as exc:
        raise with_flag(exc) from None
    err = err_console()
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("predicting", total=None)
        result = api.predict(
            input,
            output,
            model_path=model,
            k=k,
            progress=lambda n: bar.advance(task, n),
            on_train=training_notice,
            jobs=jobs,
        )
    summary = f"{result.n_predicted} of {result.n_lines} lines predicted -> {output}"
    err.print(escape(summary), soft_wrap=True)
    for line, message in result.errors[:10]:
        err.print(escape(f"{input}:{line}: {message}"), soft_wrap=True)
    if len(result.errors) > 10:
        err.print(f"... and {len(result.errors) - 10} more bad lines")
    if result.errors:
        raise typer.Exit(2)
