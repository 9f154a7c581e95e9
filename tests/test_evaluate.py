"""Evaluation is grouped (no case scored by a model that saw it) and reports the baselines."""

import numpy as np
import pandas as pd
import pytest

from remedy_model import evaluate as ev
from remedy_model.records import Case


class TestCrossValidation:
    """Cross-validation reports every method and metric beside the baselines."""

    def test_cross_validate_reports_every_method_and_metric(self, synthetic, cpi):
        table = ev.cross_validate(synthetic, cpi, folds=3, repeats=1)
        assert list(table.index) == list(ev.MODELS)
        assert {
            "amount_mdae_log",
            "within_x2",
            "auc",
            "coverage",
            "width",
            "range_coverage",
        } <= set(table.columns)
        assert table.loc["global_median", "auc"] == pytest.approx(0.5, abs=0.1)
        # synthetic sums depend on duration and carer impact: the model must beat the global median
        assert table.loc["model", "amount_mdae_log"] < table.loc["global_median", "amount_mdae_log"]
        assert table.loc["model", "auc"] > table.loc["global_median", "auc"] + 0.1
        assert 0.5 <= table.loc["model", "coverage"] <= 1.0

    def test_breakdown_by_source_counts_the_paid_cases(self, synthetic, cpi):
        run = ev.run_cv(synthetic, cpi, folds=3, repeats=1)
        table = run.breakdown(lambda c: c.source_group, "source")
        counts = table[table["method"] == "model"].set_index("source")["paid"].to_dict()
        usable = [c for c in synthetic if c.has_target and c.symbolic_total_gbp > 0]
        for source, n in counts.items():
            assert n == sum(1 for c in usable if c.source_group == source)

    def test_evaluate_variants_drop_press_reports(self, synthetic, cpi):
        result = ev.evaluate(synthetic, cpi, folds=3, repeats=1)
        counts = result.counts
        assert counts["without_press_reports"]["cases"] < counts["all_sources"]["cases"]
        d = result.to_dict()
        assert set(d["metrics"]) == {"all_sources", "without_press_reports"}
        assert d["metrics"]["all_sources"]["model"]["auc"] is not None


class TestNoLeak:
    """No case is scored by a model that saw its complaint or its remedy."""

    def test_folds_never_split_a_complaint(self, synthetic, cpi, monkeypatch):
        """Cases sharing a reference stem must fall on the same side of every split."""
        twins = [
            Case.model_validate({**c.model_dump(), "case_ref": f"25 {i:03d} 000{s}"})
            for i, c in enumerate(synthetic[:60])
            for s in "ab"
        ]
        seen = []
        real_split = ev.StratifiedGroupKFold.split

        def spy(self, X, y, groups):
            for train, test in real_split(self, X, y, groups):
                seen.append((set(np.asarray(groups)[train]), set(np.asarray(groups)[test])))
                yield train, test

        monkeypatch.setattr(ev.StratifiedGroupKFold, "split", spy)
        ev.cross_validate(twins + synthetic[60:], cpi, folds=3, repeats=1)
        assert seen and all(not (tr & te) for tr, te in seen)

    def test_out_of_fold_never_scores_a_case_with_a_model_that_saw_its_complaint(
        self, synthetic, cpi, monkeypatch
    ):
        from remedy_model.dataset import case_groups
        from remedy_model.modeling.payment import TwoPartPaymentModel

        trained_on = []
        real_fit = TwoPartPaymentModel.fit

        def spy(self, X, y, groups=None):
            trained_on.append(set(groups))
            return real_fit(self, X, y, groups=groups)

        monkeypatch.setattr(TwoPartPaymentModel, "fit", spy)
        frame = ev.out_of_fold(synthetic, cpi, folds=4)
        groups = case_groups([synthetic[i] for i in frame["position"]])
        assert len(trained_on) == 4
        for group in set(groups):
            assert sum(group in seen for seen in trained_on) == 3  # absent from its own fold only
        assert np.isfinite(frame[["p_payment", "expected_today", "low_today"]].to_numpy()).all()

    def test_remedy_fields_other_than_the_target_never_move_an_answer(self, synthetic, cpi):
        """Who was paid, how the sum was split, what was recommended: none reaches the features."""
        from remedy_model.records import Payment

        changed = []
        for case in synthetic:
            pay = [Payment(amount_gbp=1, symbolic=False, recipient="estate")] * 4
            changed.append(
                case.model_copy(
                    update={"payments": pay, "service_improvements": not case.service_improvements,
                            "financial_total_gbp": 12345.0, "notes": "changed"}
                )
            )  # fmt: skip
        before = ev.out_of_fold(synthetic, cpi, folds=3)
        after = ev.out_of_fold(changed, cpi, folds=3)
        assert before.drop(columns="position").equals(after.drop(columns="position"))


