"""Hostile JSON input to the readers of case records: one decoder, bounded, line by line.

Four surfaces read JSON case records (a case table, a ``--case`` file, a ``predict`` line, the
web API's body); they share :mod:`remedy_model.jsonio`, so a bad record is refused by each in
the same words, a bad line never loses the others, and nothing read grows without bound.
"""

from __future__ import annotations

import codecs
import json
import os
import time
import tracemalloc

import pytest

from remedy_model import jsonio
from remedy_model.dataset import read_cases
from remedy_model.errors import DataError, InputError
from remedy_model.jsonio import JsonProblem, decode
from remedy_model.query import case_from_json, make_case, read_case_file, read_queries
from tests.conftest import synthetic_cases

GOOD = {"case_ref": "21 000 001", "year": 2021, "fault_types": ["charging"]}
DEEP = "[" * 100_000
"""The nesting that made every reader raise RecursionError."""


class TestDecode:
    """The one decoding step: UTF-8 with or without BOM, bounded nesting, finite numbers."""

    def test_byte_order_mark_is_accepted(self):
        assert decode(codecs.BOM_UTF8 + b'{"year": 2021}') == {"year": 2021}
        assert decode('\ufeff{"year": 2021}') == {"year": 2021}

    def test_deep_nesting_is_refused_at_once(self):
        start = time.perf_counter()
        with pytest.raises(JsonProblem, match="nested deeper than 32 levels"):
            decode(DEEP)
        with pytest.raises(JsonProblem, match="nested deeper"):
            decode('{"a": ' * 50_000)
        assert time.perf_counter() - start < 2

    def test_nesting_up_to_the_limit_is_decoded(self):
        depth = jsonio.MAX_DEPTH
        assert decode("[" * depth + "]" * depth) is not None
        with pytest.raises(JsonProblem, match="nested deeper"):
            decode("[" * (depth + 1) + "]" * (depth + 1))

    def test_brackets_inside_strings_do_not_count_as_nesting(self):
        text = json.dumps({"summary": "[" * 1000 + "{" * 1000})
        assert decode(text)["summary"].startswith("[[[")

    @pytest.mark.parametrize(
        ("text", "field", "shown"),
        [
            ('{"duration_months": NaN}', "duration_months", "NaN"),
            ('{"year": Infinity}', "year", "Infinity"),
            ('{"payments": [{"amount_gbp": -Infinity}]}', "payments.0.amount_gbp", "-Infinity"),
            ('{"symbolic_total_gbp": 1e400}', "symbolic_total_gbp", "1e400"),
        ],
    )
    def test_non_finite_numbers_are_refused_with_their_field(self, text, field, shown):
        with pytest.raises(JsonProblem) as caught:
            decode(text)
        assert caught.value.field == field
        assert caught.value.message == f"not a finite number ({shown})"

    def test_a_number_of_5000_digits_is_refused_not_a_value_error(self):
        with pytest.raises(JsonProblem) as caught:
            decode('{"year": ' + "1" * 5000 + "}")
        assert caught.value.field == "year"
        assert "longer than 100 digits" in caught.value.message

    def test_invalid_utf8_names_the_byte(self):
        with pytest.raises(JsonProblem, match=r"not UTF-8 text \(byte 11 is 0xff\)"):
            decode(b'{"year": 2\xff}')

    @pytest.mark.parametrize("write", [jsonio.dumps, jsonio.json_line])
    def test_strict_writers_never_write_nan(self, write):
        text = write({"low": float("nan"), "high": [float("inf")], "n": 1})
        assert json.loads(text, parse_constant=pytest.fail) == {"low": None, "high": [None], "n": 1}

    @pytest.mark.parametrize("row", synthetic_cases(20, seed=9))
    def test_the_line_writer_and_dumps_write_the_same_values(self, row):
        line = jsonio.json_line(row)
        assert line.endswith("\n") and line.count("\n") == 1
        assert json.loads(line) == json.loads(jsonio.dumps(row))


BAD_RECORDS = [
    pytest.param(DEEP.encode(), None, "nested deeper than 32 levels", id="deep"),
    pytest.param(b'{"year": 20\xff21}', None, "not UTF-8 text (byte 12 is 0xff)", id="utf8"),
    pytest.param(b'{"duration_months": NaN}', "duration_months", "not a finite", id="nan"),
    pytest.param(b"{oops", None, "not JSON", id="not-json"),
    pytest.param(b'{"fault_types": ["flying"]}', "fault_types.0", "unknown value", id="value"),
]


class TestFastPath:
    """The fast decoder gives what json.loads gives, and stops only at a non-finite number."""

    @pytest.mark.parametrize("row", synthetic_cases(30, seed=5))
    def test_ordinary_records_decode_as_json_loads_does(self, row):
        text = json.dumps(row)
        assert decode(text) == json.loads(text)

    @pytest.mark.parametrize(
        ("text", "field"),
        [('{"year": 1e400}', "year"), ('{"duration_months": Infinity}', "duration_months"),
         ('{"x": [1, NaN]}', "x.1"), ('{"year": ' + "9" * 120 + "}", "year")],
    )  # fmt: skip
    def test_risky_numbers_still_name_their_field(self, text, field):
        with pytest.raises(JsonProblem) as caught:
            decode(text)
        assert caught.value.field == field

    def test_numbers_up_to_the_digit_limit_are_read_as_json_loads_reads_them(self):
        longest = "9" * jsonio.MAX_DIGITS
        text = f'{{"a": {longest}, "b": -2.5e-3, "c": 1e308, "d": [0, -0.0]}}'
        assert decode(text) == json.loads(text)
        with pytest.raises(JsonProblem, match="longer than 100 digits"):
            decode(f'{{"a": {longest}9}}')


