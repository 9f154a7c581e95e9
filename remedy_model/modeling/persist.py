"""Save and load a :class:`RemedyModel` as a skops file with a JSON sidecar.

skops (not pickle) is used so that loading cannot run arbitrary code: only the types listed in
:data:`TRUSTED_TYPES` may be rebuilt. As a second guard the sidecar records the file's SHA-256,
and a file whose hash does not match is refused before it is opened. A file made by another
version of remedy_model or scikit-learn is refused with a message saying how to retrain.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from remedy_model import __version__
from remedy_model.dataset import file_sha256
from remedy_model.errors import ModelFileError
from remedy_model.modeling.bundle import RemedyModel
from remedy_model.outputs import atomic_path

FORMAT = "remedy_model/1"
TRUSTED_TYPES = [
    "mapie.conformity_scores.bounds.absolute.AbsoluteConformityScore",
    "mapie.estimator.regressor.EnsembleRegressor",
    "mapie.regression.regression.CrossConformalRegressor",
    "mapie.regression.regression._MapieRegressor",
    "numpy.dtype",
    "remedy_model.modeling.payment.TwoPartPaymentModel",
    "remedy_model.modeling.precedents.PrecedentFinder",
    "sklearn.model_selection._split.GroupKFold",
    "sklearn.model_selection._split.KFold",
]
"""Types a model file may contain besides those skops trusts by default (scikit-learn's own)."""


def sidecar_path(path: Path) -> Path:
    """``models/remedy.skops`` -> ``models/remedy.json``."""
    return path.with_suffix(".json")


def _atomic_write(path: Path, write) -> None:
    """Let ``write(tmp)`` fill a temporary file that then replaces ``path``."""
    with atomic_path(path, what="model file") as tmp:
        write(tmp)


def save_model(model: RemedyModel, path: Path | str, *, metrics: dict | None = None) -> Path:
    """Write ``model`` to ``path`` and its sidecar next to it; return the sidecar's path.

    Both files are written to a temporary name first, so an interrupted save never leaves a
    half-written model where a good one was.
    """
    import sklearn
    import skops.io as sio

    path = Path(path)
    payload = {
        "format": FORMAT,
        "payment": model.payment,
        "precedents": model.precedents,
        "table": model.table.to_json(orient="split", index=False),
        "features": model.features.to_json(orient="split", index=False),
        "cpi": {str(year): value for year, value in model.cpi.items()},
        "info": model.info,
    }
    _atomic_write(path, lambda tmp: sio.dump(payload, tmp))
    sidecar = {
        "format": FORMAT,
        "file": path.name,
        "sha256": file_sha256(path),
        "remedy_model_version": __version__,
        "sklearn_version": sklearn.__version__,
        **{k: v for k, v in model.info.items() if k not in ("remedy_model_version",)},
        "metrics": metrics or {},
    }
    side = sidecar_path(path)
    _atomic_write(side, lambda tmp: tmp.write_text(json.dumps(sidecar, indent=2) + "\n"))
    return side


def read_sidecar(path: Path | str) -> dict:
    """The sidecar of a model file, checked to be ours (raises :class:`ModelFileError`)."""
    side = sidecar_path(Path(path))
    if not side.exists():
        raise ModelFileError(
            f"{side}: sidecar missing; a model file is only loaded with its sidecar"
        )
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{side}: sidecar is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{side}: not a remedy_model sidecar (format {FORMAT!r} expected)")
    return meta


def load_model(path: Path | str) -> RemedyModel:
    """Load a model saved by :func:`save_model`, refusing anything that is not exactly that.

    Raises
    ------
    ModelFileError
        The file or sidecar is missing, the hash does not match (corrupted or replaced), the
        versions differ from the ones installed, or the archive holds types we did not write.
    """
    import sklearn
    import skops.io as sio

    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"{path}: no such model file (train one with `remedy train`)")
    meta = read_sidecar(path)
    if file_sha256(path) != meta.get("sha256"):
        raise ModelFileError(
            f"{path}: SHA-256 does not match its sidecar (corrupted or replaced); refusing to load"
        )
    made_with = (meta.get("remedy_model_version"), meta.get("sklearn_version"))
    if made_with != (__version__, sklearn.__version__):
        raise ModelFileError(
            f"{path}: made by remedy_model {made_with[0]} with scikit-learn {made_with[1]}, "
            f"installed are {__version__} and {sklearn.__version__}; retrain with `remedy train`"
        )
    try:
        untrusted = sio.get_untrusted_types(file=path)
        unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
        if unexpected:
            raise ModelFileError(f"{path}: holds types remedy_model never writes: {unexpected}")
        payload = sio.load(path, trusted=untrusted)
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelFileError(f"{path}: not a readable model file ({type(exc).__name__})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a remedy_model file")
    return RemedyModel(
        payment=payload["payment"],
        precedents=payload["precedents"],
        table=_frame(payload["table"]),
        features=_frame(payload["features"]),
        cpi={int(year): value for year, value in payload["cpi"].items()},
        info=payload["info"],
    )


def _frame(text: str) -> pd.DataFrame:
    """A frame stored as JSON text (skops keeps one string, not thousands of nodes)."""
    return pd.read_json(io.StringIO(text), orient="split", dtype=False)
