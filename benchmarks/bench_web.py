"""Speed of the web page on the embedded data: result pages and the JSON API (prints figures).

Target (web issue): a result page in under 300 ms. The model is trained once into a temporary
folder and loaded once; the app runs under uvicorn on 127.0.0.1 (a port the system picks) and
is asked over HTTP, as a browser would, for the result pages of cases drawn from the embedded
table (their facts only, with a proposed £500). Each request is timed from sending to the last
byte. The request count is bounded (``--requests``, default 50).

    python benchmarks/bench_web.py [--requests N] [--json]
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from remedy_model import api, config
from remedy_model.dataset import read_cases
from remedy_model.web import forms
from remedy_model.web.app import create_app


def serve(app):
    """Start uvicorn in a thread on 127.0.0.1; return (server, thread, port)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("server did not start")
        time.sleep(0.05)
    return server, thread, server.servers[0].sockets[0].getsockname()[1]


def timed_request(port: int, method: str, path: str, body: bytes | None = None) -> float:
    """Milliseconds for one request on a fresh connection, to the last byte of the answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{method} {path} -> {response.status}")
    return elapsed


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(times),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def main(argv: list[str]) -> None:
    n = int(argv[argv.index("--requests") + 1]) if "--requests" in argv else 50
    work = Path(tempfile.mkdtemp(prefix="remedy-bench-web-"))
    model = api.train(model_path=work / "model.npz").model
    server, thread, port = serve(create_app(model=model))
    try:
        cases = read_cases(config.CASES_PATH).cases
        picked = random.Random(0).sample(cases, n)
        records = [c.model_dump(mode="json", exclude={"payments", "provenance"}) for c in picked]
        pages = [
            "/suggest?" + urlencode({**forms.values_from_record(r), "proposed": "500"}, doseq=True)
            for r in records
        ]
        bodies = [
            json.dumps({k: r[k] for k in forms.CASE_FIELDS if r.get(k) is not None}).encode()
            for r in records
        ]
        timed_request(port, "GET", pages[0])  # warm-up: first template compile, first answer
        page_ms = [timed_request(port, "GET", p) for p in pages]
        api_ms = [timed_request(port, "POST", "/api/suggest?proposed=500", b) for b in bodies]
        form_ms = [timed_request(port, "GET", "/") for _ in range(min(n, 20))]
    finally:
        server.should_exit = True
        thread.join(10)
    figures = {
        "result_page": summary(page_ms),
        "api_suggest": summary(api_ms),
        "form_page": summary(form_ms),
        "target_ms": 300,
    }
    if "--json" in argv:
        print(json.dumps(figures, indent=2))
        return
    for name, row in figures.items():
        if isinstance(row, dict):
            print(
                f"{name:12} median {row['median_ms']:7.1f} ms   p95 {row['p95_ms']:7.1f} ms   "
                f"max {row['max_ms']:7.1f} ms   ({row['n']} requests)"
            )
    ok = figures["result_page"]["p95_ms"] < 300
    print(f"result page p95 under 300 ms: {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main(sys.argv[1:])
