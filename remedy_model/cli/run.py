"""Running the ``remedy`` command: one line for every error, clean exits on signals."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

import typer

from remedy_model.cli.common import app
from remedy_model.errors import RemedyError


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
