"""The two-part payment model: scikit-learn conventions, its plain-array export, direction."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.validation import check_is_fitted, validate_data

from remedy_model.features import (
    BINARY_COLUMNS,
    FEATURE_COLUMNS,
    NUMERIC_COLUMNS,
    case_features,
    feature_values,
)
from remedy_model.modeling.arrays import mixture_quantile
from remedy_model.modeling.bundle import training_set
from remedy_model.modeling.payment import TwoPartPaymentModel
from remedy_model.records import Case


class FrameAdapter(RegressorMixin, BaseEstimator):
    """Drives the production (feature frame) path from a numeric matrix, for the checks.

    The matrix's columns fill the numeric and yes/no feature columns in turn; the categorical
    facts take fixed levels. Everything else is :class:`TwoPartPaymentModel` as used in
    production.
    """

    def __init__(self, cv=3):
        self.cv = cv

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.positive_only = True
        return tags

    def _frame(self, X):
        slots = [*NUMERIC_COLUMNS, *BINARY_COLUMNS]
        frame = pd.DataFrame({c: np.zeros(len(X)) for c in FEATURE_COLUMNS})
        for j in range(X.shape[1]):
            frame[slots[j % len(slots)]] = X[:, j]
        for column in set(FEATURE_COLUMNS) - set(slots):
            frame[column] = "unknown"
        return frame[FEATURE_COLUMNS]

    def fit(self, X, y):
        X, y = validate_data(self, X, y, ensure_all_finite="allow-nan", y_numeric=True)
        self.model_ = TwoPartPaymentModel(cv=self.cv).fit(self._frame(X), y)
        return self

    def predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        return self.model_.predict(self._frame(X))


class TestScikitLearnChecks:
    """scikit-learn's estimator checks pass on the production path."""

    @parametrize_with_checks([FrameAdapter()])
    def test_sklearn_estimator_checks_on_the_production_path(self, estimator, check):
        check(estimator)


@pytest.fixture(scope="module")
def data(synthetic, cpi):
    _, X, y, groups = training_set(synthetic, cpi)
    return X, y, groups


@pytest.fixture(scope="module")
def fitted(data):
    X, y, groups = data
    return TwoPartPaymentModel().fit(X, y, groups=groups)


class TestConventions:
    """The model follows scikit-learn's conventions and refuses bad input."""

    def test_fit_returns_self_and_clone_keeps_parameters(self, data):
        X, y, groups = data
        model = TwoPartPaymentModel(payment_C=0.5, cv=4)
        assert model.fit(X, y, groups=groups) is model
        copy = clone(model)
        assert copy.get_params() == model.get_params()
        assert not hasattr(copy, "amount_model_")
        assert model.n_paid_ == int((y > 0).sum())

    def test_predict_refuses_a_frame_with_other_columns(self, fitted, data):
        X, _, _ = data
        with pytest.raises(ValueError, match="extra"):
            fitted.predict(X.assign(n_recipients=1.0))
        with pytest.raises(ValueError, match="missing"):
            fitted.predict(X.drop(columns=["year"]))
        with pytest.raises(TypeError, match="feature frame"):
            TwoPartPaymentModel().fit(np.zeros((20, 3)), np.ones(20))

    @pytest.mark.parametrize(
        ("y", "message"),
        [([-1.0] * 30, "non-negative"), ([0.0] * 30, "at least 2 cases with a payment")],
    )
    def test_bad_targets_are_refused(self, synthetic, y, message):
        with pytest.raises(ValueError, match=message):
            TwoPartPaymentModel().fit(case_features(synthetic[:30]), np.array(y))

    def test_groups_reach_the_calibration_inside_model_selection(self, data, monkeypatch):
        """With metadata routing, cross_validate passes each fold's groups to ``fit``."""
        X, y, groups = data
        seen = []
        real_fit = TwoPartPaymentModel.fit

        def spy(self, X, y, groups=None):
            seen.append(None if groups is None else len(groups))
            return real_fit(self, X, y, groups=groups)

        monkeypatch.setattr(TwoPartPaymentModel, "fit", spy)
        with sklearn.config_context(enable_metadata_routing=True):
            model = TwoPartPaymentModel(cv=3).set_fit_request(groups=True)
            cross_validate(model, X, y, cv=GroupKFold(3), params={"groups": groups})
        assert len(seen) == 3 and all(n is not None for n in seen)
        assert sum(seen) == 2 * len(y)


