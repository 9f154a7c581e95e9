"""Documents to case records: statements, reports, reviews, provenance, refusals."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from remedy_model.errors import InputError
from remedy_model.ingest import NotADecisionError, extract_text, read_document
from remedy_model.ingest.evaluate import evaluate
from remedy_model.ingest.text import load_text
from remedy_model.records import Case

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _pdfmaker():
    spec = importlib.util.spec_from_file_location("pdfmaker", FIXTURES / "pdfmaker.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def amounts(record):
    return sorted((p["amount_gbp"], p["symbolic"]) for p in record["payments"])


class TestStatements:
    """Decision statements give metadata, payments and provenance."""

    def test_statement_metadata_and_payments(self):
        (case,) = read_document(FIXTURES / "statement_respite.txt")
        r = case.record
        assert case.kind == "statement"
        assert isinstance(case.case, Case)
        assert (r["case_ref"], r["organisation"], r["org_type"]) == (
            "21 004 512",
            "Westmarsh County Council",
            "county",
        )
        assert r["category"] == "Adult care services > Assessment and care plan"
        assert (r["decision"], r["decision_date"], r["year"], r["year_is_approx"]) == (
            "upheld",
            "2022-03-14",
            2022,
            False,
        )
        # £200 a month for eight months is one payment; £150 each to two people is two; the
        # weekly care fee is not a payment; the refunded charge was found enough, so it counts.
        assert amounts(r) == [(150, True), (150, True), (340, False), (1600, True)]
        monthly = next(p for p in r["payments"] if p["amount_gbp"] == 1600)
        assert monthly["per_period"] == "month" and monthly["recipient"] == "carer"
        assert (r["symbolic_total_gbp"], r["financial_total_gbp"]) == (1900, 340)
        assert r["duration_months"] == 6
        assert r["respite_lost"] is True and r["respite_lost_weeks"] == 6
        assert r["carer_impact"] is True and r["service_improvements"] is True
        assert r["vulnerable"] == ["dementia"]
        assert r["source_doc"] == str(FIXTURES / "statement_respite.txt")
        assert r["source_kind"] == "ingested"

    def test_provenance_spans_quote_the_text(self):
        path = FIXTURES / "statement_respite.txt"
        (case,) = read_document(path)
        text = load_text(path).text
        prov = case.record["provenance"]
        for key in (
            "case_ref",
            "organisation",
            "category",
            "decision",
            "decision_date",
            "duration_months",
            "payments[0]",
            "fault_types.respite_not_provided",
        ):
            assert key in prov, key
        for key, entry in prov.items():
            start, end = entry["span"]
            assert text[start:end] == entry["quote"], key
        assert prov["case_ref"]["quote"] == "21 004 512"
        assert "between April and September 2019" in prov["duration_months"]["quote"]
        assert all(
            "£" in prov[f"payments[{i}]"]["quote"] for i in range(len(case.record["payments"]))
        )

    def test_saved_web_page(self):
        (case,) = read_document(FIXTURES / "statement_page.html")
        r = case.record
        assert r["url"].endswith("/22-007-431")
        assert r["case_ref"] == "22 007 431"
        # £500 from each of three bodies is one payment of £1,500; the offer found too low, the
        # personal budget and the sidebar's sum are not payments.
        assert amounts(r) == [(1500, True), (2300, False)]
        assert r["duration_months"] == 17

    def test_closed_decision_has_no_faults_or_payments(self):
        (case,) = read_document(FIXTURES / "statement_closed.txt")
        r = case.record
        assert r["decision"] == "closed_after_initial_enquiries"
        assert r["payments"] == [] and r["fault_types"] == []
        assert r["remedy_visible"] is True


class TestDrafts:
    """Drafts without a header, as a file or a string."""

    def test_draft_without_header(self):
        (case,) = read_document(FIXTURES / "draft_decision.txt")
        r = case.record
        assert r["case_ref"] is None and r["organisation"] == "Brookfield District Council"
        assert r["decision"] == "upheld" and r["org_type"] == "district"
        assert amounts(r) == [(300, True)]
        assert "housing_adaptations" in r["fault_types"]

    def test_extract_text_for_a_draft_string(self):
        (case,) = extract_text(
            "Draft decision\n\nSummary: The Council failed to review Mr H's care plan for a year. "
            "It should pay him £250 for his distress.\n\nFinal decision\n\nI have found fault "
            "causing injustice."
        )
        assert case.case.fault_types == ["care_plan"]
        assert case.case.duration_months == 12
        assert [p.amount_gbp for p in case.case.payments] == [250]
        with pytest.raises(InputError):
            extract_text("   ")


class TestReports:
    """A committee report gives one record, as text or PDF."""

    def test_committee_report_gives_one_record_without_repeats(self):
        (case,) = read_document(FIXTURES / "committee_report.txt")
        r = case.record
        assert case.kind == "report"
        assert r["decision"] == "report_upheld" and r["year"] == 2022
        # Listed twice in the report and totalled once: three payments.
        assert amounts(r) == [(1500, True), (1800, False), (4500, True)]
        assert {p["recipient"] for p in r["payments"]} == {"cared_for_person", "carer"}

    def test_committee_report_as_pdf(self, tmp_path):
        text = (FIXTURES / "committee_report.txt").read_text(encoding="utf-8")
        path = tmp_path / "report.pdf"
        half = text.index("4. FINANCIAL")
        path.write_bytes(_pdfmaker().make_pdf([text[:half], text[half:]]))
        (case,) = read_document(path)
        assert case.kind == "report"
        assert amounts(case.record) == [(1500, True), (1800, False), (4500, True)]


class TestReviews:
    """A review gives one record per case study."""

    def test_review_gives_one_record_per_case_study(self):
        cases = read_document(FIXTURES / "review_cases.txt")
        assert [c.record["case_label"] for c in cases] == ["Asha", "Bilal", "Carys"]
        asha, bilal, carys = (c.record for c in cases)
        # A total with a breakdown that adds up: the parts.
        assert amounts(asha) == [(600, True), (1200, True)]
        assert {p["recipient"] for p in asha["payments"]} == {"family"}
        assert asha["respite_lost_weeks"] == 4
        # Waived fees; £250 from each of two bodies; £100 each to two daughters.
        assert amounts(bilal) == [(100, True), (100, True), (500, True), (6200, False)]
        assert bilal["duration_months"] == 7
        assert carys["decision"] == "not_upheld" and carys["payments"] == []
        assert all(c.record["org_type"] == "nhs_joint" for c in cases)
        assert "Carys" not in str(asha["provenance"])  # case studies do not bleed into each other


class TestRefusals:
    """A document that is not a decision is refused with the reason."""

    def test_not_a_decision_is_refused_with_reason(self):
        with pytest.raises(NotADecisionError) as err:
            read_document(FIXTURES / "not_a_decision.txt")
        assert str(err.value).startswith(f"{FIXTURES / 'not_a_decision.txt'}: no decision found (")
        assert isinstance(err.value, InputError)


class TestGoldScores:
    """Extraction scored against hand-coded gold records."""

    def test_fixture_gold_scores(self):
        report = evaluate(FIXTURES / "gold.jsonl", FIXTURES)
        assert report.unmatched == []
        assert report.statements_all_metadata_right == report.statements == 3
        assert report.payments.f1 == 1.0
        assert report.fault_types.f1 >= 0.9

    @pytest.mark.skipif(not (SEEDS / "gold.jsonl").exists(), reason="../shared/seeds not present")
    def test_seed_benchmark_meets_the_target(self):
        """Benchmark on the real seed documents (only where ../shared exists)."""
        report = evaluate(SEEDS / "gold.jsonl", SEEDS)
        assert report.statements == 3 and report.statements_all_metadata_right == 3
        assert report.payment_amounts.f1 >= 0.9
        assert report.payments.f1 >= 0.9
