"""Download decision pages from the Ombudsman's public site, politely (``remedy fetch``).

For users who are online. A run walks the site's search listing (:mod:`.site` holds the facts
it relies on) one calendar month at a time over a date range, keeps the decisions whose address
is in the chosen categories (by default the four in scope: adult care, children's care,
education, and joint health and social care), and saves each page once into a cache folder
(:mod:`.fetch_cache`), ready for ``remedy ingest`` or ``remedy corpus build``.

- A month window walked to its end is not walked again, and a saved page is never requested
  again: a rerun of the same range makes no request at all.
- **Resumable**: a window's state is saved after every listing page, so an interrupted run
  picks up at the next page, and pages already saved stay saved.
- ``since_last``: from the month before the end of the last completed run to today, the windows
  are walked again (decisions appear on the site some weeks after their date, so recent months
  grow) and only pages not yet saved are fetched.
- **Polite** (:mod:`.client`): robots.txt obeyed, at most one request a second, a clear agent.
- A listing or decision page that does not look as the site's pages did stops the run with one
  line naming the page (:class:`~remedy_model.ingest.site.SiteFormatError`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from remedy_model.errors import InputError
from remedy_model.ingest.client import USER_AGENT, FetchError, PoliteClient
from remedy_model.ingest.fetch_cache import FetchCache, Window, WindowState
from remedy_model.ingest.site import (
    DEFAULT_BASE_URL,
    IN_SCOPE_CATEGORIES,
    Decision,
    SiteFormatError,
    check_base_url,
    check_decision_page,
    listing_url,
    month_windows,
    pages_for,
    parse_listing,
)

MAX_WINDOW_RESULTS = 20_000
"""More results than this for one month means the listing is not what we think it is."""
EARLIEST = dt.date(2000, 1, 1)
CATEGORY_ALIASES = {"health-and-social-care-joint": "health"}

__all__ = ["FetchError", "FetchResult", "SiteFormatError", "fetch_decisions", "plan_fetch"]


@dataclass(frozen=True)
class FetchPlan:
    """What a run covers: dates, categories, and from when windows are walked again."""

    date_from: dt.date
    date_to: dt.date
    categories: tuple[str, ...]
    relist_from: dt.date | None = None


@dataclass
class FetchResult:
    """What a fetch run did."""

    saved: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    disallowed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    out_of_scope: int = 0
    listing_pages: int = 0
    windows: int = 0
    requests: int = 0
    stopped_at_max: bool = False
    plan: FetchPlan | None = None

    @property
    def complete(self) -> bool:
        """Every window walked and every page in scope saved (or refused by robots.txt, or
        gone from the site: 404 or 410, a decision withdrawn)."""
        return not self.failed and not self.stopped_at_max


def category_slugs(names: Sequence[str] | None) -> tuple[str, ...]:
    """The address slugs of the categories asked for (default: the four in scope).

    >>> category_slugs(["Children's care services", "health-and-social-care-joint"])
    ('children-s-care-services', 'health')
    """
    if not names:
        return IN_SCOPE_CATEGORIES
    out = []
    for name in names:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        slug = CATEGORY_ALIASES.get(slug, slug)
        if slug not in IN_SCOPE_CATEGORIES:
            raise InputError(
                f"--category {name}: not an in-scope category; use one of "
                f"{', '.join(IN_SCOPE_CATEGORIES)}"
            )
        out.append(slug)
    return tuple(dict.fromkeys(out))


def _date(value: str | dt.date, flag: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{flag} {value!r}: not a date (YYYY-MM-DD)") from None


def plan_fetch(
    cache: FetchCache,
    *,
    date_from: str | dt.date | None,
    date_to: str | dt.date | None,
    since_last: bool,
    categories: Sequence[str] | None,
    today: dt.date,
) -> FetchPlan:
    """The dates and categories of a run, from the flags and (for ``since_last``) the cache."""
    end = min(_date(date_to, "--to"), today) if date_to else today
    if not since_last:
        if date_from is None:
            raise InputError("give --from DATE, or --since-last to continue the last run")
        start = _date(date_from, "--from")
        relist = None
        cats = category_slugs(categories)
    else:
        if date_from is not None:
            raise InputError("give --from or --since-last, not both")
        last = cache.last_run()
        if last is None:
            raise InputError(
                f"{cache.folder}: no completed fetch run to continue from; run with --from first"
            )
        last_to = _date(last["to"], "the last run's end")
        start = (last_to.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        relist = start
        cats = category_slugs(categories or last.get("categories"))
    if start < EARLIEST:
        raise InputError(f"--from {start}: the site holds no decisions before {EARLIEST.year}")
    if start > end:
        raise InputError(f"--from {start} is after --to {end}")
    return FetchPlan(start, end, cats, relist)


def fetch_decisions(
    cache_dir,
    *,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    since_last: bool = False,
    categories: Sequence[str] | None = None,
    base_url: str = DEFAULT_BASE_URL,
    min_interval: float = 1.0,
    agent: str = USER_AGENT,
    refresh: bool = False,
    max_decisions: int | None = None,
    log: Callable[[str], None] = lambda _msg: None,
    client: PoliteClient | None = None,
    today: dt.date | None = None,
) -> FetchResult:
    """Walk the listing and save the decision pages in scope into ``cache_dir``.

    Parameters
    ----------
    cache_dir
        The cache folder (created if missing); see :mod:`.fetch_cache`.
    date_from, date_to
        Decision dates to cover (``date_to`` defaults to today).
    since_last
        Continue from the last completed run instead of ``date_from`` (see the module notes).
    categories
        Address slugs or names of categories (default: the four in scope).
    refresh
        Walk every window again, even those walked to their end before.
    max_decisions
        Save at most this many pages in this run (a trial run); the run is then not complete.

    Returns
    -------
    FetchResult
        Pages saved, already cached, refused by robots.txt, failed; counts of requests.

    Raises
    ------
    InputError
        For bad flags (dates, categories, a base URL that is not http or https).
    FetchError, SiteFormatError
        When the site cannot be reached, refuses the listing, or its pages look different.
    """
    base = check_base_url(base_url)
    cache = FetchCache(cache_dir)
    plan = plan_fetch(
        cache,
        date_from=date_from,
        date_to=date_to,
        since_last=since_last,
        categories=categories,
        today=today or dt.date.today(),
    )
    client = client or PoliteClient(base, agent=agent, min_interval=min_interval)
    result = FetchResult(plan=plan)
    for window in month_windows(plan.date_from, plan.date_to):
        again = refresh or (plan.relist_from is not None and window[0] >= plan.relist_from)
        state = _walk_window(client, cache, base, window, again, result)
        before = (len(result.saved), len(result.cached))
        _download(client, cache, state.found(), plan.categories, result, max_decisions)
        result.windows += 1
        log(_window_line(window, state, result, before))
        if result.stopped_at_max:
            break
    result.requests = client.requests
    if result.complete:
        cache.record_run(plan.date_from, plan.date_to, plan.categories, base)
    return result


def _window_line(window: Window, state: WindowState, result: FetchResult, before) -> str:
    saved = len(result.saved) - before[0]
    cached = len(result.cached) - before[1]
    return (
        f"{window[0]} to {window[1]}: {state.total} results, {len(state.decisions)} listed; "
        f"{saved} saved, {cached} already cached"
    )


def _walk_window(
    client: PoliteClient,
    cache: FetchCache,
    base: str,
    window: Window,
    again: bool,
    result: FetchResult,
) -> WindowState:
    """Walk the listing pages of one window not yet walked, saving the state after each."""
    state = WindowState(base) if again else cache.window(window, base)
    known = {item["url"] for item in state.decisions}
    while not state.complete:
        page = state.pages_done + 1
        url = listing_url(base, window, page)
        if not client.allowed(url):
            raise FetchError(f"robots.txt disallows the listing {url}; nothing can be fetched")
        status, body = client.get(url)
        if status != 200:
            raise FetchError(f"{url}: HTTP {status} from the listing; run again to resume")
        listing = parse_listing(body.decode("utf-8", errors="replace"), url)
        if listing.total > MAX_WINDOW_RESULTS:
            raise SiteFormatError(
                f"the site's format may have changed: {url} says {listing.total:,} results "
                f"for one month (more than {MAX_WINDOW_RESULTS:,}); stopping"
            )
        result.listing_pages += 1
        for decision in listing.decisions:
            if decision.url not in known:
                known.add(decision.url)
                state.decisions.append(asdict(decision))
        state.total, state.pages_done = listing.total, page
        state.complete = len(known) >= listing.total or page >= pages_for(listing.total)
        cache.save_window(window, state)
    return state


def _download(
    client: PoliteClient,
    cache: FetchCache,
    decisions: list[Decision],
    categories: tuple[str, ...],
    result: FetchResult,
    limit: int | None,
) -> None:
    """Save the pages in scope that the cache does not hold yet."""
    for decision in decisions:
        if decision.category not in categories:
            result.out_of_scope += 1
        elif cache.has_page(decision):
            result.cached.append(decision.url)
        elif limit is not None and len(result.saved) >= limit:
            result.stopped_at_max = True
            return
        elif not client.allowed(decision.url):
            result.disallowed.append(decision.url)
        else:
            _fetch_page(client, cache, decision, result)


def _fetch_page(
    client: PoliteClient, cache: FetchCache, decision: Decision, result: FetchResult
) -> None:
    """Request one decision page, check it looks like one, and save it with its address."""
    status, body = client.get(decision.url)
    if status in (404, 410):
        result.gone.append(decision.url)
        return
    if status != 200 or not body:
        result.failed.append(f"{decision.url} (HTTP {status})")
        return
    check_decision_page(body, decision.url)
    if b'rel="canonical"' not in body[:20_000]:
        body = f'<link rel="canonical" href="{decision.url}">\n'.encode() + body
    cache.save_page(decision, body)
    result.saved.append(decision.url)
