"""Tests of the per-month rate definition (remedy_model.rates) on invented cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remedy_model.dataset import cases_frame
from remedy_model.inflation import CpiIndex
from remedy_model.rates import bootstrap_median, monthly_rates, rate_summary
from remedy_model.records import RATE_PURPOSES, parse_case

CPI = CpiIndex({2020: 100.0, 2025: 125.0})


def case(purpose: str | None, amount: float, months: float | None, **fields) -> dict:
    """An invented upheld case with one payment (symbolic unless said otherwise)."""
    payments = []
    if purpose:
        payments = [
            {"amount_gbp": amount, "purpose": purpose, "symbolic": fields.pop("symbolic", True)}
        ]
    return {
        "decision": "upheld",
        "year": fields.pop("year", 2020),
        "remedy_visible": fields.pop("remedy_visible", True),
        "symbolic_total_gbp": amount,
        "payments": payments,
        "duration_months": months,
        **fields,
    }  # fmt: skip


ROWS = [
    case("loss_of_service", 1200, 12),  # 100 a month in 2020 money -> 125 today
    case("loss_of_service", 600, 3, year=2025),  # 200 a month, already today's money
    case("loss_of_service", 900, 0),  # zero duration: no rate
    case("loss_of_service", 900, None),  # unknown duration: no rate
    case("loss_of_service", 900, 6, remedy_visible=False),  # remedy not visible: no rate
    case("loss_of_service", 900, 6, symbolic=False),  # a repaid cost: not symbolic
    case("lost_respite", 400, 4),  # 100 a month -> 125 today
    case("distress", 500, 5),  # a purpose without a rate
    case(None, 0, 5),  # apology only
]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return cases_frame([parse_case(row) for row in ROWS], CPI)


class TestMonthlyRates:
    def test_one_column_per_purpose_same_index(self, frame: pd.DataFrame) -> None:
        rates = monthly_rates(frame)
        assert list(rates.columns) == list(RATE_PURPOSES)
        assert rates.index.equals(frame.index)

    def test_rates_and_their_absences(self, frame: pd.DataFrame) -> None:
        care = monthly_rates(frame)["loss_of_service"].tolist()
        assert care[:2] == pytest.approx([125.0, 200.0])
        assert np.isnan(care[2:]).all()

    def test_each_purpose_is_its_own(self, frame: pd.DataFrame) -> None:
        rates = monthly_rates(frame)
        assert rates["lost_respite"].dropna().tolist() == pytest.approx([125.0])
        assert rates["lost_education"].isna().all()
        assert rates.iloc[7:].isna().all().all()  # distress and apology only

    def test_works_on_a_subset_of_rows(self, frame: pd.DataFrame) -> None:
        part = frame.iloc[[1, 6]]
        rates = monthly_rates(part)
        assert list(rates.index) == [1, 6]
        assert rates.loc[1, "loss_of_service"] == pytest.approx(200.0)


class TestRateSummary:
    def test_counts_and_median(self, frame: pd.DataFrame) -> None:
        summary = rate_summary(frame).set_index("purpose")
        care = summary.loc["loss_of_service"]
        # Four visible symbolic payments for lost care; two with a usable duration.
        assert (care["n_paid"], care["n"]) == (4, 2)
        assert care["median"] == pytest.approx(162.5)
        assert care["median_low"] <= care["median"] <= care["median_high"]
        respite = summary.loc["lost_respite"]
        assert respite["n"] == 1 and np.isnan(respite["median_low"])  # no interval from one case
        assert summary.loc["lost_education", "n"] == 0

    def test_interval_is_seeded(self, frame: pd.DataFrame) -> None:
        pd.testing.assert_frame_equal(rate_summary(frame), rate_summary(frame))


class TestBootstrapMedian:
    values = np.random.default_rng(3).lognormal(5, 1, 40)

    def test_same_seed_same_interval(self) -> None:
        assert bootstrap_median(self.values, seed=7) == bootstrap_median(self.values, seed=7)
        assert bootstrap_median(self.values, seed=7) != bootstrap_median(self.values, seed=8)

    def test_contains_the_median_and_narrows_with_level(self) -> None:
        low, high = bootstrap_median(self.values)
        assert low < np.median(self.values) < high
        narrow = bootstrap_median(self.values, level=0.5)
        assert low <= narrow[0] and narrow[1] <= high

    def test_nan_values_are_ignored(self) -> None:
        padded = np.r_[self.values, [np.nan] * 5]
        assert bootstrap_median(padded) == bootstrap_median(self.values)

    def test_large_input_stays_bounded(self) -> None:
        big = np.random.default_rng(0).normal(100, 10, 200_000)
        low, high = bootstrap_median(big, n_resamples=50)
        assert 99 < low < high < 101
