"""A polite HTTP client for ``remedy fetch``: one request a second, robots.txt, a clear agent.

- **robots.txt** is read before the first request and obeyed: :meth:`PoliteClient.allowed`
  says whether a page may be fetched, and a ``Crawl-delay`` longer than ours is honoured (up to
  a minute, fractions of a second included; a longer one stops the fetch with a message). A
  robots.txt that is missing allows everything; one that is forbidden (401/403) allows nothing.
- **At most one request a second** (``min_interval``; shorter only for a server on this
  machine, checked by the command). Replies 429 and 5xx are retried a few times, waiting as
  ``Retry-After`` says (capped at a minute), or longer each time.
- **A clear user agent** naming this tool, what it does, and a contact address when given.
- Bodies are capped at :data:`MAX_PAGE_BYTES`; only the standard library is used.
"""

from __future__ import annotations

import math
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable

from remedy_model import __version__
from remedy_model.errors import RemedyError

USER_AGENT = (
    f"remedy_model/{__version__} (LGSCO remedy research tool; fetches public decision pages "
    "at most once a second; obeys robots.txt)"
)
MIN_INTERVAL = 1.0
"""Seconds between two requests to the site."""
MAX_RETRIES = 3
MAX_RETRY_AFTER = 60.0
MAX_PAGE_BYTES = 10_000_000
RETRY_STATUSES = (429, 500, 502, 503, 504)


MAX_CRAWL_DELAY = 60.0
"""Longest ``Crawl-delay`` honoured; a site asking for more is refused with a message."""


def stated_delay(lines: list[str]) -> float | None:
    """The longest ``Crawl-delay`` of a robots.txt, in seconds, fractions included.

    :mod:`urllib.robotparser` reads whole seconds only (``1.5`` is dropped), and this takes the
    longest of every group, erring on the polite side.

    >>> stated_delay(["User-agent: *", "Crawl-delay: 1.5  # slow down", "Crawl-delay: nan"])
    1.5
    >>> stated_delay(["User-agent: *", "Disallow: /private"]) is None
    True
    """
    delays = []
    for line in lines:
        key, _, value = line.partition("#")[0].partition(":")
        if key.strip().lower() == "crawl-delay":
            try:
                delays.append(float(value))
            except ValueError:
                continue
    return max((d for d in delays if math.isfinite(d) and d >= 0), default=None)


class FetchError(RemedyError):
    """The site could not be reached or refused us (one line, names the address)."""


def user_agent(contact: str | None = None) -> str:
    """The user agent, with a contact address when one is given."""
    return USER_AGENT if not contact else f"{USER_AGENT[:-1]}; contact {contact})"


class PoliteClient:
    """An HTTP client that waits between requests, retries a little and obeys robots.txt."""

    def __init__(
        self,
        base_url: str,
        *,
        agent: str = USER_AGENT,
        min_interval: float = MIN_INTERVAL,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.agent = agent
        self.min_interval = max(0.0, min_interval)
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self.requests = 0
        self.robots: urllib.robotparser.RobotFileParser | None = None

    def allowed(self, url: str) -> bool:
        """True if robots.txt lets this user agent fetch ``url`` (read on first use)."""
        if self.robots is None:
            self._load_robots()
        assert self.robots is not None
        return self.robots.can_fetch(self.agent, url)

    def get(self, url: str) -> tuple[int, bytes]:
        """GET ``url`` politely; return (status, body). Network failure raises FetchError."""
        if self.robots is None:
            self._load_robots()
        return self._request(url)

    def _load_robots(self) -> None:
        robots = urllib.robotparser.RobotFileParser()
        status, body = self._request(f"{self.base_url}/robots.txt")
        if status in (401, 403):
            robots.disallow_all = True
        elif status >= 400:
            robots.allow_all = True
        else:
            lines = body.decode("utf-8", errors="replace").splitlines()
            robots.parse(lines)
            self._honour_delay(stated_delay(lines))
        self.robots = robots

    def _honour_delay(self, delay: float | None) -> None:
        if delay is not None and delay > MAX_CRAWL_DELAY:
            raise FetchError(
                f"{self.base_url}/robots.txt asks for {delay:g} s between requests, more than "
                f"the {MAX_CRAWL_DELAY:g} s fetch waits; ask the site for another way to get "
                "the decisions"
            )
        if delay is not None:
            self.min_interval = max(self.min_interval, delay)

    def _wait(self) -> None:
        if self._last is not None:
            remaining = self.min_interval - (self._clock() - self._last)
            if remaining > 0:
                self._sleep(remaining)
        self._last = self._clock()

    def _request(self, url: str) -> tuple[int, bytes]:
        for attempt in range(1, MAX_RETRIES + 1):
            self._wait()
            self.requests += 1
            try:
                return self._once(url)
            except urllib.error.HTTPError as exc:
                if exc.code not in RETRY_STATUSES or attempt == MAX_RETRIES:
                    return exc.code, b""
                self._sleep(retry_after((exc.headers or {}).get("Retry-After"), attempt))
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                if attempt == MAX_RETRIES:
                    reason = getattr(exc, "reason", exc)
                    raise FetchError(f"{url}: cannot reach the site ({reason})") from None
                self._sleep(retry_after(None, attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str) -> tuple[int, bytes]:
        request = urllib.request.Request(
            url, headers={"User-Agent": self.agent, "Accept": "text/html,*/*;q=0.5"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:
            return reply.status, reply.read(MAX_PAGE_BYTES + 1)[:MAX_PAGE_BYTES]


def retry_after(value: str | None, attempt: int) -> float:
    """Seconds to wait before retrying: ``Retry-After`` when it is a number, else 2, 4, 8 ...,
    never more than :data:`MAX_RETRY_AFTER`."""
    if value:
        try:
            return min(MAX_RETRY_AFTER, max(0.0, float(value)))
        except ValueError:
            pass
    return min(MAX_RETRY_AFTER, 2.0**attempt)
