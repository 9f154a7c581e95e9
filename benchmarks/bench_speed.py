"""Speed figures of the recommender on the embedded data (prints them; no pass/fail).

Targets (issue "One public surface, small pieces, fast answers"): a CLI answer under 1 s from a
cold start; a warm suggestion under 5 ms; ``predict`` on 10,000 cases under 1 s (as the
command runs it, one process per core; the one-process figure is printed beside it).

    python benchmarks/bench_speed.py [--json]
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from remedy_model import api, config
from remedy_model.dataset import read_cases


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def best_of(repeats: int, fn):
    """The fastest of ``repeats`` timed runs, and the last value."""
    runs = [timed(fn) for _ in range(repeats)]
    return min(t for t, _ in runs), runs[-1][1]


def cli_seconds(args: list[str], repeats: int = 3, *, until_exit: bool = False) -> float:
    """Best of ``repeats``: seconds from start to the first byte on stdout (or to exit)."""
    exe = shutil.which("remedy") or sys.executable
    prefix = [exe] if exe.endswith("remedy") else [exe, "-m", "remedy_model.cli"]
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        proc = subprocess.Popen([*prefix, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        proc.stdout.read(1)
        if until_exit:
            proc.stdout.read()
            proc.wait()
        runs.append(time.perf_counter() - start)
        proc.communicate()
    return min(runs)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="remedy-bench-"))
    model_path = work / "model.npz"
    train_s, trained = timed(lambda: api.train(model_path=model_path))
    load_s, model = timed(lambda: api.get_model(model_path))

    cases = read_cases(config.CASES_PATH).cases
    rng = random.Random(0)
    queries = [c.model_dump(mode="json", exclude={"payments", "provenance"}) for c in cases]
    api.suggest(queries[0], model=model)
    latencies = []
    for q in rng.sample(queries, 200):
        t, _ = timed(lambda q=q: api.suggest(q, model=model, proposed=500))
        latencies.append(t * 1000)

    batch = work / "cases10k.jsonl"
    batch.write_text("".join(json.dumps(rng.choice(queries)) + "\n" for _ in range(10_000)))
    out = work / "preds.jsonl"
    predict_s, result = best_of(3, lambda: api.predict(batch, out, model=model, jobs=None))
    predict_one_s, _ = best_of(3, lambda: api.predict(batch, out, model=model, jobs=1))

    figures = {
        "train_s": round(train_s, 2),
        "model_load_s": round(load_s, 3),
        "suggest_ms_median": round(statistics.median(latencies), 1),
        "suggest_ms_p95": round(sorted(latencies)[int(0.95 * len(latencies))], 1),
        "predict_10k_s": round(predict_s, 2),
        "predict_10k_one_process_s": round(predict_one_s, 2),
        "cores": config.usable_cores(),
        "predict_lines_ok": result.n_predicted,
        "cli_help_first_output_s": round(cli_seconds(["--help"]), 2),
        "cli_suggest_first_output_s": round(
            cli_seconds(["suggest", "--fault", "charging", "--model", str(model_path)]), 2
        ),
        "cli_suggest_complete_s": round(
            cli_seconds(
                ["suggest", "--fault", "charging", "--model", str(model_path)], until_exit=True
            ),
            2,
        ),
        "n_cases": trained.model.info["n_cases"],
    }
    shutil.rmtree(work, ignore_errors=True)
    if "--json" in sys.argv:
        print(json.dumps(figures, indent=2))
        return
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
