"""Uploaded drafts held for a while, and what the pages show of them.

A draft is read once, when it is uploaded; the cases it holds (their facts, the passages they
were read from, the remedy it proposes) are kept in memory under a random token, so the form can
switch between its cases and the result page can show the passages and check the draft's own
remedy. Nothing is written to disk; a draft is forgotten after :data:`DRAFT_SECONDS` or when
:data:`MAX_DRAFTS` newer ones have come, whichever is first, so memory stays bounded.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Protocol
from urllib.parse import urlencode

from remedy_model import api
from remedy_model.style import money
from remedy_model.web import forms

MAX_DRAFTS = 32
DRAFT_SECONDS = 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
EXPIRED = (
    "This draft is no longer held (drafts are kept in memory for an hour after upload): "
    "upload it again, or send the form to answer without it."
)


class HeldDrafts(Protocol):
    """Where drafts are held: a :class:`DraftStore` in this process, or the store the
    processes of ``remedy serve --workers`` share (:mod:`remedy_model.web.shared_drafts`)."""

    def put(self, draft: api.Draft) -> str: ...

    def get(self, token: str) -> api.Draft | None: ...


class DraftStore:
    """Drafts by token: at most ``size`` of them, each for ``seconds`` (thread-safe)."""

    def __init__(
        self,
        size: int = MAX_DRAFTS,
        seconds: float = DRAFT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size, self.seconds, self.clock = size, seconds, clock
        self._items: OrderedDict[str, tuple[float, api.Draft]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, draft: api.Draft) -> str:
        """Keep ``draft``; return its token (unguessable, URL-safe)."""
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._items[token] = (self.clock() + self.seconds, draft)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> api.Draft | None:
        """The draft held under ``token``, or ``None`` (unknown, malformed or expired)."""
        if not TOKEN.fullmatch(token or ""):
            return None
        with self._lock:
            held = self._items.get(token)
            if held is None or held[0] < self.clock():
                self._items.pop(token, None)
                return None
            return held[1]


def requested(store: HeldDrafts, params: Mapping[str, str]) -> tuple[api.Draft | None, str | None]:
    """The draft and case a request names (``draft=TOKEN&case=N``), or why it cannot be used.

    Returns ``(None, None)`` when the request names no draft.
    """
    token = params.get("draft")
    if not token:
        return None, None
    draft = store.get(token)
    if draft is None:
        return None, EXPIRED
    number = params.get("case") or "0"
    if not (number.isdigit() and int(number) < len(draft.cases)):
        return None, f"There is no case {number[:20]!r} in this draft; it holds {draft.labels}."
    return dataclasses.replace(draft, chosen=int(number)), None


def form_values(draft: api.Draft) -> dict[str, Any]:
    """The form filled with the chosen case's facts and the draft's symbolic total."""
    case = draft.case
    values = forms.values_from_record(case.query.model_dump(mode="json"))
    if case.symbolic_total is not None:
        values["proposed"] = f"{case.symbolic_total:g}"
    return values


def form_context(draft: api.Draft, token: str) -> dict[str, Any]:
    """What the form shows of a draft: its cases, each value's passage, the remedy proposed."""
    case = draft.case
    snippets: dict[str, list[dict[str, Any]]] = {}
    for x in case.read:
        member = x.value if x.field in forms.LIST_FIELDS else None
        item = {"value": member, "evidence": x.evidence, "quoted": bool(x.quote)}
        snippets.setdefault(x.field, []).append(item)
    return {
        **_cases(draft, token),
        "snippets": snippets,
        "symbolic": [_payment(p) for p in case.symbolic],
        "financial": [_payment(p) for p in case.financial],
        "total": None if case.symbolic_total is None else money(case.symbolic_total),
    }


def result_context(answer: api.CaseAnswer, draft: api.Draft, token: str) -> dict[str, Any]:
    """What the result page shows of a draft: its cases, and each value read with its passage,
    marked when the form changed it."""
    facts = answer.query.facts()
    read = []
    for x in answer.draft.read:
        now = facts[x.field] if x.field in forms.CASE_FIELDS else x.code
        changed = x.code not in now if isinstance(now, list) else now != x.code
        read.append({"label": x.label, "value": x.value, "evidence": x.evidence,
                     "quoted": bool(x.quote), "changed": changed})  # fmt: skip
    return {**_cases(draft, token), "read": read}


def _cases(draft: api.Draft, token: str) -> dict[str, Any]:
    links = [
        {"label": label, "href": "/?" + urlencode({"draft": token, "case": i}),
         "current": i == draft.chosen}
        for i, label in enumerate(draft.labels)
    ]  # fmt: skip
    return {
        "filename": draft.source,
        "token": token,
        "index": draft.chosen,
        "label": draft.case.label,
        "cases": links,
    }


def _payment(p) -> dict[str, Any]:
    return {"amount": money(p.amount_gbp), "purpose": p.purpose_words, "quote": p.quote}