class TestOneReaderForQueries:
    """A ``--case`` file, a ``predict`` line and an API body refuse a bad record alike."""

    @pytest.mark.parametrize(("data", "field", "message"), BAD_RECORDS)
    def test_the_three_query_surfaces_agree(self, tmp_path, data, field, message):
        case_file = tmp_path / "case.json"
        case_file.write_bytes(data)
        lines = tmp_path / "cases.jsonl"
        lines.write_bytes(json.dumps(GOOD).encode() + b"\n" + data + b"\n")
        with pytest.raises(InputError) as from_file:
            read_case_file(case_file)
        with pytest.raises(InputError) as from_body:
            case_from_json(data, where="body")
        (_, first), (number, second) = list(read_queries(lines))
        assert first.case_ref == "21 000 001" and number == 2
        for error in (from_file.value, from_body.value, second):
            assert error.field == field and error.reason.startswith(message)
        assert str(from_file.value).startswith(f"{case_file}: ")
        assert str(from_body.value).startswith("body: ")

    def test_a_misspelled_key_is_refused_with_the_closest_field(self, tmp_path):
        path = tmp_path / "case.json"
        path.write_text(json.dumps({"duraton_months": 6, "year": 2022}))
        with pytest.raises(InputError) as caught:
            read_case_file(path)
        assert str(caught.value) == (
            f"{path}: unknown field 'duraton_months' (did you mean 'duration_months'?)"
        )
        assert caught.value.field == "duraton_months"

    def test_a_key_like_no_field_is_refused_without_a_guess(self):
        with pytest.raises(InputError) as caught:
            make_case({"zzzzzz": 1})
        assert str(caught.value) == "query: unknown field 'zzzzzz'"

    def test_a_full_codebook_record_is_a_query(self):
        record = synthetic_cases(1)[0]
        assert case_from_json(json.dumps(record), where="body").case_ref == record["case_ref"]

    def test_a_query_file_with_a_byte_order_mark_is_read(self, tmp_path):
        path = tmp_path / "case.json"
        path.write_bytes(codecs.BOM_UTF8 + json.dumps(GOOD).encode())
        assert read_case_file(path).year == 2021

    def test_a_non_finite_number_from_python_is_not_a_number(self):
        with pytest.raises(InputError) as caught:
            make_case({"duration_months": float("nan")})
        assert str(caught.value) == "query: duration_months: not a number"
        with pytest.raises(InputError, match="not a finite number"):
            make_case({"respite_lost_weeks": float("inf")})


class TestInputFiles:
    """Only regular files are read, and only up to the stated limits."""

    @pytest.mark.parametrize("reader", [read_case_file, read_queries, read_cases])
    def test_devices_fifos_and_folders_are_refused_before_reading(self, tmp_path, reader):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        start = time.perf_counter()
        for path, problem in (
            ("/dev/zero", "is not a regular file"),
            (fifo, "is not a regular file"),
            (tmp_path, "is a folder"),
        ):
            with pytest.raises((InputError, DataError)) as caught:
                reader(path)
            assert str(caught.value).startswith(f"{path}: {problem}")
        assert time.perf_counter() - start < 2

    @pytest.mark.parametrize("reader", [read_queries, read_cases])
    def test_a_file_over_the_size_limit_is_refused_before_reading(self, tmp_path, reader):
        path = tmp_path / "huge.jsonl"
        with path.open("wb") as handle:  # sparse: takes no disk space
            handle.truncate(jsonio.MAX_FILE_BYTES + 1)
        with pytest.raises((InputError, DataError), match="more than the 256 MB limit"):
            reader(path)

    def test_a_case_file_over_the_record_limit_is_refused(self, tmp_path):
        path = tmp_path / "case.json"
        path.write_text(json.dumps({**GOOD, "summary": "x" * jsonio.MAX_RECORD_BYTES}))
        with pytest.raises(InputError, match="more than the 1 MB limit"):
            read_case_file(path)

    def test_an_overlong_line_is_one_bad_line_read_in_bounded_memory(self, tmp_path):
        path = tmp_path / "cases.jsonl"
        with path.open("wb") as handle:
            handle.write(json.dumps(GOOD).encode() + b"\n")
            handle.write(b'{"summary": "' + b"x" * (20 << 20) + b'"}\n')
            handle.write(json.dumps({**GOOD, "case_ref": "21 000 002"}).encode() + b"\n")
        tracemalloc.start()
        try:
            result = read_cases(path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert result.lines == [1, 3]
        assert str(result.errors[0]).endswith(
            ":2: json: line longer than the 1 MB limit for one case record"
        )
        assert peak < 8 << 20


class TestTables:
    """A case table reads the same way, but keeps its tolerance of keys it does not know."""

    def test_every_kind_of_bad_line_is_named_and_the_rest_kept(self, tmp_path):
        path = tmp_path / "cases.jsonl"
        good = json.dumps({**GOOD, "a_note_of_our_own": "kept"}).encode()
        path.write_bytes(
            codecs.BOM_UTF8
            + good
            + b"\n"
            + DEEP.encode()
            + b"\n\xff\xfe\n"
            + b'{"duration_months": NaN}\n'
            + good.replace(b"21 000 001", b"21 000 002")
            + b"\n"
        )
        result = read_cases(path)
        assert [c.case_ref for c in result.cases] == ["21 000 001", "21 000 002"]
        assert result.lines == [1, 5]
        assert [str(e).removeprefix(f"{path}:") for e in result.errors] == [
            "2: json: nested deeper than 32 levels",
            "3: json: not UTF-8 text (byte 1 is 0xff)",
            "4: duration_months: not a finite number (NaN)",
        ]
