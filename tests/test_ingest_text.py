"""Documents to plain text: .txt, .html (boilerplate dropped), .pdf, and clear refusals."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from remedy_model.errors import InputError
from remedy_model.ingest import text as textmod
from remedy_model.ingest.text import decode_bytes, html_to_text, load_text, text_from_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _pdfmaker():
    spec = importlib.util.spec_from_file_location("pdfmaker", FIXTURES / "pdfmaker.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_pdf = _pdfmaker().make_pdf


class TestPlainText:
    """Text files keep their offsets and older encodings decode."""

    def test_txt_keeps_offsets_and_cuts_trailing_furniture(self):
        doc = load_text(FIXTURES / "statement_respite.txt")
        raw = (FIXTURES / "statement_respite.txt").read_text(encoding="utf-8")
        assert doc.kind == "txt"
        assert raw.startswith(doc.text)  # a prefix: offsets index the file itself
        assert "privacy settings" not in doc.text
        assert "Agreed action" in doc.text

    def test_windows_1252_text_is_decoded(self, tmp_path):
        path = tmp_path / "old.txt"
        path.write_bytes("Pay Mrs Q \u00a3300 \u2013 the Council\u2019s offer.".encode("cp1252"))
        assert load_text(path).text == "Pay Mrs Q £300 – the Council’s offer."


class TestHtml:
    """HTML keeps the decision and drops the page furniture."""

    def test_html_drops_navigation_cookies_sidebar_and_footer(self):
        doc = load_text(FIXTURES / "statement_page.html")
        assert doc.kind == "html"
        assert (
            doc.url
            == "https://www.example.org/decisions/adult-care-services/direct-payments/22-007-431"
        )
        assert doc.text.startswith("Eastbury City Council (22 007 431)")
        assert "Category : Adult care services > Direct payments" in doc.text
        for junk in (
            "cookies",
            "Skip to main content",
            "Related decisions",
            "9,999",
            "Home",
            "Print",
        ):
            assert junk not in doc.text

    def test_html_without_main_uses_body_and_drops_header_nav(self):
        text, url = html_to_text(
            "<html><body><header><nav>Menu</nav></header><div class='site-nav'>Links</div>"
            "<p>Decision : Upheld</p><table><tr><th>Category</th><td>Education</td></tr></table>"
            "</body></html>"
        )
        assert url is None
        assert "Menu" not in text and "Links" not in text
        assert "Decision : Upheld" in text
        assert "Category | Education" in text

    def test_text_from_bytes_html_sniffed_from_txt(self):
        doc = text_from_bytes(
            b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", "x.txt", "txt"
        )
        assert doc.kind == "html" and doc.text == "Hello"


class TestPdf:
    """PDF text layers are read, whatever the file's name."""

    def test_pdf_text_layer(self, tmp_path):
        path = tmp_path / "report.pdf"
        path.write_bytes(make_pdf(["Page one says £1,250 was paid.", "Page two ends it."]))
        doc = load_text(path)
        assert doc.kind == "pdf" and doc.pages == 2
        assert "£1,250" in doc.text and "Page two" in doc.text

    def test_pdf_saved_as_txt_is_sniffed(self, tmp_path):
        path = tmp_path / "report.txt"
        path.write_bytes(make_pdf(["Sniffed text"]))
        assert load_text(path).kind == "pdf"


class TestRefusals:
    """Unusable files get one clear line naming the file."""

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("empty.txt", b"", "empty file"),
            ("blank.txt", b"   \n\n  ", "empty file"),
            ("binary.txt", bytes(range(256)) * 4, "binary file"),
            ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Cat", "not a readable PDF"),
            ("fake.pdf", b"just some text", "not a PDF file"),
            ("notes.docx", b"PK\x03\x04", "unsupported file type"),
        ],
    )
    def test_unusable_files_get_one_clear_line(self, tmp_path, name, content, message):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InputError) as err:
            load_text(path)
        assert message in str(err.value)
        assert str(path) in str(err.value)
        assert "\n" not in str(err.value)

    def test_missing_file_and_folder(self, tmp_path):
        with pytest.raises(InputError, match="no such file"):
            load_text(tmp_path / "nope.txt")
        with pytest.raises(InputError, match="is a folder"):
            load_text(tmp_path)

    def test_huge_file_is_refused(self, tmp_path, monkeypatch):
        monkeypatch.setattr(textmod, "MAX_FILE_BYTES", 1000)
        path = tmp_path / "big.txt"
        path.write_text("Ombudsman fault " * 200, encoding="utf-8")
        with pytest.raises(InputError, match="too large"):
            load_text(path)

    def test_unreadable_file(self, tmp_path, monkeypatch):
        path = tmp_path / "secret.txt"
        path.write_text("text", encoding="utf-8")

        def refuse(self):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "read_bytes", refuse)
        with pytest.raises(InputError, match=r"cannot read \(Permission denied\)"):
            load_text(path)

    def test_pdf_without_text_layer(self, tmp_path):
        path = tmp_path / "scan.pdf"
        path.write_bytes(make_pdf([""]))
        with pytest.raises(InputError, match="no text"):
            load_text(path)

    def test_decode_refuses_control_characters(self):
        with pytest.raises(InputError, match="binary"):
            decode_bytes(b"\x01\x02\x03\x04" * 50)
