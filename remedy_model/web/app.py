"""The FastAPI app behind ``remedy serve``: case form, result page, documents, trends, JSON API.

Presentation only: every figure comes from :mod:`remedy_model.api` (and, for documents and
trends, from the ingest and trends packages when they are installed). The app never runs in
debug mode, escapes everything it shows (Jinja2 autoescape), never opens a path a user gives,
caps uploads at :data:`MAX_UPLOAD_BYTES`, and answers errors with a page or a JSON message
naming the field, never a traceback.

Routes
------
``GET /``                 the case form (query parameters prefill it)
``GET /suggest``          the result page for the form's fields (invalid: the form again, 422)
``GET /suggest.json``     the same result as a JSON download
``GET /suggest.png``      its precedents figure as a PNG (``figures.plot_suggestion``)
``POST /upload``          a draft decision fills the form (only when ingest is installed)
``GET /trends``           the trends report (built once per process)
``POST /api/suggest``     JSON API: a case record in, ``remedy suggest --json``'s output back
``GET /docs``             the API's schema page (Swagger UI served locally, no CDN)
"""

from __future__ import annotations

import logging
import math
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi_offline import FastAPIOffline
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from remedy_model import __version__, api, config, jsonio
from remedy_model.api import RemedyModel, Suggestion
from remedy_model.errors import InputError, RemedyError
from remedy_model.records import MAX_AMOUNT_GBP, Case
from remedy_model.style import MEDIAN_HEX, RANGE_HEX, TONE_HEX, TONE_WORDS, money, pct
from remedy_model.web import forms, security

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""Largest draft decision accepted; a decision is rarely a tenth of this."""
_FORM_OVERHEAD = 64 * 1024
"""Room for the multipart wrapping around the file in a request body."""
UPLOAD_SUFFIXES = frozenset({".txt", ".html", ".htm", ".pdf"})

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
"""Headers of every page the app renders: nothing loads from elsewhere, no scripts run."""

API_EXAMPLE = {"summary": "The demo case", "value": api.DEMO_CASE}
API_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/Case"},
            "examples": {"demo": API_EXAMPLE},
        }
    },
}
"""The API's request body as the schema page shows it: one case record."""


class UploadTooLarge(Exception):
    """A request body on the upload route grew past the limit while it was read."""


class LimitUploadBody:
    """ASGI middleware that stops reading an upload once it is past the size limit.

    The route also refuses a declared ``Content-Length`` over the limit before reading; this
    covers bodies sent without one (chunked), which would otherwise be spooled whole.
    """

    def __init__(self, app, path: str = "/upload", limit: int = MAX_UPLOAD_BYTES) -> None:
        self.app, self.path, self.limit = app, path, limit + _FORM_OVERHEAD

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise UploadTooLarge
            return message

        await self.app(scope, limited, send)


def safe_url(url: str | None) -> str | None:
    """The URL if it is a web address (http or https), else ``None``.

    Escaping keeps markup out of an ``href`` but not a ``javascript:`` address; this does.

    >>> safe_url("https://www.lgo.org.uk/decisions/x"), safe_url("javascript:alert(1)")
    ('https://www.lgo.org.uk/decisions/x', None)
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def case_facts(case: Case, proposed: float | None) -> str:
    """The facts of a query in one line of words, to show above its result.

    >>> case_facts(Case(fault_types=["care_plan"], duration_months=6, carer_impact=True), None)
    'fault: care plan; 6 months; carer affected'
    """
    parts = []
    if case.category:
        parts.append(case.category)
    if case.org_type:
        parts.append(f"{forms.words(case.org_type)} body")
    if case.decision and case.decision != api.DEFAULT_DECISION:
        parts.append(f"decision: {forms.words(case.decision)}")
    if case.fault_types:
        label = "faults" if len(case.fault_types) > 1 else "fault"
        parts.append(f"{label}: " + ", ".join(map(forms.words, case.fault_types)))
    if case.duration_months is not None:
        parts.append(f"{case.duration_months:g} months")
    for name, yes, no in (
        ("carer_impact", "carer affected", "no carer affected"),
        ("respite_lost", "respite lost", "no respite lost"),
        ("person_died", "the person died", None),
    ):
        value = getattr(case, name)
        if value is not None and (yes if value else no):
            parts.append(yes if value else no)
    if case.respite_lost_weeks is not None:
        parts.append(f"{case.respite_lost_weeks:g} weeks of respite lost")
    if case.vulnerable:
        parts.append("vulnerable: " + ", ".join(map(forms.words, case.vulnerable)))
    if case.year is not None:
        parts.append(str(case.year))
    if proposed is not None:
        parts.append(f"proposed {money(proposed)}")
    return "; ".join(parts) or "nothing entered (the range is for an average upheld case)"


def document_reader() -> Callable[[Path], list] | None:
    """Ingest's ``read_document``, or ``None`` while the ingest package does not provide it."""
    try:
        from remedy_model.ingest import read_document
    except ImportError:
        return None
    return read_document


