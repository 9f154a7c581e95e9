"""The web page and its JSON API, through FastAPI's test client: every route, every error path.

The model is trained once for this module on the embedded cases plus a few invented ones (no
decision text), one of which carries markup and a ``javascript:`` address in its fields, so the
escaping of everything shown can be checked on a real result page.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from remedy_model import api
from remedy_model.cli import serve as serve_module
from remedy_model.errors import ModelFileError
from remedy_model.web import drafts, forms
from remedy_model.web import trends as web_trends
from remedy_model.web.app import create_app
from remedy_model.web.views import MAX_UPLOAD_BYTES

MARKUP = '<script>alert("x")</script><b>bold</b>'
MARKUP_REF = "99 999 001"
MARKUP_QUERY = {
    "category": "Housing > Invented markup test",
    "org_type": "district",
    "fault_types": ["housing_adaptations", "mental_capacity_dols"],
    "vulnerable": ["autism"],
    "duration_months": "7",
    "carer_impact": "yes",
    "respite_lost": "no",
    "person_died": "yes",
    "year": "2024",
}
"""Form fields of a query whose nearest precedent is the invented case with markup."""

QUERY = {
    "category": "Adult care services > Assessment and care plan",
    "org_type": "county",
    "fault_types": ["respite_not_provided", "carer_assessment"],
    "duration_months": "9",
    "carer_impact": "yes",
    "respite_lost": "yes",
    "vulnerable": ["learning_disability"],
    "year": "2024",
    "proposed": "500",
}

DRAFT_DECISION = """Draft decision

Reference: 24 901 234
Organisation: Invented Shire County Council
Category: Adult care services > Assessment and care plan
Decision date: 12 March 2024

Summary: Mrs X complained the Council failed to provide respite care for her son, who has a
learning disability, for nine months. We found fault causing injustice. The Council has agreed
to apologise and pay Mrs X £750 to recognise the distress and the lost respite.

The complaint
1. Mrs X cares for her adult son, Mr Y. She complains the Council did not provide the <i>respite
care</i> set out in his care plan between April and December 2023.

What happened
2. The Council failed to arrange the respite for nine months. Mrs X, his unpaid carer, had no
break in that time.

Agreed action
3. Within one month of my final decision, the Council will apologise to Mrs X and pay her £750
to recognise the distress and the loss of respite.

Decision
4. I find fault causing injustice. The complaint is upheld.
"""
"""An invented draft decision in the shape of a decision statement (for the upload tests)."""
REVIEW = (Path(__file__).parent / "fixtures" / "ingest" / "review_cases.txt").read_bytes()
"""An invented review with three case studies: Asha, Bilal (£700 and a £6,200 waived charge),
Carys (no fault, no sum)."""


def _invented_cases() -> list[dict]:
    base = {
        "organisation": "Invented District Council",
        "org_type": "district",
        "category": MARKUP_QUERY["category"],
        "decision": "upheld",
        "year": 2024,
        "source_kind": "lgo_decision_page",
        "remedy_visible": True,
        "financial_total_gbp": 0,
        "duration_months": 7,
        "fault_types": MARKUP_QUERY["fault_types"],
        "carer_impact": True,
        "respite_lost": False,
        "vulnerable": ["autism"],
        "person_died": True,
    }
    return [
        {
            **base,
            "case_ref": MARKUP_REF,
            "organisation": f"Invented {MARKUP} Council",
            "url": "javascript:alert(1)",
            "symbolic_total_gbp": 400,
            "summary": f"Invented case with markup: {MARKUP}",
        },
        {
            **base,
            "case_ref": "99 999 002",
            "url": "https://example.org/decisions/99999002",
            "symbolic_total_gbp": 600,
            "summary": "Invented case without markup.",
        },
    ]


@pytest.fixture(scope="module")
def model_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("web-model")
    extra = folder / "invented.jsonl"
    extra.write_text("".join(json.dumps(c) + "\n" for c in _invented_cases()), encoding="utf-8")
    return api.train([extra], model_path=folder / "model.npz").path


@pytest.fixture(scope="module")
def model(model_file):
    return api.get_model(model_file)


@pytest.fixture(scope="module")
def client(model) -> TestClient:
    return TestClient(create_app(model=model), base_url="http://127.0.0.1")


def soup(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def field_block(page: str, name: str):
    """One field's block (label, control, message, snippets) in the case form."""
    block = soup(page).select_one(f'[data-field="{name}"]')
    assert block is not None, f"no block for field {name}"
    return block


def error_beside(page: str, name: str) -> str | None:
    """The message shown beside a field, or None."""
    found = field_block(page, name).select_one(".error")
    return found.get_text() if found else None


def control(page: str, name: str):
    """The input or select of a field."""
    return soup(page).find(id=name)


def submitted(page: str) -> list[tuple[str, str]]:
    """What the browser sends when the case form on ``page`` is submitted as it is."""
    form = soup(page).find(id="case-form")
    pairs = [(i["name"], i.get("value", "")) for i in form.select("input[type=hidden]")]
    pairs += [(i["name"], i.get("value", "")) for i in form.select("input[type=text]")]
    pairs += [(i["name"], i["value"]) for i in form.select("input[type=checkbox][checked]")]
    for select in form.select("select"):
        chosen = select.select_one("option[selected]")
        pairs.append((select["name"], chosen["value"] if chosen else ""))
    return pairs


