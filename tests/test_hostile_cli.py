"""Hostile and careless use of the ``remedy`` command: one line, exit 2, nothing lost.

Every test uses a small model trained on the synthetic fixtures (``trained``), never the
default model. Subprocesses run with a memory limit, and every stress test is bounded.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remedy_model.cli import main

FIXTURE_DOCS = Path(__file__).parent / "fixtures" / "ingest"
QUERY = {"fault_types": ["charging"], "duration_months": 4, "year": 2023}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    """The single line of an error on stderr (fails if there are more or it is not one)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err and "Usage:" not in err
    return lines[0]


def limit_memory(gigabytes: float = 3.0) -> None:
    """``preexec_fn`` of a subprocess: its address space may not grow past ``gigabytes``."""
    limit = int(gigabytes * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class TestUsageErrorsAreOneLine:
    """click's usage errors print one ``error:`` line with the help to see, never "Usage:"."""

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["nosuch"], "No such command 'nosuch'. (see 'remedy --help')"),
            (["suggest", "--nosuch"], "No such option: --nosuch (see 'remedy suggest --help')"),
            (["suggest", "--duration-months", "many"], "Invalid value for '--duration-months'"),
            (["predict"], "Missing option '--input'"),
            (["suggest", "-k"], "Option '-k' requires an argument."),
            (["suggest", "--year", "twenty"], "Invalid value for '--year'"),
        ],
    )
    def test_usage_error(self, capsys, args, message):
        code, _, err = run(capsys, *args)
        assert code == 2
        assert message in one_error_line(err)

    def test_a_folder_given_as_a_file_is_a_usage_error(self, capsys, tmp_path):
        code, _, err = run(capsys, "suggest", "--case", str(tmp_path))
        assert code == 2 and "is a directory" in one_error_line(err)
        code, _, err = run(capsys, "suggest", "--fault", "charging", "--model", str(tmp_path))
        assert code == 2 and "'--model'" in one_error_line(err)


class TestNumberOptions:
    """Numbers given to options: "not a number" for NaN, -k bounded like the web API's."""

    @pytest.mark.parametrize(
        ("flag", "value", "message"),
        [
            ("--duration-months", "nan", "error: --duration-months: not a number"),
            ("--respite-weeks", "NaN", "error: --respite-weeks: not a number"),
            ("--duration-months", "inf", "error: --duration-months: not a finite number (inf)"),
            ("--proposed", "nan", "error: --proposed: must be a finite sum of pounds"),
        ],
    )
    def test_non_finite_numbers(self, capsys, trained, flag, value, message):
        code, _, err = run(capsys, "suggest", flag, value, "--model", str(trained.path))
        assert code == 2
        assert one_error_line(err).startswith(message)

    @pytest.mark.parametrize("k", ["-1", "0", "51", "100000"])
    def test_k_outside_1_to_50_is_refused(self, capsys, trained, k):
        code, _, err = run(capsys, "suggest", "-k", k, "--model", str(trained.path), "--json")
        assert code == 2
        assert one_error_line(err) == f"error: -k: must be a whole number from 1 to 50, got {k}"

    def test_k_of_50_is_answered(self, capsys, trained):
        code, out, _ = run(capsys, "suggest", "-k", "50", "--model", str(trained.path), "--json")
        precedents = json.loads(out)["precedents"]
        assert code == 0 and [p["evidence"] for p in precedents[:50]] == ["stated"] * 50

    def test_predict_checks_k_before_loading_the_model(self, capsys, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps(QUERY) + "\n")
        absent = tmp_path / "absent.npz"
        args = ["predict", "--input", str(src), "--output", str(tmp_path / "out.jsonl")]
        code, _, err = run(capsys, *args, "-k", "0", "--model", str(absent))
        assert code == 2 and one_error_line(err).startswith("error: -k: must be")
        assert not (tmp_path / "out.jsonl").exists()


