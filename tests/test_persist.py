"""Model files: round trip, and a clear refusal of anything corrupted, foreign, stale or huge."""

import io
import json
import shutil
import zipfile

import numpy as np
import pytest

from remedy_model.dataset import file_sha256
from remedy_model.errors import ModelFileError
from remedy_model.features import feature_values
from remedy_model.modeling import persist
from remedy_model.modeling.persist import load_model, save_model, sidecar_path


def _copy(trained, tmp_path):
    path = tmp_path / "m.npz"
    shutil.copy(trained.path, path)
    shutil.copy(trained.sidecar, sidecar_path(path))
    return path


def _reseal(path):
    """Make the sidecar's hash match a file we crafted, so the checks behind it are reached."""
    side = sidecar_path(path)
    meta = json.loads(side.read_text())
    meta["sha256"] = file_sha256(path)
    side.write_text(json.dumps(meta))


class _Trap:
    """Unpickling this touches a file: proof that loading ran code."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (type(self.marker).touch, (self.marker,))


def _npz(path, **arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


class TestRoundTrip:
    def test_the_loaded_model_gives_the_same_answers(self, trained, synthetic):
        loaded = load_model(trained.path)
        values = feature_values(synthetic[:20])
        before = trained.model.payment.predict_range(trained.model.payment.encode(values))
        after = loaded.payment.predict_range(loaded.payment.encode(values))
        for name in before:
            np.testing.assert_allclose(before[name], after[name])
        np.testing.assert_allclose(
            trained.model.precedents.distances(values), loaded.precedents.distances(values)
        )
        assert loaded.row(3) == trained.model.row(3)
        assert loaded.support == trained.model.support

    def test_the_sidecar_names_the_data_and_versions(self, trained):
        meta = json.loads(trained.sidecar.read_text())
        assert {"sha256", "data_hash", "remedy_model_version", "trained_at", "format"} <= set(meta)

    def test_the_file_holds_no_pickled_object(self, trained):
        with np.load(trained.path, allow_pickle=False) as archive:
            for name in archive.files:
                assert archive[name].dtype != object


class TestRefusals:
    def test_corrupted_file_is_refused_with_a_way_out(self, trained, tmp_path):
        path = _copy(trained, tmp_path)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
        with pytest.raises(ModelFileError, match=r"SHA-256 does not match.*remedy train"):
            load_model(path)

    def test_missing_sidecar_missing_file_and_a_folder(self, trained, tmp_path):
        path = tmp_path / "m.npz"
        shutil.copy(trained.path, path)
        with pytest.raises(ModelFileError, match="sidecar missing"):
            load_model(path)
        with pytest.raises(ModelFileError, match="no such model file"):
            load_model(tmp_path / "absent.npz")
        with pytest.raises(ModelFileError, match="is a folder"):
            load_model(tmp_path)

    def test_other_version_is_refused_with_a_way_out(self, trained, tmp_path):
        path = _copy(trained, tmp_path)
        side = sidecar_path(path)
        meta = json.loads(side.read_text())
        meta["remedy_model_version"] = "0.0.1"
        side.write_text(json.dumps(meta))
        with pytest.raises(ModelFileError, match="retrain with `remedy train`"):
            load_model(path)

    def test_a_file_that_is_not_ours_is_refused(self, trained, tmp_path):
        path = _copy(trained, tmp_path)
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("schema.json", "{}")
        _reseal(path)
        with pytest.raises(ModelFileError, match="not a remedy_model file"):
            load_model(path)
        sidecar_path(path).write_text("not json")
        with pytest.raises(ModelFileError, match="sidecar is not valid JSON"):
            load_model(path)

    def test_a_pickled_member_is_never_unpickled(self, trained, tmp_path):
        marker = tmp_path / "unpickled"
        path = _copy(trained, tmp_path)
        document = {"format": "remedy_model/2", "payment": {"__array__": "a0"}}
        trap = np.array([_Trap(marker)], dtype=object)
        _npz(path, model_json=np.array(json.dumps(document)), a0=trap)
        _reseal(path)
        with pytest.raises(ModelFileError, match="layout is not the one"):
            load_model(path)
        assert not marker.exists()

    @pytest.mark.parametrize(
        "document",
        [{}, {"format": "remedy_model/2"}, {"format": "remedy_model/2", "payment": {"__class__":
         "os.system", "fields": {}}}, [1, 2]],
    )  # fmt: skip
    def test_a_wrong_layout_is_one_clear_error(self, trained, tmp_path, document):
        path = _copy(trained, tmp_path)
        _npz(path, model_json=np.array(json.dumps(document)))
        _reseal(path)
        with pytest.raises(ModelFileError, match=r"layout is not the one|not a remedy_model"):
            load_model(path)

    def test_members_larger_than_the_limit_are_refused_before_reading(
        self, trained, tmp_path, monkeypatch
    ):
        path = _copy(trained, tmp_path)
        monkeypatch.setattr(persist, "MAX_MEMBER_BYTES", 1000)
        with pytest.raises(ModelFileError, match="too large"):
            load_model(path)

    def test_a_model_with_inconsistent_arrays_is_refused(self, trained, tmp_path):
        model = load_model(trained.path)
        model.table["case_ref"] = model.table["case_ref"][:-1]
        path = tmp_path / "short.npz"
        save_model(model, path)
        with pytest.raises(ModelFileError, match="layout"):
            load_model(path)
