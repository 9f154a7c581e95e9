"""The public API: suggest, check and batch predict on a model trained on invented cases."""

import json

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


def test_suggest_returns_range_precedents_and_both_moneys(trained):
    s = api.suggest(QUERY, model=trained.model, k=4, proposed=400)
    assert len(s.precedents) == 4
    assert s.money_year == 2020 and s.today_year == 2025
    ratio = 138.4 / 108.7
    assert s.range_today["high"] == pytest.approx(s.range_nominal["high"] * ratio, rel=1e-3)
    assert s.check is not None and s.check.proposed_today == pytest.approx(400 * ratio)
    d = s.to_dict()
    assert d["high_gbp"] == s.range_nominal["high"]
    json.dumps(d)
    first = s.precedents[0]
    assert first.distance <= s.precedents[-1].distance
    assert first.shared


def test_query_without_year_is_in_todays_money_and_says_so(trained):
    s = api.suggest({"fault_types": ["communication"]}, model=trained.model)
    assert s.money_year == s.today_year
    assert s.range_today == s.range_nominal
    assert any("no year" in a for a in s.assumptions)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"fault_types": ["nope"]}, "fault_types"),
        ({"duration_months": -1}, "duration_months"),
        ({"year": 1990}, "year"),
    ],
)
def test_bad_queries_name_the_field(trained, fields, message):
    with pytest.raises(InputError, match=message):
        api.suggest(fields, model=trained.model)


def test_bad_k_and_proposal(trained):
    with pytest.raises(InputError, match="k: must be"):
        api.suggest(QUERY, model=trained.model, k=0)
    with pytest.raises(InputError, match="proposed"):
        api.suggest(QUERY, model=trained.model, proposed=-5)


def test_check_is_suggest_with_a_verdict(trained):
    low = api.check(QUERY, 1, model=trained.model)
    high = api.check(QUERY, 10_000_000, model=trained.model)
    assert high.verdict == "above" and low.verdict in ("below", "within")


def test_predict_keeps_order_and_marks_bad_lines(trained, tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({**QUERY, "case_ref": "20 000 001"}),
        "this is not json",
        json.dumps({**QUERY, "duration_months": -4}),
        "",
        json.dumps({"fault_types": ["sen_ehcp"]}),
    ]
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = api.predict(src, out, model=trained.model, k=3)
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["case_ref"] == "20 000 001" and len(rows[0]["precedents"]) == 3
    assert {"low_gbp", "median_gbp", "high_gbp", "p_payment", "amount_if_paid_gbp"} <= set(rows[0])
    assert "not JSON" in rows[1]["error"] and "duration_months" in rows[2]["error"]
    assert rows[3]["error"] == "empty line"
    assert rows[4]["money_year"] == 2025
    assert result.n_predicted == 2 and len(result.errors) == 3


def test_predict_sums_are_in_the_input_years_money(trained, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({**QUERY, "year": 2015}) + "\n")
    out = tmp_path / "out.jsonl"
    api.predict(src, out, model=trained.model)
    row = json.loads(out.read_text())
    single = api.suggest({**QUERY, "year": 2015}, model=trained.model)
    assert row["money_year"] == 2015 and row["today_year"] == 2025
    assert row["high_today_gbp"] == pytest.approx(single.range_today["high"])
    assert row["high_gbp"] == pytest.approx(single.range_nominal["high"])
    assert row["amount_if_paid_gbp"] == pytest.approx(
        single.amount_if_paid_today["median"] * 100 / 138.4, rel=1e-3
    )


def test_predict_refuses_empty_input_and_keeps_existing_output(trained, tmp_path):
    src = tmp_path / "empty.jsonl"
    src.write_text("")
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    with pytest.raises(InputError, match="empty"):
        api.predict(src, out, model=trained.model)
    assert out.read_text() == "precious\n"
    with pytest.raises(InputError, match="no such file"):
        api.predict(tmp_path / "absent.jsonl", out, model=trained.model)


def test_read_case_file(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(QUERY))
    assert api.read_case_file(path).duration_months == 12
    path.write_text("[1, 2]")
    with pytest.raises(InputError, match="one JSON object"):
        api.read_case_file(path)
    path.write_text("{oops")
    with pytest.raises(InputError, match="not JSON"):
        api.read_case_file(path)
