"""``remedy fetch`` against a local stand-in of the Ombudsman's site (127.0.0.1 only).

The stand-in (``tests/fixtures/site``) serves robots.txt, the search listing by date window and
decision pages in the site's structure, all invented, and logs every request.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from remedy_model.cli import main
from remedy_model.errors import InputError
from remedy_model.ingest import read_document
from remedy_model.ingest.client import USER_AGENT, FetchError, PoliteClient
from remedy_model.ingest.fetch import fetch_decisions
from remedy_model.ingest.site import SiteFormatError

SITE = Path(__file__).parent / "fixtures" / "site"
_spec = importlib.util.spec_from_file_location("site_standin", SITE / "standin.py")
standin = sys.modules.setdefault("site_standin", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(standin)
pages = standin.pages
StandInSite = standin.StandInSite

JAN, FEB, MAR = (dt.date(2021, m, 1) for m in (1, 2, 3))
END = dt.date(2021, 3, 31)


def corpus(seed: int = 7) -> list:
    """Decisions over January to March 2021: 8, 23 and 12 of them, all categories mixed."""
    rng = random.Random(seed)
    out = []
    number = 0
    for month, count in ((1, 8), (2, 23), (3, 12)):
        for i in range(count):
            number += 1
            date = dt.date(2021, month, 1 + (i * 2) % 28)
            out.append(pages.invented_decision(rng, number, date))
    # One in scope but under a folder robots.txt disallows.
    withheld = pages.invented_decision(rng, 900, dt.date(2021, 2, 14), "adult-care-services")
    out.append(pages.FakeDecision(**{**withheld.__dict__, "subcategory": "withheld"}))
    return out


def in_scope(decisions) -> set[str]:
    scope = {"adult-care-services", "children-s-care-services", "education", "health"}
    return {d.ref for d in decisions if d.category in scope and d.subcategory != "withheld"}


def fetch_args(cache: Path, site, *more: str) -> list[str]:
    """``remedy fetch`` arguments for the stand-in, from January 2021."""
    base = ["fetch", "--cache", str(cache), "--from", "2021-01-01", "--base-url", site.base]
    return [*base, "--min-interval", "0.01", *more]


def cached(folder: Path) -> set[str]:
    return {p.stem for p in folder.rglob("*.html")}


def run(site, cache: Path, **kw):
    kw.setdefault("min_interval", 0.01)
    kw.setdefault("today", dt.date(2021, 6, 30))
    if not kw.get("since_last"):
        kw.setdefault("date_from", JAN)
        kw.setdefault("date_to", END)
    return fetch_decisions(cache, base_url=site.base, **kw)


class Interrupting(PoliteClient):
    """A client that raises KeyboardInterrupt on its n-th request (as Ctrl-C would)."""

    def __init__(self, base: str, n: int) -> None:
        super().__init__(base, min_interval=0.0)
        self.n = n

    def get(self, url: str):
        if self.requests + 1 >= self.n:
            raise KeyboardInterrupt
        return super().get(url)


class TestFullWalk:
    def test_walks_each_month_and_saves_the_pages_in_scope(self, tmp_path):
        decisions = corpus()
        with StandInSite(decisions) as site:
            result = run(site, tmp_path)
        assert cached(tmp_path) == in_scope(decisions)
        assert result.complete and result.failed == []
        assert [u.rsplit("/", 1)[1] for u in result.disallowed] == ["21-000-900"]
        assert result.out_of_scope == sum(
            d.category in ("housing", "planning-and-development") for d in decisions
        )
        # One window per calendar month, every listing page of it (February: 24 -> 3 pages).
        queries = site.listing_requests()
        assert queries == [
            "fd=2021-01-01&td=2021-01-31&page=1",
            "fd=2021-02-01&td=2021-02-28&page=1",
            "fd=2021-02-01&td=2021-02-28&page=2",
            "fd=2021-02-01&td=2021-02-28&page=3",
            "fd=2021-03-01&td=2021-03-31&page=1",
            "fd=2021-03-01&td=2021-03-31&page=2",
        ]
        paths = site.paths()
        assert paths[0] == "/robots.txt"
        assert not any("withheld" in p or "/housing/" in p for p in paths)

    def test_polite_agent_and_interval(self, tmp_path):
        with StandInSite(corpus()) as site:
            run(site, tmp_path, min_interval=0.05)
        assert {agent for *_, agent in site.log} == {USER_AGENT}
        times = [t for t, *_ in site.log]
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.04

    def test_saved_pages_ingest_with_their_address(self, tmp_path):
        decisions = corpus()
        with StandInSite(decisions) as site:
            run(site, tmp_path)
        d = next(d for d in decisions if d.category == "education")
        (case,) = read_document(tmp_path / d.category / f"{d.ref}.html")
        r = case.record
        assert r["case_ref"] == d.ref_spaced
        assert r["organisation"] == d.organisation
        assert r["category"] == d.category_name
        assert r["url"] == site.base + d.path
        assert "7,777" not in str(r["payments"])  # the sidebar is not the decision

    def test_category_narrows_the_walk(self, tmp_path):
        decisions = corpus()
        with StandInSite(decisions) as site:
            run(site, tmp_path, categories=["education"])
        assert cached(tmp_path) == {d.ref for d in decisions if d.category == "education"}

    def test_unknown_category_is_refused(self, tmp_path):
        with pytest.raises(InputError, match="--category housing: not an in-scope category"):
            fetch_decisions(tmp_path, date_from=JAN, categories=["housing"])


class TestRerun:
    def test_rerun_of_the_same_range_makes_no_request(self, tmp_path):
        decisions = corpus()
        with StandInSite(decisions) as site:
            first = run(site, tmp_path)
            before = len(site.log)
            second = run(site, tmp_path)
        # Only robots.txt, read again for the page it disallows; no listing, no page.
        assert site.paths()[before:] == ["/robots.txt"]
        assert second.saved == [] and second.requests == 1
        assert len(second.cached) == len(first.saved)

    def test_refresh_walks_the_listing_again_but_fetches_no_page(self, tmp_path):
        with StandInSite(corpus()) as site:
            run(site, tmp_path)
            before = len(site.decision_requests())
            result = run(site, tmp_path, refresh=True)
        assert len(site.listing_requests()) == 12
        assert len(site.decision_requests()) == before and result.saved == []


class TestResume:
    def test_interrupted_run_resumes_where_it_stopped(self, tmp_path):
        decisions = corpus()
        with StandInSite(decisions) as site:
            client = Interrupting(site.base, n=12)
            with pytest.raises(KeyboardInterrupt):
                run(site, tmp_path, client=client)
            saved_first = cached(tmp_path)
            listed_first = list(site.listing_requests())
            assert 0 < len(saved_first) < len(in_scope(decisions))
            result = run(site, tmp_path)
        assert cached(tmp_path) == in_scope(decisions) and result.complete
        # No saved page and no finished listing page was requested twice.
        requests = site.decision_requests()
        assert len(requests) == len(set(requests))
        listings = site.listing_requests()
        assert len(listings) == len(set(listings))
        assert set(listed_first) <= set(listings[: len(listed_first)])
        assert not list(tmp_path.rglob("*.tmp")) and not list(tmp_path.rglob(".*.tmp"))

    def test_max_stops_early_and_a_rerun_goes_on(self, tmp_path):
        decisions = corpus()
        with StandInSite(decisions) as site:
            first = run(site, tmp_path, max_decisions=3)
            assert len(first.saved) == 3 and first.stopped_at_max and not first.complete
            second = run(site, tmp_path)
        assert cached(tmp_path) == in_scope(decisions) and second.complete

    @pytest.mark.slow
    def test_ctrl_c_on_the_command_keeps_what_was_saved(self, tmp_path):
        decisions = corpus()
        with StandInSite(decisions) as site:
            args = [sys.executable, "-m", "remedy_model.cli", "fetch", "--cache", str(tmp_path)]
            args += ["--from", "2021-01-01", "--to", "2021-03-31", "--base-url", site.base]
            proc = subprocess.Popen(
                [*args, "--min-interval", "0.1"], stderr=subprocess.PIPE, text=True
            )
            deadline = time.monotonic() + 30
            while len(site.decision_requests()) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
            assert proc.returncode == 130
            assert "interrupted" in err and "Traceback" not in err
            assert 0 < len(cached(tmp_path)) < len(in_scope(decisions))
            rerun = subprocess.run(
                [*args, "--min-interval", "0.01"], capture_output=True, text=True, timeout=60
            )
        assert rerun.returncode == 0, rerun.stderr
        assert cached(tmp_path) == in_scope(decisions)
        assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


class TestSinceLast:
    def test_fetches_only_what_is_new(self, tmp_path):
        decisions = corpus()
        rng = random.Random(3)
        with StandInSite(decisions) as site:
            run(site, tmp_path)
            new = [
                pages.invented_decision(rng, 950, dt.date(2021, 3, 30), "education"),
                pages.invented_decision(rng, 951, dt.date(2021, 4, 6), "health"),
            ]
            for d in new:
                site.add(d)
            before_pages = len(site.decision_requests())
            before_listing = len(site.listing_requests())
            result = run(site, tmp_path, since_last=True, today=dt.date(2021, 4, 20))
        assert sorted(u.rsplit("/", 1)[1] for u in result.saved) == ["21-000-950", "21-000-951"]
        assert len(site.decision_requests()) - before_pages == 2
        relisted = site.listing_requests()[before_listing:]
        # From the month before the last run's end (February) to today; January is not walked.
        assert {q.split("&page")[0] for q in relisted} == {
            "fd=2021-02-01&td=2021-02-28",
            "fd=2021-03-01&td=2021-03-31",
            "fd=2021-04-01&td=2021-04-20",
        }
        assert result.plan.date_from == FEB and result.plan.date_to == dt.date(2021, 4, 20)

    def test_needs_a_completed_run(self, tmp_path, capsys):
        code = main(["fetch", "--cache", str(tmp_path), "--since-last"])
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert code == 2
        assert "no completed fetch run to continue from; run with --from first" in line

    def test_not_with_from(self, tmp_path):
        with pytest.raises(InputError, match="--from or --since-last, not both"):
            fetch_decisions(tmp_path, date_from=JAN, since_last=True)


class TestFormatChanged:
    @pytest.mark.parametrize(
        ("fmt", "says"),
        [
            ("no-count", 'has no "Your search has N results" count'),
            ("no-links", "links no decision page"),
            ("no-article", 'has no <article id="article">'),
        ],
    )
    def test_one_line_naming_the_page(self, tmp_path, capsys, fmt, says):
        with StandInSite(corpus(), fmt=fmt) as site:
            code = main(fetch_args(tmp_path, site, "--to", "2021-03-31"))
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2
        line = err[-1]
        assert line.startswith("error: the site's format may have changed: http://127.0.0.1:")
        assert says in line
        assert len([x for x in err if x.startswith("error")]) == 1

    def test_listing_state_is_kept_when_a_page_changes(self, tmp_path):
        with StandInSite(corpus(), fmt="no-article") as site, pytest.raises(SiteFormatError):
            run(site, tmp_path)
        assert list((tmp_path / ".fetch" / "windows").glob("*.json"))
        assert cached(tmp_path) == set()


class TestRobots:
    def test_disallow_everything_stops_before_any_page(self, tmp_path, capsys):
        with StandInSite(corpus(), robots="User-agent: *\nDisallow: /\n") as site:
            code = main(fetch_args(tmp_path, site, "--to", "2021-01-31"))
        assert code == 2
        assert "robots.txt disallows the listing" in capsys.readouterr().err
        assert site.paths() == ["/robots.txt"]

    def test_crawl_delay_is_honoured(self, tmp_path):
        robots = "User-agent: *\nCrawl-delay: 1\n"
        decisions = [d for d in corpus() if d.category == "education"][:1]
        with StandInSite(decisions, robots=robots) as site:
            day = decisions[0].date
            run(site, tmp_path, min_interval=0.0, date_from=day, date_to=day)
        times = [t for t, *_ in site.log]
        assert len(times) == 3  # robots.txt, one listing page, one decision
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.95

    def test_a_fractional_crawl_delay_is_honoured(self, tmp_path):
        decisions = [d for d in corpus() if d.category == "education"][:1]
        with StandInSite(decisions, robots="User-agent: *\nCrawl-delay: 0.5\n") as site:
            day = decisions[0].date
            run(site, tmp_path, min_interval=0.0, date_from=day, date_to=day)
        times = [t for t, *_ in site.log]
        assert len(times) == 3 and min(b - a for a, b in itertools.pairwise(times)) >= 0.45

    def test_a_crawl_delay_over_a_minute_stops_with_a_message(self, tmp_path, capsys):
        with StandInSite(corpus(), robots="User-agent: *\nCrawl-delay: 3600\n") as site:
            code = main(fetch_args(tmp_path, site, "--to", "2021-01-31"))
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and "robots.txt asks for 3600 s between requests" in line
        assert site.paths() == ["/robots.txt"]


class TestAddressesAndErrors:
    @pytest.mark.parametrize(
        ("url", "says"),
        [
            ("file:///etc", "only http:// and https:// addresses can be fetched"),
            ("ftp://127.0.0.1/", "only http:// and https:// addresses can be fetched"),
            ("http://", "no host name"),
        ],
    )
    def test_base_url_must_be_http(self, tmp_path, capsys, url, says):
        code = main(["fetch", "--cache", str(tmp_path), "--from", "2021-01-01", "--base-url", url])
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and says in line and line.startswith("error: --base-url")
        assert not (tmp_path / ".fetch").exists()

    def test_fast_requests_only_to_this_machine(self, tmp_path, capsys):
        # Refused before any request: the default base URL is the real site.
        code = main(
            ["fetch", "--cache", str(tmp_path), "--from", "2021-01-01", "--min-interval", "0.1"]
        )
        assert code == 2
        assert "at most one request a second" in capsys.readouterr().err

    def test_bad_dates(self, tmp_path, capsys):
        assert main(["fetch", "--cache", str(tmp_path), "--from", "2021-02-30"]) == 2
        assert "not a date" in capsys.readouterr().err
        code = main(
            ["fetch", "--cache", str(tmp_path), "--from", "2021-05-01", "--to", "2021-04-01"]
        )
        assert code == 2
        assert "is after --to" in capsys.readouterr().err

    def test_busy_reply_is_retried(self, tmp_path):
        decisions = corpus()
        busy = next(d.path for d in decisions if d.category == "education")
        with StandInSite(decisions, fail_once={busy}) as site:
            result = run(site, tmp_path)
        assert site.paths().count(busy) == 2 and result.failed == []

    def test_a_withdrawn_page_does_not_keep_the_run_incomplete(self, tmp_path):
        decisions = corpus()
        gone = next(d.path for d in decisions if d.category == "education")
        with StandInSite(decisions, gone={gone}) as site:
            first = run(site, tmp_path)
            later = run(site, tmp_path, since_last=True)
        assert [u.endswith(gone) for u in first.gone] == [True]
        assert first.complete and first.failed == []
        assert later.plan.date_from == FEB  # the first run counted as completed

    def test_a_failing_page_is_reported_and_keeps_the_run_incomplete(self, tmp_path, capsys):
        decisions = corpus()
        broken = next(d for d in decisions if d.category == "education")
        with StandInSite(decisions) as site:
            original = site.route

            def always_busy(path, query):
                return (503, "busy") if path == broken.path else original(path, query)

            site.route = always_busy
            code = main(fetch_args(tmp_path, site, "--to", "2021-03-31"))
        err = capsys.readouterr().err
        assert code == 1
        assert f"failed {site.base}{broken.path} (HTTP 503)" in err
        assert not (tmp_path / ".fetch" / "runs.jsonl").exists()

    def test_unreachable_site_is_one_clear_error(self, tmp_path):
        with StandInSite([]) as site:
            base = site.base
        slept: list[float] = []
        client = PoliteClient(base, min_interval=0.0, sleep=slept.append)
        with pytest.raises(FetchError, match="cannot reach the site"):
            fetch_decisions(tmp_path, date_from=JAN, date_to=END, base_url=base, client=client)
        assert slept and max(slept) <= 60

    def test_command_prints_what_it_did(self, tmp_path, capsys):
        with StandInSite(corpus()) as site:
            code = main(fetch_args(tmp_path, site, "--to", "2021-03-31"))
        err = capsys.readouterr().err
        assert code == 0
        assert "2021-02-01 to 2021-02-28: 24 results, 24 listed;" in err
        assert f"{len(in_scope(corpus()))} saved, 0 already cached" in err
        assert "1 disallowed by robots.txt" in err
        assert os.path.isdir(tmp_path / ".fetch")
