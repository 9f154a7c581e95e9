"""Errors as the app answers them: a page for a person, JSON for a program, never a traceback.

A 4xx from a JSON route uses FastAPI's own validation-error shape, naming the field
(``detail[0].loc``); a page gets a message page. Anything unexpected is logged and answered
with a 500 that says where the details are.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from remedy_model.web.views import views

log = logging.getLogger(__name__)

PAGE_ERRORS = {
    404: ("Page not found", "There is no page at this address."),
    405: ("Not allowed here", "This address does not take that kind of request."),
}
SERVER_ERROR = "Something went wrong while answering; the details are in the server's log."


def api_error(field: str | None, message: str, where: str = "body") -> JSONResponse:
    """A 422 in FastAPI's own validation-error shape, naming the field (a dotted path).

    >>> api_error("fault_types.0", "unknown value").body
    b'{"detail":[{"loc":["body","fault_types",0],"msg":"unknown value","type":"value_error"}]}'
    """
    path = [int(p) if p.isdigit() else p for p in field.split(".")] if field else []
    detail = [{"loc": [where, *path], "msg": message, "type": "value_error"}]
    return JSONResponse({"detail": detail}, status_code=422)


def wants_json(request: Request) -> bool:
    """True for the routes programs call (the API and the downloads)."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv", ".png"))


async def http_error(request: Request, exc: HTTPException) -> Response:
    if wants_json(request):
        detail = {"detail": exc.detail}
        return JSONResponse(detail, status_code=exc.status_code, headers=exc.headers)
    heading, message = PAGE_ERRORS.get(exc.status_code, ("Error", str(exc.detail)))
    return views(request).message(exc.status_code, heading, message, kind="banner")


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("error answering %s %s", request.method, request.url.path)
    if wants_json(request):
        return JSONResponse({"detail": SERVER_ERROR}, status_code=500)
    return views(request).message(500, "Something went wrong", SERVER_ERROR, kind="banner")


def install(app: FastAPI) -> None:
    """Answer the app's errors as above."""
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
