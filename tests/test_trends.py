"""Tests of the trends report (issue 5) on a small invented case table.

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
from remedy_model.trends import tables

FIXTURES = Path(__file__).parent / "fixtures" / "trends"
CASES = FIXTURES / "cases.jsonl"
CPI = FIXTURES / "cpi.csv"
NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "3.0-remedy-trends.ipynb"
STATS = ["median_gbp", "q1_gbp", "q3_gbp", "median_today", "q1_today", "q3_today"]


# --- the direct computation -----------------------------------------------------------------


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The fixture cases read straight from JSON, with today's money from the fixture CPI."""
    df = pd.read_json(CASES, lines=True, dtype=False)
    cpi = pd.read_csv(CPI).set_index("year").iloc[:, 0]
    clamped = df["year"].clip(cpi.index.min(), cpi.index.max())
    df["factor"] = (cpi.iloc[-1] / clamped.map(cpi)).fillna(1.0)
    df["group_cat"] = df["category"].fillna("unknown").str.split(">").str[0].str.strip()
    df["org"] = df["org_type"].fillna("unknown")
    df["sym"] = df["symbolic_total_gbp"].where(df["remedy_visible"])
    df["sym_today"] = df["sym"] * df["factor"]
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


# --- each table -----------------------------------------------------------------------------


def test_by_year_matches_pandas(report: Path, raw: pd.DataFrame) -> None:
    dated = raw.dropna(subset=["year"]).astype({"year": int})
    assert_matches(csv(report, "by_year"), direct_summary(dated, "year"), "year")


def test_by_year_hand_worked_cell(report: Path) -> None:
    # 2021: sums 250, 900, 1000, 1500, 1800, 3400 -> median 1250; CPI 110 -> 120.
    row = csv(report, "by_year").set_index("year").loc[2021]
    assert row["n"] == 6 and not row["thin"]
    assert row["median_gbp"] == pytest.approx(1250)
    assert row["median_today"] == pytest.approx(1250 * 120 / 110, abs=0.01)
    # 2017 is before the CPI table: the 2018 index is used.
    assert csv(report, "by_year").set_index("year").loc[2017, "median_today"] == 6000


def test_by_fault_matches_pandas(report: Path, raw: pd.DataFrame) -> None:
    exploded = raw.explode("fault_types").dropna(subset=["fault_types"])
    expected = direct_summary(exploded, "fault_types").rename_axis("fault_type")
    written = csv(report, "by_fault")
    assert_matches(written, expected, "fault_type")
    medians = written["median_today"].dropna()
    assert medians.is_monotonic_decreasing  # largest payments first


def test_by_category_matches_pandas(report: Path, raw: pd.DataFrame) -> None:
    expected = direct_summary(raw, "group_cat").rename_axis("category_group")
    assert_matches(csv(report, "by_category"), expected, "category_group")


def test_by_org_type_matches_pandas(report: Path, raw: pd.DataFrame) -> None:
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
    report: Path, raw: pd.DataFrame, name: str, column: str, labels: dict
) -> None:
    df = raw.assign(group=raw[column].map({True: labels[True], False: labels[False]}))
    df["group"] = df["group"].fillna(labels[None])
    expected = direct_summary(df, "group")
    visible = df[df["sym"].notna()].groupby("group").size()
    expected["n_visible"] = visible.reindex(expected.index).fillna(0).astype(int)
    expected["share_paid"] = expected["n"] / expected["n_visible"]
    assert_matches(csv(report, name), expected, "group")


def test_carer_payments(report: Path, raw: pd.DataFrame) -> None:
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


def test_rates_match_pandas(report: Path, raw: pd.DataFrame) -> None:
    rows = []
    for _, case in raw[raw["remedy_visible"]].iterrows():
        for purpose in tables.RATE_PURPOSES:
            amount = sum(p["amount_gbp"] for p in case["payments"] if p["purpose"] == purpose)
            months = case["duration_months"]
            if amount > 0:
                usable = pd.notna(months) and months > 0
                rate = amount / months if usable else np.nan
                rows.append((purpose, rate, rate * case["factor"]))
    df = pd.DataFrame(rows, columns=["purpose", "rate", "today"])
    written = csv(report, "rates").set_index("purpose")
    for purpose, part in df.groupby("purpose"):
        got = written.loc[purpose]
        assert got["n_cases"] == len(part)
        assert got["n"] == part["rate"].notna().sum()
        assert got["thin"] == (got["n"] < 5)
        for col, name in (("rate", "gbp"), ("today", "today")):
            assert got[f"median_{name}_per_month"] == pytest.approx(part[col].median(), abs=0.01)
            assert got[f"q1_{name}_per_month"] == pytest.approx(part[col].quantile(0.25), abs=0.01)
            assert got[f"q3_{name}_per_month"] == pytest.approx(part[col].quantile(0.75), abs=0.01)
    # Lost care: 1200/12 (2019) and 2000/4 (no year); 900 over 0 months is left out.
    care = written.loc["loss_of_service"]
    assert (care["n_cases"], care["n"]) == (3, 2)
    assert care["median_gbp_per_month"] == pytest.approx((100 + 500) / 2)


