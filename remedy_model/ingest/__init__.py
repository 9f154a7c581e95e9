"""Read decision documents into case records, with the provenance of every value.

``read_document(path)`` returns the cases a file holds (one for a decision statement or a
report about one case, one per case study for a review); ``remedy ingest`` writes them as JSON
lines. Heavy parsers (lxml, pypdf, dateutil) load only when a document needs them.

Layout: :mod:`.text` (files to plain text), :mod:`.layout` (sentences, headings, sections),
:mod:`.money` and :mod:`.duration` (the grammar of sums and lengths of time), :mod:`.lexicon`
(fault types, groups, flags), :mod:`.facts` (one case's facts), :mod:`.statement`,
:mod:`.report`, :mod:`.review` (document shapes), :mod:`.document` (dispatch and records),
:mod:`.evaluate` (``ingest-eval``), :mod:`.fetch` (``remedy fetch``), :mod:`.command` (CLI).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from remedy_model.ingest.document import (
        ExtractedCase,
        NotADecisionError,
        extract_cases,
        extract_text,
        read_document,
    )
    from remedy_model.ingest.text import DocumentText, load_text

__all__ = [
    "DocumentText",
    "ExtractedCase",
    "NotADecisionError",
    "extract_cases",
    "extract_text",
    "load_text",
    "read_document",
]

_HOMES = {"DocumentText": "text", "load_text": "text"}


def __getattr__(name: str) -> Any:
    """Import the extractors on first use, so ``import remedy_model.ingest`` stays cheap."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    module = import_module(f"remedy_model.ingest.{_HOMES.get(name, 'document')}")
    return getattr(module, name)
