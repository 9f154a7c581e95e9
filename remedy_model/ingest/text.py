"""Turn a saved document (plain text, web page or PDF) into plain text, boilerplate removed.

Every offset that ingest records (``provenance``) points into the text this module returns:

- ``.txt``: the file itself, decoded (UTF-8, else Windows-1252) with universal newlines, cut
  before the site furniture that follows a saved decision page ("Print this page", the cookie
  settings). So a character offset can be checked by opening the file.
- ``.html`` / ``.htm``: the visible text of the main content, one block per line, without
  scripts, navigation, headers, footers, forms and cookie banners (parsed with lxml).
- ``.pdf``: the text layer of each page (pypdf), pages joined by a blank line.

Files that cannot give text (missing, unreadable, empty, binary, too large, encrypted or
image-only PDFs) raise :class:`~remedy_model.errors.InputError` with a one-line reason.
Third-party libraries are imported inside the functions so importing this module stays cheap.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from remedy_model.errors import InputError

MAX_FILE_BYTES = 50_000_000
"""Larger files are refused: no decision, report or review comes near this size."""

MAX_TEXT_CHARS = 1_000_000
"""Text beyond this many characters is refused: the longest decisions, reports and reviews hold
a few hundred thousand, and extraction costs 2-5 s of CPU a million characters (linear:
``benchmarks/bench_ingest.py --long``), so one upload's work stays bounded."""

MAX_PDF_PAGES = 2_000

SUFFIX_KINDS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}
"""File types ingest reads, by suffix (the content is sniffed too: a PDF saved as .txt works)."""

_TRAILING_FURNITURE = re.compile(
    r"^[ \t]*(?:Print this page|Review your privacy settings|LGO logogram|Cookie settings|"
    r"Manage cookies|We use cookies|This website uses cookies)\b",
    re.MULTILINE | re.IGNORECASE,
)
_FURNITURE_LINES = re.compile(
    r"^[ \t]*(?:Back to top|Skip to (?:main )?content|Print this page|Share this page|"
    r"Accept(?: all)? cookies|Reject(?: all)? cookies)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<meta|<div|<p>)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
"""Characters lxml refuses in text (a form feed in a saved page made it raise)."""
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "iframe",
    "select",
    "input",
    "textarea",
    "dialog",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "head",
)
_BOILERPLATE_ATTR = re.compile(
    r"cookie|consent|gdpr|banner|breadcrumb|skip-?link|share|social|newsletter|subscribe|"
    r"sidebar|modal|popup|site-?nav|navbar|menu|masthead|site-?header|site-?footer|feedback",
    re.I,
)
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
    ]
)
_CELL_TAGS = frozenset({"td", "th"})


@dataclass(frozen=True)
class DocumentText:
    """The plain text of one input document.

    Attributes
    ----------
    path : str
        The path as the user gave it (recorded as ``source_doc``).
    kind : str
        ``"txt"``, ``"html"`` or ``"pdf"``: how the text was obtained.
    text : str
        The plain text; provenance offsets index into it.
    pages : int or None
        Page count for PDFs.
    url : str or None
        The page's canonical address when a saved web page declares one.
    """

    path: str
    kind: str
    text: str
    pages: int | None = None
    url: str | None = None


def load_text(path: str | Path) -> DocumentText:
    """Read ``path`` and return its plain text.

    Raises
    ------
    InputError
        With a one-line reason: no such file, a folder, unsupported type, empty, too large,
        unreadable, binary, not a readable PDF, or no text in it.
    """
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise InputError(f"{name}: no such file")
    if p.is_dir():
        raise InputError(f"{name}: is a folder, not a file")
    kind = SUFFIX_KINDS.get(p.suffix.lower())
    if kind is None:
        raise InputError(
            f"{name}: unsupported file type {p.suffix or '(none)'!r}; "
            f"expected one of {', '.join(sorted(SUFFIX_KINDS))}"
        )
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"{name}: file too large ({size / 1e6:.0f} MB; the limit is "
                f"{MAX_FILE_BYTES / 1e6:.0f} MB)"
            )
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    return text_from_bytes(data, name, kind)


