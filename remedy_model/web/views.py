"""Rendering the app's pages: the templates, the headers every page carries, and the form.

Templates escape everything (Jinja2 autoescape) and fail on an unknown name (StrictUndefined).
Every page is sent with :data:`SECURITY_HEADERS`: nothing loads from elsewhere, no script runs.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from remedy_model import api
from remedy_model.style import MEDIAN_HEX, RANGE_HEX, TONE_HEX, TONE_WORDS, html_templates
from remedy_model.style import words as code_words
from remedy_model.web import forms

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""Largest draft decision accepted; a decision is rarely a tenth of this."""
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
"""Headers of every page the app renders: nothing loads from elsewhere, no scripts run."""


def templates() -> Environment:
    """The page templates with the formatters they use."""
    return html_templates(
        "remedy_model.web",
        words=code_words,
        version=api.__version__,
        tone_hex=TONE_HEX,
        tone_words=TONE_WORDS,
        range_hex=RANGE_HEX,
        median_hex=MEDIAN_HEX,
    )


class Views:
    """The pages of one app: templates, and what every page shows about the model."""

    def __init__(self, model: api.RemedyModel) -> None:
        self.env = templates()
        self.model_info = {
            "n_cases": model.info.get("n_cases", model.n_precedents),
            "n_trainable": model.info.get("n_trainable", "?"),
            "trained_at": str(model.info.get("trained_at", "?"))[:10],
        }
        known = model.known_categories()
        self.categories = forms.category_choices(known)
        self.category_codes = {code for _, options in self.categories for code, _ in options}

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A template rendered with the model's facts, sent with the security headers."""
        text = self.env.get_template(name).render(model_info=self.model_info, **context)
        return HTMLResponse(text, status_code=status, headers=SECURITY_HEADERS)

    def message(self, status: int, heading: str, text: str, kind: str = "note") -> HTMLResponse:
        """A page holding one message (errors, notices)."""
        return self.page("message.html", status, heading=heading, message=text, kind=kind)

    def form(
        self,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status: int = 200,
        draft: dict[str, Any] | None = None,
    ) -> HTMLResponse:
        """The case form with ``values``, a message beside each field in ``errors``, and the
        passages of a draft it was filled from."""
        return self.page(
            "form.html",
            status,
            values=values,
            errors=errors or {},
            draft=draft,
            label=forms.label,
            hints=forms.HINTS,
            kinds=forms.FIELD_KINDS,
            fieldsets=forms.fieldsets(),
            options=forms.OPTIONS,
            option_codes={k: {c for c, _ in v} for k, v in forms.OPTIONS.items()},
            categories=self.categories,
            category_codes=self.category_codes,
            k_choices=forms.K_CHOICES,
            max_upload_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
            example_query=forms.example_query(),
        )


def views(request: Request) -> Views:
    """The :class:`Views` of the app answering ``request``."""
    return request.app.state.views