def build_trends_html() -> str | None:
    """The trends report's HTML on the embedded cases, or ``None`` without the trends package.

    The report is written into a temporary folder that is removed once its page is read: the
    page is self-contained (figures as ``data:`` URIs).
    """
    try:
        from remedy_model.trends.report import build_report
    except ImportError:
        return None
    with tempfile.TemporaryDirectory(prefix="remedy-trends-") as tmp:
        report = build_report([config.CASES_PATH], config.CPI_PATH, tmp)
        return Path(report.html_path).read_text(encoding="utf-8")


class _Once:
    """A value computed on first use, once per process, safely across worker threads."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make, self._lock, self._done, self._value = make, threading.Lock(), False, None

    def get(self) -> Any:
        with self._lock:
            if not self._done:
                self._value = self._make()
                self._done = True
            return self._value


def plot_png(suggestion: Suggestion) -> bytes:
    """The precedents figure of :func:`remedy_model.figures.precedent_figure` as PNG bytes.

    The figure is built without pyplot's global state, so threads need no lock.
    """
    import io

    from remedy_model.figures import precedent_figure

    buffer = io.BytesIO()
    precedent_figure(suggestion).savefig(buffer, format="png")
    return buffer.getvalue()


CHART_WIDTH, CHART_ROW, CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_AXIS = 760, 22, 150, 70, 40, 46
LINEAR_BELOW = 100.0
"""The chart's scale is linear up to £100 and logarithmic above, as in the PNG figure."""
MAX_DECADES = 8
"""Tick marks above £100 at most (up to £1bn): sums are bounded, and so is the loop over them."""


def _scale(value: float) -> float:
    """Position of a sum on the chart's symmetric-log axis, in decades above £100.

    >>> _scale(0), _scale(50), _scale(100), _scale(1000)
    (0.0, 0.5, 1.0, 2.0)
    """
    value = max(float(value), 0.0)
    if value <= LINEAR_BELOW:
        return value / LINEAR_BELOW
    return 1.0 + math.log10(value / LINEAR_BELOW)


def precedent_chart(suggestion: Suggestion) -> dict[str, Any]:
    """Coordinates of an inline SVG drawing of what the PNG figure shows.

    One row per precedent in the table (nearest first) at its symbolic sum in today's money,
    over the amount-if-paid interval and its median, with a proposed sum marked in its
    verdict's colour. Drawn as SVG in the page, it costs a millisecond where the matplotlib
    PNG costs a few hundred (the PNG stays available for download).
    """
    rows = suggestion.precedents
    a = suggestion.amount_if_paid_today
    check = suggestion.check
    proposed = check.proposed_today if check and check.question == "amount" else None
    sums = [p.symbolic_today or 0.0 for p in rows]
    highest = max([a["high"], proposed or 0.0, LINEAR_BELOW, *sums])
    top = _scale(highest * 2.5)
    inner = CHART_WIDTH - CHART_LEFT - CHART_RIGHT

    def x(value: float) -> float:
        return round(CHART_LEFT + inner * _scale(value) / top, 1)

    plot_height = CHART_ROW * max(len(rows), 1)
    ticks = [0.0, *(LINEAR_BELOW * 10**n for n in range(MAX_DECADES) if n + 1 <= top)]
    return {
        "width": CHART_WIDTH,
        "height": CHART_TOP + plot_height + CHART_AXIS,
        "top": CHART_TOP,
        "bottom": CHART_TOP + plot_height,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "band": (x(a["low"]), x(a["high"])),
        "median": x(a["median"]),
        "proposed": None if proposed is None else x(proposed),
        "proposed_label": None if proposed is None else money(proposed),
        "proposed_colour": TONE_HEX[check.tone] if check else None,
        "ticks": [(x(t), money(t)) for t in ticks],
        "rows": [_chart_row(p, i, x) for i, p in enumerate(rows)],
    }


def _chart_row(p, i: int, x) -> dict[str, Any]:
    stated = p.remedy_visible and p.symbolic_today is not None
    value = (money(p.symbolic_today) if p.symbolic_today else "£0") if stated else "not stated"
    return {
        "y": CHART_TOP + CHART_ROW * (i + 0.5),
        "x": x(p.symbolic_today) if stated else None,
        "label": f"{p.label} ({p.year or '?'})",
        "value": value,
    }


