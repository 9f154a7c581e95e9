"""Features: one value per case and column, facts only, unknowns kept."""

import numpy as np
import pytest

from remedy_model.features import FEATURE_COLUMNS, case_features, feature_values
from remedy_model.modeling.encoding import make_preprocessor
from remedy_model.records import Case, Payment


class TestFeatureValues:
    def test_one_row_per_case_and_unknowns_are_kept(self):
        cases = [
            Case(fault_types=["care_plan", "charging"], duration_months=11, carer_impact=True,
                 year=2022),
            Case(),
        ]  # fmt: skip
        frame = case_features(cases)
        assert list(frame.columns) == FEATURE_COLUMNS and len(frame) == 2
        assert frame.loc[0, "fault_care_plan"] == 1 and frame.loc[0, "fault_charging"] == 1
        assert frame.loc[0, "n_faults"] == 2
        assert frame.loc[0, "carer_impact"] == "yes" and frame.loc[1, "carer_impact"] == "unknown"
        assert np.isnan(frame.loc[1, "log_duration_months"]) and np.isnan(frame.loc[1, "year"])
        assert frame.loc[1, "category_group"] == "unknown"

    def test_the_frame_is_the_arrays(self, synthetic):
        values = feature_values(synthetic[:30])
        frame = case_features(synthetic[:30])
        for column in FEATURE_COLUMNS:
            np.testing.assert_array_equal(frame[column].to_numpy(), values[column])

    def test_source_group_treats_queries_as_decisions(self):
        values = feature_values(
            [Case(), Case(source_kind="news_article"), Case(source_kind="lgo_report_chapter")]
        )
        assert values["source_group"].tolist() == ["decision", "press", "report"]


class TestNoRemedyInTheFeatures:
    """A value that describes the remedy (who was paid, how much) never reaches the features."""

    @pytest.mark.parametrize(
        "remedy",
        [
            {"payments": [Payment(amount_gbp=500, symbolic=True, recipient="carer")] * 3},
            {"symbolic_total_gbp": 99_000, "financial_total_gbp": 5, "remedy_visible": True},
            {"service_improvements": True, "summary": "paid £5,000", "notes": "x"},
        ],
    )
    def test_changing_the_remedy_changes_no_feature(self, remedy):
        facts = {"fault_types": ["care_plan"], "duration_months": 6, "year": 2023}
        plain = feature_values([Case(**facts)])
        with_remedy = feature_values([Case(**facts, **remedy)])
        for column in FEATURE_COLUMNS:
            np.testing.assert_array_equal(plain[column], with_remedy[column])

    def test_no_feature_column_names_a_remedy_field(self):
        remedy_words = ("recipient", "payment", "symbolic", "financial", "total", "improvement")
        facts = [c for c in FEATURE_COLUMNS if not c.startswith("fault_")]  # direct payments
        assert not [c for c in facts if any(w in c for w in remedy_words)]


class TestPreprocessor:
    def test_adds_missing_indicators_and_pools_unseen_levels(self, synthetic):
        frame = case_features(synthetic)
        pre = make_preprocessor().fit(frame)
        names = list(pre.get_feature_names_out())
        assert "missingindicator_log_duration_months" in names
        unseen = case_features([Case(org_type="nhs_joint", category="Health > Other")])
        encoded = pre.transform(unseen)
        assert encoded.shape == (1, len(names)) and np.isfinite(encoded).all()

    def test_refuses_columns_that_are_not_features(self):
        with pytest.raises(ValueError, match="not feature columns"):
            make_preprocessor(["n_recipients"])
