"""From a document to case records: decide what the document is, extract, validate.

A document is one of:

- a **decision statement** (a saved decision page, or a draft decision): one record;
- a **review with case studies** ("Ben's story", ...): one record per case study;
- a **report about one case** (a council committee report on an Ombudsman report): one record;
- a **digest** (an e-mail or newsletter of several decision summaries, each headed
  "Organisation (NN NNN NNN)"): one record per summary, with its own reference;
- anything else: :class:`NotADecisionError`, with the reason.

Each record is a dict in the codebook's form plus ``source_doc`` (the path as given),
``source_kind`` "ingested" and ``provenance``: for each extracted value, the character span of
the document's plain text it came from and the quoted text (see :mod:`.text` for what the
offsets index). Keys are field names, ``payments[i]`` for the i-th payment, and
``fault_types.NAME`` / ``vulnerable.NAME`` for list members. Each entry also says how the value
was found (``method``) and how far to trust it (``confidence``): ``"header"`` (read from the
decision's label/value header) is ``"high"``; ``"text"`` (found by the grammar in the running
text) is ``"medium"``; ``"guessed"`` (a category from keywords, a year from the reference or
the latest year mentioned) is ``"low"``. A field with no entry has its default value (no fault
of that type, no payment, flag false) because nothing in the text said otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from remedy_model.errors import InputError
from remedy_model.ingest.digest import extract_digest, is_digest
from remedy_model.ingest.layout import Doc
from remedy_model.ingest.report import extract_report, is_report
from remedy_model.ingest.review import extract_review, is_review
from remedy_model.ingest.statement import extract_statement, has_header, is_statement
from remedy_model.ingest.text import DocumentText, load_text
from remedy_model.records import MAX_AMOUNT_GBP, Case

FIELD_ORDER = tuple(Case.model_fields)
"""Record keys in the codebook's order, as the :class:`Case` record declares them."""

CONFIDENCE = {"header": "high", "text": "medium", "guessed": "low"}
"""How far to trust a value, by how it was found (see the module notes)."""


class NotADecisionError(InputError):
    """The document holds no Ombudsman decision (it is skipped, not a failure of the batch)."""


@dataclass(frozen=True)
class ExtractedCase:
    """One case read from a document.

    Attributes
    ----------
    case : Case
        The validated record (provenance included).
    record : dict
        The codebook-form JSON object written by ``remedy ingest``.
    kind : str
        ``"statement"``, ``"report"``, ``"review"`` or ``"digest"``: the shape the document
        was read as.
    """

    case: Case
    record: dict[str, Any]
    kind: str


def read_document(path: str | Path) -> list[ExtractedCase]:
    """Read one file (.txt, .html, .pdf) and return the cases it holds.

    Parameters
    ----------
    path
        The file; recorded as given in ``source_doc``.

    Returns
    -------
    list of ExtractedCase
        One for a decision statement or a report about one case; one per case study for a
        review. Never empty.

    Raises
    ------
    NotADecisionError
        (an :class:`InputError`) "PATH: no decision found (REASON)" when the text holds no
        decision.
    InputError
        "PATH: REASON" when the file cannot give text: no such file, a folder, unsupported
        type, empty, binary, too large, unreadable or encrypted PDF, no text layer.
    """
    document = load_text(path)
    return extract_cases(document)


def extract_cases(document: DocumentText) -> list[ExtractedCase]:
    """The cases of an already loaded document (see :func:`read_document`)."""
    doc = Doc.parse(document.text)
    kind, found = _extract(doc, document.path)
    out = []
    for fields, prov in found:
        record = build_record(fields, prov, document)
        case = validate_record(record, document.path)
        out.append(ExtractedCase(case=case, record=record, kind=kind))
    return out


def extract_text(text: str, name: str = "<text>") -> list[ExtractedCase]:
    """The cases of a plain-text string (as if read from a .txt file called ``name``)."""
    if not text.strip():
        raise InputError(f"{name}: empty text")
    return extract_cases(DocumentText(name, "txt", text))


def _extract(doc: Doc, name: str) -> tuple[str, list[tuple[dict, dict]]]:
    if is_review(doc):
        found = extract_review(doc)
        if found:
            return "review", found
    if is_digest(doc):
        return "digest", extract_digest(doc)
    if has_header(doc):
        return "statement", [extract_statement(doc)]
    if is_report(doc):
        return "report", [extract_report(doc)]
    ok, reason = is_statement(doc)
    if ok:
        return "statement", [extract_statement(doc)]
    raise NotADecisionError(f"{name}: no decision found ({reason})")


def build_record(fields: dict, prov: dict, document: DocumentText) -> dict[str, Any]:
    """The codebook-form record: fields in codebook order, provenance last."""
    fields = dict(fields)
    fields.setdefault("url", document.url)
    fields["source_kind"] = "ingested"
    fields["source_doc"] = document.path
    fields.setdefault("case_label", None)
    fields.setdefault("year_is_approx", False)
    for p in fields.get("payments", []):
        p["amount_gbp"] = min(float(p["amount_gbp"]), MAX_AMOUNT_GBP)
        if float(p["amount_gbp"]).is_integer():
            p["amount_gbp"] = int(p["amount_gbp"])
    for key in ("symbolic_total_gbp", "financial_total_gbp"):
        value = min(float(fields.get(key) or 0), MAX_AMOUNT_GBP)
        fields[key] = int(value) if value.is_integer() else value
    fields["summary"] = summarise(fields)
    fields["notes"] = f"ingested from {document.kind}; values not checked by hand"
    fields["provenance"] = mark_confidence({k: v for k, v in prov.items() if v})
    record = {key: fields.get(key) for key in FIELD_ORDER}
    for key in FIELD_ORDER:
        if key not in fields and key not in ("url", "summary", "notes", "provenance"):
            record[key] = None
    return record


def mark_confidence(prov: dict[str, Any]) -> dict[str, Any]:
    """Give every provenance entry its ``method`` (default ``"text"``) and ``confidence``."""
    for entry in prov.values():
        if isinstance(entry, dict):
            entry.setdefault("method", "text")
            entry["confidence"] = CONFIDENCE.get(entry["method"], "low")
    return prov


def validate_record(record: dict[str, Any], name: str) -> Case:
    """Validate through :class:`Case`; values it refuses are set to null (and noted)."""
    for _ in range(len(FIELD_ORDER)):
        try:
            return Case.model_validate(record)
        except ValidationError as exc:
            loc = exc.errors()[0].get("loc", ())
            key = str(loc[0]) if loc else ""
            if key not in record or key in ("source_kind", "source_doc", "payments"):
                raise InputError(
                    f"{name}: extracted record is not valid ({exc.errors()[0]['msg']})"
                ) from exc
            record[key] = [] if isinstance(record[key], list) else None
            record["notes"] = f"{record.get('notes') or ''}; {key} dropped (invalid value)"
            record.get("provenance", {}).pop(key, None)
    raise InputError(f"{name}: extracted record is not valid")


def summarise(fields: dict) -> str:
    """A one-sentence summary in our own words, built from the extracted fields."""
    decision = (fields.get("decision") or "unknown decision").replace("_", " ")
    who = fields.get("organisation") or fields.get("case_label") or "the body"
    faults = ", ".join(f.replace("_", " ") for f in fields.get("fault_types") or []) or "none found"
    sym = fields.get("symbolic_total_gbp") or 0
    fin = fields.get("financial_total_gbp") or 0
    money = f"£{sym:,.0f} symbolic and £{fin:,.0f} financial" if (sym or fin) else "no sum"
    return f"{decision.capitalize()} complaint about {who}; faults: {faults}; remedy: {money}."
