"""Time the trends report on a large case table, and the audit on the embedded one:
``python benchmarks/bench_trends.py [--n 10000] [--no-audit]``.

The table is made by resampling the embedded cases with a fixed seed; each copy gets its own
case reference so none is dropped as a duplicate. The time covers what ``remedy trends`` does:
reading and validating the cases, the tables, the PNGs and the HTML. The target is under 15 s
for 10,000 cases. The audit (``remedy audit``: grouped cross-validation, 5 folds x 3 repeats,
then the CSVs, figures and HTML) is timed on the embedded cases, and its headline printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from remedy_model import config
from remedy_model.dataset import data_hash
from remedy_model.trends.report import build_report

TARGET_SECONDS = 15.0


def resampled_table(source: Path, n: int, path: Path, seed: int = 0) -> Path:
    """Write ``n`` cases drawn with replacement from ``source`` to ``path`` (JSON Lines)."""
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i, pick in enumerate(rng.integers(0, len(lines), size=n)):
            case = json.loads(lines[pick])
            case["case_ref"] = f"{90 + i // 1_000_000:02d} {i // 1000 % 1000:03d} {i % 1000:03d}"
            fh.write(json.dumps(case) + "\n")
    return path


def bench_audit() -> None:
    """Time ``remedy audit`` on the embedded cases and print its headline figures."""
    from remedy_model.audit.report import build_audit

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        audit = build_audit([config.CASES_PATH], config.CPI_PATH, Path(tmp) / "audit")
        seconds = time.perf_counter() - start
    figures = audit.headline
    print(
        f"audit of the embedded cases (data {data_hash([config.CASES_PATH])}): {seconds:.1f} s; "
        f"{figures['n_scored']} cases scored, {figures['n_outside']} "
        f"({figures['share_outside']:.1%}) outside the {figures['interval_level']:.0%} interval "
        f"({figures['n_above']} above, {figures['n_below']} below)"
    )
    for row in audit.tables["year"].to_dict("records"):
        if not row["thin"]:
            print(
                f"  {row['year']}: {row['n']:3d} scored, {row['share_outside']:4.0%} outside, "
                f"middle half x{row['q1_ratio']:.2f}-x{row['q3_ratio']:.2f}"
            )
    print(f"  more consistent? {figures['consistency_answer']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="cases in the table")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-audit", action="store_true", help="time the trends report only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = resampled_table(config.CASES_PATH, args.n, Path(tmp) / "cases.jsonl", args.seed)
        start = time.perf_counter()
        report = build_report([cases], config.CPI_PATH, Path(tmp) / "report")
        seconds = time.perf_counter() - start
        size_kb = report.html_path.stat().st_size / 1024
    figures = report.headline
    verdict = "within" if seconds < TARGET_SECONDS else "OVER"
    print(f"date: {dt.date.today().isoformat()}  python {platform.python_version()}")
    print(
        f"trends report on {figures['n_cases']:,} cases: {seconds:.2f} s "
        f"({verdict} the {TARGET_SECONDS:.0f} s target); report.html {size_kb:,.0f} kB"
    )
    print(
        f"cases with a symbolic sum: {figures['n_with_sum']:,}; "
        f"no visible sum: {figures['n_no_visible_sum']:,}"
    )
    print(
        f"median symbolic sum ({figures['today_year']} money): £{figures['median_today']:,.0f} "
        f"(IQR £{figures['q1_today']:,.0f}-£{figures['q3_today']:,.0f})"
    )
    share = figures["payment_share"]
    print(f"upheld cases with any symbolic payment: {share['share']:.0%} of {share['n']:,}")
    if not args.no_audit:
        bench_audit()


if __name__ == "__main__":
    main()
