"""Evaluation is grouped (no case scored by a model that saw it) and reports the baselines."""

import numpy as np
import pandas as pd
import pytest

from remedy_model import evaluate as ev
from remedy_model.records import Case


def test_cross_validate_reports_every_method_and_metric(synthetic, cpi):
    table = ev.cross_validate(synthetic, cpi, folds=3, repeats=1)
    assert list(table.index) == list(ev.MODELS)
    assert {"amount_mdae_log", "within_x2", "auc", "coverage", "width", "range_coverage"} <= set(
        table.columns
    )
    assert table.loc["global_median", "auc"] == pytest.approx(0.5, abs=0.1)
    # synthetic sums depend on duration and carer impact: the model must beat the global median
    assert table.loc["model", "amount_mdae_log"] < table.loc["global_median", "amount_mdae_log"]
    assert table.loc["model", "auc"] > table.loc["global_median", "auc"] + 0.1
    assert 0.5 <= table.loc["model", "coverage"] <= 1.0


def test_folds_never_split_a_complaint(synthetic, cpi, monkeypatch):
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


def test_targets_and_ratios():
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


def test_evaluate_variants_drop_press_reports(synthetic, cpi):
    result = ev.evaluate(synthetic, cpi, folds=3, repeats=1)
    counts = result.counts
    assert counts["without_press_reports"]["cases"] < counts["all_sources"]["cases"]
    d = result.to_dict()
    assert set(d["metrics"]) == {"all_sources", "without_press_reports"}
    assert d["metrics"]["all_sources"]["model"]["auc"] is not None