def test_payment_share_matches_pandas(report: Path, raw: pd.DataFrame) -> None:
    base = raw[raw["decision"].isin(["upheld", "report_upheld"]) & raw["sym"].notna()]
    base = base.dropna(subset=["year"]).astype({"year": int})
    expected = pd.DataFrame(
        {"n": base.groupby("year").size(), "n_paid": (base["sym"] > 0).groupby(base["year"]).sum()}
    )
    expected["share"] = expected["n_paid"] / expected["n"]
    expected["thin"] = expected["n"] < 5
    assert_matches(csv(report, "payment_share"), expected, "year")
    # 2019: cases 1 and 2 paid, 3 stated no money, 4 hidden -> 2 of 3.
    assert csv(report, "payment_share").set_index("year").loc[2019, "share"] == pytest.approx(
        2 / 3, abs=1e-4
    )


def test_every_csv_has_thin_column(report: Path) -> None:
    for name in tables.TABLE_NAMES:
        table = csv(report, name)
        assert table["thin"].tolist() == (table["n"] < tables.THIN_BELOW).tolist(), name


# --- files and HTML -------------------------------------------------------------------------


def test_every_plot_is_written(report: Path) -> None:
    for name in tables.TABLE_NAMES:
        png = report / f"{name}.png"
        assert png.is_file() and png.stat().st_size > 1000, name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_is_self_contained(report: Path) -> None:
    page = (report / "report.html").read_text(encoding="utf-8")
    for bad in ("http://", "https://", 'src="//', "<link", "<script", "@import", "url("):
        assert bad not in page, bad
    assert page.count('src="data:image/png;base64,') == len(tables.TABLE_NAMES)
    assert 'class="thin"' in page and ">thin</span>" in page
    assert "3 cases had no visible sum" in page
    assert "2022 money" in page


def test_html_escapes_text(tmp_path: Path) -> None:
    line = json.loads(CASES.read_text(encoding="utf-8").splitlines()[0])
    line["category"] = "Odd <script & 'group' > sub"
    cases = tmp_path / "odd.jsonl"
    cases.write_text(
        CASES.read_text(encoding="utf-8") + json.dumps(line | {"case_ref": None}) + "\n"
    )
    assert (
        main(["trends", "--out", str(tmp_path / "r"), "--cases", str(cases), "--cpi", str(CPI)])
        == 0
    )
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page and "Odd &lt;script &amp; &#x27;group&#x27;" in page


def test_what_changed_counts_cases(report: Path) -> None:
    page = (report / "report.html").read_text(encoding="utf-8")
    # First years with sums 2017, 2019, 2020 (5 cases), last 2021-2023 (10 cases).
    assert "2017, 2019 and 2020 (5 cases)" in page
    assert "2021-2023 (9 cases)" in page


# --- the command ----------------------------------------------------------------------------


def test_json_headline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: pd.DataFrame
) -> None:
    code = main(
        ["trends", "--out", str(tmp_path), "--cases", str(CASES), "--cpi", str(CPI), "--json"]
    )
    assert code == 0
    figures = json.loads(capsys.readouterr().out)
    positive = raw[raw["sym"] > 0]
    assert figures["today_year"] == 2022
    assert figures["n_cases"] == len(raw) == 21
    assert figures["n_with_sum"] == len(positive)
    assert figures["n_no_visible_sum"] == 3
    assert figures["median_today"] == pytest.approx(positive["sym_today"].median(), abs=0.01)
    assert figures["payment_share"]["n"] == 17
    assert figures["change"]["first"]["n"] == 5 and figures["change"]["last"]["n"] == 9
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
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    out = tmp_path / "report"
    code = main(["trends", "--out", str(out), "--cases", str(CASES), "--cpi", str(CPI), *flags])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert not out.exists()


def test_filter_keeps_only_matching(tmp_path: Path) -> None:
    args = ["--cases", str(CASES), "--cpi", str(CPI), "--from", "2021", "--category", "education"]
    assert main(["trends", "--out", str(tmp_path), *args]) == 0
    assert csv(tmp_path, "by_category")["category_group"].tolist() == ["Education"]
    assert csv(tmp_path, "by_year")["year"].tolist() == [2021, 2022]


def test_filter_without_sums_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["trends", "--out", str(tmp_path / "r"), "--cases", str(CASES), "--cpi", str(CPI),
                 "--category", "unknown"])  # fmt: skip
    assert code == 2
    assert "none has a visible symbolic sum" in capsys.readouterr().err


def test_bad_lines_are_skipped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(CASES.read_text(encoding="utf-8") + '{"year": "soon"}\nnot json\n')
    assert (
        main(["trends", "--out", str(tmp_path / "r"), "--cases", str(cases), "--cpi", str(CPI)])
        == 0
    )
    err = capsys.readouterr().err
    assert "cases.jsonl:22: year" in err and "cases.jsonl:23: json" in err
    assert "2 lines of the case files" in (tmp_path / "r" / "report.html").read_text()


def test_missing_case_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["trends", "--out", str(tmp_path), "--cases", str(tmp_path / "none.jsonl")])
    assert code == 2 and "no such file" in capsys.readouterr().err


def test_command_module_imports_lightly() -> None:
    probe = (
        "import sys, remedy_model.trends.command; "
        "print(any(m in sys.modules for m in ('pandas', 'matplotlib')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_change_windows_widen_thin_ends() -> None:
    years = pd.Series([2010, 2011, 2012, 2013, 2013, 2013, 2013, 2020, 2021, 2022, 2022, 2022])
    assert tables.change_windows(years) == ([2010, 2011, 2012, 2013], [2020, 2021, 2022])


# --- the notebook ---------------------------------------------------------------------------


@pytest.mark.slow
def test_notebook_runs() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