def upload(client, name: str, data: bytes, content_type: str = "text/plain"):
    return client.post("/upload", files={"document": (name, data, content_type)})


def resend(pairs: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    return [(k, changes.get(k, v)) for k, v in pairs]


class TestForm:
    def test_it_asks_every_fact_of_the_case_record(self, client):
        page = client.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        facts = [f for f in api.FACT_FIELDS if f != "decision_date"]
        assert list(forms.CASE_FIELDS) == facts
        for name in (*facts, "proposed", "k"):
            assert f'name="{name}"' in page.text, name
        for name, choices in forms.OPTIONS.items():
            for code, _ in choices:
                assert f'value="{code}"' in page.text, (name, code)

    def test_codes_are_shown_in_words(self, client):
        text = client.get("/").text
        for words in ("SEN / EHC plan", "mental capacity / DoLS", "London borough",
                      "learning disability", "NHS continuing healthcare"):  # fmt: skip
            assert words in text
        assert ">sen_ehcp<" not in text and ">london_borough<" not in text

    def test_the_category_is_chosen_from_the_known_ones(self, client, model):
        select = control(client.get("/").text, "category")
        assert select.name == "select"
        values = {o["value"] for o in select.select("option")}
        assert set(model.known_categories()) <= values
        assert "Housing" in values  # a group alone, when the subcategory is not known
        assert "Housing &gt; Invented markup test" in str(select)  # escaped

    def test_an_unknown_category_is_kept_and_refused_beside_its_field(self, client):
        page = client.get("/suggest", params={**QUERY, "category": "Adult social care"})
        assert page.status_code == 422
        assert "unknown category" in error_beside(page.text, "category")
        chosen = control(page.text, "category").select_one("option[selected]")
        assert chosen["value"] == "Adult social care"

    def test_the_example_link_fills_the_form(self, client):
        link = soup(client.get("/").text).find(id="example")["href"]
        page = client.get(link)
        assert 'value="respite_not_provided" checked' in page.text
        assert control(page.text, "proposed")["value"] == f"{api.DEMO_PROPOSED:g}"
        answer = client.get("/suggest?" + urlencode(submitted(page.text)))
        assert answer.status_code == 200 and f"Proposed £{api.DEMO_PROPOSED:,.0f}" in answer.text

    def test_it_is_prefilled_from_query_parameters_without_messages(self, client):
        page = client.get("/", params={**QUERY, "year": "abc"})
        assert page.status_code == 200
        assert 'value="respite_not_provided" checked' in page.text
        assert 'value="abc"' in page.text
        assert 'class="error"' not in page.text

    def test_pages_send_security_headers_and_no_external_references(self, client):
        for page in (client.get("/suggest", params=QUERY), client.get("/note", params=QUERY)):
            policy = page.headers["content-security-policy"]
            assert "default-src 'none'" in policy and "script-src" not in policy
            assert page.headers["x-content-type-options"] == "nosniff"
            assert not re.search(r'src="(?:https?:)?//', page.text)
            assert "<link" not in page.text and "<script" not in page.text
            assert "@import" not in page.text


class TestFormFieldsFromTheRecord:
    def test_kinds_follow_the_types_of_the_case_record(self):
        assert forms.LIST_FIELDS == ("fault_types", "vulnerable")
        assert forms.YES_NO_FIELDS == ("carer_impact", "respite_lost", "person_died")
        assert forms.NUMBER_FIELDS == {"duration_months": "months", "respite_lost_weeks": "weeks"}
        assert dict(forms.OPTIONS["org_type"])["london_borough"] == "London borough"

    def test_every_field_is_in_one_group_of_the_form(self):
        placed = [n for _, names in forms.fieldsets() for n in names]
        assert sorted(placed) == sorted(forms.CASE_FIELDS)

    def test_a_fact_not_placed_goes_under_other_facts(self, monkeypatch):
        monkeypatch.setattr(forms, "FIELDSETS", (("The case", ("category",)),))
        groups = dict(forms.fieldsets())
        assert groups["The case"] == ["category"]
        assert set(groups["Other facts"]) == set(forms.CASE_FIELDS) - {"category"}


class TestResult:
    def test_it_shows_both_answers_verdict_plot_precedents_and_downloads(self, client, model):
        page = client.get("/suggest", params=QUERY)
        assert page.status_code == 200
        case = forms.to_query(forms.read_form(forms.MultiMapping(QUERY)))
        expected = api.suggest(case, model=model, proposed=500)
        text = page.text
        for key in ("low", "median", "high"):
            row = re.search(rf'<tr id="range-{key}">(.*?)</tr>', text, re.DOTALL).group(1)
            assert f"£{expected.amount_if_paid_nominal[key]:,.0f}" in row
            assert f"£{expected.amount_if_paid_today[key]:,.0f}" in row
        assert expected.check.reason.replace("'", "&#39;") in text
        assert f'data-verdict="{expected.check.verdict}"' in text
        assert f"tone-{expected.check.tone}" in text
        assert f"{expected.payment.precedents_paid} of the 15 most similar upheld cases" in text
        table = re.search(r'<table class="precedents.*?</table>', text, re.DOTALL).group(0)
        assert table.count("<tr") == len(expected.precedents) + 1
        for p in expected.precedents:
            assert p.label in table
        stated = [p for p in expected.precedents if p.remedy_visible]
        assert text.count("<circle") == 2 * len(stated)  # the wide and the narrow chart
        assert 'id="why"' in text and 'id="reference"' in text
        assert 'stroke-dasharray="6 4"' in text  # the proposed sum's line
        link = soup(text).find(id="download-json")["href"]
        assert client.get(link).json()["check"]["proposed_source"]["kind"] == "form"
        assert client.get(soup(text).find(id="print-note")["href"]).status_code == 200

    def test_money_columns_say_which_money(self, client):
        header = soup(client.get("/suggest", params=QUERY).text).select("#range th.num")
        assert [h.get_text() for h in header] == ["2024 money", "today (2025)"]
        header = soup(client.get("/suggest", params={**QUERY, "year": ""}).text)
        assert [h.get_text() for h in header.select("#range th.num")] == ["2025 money (today)"]

    def test_without_proposed_sum_it_says_how_to_check_one(self, client):
        page = client.get("/suggest", params={**QUERY, "proposed": ""})
        assert page.status_code == 200
        assert "No sum was proposed" in page.text
        assert 'stroke-dasharray="6 4"' not in page.text

    def test_an_empty_form_gives_an_answer_for_an_average_upheld_case(self, client):
        page = client.get("/suggest")
        assert page.status_code == 200
        assert "nothing stated" in page.text
        assert 'id="precedents"' in page.text

    def test_a_decision_other_than_upheld_changes_the_answer_and_is_said(self, client):
        upheld = client.get("/suggest.json", params=QUERY).json()
        refused = client.get("/suggest.json", params={**QUERY, "decision": "not_upheld"}).json()
        assert upheld["range_today"] != refused["range_today"]
        page = client.get("/suggest", params={**QUERY, "decision": "not_upheld"})
        assert "decision: not upheld" in page.text

    def test_k_sets_the_number_of_precedents(self, client):
        page = client.get("/suggest", params={**QUERY, "k": "10"})
        rows = soup(page.text).select("#precedents tbody tr:not(.evidence-missing)")
        assert len(rows) == 10

    def test_markup_in_precedents_is_shown_as_text(self, client):
        page = client.get("/suggest", params=MARKUP_QUERY)
        assert page.status_code == 200
        assert MARKUP_REF in page.text, "the invented case should be the nearest precedent"
        assert "<script>" not in page.text and "<b>bold</b>" not in page.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page.text
        assert "javascript:" not in page.text  # the address is not linked
        assert 'href="https://example.org/decisions/99999002"' in page.text

    def test_markup_typed_into_the_form_is_shown_as_text(self, client):
        page = client.get("/suggest", params={"category": MARKUP, "year": "<i>x</i>"})
        assert page.status_code == 422
        assert "<script>" not in page.text and "<i>x</i>" not in page.text
        assert "&lt;i&gt;x&lt;/i&gt;" in page.text
        refused = client.get("/suggest", params={"category": MARKUP})
        assert refused.status_code == 422 and "unknown category" in refused.text
        assert "<script>" not in refused.text and "&lt;script&gt;" in refused.text

    def test_the_charts_keep_long_labels_inside(self, client):
        page = client.get("/suggest", params=MARKUP_QUERY).text
        for svg in soup(page).select("svg.plot"):
            labels = [t.get_text() for t in svg.find_all("text")]
            assert all(len(t) <= 60 for t in labels)


class TestInvalidInput:
    @pytest.mark.parametrize(
        ("name", "value", "message"),
        [
            ("year", "abc", "enter a year as four digits"),
            ("year", "1990", "outside"),
            ("duration_months", "six", "enter a number of months"),
            ("duration_months", "-2", "greater than or equal to 0"),
            ("respite_lost_weeks", "9999", "less than or equal to 520"),
            ("fault_types", "not_a_fault", "unknown value"),
            ("vulnerable", "giants", "unknown value"),
            ("org_type", "parish", "unknown value"),
            ("decision", "maybe", "unknown value"),
            ("carer_impact", "maybe", "choose yes, no or not known"),
            ("proposed", "lots", "enter a sum in pounds"),
            ("proposed", "-5", "from 0 to"),
            ("k", "7", "choose one of 5, 10, 15, 20"),
        ],
    )
    def test_the_form_comes_back_with_the_message_beside_the_field(
        self, client, name, value, message
    ):
        page = client.get("/suggest", params={**QUERY, name: value})
        assert page.status_code == 422
        assert "Please check the form" in page.text
        beside = error_beside(page.text, name)
        assert beside is not None and message in beside
        others = [n for n in (*forms.CASE_FIELDS, "proposed", "k") if n != name]
        assert [n for n in others if error_beside(page.text, n)] == []

    def test_every_wrong_field_gets_its_message_in_one_round(self, client):
        page = client.get("/suggest", params={"year": "1990", "duration_months": "-2", "k": "3"})
        assert page.status_code == 422
        assert error_beside(page.text, "year") and error_beside(page.text, "duration_months")
        assert error_beside(page.text, "k")
        assert 'value="1990"' in page.text  # what was typed is kept

    def test_pound_signs_and_commas_in_the_proposed_sum_are_read(self, client):
        page = client.get("/suggest", params={**QUERY, "proposed": "£1,200"})
        assert page.status_code == 200
        assert "Proposed £1,200:" in page.text


class TestDownloads:
    def test_json_is_the_answer_with_where_the_sum_came_from(self, client, model):
        reply = client.get("/suggest.json", params=QUERY)
        assert reply.status_code == 200
        assert reply.headers["content-type"] == "application/json"
        assert "attachment" in reply.headers["content-disposition"]
        case = forms.to_query(forms.read_form(forms.MultiMapping(QUERY)))
        expected = api.answer(case, model=model, proposed=500, proposed_from="form").to_dict()
        assert reply.json() == json.loads(json.dumps(expected, default=str))

    def test_json_of_an_invalid_form_is_a_422_naming_the_field(self, client):
        reply = client.get("/suggest.json", params={**QUERY, "year": "abc"})
        assert reply.status_code == 422
        assert reply.json()["detail"][0]["loc"] == ["query", "year"]

    def test_png_figure(self, client):
        reply = client.get("/suggest.png", params=QUERY)
        assert reply.status_code == 200
        assert reply.headers["content-type"] == "image/png"
        assert reply.content.startswith(b"\x89PNG")
        bad = client.get("/suggest.png", params={"duration_months": "x"})
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["query", "duration_months"]

    def test_the_note_is_a_printable_page_with_a_way_back(self, client):
        page = client.get("/note", params=QUERY)
        assert page.status_code == 200 and "@media print" in page.text
        back = soup(page.text).find(id="back")["href"]
        assert back.startswith("/suggest?") and client.get(back).status_code == 200
        assert "Proposed £500" in page.text and soup(page.text).find(id="note-precedents")

    def test_the_note_of_an_invalid_form_is_the_form_again(self, client):
        page = client.get("/note", params={**QUERY, "year": "abc"})
        assert page.status_code == 422 and error_beside(page.text, "year")


API_CASE = {
    "category": "Adult care services > Assessment and care plan",
    "org_type": "county",
    "fault_types": ["respite_not_provided"],
    "duration_months": 6,
    "carer_impact": True,
    "year": 2024,
}


class TestJsonApi:
    def test_it_returns_the_answer(self, client, model):
        reply = client.post("/api/suggest", json=API_CASE, params={"proposed": 800, "k": 3})
        assert reply.status_code == 200
        body = reply.json()
        for key in ("low_gbp", "median_gbp", "high_gbp", "precedents", "check", "range_today"):
            assert key in body
        assert [p["evidence"] for p in body["precedents"]][:3] == ["stated"] * 3
        assert body["check"]["proposed_source"] == {
            "kind": "query", "sentences": [], "case_label": None,
        }  # fmt: skip
        expected = api.answer(API_CASE, model=model, k=3, proposed=800, proposed_from="query")
        assert body == json.loads(json.dumps(expected.to_dict(), default=str))

    def test_a_query_without_decision_is_taken_as_upheld(self, client):
        plain = client.post("/api/suggest", json=API_CASE).json()
        upheld = client.post("/api/suggest", json={**API_CASE, "decision": "upheld"}).json()
        refused = client.post("/api/suggest", json={**API_CASE, "decision": "not_upheld"}).json()
        assert plain["range_today"] == upheld["range_today"] != refused["range_today"]
        assert plain["check"] is None

    @pytest.mark.parametrize(
        ("body", "params", "loc"),
        [
            ({**API_CASE, "year": 2999}, {}, ["body", "year"]),
            ({**API_CASE, "fault_types": ["nope"]}, {}, ["body", "fault_types", 0]),
            ({**API_CASE, "duration_months": -1}, {}, ["body", "duration_months"]),
            ({**API_CASE, "org_type": "parish"}, {}, ["body", "org_type"]),
            ({**API_CASE, "case_ref": "not a ref"}, {}, ["body", "case_ref"]),
            (API_CASE, {"proposed": -1}, ["query", "proposed"]),
            (API_CASE, {"proposed": "lots"}, ["query", "proposed"]),
            (API_CASE, {"k": 0}, ["query", "k"]),
            ([API_CASE], {}, ["body"]),
        ],
    )
    def test_invalid_input_is_a_422_naming_the_field(self, client, body, params, loc):
        reply = client.post("/api/suggest", json=body, params=params)
        assert reply.status_code == 422
        detail = reply.json()["detail"]
        assert detail[0]["loc"][: len(loc)] == loc
        assert detail[0]["msg"]

    def test_text_that_is_not_json_is_refused(self, client):
        reply = client.post(
            "/api/suggest", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert reply.status_code == 422
        assert reply.json()["detail"][0]["loc"][0] == "body"

    def test_an_input_error_from_the_api_names_the_field(self, client, monkeypatch):
        def refuse(*args, **kwargs):
            raise api.InputError(
                "body: duration_months: too long for this test",
                field="duration_months",
                reason="too long for this test",
            )

        monkeypatch.setattr(api, "suggest", refuse)
        reply = client.post("/api/suggest", json=API_CASE)
        assert reply.status_code == 422
        assert reply.json()["detail"][0] == {
            "loc": ["body", "duration_months"],
            "msg": "too long for this test",
            "type": "value_error",
        }

    def test_get_is_not_allowed_and_an_unknown_api_is_a_json_404(self, client):
        assert client.get("/api/suggest").status_code == 405
        missing = client.get("/api/nothing")
        assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}


class TestSchemaPage:
    def test_it_documents_the_request_and_serves_offline(self, client):
        schema = client.get("/openapi.json").json()
        operation = schema["paths"]["/api/suggest"]["post"]
        assert {p["name"] for p in operation["parameters"]} == {"proposed", "k"}
        assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert "/suggest" not in schema["paths"] and "/upload" not in schema["paths"]
        docs = client.get("/docs")
        assert docs.status_code == 200 and "swagger-ui" in docs.text
        assert "cdn" not in docs.text and "https://" not in docs.text
        asset = re.search(r'<script src="([^"]+)"', docs.text).group(1)
        assert client.get(asset).status_code == 200
        assert client.get("/redoc").status_code == 404

    def test_it_documents_the_response_key_by_key(self, client):
        schema = client.get("/openapi.json").json()
        response = schema["paths"]["/api/suggest"]["post"]["responses"]["200"]
        ref = response["content"]["application/json"]["schema"]["$ref"]
        answer = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        keys = set(answer["properties"])
        assert {"payment", "check", "precedents", "low_gbp", "explanation"} <= keys
        undocumented = [k for k, v in answer["properties"].items() if not v.get("description")]
        assert undocumented == []
        check = schema["components"]["schemas"]["Check"]["properties"]
        assert "proposed_source" in check

    def test_a_real_answer_matches_the_documented_response(self, client):
        jsonschema = pytest.importorskip("jsonschema")
        schema = client.get("/openapi.json").json()
        body = client.post("/api/suggest", json=API_CASE, params={"proposed": 300}).json()
        root = {**schema, "$ref": "#/components/schemas/Suggestion"}
        jsonschema.validate(body, root)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**body, "unexpected": 1}, root)


