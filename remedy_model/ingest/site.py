"""What ``remedy fetch`` relies on about the Ombudsman's public site, and how it reads it.

The facts (from public material; issue 12), each checked on every page read:

- **Listing.** ``GET /Decisions/SearchResults?fd=YYYY-MM-DD&td=YYYY-MM-DD&page=N`` lists the
  decisions dated from ``fd`` to ``td``, 10 a page, and shows the total as "Your search has N
  results". Unknown parameters are ignored (so a category cannot be asked for: it is read from
  each decision's address). Walking one calendar month at a time keeps each window small (about
  500 decisions a month over all categories).
- **Decision pages.** ``/decisions/<category>/<subcategory>/<NN-NNN-NNN>``, a letter possibly
  following the reference (one complaint against several bodies). The text sits in
  ``<article id="article">``, whose header holds label/value pairs (Category, Decision,
  Decision date) after a heading "Organisation (NN NNN NNN)".

A listing page without the count, or without any decision link when the count says there are
more, raises :class:`SiteFormatError` naming the page: the site's format may have changed, and
going on would silently fetch nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import urllib.parse
from dataclasses import dataclass

from remedy_model.errors import InputError, RemedyError

DEFAULT_BASE_URL = "https://www.lgo.org.uk"
LISTING_PATH = "/Decisions/SearchResults?fd={date_from}&td={date_to}&page={page}"
PAGE_SIZE = 10
"""Results on a full listing page."""

IN_SCOPE_CATEGORIES = (
    "adult-care-services",
    "children-s-care-services",
    "education",
    "health",
)
"""Address slugs of the four in-scope categories, as the codebook's ``url`` fields spell them
(``data/raw/cases.jsonl``): adult care services, children's care services, education, and the
joint health and social care decisions, which the site files under ``/decisions/health/``."""

DECISION_LINK = re.compile(
    r"""href\s*=\s*["']?(?P<url>[^"'\s>]{0,300}?/decisions/(?P<category>[a-z0-9-]{1,80})/"""
    r"""(?P<subcategory>[a-z0-9-]{1,80})/(?P<ref>\d{2}-\d{3}-\d{3}[a-z]?))"""
    r"""(?:[/?#][^"'\s>]{0,300})?["'\s>]""",
    re.IGNORECASE,
)
"""A link to a decision page, relative or absolute."""

RESULT_COUNT = re.compile(r"your\s+search\s+has\s+(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+results?\b", re.I)
_TAG = re.compile(r"<[^<>]{0,2000}>")
ARTICLE = re.compile(r"""<article\b[^>]{0,500}\bid\s*=\s*["']?article\b""", re.IGNORECASE)
DECISION_HEADING = re.compile(r"\(\s*\d{2}\s?\d{3}\s?\d{3}[a-z]?\s*\)", re.IGNORECASE)


class SiteFormatError(RemedyError):
    """A page does not look as the site's pages did: its format may have changed."""


@dataclass(frozen=True)
class Decision:
    """A decision page's address and what the address says."""

    url: str
    category: str
    subcategory: str
    ref: str

    @property
    def file_name(self) -> str:
        """Where the page is kept in the cache: ``<category>/<reference>.html``."""
        return f"{self.category}/{self.ref}.html"


@dataclass(frozen=True)
class Listing:
    """One listing page: the total the search reports and the decisions linked."""

    total: int
    decisions: list[Decision]


def check_base_url(url: str) -> str:
    """The site's address without a trailing slash; only http and https are fetched.

    >>> check_base_url("https://www.example.org/")
    'https://www.example.org'
    >>> check_base_url("file:///etc")
    Traceback (most recent call last):
    ...
    remedy_model.errors.InputError: --base-url file:///etc: only http:// and https:// addresses \
can be fetched
    """
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"--base-url {url}: only http:// and https:// addresses can be fetched")
    if not parts.hostname:
        raise InputError(f"--base-url {url}: no host name in the address")
    return url.strip().rstrip("/")


