"""A draft decision checked end to end: what was read from it, and the remedy it proposes.

:func:`read_draft` turns a document into the cases it holds (:class:`DraftCase`): each with
the query its facts make, every value read with the passage it came from (list members one by
one), the symbolic payments it proposes with their purposes and sentences, and the financial
sums (refunds, waived charges), which are listed but never judged. :func:`answer_of` joins a
case's answer to them: where the proposed sum came from (a flag, a form, or the draft's own
symbolic total in the money of the draft's year), and each purpose of the draft against the
typical sum paid for it among the nearest paid precedents (the reference view).

The CLI (``remedy suggest --from-document``), the web upload and the case note all use these,
so a draft reads the same on every surface. The document itself is read by
:mod:`remedy_model.ingest`, imported only when a document is read.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from remedy_model.errors import InputError
from remedy_model.records import FACT_FIELDS, MAX_AMOUNT_GBP, TYPICAL_PURPOSES, Case
from remedy_model.style import TONE_WORDS, factor, money, words

UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".pdf")
"""The kinds of file a draft may be read from."""
QUOTE_CHARS = 400
"""Longest passage kept per value; a passage is a sentence or two."""
SHOWN_FIELDS = ("organisation", "case_ref", *FACT_FIELDS)
"""Values read from a document that are shown with their passage, in this order (the body and
the reference are shown for context; only the facts form the query)."""
NO_SUM_NOTE = "The draft states no symbolic sum, so there is nothing to check"
FIELD_WORDS = {
    "case_ref": "reference",
    "org_type": "body type",
    "decision_date": "decision date",
    "duration_months": "duration",
    "fault_types": "fault type",
    "carer_impact": "carer affected",
    "respite_lost_weeks": "respite lost",
    "vulnerable": "vulnerable group",
    "person_died": "person died",
}
"""A field as a reader names one value of it (a list field names one member)."""


@dataclass(frozen=True)
class Passage:
    """One value read from a document and the text it was read from.

    Attributes
    ----------
    field : str
        The codebook field (``"fault_types"``, ``"duration_months"``, ...).
    value : str
        The value in words, as a reader would say it.
    quote : str or None
        The passage it was read from; ``None`` when the document does not state it (the reader's
        default, e.g. "no carer affected" when none is mentioned).
    code : Any
        The value as the codebook writes it (a list member for list fields).
    """

    field: str
    value: str
    quote: str | None
    code: Any = None
    guessed: bool = False
    """The reader guessed the value from keywords in the passage (ingest's ``"method":
    "guessed"``) rather than reading it there."""

    @property
    def label(self) -> str:
        """The field as a reader names this value, e.g. 'fault type'."""
        return FIELD_WORDS.get(self.field, self.field.replace("_", " "))

    @property
    def evidence(self) -> str:
        """The passage in quotes (marked when the value was guessed from it), or that there is
        none.

        >>> Passage("year", "2024", "in 2024").evidence
        '“in 2024”'
        >>> Passage("carer_impact", "no", None).evidence
        'not stated in the document'
        """
        if not self.quote:
            return "not stated in the document"
        return f"“{self.quote}”" + (" (guessed from this passage)" if self.guessed else "")


@dataclass(frozen=True)
class DraftPayment:
    """One sum of money the draft proposes, with its purpose and the sentence it came from."""

    amount_gbp: float
    purpose: str | None
    purpose_words: str
    recipient: str | None
    symbolic: bool
    per_period: str | None
    quote: str | None


@dataclass
class DraftCase:
    """One case of a document: the query its facts make and the remedy it proposes.

    Attributes
    ----------
    label : str
        The case's name in the document (a case study's name, the reference, or "case N").
    query : Case
        The facts as a query (decision taken as upheld when the document does not say).
    read : list of Passage
        Every value read, with its passage.
    symbolic, financial : list of DraftPayment
        The symbolic sums (checked) and the financial ones (listed, not judged).
    kind : str
        How the document was read: ``"statement"``, ``"report"`` or ``"review"``.
    """

    label: str
    query: Case
    read: list[Passage] = field(default_factory=list)
    symbolic: list[DraftPayment] = field(default_factory=list)
    financial: list[DraftPayment] = field(default_factory=list)
    kind: str = "statement"

    @property
    def symbolic_total(self) -> float | None:
        """The draft's symbolic sums added up (money of its year); ``None`` if it states none."""
        if not self.symbolic:
            return None
        return min(float(sum(p.amount_gbp for p in self.symbolic)), MAX_AMOUNT_GBP)

    @property
    def sentences(self) -> list[str]:
        """The sentences the symbolic sums were read from, each once, in order."""
        return list(dict.fromkeys(p.quote for p in self.symbolic if p.quote))