def text_from_bytes(data: bytes, name: str, kind: str) -> DocumentText:
    """Return the plain text of a document's bytes; ``kind`` is the type its suffix claims.

    The content decides when it disagrees with the suffix (a PDF or a web page saved as .txt).
    """
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{name}: file too large ({len(data) / 1e6:.0f} MB)")
    if data.lstrip()[:5] == b"%PDF-":
        kind = "pdf"
    elif kind == "pdf":
        raise InputError(f"{name}: not a PDF file (no %PDF header)")
    elif _HTML_SNIFF.match(data[:512]):
        kind = "html"
    if kind == "pdf":
        text, pages = pdf_to_text(data, name)
        return DocumentText(name, "pdf", _check_text(text, name), pages=pages)
    decoded = decode_bytes(data, name)
    if kind == "html":
        text, url = html_to_text(decoded)
        return DocumentText(name, "html", _check_text(text, name), url=url)
    return DocumentText(name, "txt", _check_text(strip_trailing_furniture(decoded), name))


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: no text found in the document")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"{name}: text too long ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}, "
            "longer than any decision, report or review)"
        )
    return text


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode text bytes (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252).

    Newlines become ``\\n``. Bytes that are not text (NUL bytes, many control characters)
    raise :class:`InputError`.

    >>> decode_bytes("caf\\u00e9\\r\\nok".encode("utf-8"))
    'café\\nok'
    >>> decode_bytes(b"\\x93quoted\\x94")
    '“quoted”'
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: binary file, not text") from exc
    else:
        if b"\x00" in data[:65536]:
            raise InputError(f"{name}: binary file, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError(f"{name}: binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_trailing_furniture(text: str) -> str:
    """Cut a saved decision page's trailing site furniture (print link, cookie settings).

    Only a cut in the second half of the text counts, so a short note that mentions cookies
    keeps its content. The result is a prefix of ``text``: offsets stay valid.

    >>> strip_trailing_furniture("Decision text.\\n\\nMore text.\\n\\nPrint this page\\nCookies")
    'Decision text.\\n\\nMore text.\\n\\n'
    """
    for match in _TRAILING_FURNITURE.finditer(text):
        if match.start() >= len(text) // 2:
            return text[: match.start()]
    return text


def html_to_text(html: str) -> tuple[str, str | None]:
    """Return the visible main text of a web page and its canonical URL (or ``None``).

    Navigation, headers and footers outside the main content, forms, scripts and elements
    whose id, class or role names a cookie banner, menu, breadcrumb or share bar are dropped.
    Block elements start new lines, list items start with a bullet, table cells are joined
    with `` | `` so that "Category : ..." stays on one line. Parsed with lxml's HTML parser,
    which copes with broken markup.

    >>> text, url = html_to_text(
    ...     '<html><head><link rel="canonical" href="https://example.org/d/1"></head><body>'
    ...     '<nav><a href="/">Home</a></nav><div class="cookie-banner">We use cookies</div>'
    ...     '<main><h1>Testshire Council (21 000 001)</h1><p><b>Decision</b> : Upheld</p>'
    ...     '<ul><li>pay Mrs Q &pound;300</li></ul></main></body></html>')
    >>> print(text)
    Testshire Council (21 000 001)
    Decision : Upheld
    • pay Mrs Q £300
    >>> url
    'https://example.org/d/1'
    """
    from lxml import etree
    from lxml import html as lxml_html

    cleaned = _XML_DECLARATION.sub("", _NOT_XML.sub(" ", html))
    if not cleaned.strip():
        return "", None
    try:
        root = lxml_html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError):
        return "", None
    url = _canonical_url(root)
    main = _main_element(root)
    _drop_furniture(main)
    parts: list[str] = []
    _walk(main, parts)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n")]
    text = "\n".join(line for line in lines if line)
    text = _FURNITURE_LINES.sub("", text)
    text = re.sub(r"\n{2,}", "\n", text).strip("\n")
    return strip_trailing_furniture(text), url


