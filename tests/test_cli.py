"""The `remedy` command: help, JSON output, and one-line errors with exit status 2."""

import json
from pathlib import Path

import pytest

from remedy_model.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestHelp:
    """``--help`` lists every verb."""

    def test_help_lists_the_verbs(self, capsys):
        code, out, _ = run(capsys, "--help")
        assert code == 0
        for verb in ("demo", "train", "evaluate", "suggest", "predict", "trends"):
            assert verb in out

    def test_a_paragraph_of_help_wraps_as_one_at_80_columns(self, capsys, monkeypatch):
        monkeypatch.setenv("COLUMNS", "80")
        code, out, _ = run(capsys, "predict", "--help")
        assert code == 0
        text = " ".join(line.strip() for line in out.splitlines())
        assert 'A bad line gives {"line": N, "error": ...} in its place' in text
        description = out.split("╭")[0].splitlines()
        assert all(len(line.rstrip()) > 60 for line in description[5:7])  # no ragged halves


class TestSuggest:
    """``suggest`` answers as JSON or a table, from flags or a case file."""

    def test_suggest_json_with_flags(self, capsys, trained):
        code, out, err = run(
            capsys,
            "suggest",
            "--fault",
            "care_not_provided",
            "--fault",
            "communication",
            "--duration-months",
            "10",
            "--carer-impact",
            "--year",
            "2022",
            "--proposed",
            "450",
            "-k",
            "3",
            "--json",
            "--model",
            str(trained.path),
        )
        assert code == 0, err
        data = json.loads(out)
        assert data["money_year"] == 2022 and len(data["precedents"]) == 3
        assert data["check"]["verdict"] in {"within", "below", "above"}
        assert data["low_gbp"] <= data["median_gbp"] <= data["high_gbp"]

    def test_suggest_table_output(self, capsys, trained):
        code, out, _ = run(
            capsys,
            "suggest",
            "--fault",
            "charging",
            "--model",
            str(trained.path),
            "--proposed",
            "100",
        )
        assert code == 0
        assert "Precedents" in out and "Proposed £100" in out
        assert out.index("Proposed £100") < out.index("Precedents")

    def test_suggest_from_case_file(self, capsys, trained, tmp_path):
        case = tmp_path / "case.json"
        case.write_text(json.dumps({"fault_types": ["sen_ehcp"], "year": 2021}))
        code, out, _ = run(
            capsys, "suggest", "--case", str(case), "--json", "--model", str(trained.path)
        )
        assert code == 0 and json.loads(out)["money_year"] == 2021
        code, _, err = run(
            capsys,
            "suggest",
            "--case",
            str(case),
            "--fault",
            "charging",
            "--model",
            str(trained.path),
        )
        assert code == 2 and "one or the other" in err


class TestOneLineErrors:
    """Bad flags, usage and model files give one line and exit status 2."""

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--fault", "bogus"], "--fault: unknown value 'bogus'"),
            (["--duration-months", "-3"], "--duration-months:"),
            (["--year", "2999"], "--year: year 2999 is outside"),
            (["--year", "1990"], "--year: year 1990 is outside"),
            (["--vulnerable", "tall"], "--vulnerable: unknown value"),
            (["--org-type", "parish"], "--org-type: unknown value"),
        ],
    )
    def test_bad_flags_give_one_line_and_status_2(self, capsys, trained, args, message):
        code, _, err = run(capsys, "suggest", *args, "--model", str(trained.path))
        assert code == 2
        assert message in err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err

    def test_corrupted_model_file_is_a_clean_error(self, capsys, trained, tmp_path):
        import shutil

        bad = tmp_path / "bad.npz"
        shutil.copy(trained.path, bad)
        shutil.copy(trained.sidecar, tmp_path / "bad.json")
        bad.write_bytes(b"garbage" + bad.read_bytes()[7:])
        code, _, err = run(capsys, "suggest", "--fault", "charging", "--model", str(bad))
        assert code == 2 and "SHA-256 does not match" in err and "Traceback" not in err

    def test_usage_errors_are_status_2(self, capsys):
        code, _, err = run(capsys, "suggest", "--duration-months", "many")
        assert code == 2 and "--duration-months" in err