@dataclass
class Draft:
    """The cases one document holds, and the one chosen to answer."""

    source: str
    cases: list[DraftCase]
    chosen: int = 0

    @property
    def case(self) -> DraftCase:
        return self.cases[self.chosen]

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.cases]


@dataclass(frozen=True)
class ProposedSource:
    """Where a proposed sum came from: ``"flag"`` (``--proposed``), ``"form"`` (the web form),
    ``"query"`` (the JSON API) or ``"document"`` (the draft's own symbolic sums, with the
    sentences they were read from)."""

    kind: str
    sentences: tuple[str, ...] = ()
    case_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "sentences": list(self.sentences), "case_label": self.case_label}


@dataclass(frozen=True)
class PurposeCheck:
    """The draft's sum for one purpose beside the typical sum paid for it.

    ``typical_gbp`` is the median among the nearest paid precedents that paid for this purpose
    (money of the draft's year), over ``typical_n`` cases; ``ratio`` is the draft's sum over it.
    For a lost service (care, respite, education) and a known duration, the sum per month is
    shown beside the typical monthly sum.
    """

    purpose: str | None
    label: str
    draft_gbp: float
    n_payments: int
    typical_gbp: float | None
    typical_n: int
    ratio: float | None
    per_month_gbp: float | None = None
    typical_per_month_gbp: float | None = None
    typical_per_month_n: int = 0

    @property
    def words(self) -> str:
        """The comparison in a few words, e.g. 'typical £321 (19 cases), x0.93'."""
        if self.typical_gbp is None:
            return "no typical sum among the nearest paid precedents"
        cases = _cases(self.typical_n)
        text = f"typical {money(self.typical_gbp)} ({cases}), {factor(self.ratio)}"
        return f"{text}; {self.per_month_words}" if self.per_month_words else text

    @property
    def per_month_words(self) -> str | None:
        """The sum per month of the lost service beside the typical one, when both are known."""
        if self.per_month_gbp is None or self.typical_per_month_gbp is None:
            return None
        return (
            f"{money(self.per_month_gbp)} a month against a typical "
            f"{money(self.typical_per_month_gbp)} ({_cases(self.typical_per_month_n)})"
        )


def _cases(n: int) -> str:
    """'1 case', '3 cases'."""
    return f"{n} case" if n == 1 else f"{n} cases"