class TestUpload:
    def test_a_draft_fills_the_form_with_the_passage_of_each_value(self, client):
        page = upload(client, "draft.txt", DRAFT_DECISION.encode())
        assert page.status_code == 200
        text = page.text
        assert "Filled from “draft.txt”" in text
        assert 'value="respite_not_provided" checked' in text
        assert control(text, "year")["value"] == "2024"
        assert control(text, "duration_months")["value"] == "9"
        assert control(text, "proposed")["value"] == "750"
        assert control(text, "carer_impact").select_one("option[selected]")["value"] == "yes"
        snippets = {d["data-snippet-for"] for d in soup(text).select("[data-snippet-for]")}
        assert {"year", "duration_months", "fault_types", "proposed"} <= snippets
        assert "nine months" in field_block(text, "duration_months").select_one(".snippet").text
        assert "&lt;i&gt;respite" in text and "<i>" not in text

    def test_each_list_member_has_its_own_passage(self, client):
        text = upload(client, "review.txt", REVIEW).text
        found = {s.get_text() for s in field_block(text, "vulnerable").select(".snippet")}
        assert any(s.startswith("From the draft (child):") for s in found)
        assert any(s.startswith("From the draft (physical disability):") for s in found)

    def test_markup_in_a_file_name_is_shown_as_text(self, client):
        page = upload(client, "<b>draft</b>.txt", DRAFT_DECISION.encode())
        assert page.status_code == 200
        assert "&lt;b&gt;draft&lt;/b&gt;.txt" in page.text and "<b>draft" not in page.text

    def test_an_html_draft_is_read_too(self, client):
        body = "".join(f"<p>{line}</p>\n" for line in DRAFT_DECISION.splitlines() if line.strip())
        html = f"<html><body>{body}</body></html>".encode()
        page = upload(client, "draft.html", html, "text/html")
        assert page.status_code == 200
        assert 'value="respite_not_provided" checked' in page.text

    def test_a_document_without_a_decision_says_so(self, client):
        page = upload(client, "notes.txt", b"Shopping list: milk, eggs and bread.\n")
        assert page.status_code == 422
        message = error_beside(page.text, "document")
        assert message and message.startswith("Could not read the document")
        assert "notes.txt" in message
        assert "remedy-upload-" not in page.text and "/tmp" not in page.text

    @pytest.mark.parametrize(
        ("name", "status", "message"),
        [("draft.docx", 415, "Upload a .txt, .html or .pdf file."), ("", 400, "Choose a file")],
    )
    def test_a_wrong_file_type_or_no_file(self, client, name, status, message):
        page = upload(client, name, b"hello")
        assert page.status_code == status
        assert message in error_beside(page.text, "document")

    def test_no_file_field(self, client):
        page = client.post("/upload", data={"something": "else"})
        assert page.status_code == 400
        assert "Choose a file" in error_beside(page.text, "document")

    def test_beyond_the_limit_gets_a_clear_message(self, client):
        page = upload(client, "big.txt", b"a" * (MAX_UPLOAD_BYTES + 1))
        assert page.status_code == 413
        assert "larger than 5 MB" in error_beside(page.text, "document")

    def test_just_past_the_limit_inside_the_form_slack_is_refused(self, client):
        # Small enough to pass the declared-length check, too big once the file itself is read.
        page = upload(client, "big.txt", b"a" * (MAX_UPLOAD_BYTES + 10))
        assert page.status_code == 413

    def test_streamed_without_a_length_is_cut_off(self, client):
        boundary = "xyzzy"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="a.txt"'
            "\r\nContent-Type: text/plain\r\n\r\n"
        ).encode()

        def chunks():
            yield head
            for _ in range(7):
                yield b"a" * (1024 * 1024)
            yield f"\r\n--{boundary}--\r\n".encode()

        page = client.post(
            "/upload",
            content=chunks(),
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        )
        assert page.status_code == 413
        assert "larger than 5 MB" in page.text

    def test_not_multipart(self, client):
        page = client.post(
            "/upload",
            content=b"--broken\r\nnot a form",
            headers={"content-type": "multipart/form-data; boundary=other"},
        )
        assert page.status_code == 400


