"""The pages a person uses: the case form, the answer, its downloads and its printable note.

Routes
------
``GET /``              the case form (query parameters prefill it; ``draft=&case=`` fills it
                       from an uploaded draft, with the passage behind each value)
``GET /suggest``       the answer for the form's fields (invalid: the form again, 422)
``GET /suggest.json``  the same answer as a JSON download
``GET /suggest.png``   its precedents figure as a PNG
``GET /note``          the case note: one printable page ("Print / save as PDF")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from remedy_model import api
from remedy_model.web import charts, drafts, forms
from remedy_model.web.errors import api_error
from remedy_model.web.views import SECURITY_HEADERS, views

router = APIRouter(include_in_schema=False)


@dataclass
class Answered:
    """A request's answer, or the form with its messages when it cannot be answered."""

    form: forms.CaseForm
    answer: api.CaseAnswer | None = None
    draft: api.Draft | None = None
    token: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _store(request: Request) -> drafts.HeldDrafts:
    return request.app.state.drafts


def answer_request(request: Request) -> Answered:
    """Read the form's fields (and the draft they came from) and answer them."""
    params = request.query_params
    done = Answered(forms.read_form(params))
    done.draft, problem = drafts.requested(_store(request), params)
    if problem:
        done.form.errors["draft"] = problem
    case = forms.to_query(done.form)
    if case is None or problem:
        return done
    done.token = params.get("draft")
    model = request.app.state.model
    form = done.form
    try:
        if done.draft is not None:
            done.answer = api.check_draft(
                done.draft, query=case, proposed=form.proposed, proposed_from="form",
                use_draft_sum=False, model=model, k=form.k,
            )  # fmt: skip
        else:
            done.answer = api.answer(
                case, proposed=form.proposed, proposed_from="form", model=model, k=form.k
            )
    except api.InputError as exc:
        name, message = forms.field_of(exc)
        form.errors[name if name in forms.FIELD_KINDS or name in forms.LABELS else "form"] = message
    return done


# Pages that answer in milliseconds are ``async``: they run on the event loop, which saves
# handing each request to a worker thread (a third of the cost of an answer). The PNG figure
# (hundreds of milliseconds of matplotlib) stays a plain function, in the thread pool.
@router.get("/", response_class=HTMLResponse)
async def form_view(request: Request) -> HTMLResponse:
    """The case form: blank, filled from query parameters, or from a held draft's case."""
    params = request.query_params
    draft, problem = drafts.requested(_store(request), params)
    if problem:
        return views(request).form(forms.empty_values(), {"draft": problem}, status=404)
    given = any(name in params for name in (*forms.CASE_FIELDS, "proposed"))
    values = drafts.form_values(draft) if draft and not given else forms.read_form(params).values
    context = drafts.form_context(draft, params["draft"]) if draft else None
    return views(request).form(values, draft=context)


def _form_again(request: Request, done: Answered) -> HTMLResponse:
    """The form again, with what was sent and why it could not be answered (422)."""
    context = drafts.form_context(done.draft, done.token) if done.draft else None
    return views(request).form(done.form.values, done.form.errors, 422, draft=context)


@router.get("/suggest", response_class=HTMLResponse)
async def result_view(request: Request) -> HTMLResponse:
    """Both answers, the verdict, why, the reference view, the chart and the precedents."""
    done = answer_request(request)
    if done.answer is None:
        return _form_again(request, done)
    a = done.answer
    return views(request).page(
        "result.html",
        a=a,
        s=a.suggestion,
        facts=api.describe_case(a.query, done.form.proposed),
        charts=[charts.precedent_chart(a.suggestion, x) for x in (charts.WIDE, charts.NARROW)],
        query=request.url.query,
        draft=drafts.result_context(a, done.draft, done.token) if done.draft else None,
    )


def answered(request: Request) -> api.CaseAnswer | Response:
    """The query string's answer, or a 422 naming the first invalid field."""
    done = answer_request(request)
    if done.answer is None:
        name, message = next(iter(done.form.errors.items()))
        return api_error(name, message, where="query")
    return done.answer


@router.get("/suggest.png")
def result_figure(request: Request) -> Response:
    """The answer's precedents figure as a PNG (the one ``remedy demo`` saves)."""
    answer = answered(request)
    if isinstance(answer, Response):
        return answer
    return Response(
        api.figure_png(answer.suggestion),
        media_type="image/png",
        headers={"Content-Disposition": 'inline; filename="remedy-precedents.png"'},
    )


@router.get("/suggest.json")
async def result_download(request: Request) -> Response:
    """The answer as a JSON file (as ``remedy suggest --json`` prints it)."""
    answer = answered(request)
    if isinstance(answer, Response):
        return answer
    return Response(
        api.dumps(answer.to_dict(), indent=2),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="remedy-suggestion.json"'},
    )


@router.get("/note", response_class=HTMLResponse)
async def note_view(request: Request) -> Response:
    """The case note of the answer: one self-contained page to print or save as PDF."""
    done = answer_request(request)
    if done.answer is None:
        return _form_again(request, done)
    back = "/suggest?" + request.url.query
    text = api.note_html(done.answer, request.app.state.model, back_url=back)
    return HTMLResponse(text, headers=SECURITY_HEADERS)
