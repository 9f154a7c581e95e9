"""The ``remedy serve`` command: load the model, then serve the web page with uvicorn.

Only typer and the standard library are imported at module level; FastAPI, uvicorn and the
model are imported when the command runs, so ``remedy --help`` stays fast.
"""

from __future__ import annotations

import socket
from pathlib import Path

import typer

from remedy_model.cli.common import app

DEFAULT_HOST = "127.0.0.1"
"""Only this machine can reach the page unless ``--host`` says otherwise."""
DEFAULT_PORT = 8000


def check_can_listen(host: str, port: int) -> None:
    """Raise :class:`InputError` if ``host:port`` cannot be listened on (e.g. already in use).

    Checked before the address is printed, so a busy port is a one-line error rather than a
    printed address that answers nothing.
    """
    from remedy_model.api import InputError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            f"cannot listen on {host}:{port} ({reason}); choose another --port or --host"
        ) from None


@app.command("serve")
def serve(
    host: str = typer.Option(
        DEFAULT_HOST, "--host", help="Address to listen on (0.0.0.0 exposes it to the network)."
    ),
    port: int = typer.Option(DEFAULT_PORT, "--port", min=1, max=65535, help="Port to listen on."),
    model: Path = typer.Option(
        None,
        "--model",
        help="Model file (default: models/remedy.npz, trained on first use).",
        dir_okay=False,
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=16,
        help="Processes answering (more serve more requests at once; uploaded drafts are "
        "then held by one small store process they share).",
    ),
) -> None:
    """Start the local web page for investigators: case form, range, precedents, trends."""
    import uvicorn

    from remedy_model import api
    from remedy_model.web.app import create_app

    def training_notice() -> None:
        typer.echo("No trained model yet: training on the embedded cases (a few seconds)...")

    check_can_listen(host, port)
    loaded = api.get_model(model, on_train=training_notice)
    options = {"host": host, "port": port, "log_level": "warning", "access_log": False}
    _announce(host, port)
    if workers == 1:
        uvicorn.run(create_app(model=loaded, host=host), **options)
        return
    _run_workers(model, host, workers, options)


def _run_workers(model: Path | None, host: str, workers: int, options: dict) -> None:
    """Serve from ``workers`` processes, each loading the (already checked) model file and
    holding drafts in one shared store."""
    import os

    import uvicorn

    from remedy_model import config
    from remedy_model.web import app as web_app
    from remedy_model.web import shared_drafts

    os.environ[web_app.SERVE_MODEL] = str(model or config.DEFAULT_MODEL_PATH)
    os.environ[web_app.SERVE_HOST] = host
    store, where = shared_drafts.start()
    os.environ[shared_drafts.SERVE_DRAFTS] = where
    target = "remedy_model.web.app:app_from_environment"
    try:
        uvicorn.run(target, factory=True, workers=workers, **options)
    finally:
        store.shutdown()


def _announce(host: str, port: int) -> None:
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"remedy web page at http://{shown}:{port}/  (JSON API: /docs; Ctrl+C stops)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            f"warning: listening on {host}: other machines may reach the page; it has no login.",
            err=True,
        )