class TestPredict:
    """``predict`` answers good lines and names the bad ones."""

    def test_predict_cli_exit_status_2_on_bad_lines(self, capsys, trained, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text('{"fault_types": ["charging"]}\n{"year": 1800}\n')
        out = tmp_path / "out.jsonl"
        code, _, err = run(
            capsys,
            "predict",
            "--input",
            str(src),
            "--output",
            str(out),
            "--model",
            str(trained.path),
        )
        assert code == 2
        assert "1 of 2 lines predicted" in err and f"{src}:2: year" in err
        rows = [json.loads(x) for x in out.read_text().splitlines()]
        assert "low_gbp" in rows[0] and rows[1]["line"] == 2 and "error" in rows[1]

    def test_predict_cli_rejects_non_jsonl(self, capsys, trained, tmp_path):
        src = tmp_path / "in.bin"
        src.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
        code, _, err = run(
            capsys,
            "predict",
            "--input",
            str(src),
            "--output",
            str(tmp_path / "o"),
            "--model",
            str(trained.path),
        )
        assert code == 2 and f"{src}:1: not UTF-8 text (byte 1 is 0x89)" in err


class TestTrain:
    """``train`` writes the model and its sidecar, or nothing."""

    def test_train_writes_model_and_sidecar(self, capsys, tmp_path, cases_file):
        target = tmp_path / "m.npz"
        code, out, err = run(
            capsys, "train", "--cases", str(cases_file), "--model", str(target), "--json"
        )
        assert code == 0, err
        info = json.loads(out)
        assert target.exists() and (tmp_path / "m.json").exists()
        assert info["n_cases"] > 800

    def test_train_with_bad_extra_file(self, capsys, tmp_path):
        bad = tmp_path / "bad.jsonl"
        bad.write_text("")
        code, _, err = run(capsys, "train", "--cases", str(bad), "--model", str(tmp_path / "m.npz"))
        assert code == 2 and "file is empty" in err
        assert not (tmp_path / "m.npz").exists()


FIXTURE_DOCS = Path(__file__).parent / "fixtures" / "ingest"


class TestSuggestFromDocument:
    """``suggest --from-document`` shows what it read, or refuses a non-decision."""

    def test_suggest_from_document_shows_what_it_read(self, capsys, trained):
        doc = FIXTURE_DOCS / "draft_decision.txt"
        code, out, err = run(
            capsys,
            "suggest",
            "--from-document",
            str(doc),
            "--proposed",
            "300",
            "--model",
            str(trained.path),
        )
        assert code == 0, err
        assert "Read from" in out and "fault type" in out
        assert "Proposed £300" in out
        code, out, _ = run(
            capsys, "suggest", "--from-document", str(doc), "--json", "--model", str(trained.path)
        )
        assert code == 0 and "low_gbp" in json.loads(out)

    def test_suggest_from_a_document_that_is_not_a_decision(self, capsys, trained):
        doc = FIXTURE_DOCS / "not_a_decision.txt"
        code, _, err = run(
            capsys, "suggest", "--from-document", str(doc), "--model", str(trained.path)
        )
        assert code == 2 and "no decision found" in err and len(err.strip().splitlines()) == 1


ALLOWED = {
    "remedy_model", "remedy_model.api", "remedy_model.cli", "remedy_model.render",
    "remedy_model.style", "remedy_model.errors", "remedy_model.config", "remedy_model.web",
}  # fmt: skip
"""What the command modules may import of the package: the API and presentation helpers."""


class TestOneSurface:
    """The command modules use ``remedy_model.api`` (and presentation helpers) only."""

    def test_no_command_module_reaches_below_the_api(self):
        import ast
        from pathlib import Path

        import remedy_model.cli as cli

        found = {}
        for path in Path(cli.__file__).parent.glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("remedy"):
                    found[node.module] = path.name
        allowed = {m for m in found if m in ALLOWED or m.startswith("remedy_model.cli.")}
        allowed |= {m for m in found if m.startswith("remedy_model.web.")}
        assert set(found) - allowed == set(), {m: found[m] for m in set(found) - allowed}