class TestCaseFiles:
    """``--case``: a misspelled key, a BOM, deep nesting, a device, NaN."""

    def suggest_case(self, capsys, trained, path) -> tuple[int, str, str]:
        return run(capsys, "suggest", "--case", str(path), "--model", str(trained.path), "--json")

    def test_misspelled_key_is_refused_naming_the_closest(self, capsys, trained, tmp_path):
        path = tmp_path / "case.json"
        path.write_text(json.dumps({"duraton_months": 6, "fault_types": ["charging"]}))
        code, out, err = self.suggest_case(capsys, trained, path)
        assert code == 2 and out == ""
        assert one_error_line(err) == (
            f"error: {path}: unknown field 'duraton_months' (did you mean 'duration_months'?)"
        )

    def test_byte_order_mark_is_accepted(self, capsys, trained, tmp_path):
        path = tmp_path / "case.json"
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(QUERY).encode())
        code, out, _ = self.suggest_case(capsys, trained, path)
        assert code == 0 and json.loads(out)["money_year"] == 2023

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"[" * 100_000, "nested deeper than 32 levels"),
            (b'{"duration_months": NaN}', "duration_months: not a finite number (NaN)"),
            (b'{"year": 20\xff}', "not UTF-8 text (byte 12 is 0xff)"),
        ],
    )
    def test_bad_content_is_one_line(self, capsys, trained, tmp_path, content, message):
        path = tmp_path / "case.json"
        path.write_bytes(content)
        code, _, err = self.suggest_case(capsys, trained, path)
        assert code == 2 and one_error_line(err) == f"error: {path}: {message}"

    def test_a_device_or_fifo_is_refused_at_once(self, capsys, trained, tmp_path):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        for path in ("/dev/zero", fifo):
            start = time.perf_counter()
            code, _, err = self.suggest_case(capsys, trained, path)
            assert time.perf_counter() - start < 10
            assert code == 2 and "is not a regular file" in one_error_line(err)


class TestOperatingSystemErrors:
    """Folders, devices and files in the wrong place: one line naming the path."""

    def test_demo_out_an_existing_file(self, capsys, trained, tmp_path):
        target = tmp_path / "plots"
        target.write_text("mine\n")
        code, _, err = run(capsys, "demo", "--out", str(target), "--model", str(trained.path))
        assert code == 2
        assert (
            one_error_line(err) == f"error: {target}: exists and is not a folder; give a "
            "folder for the plots"
        )
        assert target.read_text() == "mine\n"

    def test_trends_out_an_existing_file(self, capsys, tmp_path, cases_file):
        target = tmp_path / "report"
        target.write_text("mine\n")
        code, _, err = run(capsys, "trends", "--out", str(target), "--cases", str(cases_file))
        assert code == 2 and one_error_line(err).startswith(f"error: {target}: ")
        assert target.read_text() == "mine\n"

    def test_predict_to_dev_null_is_refused_and_the_device_kept(self, capsys, trained, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps(QUERY) + "\n")
        code, _, err = run(
            capsys, "predict", "--input", str(src), "--output", "/dev/null",
            "--model", str(trained.path),
        )  # fmt: skip
        assert code == 2 and "is not a regular file" in one_error_line(err)
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)

    def test_predict_into_a_missing_folder_creates_nothing(self, capsys, trained, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps(QUERY) + "\n")
        out = tmp_path / "no" / "such" / "dir" / "x.jsonl"
        code, _, err = run(
            capsys, "predict", "--input", str(src), "--output", str(out),
            "--model", str(trained.path),
        )  # fmt: skip
        assert code == 2 and "does not exist; create it first" in one_error_line(err)
        assert not (tmp_path / "no").exists()

    def test_predict_where_no_file_can_be_made(self, capsys, trained, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps(QUERY) + "\n")
        code, _, err = run(
            capsys, "predict", "--input", str(src), "--output", "/proc/remedy-out.jsonl",
            "--model", str(trained.path),
        )  # fmt: skip
        assert code == 2 and one_error_line(err).startswith("error: /proc/remedy-out.jsonl: ")

    @pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
    def test_output_folder_not_writable(self, capsys, trained, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps(QUERY) + "\n")
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        code, _, err = run(
            capsys, "predict", "--input", str(src), "--output", str(locked / "x.jsonl"),
            "--model", str(trained.path),
        )  # fmt: skip
        assert code == 2 and "is not writable" in one_error_line(err)

    def test_any_os_error_of_a_command_is_one_line(self, capsys, monkeypatch):
        from remedy_model import api

        def refused(*args, **kwargs):
            raise PermissionError(13, "Permission denied", "/srv/models/m.npz")

        monkeypatch.setattr(api, "train", refused)
        code, _, err = run(capsys, "train")
        assert code == 2
        assert one_error_line(err) == "error: /srv/models/m.npz: Permission denied"


