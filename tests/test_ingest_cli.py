"""The ``remedy ingest`` and ``remedy ingest-eval`` commands, through ``main``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from remedy_model.cli import main
from remedy_model.records import Case

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


class TestIngest:
    """``ingest`` writes one line per case, to a file or stdout."""

    def test_ingest_folder_writes_one_line_per_case_and_reports_skips(self, tmp_path, capsys):
        out = tmp_path / "cases.jsonl"
        code = main(["ingest", str(FIXTURES), "--output", str(out)])
        err = capsys.readouterr().err
        assert code == 1  # not_a_decision.txt was skipped
        assert f"skipped {FIXTURES / 'not_a_decision.txt'}: no decision found (" in err
        records = read_lines(out)
        # 5 statements (one a draft), 1 report, 3 case studies, 3 summaries of a digest
        assert len(records) == 12
        for r in records:
            Case.model_validate(r)
            assert r["source_doc"].startswith(str(FIXTURES))
            assert isinstance(r["provenance"], dict)
        labels = [r["case_label"] for r in records if r["case_label"]]
        assert labels == ["Asha", "Bilal", "Carys"]

    def test_ingest_all_good_exits_zero_and_stdout_default(self, capsys):
        code = main(["ingest", str(FIXTURES / "statement_closed.txt"), "--quiet"])
        captured = capsys.readouterr()
        assert code == 0
        (line,) = captured.out.splitlines()
        assert json.loads(line)["case_ref"] == "23 011 870"
        assert captured.err == ""

    def test_append_and_text_dir(self, tmp_path):
        out = tmp_path / "out.jsonl"
        texts = tmp_path / "texts"
        assert main(["ingest", str(FIXTURES / "statement_closed.txt"), "-o", str(out), "-q"]) == 0
        assert (
            main(
                [
                    "ingest",
                    str(FIXTURES / "statement_page.html"),
                    "-o",
                    str(out),
                    "--append",
                    "--text-dir",
                    str(texts),
                    "-q",
                ]
            )
            == 0
        )
        records = read_lines(out)
        assert [r["case_ref"] for r in records] == ["23 011 870", "22 007 431"]
        saved = (texts / "statement_page.html.txt").read_text(encoding="utf-8")
        start, end = records[1]["provenance"]["case_ref"]["span"]
        assert saved[start:end] == "22 007 431"


class TestIngestFailures:
    """A bad file is skipped with its reason and earlier output is kept."""

    def test_batch_goes_on_and_earlier_output_is_kept(self, tmp_path, capsys, monkeypatch):
        docs = tmp_path / "docs"
        docs.mkdir()
        shutil.copy(FIXTURES / "statement_closed.txt", docs / "a.txt")
        (docs / "b.txt").write_bytes(b"\x00\x01binary\x02" * 40)
        (docs / "c.pdf").write_bytes(b"%PDF-1.4 truncated")
        (docs / "d.txt").write_text("", encoding="utf-8")
        shutil.copy(FIXTURES / "draft_decision.txt", docs / "e.txt")
        out = tmp_path / "out.jsonl"

        # A bug on one file must not lose what was written before it.
        from remedy_model.ingest import document

        real = document.extract_cases

        def flaky(doc):
            if doc.path.endswith("e.txt"):
                raise RuntimeError("boom")
            return real(doc)

        monkeypatch.setattr(document, "extract_cases", flaky)
        code = main(["ingest", str(docs), "-o", str(out)])
        err = capsys.readouterr().err
        assert code == 1
        assert "binary file" in err and "not a readable PDF" in err and "empty file" in err
        assert "unexpected error (RuntimeError: boom)" in err
        assert [r["case_ref"] for r in read_lines(out)] == ["23 011 870"]

    def test_usage_errors_exit_two(self, tmp_path, capsys):
        assert main(["ingest", str(tmp_path)]) == 2  # an empty folder
        assert "no .txt, .html or .pdf files found" in capsys.readouterr().err
        bad_out = tmp_path / "missing-dir" / "out.jsonl"
        assert main(["ingest", str(FIXTURES / "statement_closed.txt"), "-o", str(bad_out)]) == 2
        assert "missing-dir does not exist" in capsys.readouterr().err

    def test_missing_file_is_skipped(self, tmp_path, capsys):
        code = main(
            [
                "ingest",
                str(tmp_path / "nope.txt"),
                str(FIXTURES / "statement_closed.txt"),
                "-o",
                str(tmp_path / "o.jsonl"),
            ]
        )
        assert code == 1
        assert "no such file" in capsys.readouterr().err
        assert len(read_lines(tmp_path / "o.jsonl")) == 1


class TestIngestEval:
    """``ingest-eval`` scores against gold, or refuses a bad gold file."""

    def test_ingest_eval_text_and_json(self, capsys):
        gold = str(FIXTURES / "gold.jsonl")
        assert main(["ingest-eval", gold, "--docs", str(FIXTURES)]) == 0
        out = capsys.readouterr().out
        assert "decision statements with all metadata right: 3/3" in out
        assert "payments (amount+symbolic)" in out
        assert main(["ingest-eval", gold, "--docs", str(FIXTURES), "--json"]) == 0
        scores = json.loads(capsys.readouterr().out)
        assert scores["payments"]["f1"] == 1.0
        assert scores["fields"]["decision"]["accuracy"] == 1.0

    def test_ingest_eval_bad_gold(self, tmp_path, capsys):
        bad = tmp_path / "gold.jsonl"
        bad.write_text('{"case_ref": "21 000 001"}\n', encoding="utf-8")
        assert main(["ingest-eval", str(bad), "--docs", str(FIXTURES)]) == 2
        assert "doc: required field is missing" in capsys.readouterr().err


class TestHelp:
    """Each ingest command has help."""

    @pytest.mark.parametrize("command", ["ingest", "ingest-eval", "fetch"])
    def test_help(self, command, capsys):
        assert main([command, "--help"]) == 0
        assert "Usage" in capsys.readouterr().out
