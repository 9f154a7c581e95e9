"""``remedy predict`` on hostile input: one output line per input line, strict JSON, bounded.

A bad line (not UTF-8, not JSON, nested 100,000 deep, ``NaN``, an unknown key, too long) is an
error record at its line; the others are still predicted. The model is the small one trained
on the synthetic fixtures (``trained``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remedy_model import api
from remedy_model.cli import main
from remedy_model.errors import InputError
from tests.conftest import synthetic_cases
from tests.test_hostile_cli import limit_memory, one_error_line

QUERY = {"fault_types": ["charging"], "duration_months": 4, "year": 2023}


def strict_lines(path: Path) -> list[dict]:
    """The output's records, parsed by a parser that refuses NaN and Infinity."""
    text = path.read_text(encoding="utf-8")
    return [json.loads(line, parse_constant=pytest.fail) for line in text.splitlines()]


def input_lines(data: bytes) -> list[bytes]:
    """The lines of a file as predict counts them: ended by ``\\n`` only."""
    lines = data.split(b"\n")
    return lines[:-1] if data.endswith(b"\n") else lines


class TestEveryLineIsAnswered:
    """Each input line gets its output line; a bad one is an error record at its number."""

    def test_a_file_of_every_kind_of_bad_line(self, capsys, trained, tmp_path):
        good = json.dumps(QUERY).encode()
        lines = [
            b"\xef\xbb\xbf" + good,  # a byte-order mark
            b"[" * 100_000,
            b'{"year": 20\xff21}',
            b'{"duration_months": NaN}',
            b'{"duraton_months": 3}',
            b"",
            b'{"summary": "' + b"x" * (1 << 20) + b'"}',
            b"[1, 2]",
            good,
        ]
        src = tmp_path / "in.jsonl"
        src.write_bytes(b"\n".join(lines) + b"\n")
        out = tmp_path / "out.jsonl"
        code = main(["predict", "--input", str(src), "--output", str(out), "--model",
                     str(trained.path)])  # fmt: skip
        assert code == 2
        records = strict_lines(out)
        assert [r["line"] for r in records] == list(range(1, len(lines) + 1))
        assert "low_gbp" in records[0] and "low_gbp" in records[-1]
        assert [r.get("error") for r in records[1:-1]] == [
            "nested deeper than 32 levels",
            "not UTF-8 text (byte 12 is 0xff)",
            "duration_months: not a finite number (NaN)",
            "unknown field 'duraton_months' (did you mean 'duration_months'?)",
            "empty line",
            "line longer than the 1 MB limit for one case record",
            "expected one JSON object (a case record), got an array",
        ]
        err = capsys.readouterr().err
        assert "2 of 9 lines predicted" in err and f"{src}:3: not UTF-8 text" in err

    def test_a_codebook_table_line_is_a_query(self, trained, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in synthetic_cases(3)))
        result = api.predict(src, tmp_path / "out.jsonl", model=trained.model)
        assert result.n_predicted == 3 and not result.errors


class TestRefusedInputs:
    """An input predict cannot use is one line, exit 2, and an existing output is kept."""

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda p: p.write_bytes(b""), "file is empty"),
            (lambda p: p.write_bytes(b"\n  \n\t\n"), "file is empty"),
            (lambda p: os.mkfifo(p), "is not a regular file"),
            (lambda p: p.open("wb").truncate(300 << 20), "more than the 256 MB limit"),
        ],
        ids=["empty", "blank", "fifo", "too-large"],
    )
    def test_refused_in_one_line(self, capsys, trained, tmp_path, make, message):
        src = tmp_path / "in.jsonl"
        make(src)
        out = tmp_path / "out.jsonl"
        out.write_text("precious\n")
        code = main(["predict", "--input", str(src), "--output", str(out), "--model",
                     str(trained.path)])  # fmt: skip
        assert code == 2
        assert message in one_error_line(capsys.readouterr().err)
        assert out.read_text() == "precious\n"

    def test_a_device_is_refused(self, capsys, trained, tmp_path):
        code = main(["predict", "--input", "/dev/zero", "--output", str(tmp_path / "o.jsonl"),
                     "--model", str(trained.path)])  # fmt: skip
        assert code == 2 and "/dev/zero: is not a regular file" in capsys.readouterr().err

    def test_output_is_the_input(self, trained, tmp_path):
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps(QUERY) + "\n")
        with pytest.raises(InputError, match="output would overwrite the input"):
            api.predict(src, src, model=trained.model)
        assert json.loads(src.read_text()) == QUERY


class TestBoundedMemory:
    """A file of one 250 MB line is read in bounded memory (address space limited to 1 GB)."""

    def test_one_huge_line_under_a_memory_limit(self, tmp_path, trained):
        src = tmp_path / "in.jsonl"
        with src.open("wb") as handle:
            handle.write(json.dumps(QUERY).encode() + b"\n")
            handle.truncate(250 << 20)  # then NUL bytes to 250 MB, no newline: one line
        out = tmp_path / "out.jsonl"
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "remedy_model.cli", "predict", "--input", str(src),
             "--output", str(out), "--model", str(trained.path)],
            capture_output=True, env=env, timeout=120, preexec_fn=lambda: limit_memory(1.0),
        )  # fmt: skip
        assert done.returncode == 2, done.stderr.decode()
        records = strict_lines(out)
        assert len(records) == 2 and "low_gbp" in records[0]
        assert records[1]["error"] == "line longer than the 1 MB limit for one case record"


RECORD = st.fixed_dictionaries(
    {},
    optional={
        "fault_types": st.lists(st.sampled_from(["charging", "sen_ehcp", "flying"]), max_size=2),
        "duration_months": st.one_of(st.floats(), st.integers(), st.text(max_size=5)),
        "year": st.one_of(st.integers(1990, 2030), st.none()),
        "carer_impact": st.one_of(st.booleans(), st.none(), st.text(max_size=3)),
        "duraton_months": st.integers(),
    },
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=10,
)  # fmt: skip
LINE = st.one_of(
    RECORD.map(lambda r: json.dumps(r).encode()),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=30),
    st.text(max_size=30).map(str.encode),
    st.sampled_from([b"", b"  ", b"\r", b"\xef\xbb\xbf{}", b"[" * 5000, b'{"year": NaN}']),
).map(lambda line: line.replace(b"\n", b" "))


class TestOneLinePerLineProperty:
    """Whatever the lines, the output has exactly one strict JSON record per input line."""

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=True,
    )
    @given(lines=st.lists(LINE, min_size=1, max_size=12), final_newline=st.booleans())
    def test_one_record_per_line(self, trained, lines, final_newline):
        data = b"\n".join(lines) + (b"\n" if final_newline else b"")
        with tempfile.TemporaryDirectory() as folder:
            src, out = Path(folder) / "in.jsonl", Path(folder) / "out.jsonl"
            src.write_bytes(data)
            expected = input_lines(data)
            if not any(line.strip() for line in expected):
                with pytest.raises(InputError, match="file is empty"):
                    api.predict(src, out, model=trained.model)
                return
            result = api.predict(src, out, model=trained.model)
            records = strict_lines(out)
        assert [r["line"] for r in records] == list(range(1, len(expected) + 1))
        assert result.n_lines == len(expected)
        assert result.n_predicted == sum("low_gbp" in r for r in records)
