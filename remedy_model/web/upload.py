"""``POST /upload``: a draft decision fills the form, with the passage behind each value.

The file is read by :func:`remedy_model.api.read_draft_bytes` (under a name of ours, in a
temporary folder removed at once); its cases are held by :mod:`remedy_model.web.drafts`. The
body is bounded twice: a declared length over the limit is refused before reading, and
:class:`LimitUploadBody` stops reading a body sent without one (chunked).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from remedy_model import api
from remedy_model.web import drafts, forms
from remedy_model.web.security import limited_receive
from remedy_model.web.views import MAX_UPLOAD_BYTES, views

FORM_OVERHEAD = 64 * 1024
"""Room for the multipart wrapping around the file in a request body."""
TOO_LARGE = (
    f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; save the decision as plain "
    "text or HTML, or fill the form by hand."
)

router = APIRouter(include_in_schema=False)


class UploadTooLarge(Exception):
    """A request body on the upload route grew past the limit while it was read."""


class LimitUploadBody:
    """ASGI middleware that stops reading an upload once it is past the size limit."""

    def __init__(self, app, path: str = "/upload", limit: int = MAX_UPLOAD_BYTES) -> None:
        self.app, self.path, self.limit = app, path, limit + FORM_OVERHEAD

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        await self.app(scope, limited_receive(receive, self.limit, UploadTooLarge), send)


def _refused(request: Request, message: str, status: int) -> HTMLResponse:
    return views(request).form(forms.empty_values(), {"document": message}, status=status)


async def _file(request: Request) -> UploadFile | HTMLResponse:
    """The uploaded file, or the form with the reason it cannot be taken."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + FORM_OVERHEAD:
        return _refused(request, TOO_LARGE, 413)
    try:
        submitted = await request.form(max_files=1, max_fields=5)
    except UploadTooLarge:
        return _refused(request, TOO_LARGE, 413)
    except HTTPException:
        return _refused(request, "The upload could not be read.", 400)
    document = submitted.get("document")
    if not isinstance(document, UploadFile) or not document.filename:
        return _refused(request, "Choose a file to upload.", 400)
    if Path(document.filename).suffix.lower() not in api.UPLOAD_SUFFIXES:
        return _refused(request, "Upload a .txt, .html or .pdf file.", 415)
    return document


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request) -> HTMLResponse:
    """Read a draft, hold its cases, and show the form filled from the first."""
    document = await _file(request)
    if isinstance(document, HTMLResponse):
        return document
    data = await document.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _refused(request, TOO_LARGE, 413)
    # Only the suffix of the user's file name is used to read it; the name is shown as text.
    name, suffix = document.filename, Path(document.filename).suffix
    try:
        draft = await run_in_threadpool(api.read_draft_bytes, data, suffix, name=name)
    except api.InputError as exc:
        return _refused(request, f"Could not read the document: {exc.reason}", 422)
    token = request.app.state.drafts.put(draft)
    context = drafts.form_context(draft, token)
    return views(request).form(drafts.form_values(draft), draft=context)
