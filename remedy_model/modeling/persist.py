"""Save and load a :class:`RemedyModel` as a NumPy ``.npz`` archive with a JSON sidecar.

The model holds plain arrays and strings only (:mod:`~remedy_model.modeling.arrays`), so the file
is a zip of ``.npy`` arrays plus one JSON document, read with ``allow_pickle=False``: loading can
never run code. The JSON names which of a fixed list of our classes each part is, and nothing
else can be built from it. Before anything is read, the archive's members are checked against
size limits (a small file cannot inflate to gigabytes); the sidecar records the file's SHA-256,
and a file whose hash does not match is refused before it is opened. A file whose layout is not
exactly what :func:`save_model` writes is refused in one line.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import numpy as np

from remedy_model import __version__
from remedy_model.dataset import file_sha256
from remedy_model.errors import ModelFileError
from remedy_model.features import FEATURE_COLUMNS
from remedy_model.modeling import arrays
from remedy_model.modeling.bundle import PRECEDENT_TABLE_COLUMNS, RemedyModel
from remedy_model.outputs import atomic_path

FORMAT = "remedy_model/2"
MAX_MEMBER_BYTES = 256 * 1024 * 1024
"""Largest uncompressed member of a model file (the embedded model's largest is under 2 MB)."""
MAX_TOTAL_BYTES = 512 * 1024 * 1024
CLASSES = {
    cls.__name__: cls
    for cls in (
        arrays.NumericBlock,
        arrays.CategoricalBlock,
        arrays.Encoder,
        arrays.Linear,
        arrays.CrossConformal,
        arrays.PaymentPredictor,
        arrays.PrecedentIndex,
    )
}
"""The only classes a model file can build."""
RECOVER = "delete it and run `remedy train` (the default model is rebuilt on first use)"


def sidecar_path(path: Path) -> Path:
    """``models/remedy.npz`` -> ``models/remedy.json``.

    Parameters
    ----------
    path : path-like
        The model file.

    Returns
    -------
    Path
        Its sidecar: the same name with a ``.json`` suffix.
    """
    return Path(path).with_suffix(".json")


class _Packer:
    """Turns a tree of our dataclasses, dicts and arrays into JSON plus named arrays."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def pack(self, value):
        """JSON-ready form of ``value``; its numeric arrays are kept aside in :attr:`arrays`.

        Parameters
        ----------
        value : object
            A dataclass of :mod:`~remedy_model.modeling.arrays`, an array, a dict, a list or a
            plain value.

        Returns
        -------
        object
            Plain JSON values; dataclasses, dicts and arrays become tagged dicts.
        """
        if dataclasses.is_dataclass(value):
            fields = {f.name: self.pack(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return {"__class__": type(value).__name__, "fields": fields}
        if isinstance(value, np.ndarray):
            if value.dtype == object:
                return {"__list__": [_json_value(v) for v in value.tolist()]}
            name = f"a{len(self.arrays)}"
            self.arrays[name] = value
            return {"__array__": name}
        if isinstance(value, dict):
            return {"__dict__": [[str(k), self.pack(v)] for k, v in value.items()]}
        if isinstance(value, (list, tuple)):
            return [self.pack(v) for v in value]
        return _json_value(value)


def _json_value(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


class _Unpacker:
    """Rebuilds what :class:`_Packer` wrote, from :data:`CLASSES` only."""

    def __init__(self, archive) -> None:
        self.archive = archive

    def unpack(self, value):
        """Rebuild what :meth:`_Packer.pack` gave, reading the arrays from the archive.

        Parameters
        ----------
        value : object
            JSON values as :meth:`_Packer.pack` wrote them.

        Returns
        -------
        object
            The dataclasses, dicts, arrays and plain values they stand for.

        Raises
        ------
        KeyError
            A class not in :data:`CLASSES` or an array not in the archive.
        """
        if isinstance(value, list):
            return [self.unpack(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "__array__" in value:
            return self.archive[str(value["__array__"])]
        if "__list__" in value:
            return np.array(value["__list__"] + [None], dtype=object)[:-1]
        if "__dict__" in value:
            return {k: self.unpack(v) for k, v in value["__dict__"]}
        cls = CLASSES[value["__class__"]]
        return cls(**{k: self.unpack(v) for k, v in value["fields"].items()})


def save_model(model: RemedyModel, path: Path | str, *, metrics: dict | None = None) -> Path:
    """Write ``model`` to ``path`` (``.npz``) and its sidecar next to it; return the sidecar.

    Both files are written to a temporary name first, so an interrupted save never leaves a
    half-written model where a good one was.

    Parameters
    ----------
    model : RemedyModel
        The model to save.
    path : path-like
        The model file (``.npz``); its folder must exist.
    metrics : dict, optional
        Evaluation figures recorded in the sidecar.

    Returns
    -------
    Path
        The sidecar written (see :func:`sidecar_path`).
    """
    path = Path(path)
    packer = _Packer()
    document = {
        "format": FORMAT,
        "payment": packer.pack(model.payment),
        "precedents": packer.pack(model.precedents),
        "table": packer.pack(model.table),
        "facts": packer.pack(model.facts),
        "support": model.support,
        "cpi": {str(year): value for year, value in model.cpi.items()},
        "info": model.info,
    }
    text = json.dumps(document, allow_nan=False)
    with atomic_path(path, what="model file") as tmp, tmp.open("wb") as handle:
        np.savez_compressed(handle, model_json=np.array(text), **packer.arrays)
    sidecar = {
        "format": FORMAT,
        "file": path.name,
        "sha256": file_sha256(path),
        "remedy_model_version": __version__,
        **{k: v for k, v in model.info.items() if k != "remedy_model_version"},
        "metrics": metrics or {},
    }
    side = sidecar_path(path)
    with atomic_path(side, what="model sidecar") as tmp:
        tmp.write_text(json.dumps(sidecar, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    return side


def read_sidecar(path: Path | str) -> dict:
    """The sidecar of a model file, checked to be ours (raises :class:`ModelFileError`).

    Parameters
    ----------
    path : path-like
        The model file (not the sidecar).

    Returns
    -------
    dict
        The sidecar's content: format, file hash, versions, data and training facts, metrics.
    """
    side = sidecar_path(Path(path))
    if not side.is_file():
        raise ModelFileError(
            f"{side}: sidecar missing; a model file is only loaded with its sidecar ({RECOVER})"
        )
    try:
        if side.stat().st_size > 1024 * 1024:
            raise ModelFileError(f"{side}: sidecar is larger than 1 MB; not ours")
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecursionError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{side}: sidecar is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(
            f"{side}: not a sidecar of this remedy_model version (format {FORMAT!r} expected); "
            + RECOVER
        )
    return meta


def check_archive(path: Path) -> None:
    """Refuse an archive whose members are not ours or would inflate past the limits.

    Only the zip directory is read, so a hostile file is refused before any member is
    decompressed.

    Parameters
    ----------
    path : Path
        The model file.

    Raises
    ------
    ModelFileError
        Not a readable zip, unexpected members, or members larger than
        :data:`MAX_MEMBER_BYTES` (or together than :data:`MAX_TOTAL_BYTES`).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelFileError(f"{path}: not a readable model file ({type(exc).__name__})") from None
    names = [m.filename for m in members]
    if "model_json.npy" not in names or any(not n.endswith(".npy") for n in names):
        raise ModelFileError(f"{path}: not a remedy_model file (unexpected members)")
    too_big = [m.filename for m in members if m.file_size > MAX_MEMBER_BYTES]
    if too_big or sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
        raise ModelFileError(f"{path}: members too large for a model file ({too_big or 'total'})")


def load_model(path: Path | str) -> RemedyModel:
    """Load a model saved by :func:`save_model`, refusing anything that is not exactly that.

    Parameters
    ----------
    path : path-like
        The model file; its sidecar must be next to it.

    Returns
    -------
    RemedyModel
        The model, having answered one empty query as a check.

    Raises
    ------
    ModelFileError
        The file or sidecar is missing, the hash does not match (corrupted or replaced), the
        version differs from the one installed, the archive is not ours or too large, or its
        layout is not the one :func:`save_model` writes.
    """
    path = Path(path)
    if path.is_dir():
        raise ModelFileError(f"{path}: is a folder, expected a model file")
    if not path.exists():
        raise ModelFileError(f"{path}: no such model file (train one with `remedy train`)")
    meta = read_sidecar(path)
    if file_sha256(path) != meta.get("sha256"):
        raise ModelFileError(
            f"{path}: SHA-256 does not match its sidecar (corrupted or replaced); {RECOVER}"
        )
    if meta.get("remedy_model_version") != __version__:
        raise ModelFileError(
            f"{path}: made by remedy_model {meta.get('remedy_model_version')}, installed is "
            f"{__version__}; retrain with `remedy train`"
        )
    check_archive(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            document = json.loads(str(archive["model_json"]))
            model = _build(document, _Unpacker(archive))
        _smoke_test(model)
    except ModelFileError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError) as exc:
        raise ModelFileError(
            f"{path}: model file layout is not the one this version writes "
            f"({type(exc).__name__}); {RECOVER}"
        ) from None
    return model


def _build(document: dict, unpacker: _Unpacker) -> RemedyModel:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError("not a remedy_model file")
    parts = {name: unpacker.unpack(document[name]) for name in ("payment", "precedents")}
    if not isinstance(parts["payment"], arrays.PaymentPredictor) or not isinstance(
        parts["precedents"], arrays.PrecedentIndex
    ):
        raise TypeError("payment or precedents part of the wrong kind")
    return RemedyModel(
        payment=parts["payment"],
        precedents=parts["precedents"],
        table=unpacker.unpack(document["table"]),
        facts=unpacker.unpack(document["facts"]),
        support={k: dict(v) for k, v in document["support"].items()},
        cpi={int(year): float(value) for year, value in document["cpi"].items()},
        info=dict(document["info"]),
    )


def _smoke_test(model: RemedyModel) -> None:
    """Answer an empty query once: a file with consistent arrays passes, any other fails."""
    from remedy_model.features import feature_values
    from remedy_model.records import Case

    values = feature_values([Case()])
    model.payment.predict_range(model.payment.encode(values))
    distances = model.precedents.distances(values)
    lengths = {len(v) for v in (*model.table.values(), *model.facts.values())}
    if distances.shape != (1, model.n_precedents) or lengths != {model.n_precedents}:
        raise ValueError("precedent table and index differ in length")
    missing = set(PRECEDENT_TABLE_COLUMNS) - set(model.table)
    if missing or set(FEATURE_COLUMNS) - set(model.facts):
        raise KeyError(f"precedent table lacks {sorted(missing)}")
