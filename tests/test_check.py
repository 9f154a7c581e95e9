"""The verdict on a proposed sum: judged against the question it answers, said in words."""

import numpy as np
import pytest

from remedy_model.check import Offer, check_amount, check_no_payment, percentile_of
from remedy_model.style import TONE_TERMINAL, TONES

INTERVAL = {"low": 200.0, "high": 1000.0}
PAID = np.array([300.0, 400.0, 600.0, 900.0])


def amount(proposed: float, paid=PAID, interval=INTERVAL):
    return check_amount(Offer(proposed, proposed, 2025, 2025), interval, interval, paid, 0.8)


class TestAmountVerdict:
    @pytest.mark.parametrize(
        ("proposed", "verdict", "tone"),
        [(100, "below", "outside"), (500, "within", "ok"), (1000, "within", "caution"),
         (5000, "above", "outside")],
    )  # fmt: skip
    def test_verdict_and_tone_follow_the_interval_and_the_precedents(self, proposed, verdict, tone):
        check = amount(proposed)
        assert (check.verdict, check.tone, check.question) == (verdict, tone, "amount")
        assert f"is {verdict} the 80% interval" in check.reason
        assert "\n" not in check.reason

    def test_the_outlier_flag_is_said_in_words(self):
        assert amount(500).reason.endswith("Not an outlier.")
        assert amount(5000).reason.endswith("An outlier: above the interval.")
        assert amount(1000).reason.endswith(
            "An outlier among the precedents, though within the interval."
        )

    def test_percentile_counts_ties_half(self):
        assert percentile_of(400, PAID) == pytest.approx(37.5)
        inside_but_high = amount(990, paid=np.array([100, 200, 300, 400, 500.0]))
        assert inside_but_high.verdict == "within" and inside_but_high.outlier
        assert "but higher than 100% of the 5 most similar upheld cases that were paid" in (
            inside_but_high.reason
        )

    def test_no_precedents_means_no_percentile(self):
        check = amount(300, paid=np.array([]))
        assert check.percentile is None and check.n_compared == 0
        assert "most similar" not in check.reason

    def test_the_sum_is_said_in_its_years_money_and_todays(self):
        check = check_amount(Offer(150, 159.08, 2023, 2025), {"low": 55, "high": 637},
                             {"low": 58, "high": 676}, PAID, 0.8)  # fmt: skip
        assert check.reason.startswith("£150 (2023 money; £159 today) is within")
        assert "(£55 to £637 in 2023 money)" in check.reason


class TestNoPaymentVerdict:
    def test_zero_is_below_when_a_payment_is_very_likely(self):
        check = check_no_payment(0.95, 14, 15, 0.8)
        assert (check.verdict, check.outlier, check.tone, check.question) == (
            "below", True, "outside", "payment"
        )  # fmt: skip
        assert "14 of the 15 most similar upheld cases were paid" in check.reason
        assert "An outlier" in check.reason

    def test_zero_is_within_when_no_payment_is_plausible(self):
        check = check_no_payment(0.6, 8, 15, 0.8)
        assert (check.verdict, check.outlier, check.tone) == ("within", False, "ok")
        assert check.reason.endswith("Not an outlier.")

    @pytest.mark.parametrize(("p", "verdict"), [(0.899, "within"), (0.901, "below")])
    def test_the_threshold_is_the_lower_tail_of_the_level(self, p, verdict):
        assert check_no_payment(p, 0, 0, 0.8).verdict == verdict

    def test_zero_is_flagged_when_nearly_every_similar_case_was_paid(self):
        check = check_no_payment(0.85, 15, 15, 0.8)
        assert (check.verdict, check.outlier, check.tone) == ("within", True, "caution")
        assert "but 15 of the 15 most similar upheld cases were paid" in check.reason
        assert check_no_payment(0.85, 12, 15, 0.8).tone == "ok"


class TestOneColourPerTone:
    def test_every_tone_has_one_terminal_colour_and_they_differ(self):
        assert set(TONE_TERMINAL) == set(TONES)
        assert len(set(TONE_TERMINAL.values())) == len(TONES)
