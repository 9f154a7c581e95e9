"""Score extraction against hand-coded records (``remedy ingest-eval``), field by field.

Each gold line is a codebook record plus ``doc``, the file name of its document under the
documents folder (and ``case_label`` for a case study of a review). The document is ingested
once; its record is matched to the gold line by case label when the document holds several
cases, else it is the document's only record.

Scores:

- **metadata** (case_ref, organisation, org_type, category, decision, decision_date, year):
  exact match, per field, and the number of decision statements with every field right;
- **payments**: precision, recall and F1 over all cases, a payment matching a gold payment with
  the same amount and symbolic flag (each gold payment matched at most once); the same on
  amount alone;
- **fault types** and **vulnerable groups**: precision, recall and F1 of the sets;
- **flags** (remedy_visible, carer_impact, respite_lost, person_died, service_improvements):
  exact match; **duration_months**: within 10% (or 0.25 months) of the gold value, both null
  counting as right.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from remedy_model.errors import DataError, RemedyError

METADATA_FIELDS = (
    "case_ref",
    "organisation",
    "org_type",
    "category",
    "decision",
    "decision_date",
    "year",
)
FLAG_FIELDS = (
    "remedy_visible",
    "carer_impact",
    "respite_lost",
    "person_died",
    "service_improvements",
)


@dataclass
class Prf:
    """True positives, false positives, false negatives and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: Counter, gold: Counter) -> None:
        """Count one case's predicted and gold items (multisets)."""
        common = sum((predicted & gold).values())
        self.tp += common
        self.fp += sum(predicted.values()) - common
        self.fn += sum(gold.values()) - common

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class EvalReport:
    """Scores of one evaluation run."""

    cases: int = 0
    unmatched: list[str] = field(default_factory=list)
    field_right: Counter = field(default_factory=Counter)
    field_total: Counter = field(default_factory=Counter)
    statements: int = 0
    statements_all_metadata_right: int = 0
    payments: Prf = field(default_factory=Prf)
    payment_amounts: Prf = field(default_factory=Prf)
    fault_types: Prf = field(default_factory=Prf)
    vulnerable: Prf = field(default_factory=Prf)
    mismatches: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        total = self.field_total[name]
        return self.field_right[name] / total if total else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The scores as a JSON-ready dict."""
        fields = {
            name: {
                "right": self.field_right[name],
                "of": self.field_total[name],
                "accuracy": round(self.accuracy(name), 3),
            }
            for name in (*METADATA_FIELDS, *FLAG_FIELDS, "duration_months")
        }
        return {
            "cases": self.cases,
            "unmatched": self.unmatched,
            "statements": self.statements,
            "statements_all_metadata_right": self.statements_all_metadata_right,
            "fields": fields,
            "payments": self.payments.as_dict(),
            "payment_amounts": self.payment_amounts.as_dict(),
            "fault_types": self.fault_types.as_dict(),
            "vulnerable": self.vulnerable.as_dict(),
            "mismatches": self.mismatches,
        }

    def format_text(self) -> str:
        """A plain table for the terminal."""
        lines = [
            f"cases scored: {self.cases}"
            + (
                f" ({len(self.unmatched)} not found: {', '.join(self.unmatched)})"
                if self.unmatched
                else ""
            )
        ]
        lines.append(
            f"decision statements with all metadata right: "
            f"{self.statements_all_metadata_right}/{self.statements}"
        )
        lines.append("field                 right   accuracy")
        for name in (*METADATA_FIELDS, *FLAG_FIELDS, "duration_months"):
            lines.append(
                f"  {name:<20}{self.field_right[name]:>3}/{self.field_total[name]:<3}"
                f"  {self.accuracy(name):6.1%}"
            )
        lines.append("set                   precision recall  F1     (tp/fp/fn)")
        for name, prf in (
            ("payments (amount+symbolic)", self.payments),
            ("payments (amount)", self.payment_amounts),
            ("fault_types", self.fault_types),
            ("vulnerable", self.vulnerable),
        ):
            lines.append(
                f"  {name:<27}{prf.precision:6.3f} {prf.recall:6.3f} {prf.f1:6.3f}"
                f"  ({prf.tp}/{prf.fp}/{prf.fn})"
            )
        return "\n".join(lines)


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold records from a JSON Lines file (each with ``doc``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
    gold = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(obj, dict) or not obj.get("doc"):
            raise DataError(f"{path}:{number}: doc: required field is missing")
        gold.append(obj)
    if not gold:
        raise DataError(f"{path}: no gold records")
    return gold


def evaluate(gold_path: str | Path, docs_dir: str | Path) -> EvalReport:
    """Ingest the documents the gold file names and score the records against it."""
    from remedy_model.ingest.document import read_document

    docs = Path(docs_dir)
    if not docs.is_dir():
        raise DataError(f"{docs_dir}: no such folder")
    gold = read_gold(gold_path)
    cache: dict[str, list[dict[str, Any]] | str] = {}
    report = EvalReport()
    for g in gold:
        name = str(g["doc"])
        if name not in cache:
            try:
                cache[name] = [c.record for c in read_document(docs / name)]
            except RemedyError as exc:
                cache[name] = str(exc)
        found = cache[name]
        label = g.get("case_label")
        tag = f"{name}" + (f" [{label}]" if label else "")
        record = _match(found, g) if isinstance(found, list) else None
        report.cases += 1
        if record is None:
            report.unmatched.append(tag)
            record = {}
        _score(report, g, record, tag)
    return report


def _match(records: list[dict[str, Any]], gold: dict[str, Any]) -> dict[str, Any] | None:
    if len(records) == 1:
        return records[0]
    label = (gold.get("case_label") or "").strip().lower()
    if label:
        for r in records:
            if (r.get("case_label") or "").strip().lower() == label:
                return r
        first = label.split()[0]
        for r in records:
            if (r.get("case_label") or "").strip().lower().split()[:1] == [first]:
                return r
    ref = gold.get("case_ref")
    if ref:
        for r in records:
            if r.get("case_ref") == ref:
                return r
    return None


def _payments(record: dict[str, Any], *, with_symbolic: bool) -> Counter:
    items = Counter()
    for p in record.get("payments") or []:
        try:
            amount = round(float(p.get("amount_gbp")), 2)
        except (TypeError, ValueError):
            continue
        items[(amount, bool(p.get("symbolic"))) if with_symbolic else amount] += 1
    return items


def _score(report: EvalReport, gold: dict[str, Any], record: dict[str, Any], tag: str) -> None:
    is_statement = bool(gold.get("case_ref"))
    all_right = True
    for name in (*METADATA_FIELDS, *FLAG_FIELDS):
        if name not in gold:
            continue
        report.field_total[name] += 1
        want, got = gold.get(name), record.get(name)
        if name == "year":
            want = int(want) if want is not None else None
        if want == got:
            report.field_right[name] += 1
        else:
            report.mismatches.append(f"{tag}: {name}: expected {want!r}, got {got!r}")
            if name in METADATA_FIELDS:
                all_right = False
    if is_statement:
        report.statements += 1
        report.statements_all_metadata_right += int(all_right)
    if "duration_months" in gold:
        report.field_total["duration_months"] += 1
        want, got = gold.get("duration_months"), record.get("duration_months")
        ok = (want is None and got is None) or (
            want is not None
            and got is not None
            and abs(float(got) - float(want)) <= max(0.25, 0.1 * float(want))
        )
        if ok:
            report.field_right["duration_months"] += 1
        else:
            report.mismatches.append(f"{tag}: duration_months: expected {want!r}, got {got!r}")
    gp, rp = _payments(gold, with_symbolic=True), _payments(record, with_symbolic=True)
    report.payments.add(rp, gp)
    if gp != rp:
        report.mismatches.append(
            f"{tag}: payments: expected {sorted(gp.elements())}, got {sorted(rp.elements())}"
        )
    report.payment_amounts.add(
        _payments(record, with_symbolic=False), _payments(gold, with_symbolic=False)
    )
    for name, prf in (("fault_types", report.fault_types), ("vulnerable", report.vulnerable)):
        want = Counter(set(gold.get(name) or []))
        got = Counter(set(record.get(name) or []))
        prf.add(got, want)
        if want != got:
            report.mismatches.append(f"{tag}: {name}: expected {sorted(want)}, got {sorted(got)}")