@dataclass
class CaseAnswer:
    """An answer with what it answers: the query, the source of the proposed sum, the draft.

    ``suggestion`` is :func:`remedy_model.api.suggest`'s answer; ``draft`` (with ``document``,
    the file's name) is set when the query was read from a document. ``notes`` say what was
    done with the draft (no sum to check, a category left out).
    """

    query: Case
    suggestion: Any
    proposed_source: ProposedSource | None = None
    draft: DraftCase | None = None
    document: str | None = None
    case_labels: list[str] = field(default_factory=list)
    purposes: list[PurposeCheck] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def verdict_words(self) -> str | None:
        """'Proposed £300 (the draft's symbolic total): within – in line', or ``None``."""
        c = self.suggestion.check
        if c is None:
            return None
        shown = "£0 (no payment)" if c.question == "payment" else money(c.proposed_gbp)
        source = self.proposed_source
        said = " (the draft's symbolic total)" if source and source.kind == "document" else ""
        return f"Proposed {shown}{said}: {c.verdict} – {TONE_WORDS[c.tone]}"

    def no_check_words(self, hint: str = "give a proposed sum to check one") -> str:
        """Why there is no verdict (the draft states no sum, or none was proposed), and ``hint``.

        >>> CaseAnswer(Case(), None).no_check_words("--proposed SUM checks one")
        'No sum was proposed: --proposed SUM checks one.'
        """
        if self.draft is not None and self.draft.symbolic_total is None:
            return f"{NO_SUM_NOTE}: {hint}."
        return f"No sum was proposed: {hint}."

    def to_dict(self) -> dict[str, Any]:
        """The suggestion's JSON, with ``check.proposed_source`` and (for a draft) ``draft``."""
        out = self.suggestion.to_dict()
        if out.get("check") is not None and self.proposed_source is not None:
            out["check"]["proposed_source"] = self.proposed_source.to_dict()
        if self.draft is not None:
            out["draft"] = self._draft_dict()
        return out

    def _draft_dict(self) -> dict[str, Any]:
        d = self.draft
        return {
            "document": self.document,
            "case_label": d.label,
            "case_labels": self.case_labels,
            "kind": d.kind,
            "read": [
                {
                    "field": p.field,
                    "label": p.label,
                    "value": p.value,
                    "quote": p.quote,
                    "guessed": p.guessed,
                }
                for p in d.read
            ],
            "symbolic_total_gbp": d.symbolic_total,
            "symbolic_payments": [asdict(p) for p in d.symbolic],
            "financial_payments": [asdict(p) for p in d.financial],
            "purposes": [asdict(p) for p in self.purposes],
            "notes": self.notes,
        }


def read_draft(
    path: Path | str, *, case_label: str | None = None, name: str | None = None
) -> Draft:
    """Read a draft decision (.txt, .html, .pdf) into the cases it holds.

    Parameters
    ----------
    path : path-like
        The document.
    case_label : str, optional
        Which case to answer when the document holds several (its label, or its number from 1);
        the first by default.
    name : str, optional
        The document's name in messages and answers (default: the path).

    Returns
    -------
    Draft

    Raises
    ------
    InputError
        The file cannot be read, holds no decision, or has no case with that label
        (``field="case_label"``, naming the labels it has).
    """
    from remedy_model.ingest import read_document

    source = name or str(path)
    items = read_document(path)
    cases = [draft_case(item.record, item.case, item.kind, i) for i, item in enumerate(items, 1)]
    _unique_labels(cases)
    return Draft(source, cases, choose(cases, case_label, source))


def read_draft_bytes(
    data: bytes, suffix: str, *, name: str, case_label: str | None = None
) -> Draft:
    """Read a draft decision from bytes (an upload), saved under a name of ours meanwhile.

    ``suffix`` (``.txt``, ``.html``, ``.htm``, ``.pdf``) says how to read it; messages name the
    document ``name``, never the temporary file.
    """
    suffix = suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(
            f"{name}: a draft must be a .txt, .html or .pdf file", field="document",
            reason="Upload a .txt, .html or .pdf file.",
        )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="remedy-upload-") as tmp:
        path = Path(tmp) / f"document{suffix}"
        path.write_bytes(data)
        try:
            return read_draft(path, case_label=case_label, name=name)
        except InputError as exc:
            raise _renamed(exc, str(path), name) from None


def _renamed(exc: InputError, path: str, name: str) -> InputError:
    """The error with the temporary file's path replaced by the document's name."""
    message = str(exc).replace(path, name)
    reason = exc.reason.replace(path, name)
    return type(exc)(message, field=exc.field or "document", reason=reason)