def is_local(url: str) -> bool:
    """True for a server on this machine (127.0.0.1, localhost, ::1)."""
    return (urllib.parse.urlsplit(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def checked_site(base_url: str, min_interval: float) -> str:
    """The base URL (http or https only) if ``min_interval`` is allowed for it.

    At most one request a second to any site; shorter only for a server on this machine.
    """
    from remedy_model.ingest.client import MIN_INTERVAL

    base = check_base_url(base_url)
    if not math.isfinite(min_interval) or min_interval < 0:
        raise InputError(f"--min-interval {min_interval}: give a number of seconds, 0 or more")
    if min_interval < MIN_INTERVAL and not is_local(base):
        raise InputError(
            f"--min-interval {min_interval}: at most one request a second to {base}; "
            "shorter only for a server on this machine"
        )
    return base


def listing_url(base: str, window: tuple[dt.date, dt.date], page: int) -> str:
    """The address of one listing page of a date window."""
    path = LISTING_PATH.format(
        date_from=window[0].isoformat(), date_to=window[1].isoformat(), page=page
    )
    return base + path


def month_windows(date_from: dt.date, date_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar months from ``date_from`` to ``date_to``, the first and last clipped.

    >>> [(a.isoformat(), b.isoformat()) for a, b in month_windows(
    ...     dt.date(2021, 1, 15), dt.date(2021, 3, 2))]
    [('2021-01-15', '2021-01-31'), ('2021-02-01', '2021-02-28'), ('2021-03-01', '2021-03-02')]
    """
    out = []
    start = date_from
    while start <= date_to:
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(date_to, following - dt.timedelta(days=1))
        out.append((start, end))
        start = following
    return out


def pages_for(total: int) -> int:
    """Listing pages that hold ``total`` results."""
    return max(1, math.ceil(total / PAGE_SIZE))


def parse_listing(html: str, url: str) -> Listing:
    """The total and the decision links of a listing page.

    Raises
    ------
    SiteFormatError
        When the page has no "Your search has N results" count, or a count above zero but no
        decision link.
    """
    text = " ".join(_TAG.sub(" ", html).split())
    m = RESULT_COUNT.search(text)
    if not m:
        raise SiteFormatError(
            f'the site\'s format may have changed: {url} has no "Your search has N results" '
            "count; stopping"
        )
    total = int(m["n"].replace(",", ""))
    decisions = decision_links(html, url)
    if total > 0 and not decisions:
        raise SiteFormatError(
            f"the site's format may have changed: {url} says {total} results but links no "
            "decision page (/decisions/<category>/<subcategory>/<NN-NNN-NNN>); stopping"
        )
    return Listing(total, decisions)


def decision_links(html: str, page_url: str) -> list[Decision]:
    """The decision pages a listing page links to, in order, each once.

    >>> [d.url for d in decision_links(
    ...     '<a href="/decisions/adult-care-services/charging/21-001-234">x</a>'
    ...     '<a href="/decisions/education/send/21-001-999a?x=1">y</a>', "https://example.org/s")]
    ['https://example.org/decisions/adult-care-services/charging/21-001-234', \
'https://example.org/decisions/education/send/21-001-999a']
    """
    out: dict[str, Decision] = {}
    for m in DECISION_LINK.finditer(html):
        url = urllib.parse.urljoin(page_url, m["url"].replace("&amp;", "&"))
        parts = urllib.parse.urlsplit(url)
        url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        if url not in out:
            out[url] = Decision(url, m["category"].lower(), m["subcategory"].lower(), m["ref"])
    return list(out.values())


def check_decision_page(body: bytes, url: str) -> None:
    """Raise :class:`SiteFormatError` when a decision page has no ``<article id="article">``
    or no heading "Organisation (NN NNN NNN)" in its first part."""
    head = body[:400_000].decode("utf-8", errors="replace")
    if not ARTICLE.search(head):
        raise SiteFormatError(
            f'the site\'s format may have changed: {url} has no <article id="article">; stopping'
        )
    if not DECISION_HEADING.search(head):
        raise SiteFormatError(
            f"the site's format may have changed: {url} has no heading \"Organisation "
            '(NN NNN NNN)"; stopping'
        )
