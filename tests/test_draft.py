"""A draft decision checked end to end: values with passages, the draft's own remedy checked,
several cases in one document, and the CLI around them (``remedy suggest --from-document``).

The documents are the invented ingest fixtures (a one-case draft, a review with three case
studies) and records written here; the model is the one trained on the synthetic table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remedy_model import api
from remedy_model.cli import main
from remedy_model.draft import (
    NO_SUM_NOTE,
    DraftCase,
    draft_case,
    proposal,
    purpose_checks,
)
from remedy_model.errors import InputError
from remedy_model.records import Case
from remedy_model.reference import PurposeSum, ReferenceView

DOCS = Path(__file__).parent / "fixtures" / "ingest"
DRAFT = DOCS / "draft_decision.txt"
"""One case; the draft proposes £300 for distress in one sentence."""
REVIEW = DOCS / "review_cases.txt"
"""Three case studies: Asha (£1,800 in two purposes), Bilal (£700 symbolic and a £6,200 waived
charge), Carys (no fault, no sum)."""

RECORD = {
    "organisation": "Invented Vale Council",
    "org_type": "unitary",
    "category": "Adult care services > Charging",
    "decision": None,
    "duration_months": 4,
    "fault_types": ["charging", "communication"],
    "vulnerable": ["older_person"],
    "carer_impact": False,
    "payments": [
        {"amount_gbp": 250, "purpose": "distress", "recipient": "complainant", "symbolic": True},
        {"amount_gbp": 100, "purpose": "distress", "recipient": "family", "symbolic": True},
        {"amount_gbp": 480, "purpose": "lost_respite", "symbolic": True, "per_period": "month"},
        {"amount_gbp": 2000, "purpose": "refund", "symbolic": False},
    ],
    "provenance": {
        "category": {"span": [0, 7], "quote": "charged", "method": "guessed"},
        "fault_types.charging": {"span": [0, 9], "quote": "It charged her twice."},
        "fault_types.communication": [{"span": [9, 20], "quote": "  It did not\n reply. "}],
        "payments[0]": {"span": [0, 5], "quote": "Pay her £250 and her son £100 for distress."},
        "payments[1]": {"span": [0, 5], "quote": "Pay her £250 and her son £100 for distress."},
        "payments[2]": {"span": [5, 9], "quote": "Pay £120 a month for the lost respite."},
        "payments[3]": {"span": [9, 12], "quote": "Refund the £2,000 it charged."},
    },
}
"""An extracted record as ingest writes it (invented), with list members and payments quoted."""


def record_case(record: dict = RECORD) -> DraftCase:
    return draft_case(record, Case.model_validate(record), "statement", 1)


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestValuesWithPassages:
    def test_every_list_member_has_its_own_passage(self):
        read = {(x.field, x.code): x for x in record_case().read}
        assert read[("fault_types", "charging")].quote == "It charged her twice."
        assert read[("fault_types", "communication")].quote == "It did not reply."
        assert read[("vulnerable", "older_person")].evidence == "not stated in the document"
        assert read[("fault_types", "charging")].label == "fault type"

    def test_a_guessed_value_says_so(self):
        category = next(x for x in record_case().read if x.field == "category")
        assert category.guessed and category.evidence.endswith("(guessed from this passage)")

    def test_values_are_said_in_words(self):
        values = {x.field: x.value for x in record_case().read}
        assert values["org_type"] == "unitary council"
        assert values["duration_months"] == "4 months"
        assert values["carer_impact"] == "no"

    def test_a_missing_or_odd_provenance_is_no_passage(self):
        record = {**RECORD, "provenance": "not a dict"}
        case = draft_case(record, Case.model_validate({**RECORD, "provenance": None}), "x", 1)
        assert all(x.quote is None for x in case.read)
        assert [p.quote for p in case.symbolic] == [None, None, None]


class TestTheDraftsRemedy:
    def test_symbolic_and_financial_sums_are_apart(self):
        case = record_case()
        assert [p.amount_gbp for p in case.symbolic] == [250, 100, 480]
        assert [(p.amount_gbp, p.purpose) for p in case.financial] == [(2000, "refund")]
        assert case.symbolic_total == 830

    def test_the_sentences_are_each_said_once(self):
        assert record_case().sentences == [
            "Pay her £250 and her son £100 for distress.",
            "Pay £120 a month for the lost respite.",
        ]

    def test_a_draft_without_a_decision_is_taken_as_upheld(self):
        assert record_case().query.decision == "upheld"

    def test_the_total_is_the_proposal_unless_one_is_given(self):
        case = record_case()
        offer, source = proposal(case, None)
        assert offer == 830 and source.kind == "document" and len(source.sentences) == 2
        assert proposal(case, 500.0)[1].kind == "flag"
        assert proposal(case, 830.0, "form")[1].kind == "document"
        assert proposal(case, 800.0, "form")[1].kind == "form"
        assert proposal(case, None, use_draft=False) == (None, None)

    def test_each_purpose_is_set_beside_its_typical_sum(self):
        reference = ReferenceView(
            purposes=[
                PurposeSum("distress", "distress", 12, 300.0, 350.0),
                PurposeSum("lost_respite", "lost respite", 4, 500.0, 600.0),
                PurposeSum("lost_respite", "lost respite, per month", 3, 90.0, 100.0, True),
            ],
            pool=30,
        )
        checks = {c.purpose: c for c in purpose_checks(record_case(), reference, 4.0)}
        distress = checks["distress"]
        assert (distress.draft_gbp, distress.n_payments, distress.typical_gbp) == (350, 2, 350)
        assert distress.ratio == 1.0 and "typical £350 (12 cases), x1.0" in distress.words
        respite = checks["lost_respite"]
        assert respite.per_month_gbp == 120 and respite.typical_per_month_gbp == 100
        assert "£120 a month against a typical £100 (3 cases)" in respite.words

    def test_a_purpose_without_precedents_says_so(self):
        checks = purpose_checks(record_case(), ReferenceView(), None)
        assert all(c.typical_gbp is None and c.ratio is None for c in checks)
        assert checks[0].words == "no typical sum among the nearest paid precedents"


class TestSeveralCases:
    def test_the_first_case_is_used_unless_one_is_named(self):
        draft = api.read_draft(REVIEW)
        assert draft.labels == ["Asha", "Bilal", "Carys"] and draft.case.label == "Asha"
        assert api.read_draft(REVIEW, case_label="BILAL").case.label == "Bilal"
        assert api.read_draft(REVIEW, case_label="3").case.label == "Carys"

    def test_an_unknown_label_names_the_labels_held(self):
        with pytest.raises(InputError) as caught:
            api.read_draft(REVIEW, case_label="Dora")
        assert caught.value.field == "case_label"
        assert "it holds Asha, Bilal, Carys" in str(caught.value)

    def test_two_cases_with_one_label_are_told_apart(self, tmp_path):
        from remedy_model.draft import _unique_labels

        cases = [DraftCase("Ben", Case()), DraftCase("ben", Case()), DraftCase("Cy", Case())]
        _unique_labels(cases)
        assert [c.label for c in cases] == ["Ben", "ben (2)", "Cy"]


class TestCheckDraft:
    def test_the_drafts_total_is_checked_with_its_sentences(self, trained):
        answer = api.check_draft(api.read_draft(DRAFT), model=trained.model)
        out = answer.to_dict()
        assert out["check"]["proposed_gbp"] == 300
        source = out["check"]["proposed_source"]
        assert source["kind"] == "document" and "£300" in source["sentences"][0]
        assert out["draft"]["symbolic_total_gbp"] == 300
        assert out["draft"]["purposes"][0]["purpose"] == "distress"
        assert answer.verdict_words.startswith("Proposed £300 (the draft's symbolic total): ")

    def test_a_proposed_sum_given_wins(self, trained):
        answer = api.check_draft(api.read_draft(DRAFT), model=trained.model, proposed=900)
        check = answer.to_dict()["check"]
        assert check["proposed_gbp"] == 900 and check["proposed_source"]["kind"] == "flag"

    def test_financial_sums_are_listed_not_judged(self, trained):
        draft = api.read_draft(REVIEW, case_label="Bilal")
        out = api.check_draft(draft, model=trained.model).to_dict()
        assert out["check"]["proposed_gbp"] == 700
        assert [p["amount_gbp"] for p in out["draft"]["financial_payments"]] == [6200]
        assert out["draft"]["case_labels"] == ["Asha", "Bilal", "Carys"]

    def test_a_draft_stating_no_sum_is_answered_without_a_check(self, trained):
        draft = api.read_draft(REVIEW, case_label="Carys")
        answer = api.check_draft(draft, model=trained.model)
        out = answer.to_dict()
        assert out["check"] is None and out["low_gbp"] <= out["high_gbp"]
        assert any(NO_SUM_NOTE in n for n in out["draft"]["notes"])
        assert answer.no_check_words().startswith(NO_SUM_NOTE)

    def test_a_category_the_table_does_not_know_is_left_out_with_a_note(self, trained):
        answer = api.check_draft(api.read_draft(REVIEW), model=trained.model)
        assert answer.query.category is None
        assert any("is not one the table knows" in n for n in answer.notes)
        assert "category" in {g.fact for g in answer.suggestion.gaps} or answer.suggestion.gaps

    def test_the_json_is_strict(self, trained):
        answer = api.check_draft(api.read_draft(REVIEW), model=trained.model)
        json.loads(api.dumps(answer.to_dict()), parse_constant=pytest.fail)


class TestCli:
    def test_the_verdict_comes_first_and_says_where_the_sum_came_from(self, capsys, trained):
        code, out, err = run(
            capsys, "suggest", "--from-document", str(DRAFT), "--model", str(trained.path)
        )
        assert code == 0, err
        lines = out.splitlines()
        verdict = next(i for i, x in enumerate(lines) if x.startswith("Proposed £300"))
        assert verdict < 30 and "(the draft's symbolic total)" in lines[verdict]
        assert "from the draft: “The Council should apologise" in out
        assert out.index("The draft's remedy") > verdict
        assert "distress" in out[out.index("The draft's remedy") :]

    def test_every_value_read_shows_its_passage(self, capsys, trained):
        _, out, _ = run(
            capsys, "suggest", "--from-document", str(DRAFT), "--model", str(trained.path)
        )
        read = out[out.index("Read from") :]
        for member, passage in (
            ("housing adaptations", "took too long"),
            ("communication", "did not tell Ms R"),
        ):
            at = read.index(member)
            assert passage in read[at : at + 200]
        assert "not stated in the document" in read

    def test_several_cases_are_listed_and_one_is_said_to_be_used(self, capsys, trained):
        code, out, _ = run(
            capsys, "suggest", "--from-document", str(REVIEW), "--model", str(trained.path)
        )
        assert code == 0
        assert "holds 3 cases (Asha, Bilal, Carys); using Asha" in " ".join(out.split())
        code, out, _ = run(
            capsys,
            "suggest",
            "--from-document",
            str(REVIEW),
            "--case-label",
            "Bilal",
            "--model",
            str(trained.path),
        )
        assert "using Bilal" in " ".join(out.split()) and "Proposed £700" in out
        assert "financial: listed, not judged" in out

    def test_a_draft_without_a_sum_says_so(self, capsys, trained):
        code, out, _ = run(
            capsys,
            "suggest",
            "--from-document",
            str(REVIEW),
            "--case-label",
            "Carys",
            "--model",
            str(trained.path),
        )
        assert code == 0 and "Proposed" not in out
        assert f"{NO_SUM_NOTE}: --proposed SUM checks one." in " ".join(out.split())

    def test_json_holds_the_proposed_sum_and_its_source(self, capsys, trained):
        code, out, _ = run(
            capsys,
            "suggest",
            "--from-document",
            str(REVIEW),
            "--case-label",
            "Asha",
            "--json",
            "--model",
            str(trained.path),
        )
        assert code == 0
        data = json.loads(out)
        assert data["check"]["proposed_gbp"] == 1800
        assert data["check"]["proposed_source"]["kind"] == "document"
        assert data["draft"]["case_label"] == "Asha"
        _, out, _ = run(
            capsys,
            "suggest",
            "--fault",
            "charging",
            "--proposed",
            "200",
            "--json",
            "--model",
            str(trained.path),
        )
        assert json.loads(out)["check"]["proposed_source"]["kind"] == "flag"

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (
                ["--from-document", str(REVIEW), "--case-label", "Dora"],
                "--case-label: no case labelled 'Dora'; it holds Asha, Bilal, Carys",
            ),
            (["--fault", "charging", "--case-label", "Asha"], "--case-label picks a case"),
            (["--from-document", str(DOCS / "not_a_decision.txt")], "no decision found"),
        ],
    )
    def test_bad_input_is_one_line_and_status_2(self, capsys, trained, args, message):
        code, _, err = run(capsys, "suggest", *args, "--model", str(trained.path))
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1