def choose(cases: Sequence[DraftCase], wanted: str | None, source: str) -> int:
    """The index of the case labelled ``wanted`` (any case; or its number from 1).

    >>> cases = [DraftCase("Asha", Case()), DraftCase("Bilal", Case())]
    >>> choose(cases, "bilal", "review.txt"), choose(cases, "1", "review.txt")
    (1, 0)
    >>> choose(cases, "Carys", "review.txt")
    Traceback (most recent call last):
    ...
    remedy_model.errors.InputError: review.txt: no case labelled 'Carys'; it holds Asha, Bilal
    """
    if wanted is None:
        return 0
    key = wanted.strip().casefold()
    for i, case in enumerate(cases):
        if case.label.casefold() == key:
            return i
    if key.isdigit() and 1 <= int(key) <= len(cases):
        return int(key) - 1
    held = ", ".join(c.label for c in cases)
    reason = f"no case labelled {wanted[:80]!r}; it holds {held}"
    raise InputError(f"{source}: {reason}", field="case_label", reason=reason)


def _unique_labels(cases: list[DraftCase]) -> None:
    seen: dict[str, int] = {}
    for case in cases:
        n = seen[case.label.casefold()] = seen.get(case.label.casefold(), 0) + 1
        if n > 1:
            case.label = f"{case.label} ({n})"


def draft_case(record: dict[str, Any], case: Case, kind: str, number: int) -> DraftCase:
    """One case of a document, from ingest's record (with ``provenance``) and its ``Case``.

    ``provenance`` maps a field to ``{"span", "quote"}``; a list member is keyed
    ``"fault_types.NAME"``, a payment ``"payments[i]"``.
    """
    provenance = record.get("provenance") if isinstance(record.get("provenance"), dict) else {}
    label = case.case_label or case.case_ref or f"case {number}"
    payments = [_payment(p, _quote(provenance.get(f"payments[{i}]"))) for i, p in
                enumerate(case.payments)]  # fmt: skip
    return DraftCase(
        label=label,
        query=query_of(case),
        read=passages(case, provenance),
        symbolic=[p for p in payments if p.symbolic],
        financial=[p for p in payments if not p.symbolic],
        kind=kind,
    )


def query_of(case: Case) -> Case:
    """The facts of an extracted case as a query (a decision it does not state is upheld)."""
    from remedy_model.query import make_case

    return make_case(case.facts(), where=None)


def _payment(p, quote: str | None) -> DraftPayment:
    label = TYPICAL_PURPOSES.get(p.purpose or "", words(p.purpose or "purpose not stated"))
    return DraftPayment(
        float(p.amount_gbp), p.purpose, label, p.recipient, p.symbolic, p.per_period, quote
    )


def _quote(entry: Any) -> str | None:
    """The passage of a provenance entry (a dict with ``quote``, a list of them, or text).

    >>> _quote({"span": [0, 9], "quote": "six\\n weeks"}), _quote([{"quote": ""}, "later"])
    ('six weeks', 'later')
    """
    items = entry if isinstance(entry, list) else [entry]
    for item in items:
        text = item.get("quote") or item.get("snippet") if isinstance(item, dict) else item
        if isinstance(text, str) and text.strip():
            text = " ".join(text.split())
            return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"
    return None


def _guessed(entry: Any) -> bool:
    items = entry if isinstance(entry, list) else [entry]
    return any(isinstance(i, dict) and i.get("method") == "guessed" for i in items)


def _passage(name: str, value: Any, code: Any, entry: Any) -> Passage:
    return Passage(name, value, _quote(entry), code, _guessed(entry))


def passages(case: Case, provenance: dict[str, Any]) -> list[Passage]:
    """Every value of ``case`` worth showing, each with its passage (list members one by one)."""
    out = []
    for name in SHOWN_FIELDS:
        value = getattr(case, name)
        if isinstance(value, list):
            out.extend(
                _passage(name, words(str(v)), v, provenance.get(f"{name}.{v}")) for v in value
            )
        elif value is not None:
            out.append(_passage(name, value_words(name, value), value, provenance.get(name)))
    return out


