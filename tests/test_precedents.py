"""Nearest precedents and what they share with the query."""

import pytest
from sklearn.base import clone

from remedy_model.features import case_features
from remedy_model.modeling.precedents import PrecedentFinder, compare
from remedy_model.records import Case


def test_a_case_is_its_own_nearest_precedent(synthetic):
    X = case_features(synthetic)
    finder = PrecedentFinder(n_neighbors=3).fit(X)
    distances, indices = finder.kneighbors(X.iloc[[5, 17]])
    assert indices[0][0] == 5 or distances[0][0] == pytest.approx(0)
    assert distances[1][0] == pytest.approx(0)
    assert (distances[:, :-1] <= distances[:, 1:]).all()
    assert clone(finder).get_params() == finder.get_params()


def test_kneighbors_never_asks_for_more_than_exist(synthetic):
    X = case_features(synthetic[:4])
    finder = PrecedentFinder().fit(X)
    _, idx = finder.kneighbors(X.iloc[[0]], n_neighbors=50)
    assert idx.shape == (1, 4)


def test_bad_parameters():
    with pytest.raises(ValueError, match="n_neighbors"):
        PrecedentFinder(n_neighbors=0).fit(case_features([Case()]))


def test_compare_names_shared_and_different_facts():
    a, b = case_features(
        [
            Case(
                fault_types=["care_plan", "charging"],
                carer_impact=True,
                duration_months=6,
                category="Adult care services > Charging",
                org_type="county",
            ),
            Case(
                fault_types=["care_plan", "communication"],
                carer_impact=True,
                duration_months=30,
                category="Education > Special educational needs",
                org_type="county",
            ),
        ]
    ).to_dict("records")
    import pandas as pd

    shared, differs = compare(pd.Series(a), pd.Series(b))
    assert "fault: care plan" in shared and "carer impact" in shared
    assert "body type: county" in shared
    assert "fault: charging (query only)" in differs
    assert "fault: communication (precedent only)" in differs
    assert any(d.startswith("category:") for d in differs)
    assert "duration 6 vs 30 months" in differs