class TestDraftCheck:
    """A draft's own remedy is checked on the web as on the command line."""

    def test_the_drafts_total_is_checked_and_its_sentences_shown(self, client):
        form = upload(client, "draft.txt", DRAFT_DECISION.encode()).text
        page = client.get("/suggest?" + urlencode(submitted(form)))
        assert page.status_code == 200
        verdict = soup(page.text).find(id="verdict").get_text(" ", strip=True)
        assert verdict.startswith("Proposed £750 (the draft's symbolic total):")
        assert "From the draft: “" in verdict and "£750" in verdict
        assert soup(page.text).find(id="draft-purposes") is not None
        read = soup(page.text).find(id="draft-read").get_text(" ", strip=True)
        assert "nine months" in read and "changed in the form" not in read

    def test_several_cases_are_offered_and_each_can_be_chosen(self, client):
        form = upload(client, "review.txt", REVIEW).text
        links = soup(form).select("#draft-cases a")
        assert [a.get_text() for a in links] == ["Asha", "Bilal", "Carys"]
        bilal = client.get(links[1]["href"]).text
        assert "case Bilal" in soup(bilal).find(id="document-note").get_text()
        assert control(bilal, "proposed")["value"] == "700"
        remedy = soup(bilal).find(id="draft-remedy").get_text(" ", strip=True)
        assert "£6,200 waived charge" in remedy and "listed, not judged" in remedy
        page = client.get("/suggest?" + urlencode(submitted(bilal))).text
        assert "Proposed £700 (the draft" in page
        assert "Financial sums (listed, not judged): £6,200 waived charge" in page

    def test_a_draft_stating_no_sum_is_answered_without_a_check(self, client):
        form = upload(client, "review.txt", REVIEW).text
        carys = client.get(soup(form).select("#draft-cases a")[2]["href"]).text
        assert "The draft states no symbolic sum" in carys
        page = client.get("/suggest?" + urlencode(submitted(carys))).text
        assert "The draft states no symbolic sum, so there is nothing to check" in page
        assert "data-verdict" not in page

    def test_a_changed_sum_or_value_is_said_to_come_from_the_form(self, client):
        pairs = submitted(upload(client, "draft.txt", DRAFT_DECISION.encode()).text)
        changed = resend(pairs, proposed="900", duration_months="3")
        page = client.get("/suggest?" + urlencode(changed))
        verdict = soup(page.text).find(id="verdict").get_text(" ", strip=True)
        assert verdict.startswith("Proposed £900:") and "From the draft" not in verdict
        assert "changed in the form" in soup(page.text).find(id="draft-read").get_text()
        blank = client.get("/suggest?" + urlencode(resend(pairs, proposed="")))
        assert "data-verdict" not in blank.text

    def test_the_json_and_the_note_carry_the_draft(self, client):
        pairs = submitted(upload(client, "review.txt", REVIEW).text)
        data = client.get("/suggest.json?" + urlencode(pairs)).json()
        assert data["draft"]["case_labels"] == ["Asha", "Bilal", "Carys"]
        assert data["check"]["proposed_source"]["kind"] == "document"
        note = client.get("/note?" + urlencode(pairs)).text
        assert "Read from the draft" in note and "cerebral palsy" in note

    def test_a_draft_no_longer_held_is_said_and_the_form_kept(self, client):
        pairs = submitted(upload(client, "draft.txt", DRAFT_DECISION.encode()).text)
        gone = resend(pairs, draft="A" * 22)
        page = client.get("/suggest?" + urlencode(gone))
        assert page.status_code == 422 and "no longer held" in page.text
        assert control(page.text, "duration_months")["value"] == "9"
        assert 'name="draft"' not in page.text  # sending it again answers without the draft
        form = client.get("/", params={"draft": "A" * 22})
        assert form.status_code == 404 and "no longer held" in form.text
        reply = client.get("/suggest.json?" + urlencode(gone))
        assert reply.status_code == 422 and reply.json()["detail"][0]["loc"] == ["query", "draft"]

    @pytest.mark.parametrize("case", ["9", "-1", "x", "1" * 40])
    def test_a_case_the_draft_does_not_hold_is_a_404(self, client, case):
        token = dict(submitted(upload(client, "review.txt", REVIEW).text))["draft"]
        page = client.get("/", params={"draft": token, "case": case})
        assert page.status_code == 404 and "There is no case" in page.text


