"""The public API: two answers, precedents as evidence, checked facts, batch predict."""

import json

import numpy as np
import pytest

from remedy_model import api
from remedy_model.errors import InputError

QUERY = {
    "fault_types": ["care_not_provided"],
    "duration_months": 12,
    "carer_impact": True,
    "category": "Adult care services > Charging",
    "org_type": "county",
    "year": 2020,
}


@pytest.fixture(scope="module")
def model(trained):
    return trained.model


def table_column(model, name):
    return model.table[name]


class TestTwoAnswers:
    def test_chance_and_amount_in_both_moneys(self, model):
        s = api.suggest(QUERY, model=model, k=4, proposed=400)
        assert s.money_year == 2020 and s.today_year == 2025
        ratio = 138.4 / 108.7
        today, nominal = s.amount_if_paid_today, s.amount_if_paid_nominal
        assert today["high"] == pytest.approx(nominal["high"] * ratio, rel=1e-3)
        assert today["low"] <= today["median"] <= today["high"]
        assert 0 <= s.payment.chance <= 1 and s.payment.chance == s.p_payment
        assert s.check.proposed_today == pytest.approx(400 * ratio)
        d = s.to_dict()
        assert d["high_gbp"] == nominal["high"] and d["low_gbp"] == nominal["low"]
        json.dumps(d, allow_nan=False)

    def test_the_precedents_share_is_over_upheld_cases_with_a_stated_remedy(self, model):
        s = api.suggest(QUERY, model=model)
        refs = {r: i for i, r in enumerate(table_column(model, "case_ref"))}
        rows = [refs[c["case_ref"]] for c in s.compared]
        assert len(rows) == s.payment.precedents_compared == 15
        assert table_column(model, "upheld")[rows].all()
        assert table_column(model, "remedy_visible")[rows].all()
        assert (table_column(model, "source_group")[rows] != "press").all()
        paid = int((table_column(model, "symbolic_today")[rows] > 0).sum())
        assert s.payment.precedents_paid == paid
        assert s.payment.precedent_share == pytest.approx(paid / 15, abs=1e-4)
        assert all(c["decision"] in ("upheld", "report_upheld") for c in s.compared)

    def test_a_sum_above_zero_is_judged_against_the_amount_if_paid(self, model):
        s = api.suggest(QUERY, model=model)
        inside = (s.amount_if_paid_nominal["low"] + s.amount_if_paid_nominal["median"]) / 2
        check = api.check(QUERY, inside, model=model)
        assert check.question == "amount" and check.verdict == "within"
        assert check.n_compared == 15
        high = api.check(QUERY, 10_000_000, model=model)
        assert high.verdict == "above" and high.outlier and high.tone == "outside"

    def test_zero_is_judged_against_the_chance(self, model):
        s = api.suggest(QUERY, model=model, proposed=0)
        assert s.check.question == "payment"
        expected = "below" if s.p_payment > 0.9 else "within"
        assert s.check.verdict == expected

    def test_query_without_year_is_in_todays_money_and_says_so(self, model):
        s = api.suggest({"fault_types": ["communication"]}, model=model)
        assert s.money_year == s.today_year
        assert s.amount_if_paid_today == s.amount_if_paid_nominal
        assert any("no year" in a for a in s.assumptions)


class TestPrecedentsAsEvidence:
    def test_shown_precedents_lead_with_upheld_cases_stating_their_remedy(self, model):
        s = api.suggest(QUERY, model=model, k=5)
        stated = [p for p in s.precedents if p.evidence == "stated"]
        assert len(stated) == 5 and s.precedents[:5] == stated
        assert all(p.decision in ("upheld", "report_upheld") for p in s.precedents)
        assert all(p.remedy_visible for p in stated)
        distances = [p.distance for p in stated]
        assert distances == sorted(distances)

    def test_unstated_precedents_follow_marked_and_nearer_than_the_last_stated(self, model):
        for query in (QUERY, {"fault_types": ["sen_ehcp"]}, {"fault_types": ["charging"]}):
            s = api.suggest(query, model=model, k=5)
            extra = s.precedents[5:]
            assert len(extra) <= 2
            for p in extra:
                assert p.evidence == "sum not stated" and not p.remedy_visible
                assert p.distance <= s.precedents[4].distance

    def test_every_precedent_names_its_reference_or_source(self, model):
        s = api.suggest(QUERY, model=model, k=10)
        for p in s.precedents:
            assert p.label == p.case_ref if p.case_ref else p.label.startswith("no ref.")
            assert p.decision and p.similarity in ("very similar", "similar", "loosely similar")

    def test_precedents_say_what_they_share(self, model):
        s = api.suggest(QUERY, model=model)
        assert any(p.shared for p in s.precedents)


