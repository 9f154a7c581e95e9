"""The public Python surface: train, suggest, check, predict, evaluate, demo.

The CLI, the notebooks and the web page call these and nothing below them. Paths default to
:mod:`remedy_model.config`; pass your own to work elsewhere (tests use temporary folders).

Examples
--------
>>> from remedy_model import api
>>> s = api.suggest({"fault_types": ["respite_not_provided"], "duration_months": 6,
...                  "carer_impact": True, "year": 2024}, proposed=800)  # doctest: +SKIP
>>> s.range_nominal, s.check.verdict  # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from remedy_model import config, jsonio
from remedy_model.check import Check
from remedy_model.dataset import RecordError, data_hash, load_cases
from remedy_model.errors import DataError, InputError, ModelFileError
from remedy_model.inflation import CpiIndex
from remedy_model.modeling.bundle import RemedyModel, fit_bundle
from remedy_model.modeling.persist import load_model, read_sidecar, save_model
from remedy_model.outputs import atomic_output, check_output_path, write_text
from remedy_model.query import (
    DEFAULT_DECISION,
    MAX_K,
    case_from_json,
    make_case,
    precedent_count,
    proposed_sum,
    read_case_file,
    read_queries,
)
from remedy_model.records import Case
from remedy_model.suggest import Suggestion, predict_rows, resolve_category, suggest_many

__all__ = [
    "DEFAULT_DECISION",
    "MAX_K",
    "Check",
    "RemedyModel",
    "Suggestion",
    "case_from_json",
    "check",
    "demo",
    "evaluate",
    "get_model",
    "make_case",
    "predict",
    "read_case_file",
    "suggest",
    "train",
]

PREDICT_CHUNK = 2000


@dataclass
class TrainResult:
    """What :func:`train` did."""

    model: RemedyModel
    path: Path
    sidecar: Path
    skipped: list[RecordError]
    seconds: float


def read_cpi(path: Path | str | None = None) -> CpiIndex:
    """The CPI table (default: the embedded ONS D7BT series)."""
    return CpiIndex.from_csv(path or config.CPI_PATH)


def train(
    extra_cases: Sequence[Path | str] = (),
    *,
    cases_path: Path | str | None = None,
    cpi_path: Path | str | None = None,
    model_path: Path | str | None = None,
    with_metrics: bool = True,
) -> TrainResult:
    """Fit the models on the case table (plus ``extra_cases``) and save them.

    Parameters
    ----------
    extra_cases : paths
        Further case files (e.g. from ``remedy ingest``); a reference already in the table is
        skipped.
    cases_path, cpi_path, model_path : path, optional
        Defaults from :mod:`remedy_model.config`.
    with_metrics : bool
        Also run one round of grouped 5-fold cross-validation (a few seconds) and record its
        figures, beside the baselines', in the model's sidecar.
    """
    start = time.perf_counter()
    if cases_path is None and not config.CASES_PATH.exists():
        raise DataError(
            f"{config.CASES_PATH}: embedded case table not found; install the project with "
            "`pip install -e .` from its folder, or set REMEDY_HOME to that folder"
        )
    files = [Path(cases_path or config.CASES_PATH), *map(Path, extra_cases)]
    loaded = load_cases(files)
    cpi = read_cpi(cpi_path)
    try:
        model = fit_bundle(loaded.cases, cpi, data_hash=data_hash(files))
        metrics = _quick_metrics(loaded.cases, cpi) if with_metrics else {}
    except ValueError as exc:
        raise InputError(f"cannot train on {', '.join(map(str, files))}: {exc}") from None
    if model_path is None:
        config.MODELS_DIR.mkdir(parents=True, exist_ok=True)
    path = Path(model_path or config.DEFAULT_MODEL_PATH)
    sidecar = save_model(model, path, metrics=metrics)
    return TrainResult(model, path, sidecar, loaded.errors, time.perf_counter() - start)


def _quick_metrics(cases, cpi) -> dict:
    """One repeat of the grouped cross-validation, for the sidecar (``remedy evaluate`` does
    three repeats and the press-free variant)."""
    from remedy_model.evaluate import cross_validate

    table = cross_validate(cases, cpi, repeats=1)
    return {
        "cv": f"{config.CV_FOLDS}-fold grouped, 1 repeat",
        **{
            method: {k: round(float(v), 4) for k, v in row.items()}
            for method, row in table.iterrows()
        },
    }


def get_model(
    model_path: Path | str | None = None, *, on_train: Callable[[], None] | None = None
) -> RemedyModel:
    """Load a model; the default one is trained first if it is absent or from another version.

    An explicit ``model_path`` must exist and pass every check of
    :func:`~remedy_model.modeling.persist.load_model`.
    """
    if model_path is not None:
        return load_model(model_path)
    path = config.DEFAULT_MODEL_PATH
    if path.exists():
        try:
            return load_model(path)
        except ModelFileError:
            if not _is_ours_but_stale(path):
                raise
    if on_train:
        on_train()
    path.parent.mkdir(parents=True, exist_ok=True)
    return train(model_path=path).model


def _is_ours_but_stale(path: Path) -> bool:
    """True when the default model is intact but was made by another remedy_model version."""
    from remedy_model import __version__
    from remedy_model.dataset import file_sha256

    try:
        meta = read_sidecar(path)
    except ModelFileError:
        return False
    intact = file_sha256(path) == meta.get("sha256")
    return intact and meta.get("remedy_model_version") != __version__


def suggest(
    case: Case | dict[str, Any],
    *,
    model: RemedyModel | None = None,
    model_path: Path | str | None = None,
    k: int = config.DEFAULT_K,
    proposed: float | None = None,
) -> Suggestion:
    """Payment range and the ``k`` most similar precedents for one case.

    Parameters
    ----------
    case : Case or dict
        The facts (codebook fields); a dict is validated first.
    model, model_path : optional
        A loaded model, or where to load one (default: trained on first use).
    k : int
        Number of precedents, 1 to :data:`~remedy_model.query.MAX_K`.
    proposed : float, optional
        A proposed symbolic sum in the money of the case's year; adds a :class:`Check`.
    """
    k = precedent_count(k)
    proposed = proposed_sum(proposed)
    if isinstance(case, dict):
        case = make_case(case)
    model = model or get_model(model_path)
    case = resolve_category(case, model.known_categories())
    return suggest_many(model, [case], k=k, proposed=[proposed])[0]


def check(
    case: Case | dict[str, Any],
    proposed: float,
    *,
    model: RemedyModel | None = None,
    model_path: Path | str | None = None,
) -> Check:
    """Verdict on a proposed symbolic sum for ``case`` (see :mod:`remedy_model.check`)."""
    result = suggest(case, model=model, model_path=model_path, proposed=proposed)
    assert result.check is not None
    return result.check


@dataclass
class PredictResult:
    """Counts of a batch prediction; ``errors`` are ``(line, message)``."""

    n_lines: int
    n_predicted: int
    errors: list[tuple[int, str]] = field(default_factory=list)


def predict(
    input_path: Path | str,
    output_path: Path | str,
    *,
    model: RemedyModel | None = None,
    model_path: Path | str | None = None,
    k: int = config.DEFAULT_K,
    progress: Callable[[int], None] | None = None,
    on_train: Callable[[], None] | None = None,
) -> PredictResult:
    """Predict every line of a JSON Lines file of cases into another, line for line.

    Each output line is ``{"line", "case_ref", "low_gbp", "median_gbp", "high_gbp",
    "p_payment", "amount_if_paid_gbp", "money_year", "precedents": [{"case_ref",
    "distance"}]}`` with sums in the money of the case's year (today's if it has none), the
    same sums in today's money beside them (``*_today_gbp``, ``today_year``), or
    ``{"line", "error"}`` for a line that is not a valid case (:func:`read_queries`). As with
    :func:`make_case`, a line without a ``decision`` is taken as upheld. The input, the output
    and ``k`` are checked before the model is loaded (``on_train`` as in :func:`get_model`).
    The output is written to a temporary file and moved into place at the end, so an existing
    file is never left half overwritten; its JSON is strict (no ``NaN``).
    """
    input_path, output_path = Path(input_path), Path(output_path)
    k = precedent_count(k)
    lines = read_queries(input_path)
    if output_path.exists() and output_path.resolve() == input_path.resolve():
        raise InputError(f"{output_path}: output would overwrite the input")
    check_output_path(output_path)
    model = model or get_model(model_path, on_train=on_train)
    result = PredictResult(0, 0)
    with atomic_output(output_path) as out:
        batch: list[tuple[int, Case | InputError]] = []
        for item in lines:
            batch.append(item)
            if len(batch) >= PREDICT_CHUNK:
                _write_batch(model, batch, out, k, result, progress)
                batch = []
        _write_batch(model, batch, out, k, result, progress)
    return result


def _write_batch(model, batch, out, k, result: PredictResult, progress) -> None:
    known = model.known_categories()
    batch = [(number, _resolved(item, known)) for number, item in batch]
    cases = [item for _, item in batch if isinstance(item, Case)]
    answers = iter(predict_rows(model, cases, k=k))
    for number, item in batch:
        result.n_lines += 1
        if isinstance(item, InputError):
            result.errors.append((number, str(item)))
            record: dict[str, Any] = {"line": number, "error": str(item)}
        else:
            result.n_predicted += 1
            record = {"line": number, **next(answers)}
        out.write(jsonio.dumps(record) + "\n")
    if progress:
        progress(len(batch))


def _resolved(item: Case | InputError, known: Sequence[str]) -> Case | InputError:
    """A parsed line with its category checked, or the line's error in its place."""
    if not isinstance(item, Case):
        return item
    try:
        return resolve_category(item, known)
    except InputError as exc:
        return exc


