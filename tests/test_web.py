"""The web page and its JSON API, through FastAPI's test client: every route, every error path.

The model is trained once for this module on the embedded cases plus a few invented ones (no
decision text), one of which carries markup and a ``javascript:`` address in its fields, so the
escaping of everything shown can be checked on a real result page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from remedy_model import api
from remedy_model.errors import ModelFileError
from remedy_model.web import app as web_app
from remedy_model.web import command as serve_module
from remedy_model.web import forms
from remedy_model.web.app import MAX_UPLOAD_BYTES, create_app

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


def field_block(page: str, name: str):
    """One field's block (label, control, message, snippets) in the case form."""
    block = BeautifulSoup(page, "html.parser").select_one(f'[data-field="{name}"]')
    assert block is not None, f"no block for field {name}"
    return block


def error_beside(page: str, name: str) -> str | None:
    """The message shown beside a field, or None."""
    found = field_block(page, name).select_one(".error")
    return found.get_text() if found else None


def control(page: str, name: str):
    """The input or select of a field."""
    return BeautifulSoup(page, "html.parser").find(id=name)


# --- the form -------------------------------------------------------------------------------


def test_form_offers_every_field_and_vocabulary(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for name in (*forms.CASE_FIELDS, "proposed", "k"):
        assert f'name="{name}"' in page.text, name
    for name in ("org_type", "decision", "fault_types", "vulnerable"):
        for code, _ in forms.OPTIONS[name]:
            assert f'value="{code}"' in page.text
    assert "Housing &gt; Invented markup test" in page.text  # category suggestions, escaped
    assert 'action="/upload"' in page.text  # ingest is installed


def test_form_is_prefilled_from_query_parameters_without_messages(client):
    page = client.get("/", params={**QUERY, "year": "abc"})
    assert page.status_code == 200
    assert 'value="respite_not_provided" checked' in page.text
    assert 'value="abc"' in page.text
    assert 'class="error"' not in page.text


def test_pages_send_security_headers_and_no_external_references(client):
    page = client.get("/suggest", params=QUERY)
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    # Links to the public decision pages are fine; nothing is loaded from elsewhere.
    assert not re.search(r'src="(?:https?:)?//', page.text)
    assert "<link" not in page.text and "<script" not in page.text and "@import" not in page.text


# --- the result page -------------------------------------------------------------------------


def test_result_page_shows_range_verdict_plot_precedents_and_download(client, model):
    page = client.get("/suggest", params=QUERY)
    assert page.status_code == 200
    expected = api.suggest(
        forms.to_query(forms.read_form(forms.MultiMapping(QUERY))), model=model, proposed=500
    )
    text = page.text
    for key in ("low", "median", "high"):
        row = re.search(rf'<tr id="range-{key}">(.*?)</tr>', text, re.DOTALL).group(1)
        assert f"£{expected.amount_if_paid_nominal[key]:,.0f}" in row
        assert f"£{expected.amount_if_paid_today[key]:,.0f}" in row
    assert expected.check.reason.replace("'", "&#39;") in text
    assert 'id="verdict"' in text and f'data-verdict="{expected.check.verdict}"' in text
    assert f"tone-{expected.check.tone}" in text
    assert f"{expected.payment.precedents_paid} of the 15 most similar upheld cases" in text
    table = re.search(r'<table class="precedents".*?</table>', text, re.DOTALL).group(0)
    assert table.count("<tr") == len(expected.precedents) + 1
    for p in expected.precedents:
        assert p.label in table
    stated = [p for p in expected.precedents if p.remedy_visible]
    assert "<svg" in text and text.count("<circle") == len(stated)
    assert 'id="why"' in text and 'id="reference"' in text
    assert 'stroke-dasharray="6 4"' in text  # the proposed sum's line
    link = re.search(r'<a href="/suggest\.json\?([^"]+)" id="download-json"', text)
    assert link and client.get("/suggest.json?" + link.group(1).replace("&amp;", "&")).json()


def test_result_without_proposed_sum_says_how_to_check_one(client):
    page = client.get("/suggest", params={**QUERY, "proposed": ""})
    assert page.status_code == 200
    assert "No sum was proposed" in page.text
    assert 'stroke-dasharray="6 4"' not in page.text


def test_empty_form_gives_an_answer_for_an_average_upheld_case(client):
    page = client.get("/suggest")
    assert page.status_code == 200
    assert "nothing entered" in page.text
    assert 'id="precedents"' in page.text


def test_decision_other_than_upheld_changes_the_answer_and_is_said(client):
    upheld = client.get("/suggest.json", params=QUERY).json()
    refused = client.get("/suggest.json", params={**QUERY, "decision": "not_upheld"}).json()
    assert upheld["range_today"] != refused["range_today"]
    page = client.get("/suggest", params={**QUERY, "decision": "not_upheld"})
    assert "decision: not upheld" in page.text


def test_k_sets_the_number_of_precedents(client):
    page = client.get("/suggest", params={**QUERY, "k": "10"})
    table = re.search(r'<table class="precedents".*?</table>', page.text, re.DOTALL).group(0)
    assert table.count("<tr>") - 1 == 10  # header + 10 stated; unstated rows carry a class


def test_markup_in_precedents_is_shown_as_text(client):
    page = client.get("/suggest", params=MARKUP_QUERY)
    assert page.status_code == 200
    assert MARKUP_REF in page.text, "the invented case should be the nearest precedent"
    assert "<script>" not in page.text and "<b>bold</b>" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page.text
    assert "javascript:" not in page.text  # the address is not linked
    assert 'href="https://example.org/decisions/99999002"' in page.text


def test_markup_typed_into_the_form_is_shown_as_text(client):
    page = client.get("/suggest", params={"category": MARKUP, "year": "<i>x</i>"})
    assert page.status_code == 422
    assert "<script>" not in page.text and "<i>x</i>" not in page.text
    assert "&lt;i&gt;x&lt;/i&gt;" in page.text
    refused = client.get("/suggest", params={"category": MARKUP})
    assert refused.status_code == 422 and "unknown category" in refused.text
    assert "<script>" not in refused.text and "&lt;script&gt;" in refused.text


# --- invalid input: the form again, the message beside the field --------------------------


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
def test_invalid_field_shows_the_form_with_the_message_beside_it(client, name, value, message):
    page = client.get("/suggest", params={**QUERY, name: value})
    assert page.status_code == 422
    assert "Please check the form" in page.text
    beside = error_beside(page.text, name)
    assert beside is not None and message in beside
    others = [n for n in (*forms.CASE_FIELDS, "proposed", "k") if n != name]
    assert [n for n in others if error_beside(page.text, n)] == []


def test_every_wrong_field_gets_its_message_in_one_round(client):
    page = client.get("/suggest", params={"year": "1990", "duration_months": "-2", "k": "3"})
    assert page.status_code == 422
    assert error_beside(page.text, "year") and error_beside(page.text, "duration_months")
    assert error_beside(page.text, "k")
    assert 'value="1990"' in page.text  # what was typed is kept


def test_pound_signs_and_commas_in_the_proposed_sum_are_read(client):
    page = client.get("/suggest", params={**QUERY, "proposed": "£1,200"})
    assert page.status_code == 200
    assert "Proposed £1,200:" in page.text


# --- downloads -------------------------------------------------------------------------------


def test_json_download_is_what_the_cli_prints(client, model):
    reply = client.get("/suggest.json", params=QUERY)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    assert "attachment" in reply.headers["content-disposition"]
    case = forms.to_query(forms.read_form(forms.MultiMapping(QUERY)))
    expected = api.suggest(case, model=model, proposed=500).to_dict()
    assert reply.json() == json.loads(json.dumps(expected, default=str))


def test_json_download_of_an_invalid_form_is_a_422_naming_the_field(client):
    reply = client.get("/suggest.json", params={**QUERY, "year": "abc"})
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["loc"] == ["query", "year"]


def test_png_figure_download(client):
    reply = client.get("/suggest.png", params=QUERY)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "image/png"
    assert reply.content.startswith(b"\x89PNG")
    bad = client.get("/suggest.png", params={"duration_months": "x"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "duration_months"]


# --- the JSON API ----------------------------------------------------------------------------

API_CASE = {
    "category": "Adult care services > Assessment and care plan",
    "org_type": "county",
    "fault_types": ["respite_not_provided"],
    "duration_months": 6,
    "carer_impact": True,
    "year": 2024,
}


def test_api_returns_what_remedy_suggest_json_prints(client, model):
    reply = client.post("/api/suggest", json=API_CASE, params={"proposed": 800, "k": 3})
    assert reply.status_code == 200
    body = reply.json()
    for key in ("low_gbp", "median_gbp", "high_gbp", "precedents", "check", "range_today"):
        assert key in body
    assert [p["evidence"] for p in body["precedents"]][:3] == ["stated"] * 3
    expected = api.suggest(API_CASE, model=model, k=3, proposed=800).to_dict()
    assert body == json.loads(json.dumps(expected, default=str))


def test_api_takes_a_query_without_decision_as_upheld(client):
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
def test_api_invalid_input_is_a_422_naming_the_field(client, body, params, loc):
    reply = client.post("/api/suggest", json=body, params=params)
    assert reply.status_code == 422
    detail = reply.json()["detail"]
    assert detail[0]["loc"][: len(loc)] == loc
    assert detail[0]["msg"]


def test_api_refuses_text_that_is_not_json(client):
    reply = client.post(
        "/api/suggest", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["loc"][0] == "body"


def test_api_input_error_from_the_api_names_the_field(client, monkeypatch):
    from remedy_model.errors import InputError

    def refuse(*args, **kwargs):
        raise InputError(
            "body: duration_months: too long for this test",
            field="duration_months",
            reason="too long for this test",
        )

    monkeypatch.setattr(web_app.api, "suggest", refuse)
    reply = client.post("/api/suggest", json=API_CASE)
    assert reply.status_code == 422
    assert reply.json()["detail"][0] == {
        "loc": ["body", "duration_months"],
        "msg": "too long for this test",
        "type": "value_error",
    }


def test_api_get_is_not_allowed_and_unknown_api_is_json_404(client):
    assert client.get("/api/suggest").status_code == 405
    missing = client.get("/api/nothing")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}


def test_schema_page_documents_the_api_without_a_cdn(client):
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/suggest"]["post"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {"proposed", "k"}
    assert "requestBody" in operation
    assert "/suggest" not in schema["paths"] and "/upload" not in schema["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    assert "cdn" not in docs.text and "https://" not in docs.text
    asset = re.search(r'<script src="([^"]+)"', docs.text).group(1)
    assert client.get(asset).status_code == 200
    assert client.get("/redoc").status_code == 404


# --- documents -------------------------------------------------------------------------------


def upload(client, name: str, data: bytes, content_type: str = "text/plain"):
    return client.post("/upload", files={"document": (name, data, content_type)})


def test_uploaded_draft_fills_the_form_with_snippets(client):
    page = upload(client, "draft.txt", DRAFT_DECISION.encode())
    assert page.status_code == 200
    text = page.text
    assert "Filled from “draft.txt”" in text
    assert 'value="respite_not_provided" checked' in text
    assert control(text, "year")["value"] == "2024"
    assert control(text, "duration_months")["value"] == "9"
    assert control(text, "proposed")["value"] == "750"
    assert control(text, "carer_impact").select_one("option[selected]")["value"] == "yes"
    snippets = {
        d["data-snippet-for"] for d in BeautifulSoup(text, "html.parser").select(".snippet")
    }
    assert {"year", "duration_months", "fault_types", "proposed"} <= snippets
    assert "nine months" in field_block(text, "duration_months").select_one(".snippet").text
    assert "&lt;i&gt;respite" in text and "<i>" not in text


def test_markup_in_an_uploaded_file_name_is_shown_as_text(client):
    page = upload(client, "<b>draft</b>.txt", DRAFT_DECISION.encode())
    assert page.status_code == 200
    assert "&lt;b&gt;draft&lt;/b&gt;.txt" in page.text and "<b>draft" not in page.text


def test_uploaded_html_draft_is_read_too(client):
    body = "".join(f"<p>{line}</p>\n" for line in DRAFT_DECISION.splitlines() if line.strip())
    page = upload(client, "draft.html", f"<html><body>{body}</body></html>".encode(), "text/html")
    assert page.status_code == 200
    assert 'value="respite_not_provided" checked' in page.text


def test_upload_of_a_document_without_a_decision_says_so(client):
    page = upload(client, "notes.txt", b"Shopping list: milk, eggs and bread for the weekend.\n")
    assert page.status_code == 422
    message = error_beside(page.text, "document")
    assert message and message.startswith("Could not read the document")
    assert "remedy-upload-" not in page.text and "/tmp" not in page.text


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [("draft.docx", 415, "Upload a .txt, .html or .pdf file."), ("", 400, "Choose a file")],
)
def test_upload_of_a_wrong_file_type_or_no_file(client, name, status, message):
    page = upload(client, name, b"hello")
    assert page.status_code == status
    assert message in error_beside(page.text, "document")


def test_upload_without_a_file_field(client):
    page = client.post("/upload", data={"something": "else"})
    assert page.status_code == 400
    assert "Choose a file" in error_beside(page.text, "document")


def test_upload_beyond_the_limit_gets_a_clear_message(client):
    page = upload(client, "big.txt", b"a" * (MAX_UPLOAD_BYTES + 1))
    assert page.status_code == 413
    assert "larger than 5 MB" in error_beside(page.text, "document")


def test_upload_just_past_the_limit_inside_the_form_slack_is_refused(client):
    # Small enough to pass the declared-length check, too big once the file itself is read.
    page = upload(client, "big.txt", b"a" * (MAX_UPLOAD_BYTES + 10))
    assert page.status_code == 413


def test_upload_streamed_without_a_length_is_cut_off(client):
    boundary = "xyzzy"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
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


def test_upload_that_is_not_multipart(client):
    page = client.post(
        "/upload",
        content=b"--broken\r\nnot a form",
        headers={"content-type": "multipart/form-data; boundary=other"},
    )
    assert page.status_code == 400


def test_without_ingest_the_upload_option_is_absent(model, monkeypatch):
    monkeypatch.setattr(web_app, "document_reader", lambda: None)
    client = TestClient(create_app(model=model), base_url="http://127.0.0.1")
    assert 'action="/upload"' not in client.get("/").text
    reply = upload(client, "draft.txt", DRAFT_DECISION.encode())
    assert reply.status_code == 404 and "Page not found" in reply.text


def test_snippets_of_keeps_only_symbolic_payments_for_the_proposed_sum():
    record = {
        "payments": [{"symbolic": True}, {"symbolic": False}],
        "provenance": {
            "payments[0]": {"span": [0, 4], "quote": "£500 for distress"},
            "payments[1]": {"span": [5, 9], "quote": "refund of £2,000"},
            "vulnerable.older_person": {"span": [0, 3], "quote": "aged 90"},
        },
    }
    found = web_app.snippets_of(record)
    assert found["proposed"] == [{"value": None, "quote": "£500 for distress"}]
    assert found["vulnerable"] == [{"value": "older person", "quote": "aged 90"}]


# --- trends ----------------------------------------------------------------------------------


def test_trends_page_shows_the_report_built_once(client, monkeypatch):
    first = client.get("/trends")
    assert first.status_code == 200
    assert "Ombudsman remedy trends" in first.text
    assert 'href="/"' in first.text  # the way back
    monkeypatch.setattr(web_app, "build_trends_html", lambda: pytest.fail("built twice"))
    assert client.get("/trends").text == first.text


def test_trends_page_without_the_trends_package_says_so(model, monkeypatch):
    monkeypatch.setattr(web_app, "build_trends_html", lambda: None)
    page = TestClient(create_app(model=model), base_url="http://127.0.0.1").get("/trends")
    assert page.status_code == 200
    assert "not part of this installation" in page.text


def test_trends_page_when_the_report_cannot_be_built(model, monkeypatch):
    from remedy_model.errors import DataError

    def broken():
        raise DataError("cases.jsonl: file is empty")

    monkeypatch.setattr(web_app, "build_trends_html", broken)
    page = TestClient(create_app(model=model), base_url="http://127.0.0.1").get("/trends")
    assert page.status_code == 503
    assert "could not be built: cases.jsonl: file is empty" in page.text


# --- other errors ----------------------------------------------------------------------------


def test_unknown_page_is_a_404_page(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "Page not found" in page.text and page.headers["content-type"].startswith("text/html")


def test_wrong_method_on_a_page(client):
    page = client.post("/suggest")
    assert page.status_code == 405 and "Not allowed here" in page.text


def test_server_error_shows_no_traceback(model, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(web_app.api, "suggest", explode)
    client = TestClient(
        create_app(model=model), base_url="http://127.0.0.1", raise_server_exceptions=False
    )
    page = client.get("/suggest", params=QUERY)
    assert page.status_code == 500
    assert "Something went wrong" in page.text
    assert "secret" not in page.text and "Traceback" not in page.text
    reply = client.post("/api/suggest", json=API_CASE)
    assert reply.status_code == 500 and "secret" not in reply.text


def test_app_is_not_in_debug_mode(client):
    assert client.app.debug is False


def test_create_app_loads_a_model_path_and_refuses_a_bad_one(model_file, tmp_path):
    assert create_app(model_path=model_file).state.model.info["n_cases"] > 0
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelFileError):
        create_app(model_path=bad)


# --- the command -----------------------------------------------------------------------------


def test_serve_binds_to_localhost_and_prints_the_address(model_file, monkeypatch, capsys):
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


def test_serve_on_another_host_warns(model_file, monkeypatch, capsys):
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


def test_serve_with_a_bad_model_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    import uvicorn

    from remedy_model.cli import main

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("should not start"))
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"junk")
    assert main(["serve", "--model", str(bad)]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_serve_on_a_busy_port_is_a_one_line_error(model_file, monkeypatch, capsys):
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
