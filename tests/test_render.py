"""Terminal output: the answer first, data printed as typed, one colour per verdict."""

from __future__ import annotations

import dataclasses

import pytest
from rich.console import Console

from remedy_model import api
from remedy_model.render import print_suggestion

QUERY = {"fault_types": ["care_not_provided"], "duration_months": 12, "carer_impact": True,
         "category": "Adult care services > Charging", "year": 2020}  # fmt: skip
MARKUP = "[/x][red]Invented[/red] [bold]"


@pytest.fixture(scope="module")
def suggestion(trained):
    return api.suggest(QUERY, model=trained.model, proposed=400)


def printed(s, width: int = 80, **options) -> str:
    console = Console(width=width, record=True, force_terminal=True, color_system="truecolor")
    print_suggestion(console, s, **options)
    return console.export_text()


class TestLayout:
    def test_the_answers_and_verdict_come_first_within_30_lines_at_80_columns(self, suggestion):
        lines = printed(suggestion).splitlines()
        verdict = next(i for i, line in enumerate(lines) if line.startswith("Proposed £400"))
        assert verdict < 30
        assert lines[0].startswith("Is a symbolic payment likely?")
        assert max(len(line) for line in lines) <= 80

    def test_precedents_take_two_lines_each_unless_details_are_asked(self, suggestion):
        short = printed(suggestion)
        long = printed(suggestion, details=True)
        assert len(long.splitlines()) > len(short.splitlines())
        assert suggestion.precedents[0].summary in long.replace("\n    ", " ")


class TestDataIsText:
    def test_brackets_in_precedents_are_printed_as_typed(self, suggestion):
        first = dataclasses.replace(
            suggestion.precedents[0], organisation=MARKUP, summary=MARKUP, label=MARKUP,
            shared=[MARKUP], differs=[MARKUP],
        )  # fmt: skip
        s = dataclasses.replace(suggestion, precedents=[first])
        text = printed(s, width=200, details=True)
        assert text.count(MARKUP) >= 4


SGR = {"green": "32", "yellow": "33", "red": "31"}
"""The terminal's colour codes of the three tones."""


class TestColours:
    @pytest.mark.parametrize("proposed", [0, 400, 10_000_000])
    def test_the_verdict_is_printed_in_its_tones_colour(self, trained, proposed):
        import io

        from remedy_model.style import TONE_TERMINAL

        s = api.suggest(QUERY, model=trained.model, proposed=proposed)
        out = io.StringIO()
        console = Console(file=out, width=80, force_terminal=True, color_system="standard")
        print_suggestion(console, s)
        line = next(x for x in out.getvalue().splitlines() if "Proposed £" in x)
        expected = SGR[TONE_TERMINAL[s.check.tone]]
        assert f"\x1b[1;{expected}m" in line
        others = set(SGR.values()) - {expected}
        assert not any(f"\x1b[1;{code}m" in line for code in others)