class TestHostileDraftParameters:
    @pytest.mark.parametrize(
        "params",
        [
            {"draft": "<script>alert(1)</script>"},
            {"draft": "A" * 5000},
            {"draft": "", "case": "1"},
            {"draft": "../../etc/passwd", "case": "0"},
            {"case": "<b>1</b>"},
            {"draft": ["x" * 20, "y" * 20]},
        ],
    )
    def test_any_draft_parameter_is_answered_with_a_page_or_a_4xx(self, client, params):
        for route in ("/", "/suggest", "/note", "/suggest.json"):
            reply = client.get(route, params=params)
            assert reply.status_code in (200, 404, 422), (route, reply.status_code)
            assert "<script>" not in reply.text and "Traceback" not in reply.text


class TestDraftStore:
    def test_a_draft_is_held_for_a_while_then_forgotten(self):
        now = [0.0]
        store = drafts.DraftStore(size=2, seconds=10, clock=lambda: now[0])
        draft = api.Draft("d.txt", [api.DraftCase("case 1", api.Case())])
        token = store.put(draft)
        assert store.get(token) is draft
        now[0] = 11
        assert store.get(token) is None

    def test_only_the_newest_are_kept(self):
        store = drafts.DraftStore(size=2)
        tokens = [store.put(api.Draft(f"{i}.txt", [])) for i in range(3)]
        assert store.get(tokens[0]) is None
        assert store.get(tokens[2]).source == "2.txt"

    @pytest.mark.parametrize("token", ["", "short", "../../etc/passwd" * 2, "A" * 100])
    def test_a_malformed_token_finds_nothing(self, token):
        assert drafts.DraftStore().get(token) is None


