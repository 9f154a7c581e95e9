"""Nearest precedents: the fitted index, its plain-array export, and what two cases share."""

import numpy as np
import pytest
from sklearn.base import clone

from remedy_model.compare import compare, row
from remedy_model.features import case_features, feature_values
from remedy_model.modeling.precedents import PRECEDENT_COLUMNS, PrecedentFinder
from remedy_model.records import Case
from remedy_model.suggest import nearest


class TestPrecedentFinder:
    def test_a_case_is_its_own_nearest_precedent(self, synthetic):
        X = case_features(synthetic)
        finder = PrecedentFinder(n_neighbors=3).fit(X)
        distances, indices = finder.kneighbors(X.iloc[[5, 17]])
        assert indices[0][0] == 5 or distances[0][0] == pytest.approx(0)
        assert distances[1][0] == pytest.approx(0)
        assert (distances[:, :-1] <= distances[:, 1:]).all()
        assert clone(finder).get_params() == finder.get_params()

    def test_kneighbors_never_asks_for_more_than_exist(self, synthetic):
        X = case_features(synthetic[:4])
        _, idx = PrecedentFinder().fit(X).kneighbors(X.iloc[[0]], n_neighbors=50)
        assert idx.shape == (1, 4)

    def test_bad_parameters(self):
        with pytest.raises(ValueError, match="n_neighbors"):
            PrecedentFinder(n_neighbors=0).fit(case_features([Case()]))

    def test_similarity_ignores_the_source(self):
        assert "source_group" not in PRECEDENT_COLUMNS


class TestExportedIndex:
    def test_distances_are_the_fitted_neighbours(self, synthetic):
        finder = PrecedentFinder().fit(case_features(synthetic))
        index = finder.export()
        queries = synthetic[:25]
        d_fit, _ = finder.kneighbors(case_features(queries), n_neighbors=8)
        d_all = index.distances(feature_values(queries))
        np.testing.assert_allclose(np.sort(d_all, axis=1)[:, :8], d_fit, atol=1e-6)

    def test_distances_to_a_pool_are_those_columns_of_all_distances(self, synthetic):
        index = PrecedentFinder().fit(case_features(synthetic)).export()
        values = feature_values(synthetic[:30])
        pool = np.array([3, 8, 40, 41, 100])
        d_pool = index.distances_to(index.locate(values), pool)
        np.testing.assert_allclose(d_pool, index.distances(values)[:, pool], atol=1e-9)

    def test_nearest_orders_by_distance_then_by_precedent(self):
        d = np.array([[0.4, 0.2, 0.2, 0.9], [0.1, 0.5, 0.3, 0.0]])
        pool = np.array([7, 5, 2, 9])
        rows, dist = nearest(d, pool, 3)
        assert rows.tolist() == [[2, 5, 7], [9, 7, 2]]
        assert dist.tolist() == [[0.2, 0.2, 0.4], [0.0, 0.1, 0.3]]
        assert nearest(d, pool, 10)[0].tolist() == [[2, 5, 7, 9], [9, 7, 2, 5]]

    @pytest.mark.parametrize("n", [1, 2, 3, 4, 6])
    def test_nearest_agrees_with_a_stable_sort(self, n):
        rng = np.random.default_rng(n)
        d = rng.integers(0, 4, size=(50, 9)).astype(float)  # many ties
        pool = np.sort(rng.choice(100, size=9, replace=False))
        rows, dist = nearest(d, pool, n)
        order = np.argsort(d, axis=1, kind="stable")[:, :n]
        np.testing.assert_array_equal(dist, np.take_along_axis(d, order, axis=1))
        if n <= 3:  # below the boundary a tie may go either way in argpartition
            np.testing.assert_array_equal(rows, pool[order])


class TestCompare:
    def test_names_shared_and_different_facts(self):
        values = feature_values(
            [
                Case(fault_types=["care_plan", "charging"], carer_impact=True, duration_months=6,
                     category="Adult care services > Charging", org_type="county"),
                Case(fault_types=["care_plan", "communication"], carer_impact=True,
                     duration_months=30, category="Education > Special educational needs",
                     org_type="county"),
            ]
        )  # fmt: skip
        shared, differs = compare(row(values, 0), row(values, 1))
        assert "fault: care plan" in shared and "carer impact" in shared
        assert "body type: county" in shared
        assert "fault: charging (query only)" in differs
        assert "fault: communication (precedent only)" in differs
        assert any(d.startswith("category:") for d in differs)
        assert "duration 6 vs 30 months" in differs
