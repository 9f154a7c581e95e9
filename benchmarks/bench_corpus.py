"""Scale: a 25,000-decision corpus through ingest, corpus build, train, suggest and trends.

    python benchmarks/bench_corpus.py [--decisions 25000] [--jobs 2] [--keep DIR]

Writes a stand-in cache of decision pages (``remedy fetch``'s layout: ``CACHE/<category>/
<reference>.html``) from the stand-in site's templates (``tests/fixtures/site``), with invented
councils, people and sums, seeded; then runs each step in its own process and prints its wall
time, CPU time and peak memory (the largest process's resident set, from ``os.wait4``):

1. ``remedy ingest CACHE --output ingested.jsonl`` (one process);
2. ``remedy corpus build CACHE --output table.jsonl --jobs N``;
3. training, as ``remedy train --cases table.jsonl`` does (the embedded table plus the corpus
   table; ``remedy_model.api.train``), without and with the sidecar's cross-validation;
4. one suggestion with the trained model (load once, median of 20);
5. ``remedy trends --cases table.jsonl`` (the report on the whole table).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCOPE = ["adult-care-services", "children-s-care-services", "education", "health"]
WEIGHTS = [40, 20, 38, 2]


def site_pages():
    """The stand-in site's page module (registered, so its dataclasses work)."""
    spec = importlib.util.spec_from_file_location(
        "site_pages", ROOT / "tests" / "fixtures" / "site" / "pages.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["site_pages"] = module
    spec.loader.exec_module(module)
    return module


def write_cache(folder: Path, count: int, seed: int = 12) -> int:
    """Write ``count`` invented decision pages dated 2016-2025; return the bytes written."""
    pages = site_pages()
    rng = random.Random(seed)
    start, days = dt.date(2016, 1, 1), (dt.date(2025, 12, 31) - dt.date(2016, 1, 1)).days
    size = 0
    for number in range(count):
        date = start + dt.timedelta(days=rng.randrange(days))
        category = rng.choices(SCOPE, WEIGHTS)[0]
        d = pages.invented_decision(rng, 500_000 + number, date, category, paragraphs=(25, 50))
        path = folder / d.category / f"{d.ref}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        page = f'<link rel="canonical" href="https://stand-in.example{d.path}">\n'
        page += pages.decision_page(d)
        path.write_text(page, encoding="utf-8")
        size += len(page)
    return size


def run_step(name: str, args: list[str]) -> dict:
    """Run one step in a child process; its wall and CPU seconds and peak memory."""
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a full pipe would block it
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        err = log.read().decode("utf-8", errors="replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{name} failed ({proc.returncode}):\n{err[-2000:]}")
    return {
        "step": name,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "last": err.strip().splitlines()[-1] if err.strip() else "",
    }


PYTHON_TRAIN = """
import sys
from remedy_model import api
api.train([sys.argv[1]], model_path=sys.argv[2], with_metrics=sys.argv[3] == "1")
"""

PYTHON_SUGGEST = """
import statistics, sys, time
from remedy_model import api
start = time.perf_counter()
model = api.get_model(sys.argv[1])
load = time.perf_counter() - start
case = {"fault_types": ["respite_not_provided"], "duration_months": 9, "carer_impact": True,
        "category": "Adult care services > Assessment and care plan", "year": 2025}
api.suggest(case, model=model, proposed=500)
times = []
for _ in range(20):
    start = time.perf_counter()
    api.suggest(case, model=model, proposed=500)
    times.append(time.perf_counter() - start)
print(f"model load {load:.2f} s; a suggestion {statistics.median(times) * 1000:.0f} ms "
      "(median of 20)", file=sys.stderr)
"""


def steps(cache: Path, work: Path, jobs: int) -> list[dict]:
    """Run every step in order; the figures of each."""
    remedy = [sys.executable, "-m", "remedy_model.cli"]
    table, model = work / "table.jsonl", work / "corpus.npz"
    out = [
        run_step("ingest (1 process)", [*remedy, "ingest", str(cache), "-o", str(work / "i.jl")]),
        run_step(
            f"corpus build ({jobs} processes)",
            [*remedy, "corpus", "build", str(cache), "-o", str(table), "-j", str(jobs), "-q"],
        ),
        run_step("train", [sys.executable, "-c", PYTHON_TRAIN, str(table), str(model), "0"]),
        run_step(
            "train with the sidecar's CV",
            [sys.executable, "-c", PYTHON_TRAIN, str(table), str(work / "cv.npz"), "1"],
        ),
        run_step("suggest", [sys.executable, "-c", PYTHON_SUGGEST, str(model)]),
        run_step(
            "trends report",
            [*remedy, "trends", "--out", str(work / "trends"), "--cases", str(table)],
        ),
    ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=25_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="Keep the cache and outputs in this folder.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        cache = work / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        size = write_cache(cache, args.decisions)
        print(
            f"{args.decisions:,} stand-in decision pages ({size / 1e6:.0f} MB) written in "
            f"{time.perf_counter() - start:.0f} s; {os.cpu_count()} cores"
        )
        print(f"{'step':34} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
        for row in steps(cache, work, args.jobs):
            print(f"{row['step']:34} {row['wall']:8.1f} {row['cpu']:8.1f} {row['peak_mb']:8.0f}")
            if row["last"]:
                print(f"    {row['last'][:150]}")


if __name__ == "__main__":
    main()
