"""Feature frame: one row per case, unknowns kept as missing indicators."""

import numpy as np

from remedy_model.features import FEATURE_COLUMNS, case_features, make_preprocessor
from remedy_model.records import Case


def test_one_row_per_case_and_unknowns_are_kept():
    cases = [
        Case(
            fault_types=["care_plan", "charging"], duration_months=11, carer_impact=True, year=2022
        ),
        Case(),
    ]
    frame = case_features(cases)
    assert list(frame.columns) == FEATURE_COLUMNS and len(frame) == 2
    assert frame.loc[0, "fault_care_plan"] == 1 and frame.loc[0, "fault_charging"] == 1
    assert frame.loc[0, "n_faults"] == 2
    assert frame.loc[0, "carer_impact"] == "yes" and frame.loc[1, "carer_impact"] == "unknown"
    assert np.isnan(frame.loc[1, "log_duration_months"]) and np.isnan(frame.loc[1, "year"])
    assert frame.loc[1, "category_group"] == "unknown"


def test_preprocessor_adds_missing_indicators_and_ignores_unseen_levels(synthetic):
    frame = case_features(synthetic)
    pre = make_preprocessor().fit(frame)
    names = list(pre.get_feature_names_out())
    assert "missingindicator_log_duration_months" in names
    unseen = case_features([Case(org_type="nhs_joint", category="Health > Other")])
    encoded = pre.transform(unseen)
    assert encoded.shape == (1, len(names)) and np.isfinite(encoded).all()


def test_source_group_treats_queries_as_decisions():
    frame = case_features(
        [Case(), Case(source_kind="news_article"), Case(source_kind="lgo_report_chapter")]
    )
    assert frame["source_group"].tolist() == ["decision", "press", "report"]


def test_precedents_ignore_the_source():
    from remedy_model.modeling.precedents import PRECEDENT_COLUMNS

    assert "source_group" not in PRECEDENT_COLUMNS
