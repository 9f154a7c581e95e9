"""``POST /api/suggest``: the JSON API, and its request and response on the schema page.

The route reads its body itself (strictly: unknown keys refused, as every case-record reader
does), so FastAPI sees neither model; :func:`document_schemas` puts the case record (request)
and the answer (response) into the OpenAPI document, both built from the package's own types,
so the schema page says what the API takes and gives.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from remedy_model import api
from remedy_model.web import security
from remedy_model.web.errors import api_error

router = APIRouter()
REF = "#/components/schemas/{model}"
EXTRA_KEYS = {
    "low_gbp": "Low end of the amount-if-paid interval, in the money of `money_year`.",
    "median_gbp": "Median of the amount if paid, in the money of `money_year`.",
    "high_gbp": "High end of the amount-if-paid interval, in the money of `money_year`.",
    "amount_if_paid_gbp": "The median amount if paid (as `median_gbp`).",
}
"""Keys the answer's JSON adds to the fields of ``Suggestion``."""
DESCRIPTIONS = {
    "case_ref": "The query's reference, if it gave one.",
    "money_year": "The year whose money the `*_gbp` sums are in (the case's year, else today's).",
    "today_year": "The year of today's money (the CPI series' last year).",
    "level": "Coverage of the amount interval (0.8: an 80% interval).",
    "p_payment": "The chance of any symbolic payment (as `payment.chance`).",
    "payment": "(a) Is a symbolic payment likely? The chance beside the share of the most "
    "similar upheld precedents that were paid.",
    "amount_if_paid_today": "(b) If paid, how much? `low`, `median`, `high` in today's money.",
    "amount_if_paid_nominal": "(b) The same in the money of `money_year`.",
    "range_today": "The mixture of no payment and the amount (may start at £0), today's money; "
    "for programs, never judged against.",
    "range_nominal": "The mixture range in the money of `money_year`.",
    "precedents": "The nearest upheld decisions stating their remedy, then (marked) nearer "
    "ones that do not.",
    "assumptions": "Assumptions the answer rests on (money of a year outside the CPI series, "
    "a category known only by its group).",
    "check": "The verdict on `proposed` (null without one); `proposed_source` says where the "
    "sum came from.",
    "explanation": "Why this figure: the facts that moved each answer most.",
    "gaps": "Facts not given, and how far each could move the answer.",
    "reference": "Sums paid in the case's subcategory and group; typical sums by purpose.",
}
"""What each top-level key of the answer holds, where its type does not say it."""


THREE_SUMS = {
    "properties": {k: {"type": "number", "title": k} for k in ("low", "median", "high")},
    "required": ["low", "median", "high"],
    "additionalProperties": False,
}
"""The shape of an interval: its low end, median and high end in pounds."""


class _Types(BaseModel):
    """The package's answer types, gathered so pydantic writes their JSON schemas (with each
    field's docstring as its description)."""

    model_config = ConfigDict(use_attribute_docstrings=True)
    suggestion: api.Suggestion
    proposed_source: api.ProposedSource


def answer_schemas() -> dict[str, Any]:
    """JSON schemas of the answer (``Suggestion``) and the types inside it, for OpenAPI."""
    schemas = _Types.model_json_schema(ref_template=REF)["$defs"]
    answer = schemas["Suggestion"]
    for key, text in DESCRIPTIONS.items():
        answer["properties"][key].setdefault("description", text)
    for key in ("amount_if_paid_today", "amount_if_paid_nominal", "range_today", "range_nominal"):
        answer["properties"][key].update(THREE_SUMS)
    for key, text in EXTRA_KEYS.items():
        answer["properties"][key] = {"type": "number", "title": key, "description": text}
    answer["required"] = list(answer["properties"])
    answer["additionalProperties"] = False
    answer["description"] = "The answer to one case, as `remedy suggest --json` prints it."
    schemas["Check"]["properties"]["proposed_source"] = {
        "$ref": REF.format(model="ProposedSource"),
        "description": "Where the proposed sum came from (`query` for this API).",
    }
    return schemas


def document_schemas(app: FastAPI) -> None:
    """Put the case record and the answer into the app's OpenAPI document."""
    make = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = make()
            case = api.Case.model_json_schema(ref_template=REF)
            known = schema.setdefault("components", {}).setdefault("schemas", {})
            known.update(case.pop("$defs", {}), Case=case)
            known.update(answer_schemas())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


API_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"$ref": REF.format(model="Case")},
            "examples": {"demo": {"summary": "The demo case", "value": api.DEMO_CASE}},
        }
    },
}
"""The API's request body as the schema page shows it: one case record."""
RESPONSES = {
    200: {
        "description": "The answer: both questions, the verdict on `proposed`, why, the gaps, "
        "the reference view and the precedents.",
        "content": {"application/json": {"schema": {"$ref": REF.format(model="Suggestion")}}},
    },
    413: {"description": f"Body over {security.API_BODY_LIMIT // 1024} KB."},
    422: {"description": "Invalid case record; `detail[0].loc` names the field."},
}


async def _body(request: Request) -> bytes:
    """The request body, its size bounded by :class:`~remedy_model.web.security.RequestGuard`."""
    return await request.body()


@router.post(
    "/api/suggest",
    summary="Payment range and precedents for one case",
    response_class=Response,
    responses=RESPONSES,
    openapi_extra={"requestBody": API_BODY},
)
async def api_suggest(  # async: answered on the event loop, no hand-off to a thread
    request: Request,
    body: Annotated[bytes, Depends(_body)],
    proposed: Annotated[
        float | None,
        Query(
            ge=0,
            le=api.MAX_AMOUNT_GBP,
            allow_inf_nan=False,
            description="A proposed symbolic sum (£, money of the case's year).",
        ),
    ] = None,
    k: Annotated[int, Query(ge=1, le=api.MAX_K, description="Number of precedents.")] = (
        api.DEFAULT_K
    ),
) -> Response:
    """The case record is validated as in the codebook; a query without ``decision`` is
    taken as upheld, a key that is not a codebook field is refused. Sums are in the money
    of the case's ``year`` (today's if none)."""
    model = request.app.state.model
    try:
        query = api.case_from_json(body, where="body")
        answer = api.answer(query, model=model, k=k, proposed=proposed, proposed_from="query")
    except api.InputError as exc:
        where = "query" if exc.field in ("proposed", "k") else "body"
        return api_error(exc.field, exc.reason, where=where)
    return Response(api.dumps(answer.to_dict()), media_type="application/json")