class TestAnswers:
    """Answers are valid ranges that move the right way with the facts."""

    def test_ranges_are_ordered_and_probabilities_valid(self, fitted, data):
        out = fitted.predict_range(data[0])
        assert ((out.p_payment >= 0) & (out.p_payment <= 1)).all()
        assert (out.amount_low <= out.amount_median).all()
        assert (out.amount_median <= out.amount_high).all()
        assert (out["low"] <= out["median"]).all() and (out["median"] <= out["high"]).all()
        assert (out["low"] >= 0).all()

    def test_model_learns_the_direction_of_duration_and_carer_impact(self, fitted):
        base = {"fault_types": ["care_not_provided"], "decision": "upheld", "year": 2022,
                "category": "Adult care services > Charging", "org_type": "county"}  # fmt: skip
        queries = case_features(
            [
                Case(**base, duration_months=2, carer_impact=False),
                Case(**base, duration_months=30, carer_impact=False),
                Case(**base, duration_months=30, carer_impact=True),
            ]
        )
        parts = fitted.predict_parts(queries)
        assert parts.amount_median[0] < parts.amount_median[1] < parts.amount_median[2]
        assert parts.p_payment[0] < parts.p_payment[2]

    def test_unseen_queries_with_unknown_facts_are_answered(self, fitted):
        out = fitted.predict_range(case_features([Case()]))
        assert np.isfinite(out.to_numpy()).all()

    def test_excluded_columns_are_not_encoded(self, data):
        X, y, groups = data
        model = TwoPartPaymentModel(exclude=("org_type",)).fit(X, y, groups=groups)
        assert not any(n.startswith("org_type") for n in model.encoder_.get_feature_names_out())
        with pytest.raises(ValueError, match="not features"):
            TwoPartPaymentModel(exclude=("nope",)).fit(X, y)


class TestExport:
    """The plain-array export answers as the fitted model."""

    def test_the_exported_arrays_answer_as_the_fitted_model(self, fitted, synthetic):
        queries = [*synthetic[:40], Case(), Case(category="Health > Other", org_type="nhs_joint")]
        exported = fitted.export()
        Z = exported.encode(feature_values(queries))
        np.testing.assert_allclose(Z, fitted.encoder_.transform(case_features(queries)))
        expected = fitted.predict_parts(case_features(queries))
        got = exported.parts(Z)
        for column in expected.columns:
            np.testing.assert_allclose(got[column], expected[column].to_numpy(), rtol=1e-9)

    def test_the_exported_references_are_typical_decisions(self, fitted):
        references = fitted.export().references
        assert set(references) == {"payment", "amount"}
        assert all(np.isfinite(v).all() for v in references.values())


class TestMixtureQuantile:
    """The range starts at zero when a payment is uncertain."""

    def test_mixture_quantile_starts_at_zero_when_payment_is_uncertain(self):
        p = np.array([0.3, 1.0])
        med, lo, hi = (
            np.array([1000.0, 1000.0]),
            np.array([250.0, 250.0]),
            np.array([4000.0, 4000.0]),
        )
        low = mixture_quantile(0.1, p, med, lo, hi, 0.8)
        high = mixture_quantile(0.9, p, med, lo, hi, 0.8)
        assert low[0] == 0 and low[1] > 0
        assert low[1] == pytest.approx(250.0) and high[1] == pytest.approx(4000.0)
        assert high[0] < high[1]