def value_words(name: str, value: Any) -> str:
    """A read value as a reader would say it.

    >>> value_words("duration_months", 1.4), value_words("carer_impact", False)
    ('1.4 months', 'no')
    >>> value_words("org_type", "london_borough"), value_words("respite_lost_weeks", 4.0)
    ('London borough', '4 weeks')
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "duration_months":
        return f"{value:g} months"
    if name == "respite_lost_weeks":
        return f"{value:g} weeks"
    if name in ("org_type", "decision"):
        return words(str(value))
    return str(value)


def proposal(
    case: DraftCase | None,
    proposed: float | None,
    given_as: str = "flag",
    *,
    use_draft: bool = True,
) -> tuple[float | None, ProposedSource | None]:
    """The sum to check and where it came from.

    A sum given (``--proposed``, the form, the API) wins; else, with ``use_draft``, the draft's
    symbolic total. A form's sum equal to the draft's total counts as the draft's.

    >>> case = DraftCase("case 1", Case(), symbolic=[DraftPayment(300, "distress", "distress",
    ...                  None, True, None, "pay her £300")])
    >>> proposal(case, None)[1].kind, proposal(case, 500)[1].kind, proposal(case, 300, "form")[0]
    ('document', 'flag', 300.0)
    >>> proposal(DraftCase("case 1", Case()), None)
    (None, None)
    """
    total = case.symbolic_total if case is not None else None
    from_draft = total is not None and (
        (proposed is None and use_draft)
        or (given_as == "form" and proposed is not None and math.isclose(proposed, total))
    )
    if from_draft:
        return total, ProposedSource("document", tuple(case.sentences), case.label)
    if proposed is None:
        return None, None
    return proposed, ProposedSource(given_as)


def answer_of(
    suggestion: Any,
    query: Case,
    source: ProposedSource | None = None,
    draft: Draft | None = None,
    notes: Sequence[str] = (),
) -> CaseAnswer:
    """Join an answer to its query, the source of its proposed sum and (if any) the draft."""
    source = source if suggestion.check is not None else None
    answer = CaseAnswer(query, suggestion, source, notes=list(notes))
    if draft is None:
        return answer
    case = draft.case
    answer.draft, answer.document, answer.case_labels = case, draft.source, draft.labels
    answer.purposes = purpose_checks(case, suggestion.reference, query.duration_months)
    if suggestion.check is None and case.symbolic_total is None:
        answer.notes.append(f"{NO_SUM_NOTE}.")
    return answer


def without_unknown_category(query: Case, known: Sequence[str]) -> tuple[Case, list[str]]:
    """A draft's query without a category the table does not know, and a note saying so.

    A form or a flag naming an unknown category is refused; a category read from a document is
    the reader's guess, so the answer goes on without it (and names it among the facts not
    given) rather than refusing the whole draft.
    """
    from remedy_model.suggest import resolve_category

    try:
        return resolve_category(query, known), []
    except InputError:
        note = (
            f"The draft's category {query.category!r} is not one the table knows: it was left "
            "out, so the answer is for any category."
        )
        return query.model_copy(update={"category": None}), [note]


def purpose_checks(case: DraftCase, reference: Any, months: float | None) -> list[PurposeCheck]:
    """Each purpose of the draft's symbolic sums beside the typical sum paid for it.

    ``reference`` is the answer's :class:`~remedy_model.reference.ReferenceView` (typical sums by
    purpose among the nearest paid precedents, in the money of the draft's year).
    """
    totals: dict[str | None, list[DraftPayment]] = {}
    for p in case.symbolic:
        totals.setdefault(p.purpose, []).append(p)
    typical = {(x.purpose, x.per_month): x for x in (reference.purposes if reference else [])}
    out = []
    for purpose, paid in totals.items():
        amount = sum(p.amount_gbp for p in paid)
        whole, rate = typical.get((purpose, False)), typical.get((purpose, True))
        per_month = amount / months if rate is not None and months else None
        out.append(
            PurposeCheck(
                purpose, paid[0].purpose_words, amount, len(paid),
                _round(whole.median_gbp if whole else None), whole.n if whole else 0,
                _round(amount / whole.median_gbp, 3) if whole and whole.median_gbp > 0 else None,
                _round(per_month), _round(rate.median_gbp if rate and per_month else None),
                rate.n if rate and per_month else 0,
            )
        )  # fmt: skip
    return out


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)
