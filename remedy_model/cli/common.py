"""What every command shares: the typer app, the consoles, common options, errors with flags."""

from __future__ import annotations

import inspect

import typer

from remedy_model import __version__
from remedy_model.errors import InputError

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


def reflow_help(typer_app: typer.Typer) -> None:
    """Give every command of ``typer_app`` its docstring with each paragraph on one line.

    typer keeps the docstring's line breaks after the first paragraph, so at 80 columns the
    help came out as ragged half-lines. A paragraph whose lines are indented or are list items
    (or that starts with ``\\b``) keeps its breaks.
    """
    for info in typer_app.registered_commands:
        if info.help is None and info.callback is not None and info.callback.__doc__:
            info.help = _reflowed(info.callback.__doc__)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)


def _reflowed(doc: str) -> str:
    """
    >>> _reflowed("One line.\\n\\n    Two\\n    lines.\\n\\n    - a\\n    - b\\n")
    'One line.\\n\\nTwo lines.\\n\\n- a\\n- b'
    """
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(p if _keeps_breaks(p) else " ".join(p.split()) for p in paragraphs)


def _keeps_breaks(paragraph: str) -> bool:
    lines = paragraph.splitlines()
    return paragraph.startswith("\b") or any(
        line[:1].isspace() or line.lstrip().startswith(("- ", "* ", "$ ")) for line in lines
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


def console():
    """The console for answers (standard output)."""
    from rich.console import Console

    return Console(highlight=False)


def err_console():
    """The console for progress and notices (standard error)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def print_json(data) -> None:
    """Print JSON that strict parsers accept (a non-finite number becomes null)."""
    from remedy_model import api

    typer.echo(api.dumps(data, indent=2))


def training_notice() -> None:
    err_console().print("No trained model yet: training on the embedded cases (a few seconds)...")


ModelOption = typer.Option(
    None,
    "--model",
    help="Model file (default: models/remedy.npz, trained on first use).",
    dir_okay=False,
)
JsonOption = typer.Option(False, "--json", help="Print JSON for programs instead of tables.")

FLAG_OF_FIELD = {
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


def with_flag(exc: InputError) -> InputError:
    """The error with the flag in place of the query field: ``--year: year 2999 is ...``."""
    flag = FLAG_OF_FIELD.get((exc.field or "").partition(".")[0])
    if flag is None:
        return exc
    return InputError(f"{flag}: {exc.reason}", field=exc.field, reason=exc.reason)
