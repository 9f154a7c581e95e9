"""The weak spots issue 12 found when ingest read real pages, each with documents we wrote.

Hidden remedies, digests of several decisions, bracketed organisation names, a payment's purpose
taken from its own clause, fees the complainant paid, guessed values marked as guessed, the
site's page structure, and extraction work bounded on long text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from remedy_model.errors import InputError
from remedy_model.ingest import extract_text, read_document
from remedy_model.ingest.money import amounts, payments_in
from remedy_model.ingest.text import MAX_TEXT_CHARS, text_from_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SITE = Path(__file__).parent / "fixtures" / "site"

HEAD = (
    "Brackley Vale Council (23 104 221)\n\nCategory : Adult care services > Assessment and care "
    "plan\n\nDecision : Upheld\n\nDecision date : 14 Jun 2024\n\n"
)


def statement(summary: str, more: str = "") -> dict:
    """The record of a decision statement with our header, a summary and more sections."""
    (case,) = extract_text(HEAD + "Summary: " + summary + "\n\n" + more)
    return case.record


class TestHiddenRemedy:
    """A payment agreed without its sum makes the remedy not visible (no false £0 case)."""

    @pytest.mark.parametrize(
        "summary",
        [
            "We found fault. The Council has agreed to apologise and make symbolic payments to "
            "Mrs K and her son.",
            "We found fault. I recommended a symbolic financial remedy, which the Council "
            "accepted.",
            "We found fault. The Council agreed to make payments to Mr and Mrs L to recognise "
            "their distress.",
            "We found fault. The Council offered Mr P £200. That was not enough, so I recommended "
            "a larger financial remedy, which the Council agreed.",
            "We found fault. The Council will make a payment to Ms Q for the support she missed.",
        ],
    )
    def test_payment_without_sum_is_not_visible(self, summary):
        record = statement(summary)
        assert record["remedy_visible"] is False
        assert record["payments"] == []
        quote = record["provenance"]["remedy_visible"]["quote"].lower()
        assert "payment" in quote or "remedy" in quote

    def test_remedy_left_to_a_missing_section_is_not_visible(self):
        record = statement(
            "The Council delayed the assessment for eight months. We found fault causing "
            "injustice. The Council has agreed to the actions set out at the end of this "
            "statement.",
            "The complaint\n\nMrs N complained about the delay in assessing her needs.\n",
        )
        assert record["remedy_visible"] is False
        assert "set out at the end" in record["provenance"]["remedy_visible"]["quote"]

    def test_remedy_section_present_keeps_it_visible(self):
        record = statement(
            "We found fault. The Council has agreed to the actions set out below.",
            "Agreed action\n\nThe Council will apologise to Mrs N and review its procedures.\n",
        )
        assert record["remedy_visible"] is True

    @pytest.mark.parametrize(
        "summary",
        [
            "We found fault. I do not recommend a symbolic payment because the Council has "
            "already put things right.",
            "We found fault. Mrs K wanted a financial remedy but an apology is enough.",
            "We found fault. The Council agreed to apologise and restart the direct payments.",
        ],
    )
    def test_no_payment_agreed_stays_visible(self, summary):
        assert statement(summary)["remedy_visible"] is True

    def test_symbolic_sum_found_stays_visible(self):
        record = statement(
            "We found fault. The Council agreed to pay Mrs K £250 for her distress and to make "
            "a further symbolic payment to her son."
        )
        assert record["remedy_visible"] is True
        assert record["symbolic_total_gbp"] == 250

    def test_refund_only_with_a_symbolic_payment_unstated_is_not_visible(self):
        record = statement(
            "We found fault. The Council will refund Mrs K £900 and make a symbolic payment "
            "for her distress."
        )
        assert record["remedy_visible"] is False
        assert record["financial_total_gbp"] == 900


class TestDigest:
    """An e-mail digest of several summaries gives one record per summary."""

    def test_one_record_per_summary_with_its_own_reference(self):
        cases = read_document(FIXTURES / "digest_email.txt")
        assert [c.kind for c in cases] == ["digest"] * 3
        records = [c.record for c in cases]
        assert [r["case_ref"] for r in records] == ["23 011 402", "23 014 987", "22 019 551"]
        assert [r["organisation"] for r in records] == [
            "Harbourne County Council",
            "Calderbrook Borough Council",
            "Westmere Lodges (UK) Ltd",
        ]
        assert [r["decision"] for r in records] == ["upheld", "upheld", "not_upheld"]
        assert [sorted(p["amount_gbp"] for p in r["payments"]) for r in records] == [
            [400],
            [250, 600],
            [],
        ]
        assert records[1]["respite_lost"] is True and records[0]["respite_lost"] is False
        assert records[0]["category"] == "Adult care services > Assessment and care plan"

    def test_summary_provenance_stays_inside_its_summary(self):
        cases = read_document(FIXTURES / "digest_email.txt")
        text = (FIXTURES / "digest_email.txt").read_text(encoding="utf-8")
        second = text.index("Calderbrook Borough Council (23 014 987)")
        third = text.index("Westmere Lodges")
        for key, entry in cases[1].record["provenance"].items():
            assert second <= entry["span"][0] < third, key

    def test_lettered_references_of_one_complaint_are_not_a_digest(self):
        text = (
            "Ashgrove Council (21 300 111a)\n\nAshgrove Clinical Commissioning Group "
            "(21 300 111b)\n\nCategory : Health and social care joint\n\nDecision : Upheld\n\n"
            "Summary: We found fault causing injustice. The bodies will pay Mr R £500 for his "
            "distress.\n"
        )
        (case,) = extract_text(text)
        assert case.kind == "statement"
        assert case.record["case_ref"] == "21 300 111a"


class TestBracketedOrganisation:
    """An organisation's own brackets do not lose the name or the reference."""

    def test_name_with_brackets_keeps_organisation_and_reference(self):
        (case,) = read_document(FIXTURES / "statement_brackets.txt")
        r = case.record
        assert r["organisation"] == "Meadowbank Lodges (UK) Limited"
        assert r["case_ref"] == "24 019 377"
        assert r["org_type"] == "care_provider"
        assert r["provenance"]["organisation"]["quote"] == "Meadowbank Lodges (UK) Limited"

    def test_fees_paid_stay_out_and_the_ordered_refund_counts(self):
        (case,) = read_document(FIXTURES / "statement_brackets.txt")
        assert sorted((p["amount_gbp"], p["purpose"]) for p in case.record["payments"]) == [
            (300, "distress"),
            (340, "refund"),
        ]


