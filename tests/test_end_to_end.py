"""The README's first command on the embedded data, end to end (trains a real model)."""

import json

import pytest

from remedy_model.cli import main


class TestDemo:
    """``remedy demo`` trains, answers and saves its plots."""

    @pytest.mark.slow
    def test_demo_trains_answers_and_saves_plots(self, tmp_path, capsys):
        model = tmp_path / "model.npz"
        from remedy_model import api

        api.train(model_path=model)
        code = main(["demo", "--out", str(tmp_path / "demo"), "--model", str(model)])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "Precedents" in out and "Proposed £500" in out
        assert "Is a symbolic payment likely?" in out and "If paid, how much?" in out
        for name in ("demo_precedents.png", "demo_range.png"):
            assert (tmp_path / "demo" / name).stat().st_size > 10_000
        saved = json.loads((tmp_path / "demo" / "demo_suggestion.json").read_text())
        assert saved["precedents"] and saved["check"]["verdict"] in {"within", "below", "above"}


class TestEvaluateCommand:
    """``remedy evaluate --json`` on the embedded data beats the baseline."""

    @pytest.mark.slow
    def test_evaluate_json_on_embedded_data(self, capsys):
        code = main(["evaluate", "--folds", "3", "--repeats", "1", "--json"])
        out, _ = capsys.readouterr()
        assert code == 0
        data = json.loads(out)
        model = data["metrics"]["all_sources"]["model"]
        glob = data["metrics"]["all_sources"]["global_median"]
        assert model["amount_mdae_log"] < glob["amount_mdae_log"]
        assert model["auc"] > 0.75
        assert len(data["data_hash"]) == 16
