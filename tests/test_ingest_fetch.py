"""``remedy fetch`` against a local HTTP server on 127.0.0.1 serving fixture pages."""

from __future__ import annotations

import itertools
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from remedy_model.cli import main
from remedy_model.errors import RemedyError
from remedy_model.ingest import read_document
from remedy_model.ingest.fetch import USER_AGENT, PoliteClient, fetch_decisions

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PAGE = (FIXTURES / "statement_page.html").read_text(encoding="utf-8")
CAT = "adult-care-services"
ROBOTS = "User-agent: *\nDisallow: /decisions/adult-care-services/withheld/\n"


def decision_page(ref: str) -> str:
    return PAGE.replace("22 007 431", ref.replace("-", " ")).replace("22-007-431", ref)


def listing(links: list[str]) -> str:
    items = "".join(f'<li><a href="{href}">Decision</a></li>' for href in links)
    return f"<html><body><nav>menu</nav><ul>{items}</ul></body></html>"


LISTINGS = {
    1: [
        f"/decisions/{CAT}/charging/21-000-001",
        f"/decisions/{CAT}/charging/21-000-002",
        "/decisions/education/send/21-000-009",
    ],
    2: [f"/decisions/{CAT}/charging/21-000-003", f"/decisions/{CAT}/withheld/21-000-004"],
    3: [],
}


class Site:
    """A tiny site: robots.txt, a paged listing, decision pages; it logs every request."""

    def __init__(self, robots: str = ROBOTS, fail_once: set[str] | None = None) -> None:
        self.robots = robots
        self.fail_once = set(fail_once or ())
        self.log: list[tuple[float, str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                site.log.append((time.monotonic(), url.path, self.headers.get("User-Agent", "")))
                status, body = site.route(url.path, parse_qs(url.query))
                data = body.encode()
                self.send_response(status)
                if status == 503:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def route(self, path: str, query: dict) -> tuple[int, str]:
        if path == "/robots.txt":
            return (200, self.robots) if self.robots is not None else (404, "")
        if path in self.fail_once:
            self.fail_once.discard(path)
            return 503, "busy"
        if path == "/Decisions/SearchResults":
            page = int(query.get("page", ["1"])[0])
            return 200, listing(LISTINGS.get(page, []))
        if path.startswith("/decisions/"):
            return 200, decision_page(path.rstrip("/").rsplit("/", 1)[1])
        return 404, "not found"

    def paths(self) -> list[str]:
        return [p for _, p, _ in self.log]

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def run(site: Site, cache: Path, **kw):
    kw.setdefault("min_interval", 0.05)
    return fetch_decisions(
        cache, date_from="2021-01-01", date_to="2021-12-31", category=CAT, base_url=site.base, **kw
    )


def test_fetch_saves_category_pages_obeys_robots_and_rate(tmp_path):
    with Site() as site:
        result = run(site, tmp_path)
    saved = sorted(p.name for p in tmp_path.glob("*.html"))
    assert saved == ["21-000-001.html", "21-000-002.html", "21-000-003.html"]
    assert len(result.disallowed) == 1 and "withheld" in result.disallowed[0]
    paths = site.paths()
    assert paths[0] == "/robots.txt"
    assert not any("withheld" in p or "education" in p for p in paths)
    assert {ua for _, _, ua in site.log} == {USER_AGENT}
    times = [t for t, _, _ in site.log]
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.045
    # The saved pages ingest, with their address.
    (case,) = read_document(tmp_path / "21-000-002.html")
    assert case.record["case_ref"] == "21 000 002"
    assert case.record["url"].endswith("/21-000-002")


def test_fetch_resumes_without_refetching(tmp_path):
    with Site() as site:
        first = run(site, tmp_path, max_decisions=1)
        assert [u.rsplit("/", 1)[1] for u in first.saved] == ["21-000-001"]
        second = run(site, tmp_path)
    assert len(second.cached) == 1 and len(second.saved) == 2
    assert site.paths().count(f"/decisions/{CAT}/charging/21-000-001") == 1
    # The listing pages walked the first time were not walked again.
    assert site.paths().count("/Decisions/SearchResults") == 3


def test_interrupted_download_leaves_no_partial_page(tmp_path, monkeypatch):
    from remedy_model.ingest import fetch as fetchmod

    real = fetchmod._write_atomic
    calls = {"n": 0}

    def interrupt(path, data):
        if path.suffix == ".html":
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(fetchmod, "_write_atomic", interrupt)
    with Site() as site, pytest.raises(KeyboardInterrupt):
        run(site, tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.html")) == ["21-000-001.html"]
    monkeypatch.setattr(fetchmod, "_write_atomic", real)
    with Site() as site:
        result = run(site, tmp_path)
    assert len(result.saved) == 2 and len(result.cached) == 1


def test_robots_disallowing_everything(tmp_path):
    with Site(robots="User-agent: *\nDisallow: /\n") as site:
        result = run(site, tmp_path)
    assert site.paths() == ["/robots.txt"]
    assert result.saved == [] and len(result.disallowed) == 1


def test_retry_after_a_busy_reply(tmp_path):
    busy = f"/decisions/{CAT}/charging/21-000-001"
    with Site(fail_once={busy}) as site:
        result = run(site, tmp_path)
    assert site.paths().count(busy) == 2
    assert len(result.saved) == 3 and result.failed == []


def test_unreachable_site_is_one_clear_error(tmp_path):
    with Site() as site:
        base = site.base
    slept: list[float] = []
    client = PoliteClient(base, min_interval=0.0, sleep=slept.append)
    with pytest.raises(RemedyError, match="cannot reach the site"):
        fetch_decisions(
            tmp_path, date_from="2021-01-01", date_to="2021-01-31", base_url=base, client=client
        )
    assert slept and max(slept) <= 60  # it backed off before giving up


def test_fetch_command(tmp_path, capsys):
    with Site() as site:
        code = main(
            [
                "fetch",
                "--cache",
                str(tmp_path),
                "--from",
                "2021-01-01",
                "--to",
                "2021-12-31",
                "--base-url",
                site.base,
                "--min-interval",
                "0.02",
            ]
        )
    assert code == 0
    assert "3 saved" in capsys.readouterr().err
    assert (
        main(
            [
                "fetch",
                "--cache",
                str(tmp_path),
                "--from",
                "2021-02-30",
                "--to",
                "2021-12-31",
                "--base-url",
                "http://127.0.0.1:9",
            ]
        )
        == 2
    )
    assert "is not a date" in capsys.readouterr().err
    assert (
        main(
            [
                "fetch",
                "--cache",
                str(tmp_path),
                "--from",
                "2021-01-01",
                "--to",
                "2021-12-31",
                "--min-interval",
                "0.1",
            ]
        )
        == 2
    )
    assert "at most one request a second" in capsys.readouterr().err