class TestPurposeFromOwnClause:
    """A payment's purpose comes from its own clause, not a nearby word."""

    def test_distress_clause_before_a_reimbursement(self):
        found = amounts(
            "The Council should pay Ms J £2,100 to recognise the distress caused and reimburse "
            "her legal fees."
        )
        assert found == [(2100.0, True, "distress", "complainant")]

    def test_refund_verb_makes_the_sum_a_refund(self):
        found = amounts("The Council will refund the £1,400 Mrs R paid for respite care.")
        assert [(a, s, p) for a, s, p, _ in found] == [(1400.0, False, "refund")]

    def test_two_sums_two_purposes(self):
        found = amounts(
            "It will pay Mr S £300 for his time and trouble and reimburse the £120 he spent on "
            "taxis."
        )
        assert [(a, p) for a, _, p, _ in found] == [(300.0, "time_and_trouble"), (120.0, "refund")]


class TestFeesPaid:
    """Fees the complainant paid are not a refund unless one is ordered."""

    @pytest.mark.parametrize(
        "sentence",
        [
            "Mrs R paid £1,400 for respite care that the Council should have arranged.",
            "Ms T paid legal fees of £900 to challenge the decision.",
            "She had to pay £650 for a private assessment for her son.",
            "Mr U paid £2,000 for the care he did not receive.",
        ],
    )
    def test_paid_by_the_person_is_not_a_payment(self, sentence):
        assert amounts(sentence) == []

    @pytest.mark.parametrize(
        "text",
        [
            "Mrs R had paid £1,400 for respite care, and the Council will refund it.",
            "Mr U paid £1,400 for the care he did not receive. The Council should refund this.",
            "The Council agreed to refund what Mrs R paid, £1,400, for the respite care.",
        ],
    )
    def test_refund_ordered_makes_it_a_refund(self, text):
        assert [(a, s, p) for a, s, p, _ in amounts(text)] == [(1400.0, False, "refund")]

    def test_a_sum_paid_to_the_person_still_counts(self):
        found = amounts("Mrs R was paid £300 by the Council to acknowledge her distress.")
        assert [(a, p) for a, _, p, _ in found] == [(300.0, "distress")]


