"""Hostile requests to the web app: Host checked, bodies bounded, never a 500, strict JSON.

The app runs on the small model trained on the synthetic fixtures (``trained``); requests go
through FastAPI's test client at 127.0.0.1, and one test through a real uvicorn server.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remedy_model import api
from remedy_model.cli import serve as serve_module
from remedy_model.web import forms
from remedy_model.web.app import create_app
from remedy_model.web.security import API_BODY_LIMIT, allowed_hosts
from tests.conftest import synthetic_cases

CASE = {"fault_types": ["charging"], "duration_months": 4, "year": 2023}
FORM = {"fault_types": "charging", "duration_months": "4", "year": "2023", "proposed": "300"}
HUGE = "1" * 5000
"""A 5,000-digit number: past Python's limit for converting text to an integer."""


@pytest.fixture(scope="module")
def app(trained):
    return create_app(model=trained.model)


@pytest.fixture(scope="module")
def client(app) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


def strict_json(text: str):
    """Parse JSON as strict parsers do: ``NaN`` and ``Infinity`` are errors."""
    return json.loads(text, parse_constant=pytest.fail)


class TestHostHeader:
    """Only this machine's names and the host given to ``serve`` are answered (rebinding)."""

    @pytest.mark.parametrize(
        "host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "", "0x7f.1"]
    )
    def test_other_hosts_get_400(self, client, host):
        for answer in (
            client.get("/", headers={"host": host}),
            client.post("/api/suggest", json=CASE, headers={"host": host}),
            client.get("/docs", headers={"host": host}),
        ):
            assert answer.status_code == 400
            assert answer.json() == {"detail": "This server answers only at its own address."}
            assert answer.headers["x-content-type-options"] == "nosniff"

    @pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "LOCALHOST:80", "[::1]:8000"])
    def test_local_names_are_answered(self, client, host):
        assert client.get("/", headers={"host": host}).status_code == 200

    def test_the_host_given_to_create_app_is_answered(self, trained):
        client = TestClient(create_app(model=trained.model, host="192.168.7.7"))
        assert client.get("/", headers={"host": "192.168.7.7:8000"}).status_code == 200
        assert client.get("/", headers={"host": "192.168.7.8:8000"}).status_code == 400

    def test_serve_allows_its_own_host(self, trained, monkeypatch):
        import uvicorn

        from remedy_model.cli import main

        apps = []
        monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
        monkeypatch.setattr(serve_module, "check_can_listen", lambda host, port: None)
        assert main(["serve", "--model", str(trained.path), "--host", "10.1.2.3"]) == 0
        client = TestClient(apps[0])
        assert client.get("/", headers={"host": "10.1.2.3:8000"}).status_code == 200
        assert client.get("/", headers={"host": "attacker.example"}).status_code == 400

    def test_every_interface_adds_this_machines_name(self):
        names = allowed_hosts("0.0.0.0")
        assert socket.gethostname().lower() in names and "localhost" in names
        assert allowed_hosts("::1") == allowed_hosts() == {"127.0.0.1", "localhost", "::1"}


class TestHead:
    """HEAD is answered like GET, without the body."""

    def test_head_of_the_form(self, client):
        head, get = client.head("/"), client.get("/")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["content-length"] == str(len(get.content))

    def test_head_of_a_download_and_of_a_missing_page(self, client):
        head = client.head("/suggest.json", params=FORM)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == "application/json"
        assert client.head("/no/such/page").status_code == 404

    def test_head_through_a_real_server(self, app):
        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 30
            while not server.started:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("HEAD", "/")
            answer = connection.getresponse()
            assert answer.status == 200 and answer.read() == b""
            connection.request("GET", "/", headers={"Host": "rebound.example"})
            assert connection.getresponse().status == 400
        finally:
            server.should_exit = True
            thread.join(timeout=30)


class TestBodyLimit:
    """``/api/suggest`` answers 413 to a body over 64 KB before reading it whole."""

    def test_declared_length_over_the_limit(self, client):
        body = json.dumps({**CASE, "summary": "x" * API_BODY_LIMIT}).encode()
        answer = client.post("/api/suggest", content=body)
        assert answer.status_code == 413
        assert answer.json() == {"detail": "The request body is larger than 64 KB."}

    def test_chunked_body_over_the_limit(self, client):
        def chunks():
            yield b'{"summary": "'
            for _ in range(1000):  # 16 MB if it were all read
                yield b"x" * (16 << 10)
            yield b'"}'

        answer = client.post("/api/suggest", content=chunks())
        assert answer.status_code == 413

    def test_a_body_at_the_limit_is_read(self, client):
        body = json.dumps(CASE).encode()
        body += b" " * (API_BODY_LIMIT - len(body))
        assert client.post("/api/suggest", content=body).status_code == 200


class TestJsonResponses:
    """Every JSON answer is ``nosniff`` and strict JSON (no ``Infinity``)."""

    def test_nosniff_everywhere(self, client):
        for answer in (
            client.post("/api/suggest", json=CASE),
            client.post("/api/suggest", json={"year": 1800}),
            client.post("/api/suggest", content=b"x" * (API_BODY_LIMIT + 1)),
            client.get("/suggest.json", params=FORM),
            client.get("/api/nothing"),
            client.get("/openapi.json"),
        ):
            assert answer.headers["x-content-type-options"] == "nosniff", answer.url

    def test_non_finite_values_become_null(self, client, monkeypatch):
        plain = api.Suggestion.to_dict
        monkeypatch.setattr(
            api.Suggestion, "to_dict", lambda self: {**plain(self), "extra": float("inf")}
        )
        for answer in (
            client.post("/api/suggest", json=CASE),
            client.get("/suggest.json", params=FORM),
        ):
            assert answer.status_code == 200
            assert strict_json(answer.text)["extra"] is None