class TestMarkupIsPrintedAsText:
    """Square brackets in data are shown as typed, never read as terminal markup."""

    def test_an_unknown_category_with_markup_is_refused_as_typed(self, capsys, trained):
        code, _, err = run(
            capsys, "suggest", "--category", "Invented [red]care[/red]", "--fault", "charging",
            "--model", str(trained.path),
        )  # fmt: skip
        assert code == 2
        assert "unknown category 'Invented [red]care[/red]'" in one_error_line(err)

    def test_a_category_with_a_closing_tag_is_refused_in_one_line(self, capsys, trained):
        code, _, err = run(capsys, "suggest", "--category", "[/x]", "--model", str(trained.path))
        assert code == 2 and "'[/x]'" in one_error_line(err)

    def test_markup_in_a_known_category_is_echoed_as_typed(self, capsys, trained):
        category = "Adult care services > Charging [red]x[/red]"
        code, out, err = run(
            capsys, "suggest", "--category", category, "--model", str(trained.path)
        )
        assert code == 0, err
        assert "Charging [red]x[/red]" in out

    def test_error_lines_of_predict_keep_their_brackets(self, capsys, trained, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps({"fault_types": ["[/x][red]"]}) + "\n")
        code, _, err = run(
            capsys, "predict", "--input", str(src), "--output", str(tmp_path / "o.jsonl"),
            "--model", str(trained.path),
        )  # fmt: skip
        assert code == 2
        assert f"{src}:1: fault_types.0: unknown value '[/x][red]'" in err

    def test_a_document_path_with_brackets(self, capsys, trained, tmp_path):
        folder = tmp_path / "[" / "x]"
        folder.mkdir(parents=True)
        doc = folder / "draft[red].txt"
        shutil.copy(FIXTURE_DOCS / "draft_decision.txt", doc)
        code, out, err = run(
            capsys, "suggest", "--from-document", str(doc), "--json", "--model", str(trained.path)
        )
        assert code == 0, err
        code, out, err = run(
            capsys, "suggest", "--from-document", str(doc), "--model", str(trained.path),
            "--proposed", "300",
        )  # fmt: skip
        assert code == 0, err
        assert f"Readfrom{doc}" in "".join(out.split())  # the title may wrap


class TestTerminatedPredict:
    """SIGTERM stops ``predict`` where it is: no hidden temporary file, the old output kept."""

    def test_sigterm_removes_the_temporary_file(self, tmp_path, trained):
        src = tmp_path / "in.jsonl"
        src.write_text((json.dumps(QUERY) + "\n") * 20_000)
        out = tmp_path / "out.jsonl"
        out.write_text("old\n")
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        command = [sys.executable, "-m", "remedy_model.cli", "predict", "--input", str(src),
                   "--output", str(out), "--model", str(trained.path)]  # fmt: skip
        proc = subprocess.Popen(command, stderr=subprocess.PIPE, env=env, preexec_fn=limit_memory)
        try:
            deadline = time.monotonic() + 120
            while not list(tmp_path.glob(".out.jsonl.*.tmp")):
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "predict never started writing"
                time.sleep(0.02)
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
        finally:
            proc.kill()
        assert proc.returncode == 143, err.decode()
        assert err.decode().strip().splitlines()[-1] == "terminated"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]
        assert out.read_text() == "old\n"

    def test_a_stop_while_workers_are_forked_is_delivered_after(self):
        from remedy_model import batch

        seen = []
        previous = signal.signal(signal.SIGTERM, lambda signum, _: seen.append(signum))
        try:
            with batch._stops_held():
                signal.raise_signal(signal.SIGTERM)
                assert seen == []
            assert seen == [signal.SIGTERM]
        finally:
            signal.signal(signal.SIGTERM, previous)

    def test_the_handler_is_restored_after_main(self, capsys):
        before = signal.getsignal(signal.SIGTERM)
        main(["--version"])
        assert signal.getsignal(signal.SIGTERM) is before


OPTION_VALUES = st.one_of(
    st.text(max_size=30),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["nan", "-inf", "1e308", "1e-320", "0x10", "1_000", " 5 ", "[red]", "[/x]", "9" * 5000,
         "charging", "child", "county", "upheld", "2023", "Education > Special educational"]
    ),
)  # fmt: skip
OPTIONS = [
    "--fault", "--duration-months", "--respite-weeks", "--vulnerable", "--category",
    "--org-type", "--year", "--decision", "--proposed", "-k",
]  # fmt: skip
FLAGS = ["--carer-impact", "--no-respite-lost", "--person-died", "--json"]


class TestAnyOptionValue:
    """Whatever is given to ``suggest``'s options is answered (0) or refused in one line (2)."""

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=True,
    )
    @given(
        pairs=st.lists(st.tuples(st.sampled_from(OPTIONS), OPTION_VALUES), max_size=4),
        flags=st.lists(st.sampled_from(FLAGS), max_size=2, unique=True),
    )
    def test_answered_or_refused(self, trained, pairs, flags):
        args = ["suggest", *[part for pair in pairs for part in pair], *flags]
        out, err = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*args, "--model", str(trained.path)])
        assert time.perf_counter() - start < 20
        assert code in (0, 2), (args, err.getvalue())
        if code == 2:
            one_error_line(err.getvalue())
        elif "--json" in flags:
            json.loads(out.getvalue(), parse_constant=pytest.fail)
