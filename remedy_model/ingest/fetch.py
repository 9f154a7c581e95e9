"""Download decision pages from the Ombudsman's public site, politely (``remedy fetch``).

For users who are online: it walks the site's search listing for a date range, keeps the
decisions in a category, and saves each decision page once into a cache folder, ready for
``remedy ingest``. Rules it keeps:

- **robots.txt** is read first and obeyed (a disallowed page is not requested; its
  ``Crawl-delay`` is honoured when longer than ours);
- **at most one request a second** (``min_interval``), retries on 429/5xx back off and honour
  ``Retry-After`` (capped), a few times only;
- a **clear user agent** naming this tool (and a contact address when given);
- **cached on disk**: a saved decision is never requested again; pages are written to a
  temporary file and renamed, so an interruption leaves no half page;
- **resumable**: the listing pages already walked and the decision links found are kept in a
  state file beside the pages; a rerun picks up where the last stopped (``refresh=True``
  walks the listing again).

The listing address is a template with ``{base}``, ``{category}``, ``{date_from}``,
``{date_to}`` and ``{page}``; the default follows the site's search results page. Decisions
are recognised by their address, ``/decisions/<category>/<subcategory>/<NN-NNN-NNN>``, so the
category is also checked on the address itself. Only the standard library is used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from remedy_model import __version__
from remedy_model.errors import InputError, RemedyError

DEFAULT_BASE_URL = "https://www.lgo.org.uk"
DEFAULT_LISTING = (
    "{base}/Decisions/SearchResults?fd={date_from}&td={date_to}&cat={category}"
    "&sortOrder=ascending&page={page}"
)
USER_AGENT = (
    f"remedy_model/{__version__} (LGSCO remedy research tool; fetches public decision pages "
    "at most once a second; obeys robots.txt)"
)
MIN_INTERVAL = 1.0
"""Seconds between two requests to the site."""

MAX_RETRIES = 3
MAX_RETRY_AFTER = 60.0
MAX_PAGE_BYTES = 10_000_000

DECISION_LINK = re.compile(
    r"""href\s*=\s*["']?(?P<url>[^"'\s>]*/decisions/(?P<path>[\w%'().,+&-]+(?:/[\w%'().,+&-]+)*)/"""
    r"""(?P<ref>\d{2}-\d{3}-\d{3}[a-z]?))/?["'\s>]""",
    re.IGNORECASE,
)


class FetchError(RemedyError):
    """The site could not be reached or refused us (one line, names the address)."""


@dataclass
class FetchResult:
    """What a fetch run did."""

    saved: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    disallowed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    listing_pages: int = 0
    requests: int = 0


class PoliteClient:
    """An HTTP client that waits between requests, retries a little and obeys robots.txt."""

    def __init__(
        self,
        base_url: str,
        *,
        user_agent: str = USER_AGENT,
        min_interval: float = MIN_INTERVAL,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.user_agent = user_agent
        self.min_interval = max(0.0, min_interval)
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self.requests = 0
        self.robots: urllib.robotparser.RobotFileParser | None = None

    def load_robots(self) -> None:
        """Read the site's robots.txt (missing: all allowed; forbidden: nothing allowed)."""
        robots = urllib.robotparser.RobotFileParser()
        url = f"{self.base_url}/robots.txt"
        status, body, _ = self._request(url, retries=MAX_RETRIES)
        if status in (401, 403):
            robots.disallow_all = True
        elif status >= 400:
            robots.allow_all = True
        else:
            robots.parse(body.decode("utf-8", errors="replace").splitlines())
        self.robots = robots
        delay = robots.crawl_delay(self.user_agent)
        if delay is not None:
            self.min_interval = max(self.min_interval, float(delay))

    def allowed(self, url: str) -> bool:
        """True if robots.txt lets this user agent fetch ``url``."""
        if self.robots is None:
            self.load_robots()
        assert self.robots is not None
        return self.robots.can_fetch(self.user_agent, url)

    def get(self, url: str) -> tuple[int, bytes]:
        """GET ``url`` politely; return (status, body). Network failure raises FetchError."""
        status, body, _ = self._request(url, retries=MAX_RETRIES)
        return status, body

    def _wait(self) -> None:
        if self._last is not None:
            remaining = self.min_interval - (self._clock() - self._last)
            if remaining > 0:
                self._sleep(remaining)
        self._last = self._clock()

    def _request(self, url: str, *, retries: int) -> tuple[int, bytes, dict[str, str]]:
        attempt = 0
        while True:
            attempt += 1
            self._wait()
            self.requests += 1
            req = urllib.request.Request(
                url, headers={"User-Agent": self.user_agent, "Accept": "text/html,*/*;q=0.5"}
            )
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    body = resp.read(MAX_PAGE_BYTES + 1)
                    return resp.status, body[:MAX_PAGE_BYTES], dict(resp.headers)
            except urllib.error.HTTPError as exc:
                status = exc.code
                headers = dict(exc.headers or {})
                if status in (429, 500, 502, 503, 504) and attempt < retries:
                    self._sleep(_retry_after(headers.get("Retry-After"), attempt))
                    continue
                return status, b"", headers
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                if attempt < retries:
                    self._sleep(_retry_after(None, attempt))
                    continue
                reason = getattr(exc, "reason", exc)
                raise FetchError(f"{url}: cannot reach the site ({reason})") from exc


def _retry_after(value: str | None, attempt: int) -> float:
    if value:
        try:
            return min(MAX_RETRY_AFTER, max(0.0, float(value)))
        except ValueError:
            pass
    return min(MAX_RETRY_AFTER, 2.0**attempt)


def decision_links(html: str, page_url: str, category: str | None = None) -> list[str]:
    """Absolute addresses of decision pages linked from a listing page, in order, no repeats.

    >>> decision_links('<a href="/decisions/adult-care-services/charging/21-001-234">x</a>'
    ...                '<a href="/decisions/education/send/21-001-999">y</a>',
    ...                "https://example.org/search", "adult-care-services")
    ['https://example.org/decisions/adult-care-services/charging/21-001-234']
    """
    out: list[str] = []
    seen: set[str] = set()
    slug = (category or "").strip("/").lower()
    for m in DECISION_LINK.finditer(html):
        url = urllib.parse.urljoin(page_url, m["url"].replace("&amp;", "&"))
        path = urllib.parse.urlparse(url).path.lower()
        if slug and f"/decisions/{slug}/" not in path:
            continue
        if url not in seen:
            seen.add(url)
            out.append(url)
    return out


def _check_date(value: str, name: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise InputError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def fetch_decisions(
    cache_dir: str | Path,
    *,
    category: str = "adult-care-services",
    date_from: str,
    date_to: str,
    base_url: str = DEFAULT_BASE_URL,
    listing_template: str = DEFAULT_LISTING,
    max_decisions: int | None = None,
    max_listing_pages: int = 500,
    min_interval: float = MIN_INTERVAL,
    user_agent: str = USER_AGENT,
    refresh: bool = False,
    log: Callable[[str], None] = lambda _msg: None,
    client: PoliteClient | None = None,
) -> FetchResult:
    """Walk the listing and save decision pages into ``cache_dir``; see the module notes.

    Returns
    -------
    FetchResult
        Saved, already cached, disallowed by robots.txt and failed addresses.
    """
    date_from = _check_date(date_from, "--from")
    date_to = _check_date(date_to, "--to")
    if date_from > date_to:
        raise InputError(f"--from {date_from} is after --to {date_to}")
    cache = Path(cache_dir)
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{cache_dir}: cannot create the cache folder ({exc.strerror})") from exc
    client = client or PoliteClient(base_url, user_agent=user_agent, min_interval=min_interval)
    result = FetchResult()
    client.load_robots()

    query = {"base": base_url.rstrip("/"), "category": category, "from": date_from, "to": date_to}
    key = hashlib.sha1(json.dumps(query, sort_keys=True).encode()).hexdigest()[:12]
    state_path = cache / f".fetch-state-{key}.json"
    state = {"query": query, "pages_done": 0, "links": [], "complete": False}
    if state_path.exists() and not refresh:
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            log(f"state file {state_path} unreadable; walking the listing again")

    links: list[str] = list(state["links"])
    page = int(state["pages_done"])
    while not state["complete"] and page < max_listing_pages:
        if max_decisions is not None and len(links) >= max_decisions:
            break
        page += 1
        url = listing_template.format(
            base=query["base"],
            category=urllib.parse.quote(category),
            date_from=date_from,
            date_to=date_to,
            page=page,
        )
        if not client.allowed(url):
            log(f"robots.txt disallows the listing {url}; stopping")
            result.disallowed.append(url)
            break
        status, body = client.get(url)
        if status != 200:
            log(f"listing page {page}: HTTP {status}; stopping")
            if status != 404:
                result.failed.append(url)
            state["complete"] = status == 404
            break
        result.listing_pages += 1
        found = decision_links(body.decode("utf-8", errors="replace"), url, category)
        new = [u for u in found if u not in links]
        links.extend(new)
        state.update(pages_done=page, links=links, complete=not new)
        _write_atomic(state_path, json.dumps(state).encode())
        log(f"listing page {page}: {len(new)} new decisions")

    todo = links if max_decisions is None else links[:max_decisions]
    for url in todo:
        ref = url.rstrip("/").rsplit("/", 1)[-1]
        target = cache / f"{ref}.html"
        if target.exists():
            result.cached.append(url)
            continue
        if not client.allowed(url):
            result.disallowed.append(url)
            log(f"robots.txt disallows {url}; skipped")
            continue
        status, body = client.get(url)
        if status != 200 or not body:
            result.failed.append(url)
            log(f"{url}: HTTP {status}; skipped")
            continue
        if b'rel="canonical"' not in body[:20000]:
            body = f'<link rel="canonical" href="{url}">\n'.encode() + body
        _write_atomic(target, body)
        with open(cache / "manifest.jsonl", "a", encoding="utf-8") as fh:
            fh.write(
                json.dumps(
                    {
                        "url": url,
                        "file": target.name,
                        "fetched": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    }
                )
                + "\n"
            )
        result.saved.append(url)
        log(f"saved {target}")
    result.requests = client.requests
    return result
