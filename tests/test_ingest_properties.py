"""Property tests: the extractor never crashes, whatever text, HTML or truncated file it gets."""

from __future__ import annotations

import contextlib
import importlib.util
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remedy_model.errors import InputError
from remedy_model.ingest.document import extract_cases
from remedy_model.ingest.duration import find_durations
from remedy_model.ingest.money import payments_in
from remedy_model.ingest.text import html_to_text, text_from_bytes
from remedy_model.records import Case

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
# INGEST_EXAMPLES=2000 runs a longer search locally; CI keeps the default.
SETTINGS = settings(
    max_examples=int(os.environ.get("INGEST_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

FRAGMENTS = [
    "Testshire County Council (21 004 512)\n",
    "Category : Adult care services > Charging\n",
    "Decision : Upheld\n",
    "Decision : Not upheld\n",
    "Decision date : 31 Feb 2021\n",
    "Decision date : 12 Mar 2099\n",
    "Summary: ",
    "The Ombudsman found fault causing injustice. ",
    "The Council failed to provide respite for two years. ",
    "pay Mrs Q £200 a month for eight months",
    "£150 each to Mr and Mrs P",
    "(a total of £",
    "£9,999,999,999",
    "£0",
    "£",
    "each of the three bodies",
    "This included £",
    "between April and September 2019",
    "from February 2020 until June 2021",
    "\n\nAgreed action\n\n",
    "\n  • ",
    "\n1. ",
    "Case studies\n",
    "Ann's story\n",
    "Bo's story\n",
    "What we found\n",
    "Our recommendations\n",
    "the late Mr Y",
    "his parents",
    "; ",
    ". ",
    "\n",
    "REPORT TO: committee\n",
    "Ombudsman report",
    "aged 84",
    "42 nights of respite",
    "twenty-seven years",
    "\u2019s",
    "\u00a0",
]


def _check(cases) -> None:
    for c in cases:
        assert isinstance(c.case, Case)
        for p in c.record["payments"]:
            assert p["amount_gbp"] >= 0
        for entry in (c.record.get("provenance") or {}).values():
            start, end = entry["span"]
            assert 0 <= start <= end
            assert len(entry["quote"]) == end - start


def _extract(text: str):
    from remedy_model.ingest.text import DocumentText

    try:
        cases = extract_cases(DocumentText("prop.txt", "txt", text))
    except InputError:
        return
    _check(cases)
    for c in cases:
        for entry in c.record["provenance"].values():
            start, end = entry["span"]
            assert text[start:end] == entry["quote"]


class TestTextNeverCrashes:
    """Any text, decision-like or not, is extracted or refused cleanly."""

    @SETTINGS
    @given(st.text(max_size=3000))
    def test_arbitrary_text_never_crashes(self, text):
        _extract(text)

    @SETTINGS
    @given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=60).map("".join))
    def test_decision_like_text_never_crashes(self, text):
        _extract(text)
        payments_in(text)
        find_durations(text)


HTML_PARTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='cookie'>",
        "</div>",
        "<main>",
        "</main>",
        "<nav>",
        "<li>",
        "<script>x=1</script>",
        "<br>",
        "<table><tr><td>",
        "&pound;",
        "&amp;",
        "<!--",
        "-->",
        "<h1>Council (21 000 001)</h1>",
        "Decision : Upheld",
        "<",
        ">",
        "<header>",
        "</header>",
        "<link rel=canonical href=x>",
        "\x00",
    ]
)


class TestHtmlNeverCrashes:
    """Any HTML is read or refused cleanly."""

    @SETTINGS
    @given(st.lists(HTML_PARTS | st.text(max_size=15), max_size=60).map("".join))
    def test_arbitrary_html_never_crashes(self, html):
        text, _ = html_to_text(html)
        assert isinstance(text, str)
        try:
            doc = text_from_bytes(html.encode("utf-8", errors="replace"), "x.html", "html")
        except InputError:
            return
        with contextlib.suppress(InputError):
            _check(extract_cases(doc))


def _fixture_bytes() -> list[tuple[str, bytes]]:
    spec = importlib.util.spec_from_file_location("pdfmaker", FIXTURES / "pdfmaker.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = [(p.name, p.read_bytes()) for p in sorted(FIXTURES.glob("*.txt"))]
    out.append(("statement_page.html", (FIXTURES / "statement_page.html").read_bytes()))
    report = (FIXTURES / "committee_report.txt").read_text(encoding="utf-8")
    out.append(("report.pdf", module.make_pdf([report[:1200], report[1200:]])))
    return out


FILES = _fixture_bytes()


class TestFilesNeverCrash:
    """Truncated or arbitrary file bytes are read or refused in one line."""

    @SETTINGS
    @given(st.sampled_from(FILES), st.floats(min_value=0, max_value=1))
    def test_truncated_files_never_crash(self, item, fraction):
        name, data = item
        cut = data[: int(len(data) * fraction)]
        kind = {"txt": "txt", "html": "html", "pdf": "pdf"}[name.rsplit(".", 1)[1]]
        try:
            doc = text_from_bytes(cut, name, kind)
            _check(extract_cases(doc))
        except InputError as exc:
            assert "\n" not in str(exc)

    @SETTINGS
    @given(st.binary(max_size=4000), st.sampled_from(["txt", "html", "pdf"]))
    def test_arbitrary_bytes_never_crash(self, data, kind):
        try:
            doc = text_from_bytes(data, f"x.{kind}", kind)
            _check(extract_cases(doc))
        except InputError:
            pass
