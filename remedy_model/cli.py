"""The ``remedy`` command: parses flags, calls :mod:`remedy_model.api`, prints (rich) or JSON.

Heavy libraries (pandas, scikit-learn, matplotlib) are imported inside the commands so that
``remedy --help`` answers at once. Every user error is a :class:`RemedyError`: one line on
stderr, exit status 2, no traceback.
"""

from __future__ import annotations

import sys

import typer

from remedy_model import __version__
from remedy_model.errors import RemedyError

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
        typer.echo(f"remedy_model {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Payment ranges and precedents for Ombudsman remedies."""


# --- commands from other modules (one registration line each) ---


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user errors print one line and return 2."""
    try:
        app(args=argv, standalone_mode=False)
    except RemedyError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except SystemExit as exc:  # typer.Exit inside commands
        return int(exc.code or 0)
    except Exception as exc:
        # click's exceptions (vendored by typer): usage errors show themselves.
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            return 2 if exc.exit_code == 2 else int(exc.exit_code)
        if hasattr(exc, "exit_code"):
            return int(exc.exit_code)
        if type(exc).__name__ == "Abort":
            return 1
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