class TestMetrics:
    """The within-x2 share, the targets and the ratios to the baselines."""

    def test_within_x2_counts_exact_ties_in_and_strictly_out(self):
        log_err = np.log(np.array([2.0, 0.5, 1.0, 2.0000000001, 3.0]))
        shares = ev.within_factor(np.abs(log_err))
        assert shares == {"within_x2": 0.8, "within_x2_strict": 0.2}
        # a float comparison alone would count exp(log(2)) both ways
        assert ev.within_factor(np.abs(np.log(np.array([500.0]) / 1000.0)))["within_x2"] == 1.0

    def test_targets_and_ratios(self):
        table = pd.DataFrame(
            {
                "amount_mdae_log": [0.6, 1.0, 0.65, 0.7],
                "within_x2_strict": [0.6, 0.3, 0.4, 0.5],
                "auc_upheld": [0.85, 0.5, 0.6, 0.8],
                "coverage": [0.8, 0.8, 0.8, 0.7],
            },
            index=list(ev.MODELS),
        )
        checks = ev.target_checks(table)
        assert checks["amount_vs_global"] and not checks["amount_vs_category"]
        assert ev.ratios(table)["global_median"] == pytest.approx(0.6)


class TestExtractedCases:
    """Cases extracted by ingest may train but are never scored."""

    def _extracted(self, synthetic):
        return [
            c.model_copy(update={"source_kind": "ingested", "case_ref": f"26 {i:03d} 999"})
            for i, c in enumerate(synthetic[:60])
        ]

    def test_they_join_training_but_are_never_scored(self, synthetic, cpi):
        extracted = self._extracted(synthetic)
        run = ev.run_cv(synthetic, cpi, folds=3, repeats=1, extra_training=extracted)
        assert len(run.y) == sum(c.has_target for c in synthetic)
        assert all(c.source_kind != "ingested" for c in run.cases)

    def test_an_extracted_copy_of_a_test_case_never_trains_its_fold(
        self, synthetic, cpi, monkeypatch
    ):
        """A copy of a hand-coded case (same complaint) must not train the fold scoring it."""
        from remedy_model.modeling.payment import TwoPartPaymentModel

        copies = [c.model_copy(update={"source_kind": "ingested"}) for c in synthetic]
        tested, trained = [], []
        real_split, real_fit = ev.StratifiedGroupKFold.split, TwoPartPaymentModel.fit

        def split_spy(self, X, y, groups):
            for train, test in real_split(self, X, y, groups):
                tested.append(set(np.asarray(groups)[test]))
                yield train, test

        def fit_spy(self, X, y, groups=None):
            trained.append(set(groups))
            return real_fit(self, X, y, groups=groups)

        monkeypatch.setattr(ev.StratifiedGroupKFold, "split", split_spy)
        monkeypatch.setattr(TwoPartPaymentModel, "fit", fit_spy)
        ev.run_cv(synthetic, cpi, folds=3, repeats=1, methods=("model",), extra_training=copies)
        assert len(tested) == len(trained) == 3
        for test_groups, train_groups in zip(tested, trained, strict=True):
            assert not test_groups & train_groups

    def test_evaluate_reports_whether_they_helped(self, synthetic, cpi):
        result = ev.evaluate([*synthetic, *self._extracted(synthetic)], cpi, folds=3, repeats=1)
        change = result.extracted_change()
        assert change["extra_training"] == sum(c.has_target for c in synthetic[:60])
        assert set(change["before"]) == set(change["after"])
        assert isinstance(change["helped"], bool)
        assert result.counts["all_sources"]["cases"] == sum(c.has_target for c in synthetic)
        assert ev.evaluate(synthetic, cpi, folds=3, repeats=1).extracted_change() is None
