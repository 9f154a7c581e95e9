"""``GET /trends``: the policy report inside the app's navigation, with its tables as CSV.

The report (:func:`remedy_model.api.build_trends`) is built once per process on first visit,
into a temporary folder that is removed once its page and CSVs are read into memory: the page is
self-contained (figures as ``data:`` URIs), and the CSVs are a few kilobytes.

Routes
------
``GET /trends``             the report, with the app's navigation and links to its tables
``GET /trends/NAME.csv``    one of its tables
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from remedy_model import api
from remedy_model.web.views import SECURITY_HEADERS, views

router = APIRouter(include_in_schema=False)
BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class TrendsPage:
    """The report's page and its tables (name -> CSV bytes)."""

    html: str
    csvs: dict[str, bytes]


def build_trends_page() -> TrendsPage:
    """Build the report on the embedded cases and read it into memory."""
    with tempfile.TemporaryDirectory(prefix="remedy-trends-") as tmp:
        report = api.build_trends(tmp)
        html = Path(report.html_path).read_text(encoding="utf-8")
        csvs = {name: Path(path).read_bytes() for name, path in report.csv_paths.items()}
    return TrendsPage(html, csvs)


class Once:
    """A value computed on first use, once per process, safely across worker threads."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make, self._lock, self._done, self._value = make, threading.Lock(), False, None

    def get(self) -> Any:
        with self._lock:
            if not self._done:
                self._value = self._make()
                self._done = True
            return self._value


def _page(request: Request) -> TrendsPage:
    return request.app.state.trends.get()


@router.get("/trends", response_class=HTMLResponse)
def trends_view(request: Request) -> HTMLResponse:
    """The report on the embedded cases, below the app's navigation and the CSV links."""
    try:
        report = _page(request)
    except api.RemedyError as exc:
        return views(request).message(503, "Trends", f"The report could not be built: {exc}")
    nav = views(request).env.get_template("trends_nav.html").render(csvs=sorted(report.csvs))
    match = BODY.search(report.html)
    at = match.end() if match else 0
    return HTMLResponse(report.html[:at] + nav + report.html[at:], headers=SECURITY_HEADERS)


@router.get("/trends/{name}.csv")
def trends_table(request: Request, name: str) -> Response:
    """One table of the report as CSV."""
    try:
        data = _page(request).csvs.get(name)
    except api.RemedyError:
        data = None
    if data is None:
        raise HTTPException(404)
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