def evaluate(
    extra_cases: Sequence[Path | str] = (),
    *,
    cases_path: Path | str | None = None,
    cpi_path: Path | str | None = None,
    folds: int = config.CV_FOLDS,
    repeats: int = config.CV_REPEATS,
    progress: Callable[[], None] | None = None,
    n_jobs: int = 1,
):
    """Grouped cross-validation of the model and baselines (:mod:`remedy_model.evaluate`).

    Returns the :class:`~remedy_model.evaluate.EvaluationResult` and the data hash.
    """
    from remedy_model import evaluate as ev

    if folds < 2 or repeats < 1:
        raise InputError(f"need folds >= 2 and repeats >= 1, got {folds} and {repeats}")
    files = [Path(cases_path or config.CASES_PATH), *map(Path, extra_cases)]
    loaded = load_cases(files)
    try:
        result = ev.evaluate(
            loaded.cases,
            read_cpi(cpi_path),
            folds=folds,
            repeats=repeats,
            progress=progress,
            n_jobs=n_jobs,
        )
    except ValueError as exc:
        raise InputError(f"cannot evaluate on {', '.join(map(str, files))}: {exc}") from None
    return result, data_hash(files)


DEMO_CASE = {
    "category": "Adult care services > Assessment and care plan",
    "org_type": "county",
    "decision": "upheld",
    "year": 2025,
    "duration_months": 9,
    "fault_types": ["respite_not_provided", "carer_assessment", "assessment_delay"],
    "carer_impact": True,
    "respite_lost": True,
    "vulnerable": ["learning_disability"],
    "person_died": False,
}
"""The demo's invented query: a council left a carer without respite for nine months."""
DEMO_PROPOSED = 500.0


@dataclass
class DemoResult:
    suggestion: Suggestion
    plots: list[Path]
    trained: bool


def demo(
    out_dir: Path | str | None = None,
    *,
    model_path: Path | str | None = None,
    on_train: Callable[[], None] | None = None,
) -> DemoResult:
    """Train if needed, answer :data:`DEMO_CASE` with a proposed £500, and save the plots."""
    from remedy_model.figures import plot_range, plot_suggestion

    out = Path(out_dir or config.DEMO_DIR)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; give a folder for the plots")
    trained = []
    model = get_model(model_path, on_train=lambda: (trained.append(True), on_train and on_train()))
    suggestion = suggest(DEMO_CASE, model=model, proposed=DEMO_PROPOSED)
    out.mkdir(parents=True, exist_ok=True)
    plots = [
        plot_suggestion(suggestion, out / "demo_precedents.png"),
        plot_range(suggestion, out / "demo_range.png"),
    ]
    write_text(out / "demo_suggestion.json", jsonio.dumps(suggestion.to_dict(), indent=2) + "\n")
    return DemoResult(suggestion, plots, bool(trained))