def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("remedy_model.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.globals.update(
        money=money,
        pct=pct,
        version=__version__,
        tone_hex=TONE_HEX,
        tone_words=TONE_WORDS,
        range_hex=RANGE_HEX,
        median_hex=MEDIAN_HEX,
    )
    return env


def _api_error(field: str | None, message: str, where: str = "body") -> JSONResponse:
    """A 422 in FastAPI's own validation-error shape, naming the field (a dotted path)."""
    path = [int(p) if p.isdigit() else p for p in field.split(".")] if field else []
    detail = [{"loc": [where, *path], "msg": message, "type": "value_error"}]
    return JSONResponse({"detail": detail}, status_code=422)


async def _body(request: Request) -> bytes:
    """The request body, its size bounded by :class:`~remedy_model.web.security.RequestGuard`."""
    return await request.body()


def _with_case_schema(app: FastAPI) -> None:
    """Show the case record as the API's request body in ``/docs``: the route reads its body
    itself (strictly, unknown keys refused), so FastAPI does not see the model."""
    make = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = make()
            case = Case.model_json_schema(ref_template="#/components/schemas/{model}")
            known = schema.setdefault("components", {}).setdefault("schemas", {})
            known.update(case.pop("$defs", {}), Case=case)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json")


def create_app(
    model_path: Path | str | None = None,
    model: RemedyModel | None = None,
    host: str | None = None,
) -> FastAPI:
    """Build the web app around one loaded model.

    Parameters
    ----------
    model_path : path, optional
        A model file to load (must be valid: :class:`~remedy_model.errors.ModelFileError`
        otherwise). Ignored when ``model`` is given.
    model : RemedyModel, optional
        An already loaded model. With neither, the default model is loaded (and trained first
        if absent), so problems show when the server starts rather than on the first page.
    host : str, optional
        The address the server listens on; requests naming another host than it and this
        machine's local names get 400 (:mod:`remedy_model.web.security`).
    """
    model = model or api.get_model(model_path)
    env = _templates()
    categories = model.known_categories()
    model_info = {
        "n_cases": model.info.get("n_cases", model.n_precedents),
        "n_trainable": model.info.get("n_trainable", "?"),
        "trained_at": str(model.info.get("trained_at", "?"))[:10],
    }
    read_document = document_reader()
    trends = _Once(build_trends_html)

    app = FastAPIOffline(
        title="remedy_model",
        version=__version__,
        description=(
            "Payment ranges and precedents for Local Government and Social Care Ombudsman "
            "remedies. `POST /api/suggest` takes a case record in the codebook's form and "
            "returns what `remedy suggest --json` prints."
        ),
        redoc_url=None,
        debug=False,
        swagger_ui_parameters={"validatorUrl": None},
    )
    app.add_middleware(LimitUploadBody)
    app.add_middleware(
        security.RequestGuard,
        hosts=security.allowed_hosts(host),
        body_limits={"/api/suggest": security.API_BODY_LIMIT},
    )
    _with_case_schema(app)
    app.state.model = model
    app.state.read_document = read_document

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        text = env.get_template(name).render(model_info=model_info, **context)
        return HTMLResponse(text, status_code=status, headers=SECURITY_HEADERS)

    def message_page(status: int, heading: str, message: str, kind: str = "note") -> HTMLResponse:
        return page("message.html", status, heading=heading, message=message, kind=kind)

    def form_page(
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status: int = 200,
        document: dict | None = None,
    ) -> HTMLResponse:
        return page(
            "form.html",
            status,
            values=values,
            errors=errors or {},
            document=document,
            labels={**forms.LABELS, "document": "Draft decision"},
            options=forms.OPTIONS,
            option_codes={k: {c for c, _ in v} for k, v in forms.OPTIONS.items()},
            categories=categories,
            k_choices=forms.K_CHOICES,
            upload_enabled=read_document is not None,
            max_upload_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        )

    def answer(request: Request) -> tuple[forms.CaseForm, Case | None, Suggestion | None]:
        form = forms.read_form(request.query_params)
        case = forms.to_query(form)
        if case is None:
            return form, None, None
        try:
            return form, case, api.suggest(case, model=model, k=form.k, proposed=form.proposed)
        except InputError as exc:
            name, message = forms.field_of(exc)
            form.errors[name if name in forms.LABELS else "form"] = message
            return form, case, None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def form_view(request: Request) -> HTMLResponse:
        """The case form, blank or filled from query parameters (no messages until sent)."""
        return form_page(forms.read_form(request.query_params).values)

    @app.get("/suggest", response_class=HTMLResponse, include_in_schema=False)
    def result_view(request: Request) -> HTMLResponse:
        """The range, verdict, plot and precedents; or the form again with its messages."""
        form, case, suggestion = answer(request)
        if suggestion is None:
            return form_page(form.values, form.errors, status=422)
        return page(
            "result.html",
            s=suggestion,
            facts=case_facts(case, form.proposed),
            chart=precedent_chart(suggestion),
            query=request.url.query,
        )

    def answered(request: Request) -> Suggestion | Response:
        """The query string's answer, or a 4xx naming the first invalid field."""
        form, _, suggestion = answer(request)
        if suggestion is None:
            name, message = next(iter(form.errors.items()))
            return _api_error(name, message, where="query")
        return suggestion

    @app.get("/suggest.png", include_in_schema=False)
    def result_figure(request: Request) -> Response:
        """The result's precedents figure as a PNG (the one ``remedy demo`` saves)."""
        suggestion = answered(request)
        if isinstance(suggestion, Response):
            return suggestion
        return Response(
            plot_png(suggestion),
            media_type="image/png",
            headers={"Content-Disposition": 'inline; filename="remedy-precedents.png"'},
        )

    @app.get("/suggest.json", include_in_schema=False)
    def result_download(request: Request) -> Response:
        """The result page's answer as a JSON file (the same as ``remedy suggest --json``)."""
        suggestion = answered(request)
        if isinstance(suggestion, Response):
            return suggestion
        return Response(
            jsonio.dumps(suggestion.to_dict(), indent=2),
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="remedy-suggestion.json"'},
        )

    @app.post(
        "/api/suggest",
        summary="Payment range and precedents for one case",
        response_description="What `remedy suggest --json` prints: `low_gbp`, `median_gbp`, "
        "`high_gbp` (money of the case's year), `range_today`, `p_payment`, `precedents`, "
        "`check` (when `proposed` is given) and more.",
        responses={
            413: {"description": f"Body over {security.API_BODY_LIMIT // 1024} KB."},
            422: {"description": "Invalid case record; `detail[0].loc` names the field."},
        },
        openapi_extra={"requestBody": API_BODY},
    )
    def api_suggest(
        body: Annotated[bytes, Depends(_body)],
        proposed: Annotated[
            float | None,
            Query(
                ge=0,
                le=MAX_AMOUNT_GBP,
                allow_inf_nan=False,
                description="A proposed symbolic sum (£, money of the case's year).",
            ),
        ] = None,
        k: Annotated[int, Query(ge=1, le=api.MAX_K, description="Number of precedents.")] = (
            config.DEFAULT_K
        ),
    ) -> Response:
        """The case record is validated as in the codebook; a query without ``decision`` is
        taken as upheld, a key that is not a codebook field is refused. Sums are in the money
        of the case's ``year`` (today's if none)."""
        try:
            query = api.case_from_json(body, where="body")
            result = api.suggest(query, model=model, k=k, proposed=proposed)
        except InputError as exc:
            where = "query" if exc.field in ("proposed", "k") else "body"
            return _api_error(exc.field, exc.reason, where=where)
        return Response(jsonio.dumps(result.to_dict()), media_type="application/json")

    @app.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload(request: Request) -> HTMLResponse:
        """Fill the form from a draft decision, with the passage behind each value."""
        if read_document is None:
            raise HTTPException(404)
        too_large = (
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; save the decision "
            "as plain text or HTML, or fill the form by hand."
        )
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + _FORM_OVERHEAD:
            return form_page(forms.empty_values(), {"document": too_large}, status=413)
        try:
            submitted = await request.form(max_files=1, max_fields=5)
        except UploadTooLarge:
            return form_page(forms.empty_values(), {"document": too_large}, status=413)
        except HTTPException:
            return form_page(
                forms.empty_values(), {"document": "The upload could not be read."}, status=400
            )
        document = submitted.get("document")
        if not isinstance(document, UploadFile) or not document.filename:
            return form_page(
                forms.empty_values(), {"document": "Choose a file to upload."}, status=400
            )
        # Only the suffix of the user's file name is used; the file goes to a name of ours.
        suffix = Path(document.filename).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            message = "Upload a .txt, .html or .pdf file."
            return form_page(forms.empty_values(), {"document": message}, status=415)
        data = await document.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return form_page(forms.empty_values(), {"document": too_large}, status=413)
        try:
            extracted = await run_in_threadpool(_read_upload, read_document, data, suffix)
        except RemedyError as exc:
            message = f"Could not read the document: {_without_path(str(exc))}"
            return form_page(forms.empty_values(), {"document": message}, status=422)
        if not extracted:
            message = "No case could be read from the document; fill the form by hand."
            return form_page(forms.empty_values(), {"document": message}, status=422)
        records = [_record_of(item) for item in extracted]
        labels = [_label_of(record, i) for i, record in enumerate(records, start=1)]
        info = {
            "filename": document.filename,
            "n_cases": len(records),
            "label": labels[0],
            "snippets": snippets_of(records[0]),
            "others": [
                {"label": label, "query": urlencode(forms.values_from_record(rec), doseq=True)}
                for label, rec in zip(labels[1:], records[1:], strict=True)
            ],
        }
        return form_page(forms.values_from_record(records[0]), document=info)

    @app.get("/trends", response_class=HTMLResponse, include_in_schema=False)
    def trends_view() -> HTMLResponse:
        """The trends report on the embedded cases (built on first visit, then kept)."""
        try:
            text = trends.get()
        except RemedyError as exc:
            return message_page(503, "Trends", f"The trends report could not be built: {exc}")
        if text is None:
            return message_page(
                200,
                "Trends",
                "The trends report is not part of this installation yet (remedy_model.trends).",
            )
        back = '<p><a href="/">&larr; Back to the case form</a></p>'
        return HTMLResponse(text.replace("<body>", "<body>" + back, 1), headers=SECURITY_HEADERS)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        heading = {404: "Page not found", 405: "Not allowed here"}.get(exc.status_code, "Error")
        message = {
            404: "There is no page at this address.",
            405: "This address does not take that kind of request.",
        }.get(exc.status_code, str(exc.detail))
        return message_page(exc.status_code, heading, message, kind="banner")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("error answering %s %s", request.method, request.url.path)
        message = "Something went wrong while answering; the details are in the server's log."
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=500)
        return message_page(500, "Something went wrong", message, kind="banner")

    return app