class TestSharedDrafts:
    """``remedy serve --workers``: a draft read by one process is found by the others."""

    def test_a_draft_put_in_one_process_is_found_from_another(self):
        import subprocess
        import sys

        from remedy_model.web.shared_drafts import SharedDrafts, start

        manager, where = start()
        try:
            here = SharedDrafts(where)
            token = here.put(api.Draft("review.txt", [api.DraftCase("case 1", api.Case())]))
            code = (
                "from remedy_model.web.shared_drafts import SharedDrafts\n"
                f"print(SharedDrafts({where!r}).get({token!r}).source)"
            )
            other = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
            )
            assert other.stdout.strip() == "review.txt", other.stderr
            assert here.get("A" * 22) is None
        finally:
            manager.shutdown()
        assert here.get(token) is None  # the store has stopped: not held, and no error

    def test_the_app_of_a_worker_holds_drafts_in_the_shared_store(self, model_file, monkeypatch):
        from remedy_model.web import app as web_app
        from remedy_model.web.shared_drafts import SERVE_DRAFTS, SharedDrafts, start

        manager, where = start()
        try:
            monkeypatch.setenv(web_app.SERVE_MODEL, str(model_file))
            monkeypatch.setenv(SERVE_DRAFTS, where)
            assert isinstance(web_app.app_from_environment().state.drafts, SharedDrafts)
        finally:
            manager.shutdown()


