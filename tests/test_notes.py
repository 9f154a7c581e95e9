"""The case note: one self-contained HTML page (printable) or Markdown, everything escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from remedy_model import api
from remedy_model.cli import main
from remedy_model.draft import Passage
from remedy_model.notes import md, note_html, note_markdown

DOCS = Path(__file__).parent / "fixtures" / "ingest"
MARKUP = "<script>alert(1)</script> *star* [link](javascript:alert(1)) <b>bold</b> & co"
QUERY = {"fault_types": ["charging"], "duration_months": 4, "year": 2023}
DAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def plain(trained):
    return api.answer(QUERY, model=trained.model, proposed=250)


@pytest.fixture(scope="module")
def drafted(trained):
    return api.check_draft(
        api.read_draft(DOCS / "review_cases.txt", case_label="Bilal"), model=trained.model
    )


def with_markup(answer):
    """The answer with markup in a precedent, the draft's passages and its label."""
    s = answer.suggestion
    first = dataclasses.replace(
        s.precedents[0],
        organisation=MARKUP,
        summary=MARKUP,
        label=MARKUP,
        url="javascript:alert(1)",
    )
    out = dataclasses.replace(answer, suggestion=dataclasses.replace(s, precedents=[first]))
    if answer.draft is not None:
        read = [Passage("fault_types", MARKUP, MARKUP, "x")]
        out.draft = dataclasses.replace(answer.draft, read=read, label=MARKUP)
        out.document = MARKUP
    return out


class TestHtmlNote:
    def test_it_holds_every_part_of_the_answer(self, drafted, trained):
        page = note_html(drafted, trained.model.info, today=DAY)
        soup = BeautifulSoup(page, "html.parser")
        s = drafted.suggestion
        for part in (
            "note-case",
            "note-chance",
            "note-amount",
            "note-verdict",
            "note-why",
            "note-precedents",
            "note-assumptions",
            "note-read",
            "note-purposes",
        ):
            assert soup.find(id=part) is not None, part
        assert "2026-01-15" in page and trained.model.info["data_hash"] in page
        assert s.check.reason.replace("'", "&#39;") in page
        assert "Proposed £700 (the draft&#39;s symbolic total)" in page
        assert "£6,200 waived charge (financial: listed, not judged)" in page
        links = [a["href"] for a in soup.select("#note-precedents a")]
        assert links == [p.url for p in s.precedents if p.url]
        assert len(soup.select("#note-precedents li")) == len(s.precedents)

    def test_it_is_self_contained_and_printable(self, plain, trained):
        page = note_html(plain, trained.model.info)
        assert "<script" not in page and "<link" not in page
        assert not re.search(r'src="(?:https?:)?//', page)
        assert "@media print" in page and "@page" in page
        assert 'id="back"' not in page
        assert 'id="back"' in note_html(plain, trained.model.info, back_url="/suggest?x=1")

    def test_markup_in_the_data_is_text(self, drafted, trained):
        page = note_html(with_markup(drafted), trained.model.info)
        assert "<script>" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;" in page
        hrefs = [a["href"] for a in BeautifulSoup(page, "html.parser").find_all("a")]
        assert not [h for h in hrefs if not h.startswith("https://")]

    def test_without_a_proposal_it_says_so(self, trained):
        answer = api.answer(QUERY, model=trained.model)
        page = note_html(answer, trained.model.info)
        assert "No sum was proposed" in page


class TestMarkdownNote:
    def test_it_holds_the_answer(self, drafted, trained):
        text = note_markdown(drafted, trained.model.info, today=DAY)
        for heading in (
            "## Is a symbolic payment likely?",
            "## If paid, how much?",
            "## Verdict",
            "## The draft's remedy",
            "## Read from the draft",
            "## Why this figure",
            "## Precedents",
            "## Assumptions",
        ):
            assert heading in text
        assert "2026-01-15" in text and trained.model.info["data_hash"] in text
        html = MarkdownIt("commonmark").enable("table").render(text)
        assert html.count("<tr>") == 4 and html.count("<blockquote>") == 2

    def test_markup_in_the_data_is_text(self, drafted, trained):
        text = note_markdown(with_markup(drafted), trained.model.info)
        html = MarkdownIt("commonmark").enable("table").render(text)
        assert "<script>" not in html and "<b>bold</b>" not in html
        assert "<em>star</em>" not in html and "javascript:" not in re.sub(r">[^<]*<", "><", html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; *star*" in html

    @pytest.mark.parametrize(
        "text",
        [
            "1. item",
            "- item",
            "# heading",
            "> quote",
            "`code`",
            "a\nb",
            "**bold**",
            "<http://x.org>",
            "&amp;",
        ],
    )
    def test_md_keeps_any_text_as_text(self, text):
        html = MarkdownIt("commonmark").render(f"- label: {md(text)}\n\n{md(text)}")
        for tag in ("<ol", "<h1", "<blockquote", "<code", "<strong", "<a "):
            assert tag not in html
        assert html.count("<li>") == 1


class TestNoteOption:
    def test_suggest_writes_both_kinds(self, capsys, trained, tmp_path):
        for name in ("note.html", "note.md"):
            code = main(
                [
                    "suggest",
                    "--from-document",
                    str(DOCS / "draft_decision.txt"),
                    "--note",
                    str(tmp_path / name),
                    "--model",
                    str(trained.path),
                ]
            )
            err = capsys.readouterr().err
            assert code == 0 and f"Case note written to {tmp_path / name}" in err
            text = (tmp_path / name).read_text(encoding="utf-8")
            assert "Proposed £300" in text and "symbolic total" in text and "six weeks" in text

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("note.pdf", "--note: a note is written as .html or .md"),
            ("missing/note.md", "does not exist"),
        ],
    )
    def test_a_bad_note_path_is_refused_before_any_work(
        self, capsys, trained, tmp_path, name, message
    ):
        code = main(
            [
                "suggest",
                "--fault",
                "charging",
                "--note",
                str(tmp_path / name),
                "--model",
                str(tmp_path / "absent.npz"),
            ]
        )
        err = capsys.readouterr().err
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1

    def test_a_refused_query_leaves_an_existing_note_as_it_was(self, capsys, trained, tmp_path):
        note = tmp_path / "note.md"
        note.write_text("earlier note\n", encoding="utf-8")
        code = main(
            [
                "suggest",
                "--category",
                "Nowhere at all",
                "--note",
                str(note),
                "--model",
                str(trained.path),
            ]
        )
        assert code == 2 and note.read_text(encoding="utf-8") == "earlier note\n"
        assert [p.name for p in tmp_path.iterdir()] == ["note.md"]
