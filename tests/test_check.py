"""The verdict on a proposed sum."""

import numpy as np
import pytest

from remedy_model.check import check_proposal, percentile_of


@pytest.mark.parametrize(
    ("proposed", "verdict"), [(100, "below"), (500, "within"), (1000, "within"), (5000, "above")]
)
def test_verdict_follows_the_range(proposed, verdict):
    check = check_proposal(proposed, proposed, 200, 1000, np.array([300, 400, 600, 900]), 0.8)
    assert check.verdict == verdict
    assert check.reason.endswith(".") and "\n" not in check.reason
    assert verdict in check.reason


def test_percentile_counts_ties_half_and_flags_extremes():
    assert percentile_of(400, np.array([300, 400, 600, 900])) == pytest.approx(37.5)
    inside_but_high = check_proposal(990, 990, 0, 1000, np.array([0, 100, 200, 300, 400]), 0.8)
    assert inside_but_high.verdict == "within" and inside_but_high.outlier
    assert "range (£0 to £1,000) but higher than 100%" in inside_but_high.reason
    typical = check_proposal(250, 250, 0, 1000, np.array([0, 100, 200, 300, 400]), 0.8)
    assert not typical.outlier and typical.percentile == pytest.approx(60.0)


def test_no_precedents_means_no_percentile():
    check = check_proposal(300, 300, 100, 1000, np.array([]), 0.8)
    assert check.percentile is None and check.n_compared == 0
    assert "precedents" not in check.reason