class TestTrends:
    def test_the_report_sits_in_the_apps_navigation_with_its_csvs(self, client, monkeypatch):
        first = client.get("/trends")
        assert first.status_code == 200
        assert "Ombudsman remedy trends" in first.text
        nav = soup(first.text).find(id="app-nav")
        assert [a["href"] for a in nav.find_all("a")][:3] == ["/", "/", "/trends"]
        links = [a["href"] for a in soup(first.text).select("#trends-tables a")]
        assert "/trends/by_year.csv" in links
        table = client.get(links[0])
        assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
        assert table.text.splitlines()[0].count(",") >= 1
        monkeypatch.setattr(web_trends, "build_trends_page", lambda: pytest.fail("built twice"))
        assert client.get("/trends").text == first.text

    def test_an_unknown_table_is_a_404(self, client):
        assert client.get("/trends/nothing.csv").status_code == 404
        assert client.get("/trends/..%2Fsecret.csv").status_code == 404

    def test_when_the_report_cannot_be_built(self, model, monkeypatch):
        def broken():
            raise api.RemedyError("cases.jsonl: file is empty")

        monkeypatch.setattr(web_trends, "build_trends_page", broken)
        page = TestClient(create_app(model=model), base_url="http://127.0.0.1").get("/trends")
        assert page.status_code == 503
        assert "could not be built: cases.jsonl: file is empty" in page.text