class TestFactsChecked:
    def test_unknown_category_is_refused_naming_the_closest(self, model):
        with pytest.raises(InputError) as caught:
            api.suggest({**QUERY, "category": "Adult social care"}, model=model)
        assert caught.value.field == "category"
        assert "unknown category 'Adult social care'" in str(caught.value)
        assert "closest known" in str(caught.value)

    def test_known_category_is_matched_whatever_the_case_and_spacing(self, model):
        s1 = api.suggest({**QUERY, "category": "adult care services>charging"}, model=model)
        s2 = api.suggest(QUERY, model=model)
        assert s1.amount_if_paid_today == s2.amount_if_paid_today

    def test_a_known_group_alone_is_accepted(self, model):
        api.suggest({**QUERY, "category": "Education"}, model=model)

    @pytest.mark.parametrize(
        ("fields", "message"),
        [({"fault_types": ["nope"]}, "fault_types"), ({"duration_months": -1}, "duration_months"),
         ({"year": 1990}, "year")],
    )  # fmt: skip
    def test_bad_queries_name_the_field(self, model, fields, message):
        with pytest.raises(InputError, match=message):
            api.suggest(fields, model=model)

    @pytest.mark.parametrize("k", [0, -1, 51, 100_000])
    def test_k_outside_one_to_fifty_is_refused(self, model, k):
        with pytest.raises(InputError, match="k: must be a whole number from 1 to 50"):
            api.suggest(QUERY, model=model, k=k)


class TestWhyThisFigure:
    def test_amount_effects_multiply_back_to_the_answer(self, model):
        s = api.suggest(QUERY, model=model)
        e = s.explanation
        product = e.typical_amount_today * e.other_amount
        for effect in e.amount:
            product *= effect.value
        assert product == pytest.approx(s.amount_if_paid_today["median"], rel=0.01)

    def test_effects_name_stated_facts_with_their_support(self, model):
        s = api.suggest(QUERY, model=model)
        facts = [x.fact for x in s.explanation.amount + s.explanation.payment]
        assert facts and not any(f.startswith("source") for f in facts)
        carer = [x for x in s.explanation.payment if x.fact == "carer affected: yes"]
        if carer:
            expected = model.support["payment"]["carer_impact=yes"]
            assert carer[0].n_sharing == expected and carer[0].effect.endswith("pts")

    def test_missing_facts_are_named_with_their_reach(self, model):
        s = api.suggest({"fault_types": ["care_not_provided"], "year": 2022}, model=model)
        named = {g.fact for g in s.gaps}
        assert {"category", "duration", "carer affected", "body type"} <= named
        assert "year" not in named
        full = api.suggest(QUERY, model=model)
        assert "category" not in {g.fact for g in full.gaps}
        for gap in s.gaps:
            assert gap.amount_low <= gap.amount_high and gap.note.startswith(gap.fact)


class TestReferenceView:
    def test_subcategory_sums_match_a_direct_computation(self, model):
        s = api.suggest(QUERY, model=model)
        stats = {x.scope: x for x in s.reference.sums}["subcategory"]
        t = model.table
        mask = (
            t["upheld"].astype(bool)
            & t["remedy_visible"].astype(bool)
            & (t["symbolic_today"].astype(float) > 0)
            & (t["subcategory"] == "Adult care services > Charging")
        )
        sums = t["symbolic_today"].astype(float)[mask]
        assert stats.n == mask.sum()
        assert stats.median_today == pytest.approx(np.median(sums))
        assert stats.lowest_today == pytest.approx(sums.min())
        assert stats.median_gbp == pytest.approx(np.median(sums) * 108.7 / 138.4)

    def test_typical_sums_by_purpose_come_from_paid_precedents(self, model):
        s = api.suggest(QUERY, model=model)
        purposes = {p.purpose for p in s.reference.purposes}
        assert purposes <= {"distress", "time_and_trouble", "loss_of_service", "carer_strain",
                            "lost_respite", "lost_education"}  # fmt: skip
        assert all(p.n >= 1 and p.median_today > 0 for p in s.reference.purposes)


