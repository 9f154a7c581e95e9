"""Throughput of the JSON API under concurrent clients (prints figures; no pass/fail).

Target (issue "One public surface, small pieces, fast answers"): ``POST /api/suggest`` at least
150 requests a second with a p95 under 150 ms at 16 concurrent clients on 2 cores.

The server is ``remedy serve`` in its own process (``--workers`` as given), on 127.0.0.1 with a
port the system picks, using a model trained once into a temporary folder. The load comes from
16 client threads in this process, each on one keep-alive connection, posting case records drawn
from the embedded table for a fixed time. The clients share the machine with the server, so the
figures are a floor for a server with the machine to itself.

    python benchmarks/bench_api_load.py [--workers N] [--clients 16] [--seconds 20] [--json]
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from remedy_model import api, config
from remedy_model.dataset import read_cases


def option(argv: list[str], name: str, default: int) -> int:
    return int(argv[argv.index(name) + 1]) if name in argv else default


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(model_path: Path, port: int, workers: int) -> subprocess.Popen:
    """``remedy serve`` in a subprocess; returns once it answers."""
    args = [sys.executable, "-m", "remedy_model.cli", "serve", "--port", str(port)]
    args += ["--model", str(model_path)]
    if workers > 1:
        args += ["--workers", str(workers)]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def client(port: int, bodies: list[bytes], until: float, times: list[float], errors: list):
    """Post bodies on one keep-alive connection until ``until``; record each latency (ms)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    i = 0
    while time.perf_counter() < until:
        body = bodies[i % len(bodies)]
        i += 1
        start = time.perf_counter()
        try:
            conn.request("POST", "/api/suggest?proposed=500", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            errors.append(response.status)


def main(argv: list[str]) -> None:
    workers, clients = option(argv, "--workers", 1), option(argv, "--clients", 16)
    seconds = option(argv, "--seconds", 20)
    work = Path(tempfile.mkdtemp(prefix="remedy-bench-load-"))
    model_path = work / "model.npz"
    api.train(model_path=model_path, with_metrics=False)
    cases = random.Random(0).sample(read_cases(config.CASES_PATH).cases, 200)
    bodies = [json.dumps(c.facts(), default=str).encode() for c in cases]
    port = free_port()
    server = start_server(model_path, port, workers)
    try:
        times: list[float] = []
        errors: list = []
        until = time.perf_counter() + seconds
        threads = [
            threading.Thread(target=client, args=(port, bodies[i::clients], until, times, errors))
            for i in range(clients)
        ]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(10)
    ordered = sorted(times)
    figures = {
        "workers": workers,
        "clients": clients,
        "requests": len(times),
        "errors": len(errors),
        "requests_per_s": round(len(times) / elapsed, 1),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }
    if "--json" in argv:
        print(json.dumps(figures, indent=2))
        return
    for name, value in figures.items():
        print(f"{name:<15} {value}")
    met = figures["requests_per_s"] >= 150 and figures["p95_ms"] < 150
    print(f"at least 150 requests a second with p95 under 150 ms: {'yes' if met else 'NO'}")


if __name__ == "__main__":
    main(sys.argv[1:])
