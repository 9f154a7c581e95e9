"""Case files: bad lines are named and skipped, good lines kept, hopeless files refused."""

import json

import pytest

from remedy_model.dataset import case_groups, cases_frame, load_cases, read_cases
from remedy_model.errors import DataError
from remedy_model.records import Case

GOOD = {"case_ref": "21 000 001", "year": 2021, "remedy_visible": True, "symbolic_total_gbp": 300}


class TestReadCases:
    """Bad lines are named and skipped; good lines, and the embedded table, load."""

    def test_bad_lines_are_reported_with_file_line_and_field(self, tmp_path):
        path = tmp_path / "cases.jsonl"
        lines = [
            json.dumps(GOOD),
            "{not json",
            json.dumps({**GOOD, "case_ref": "21 000 002", "fault_types": ["flying"]}),
            "",
            json.dumps([1, 2]),
            json.dumps({**GOOD, "case_ref": "21 000 003", "duration_months": -2}),
            json.dumps({**GOOD, "case_ref": "21 000 004"}),
        ]
        path.write_text("\n".join(lines) + "\n")
        result = read_cases(path)
        assert [c.case_ref for c in result.cases] == ["21 000 001", "21 000 004"]
        assert result.lines == [1, 7]
        described = [str(e) for e in result.errors]
        assert described[0].startswith(f"{path}:2: json:")
        assert described[1].startswith(f"{path}:3: fault_types.0: unknown value 'flying'")
        assert described[2].startswith(f"{path}:5: record:")
        assert described[3].startswith(f"{path}:6: duration_months:")

    def test_embedded_table_loads_cleanly(self):
        from remedy_model import config

        result = read_cases(config.CASES_PATH)
        assert not result.errors
        visible = [c for c in result.cases if c.has_target]
        paid = [c for c in visible if c.symbolic_total_gbp > 0]
        assert len(result.cases) > 800 and len(visible) > 350 and len(paid) > 150


class TestRefusedFiles:
    """A file with nothing usable is refused in one clear line."""

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "file is empty"),
            (b"\n\n", "file is empty"),
            (b"\xff\xfe\x00bin", "not UTF-8 text"),
            (b"a,b,c\n1,2,3\n", "no valid case line"),
        ],
    )
    def test_unusable_files_raise_one_clear_error(self, tmp_path, content, message):
        path = tmp_path / "bad.jsonl"
        path.write_bytes(content)
        with pytest.raises(DataError, match=message) as info:
            read_cases(path)
        assert str(path) in str(info.value) and "\n" not in str(info.value)

    def test_missing_file_and_folder(self, tmp_path):
        with pytest.raises(DataError, match="no such file"):
            read_cases(tmp_path / "absent.jsonl")
        with pytest.raises(DataError, match="is a folder"):
            read_cases(tmp_path)


class TestLoadCases:
    """Several files merge, later duplicates dropped."""

    def test_load_cases_drops_later_duplicates_by_reference(self, tmp_path):
        a = tmp_path / "a.jsonl"
        b = tmp_path / "b.jsonl"
        a.write_text(json.dumps(GOOD) + "\n" + json.dumps({"year": 2020}) + "\n")
        b.write_text(
            json.dumps({**GOOD, "symbolic_total_gbp": 999})
            + "\n"
            + json.dumps({"year": 2020})
            + "\n"
            + json.dumps({"year": 2021})
            + "\n"
        )
        merged = load_cases([a, b])
        # Without a reference: an exact repeat of an earlier file's case is dropped (a corpus
        # table holds the embedded cases), a different case is kept.
        assert [c.year for c in merged.cases] == [GOOD["year"], 2020, 2021]
        assert merged.cases[0].symbolic_total_gbp == 300


class TestCaseGroups:
    """Suffixed references of one complaint share a group."""

    def test_case_groups_join_suffixed_references(self):
        cases = [
            Case(case_ref="20 011 594a"),
            Case(case_ref="20 011 594b"),
            Case(case_ref="20 011 595"),
        ]
        groups = case_groups(cases)
        assert groups[0] == groups[1] != groups[2]


class TestCasesFrame:
    """The case frame holds nominal and today's money."""

    def test_cases_frame_has_nominal_and_today(self, cpi):
        cases = [
            Case(year=2015, remedy_visible=True, symbolic_total_gbp=1000, financial_total_gbp=0),
            Case(year=None, remedy_visible=True, symbolic_total_gbp=500),
            Case(year=2020),
        ]
        frame = cases_frame(cases, cpi)
        assert frame.loc[0, "symbolic_today"] == pytest.approx(1384.0)
        assert frame.loc[1, "symbolic_today"] == pytest.approx(500.0)
        assert frame["paid"].tolist()[:2] == [True, True]
        assert frame["symbolic_gbp"].isna().tolist() == [False, False, True]
