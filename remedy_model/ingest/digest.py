"""E-mail digests and newsletters: several decision summaries in one document.

A digest (the Ombudsman's e-mail of new decisions, a newsletter) lists short summaries, each
under its own heading "Organisation (NN NNN NNN)". Read as one case it would mix several cases'
sums and faults, so each summary becomes a record of its own, with its own reference, running
to the next summary's heading. The category and decision come from the summary's own label /
value lines when it has them, else from its text (a category from keywords is then marked
``"method": "guessed"`` in the provenance).

References that differ only by their last letter ("20 011 594a", "20 011 594b") are one
complaint against several bodies, which a decision page may name together: a document is a
digest when it heads summaries of at least two different complaints.
"""

from __future__ import annotations

from remedy_model.ingest.facts import extract_facts, findings_only
from remedy_model.ingest.layout import Doc, Span
from remedy_model.ingest.statement import header_lines, header_metadata, parse_ref

MIN_COMPLAINTS = 2
"""A document heading summaries of this many different complaints is a digest."""


def summary_regions(doc: Doc) -> list[Span]:
    """The span of each summary of a digest, in order; empty when the text is not a digest."""
    heads: list[tuple[int, str]] = []
    for m in header_lines(doc.text):
        ref = parse_ref(m["ref"]) or ""
        if not heads or heads[-1][1] != ref:  # a heading repeated at once is one summary
            heads.append((m.start(), ref))
    complaints = {ref.rstrip("abcdefghijklmnopqrstuvwxyz") for _, ref in heads}
    if len(complaints) < MIN_COMPLAINTS:
        return []
    ends = [start for start, _ in heads[1:]] + [len(doc.text)]
    return [(start, end) for (start, _), end in zip(heads, ends, strict=True)]


def is_digest(doc: Doc) -> bool:
    """True when the text heads summaries of several different complaints."""
    return bool(summary_regions(doc))


def extract_digest(doc: Doc) -> list[tuple[dict, dict]]:
    """(fields, provenance) for each summary of a digest."""
    out = []
    for region in summary_regions(doc):
        fields, prov = header_metadata(doc, region)
        facts = extract_facts(doc, region, default_recipient="complainant")
        fields.update(facts.fields)
        prov.update(facts.provenance)
        out.append(findings_only(fields, prov))
    return out