class TestConfidence:
    """Every provenance entry says how the value was found and how far to trust it."""

    def test_header_values_are_high_and_text_values_medium(self):
        (case,) = read_document(FIXTURES / "statement_respite.txt")
        prov = case.record["provenance"]
        for key in ("case_ref", "organisation", "category", "decision", "decision_date"):
            assert (prov[key]["method"], prov[key]["confidence"]) == ("header", "high"), key
        assert (prov["payments[0]"]["method"], prov["payments[0]"]["confidence"]) == (
            "text",
            "medium",
        )
        assert all({"method", "confidence"} <= set(entry) for entry in prov.values())

    def test_guessed_category_is_marked_guessed(self):
        (case,) = extract_text(
            "Draft decision\n\nMrs Z complained that Eastmoor County Council charged her care "
            "fees wrongly. The Ombudsman found fault in the charging. The financial assessment "
            "was wrong and the charges were too high.\n"
        )
        entry = case.record["provenance"]["category"]
        assert case.record["category"] == "Adult care services > Charging"
        assert (entry["method"], entry["confidence"]) == ("guessed", "low")

    def test_year_from_the_reference_is_guessed(self):
        (case,) = extract_text(
            "Fenwick Council (22 555 101)\n\nCategory : Education > School transport\n\n"
            "Decision : Upheld\n\nSummary: We found fault. The Council will pay Mr V £150 for "
            "his time and trouble.\n"
        )
        assert case.record["year"] == 2022 and case.record["year_is_approx"] is True
        assert case.record["provenance"]["year"]["method"] == "guessed"


class TestSitePageStructure:
    """A page in the site's structure: text in <article id="article">, header label/values."""

    PAGE = (
        "<!DOCTYPE html><html><head><title>Decision</title></head><body>"
        "<header class='site-header'><nav>Home | Decisions</nav></header>"
        "<main><div class='search-box'>Search decisions</div>"
        "<article id='article'><header><h1>Rushmere Borough Council (23 020 330)</h1>"
        "<dl><dt>Category</dt><dd>Education &gt; Special educational needs</dd>"
        "<dt>Decision</dt><dd>Upheld</dd><dt>Decision date</dt><dd>08 Jan 2025</dd></dl>"
        "</header><h2>Summary</h2><p>We found fault causing injustice. The Council will pay "
        "Mrs W £800 for the education her son missed.</p></article>"
        "<aside><p>Another council paid £9,999.</p></aside></main></body></html>"
    )

    def test_header_pairs_and_article_text(self):
        document = text_from_bytes(self.PAGE.encode(), "page.html", "html")
        assert "Search decisions" not in document.text
        assert "Category : Education > Special educational needs" in document.text
        (case,) = extract_text(document.text)
        r = case.record
        assert (r["organisation"], r["case_ref"], r["decision"], r["decision_date"]) == (
            "Rushmere Borough Council",
            "23 020 330",
            "upheld",
            "2025-01-08",
        )
        assert r["category"] == "Education > Special educational needs"
        assert [p["amount_gbp"] for p in r["payments"]] == [800]

    def test_label_and_value_on_two_lines(self):
        (case,) = extract_text(
            "Rushmere Borough Council (23 020 330)\nCategory\nEducation > School transport\n"
            "Decision\nNot upheld\nDecision date\n08 Jan 2025\nSummary: We found no fault.\n"
        )
        r = case.record
        assert (r["category"], r["decision"], r["decision_date"]) == (
            "Education > School transport",
            "not_upheld",
            "2025-01-08",
        )


class TestBoundedWork:
    """Long text: the money grammar reads a bounded window around each sum."""

    def test_run_on_sentence_of_many_sums_is_read_right(self):
        clause = "the council will pay mrs b £100 for her distress; "
        found = payments_in("The Council agreed that " + clause * 400 + "and that is all.")
        assert len(found) == 400
        assert {(p.amount_gbp, p.purpose) for p in found} == {(100.0, "distress")}

    def test_every_window_read_around_a_sum_is_bounded(self, monkeypatch):
        from remedy_model.ingest import money

        seen: list[int] = []
        real = money._around

        def spy(low, span, amts, i):
            ctx = real(low, span, amts, i)
            seen.append(max(len(ctx.before), len(ctx.after), len(ctx.rest), len(ctx.sentence)))
            return ctx

        monkeypatch.setattr(money, "_around", spy)
        clause = "then the council will pay mrs b £100 for her distress and mr c said so "
        found = payments_in("The Council agreed that " + clause * 1000 + ".")
        assert len(found) == 1000 and len(seen) == 1000
        assert max(seen) <= 2 * money.CONTEXT_CHARS + 10  # the sentence is 71,000 characters

    def test_text_over_the_cap_is_refused_with_its_size(self):
        big = ("We found fault. " * (MAX_TEXT_CHARS // 16 + 10)).encode()
        with pytest.raises(InputError, match=r"text too long \(1,000,\d{3} characters"):
            text_from_bytes(big, "big.txt", "txt")
