"""Hostile and careless input: refused in one line, never a hang, never lost data."""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from remedy_model.cli import main
from remedy_model.errors import InputError

INGEST_FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from remedy_model import api
    from remedy_model.web.app import create_app
    from tests.conftest import synthetic_cases, write_jsonl

    folder = tmp_path_factory.mktemp("hostile")
    cases = write_jsonl(folder / "cases.jsonl", synthetic_cases(120, seed=3))
    cpi = folder / "cpi.csv"
    cpi.write_text("year,cpi_index_2015_100\n2015,100.0\n2020,108.7\n2025,138.4\n")
    trained = api.train(
        cases_path=cases, cpi_path=cpi, model_path=folder / "m.npz", with_metrics=False
    )
    return TestClient(create_app(model=trained.model), base_url="http://127.0.0.1")


class TestHugeSums:
    """Every sum is a finite number of pounds up to the codebook's maximum, everywhere."""

    @pytest.mark.parametrize("sum_", ["1e308", "inf", "-inf", "nan", "1e7000", "10000001"])
    def test_result_page_refuses_at_once(self, client, sum_):
        start = time.perf_counter()
        page = client.get("/suggest", params={"fault_types": "care_plan", "proposed": sum_})
        assert time.perf_counter() - start < 5
        assert page.status_code == 422
        assert "from 0 to 10,000,000" in page.text

    @pytest.mark.parametrize("route", ["/suggest.json", "/suggest.png"])
    def test_downloads_refuse_with_the_field_named(self, client, route):
        answer = client.get(route, params={"fault_types": "care_plan", "proposed": "1e308"})
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["query", "proposed"]

    @pytest.mark.parametrize("sum_", ["1e308", "inf", "nan"])
    def test_json_api_refuses(self, client, sum_):
        answer = client.post(
            "/api/suggest", params={"proposed": sum_}, json={"fault_types": ["care_plan"]}
        )
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"][-1] == "proposed"

    def test_the_largest_allowed_sum_is_answered_with_a_bounded_chart(self, client):
        page = client.get("/suggest", params={"fault_types": "care_plan", "proposed": "10000000"})
        assert page.status_code == 200
        assert "£10,000,000" in page.text

    def test_chart_ticks_are_bounded_whatever_the_sums(self):
        from types import SimpleNamespace

        from remedy_model.web.charts import MAX_DECADES, precedent_chart

        precedent = SimpleNamespace(remedy_visible=True, symbolic_today=1e300, label="x", year=2020)
        huge = SimpleNamespace(
            precedents=[precedent],
            amount_if_paid_today={"low": 1.0, "median": 2.0, "high": 1e300},
            check=SimpleNamespace(proposed_today=1e308, question="amount", tone="outside"),
            level=0.8,
        )
        chart = precedent_chart(huge)
        assert len(chart["ticks"]) <= MAX_DECADES + 1

    @pytest.mark.parametrize("sum_", ["inf", "1e308", "nan", "-1"])
    def test_cli_refuses_in_one_line(self, sum_, capsys):
        code = main(["suggest", "--fault", "care_plan", "--proposed", sum_, "--json"])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2
        assert len(err) == 1 and "proposed" in err[0]

    @pytest.mark.parametrize("sum_", [float("inf"), float("nan"), 1e308, -1.0])
    def test_python_api_refuses(self, sum_):
        from remedy_model import api

        with pytest.raises(InputError) as caught:
            api.suggest({"fault_types": ["care_plan"]}, proposed=sum_, model=object())
        assert caught.value.field == "proposed"


def _statement(tmp_path: Path, name: str = "x.txt") -> Path:
    path = tmp_path / name
    shutil.copy(INGEST_FIXTURES / "statement_closed.txt", path)
    return path


class TestIngestNeverDestroysFiles:
    """``remedy ingest`` writes through a temporary file and refuses its inputs as output."""

    def test_output_that_is_the_input_is_refused_and_left_intact(self, tmp_path, capsys):
        doc = _statement(tmp_path)
        before = doc.read_bytes()
        code = main(["ingest", str(doc), "--output", str(doc)])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2
        assert err == [f"error: {doc}: output is one of the inputs; choose another file"]
        assert doc.read_bytes() == before

    def test_output_inside_the_scanned_folder_is_refused(self, tmp_path, capsys):
        docs = tmp_path / "docs"
        docs.mkdir()
        _statement(docs, "a.txt")
        target = _statement(docs, "b.txt")
        before = target.read_bytes()
        code = main(["ingest", str(docs), "--output", str(target)])
        assert code == 2
        assert "output is one of the inputs" in capsys.readouterr().err
        assert target.read_bytes() == before

    def test_existing_output_is_left_alone_when_nothing_is_read(self, tmp_path, capsys):
        junk = tmp_path / "junk.txt"
        junk.write_text("A shopping list: eggs, milk, bread.\n", encoding="utf-8")
        out = tmp_path / "out.jsonl"
        out.write_text('{"kept": true}\n', encoding="utf-8")
        code = main(["ingest", str(junk), "--output", str(out)])
        err = capsys.readouterr().err
        assert code == 1
        assert out.read_text(encoding="utf-8") == '{"kept": true}\n'
        assert "left as it was" in err
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    def test_output_is_replaced_only_once_complete_and_append_adds(self, tmp_path, capsys):
        doc = _statement(tmp_path)
        out = tmp_path / "out.jsonl"
        out.write_text('{"old": 1}\n', encoding="utf-8")
        assert main(["ingest", str(doc), "--output", str(out), "--quiet"]) == 0
        lines = out.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 and json.loads(lines[0])["case_ref"] == "23 011 870"
        assert main(["ingest", str(doc), "--output", str(out), "--append", "--quiet"]) == 0
        assert len(out.read_text(encoding="utf-8").splitlines()) == 2

    def test_output_takes_the_umask_not_0600(self, tmp_path):
        doc = _statement(tmp_path)
        out = tmp_path / "out.jsonl"
        old = os.umask(0o022)
        try:
            assert main(["ingest", str(doc), "--output", str(out), "--quiet"]) == 0
        finally:
            os.umask(old)
        assert stat.S_IMODE(out.stat().st_mode) == 0o644

    def test_output_that_is_not_a_regular_file_is_refused(self, tmp_path, capsys):
        doc = _statement(tmp_path)
        code = main(["ingest", str(doc), "--output", str(tmp_path)])
        assert code == 2
        assert "is a folder" in capsys.readouterr().err
