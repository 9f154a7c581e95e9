"""The FastAPI app behind ``remedy serve``: one loaded model, its pages and its JSON API.

Presentation only: every figure comes from :mod:`remedy_model.api`. The app never runs in
debug mode, escapes everything it shows (Jinja2 autoescape), never opens a path a user gives,
caps request bodies (:mod:`remedy_model.web.security`, :mod:`remedy_model.web.upload`), and
answers errors with a page or a JSON message naming the field, never a traceback
(:mod:`remedy_model.web.errors`).

The routes live in their own modules: :mod:`~remedy_model.web.pages` (form, answer, downloads,
note), :mod:`~remedy_model.web.upload` (a draft decision), :mod:`~remedy_model.web.trends`
(the policy report), :mod:`~remedy_model.web.api_routes` (``POST /api/suggest``); ``/docs``
is the API's schema page (Swagger UI served locally, no CDN).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from remedy_model import api
from remedy_model.web import api_routes, drafts, errors, pages, security, trends, upload
from remedy_model.web.views import Views

DESCRIPTION = (
    "Payment ranges and precedents for Local Government and Social Care Ombudsman remedies. "
    "`POST /api/suggest` takes a case record in the codebook's form and returns what "
    "`remedy suggest --json` prints."
)


SERVE_MODEL = "REMEDY_SERVE_MODEL"
SERVE_HOST = "REMEDY_SERVE_HOST"
"""Environment variables telling each worker process of ``remedy serve --workers`` its model
and host (uvicorn starts workers from an import string, not from a built app)."""


def app_from_environment() -> FastAPI:
    """The app of one ``remedy serve --workers`` process (see :data:`SERVE_MODEL`)."""
    import os

    from remedy_model.web.shared_drafts import SERVE_DRAFTS, SharedDrafts

    where = os.environ.get(SERVE_DRAFTS)
    return create_app(
        os.environ.get(SERVE_MODEL) or None,
        host=os.environ.get(SERVE_HOST),
        held_drafts=SharedDrafts(where) if where else None,
    )


def create_app(
    model_path: Path | str | None = None,
    model: api.RemedyModel | None = None,
    host: str | None = None,
    held_drafts: drafts.HeldDrafts | None = None,
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
    held_drafts : HeldDrafts, optional
        Where uploaded drafts are held: by default in this process; the processes of
        ``remedy serve --workers`` share one (:mod:`remedy_model.web.shared_drafts`).

    Returns
    -------
    FastAPI
    """
    model = model or api.get_model(model_path)
    app = FastAPIOffline(
        title="remedy_model",
        version=api.__version__,
        description=DESCRIPTION,
        redoc_url=None,
        debug=False,
        swagger_ui_parameters={"validatorUrl": None, "deepLinking": True},
    )
    app.add_middleware(upload.LimitUploadBody)
    app.add_middleware(
        security.RequestGuard,
        hosts=security.allowed_hosts(host),
        body_limits={"/api/suggest": security.API_BODY_LIMIT},
    )
    app.state.model = model
    app.state.views = Views(model)
    app.state.drafts = held_drafts or drafts.DraftStore()
    app.state.trends = trends.Once(trends.build_trends_page)
    for module in (pages, upload, trends, api_routes):
        app.include_router(module.router)
    api_routes.document_schemas(app)
    errors.install(app)
    return app