NUMBER_FIELDS = ["year", "duration_months", "respite_lost_weeks", "proposed", "k"]


class TestHugeNumbers:
    """A 5,000-digit number in any field is a 4xx naming the field, never a 500."""

    @pytest.mark.parametrize("name", [*forms.CASE_FIELDS, "proposed", "k"])
    @pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "1e5000", HUGE + ".5"])
    def test_in_any_form_field(self, client, name, value):
        params = {**FORM, name: value}
        assert client.get("/", params=params).status_code == 200
        page = client.get("/suggest", params=params)
        assert page.status_code in (200, 422)
        download = client.get("/suggest.json", params=params)
        if name in NUMBER_FIELDS:
            assert page.status_code == 422
            assert download.json()["detail"][0]["loc"][:2] == ["query", name]
        else:
            assert download.status_code in (200, 422)

    @pytest.mark.parametrize("name", ["proposed", "k"])
    def test_in_an_api_parameter(self, client, name):
        answer = client.post("/api/suggest", params={name: HUGE}, json=CASE)
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["query", name]

    @pytest.mark.parametrize("name", ["year", "duration_months", "respite_lost_weeks"])
    def test_in_the_api_body(self, client, name):
        body = json.dumps(CASE)[:-1] + f', "{name}": {HUGE}}}'
        answer = client.post("/api/suggest", content=body)
        assert answer.status_code == 422
        detail = answer.json()["detail"][0]
        assert detail["loc"] == ["body", name] and "longer than 100 digits" in detail["msg"]


class TestApiBody:
    """The body is read by the same reader as a ``--case`` file."""

    def test_a_misspelled_key_is_refused(self, client):
        answer = client.post("/api/suggest", json={**CASE, "duraton_months": 3})
        assert answer.status_code == 422
        assert answer.json()["detail"][0] == {
            "loc": ["body", "duraton_months"],
            "msg": "unknown field 'duraton_months' (did you mean 'duration_months'?)",
            "type": "value_error",
        }

    @pytest.mark.parametrize(
        ("body", "loc", "message"),
        [
            (b"[" * 50_000, ["body"], "nested deeper than 32 levels"),
            (b'{"year": 20\xff}', ["body"], "not UTF-8 text (byte 12 is 0xff)"),
            (b'{"duration_months": NaN}', ["body", "duration_months"], "not a finite number"),
            (b"", ["body"], "not JSON"),
            (b'"a string"', ["body"], "expected one JSON object"),
        ],
    )
    def test_bad_bodies(self, client, body, loc, message):
        answer = client.post("/api/suggest", content=body)
        assert answer.status_code == 422
        detail = answer.json()["detail"][0]
        assert detail["loc"] == loc and detail["msg"].startswith(message)

    def test_a_byte_order_mark_and_a_whole_codebook_record_are_read(self, client):
        bom = client.post("/api/suggest", content=b"\xef\xbb\xbf" + json.dumps(CASE).encode())
        assert bom.status_code == 200 and bom.json()["money_year"] == 2023
        record = synthetic_cases(1)[0]
        assert client.post("/api/suggest", json=record).status_code == 200

    def test_the_schema_page_still_shows_the_case_record(self, client):
        schema = client.get("/openapi.json").json()
        body = schema["paths"]["/api/suggest"]["post"]["requestBody"]
        assert body["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Case"
        }
        assert "duration_months" in schema["components"]["schemas"]["Case"]["properties"]


PARAM_NAMES = st.one_of(
    st.sampled_from([*forms.CASE_FIELDS, "proposed", "k"]), st.text(min_size=1, max_size=10)
)
PARAM_VALUES = st.one_of(
    st.text(max_size=40),
    st.floats().map(repr),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["nan", "inf", "1e308", HUGE, "£1,200", "charging", "yes", "2024", "20"]),
)
QUERY_STRINGS = st.lists(st.tuples(PARAM_NAMES, PARAM_VALUES), max_size=6)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
RECORDS = st.dictionaries(
    st.sampled_from(["fault_types", "duration_months", "year", "vulnerable", "carer_impact",
                     "decision", "category", "payments", "provenance", "yeer"]),
    JSON_VALUES,
    max_size=5,
)  # fmt: skip
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


class TestNeverAServerError:
    """Any query string and any body: 2xx or 4xx, quickly, never 500."""

    @FAST
    @given(pairs=QUERY_STRINGS, route=st.sampled_from(["/", "/suggest", "/suggest.json"]))
    def test_any_query_string(self, client, pairs, route):
        start = time.perf_counter()
        answer = client.get(route, params=pairs)
        assert time.perf_counter() - start < 10
        assert 200 <= answer.status_code < 500, (route, pairs)
        if route == "/suggest.json" and answer.status_code == 200:
            strict_json(answer.text)

    @settings(FAST, max_examples=8)
    @given(pairs=QUERY_STRINGS)
    def test_any_query_string_on_the_figure(self, client, pairs):
        start = time.perf_counter()
        answer = client.get("/suggest.png", params=pairs)
        assert time.perf_counter() - start < 20
        assert 200 <= answer.status_code < 500, pairs

    @FAST
    @given(body=st.one_of(JSON_VALUES, RECORDS), params=QUERY_STRINGS)
    def test_any_json_body(self, client, body, params):
        start = time.perf_counter()
        answer = client.post("/api/suggest", json=body, params=params)
        assert time.perf_counter() - start < 10
        assert answer.status_code in (200, 422), (body, params, answer.text)
        strict_json(answer.text)

    @settings(FAST, max_examples=20)
    @given(body=st.binary(max_size=200))
    def test_any_bytes_body(self, client, body):
        answer = client.post("/api/suggest", content=body)
        assert answer.status_code in (200, 422), (body, answer.text)