def _read_upload(read_document: Callable[[Path], list], data: bytes, suffix: str) -> list:
    """Run ingest on the uploaded bytes, saved under a name of ours in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="remedy-upload-") as tmp:
        path = Path(tmp) / f"document{suffix}"
        path.write_bytes(data)
        return list(read_document(path))


def _without_path(message: str) -> str:
    """An ingest message without the temporary file's path at its start."""
    head, sep, rest = message.partition(": ")
    return rest if sep and ("remedy-upload-" in head or head.endswith("document")) else message


def _record_of(item: Any) -> dict[str, Any]:
    """The codebook record of one extracted case (``.record``, else ``.case`` dumped)."""
    record = getattr(item, "record", None)
    if isinstance(record, dict):
        return record
    case = getattr(item, "case", item)
    return case.model_dump(mode="json") if isinstance(case, Case) else dict(case)


def _label_of(record: dict[str, Any], number: int) -> str:
    ref = record.get("case_ref") or record.get("case_label")
    return f"case {number} ({ref})" if ref else f"case {number}"


def snippets_of(record: dict[str, Any]) -> dict[str, list[dict[str, str | None]]]:
    """Form field -> the passages of the document its values were read from.

    Ingest's ``provenance`` maps a field (``fault_types.NAME`` for a list member,
    ``payments[i]`` for a payment) to ``{"span": [start, end], "quote": text}``. A symbolic
    payment's passage goes with the proposed sum, which the form takes from the draft.

    >>> snippets_of({"provenance": {"year": {"span": [3, 9], "quote": "in 2024"},
    ...              "fault_types.care_plan": {"span": [0, 9], "quote": "care plan"}}})
    {'year': [{'value': None, 'quote': 'in 2024'}], 'fault_types': [{'value': 'care plan', \
'quote': 'care plan'}]}
    """
    provenance = record.get("provenance")
    payments = record.get("payments") or []
    out: dict[str, list[dict[str, str | None]]] = {}
    if not isinstance(provenance, dict):
        return out
    for key, entry in provenance.items():
        name, _, member = str(key).partition(".")
        value = forms.words(member) if member else None
        if name.startswith("payments["):
            index = name.removeprefix("payments[").rstrip("]")
            payment = payments[int(index)] if index.isdigit() and int(index) < len(payments) else {}
            if not (isinstance(payment, dict) and payment.get("symbolic")):
                continue
            name = "proposed"
        elif name == "symbolic_total_gbp":
            name = "proposed"
        for item in entry if isinstance(entry, list) else [entry]:
            quote = item.get("quote") or item.get("snippet") if isinstance(item, dict) else item
            if isinstance(quote, str) and quote.strip():
                found = {"value": value, "quote": quote.strip()}
                if found not in out.setdefault(name, []):
                    out[name].append(found)
    return out
