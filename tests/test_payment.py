"""The two-part payment model: scikit-learn conventions, learned direction, sane ranges."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from remedy_model.features import case_features
from remedy_model.modeling.bundle import training_set
from remedy_model.modeling.payment import TwoPartPaymentModel, mixture_quantile
from remedy_model.records import Case


@parametrize_with_checks([TwoPartPaymentModel(encode=False)])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def fitted(synthetic, cpi):
    _, X, y, groups = training_set(synthetic, cpi)
    return TwoPartPaymentModel().fit(X, y, groups=groups), X, y


def test_fit_returns_self_and_clone_keeps_parameters(synthetic, cpi):
    _, X, y, groups = training_set(synthetic, cpi)
    model = TwoPartPaymentModel(payment_C=0.5, cv=4)
    assert model.fit(X, y, groups=groups) is model
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "amount_model_")
    assert model.n_paid_ == int((y > 0).sum())


def test_ranges_are_ordered_and_probabilities_valid(fitted):
    model, X, _ = fitted
    out = model.predict_range(X)
    assert ((out.p_payment >= 0) & (out.p_payment <= 1)).all()
    assert (out.amount_low <= out.amount_median).all()
    assert (out.amount_median <= out.amount_high).all()
    assert (out["low"] <= out["median"]).all() and (out["median"] <= out["high"]).all()
    assert (out["low"] >= 0).all()


def test_model_learns_the_direction_of_duration_and_carer_impact(fitted):
    model, _, _ = fitted
    base = {
        "fault_types": ["care_not_provided"],
        "decision": "upheld",
        "year": 2022,
        "category": "Adult care services > Charging",
        "org_type": "county",
    }
    queries = case_features(
        [
            Case(**base, duration_months=2, carer_impact=False),
            Case(**base, duration_months=30, carer_impact=False),
            Case(**base, duration_months=30, carer_impact=True),
        ]
    )
    parts = model.predict_parts(queries)
    assert parts.amount_median[0] < parts.amount_median[1] < parts.amount_median[2]
    assert parts.p_payment[0] < parts.p_payment[2]


def test_unseen_queries_with_unknown_facts_are_answered(fitted):
    model, _, _ = fitted
    out = model.predict_range(case_features([Case()]))
    assert np.isfinite(out.to_numpy()).all()


@pytest.mark.parametrize(
    ("y", "message"),
    [([-1.0] * 30, "non-negative"), ([0.0] * 30, "at least 2 cases with a payment")],
)
def test_bad_targets_are_refused(synthetic, y, message):
    X = case_features(synthetic[:30])
    with pytest.raises(ValueError, match=message):
        TwoPartPaymentModel().fit(X, np.array(y))


def test_encode_mode_needs_a_feature_frame():
    with pytest.raises(TypeError, match="feature frame"):
        TwoPartPaymentModel().fit(np.zeros((20, 3)), np.ones(20))


def test_mixture_quantile_starts_at_zero_when_payment_is_uncertain():
    p = np.array([0.3, 1.0])
    med, lo, hi = np.array([1000.0, 1000.0]), np.array([250.0, 250.0]), np.array([4000.0, 4000.0])
    low = mixture_quantile(0.1, p, med, lo, hi, 0.8)
    high = mixture_quantile(0.9, p, med, lo, hi, 0.8)
    assert low[0] == 0 and low[1] > 0
    assert low[1] == pytest.approx(250.0) and high[1] == pytest.approx(4000.0)
    assert high[0] < high[1]