class TestPredict:
    def test_predict_keeps_order_and_marks_bad_lines(self, model, tmp_path):
        src = tmp_path / "in.jsonl"
        lines = [
            json.dumps({**QUERY, "case_ref": "20 000 001"}),
            "this is not json",
            json.dumps({**QUERY, "duration_months": -4}),
            "",
            json.dumps({"fault_types": ["sen_ehcp"]}),
            json.dumps({**QUERY, "category": "Adult social care"}),
        ]
        src.write_text("\n".join(lines) + "\n")
        out = tmp_path / "out.jsonl"
        result = api.predict(src, out, model=model, k=3)
        rows = [json.loads(x) for x in out.read_text().splitlines()]
        assert [r["line"] for r in rows] == [1, 2, 3, 4, 5, 6]
        assert rows[0]["case_ref"] == "20 000 001" and len(rows[0]["precedents"]) >= 3
        assert {"low_gbp", "median_gbp", "high_gbp", "p_payment", "precedent_paid_share"} <= set(
            rows[0]
        )
        assert "not JSON" in rows[1]["error"] and "duration_months" in rows[2]["error"]
        assert rows[3]["error"] == "empty line"
        assert rows[4]["money_year"] == 2025
        assert "unknown category" in rows[5]["error"]
        assert result.n_predicted == 2 and len(result.errors) == 4

    def test_predict_sums_are_in_the_input_years_money(self, model, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps({**QUERY, "year": 2015}) + "\n")
        out = tmp_path / "out.jsonl"
        api.predict(src, out, model=model)
        row = json.loads(out.read_text())
        single = api.suggest({**QUERY, "year": 2015}, model=model)
        assert row["money_year"] == 2015 and row["today_year"] == 2025
        assert row["high_today_gbp"] == pytest.approx(single.amount_if_paid_today["high"])
        assert row["high_gbp"] == pytest.approx(single.amount_if_paid_nominal["high"])
        assert row["median_gbp"] == pytest.approx(
            single.amount_if_paid_today["median"] * 100 / 138.4, rel=1e-3
        )

    def test_the_batch_path_gives_the_answers_one_query_gets(self, model, synthetic):
        from remedy_model.suggest import predict_rows

        queries = [api.make_case(c.facts()) for c in synthetic[:40]]
        rows = predict_rows(model, queries, k=4)
        for query, row in zip(queries, rows, strict=True):
            s = api.suggest(query, model=model, k=4)
            assert row["p_payment"] == s.p_payment
            assert row["precedent_paid_share"] == s.payment.precedent_share
            assert [row[f"{k}_gbp"] for k in ("low", "median", "high")] == [
                s.amount_if_paid_nominal[k] for k in ("low", "median", "high")
            ]
            assert row["range_gbp"] == s.range_nominal
            assert [p["label"] for p in row["precedents"]] == [p.label for p in s.precedents]

    @pytest.mark.parametrize("jobs", [2, None])
    def test_worker_processes_write_the_same_output(self, model, tmp_path, synthetic, jobs):
        src = tmp_path / "in.jsonl"
        rows = [json.dumps(c.facts(), default=str) for c in synthetic] * 20  # 4,800 lines
        rows[7] = "not json"
        src.write_text("\n".join(rows) + "\n")
        one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
        first = api.predict(src, one, model=model, jobs=1)
        second = api.predict(src, two, model=model, jobs=jobs)
        assert one.read_bytes() == two.read_bytes()
        assert (first.n_lines, first.n_predicted) == (second.n_lines, second.n_predicted)
        assert first.errors == second.errors and first.errors[0][0] == 8

    def test_an_input_of_one_chunk_starts_no_worker(self, model, tmp_path, monkeypatch):
        from remedy_model import batch

        def no_workers(*args):
            raise AssertionError("a worker pool was started for one chunk")

        monkeypatch.setattr(batch, "_answers_in_workers", no_workers)
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps(QUERY) + "\n")
        result = api.predict(src, tmp_path / "out.jsonl", model=model, jobs=None)
        assert (result.n_lines, result.n_predicted) == (1, 1)

    def test_output_lines_are_strict_json(self, model, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps(QUERY) + "\n")
        out = tmp_path / "out.jsonl"
        api.predict(src, out, model=model)
        row = json.loads(out.read_text(), parse_constant=pytest.fail)
        assert row["line"] == 1 and row["precedents"][0]["distance"] >= 0

    def test_predict_refuses_empty_input_and_keeps_existing_output(self, model, tmp_path):
        src = tmp_path / "empty.jsonl"
        src.write_text("")
        out = tmp_path / "out.jsonl"
        out.write_text("precious\n")
        with pytest.raises(InputError, match="empty"):
            api.predict(src, out, model=model)
        assert out.read_text() == "precious\n"
        with pytest.raises(InputError, match="no such file"):
            api.predict(tmp_path / "absent.jsonl", out, model=model)


class TestCaseFiles:
    def test_read_case_file(self, tmp_path):
        path = tmp_path / "case.json"
        path.write_text(json.dumps(QUERY))
        assert api.read_case_file(path).duration_months == 12
        path.write_text("[1, 2]")
        with pytest.raises(InputError, match="one JSON object"):
            api.read_case_file(path)
        path.write_text("{oops")
        with pytest.raises(InputError, match="not JSON"):
            api.read_case_file(path)
