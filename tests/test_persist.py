"""Model files: round trip, and a clear refusal of anything corrupted, foreign or stale."""

import json
import shutil
import zipfile

import numpy as np
import pytest

from remedy_model.errors import ModelFileError
from remedy_model.features import case_features
from remedy_model.modeling.persist import load_model, sidecar_path


def _copy(trained, tmp_path):
    path = tmp_path / "m.skops"
    shutil.copy(trained.path, path)
    shutil.copy(trained.sidecar, sidecar_path(path))
    return path


def test_round_trip_gives_the_same_answers(trained, synthetic):
    loaded = load_model(trained.path)
    X = case_features(synthetic[:20])
    before = trained.model.payment.predict_range(X)
    after = loaded.payment.predict_range(X)
    np.testing.assert_allclose(before.to_numpy(), after.to_numpy())
    assert loaded.table.shape == trained.model.table.shape
    meta = json.loads(trained.sidecar.read_text())
    assert {"sha256", "data_hash", "sklearn_version", "remedy_model_version", "trained_at"} <= set(
        meta
    )


def test_corrupted_file_is_refused(trained, tmp_path):
    path = _copy(trained, tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="SHA-256 does not match"):
        load_model(path)


def test_missing_sidecar_and_missing_file(trained, tmp_path):
    path = tmp_path / "m.skops"
    shutil.copy(trained.path, path)
    with pytest.raises(ModelFileError, match="sidecar missing"):
        load_model(path)
    with pytest.raises(ModelFileError, match="no such model file"):
        load_model(tmp_path / "absent.skops")


def test_other_version_is_refused_with_a_way_out(trained, tmp_path):
    path = _copy(trained, tmp_path)
    side = sidecar_path(path)
    meta = json.loads(side.read_text())
    meta["sklearn_version"] = "0.1"
    side.write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match="retrain with `remedy train`"):
        load_model(path)


def test_a_file_that_is_not_ours_is_refused(trained, tmp_path):
    path = tmp_path / "foreign.skops"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("schema.json", "{}")
    meta = json.loads(trained.sidecar.read_text())
    from remedy_model.dataset import file_sha256

    meta["sha256"] = file_sha256(path)
    sidecar_path(path).write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match=r"not a readable model file|not a remedy_model"):
        load_model(path)
    sidecar_path(path).write_text("not json")
    with pytest.raises(ModelFileError, match="sidecar is not valid JSON"):
        load_model(path)