_MAIN_QUERIES = (
    "//article[@id='article']",  # where the Ombudsman's decision pages hold the decision
    "//main",
    "//*[@role='main']",
    "//article",
    "//*[@id='content' or @id='main-content' or @id='maincontent']",
    "//body",
)


def _canonical_url(root) -> str | None:
    """The page's canonical address (``<link rel="canonical">`` or ``og:url``), or ``None``."""
    for value in root.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
        " | //meta[@property='og:url']/@content"
    ):
        if str(value).strip():
            return str(value).strip()
    return None


def _main_element(root):
    """The element holding the page's main content (the whole page if none is marked)."""
    for query in _MAIN_QUERIES:
        found = root.xpath(query)
        if found:
            return found[0]
    return root


def _drop_furniture(main) -> None:
    """Drop scripts, forms, navigation and elements named as banners, menus or share bars
    (a header holding a heading is kept: it holds the decision's title and label/values)."""
    doomed = []
    for el in main.iter():
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _DROP_TAGS:
            doomed.append(el)  # comments and processing instructions too (their tail is kept)
            continue
        label = " ".join(el.get(k, "") for k in ("id", "class", "role", "aria-label"))
        if (tag == "header" or (label.strip() and _BOILERPLATE_ATTR.search(label))) and not (
            el.xpath(".//h1 | .//h2 | .//h3")
        ):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _walk(node, parts: list[str]) -> None:
    """Append the text under ``node`` to ``parts``, with newlines around block elements."""
    stack: list[tuple[object, bool]] = [(node, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if tag in _BLOCK_TAGS and tag != "dt":
                parts.append("\n")
            if el is not node and el.tail:
                parts.append(el.tail.replace("\n", " "))
            continue
        if not isinstance(el.tag, str):
            if el is not node and el.tail:
                parts.append(el.tail.replace("\n", " "))
            continue
        tag = el.tag.lower()
        if tag == "br":
            parts.append("\n")
        elif tag == "dd":
            parts.append(" : ")  # a header's label (dt) and value (dd) on one line
        elif tag in _BLOCK_TAGS:
            parts.append("\n• " if tag == "li" else "\n")
        elif tag in _CELL_TAGS:
            parts.append(" | ")
        if el.text:
            parts.append(el.text.replace("\n", " "))
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))


def pdf_to_text(data: bytes, name: str = "<pdf>") -> tuple[str, int]:
    """Return the text layer of a PDF's pages (joined by a blank line) and the page count.

    Raises
    ------
    InputError
        When pypdf cannot read the file (truncated, damaged), it is encrypted with a
        password, or it has no text layer (a scan).
    """
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise InputError(f"{name}: reading PDF needs the 'pypdf' package") from exc

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:
                raise InputError(f"{name}: encrypted PDF, cannot read it") from exc
            if not ok:
                raise InputError(f"{name}: encrypted PDF, cannot read it")
        n_pages = len(reader.pages)
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise InputError(f"{name}: not a readable PDF ({_short(exc)})") from exc
    if n_pages == 0:
        raise InputError(f"{name}: PDF has no pages")
    if n_pages > MAX_PDF_PAGES:
        raise InputError(f"{name}: PDF too long ({n_pages} pages; the limit is {MAX_PDF_PAGES})")
    texts: list[str] = []
    failures = 0
    for index in range(n_pages):
        try:
            page_text = reader.pages[index].extract_text() or ""
        except Exception:
            failures += 1
            continue
        texts.append(page_text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""))
    if failures == n_pages:
        raise InputError(f"{name}: not a readable PDF (no page could be read)")
    text = "\n\n".join(t.strip("\n") for t in texts)
    if not text.strip():
        raise InputError(f"{name}: PDF has no text layer (a scanned image?)")
    return text + "\n", n_pages


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]
