"""Tests of the trends report (issues 5 and 14) on a small invented case table.

Each CSV is checked against a direct pandas computation from the raw JSON Lines fixture, which
does not go through the package's case records or frame, and a few cells against sums worked
out by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remedy_model.cli import main
from remedy_model.inflation import CpiIndex
from remedy_model.records import parse_case
from remedy_model.trends import plots, summary, tables
from tests.conftest import synthetic_cases

FIXTURES = Path(__file__).parent / "fixtures" / "trends"
CASES = FIXTURES / "cases.jsonl"
CPI = FIXTURES / "cpi.csv"
NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "3.0-remedy-trends.ipynb"
RATE_PURPOSES = ("loss_of_service", "lost_respite", "lost_education")


# --- the direct computation -----------------------------------------------------------------


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The fixture cases read straight from JSON, with today's money from the fixture CPI."""
    df = pd.read_json(CASES, lines=True, dtype=False)
    cpi = pd.read_csv(CPI).set_index("year").iloc[:, 0]
    clamped = df["year"].clip(cpi.index.min(), cpi.index.max())
    df["factor"] = (cpi.iloc[-1] / clamped.map(cpi)).fillna(1.0)
    levels = df["category"].fillna("unknown").str.split(">")
    df["group_cat"] = levels.str[0].str.strip()
    second = levels.str[1].str.strip().fillna("Other")
    df["subcat"] = (df["group_cat"] + " > " + second).where(df["category"].notna(), "unknown")
    df["org"] = df["org_type"].fillna("unknown")
    df["sym"] = df["symbolic_total_gbp"].where(df["remedy_visible"])
    df["sym_today"] = df["sym"] * df["factor"]
    df["upheld_"] = df["decision"].isin(["upheld", "report_upheld"])
    return df


