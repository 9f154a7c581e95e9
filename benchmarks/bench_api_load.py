"""Throughput of the JSON API under concurrent clients (prints figures; no pass/fail).

Target (issue "One public surface, small pieces, fast answers"): ``POST /api/suggest`` at least
150 requests a second with a p95 under 150 ms at 16 concurrent clients on 2 cores.

The server is ``remedy serve`` in its own process (``--workers`` as given), on 127.0.0.1 with a
port the system picks, using a model trained once into a temporary folder. The load posts case
records drawn from the embedded table on 16 keep-alive connections for a fixed time: with
``wrk`` (Debian package ``wrk``; a C load generator, so the clients take little of the machine)
when it is installed, else with 16 client threads in this process (whose own CPU use then
lowers the figures). Either way the clients share the machine with the server.

    python benchmarks/bench_api_load.py [--workers N] [--clients 16] [--seconds 20]
        [--python-clients] [--json]
"""

from __future__ import annotations

import http.client
import json
import random
import shutil
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


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = { %s }
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format(nil, "/api/suggest?proposed=500", nil, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%f %%f %%f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def wrk_load(port: int, bodies: list[bytes], clients: int, seconds: int) -> dict:
    """Requests, errors, seconds, median and p95 (ms) measured by ``wrk``."""
    script = WRK_SCRIPT % ", ".join(f"[==[{b.decode()}]==]" for b in bodies)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    done = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "-s", handle.name,
         f"http://127.0.0.1:{port}/"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    n, errors, elapsed, median, p95 = line.split()[1:]
    return {"requests": int(n), "errors": int(errors), "seconds": float(elapsed),
            "median_ms": float(median), "p95_ms": float(p95)}  # fmt: skip


def thread_load(port: int, bodies: list[bytes], clients: int, seconds: int) -> dict:
    """The same figures from client threads in this process."""
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
    ordered = sorted(times)
    return {
        "requests": len(times), "errors": len(errors), "seconds": time.perf_counter() - start,
        "median_ms": statistics.median(ordered), "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
    }  # fmt: skip


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
    use_wrk = shutil.which("wrk") is not None and "--python-clients" not in argv
    try:
        load = (wrk_load if use_wrk else thread_load)(port, bodies, clients, seconds)
    finally:
        server.terminate()
        server.wait(10)
    figures = {
        "workers": workers,
        "clients": clients,
        "load": "wrk" if use_wrk else "python threads",
        "requests": load["requests"],
        "errors": load["errors"],
        "requests_per_s": round(load["requests"] / load["seconds"], 1),
        "median_ms": round(load["median_ms"], 1),
        "p95_ms": round(load["p95_ms"], 1),
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