class TestErrors:
    def test_an_unknown_page_is_a_404_page(self, client):
        page = client.get("/no/such/page")
        assert page.status_code == 404
        assert "Page not found" in page.text
        assert page.headers["content-type"].startswith("text/html")

    def test_a_wrong_method_on_a_page(self, client):
        page = client.post("/suggest")
        assert page.status_code == 405 and "Not allowed here" in page.text

    def test_a_server_error_shows_no_traceback(self, model, monkeypatch):
        def explode(*args, **kwargs):
            raise RuntimeError("secret internal detail")

        monkeypatch.setattr(api, "suggest", explode)
        client = TestClient(
            create_app(model=model), base_url="http://127.0.0.1", raise_server_exceptions=False
        )
        page = client.get("/suggest", params=QUERY)
        assert page.status_code == 500
        assert "Something went wrong" in page.text
        assert "secret" not in page.text and "Traceback" not in page.text
        reply = client.post("/api/suggest", json=API_CASE)
        assert reply.status_code == 500 and "secret" not in reply.text


class TestApp:
    def test_it_is_not_in_debug_mode(self, client):
        assert client.app.debug is False

    def test_it_loads_a_model_path_and_refuses_a_bad_one(self, model_file, tmp_path):
        assert create_app(model_path=model_file).state.model.info["n_cases"] > 0
        bad = tmp_path / "bad.npz"
        bad.write_bytes(b"not a model")
        with pytest.raises(ModelFileError):
            create_app(model_path=bad)

    def test_the_web_imports_only_the_api_and_style_of_the_package(self):
        folder = Path(__file__).parents[1] / "remedy_model" / "web"
        allowed = {"remedy_model", "remedy_model.api", "remedy_model.style"}
        for path in folder.glob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                    names = [node.module] if node.module != "remedy_model" else names[1:]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                for name in names:
                    if name.startswith("remedy_model"):
                        assert name in allowed or name.startswith("remedy_model.web"), (
                            path.name,
                            name,
                        )


class TestServeCommand:
    def test_it_binds_to_localhost_and_prints_the_address(self, model_file, monkeypatch, capsys):
        import uvicorn

        from remedy_model.cli import main

        calls = []
        monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
        monkeypatch.setattr(serve_module, "check_can_listen", lambda host, port: None)
        assert main(["serve", "--model", str(model_file)]) == 0
        ((app, kw),) = calls
        assert kw["host"] == "127.0.0.1" and kw["port"] == 8000
        assert app.debug is False
        assert "http://127.0.0.1:8000/" in capsys.readouterr().out

    def test_another_host_warns(self, model_file, monkeypatch, capsys):
        import uvicorn

        from remedy_model.cli import main

        calls = []
        monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
        monkeypatch.setattr(serve_module, "check_can_listen", lambda host, port: None)
        assert main(["serve", "--model", str(model_file), "--host", "::1", "--port", "8123"]) == 0
        assert calls[0]["host"] == "::1" and calls[0]["port"] == 8123
        out = capsys.readouterr()
        assert "http://[::1]:8123/" in out.out and out.err == ""
        assert main(["serve", "--model", str(model_file), "--host", "0.0.0.0"]) == 0
        assert "other machines may reach the page" in capsys.readouterr().err

    def test_a_bad_model_is_a_one_line_error(self, tmp_path, monkeypatch, capsys):
        import uvicorn

        from remedy_model.cli import main

        monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("should not start"))
        bad = tmp_path / "bad.npz"
        bad.write_bytes(b"junk")
        assert main(["serve", "--model", str(bad)]) == 2
        assert capsys.readouterr().err.startswith("error: ")

    def test_a_busy_port_is_a_one_line_error(self, model_file, monkeypatch, capsys):
        import socket

        import uvicorn

        from remedy_model.cli import main

        monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("should not start"))
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            assert main(["serve", "--model", str(model_file), "--port", str(port)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: cannot listen on 127.0.0.1:{port}") and err.count("\n") == 1


@pytest.mark.slow
class TestServeWorkers:
    """``remedy serve --workers 2`` answers from two processes sharing the port."""

    def test_two_workers_answer_pages_and_the_api(self, model_file):
        import http.client
        import socket
        import subprocess
        import sys
        import time

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        args = [sys.executable, "-m", "remedy_model.cli", "serve", "--port", str(port),
                "--workers", "2", "--model", str(model_file)]  # fmt: skip
        server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            statuses, deadline = [], time.monotonic() + 60
            while len(statuses) < 6 and time.monotonic() < deadline:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    conn.request("POST", "/api/suggest", body=json.dumps(API_CASE),
                                 headers={"Content-Type": "application/json"})  # fmt: skip
                    response = conn.getresponse()
                    statuses.append((response.status, json.loads(response.read())["p_payment"]))
                except (OSError, http.client.HTTPException):
                    time.sleep(0.3)
            assert len(statuses) == 6
            assert {status for status, _ in statuses} == {200}
            assert len({p for _, p in statuses}) == 1  # both processes give the same answer
        finally:
            server.terminate()
            server.wait(20)