def direct_summary(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """n_cases, n and the quartiles of positive sums per key, computed afresh."""
    out = df.groupby(key).size().rename("n_cases").to_frame()
    pos = df[df["sym"] > 0]
    for col, name in (("sym", "gbp"), ("sym_today", "today")):
        grouped = pos.groupby(key)[col]
        out[f"median_{name}"] = grouped.median()
        out[f"q1_{name}"] = grouped.quantile(0.25)
        out[f"q3_{name}"] = grouped.quantile(0.75)
    out["n"] = pos.groupby(key).size()
    out["n"] = out["n"].fillna(0).astype(int)
    out["thin"] = out["n"] < 5
    return out


def direct_payment_rate(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """Share of upheld cases with a stated remedy that include a symbolic payment, per key."""
    base = df[df["upheld_"] & df["sym"].notna()]
    out = pd.DataFrame(
        {"n": base.groupby(key).size(), "n_paid": (base["sym"] > 0).groupby(base[key]).sum()}
    )
    out["share"] = out["n_paid"] / out["n"]
    out["thin"] = out["n"] < 5
    return out


def assert_matches(written: pd.DataFrame, expected: pd.DataFrame, key: str) -> None:
    """Same keys, counts, thin flags and (to a penny) sums."""
    written = written.set_index(key).sort_index()
    expected = expected.sort_index()
    assert list(written.index) == list(expected.index)
    for col in expected.columns:
        if col == "thin":
            assert written[col].tolist() == expected[col].tolist(), col
        else:
            np.testing.assert_allclose(
                written[col].to_numpy(float), expected[col].to_numpy(float), atol=0.01, err_msg=col
            )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report on the fixture, written once for the module."""
    out = tmp_path_factory.mktemp("trends") / "report"
    code = main(["trends", "--out", str(out), "--cases", str(CASES), "--cpi", str(CPI)])
    assert code == 0
    return out


def csv(report: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(report / f"{name}.csv")


def frame_of(rows: list[dict]) -> pd.DataFrame:
    """The trends frame of invented case rows, with a CPI that is flat from 2015."""
    cases = [parse_case(row) for row in rows]
    return tables.trends_frame(cases, CpiIndex({2015: 100.0, 2025: 100.0}))


# --- each table -----------------------------------------------------------------------------


class TestSumTables:
    def test_by_year_matches_pandas(self, report: Path, raw: pd.DataFrame) -> None:
        dated = raw.dropna(subset=["year"]).astype({"year": int})
        assert_matches(csv(report, "by_year"), direct_summary(dated, "year"), "year")

    def test_by_year_hand_worked_cell(self, report: Path) -> None:
        # 2021: sums 250, 900, 1000, 1500, 1800, 3400 -> median 1250; CPI 110 -> 120.
        row = csv(report, "by_year").set_index("year").loc[2021]
        assert row["n"] == 6 and not row["thin"]
        assert row["median_gbp"] == pytest.approx(1250)
        assert row["median_today"] == pytest.approx(1250 * 120 / 110, abs=0.01)
        # 2017 is before the CPI table: the 2018 index is used.
        assert csv(report, "by_year").set_index("year").loc[2017, "median_today"] == 6000

    def test_by_fault_matches_pandas(self, report: Path, raw: pd.DataFrame) -> None:
        exploded = raw.explode("fault_types").dropna(subset=["fault_types"])
        expected = direct_summary(exploded, "fault_types").rename_axis("fault_type")
        written = csv(report, "by_fault")
        assert_matches(written, expected, "fault_type")
        solid = written[~written["thin"]]["median_today"].dropna()
        assert solid.is_monotonic_decreasing  # largest payments first among solid rows

    def test_by_category_matches_pandas(self, report: Path, raw: pd.DataFrame) -> None:
        expected = direct_summary(raw, "group_cat").rename_axis("category_group")
        assert_matches(csv(report, "by_category"), expected, "category_group")

    def test_by_subcategory_matches_pandas(self, report: Path, raw: pd.DataFrame) -> None:
        expected = direct_summary(raw, "subcat").rename_axis("subcategory")
        written = csv(report, "by_subcategory")
        assert_matches(written, expected, "subcategory")
        # A category without a second level counts as its group's Other.
        assert "unknown" in set(written["subcategory"])
        assert "Adult care services > Assessment and care plan" in set(written["subcategory"])

    def test_by_org_type_matches_pandas(self, report: Path, raw: pd.DataFrame) -> None:
        expected = direct_summary(raw, "org").rename_axis("org_type")
        assert_matches(csv(report, "by_org_type"), expected, "org_type")

    @pytest.mark.parametrize(
        ("name", "column", "labels"),
        [
            ("carer", "carer_impact", tables.CARER_LABELS),
            ("respite", "respite_lost", tables.RESPITE_LABELS),
        ],
    )
    def test_flag_tables_match_pandas(
        self, report: Path, raw: pd.DataFrame, name: str, column: str, labels: dict
    ) -> None:
        df = raw.assign(group=raw[column].map({True: labels[True], False: labels[False]}))
        df["group"] = df["group"].fillna(labels[None])
        expected = direct_summary(df, "group")
        visible = df[df["sym"].notna()].groupby("group").size()
        expected["n_visible"] = visible.reindex(expected.index).fillna(0).astype(int)
        expected["share_paid"] = expected["n"] / expected["n_visible"]
        assert_matches(csv(report, name), expected, "group")

    def test_carer_payments(self, report: Path, raw: pd.DataFrame) -> None:
        carer = csv(report, "carer").set_index("group")
        to_carer = raw[raw["sym"].notna()].apply(
            lambda r: any(
                p["symbolic"] and (p["recipient"] == "carer" or p["purpose"] == "carer_strain")
                for p in r["payments"]
            ),
            axis=1,
        )
        assert carer["n_carer_payment"].sum() == to_carer.sum() == 3
        assert carer.loc["carer affected", "n_carer_payment"] == 3


class TestPaymentRates:
    def test_payment_share_by_year_matches_pandas(self, report: Path, raw: pd.DataFrame) -> None:
        dated = raw.dropna(subset=["year"]).astype({"year": int})
        assert_matches(csv(report, "payment_share"), direct_payment_rate(dated, "year"), "year")
        # 2019: cases 1 and 2 paid, 3 stated no money, 4 hidden -> 2 of 3.
        share = csv(report, "payment_share").set_index("year").loc[2019, "share"]
        assert share == pytest.approx(2 / 3, abs=1e-4)

    def test_by_fault_matches_pandas(self, report: Path, raw: pd.DataFrame) -> None:
        exploded = raw.explode("fault_types").dropna(subset=["fault_types"])
        expected = direct_payment_rate(exploded, "fault_types").rename_axis("fault_type")
        assert_matches(csv(report, "payment_rate_by_fault"), expected, "fault_type")
        # communication: cases 1 (paid), 3 (no money), 11 (paid) -> 2 of 3.
        row = csv(report, "payment_rate_by_fault").set_index("fault_type").loc["communication"]
        assert (row["n_paid"], row["n"]) == (2, 3)

    def test_by_category_matches_pandas(self, report: Path, raw: pd.DataFrame) -> None:
        expected = direct_payment_rate(raw, "group_cat").rename_axis("category_group")
        assert_matches(csv(report, "payment_rate_by_category"), expected, "category_group")


@pytest.fixture(scope="module")
def direct_rates(raw: pd.DataFrame) -> pd.DataFrame:
    """(purpose, nominal rate, today's rate) per case with a symbolic payment for it."""
    rows = []
    for _, case in raw[raw["remedy_visible"]].iterrows():
        for purpose in RATE_PURPOSES:
            amount = sum(
                p["amount_gbp"]
                for p in case["payments"]
                if p["purpose"] == purpose and p["symbolic"]
            )
            months = case["duration_months"]
            if amount > 0:
                usable = pd.notna(months) and months > 0
                rate = amount / months if usable else np.nan
                rows.append((purpose, rate, rate * case["factor"]))
    return pd.DataFrame(rows, columns=["purpose", "rate", "today"])


class TestMonthlyRates:
    def test_rates_match_pandas(self, report: Path, direct_rates: pd.DataFrame) -> None:
        written = csv(report, "rates").set_index("purpose")
        for purpose, part in direct_rates.groupby("purpose"):
            got = written.loc[purpose]
            assert got["n_cases"] == len(part)
            assert got["n"] == part["rate"].notna().sum()
            assert got["thin"] == (got["n"] < 5)
            for col, name in (("rate", "gbp"), ("today", "today")):
                values = part[col]
                assert got[f"median_{name}_per_month"] == pytest.approx(values.median(), abs=0.01)
                assert got[f"q1_{name}_per_month"] == pytest.approx(values.quantile(0.25), abs=0.01)
                assert got[f"q3_{name}_per_month"] == pytest.approx(values.quantile(0.75), abs=0.01)

    def test_lost_care_by_hand(self, report: Path) -> None:
        # 1200/12 (2019) and 2000/4 (no year); 900 over 0 months is left out, and so is the
        # non-symbolic 600 of case 11 (a repaid cost is not a symbolic payment).
        care = csv(report, "rates").set_index("purpose").loc["loss_of_service"]
        assert (care["n_cases"], care["n"]) == (3, 2)
        assert care["median_gbp_per_month"] == pytest.approx((100 + 500) / 2)

    def test_bootstrap_interval_holds_the_median(self, report: Path) -> None:
        written = csv(report, "rates").dropna(subset=["low_today_per_month"])
        assert len(written) >= 2
        assert (written["low_today_per_month"] <= written["median_today_per_month"]).all()
        assert (written["median_today_per_month"] <= written["high_today_per_month"]).all()
        assert (written["low_today_per_month"] < written["high_today_per_month"]).any()


@pytest.fixture(scope="module")
def mixed_faults() -> pd.DataFrame:
    """A fault table with a solid cell and a thin cell holding the largest median."""
    rows = [row | {"fault_types": ["charging"]} for row in synthetic_cases(60, seed=3)]
    big = synthetic_cases(1, seed=4)[0]
    big |= {"fault_types": ["transition"], "symbolic_total_gbp": 90000.0}
    big["payments"] = [{"amount_gbp": 90000.0, "symbolic": True, "purpose": "distress"}]
    big |= {"remedy_visible": True, "decision": "upheld", "case_ref": "99 999 999"}
    return tables.by_fault(frame_of([*rows, big]))


class TestThinLast:
    def test_every_csv_lists_thin_rows_last(self, report: Path) -> None:
        for name in tables.TABLE_NAMES:
            thin = csv(report, name)["thin"]
            assert thin.tolist() == sorted(thin.tolist()), name
            assert thin.tolist() == (csv(report, name)["n"] < tables.THIN_BELOW).tolist(), name

    def test_a_thin_cell_with_the_largest_median_still_comes_last(
        self, mixed_faults: pd.DataFrame
    ) -> None:
        assert mixed_faults["fault_type"].tolist() == ["charging", "transition"]
        assert mixed_faults["thin"].tolist() == [False, True]
        assert mixed_faults["median_today"].iloc[1] > mixed_faults["median_today"].iloc[0]

    def test_bar_chart_draws_thin_rows_at_the_bottom(
        self, mixed_faults: pd.DataFrame, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        drawn = []
        monkeypatch.setattr(plots, "_save", lambda fig, path: drawn.append(fig) or path)
        plots.plot_bars(mixed_faults, "fault_type", "t", "x", tmp_path / "f.png")
        labels = [t.get_text() for t in drawn[0].axes[0].get_yticklabels()][::-1]  # top first
        assert labels == ["charging", "transition"]


# --- what changed ---------------------------------------------------------------------------


class TestWhatChanged:
    def test_too_few_cases_to_compare(self, report: Path) -> None:
        page = (report / "report.html").read_text(encoding="utf-8")
        assert "too few sums to compare periods" in page
        assert "at least 20 cases in each period" in page
        assert "% higher in real terms" not in page and "% lower in real terms" not in page

    def test_compares_when_each_period_holds_20(self) -> None:
        frame = frame_of(synthetic_cases(240, seed=1))
        moved = summary.change(frame)
        assert moved["compared"]
        assert min(moved["first"]["n"], moved["last"]["n"]) >= summary.MIN_PERIOD
        text = summary.what_changed(frame, tables.all_tables(frame))
        assert "in real terms" in text and "too few" not in text.split("decision pages")[0]
        first = moved["first"]
        assert f"({first['n']} cases)" in text

    def test_one_period_short_of_20_is_not_compared(self) -> None:
        rows = synthetic_cases(240, seed=1)
        paid = [r for r in rows if r["symbolic_total_gbp"] > 0 and r["remedy_visible"]]
        early = [r | {"year": 2010} for r in paid[:19]]  # 19 sums in the only early year
        late = [r | {"year": 2024} for r in paid[19:]]
        frame = frame_of(early + late)
        assert summary.change(frame)["compared"] is False
        text = summary.what_changed(frame, tables.all_tables(frame))
        assert "too few sums to compare periods" in text

    def test_press_caveat_leads_where_press_dominates(self) -> None:
        rows = synthetic_cases(240, seed=1)
        for row in rows:
            if row["year"] <= 2020:
                row["source_kind"] = "news_article"
        frame = frame_of(rows)
        text = summary.what_changed(frame, tables.all_tables(frame))
        assert text.startswith("Read with care: press reports supply")
        assert "decision pages alone" in text and "Across all sources" in text
        assert text.index("decision pages alone") < text.index("Across all sources")

    def test_no_press_caveat_when_decision_pages_dominate(self) -> None:
        frame = frame_of(synthetic_cases(240, seed=1))  # one case in ten from the press
        text = summary.what_changed(frame, tables.all_tables(frame))
        assert "press reports supply" not in text

    def test_change_windows_widen_thin_ends(self) -> None:
        years = pd.Series([2010, 2011, 2012, 2013, 2013, 2013, 2013, 2020, 2021, 2022, 2022, 2022])
        assert summary.change_windows(years, min_n=5) == (
            [2010, 2011, 2012, 2013],
            [2020, 2021, 2022],
        )


# --- files and HTML -------------------------------------------------------------------------


class TestFiles:
    def test_every_plot_is_written(self, report: Path) -> None:
        for name in tables.TABLE_NAMES:
            png = report / f"{name}.png"
            assert png.is_file() and png.stat().st_size > 1000, name
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert not list(report.glob(".*.tmp")), "temporary files left behind"

    def test_html_is_self_contained(self, report: Path) -> None:
        page = (report / "report.html").read_text(encoding="utf-8")
        for bad in ("http://", "https://", 'src="//', "<link", "<script", "@import", "url("):
            assert bad not in page, bad
        assert page.count('src="data:image/png;base64,') == len(tables.TABLE_NAMES)
        assert 'class="thin"' in page and ">thin</span>" in page
        assert "3 cases had no visible sum" in page
        assert "2022 money" in page

    def test_html_escapes_text(self, tmp_path: Path) -> None:
        line = json.loads(CASES.read_text(encoding="utf-8").splitlines()[0])
        line["category"] = "Odd <script & 'group' > sub"
        cases = tmp_path / "odd.jsonl"
        cases.write_text(
            CASES.read_text(encoding="utf-8") + json.dumps(line | {"case_ref": None}) + "\n"
        )
        args = ["trends", "--out", str(tmp_path / "r"), "--cases", str(cases), "--cpi", str(CPI)]
        assert main(args) == 0
        page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
        assert "<script" not in page and "Odd &lt;script &amp; &#x27;group&#x27;" in page


# --- the command ----------------------------------------------------------------------------


class TestCommand:
    def test_json_headline(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: pd.DataFrame
    ) -> None:
        args = ["trends", "--out", str(tmp_path), "--cases", str(CASES), "--cpi", str(CPI)]
        assert main([*args, "--json"]) == 0
        figures = json.loads(capsys.readouterr().out)
        positive = raw[raw["sym"] > 0]
        assert figures["today_year"] == 2022
        assert figures["n_cases"] == len(raw) == 21
        assert figures["n_with_sum"] == len(positive)
        assert figures["n_no_visible_sum"] == 3
        assert figures["median_today"] == pytest.approx(positive["sym_today"].median(), abs=0.01)
        assert figures["payment_share"]["n"] == 17
        assert figures["change"]["compared"] is False
        assert figures["change"]["real_change_pct"] is None
        care = figures["rates_today_per_month"]["loss_of_service"]
        assert care["low"] <= care["median"] <= care["high"]
        assert figures["what_changed"]
        assert Path(figures["report"]).is_file()

    @pytest.mark.parametrize(
        ("flags", "message"),
        [
            (["--category", "Housing"], "no cases match --category 'Housing'"),
            (["--from", "2020", "--to", "2019"], "--from 2020 is after --to 2019"),
            (["--from", "1990"], "--from 1990: years must be within"),
            (["--from", "2023", "--category", "Education"], "no cases match"),
        ],
    )
    def test_empty_filter_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
    ) -> None:
        out = tmp_path / "report"
        code = main(["trends", "--out", str(out), "--cases", str(CASES), "--cpi", str(CPI), *flags])
        err = capsys.readouterr().err
        assert code == 2
        assert err.startswith("error: ") and message in err
        assert not out.exists()

    def test_out_is_a_file_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = tmp_path / "report.html"
        out.write_text("keep me")
        code = main(["trends", "--out", str(out), "--cases", str(CASES), "--cpi", str(CPI)])
        err = capsys.readouterr().err
        assert code == 2 and "not a folder" in err and len(err.strip().splitlines()) == 1
        assert out.read_text() == "keep me"

    def test_filter_keeps_only_matching(self, tmp_path: Path) -> None:
        args = [
            "--cases",
            str(CASES),
            "--cpi",
            str(CPI),
            "--from",
            "2021",
            "--category",
            "education",
        ]
        assert main(["trends", "--out", str(tmp_path), *args]) == 0
        assert csv(tmp_path, "by_category")["category_group"].tolist() == ["Education"]
        assert sorted(csv(tmp_path, "by_year")["year"].tolist()) == [2021, 2022]

    def test_filter_without_sums_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        args = ["--cases", str(CASES), "--cpi", str(CPI), "--category", "unknown"]
        assert main(["trends", "--out", str(tmp_path / "r"), *args]) == 2
        assert "none has a visible symbolic sum" in capsys.readouterr().err

    def test_bad_lines_are_skipped_with_a_warning(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        cases = tmp_path / "cases.jsonl"
        cases.write_text(CASES.read_text(encoding="utf-8") + '{"year": "soon"}\nnot json\n')
        args = ["trends", "--out", str(tmp_path / "r"), "--cases", str(cases), "--cpi", str(CPI)]
        assert main(args) == 0
        err = capsys.readouterr().err
        assert "cases.jsonl:22: year" in err and "cases.jsonl:23: json" in err
        assert "2 lines of the case files" in (tmp_path / "r" / "report.html").read_text()

    def test_missing_case_file_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code = main(["trends", "--out", str(tmp_path), "--cases", str(tmp_path / "none.jsonl")])
        assert code == 2 and "no such file" in capsys.readouterr().err

    def test_command_module_imports_lightly(self) -> None:
        probe = (
            "import sys, remedy_model.cli; "
            "print(any(m in sys.modules for m in ('pandas', 'matplotlib')))"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "False"


# --- the notebook ---------------------------------------------------------------------------


@pytest.mark.slow
class TestNotebook:
    def test_notebook_runs_and_shows_no_nan(self) -> None:
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        client = nbclient.NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        )
        client.execute()
        outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
        assert not [o for o in outputs if o.get("output_type") == "error"]
        shown = " ".join(
            str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs
        )
        assert "NaN" not in shown and " nan" not in shown
        assert notebook.cells[-1].cell_type == "markdown"
        assert "conclusion" in notebook.cells[-1].source.lower()
