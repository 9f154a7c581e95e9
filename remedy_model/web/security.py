"""Checks on every request to the web app, before any route sees it (ASGI middleware).

- **Host**: only the names the server is meant to be reached by are answered (400 otherwise),
  so a page on another site whose name is made to resolve to 127.0.0.1 (DNS rebinding) cannot
  read from a server on this machine.
- **Body size**: a request body over its route's limit gets 413 before it is read whole,
  whether its length is declared or not (chunked).
- **HEAD** is answered like GET, without the body.
- **nosniff** on every response, JSON included.

Only the standard library and Starlette's ASGI types are used, so any FastAPI version works.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable, Mapping

from remedy_model.api import size_text

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Names of this machine that a browser on it uses; always allowed."""
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
"""Listening addresses meaning "every interface"."""
API_BODY_LIMIT = 64 * 1024
"""Largest body of ``POST /api/suggest``: a case record is about 1 KB."""
NOSNIFF = (b"x-content-type-options", b"nosniff")


def host_name(header: str) -> str:
    """The host of a ``Host`` header: lower case, without port, brackets or final dot.

    >>> host_name("[::1]:8000"), host_name("LocalHost:80"), host_name("example.org.")
    ('::1', 'localhost', 'example.org')
    """
    value = header.strip().lower()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    return value.rstrip(".")


def allowed_hosts(host: str | None = None) -> frozenset[str]:
    """The host names a server listening on ``host`` answers to.

    Always :data:`LOCAL_HOSTS` and ``host`` itself; when ``host`` means every interface
    (``0.0.0.0``), also this machine's name and its addresses, as other machines reach it.

    >>> sorted(allowed_hosts("192.168.1.5"))
    ['127.0.0.1', '192.168.1.5', '::1', 'localhost']
    """
    names = set(LOCAL_HOSTS)
    if host is None:
        return frozenset(names)
    names.add(host_name(f"[{host}]" if ":" in host else host))
    if host in WILDCARD_HOSTS:
        names.update(_machine_names())
    return frozenset(names - {""})


def _machine_names() -> set[str]:
    names = {socket.gethostname().lower(), socket.getfqdn().lower()}
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:
        return names
    return names | {str(info[4][0]).lower() for info in infos}


class _BodyTooLarge(Exception):
    """Raised inside the app when a body grows past its limit while it is read."""


class RequestGuard:
    """ASGI middleware applying the checks of this module to every HTTP request.

    Parameters
    ----------
    app : ASGI app
    hosts : iterable of str
        Host names answered (see :func:`allowed_hosts`).
    body_limits : mapping
        Path -> largest request body in bytes; other paths are not limited here.
    """

    def __init__(self, app, hosts: Iterable[str], body_limits: Mapping[str, int]) -> None:
        self.app, self.hosts, self.body_limits = app, frozenset(hosts), dict(body_limits)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        head = scope["method"] == "HEAD"
        if host_name(headers.get(b"host", b"").decode("latin-1")) not in self.hosts:
            await _answer(send, 400, "This server answers only at its own address.", head)
            return
        limit = self.body_limits.get(scope["path"])
        too_large = f"The request body is larger than {size_text(limit or 0)}."
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if limit is not None and declared.isdigit() and int(declared) > limit:
            await _answer(send, 413, too_large, head)
            return
        started = False

        async def guarded_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": _with_nosniff(message.get("headers", []))}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            inner = {**scope, "method": "GET"} if head else scope
            await self.app(inner, limited_receive(receive, limit, _BodyTooLarge), guarded_send)
        except _BodyTooLarge:
            if started:
                raise
            await _answer(send, 413, too_large, head)


def limited_receive(receive, limit: int | None, too_large: type[Exception]):
    """An ASGI ``receive`` that raises ``too_large`` once more than ``limit`` body bytes came
    (``receive`` itself when there is no limit)."""
    if limit is None:
        return receive
    seen = 0

    async def limited():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large
        return message

    return limited


def _with_nosniff(headers) -> list:
    headers = list(headers)
    if not any(name.lower() == NOSNIFF[0] for name, _ in headers):
        headers.append(NOSNIFF)
    return headers


async def _answer(send, status: int, message: str, head: bool = False) -> None:
    """A JSON error ``{"detail": message}`` sent straight from the middleware."""
    body = json.dumps({"detail": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        NOSNIFF,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})
