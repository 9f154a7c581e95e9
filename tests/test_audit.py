"""Tests of the consistency audit (issue 14) on an invented case table.

The CSVs are checked against a direct pandas computation from the raw JSON Lines and the
out-of-fold answers; a spy on the payment model checks that no case is scored by a model whose
training rows held its complaint; the HTML is checked for references outside itself.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remedy_model.audit import change, tables
from remedy_model.cli import main
from remedy_model.dataset import read_cases
from remedy_model.evaluate import out_of_fold
from remedy_model.modeling.payment import TwoPartPaymentModel
from tests.conftest import synthetic_cases, write_jsonl

CPI = {2015: 100.0, 2018: 105.9, 2020: 108.7, 2022: 121.7, 2025: 138.4}
"""The conftest ``cpi`` fixture's index, restated for the direct computation."""
GROUP_KEYS = {
    "year": "year",
    "category": "group_cat",
    "org_type": "org",
    "source": "source",
}
PRESS = {"news_article", "newsletter", "advocacy_site", "other"}


def odd_cases() -> list[dict]:
    """Invented cases that exercise escaping, links, thin groups, siblings and a missing ref."""
    base = synthetic_cases(1, seed=9)[0] | {"decision": "upheld", "remedy_visible": True}
    pay = {"recipient": "complainant", "purpose": "distress", "symbolic": True}

    def paid(amount: float, **fields) -> dict:
        return (
            base
            | {"symbolic_total_gbp": amount, "payments": [pay | {"amount_gbp": amount}]}
            | fields
        )

    return [
        paid(9000.0, case_ref="21 900 001", organisation="<b>Evil & Co</b>",
             url="javascript:alert(1)"),
        paid(150.0, case_ref="09 900 002", year=2009, org_type="district",
             url="https://example.org/decisions/odd-2"),
        paid(700.0, case_ref=None, organisation="Invented Press Council",
             source_kind="news_article", year=None, url="http://example.org/news/3"),
        paid(800.0, case_ref="22 900 004a", url="https://example.org/decisions/odd-4a"),
        paid(650.0, case_ref="22 900 004b", url="https://example.org/decisions/odd-4b"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def cases_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = synthetic_cases(140, seed=5) + odd_cases()
    return write_jsonl(tmp_path_factory.mktemp("audit") / "cases.jsonl", rows)


@pytest.fixture(scope="module")
def cpi_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cpi") / "cpi.csv"
    path.write_text("year,index\n" + "".join(f"{y},{v}\n" for y, v in CPI.items()))
    return path


@pytest.fixture(scope="module")
def audit(cases_path: Path, cpi_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The audit of the fixture, written once for the module (5 folds, 1 repeat)."""
    out = tmp_path_factory.mktemp("run") / "audit"
    args = ["audit", "--out", str(out), "--cases", str(cases_path), "--cpi", str(cpi_path)]
    assert main([*args, "--repeats", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def direct(cases_path: Path, cpi_path: Path) -> pd.DataFrame:
    """The scored cases computed afresh: raw JSON, the out-of-fold answers, pandas."""
    from remedy_model.inflation import CpiIndex

    cases = read_cases(cases_path).cases
    oof = out_of_fold(cases, CpiIndex.from_csv(cpi_path), folds=5, repeats=1)
    raw = pd.read_json(cases_path, lines=True, dtype=False)
    df = raw.iloc[oof["position"]].reset_index(drop=True)
    for col in ("expected_today", "low_today", "high_today", "actual_today"):
        df[col] = oof[col].to_numpy()
    df = df[df["decision"].isin(["upheld", "report_upheld"]) & (df["actual_today"] > 0)].copy()
    years, values = zip(*sorted(CPI.items()), strict=True)
    clamped = df["year"].clip(min(years), max(years))
    index = pd.Series(np.interp(clamped, years, values), index=df.index)
    df["factor"] = (values[-1] / index).where(df["year"].notna(), 1.0)
    df["key"] = df["case_ref"].fillna(df["organisation"])
    df["ratio"] = df["symbolic_total_gbp"] / (df["expected_today"] / df["factor"])
    df["log_ratio"] = np.log(df["ratio"])
    df["outside"] = np.where(
        df["actual_today"] > df["high_today"],
        "above",
        np.where(df["actual_today"] < df["low_today"], "below", "within"),
    )
    df["group_cat"] = df["category"].str.split(">").str[0].str.strip()
    df["org"] = df["org_type"].fillna("unknown")
    df["source"] = np.where(df["source_kind"].isin(PRESS), "press", "decision")
    return df


def read(audit: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(audit / f"{name}.csv")


# --- outliers.csv ---------------------------------------------------------------------------


class TestOutliersCsv:
    def test_same_cases_as_the_direct_computation(self, audit: Path, direct: pd.DataFrame) -> None:
        written = read(audit, "outliers")
        keys = written["case_ref"].fillna(written["organisation"])
        assert sorted(keys) == sorted(direct["key"])
        assert len(written) > 40

    def test_sums_ratio_and_flag_match(self, audit: Path, direct: pd.DataFrame) -> None:
        written = read(audit, "outliers")
        written = written.set_index(written["case_ref"].fillna(written["organisation"]))
        expected = direct.set_index("key").loc[written.index]
        pairs = {
            "actual_gbp": expected["symbolic_total_gbp"],
            "expected_gbp": expected["expected_today"] / expected["factor"],
            "low_gbp": expected["low_today"] / expected["factor"],
            "high_gbp": expected["high_today"] / expected["factor"],
            "actual_today_gbp": expected["actual_today"],
            "expected_today_gbp": expected["expected_today"],
            "ratio": expected["ratio"],
        }
        for column, values in pairs.items():
            np.testing.assert_allclose(written[column], values, rtol=1e-3, err_msg=column)
        assert written["outside"].tolist() == expected["outside"].tolist()

    def test_money_years_are_stated(self, audit: Path) -> None:
        written = read(audit, "outliers")
        dated = written.dropna(subset=["year"])
        assert (dated["money_year"] == dated["year"]).all()
        assert (written.loc[written["year"].isna(), "money_year"] == 2025).all()
        assert (written["today_year"] == 2025).all()

    def test_facts_are_written_beside_each_case(self, audit: Path) -> None:
        written = read(audit, "outliers")
        for column in ("category_group", "org_type", "fault_types", "duration_months", "url"):
            assert column in written.columns, column
        assert written["fault_types"].str.len().gt(0).all()

    def test_furthest_from_expectation_first(self, audit: Path) -> None:
        gaps = read(audit, "outliers")["log_ratio"].abs()
        assert gaps.is_monotonic_decreasing


# --- the consistency tables -----------------------------------------------------------------


class TestConsistencyCsvs:
    @pytest.mark.parametrize("name", list(GROUP_KEYS))
    def test_matches_direct_computation(self, audit: Path, direct: pd.DataFrame, name: str) -> None:
        key = GROUP_KEYS[name]
        grouped = direct.dropna(subset=[key]).groupby(key)
        logs = grouped["log_ratio"]
        expected = pd.DataFrame(
            {
                "n": grouped.size(),
                "n_outside": grouped["outside"].apply(lambda s: (s != "within").sum()),
                "n_above": grouped["outside"].apply(lambda s: (s == "above").sum()),
                "median_log_ratio": logs.median(),
                "q1_log_ratio": logs.quantile(0.25),
                "q3_log_ratio": logs.quantile(0.75),
            }
        )
        expected["share_outside"] = expected["n_outside"] / expected["n"]
        expected["iqr_log_ratio"] = expected["q3_log_ratio"] - expected["q1_log_ratio"]
        expected["median_ratio"] = np.exp(expected["median_log_ratio"])
        written = read(audit, f"consistency_by_{name}")
        column = tables.GROUPINGS[name]
        written = written.set_index(column).sort_index()
        expected = expected.sort_index()
        assert [str(k).removesuffix(".0") for k in written.index] == [
            str(k).removesuffix(".0") for k in expected.index
        ]
        for col in expected.columns:
            np.testing.assert_allclose(written[col], expected[col], atol=1e-3, err_msg=col)
        assert written["thin"].tolist() == (expected["n"] < 5).tolist()

    @pytest.mark.parametrize("name", list(GROUP_KEYS))
    def test_thin_rows_last(self, audit: Path, name: str) -> None:
        thin = read(audit, f"consistency_by_{name}")["thin"].tolist()
        assert thin == sorted(thin)

    def test_fixture_has_thin_groups(self, audit: Path) -> None:
        years = read(audit, "consistency_by_year").set_index("year")
        assert years.loc[2009, "thin"] and years.loc[2009, "n"] == 1
        assert read(audit, "consistency_by_org_type").set_index("org_type").loc["district", "thin"]


# --- never scored by a model that saw the case ----------------------------------------------


def complaint(case_ref: str | None, row: int) -> str:
    """A complaint key computed here, not by the package: the reference without its letter."""
    return re.sub(r"[a-z]$", "", case_ref) if case_ref else f"row-{row}"


class TestNoLeak:
    def test_each_scored_case_is_unseen_by_its_models(
        self, cases_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from remedy_model.inflation import CpiIndex

        trained: dict[int, set] = {}
        predicted: dict[int, list] = {}
        fit, predict_range = TwoPartPaymentModel.fit, TwoPartPaymentModel.predict_range

        alive = []  # keeps every model, so no id is reused by a later one

        def spy_fit(self, X, y, groups=None):
            alive.append(self)
            trained[id(self)] = set(X.index)
            return fit(self, X, y, groups=groups)

        def spy_predict(self, X):
            predicted.setdefault(id(self), []).extend(X.index)
            return predict_range(self, X)

        monkeypatch.setattr(TwoPartPaymentModel, "fit", spy_fit)
        monkeypatch.setattr(TwoPartPaymentModel, "predict_range", spy_predict)
        cases = read_cases(cases_path).cases
        scored = tables.score_cases(cases, CpiIndex(dict(CPI)), folds=5, repeats=2)
        usable = [i for i, case in enumerate(cases) if case.has_target]  # the rows of X
        group = [complaint(cases[i].case_ref, i) for i in usable]
        scorers: dict[int, list[int]] = {}
        for model, rows in predicted.items():
            for row in rows:
                scorers.setdefault(row, []).append(model)
        refs = [cases[i].case_ref for i in usable]
        checked = 0
        for ref in scored["case_ref"].dropna():
            row = refs.index(ref)
            assert len(scorers[row]) == 2  # one model per repeat
            for model in scorers[row]:
                seen = {group[r] for r in trained[model]}
                assert group[row] not in seen, ref
            checked += 1
        assert checked == scored["case_ref"].notna().sum() > 40
        assert {"22 900 004a", "22 900 004b"} <= set(scored["case_ref"])


# --- the HTML -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(audit: Path) -> str:
    return (audit / "report.html").read_text(encoding="utf-8")


class TestHtml:
    def test_no_external_references(self, page: str, cases_path: Path) -> None:
        for bad in ("<link", "<script", "@import", "url(", "javascript:", "<iframe", "//cdn"):
            assert bad not in page.lower(), bad
        sources = re.findall(r'src="([^"]*)"', page)
        assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
        rows = [json.loads(line) for line in cases_path.read_text().splitlines()]
        case_links = {r["url"] for r in rows if str(r["url"]).startswith(("http://", "https://"))}
        links = re.findall(r'href="([^"]*)"', page)
        assert links and set(links) <= case_links
        outside_attrs = re.findall(r"https?://", re.sub(r'href="[^"]*"', "", page))
        assert not outside_attrs

    def test_says_how_many_were_scored_and_fall_outside(self, page: str, audit: Path) -> None:
        written = read(audit, "outliers")
        n_outside = int((written["outside"] != "within").sum())
        assert f"{len(written)} cases scored" in page
        assert f"{n_outside} ({n_outside / len(written):.0%}) fall outside the 80% interval" in page

    def test_lists_the_largest_outliers_both_ways(self, page: str, audit: Path) -> None:
        written = read(audit, "outliers")
        above = written[written["outside"] == "above"].sort_values("ratio").iloc[-1]
        below = written[written["outside"] == "below"].sort_values("ratio").iloc[0]
        top, bottom = page.split("Paid far less than expected")
        assert "Paid far more than expected" in top
        ref_above = above["case_ref"] if isinstance(above["case_ref"], str) else "no reference"
        ref_below = below["case_ref"] if isinstance(below["case_ref"], str) else "no reference"
        assert ref_above in top.split("Paid far more than expected")[1]
        assert ref_below in bottom.split("<h2>")[0]

    def test_unsafe_link_is_not_a_link_and_text_is_escaped(self, page: str) -> None:
        assert "<b>Evil" not in page
        if "Evil" in page:
            assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in page
        assert 'href="javascript' not in page

    def test_warns_about_thin_groups(self, page: str) -> None:
        warning = page.split("Thin groups.")[1].split("</div>")[0]
        assert "2009 (1)" in warning and "district (1)" in warning

    def test_answers_whether_consistency_is_improving(self, page: str) -> None:
        section = page.split("Are remedies becoming more consistent?</h2>")[1].split("<img")[0]
        assert "Cannot say" in section or "No clear change" in section or "Yes" in section
        assert "press" in section.lower()


# --- whether consistency changed ------------------------------------------------------------


def scored_frame(early_sd: float, late_sd: float, n_early: int, n_late: int) -> pd.DataFrame:
    """Invented scored cases: log ratios with a chosen spread in 2012 and 2024."""
    rng = np.random.default_rng(1)
    logs = np.r_[rng.normal(0, early_sd, n_early), rng.normal(0, late_sd, n_late)]
    return pd.DataFrame(
        {
            "year": [2012.0] * n_early + [2024.0] * n_late,
            "log_ratio": logs,
            "outside": np.where(np.abs(logs) > 1.3, "above", "within"),
            "source_group": ["press"] * (n_early // 2)
            + ["decision"] * (n_late + n_early - n_early // 2),
            "actual_today_gbp": np.exp(logs) * 1000,
        }
    )  # fmt: skip


class TestConsistencyChange:
    def test_clearly_narrower(self) -> None:
        moved = change.consistency_change(scored_frame(2.0, 0.5, 60, 60))
        assert moved["compared"] and moved["verdict"] == "narrower"
        assert moved["band_change_low"] <= moved["band_change"] <= moved["band_change_high"] < 1

    def test_same_spread_is_no_clear_change(self) -> None:
        moved = change.consistency_change(scored_frame(1.0, 1.0, 40, 40))
        assert moved["verdict"] == "no clear change"
        answer, details = change.consistency_answer(scored_frame(1.0, 1.0, 40, 40), moved, 0.8)
        assert answer.startswith("No clear change") and any("press" in d for d in details)

    def test_fewer_than_20_in_a_period_is_not_compared(self) -> None:
        frame = scored_frame(2.0, 0.5, 19, 80)
        moved = change.consistency_change(frame)
        assert moved["compared"] is False and "verdict" not in moved
        answer, details = change.consistency_answer(frame, moved, 0.8)
        assert answer.startswith("Cannot say") and "at least 20 cases" in details[0]

    def test_bootstrap_is_seeded(self) -> None:
        a, b = np.arange(30.0), np.arange(40.0) / 2
        assert change.bootstrap_iqr_change(a, b) == change.bootstrap_iqr_change(a, b)
        assert change.bootstrap_iqr_change(a, b, seed=1) != change.bootstrap_iqr_change(a, b)


# --- the command ----------------------------------------------------------------------------


class TestCommand:
    def test_json_headline(
        self, cases_path: Path, cpi_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
    ) -> None:
        args = ["audit", "--out", str(tmp_path), "--cases", str(cases_path), "--cpi", str(cpi_path)]
        assert main([*args, "--repeats", "1", "--json"]) == 0
        figures = json.loads(capsys.readouterr().out)
        written = read(tmp_path, "outliers")
        assert figures["n_scored"] == len(written)
        assert figures["n_above"] + figures["n_below"] == figures["n_outside"]
        assert figures["method"]["folds"] == 5 and figures["method"]["data_hash"]
        assert Path(figures["report"]).is_file()

    def test_out_is_an_existing_file(
        self, cases_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
    ) -> None:
        out = tmp_path / "report.html"
        out.write_text("keep me")
        assert main(["audit", "--out", str(out), "--cases", str(cases_path)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and "not a folder" in err[0]
        assert out.read_text() == "keep me"

    def test_case_file_with_no_valid_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture
    ) -> None:
        bad = tmp_path / "bad.jsonl"
        bad.write_text('{"year": "soon"}\nnot json\n')
        assert main(["audit", "--out", str(tmp_path / "out"), "--cases", str(bad)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and "no valid case line" in err[0]
        assert not (tmp_path / "out").exists()

    def test_too_few_cases(
        self, tmp_path: Path, cpi_path: Path, capsys: pytest.CaptureFixture
    ) -> None:
        few = write_jsonl(tmp_path / "few.jsonl", synthetic_cases(6))
        args = [
            "audit",
            "--out",
            str(tmp_path / "out"),
            "--cases",
            str(few),
            "--cpi",
            str(cpi_path),
        ]
        assert main(args) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "too few cases to audit" in err[0]
        assert not (tmp_path / "out").exists()

    def test_one_fold_is_refused(self, tmp_path: Path, cases_path: Path) -> None:
        args = ["audit", "--out", str(tmp_path), "--cases", str(cases_path), "--folds", "1"]
        assert main(args) == 2

    def test_command_module_imports_lightly(self) -> None:
        probe = (
            "import sys, remedy_model.cli; "
            "print(any(m in sys.modules for m in ('pandas', 'matplotlib', 'sklearn')))"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "False"
