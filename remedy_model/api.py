"""The public Python surface: train, suggest, check, predict, evaluate, demo, drafts, notes.

The CLI, the notebooks and the web page call these and nothing below them; the vocabularies and
helpers a form needs are re-exported here too. Paths default to :mod:`remedy_model.config`;
pass your own to work elsewhere (tests use temporary folders).

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

from remedy_model import __version__, config, jsonio
from remedy_model.check import Check
from remedy_model.dataset import RecordError, data_hash, load_cases
from remedy_model.draft import (
    UPLOAD_SUFFIXES,
    CaseAnswer,
    Draft,
    DraftCase,
    ProposedSource,
    answer_of,
    proposal,
    without_unknown_category,
)
from remedy_model.draft import read_draft as _read_draft
from remedy_model.draft import read_draft_bytes as _read_draft_bytes
from remedy_model.errors import DataError, InputError, ModelFileError, RemedyError
from remedy_model.inflation import CpiIndex
from remedy_model.modeling.bundle import RemedyModel, fit_bundle
from remedy_model.modeling.persist import load_model, read_sidecar, save_model
from remedy_model.notes import case_facts as describe_case
from remedy_model.outputs import atomic_output, check_output_path, write_text
from remedy_model.query import (
    DEFAULT_DECISION,
    MAX_K,
    case_from_json,
    make_case,
    precedent_count,
    proposed_sum,
    query_lines,
    read_case_file,
)
from remedy_model.records import (
    DECISIONS,
    FACT_FIELDS,
    FAULT_TYPES,
    MAX_AMOUNT_GBP,
    ORG_TYPES,
    VULNERABLE_GROUPS,
    Case,
)
from remedy_model.suggest import Suggestion, resolve_category, suggest_many

__all__ = [
    "DECISIONS",
    "DEFAULT_DECISION",
    "DEFAULT_K",
    "FACT_FIELDS",
    "FAULT_TYPES",
    "MAX_AMOUNT_GBP",
    "MAX_K",
    "ORG_TYPES",
    "UPLOAD_SUFFIXES",
    "VULNERABLE_GROUPS",
    "Case",
    "CaseAnswer",
    "Check",
    "Draft",
    "DraftCase",
    "InputError",
    "ProposedSource",
    "RemedyError",
    "RemedyModel",
    "Suggestion",
    "__version__",
    "answer",
    "build_trends",
    "case_from_json",
    "check",
    "check_draft",
    "demo",
    "describe_case",
    "dumps",
    "evaluate",
    "figure_png",
    "get_model",
    "make_case",
    "note_html",
    "precedent_count",
    "predict",
    "proposed_sum",
    "read_case_file",
    "read_draft",
    "read_draft_bytes",
    "size_text",
    "suggest",
    "train",
    "write_note",
]

DEFAULT_K = config.DEFAULT_K
"""Precedents shown when a query does not say."""
dumps = jsonio.dumps
"""Strict JSON text of an answer (a non-finite number becomes null)."""
size_text = jsonio.size_text
"""A byte count in words ('64 KB'), for messages about size limits."""


@dataclass
class TrainResult:
    """What :func:`train` did: the model, where it was saved, the lines skipped and the time."""

    model: RemedyModel
    path: Path
    sidecar: Path
    skipped: list[RecordError]
    seconds: float


def read_cpi(path: Path | str | None = None) -> CpiIndex:
    """The CPI table (default: the embedded ONS D7BT series), to put sums in today's money.

    Parameters
    ----------
    path : path-like, optional
        A CPI CSV file; ``None`` reads the embedded one (:data:`remedy_model.config.CPI_PATH`).

    Returns
    -------
    CpiIndex
        Year -> index, converting a sum of any year to the latest year's money.
    """
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

    Returns
    -------
    TrainResult
        The fitted model, the model file and its sidecar, the input lines skipped as invalid
        (each a :class:`~remedy_model.dataset.RecordError`) and the seconds taken.
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

    Parameters
    ----------
    model_path : path-like, optional
        A saved model file; ``None`` uses the default model
        (:data:`remedy_model.config.DEFAULT_MODEL_PATH`), training it when needed.
    on_train : callable, optional
        Called with no arguments just before the default model is trained, so a caller can
        say that this takes a while.

    Returns
    -------
    RemedyModel
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

    Returns
    -------
    Suggestion
        The payment range (in the case's money and today's), the chance of a payment, the
        precedents, and the check of ``proposed`` when one was given.
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
    """Verdict on a proposed symbolic sum for ``case`` (see :mod:`remedy_model.check`).

    Parameters
    ----------
    case : Case or dict
        The facts (codebook fields); a dict is validated first.
    proposed : float
        The proposed symbolic sum in the money of the case's year (£0: apology only).
    model, model_path : optional
        As for :func:`suggest`.

    Returns
    -------
    Check
        Whether the sum is within, below or above what similar cases got, and why.
    """
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
    jobs: int | None = 1,
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

    Parameters
    ----------
    input_path : path-like
        JSON Lines file of cases, one per line (codebook fields).
    output_path : path-like
        Where to write the answers; refused if it is the input or cannot be written.
    model, model_path : optional
        A loaded model, or where to load one (default: trained on first use).
    k : int
        Precedents per answer, 1 to :data:`~remedy_model.query.MAX_K`.
    progress : callable, optional
        Called after each batch with the number of input lines it held.
    on_train : callable, optional
        As for :func:`get_model`.
    jobs : int or None
        Processes answering (forked workers sharing the loaded model; ``None``: one per usable
        core); an input of one chunk is answered in this process. The output is the same.

    Returns
    -------
    PredictResult
        Lines read, lines predicted and the ``(line, message)`` of each invalid line.
    """
    from remedy_model.batch import answer_lines

    input_path, output_path = Path(input_path), Path(output_path)
    k = precedent_count(k)
    lines = query_lines(input_path)
    if output_path.exists() and output_path.resolve() == input_path.resolve():
        raise InputError(f"{output_path}: output would overwrite the input")
    check_output_path(output_path)
    model = model or get_model(model_path, on_train=on_train)
    with atomic_output(output_path) as out:
        chunks = answer_lines(model, lines, out, k=k, jobs=jobs, progress=progress)
    errors = [error for chunk in chunks for error in chunk.errors]
    return PredictResult(sum(c.n_lines for c in chunks), sum(c.n_predicted for c in chunks), errors)


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

    Every case is scored by models that never saw it, so the figures say how the model does on
    new cases.

    Parameters
    ----------
    extra_cases : paths
        Further case files (e.g. from ``remedy ingest``); their cases join the training parts
        but are never scored.
    cases_path, cpi_path : path, optional
        Defaults from :mod:`remedy_model.config`.
    folds : int
        Folds of each cross-validation round (at least 2).
    repeats : int
        Rounds with differently shuffled folds (at least 1).
    progress : callable, optional
        Called with no arguments after each fold (after each repeat when ``n_jobs`` is not 1).
    n_jobs : int
        Processes to run the repeats in (1: this process only).

    Returns
    -------
    tuple of (EvaluationResult, str)
        The :class:`~remedy_model.evaluate.EvaluationResult` and the hash of the case files.
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
    """What :func:`demo` did: its answer, the plots saved and whether a model was trained."""

    suggestion: Suggestion
    plots: list[Path]
    trained: bool


def demo(
    out_dir: Path | str | None = None,
    *,
    model_path: Path | str | None = None,
    on_train: Callable[[], None] | None = None,
) -> DemoResult:
    """Train if needed, answer :data:`DEMO_CASE` with a proposed £500, and save the plots.

    Shows the whole flow on one invented case without any input from the user.

    Parameters
    ----------
    out_dir : path-like, optional
        Folder for the two plots and the answer's JSON (default:
        :data:`remedy_model.config.DEMO_DIR`); created if missing, refused if it is a file.
    model_path : path-like, optional
        A saved model (default: the default model, trained if needed).
    on_train : callable, optional
        As for :func:`get_model`.

    Returns
    -------
    DemoResult
        The answer, the paths of the plots, and whether a model was trained first.
    """
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


def answer(
    case: Case | dict[str, Any],
    *,
    proposed: float | None = None,
    proposed_from: str = "flag",
    model: RemedyModel | None = None,
    model_path: Path | str | None = None,
    k: int = config.DEFAULT_K,
) -> CaseAnswer:
    """:func:`suggest` with the query and where its proposed sum came from, for display.

    Parameters
    ----------
    case : Case or dict
        The facts.
    proposed : float, optional
        A proposed symbolic sum (money of the case's year).
    proposed_from : str
        Where it came from: ``"flag"``, ``"form"`` or ``"query"`` (said in the JSON's
        ``check.proposed_source``).
    model, model_path, k
        As for :func:`suggest`.

    Returns
    -------
    CaseAnswer
    """
    if isinstance(case, dict):
        case = make_case(case)
    result = suggest(case, model=model, model_path=model_path, k=k, proposed=proposed)
    source = None if proposed is None else ProposedSource(proposed_from)
    return answer_of(result, case, source)


def read_draft(path: Path | str, *, case_label: str | None = None) -> Draft:
    """Read a draft decision into its cases (see :func:`remedy_model.draft.read_draft`).

    Parameters
    ----------
    path : path-like
        A .txt, .html or .pdf document.
    case_label : str, optional
        The case to answer when the document holds several (default: the first).

    Returns
    -------
    Draft
        ``draft.case`` is the chosen case: its query, the values read with their passages,
        its symbolic payments (with purposes and sentences) and its financial sums.
    """
    return _read_draft(path, case_label=case_label)


def read_draft_bytes(
    data: bytes, suffix: str, *, name: str, case_label: str | None = None
) -> Draft:
    """Read an uploaded draft decision (see :func:`remedy_model.draft.read_draft_bytes`).

    Parameters
    ----------
    data : bytes
        The file's content.
    suffix : str
        ``.txt``, ``.html``, ``.htm`` or ``.pdf``.
    name : str
        The document's name in messages (never the temporary file's).
    case_label : str, optional
        As for :func:`read_draft`.

    Returns
    -------
    Draft
    """
    return _read_draft_bytes(data, suffix, name=name, case_label=case_label)


def check_draft(
    draft: Draft,
    *,
    query: Case | None = None,
    proposed: float | None = None,
    proposed_from: str = "flag",
    use_draft_sum: bool = True,
    model: RemedyModel | None = None,
    model_path: Path | str | None = None,
    k: int = config.DEFAULT_K,
) -> CaseAnswer:
    """Answer a draft's chosen case and check the remedy it proposes.

    The draft's symbolic total (money of the draft's year) is the proposed sum unless one is
    given; a draft stating no symbolic sum is answered without a check, and the answer says so.
    Each purpose of the draft is set beside the typical sum paid for it; financial sums are
    listed, not judged.

    Parameters
    ----------
    draft : Draft
        From :func:`read_draft`.
    query : Case, optional
        The facts to answer (default: those read from the draft; the web form passes the
        values the investigator checked). A category read from the document that the table
        does not know is left out, with a note.
    proposed : float, optional
        A sum given instead of the draft's; ``proposed_from`` says where it came from
        (``"flag"``, ``"form"``: a form's sum equal to the draft's total counts as the draft's).
    use_draft_sum : bool
        With no ``proposed``, check the draft's own total (the web form passes False when the
        investigator cleared the sum).
    model, model_path, k
        As for :func:`suggest`.

    Returns
    -------
    CaseAnswer
    """
    proposed = proposed_sum(proposed)
    model = model or get_model(model_path)
    notes: list[str] = []
    if query is None:
        query, notes = without_unknown_category(draft.case.query, model.known_categories())
    offer, source = proposal(draft.case, proposed, proposed_from, use_draft=use_draft_sum)
    result = suggest(query, model=model, k=k, proposed=offer)
    return answer_of(result, query, source, draft, notes)


def check_note_path(path: Path | str) -> Path:
    """Refuse a case note's path before any work: an unknown kind or a place it cannot go.

    Parameters
    ----------
    path : path-like
        ``note.html`` or ``note.md``.

    Returns
    -------
    Path
        The path, checked (:func:`remedy_model.outputs.check_output_path`).

    Raises
    ------
    InputError
        Its suffix is neither ``.html`` nor ``.md`` (``field="note"``), or it cannot be written.
    """
    from remedy_model import notes

    notes.note_kind(path)
    return check_output_path(path, what="note")


def write_note(path: Path | str, answer: CaseAnswer, model: RemedyModel) -> Path:
    """Write a case note of ``answer``: HTML for ``.html`` / ``.htm``, Markdown for ``.md``.

    Parameters
    ----------
    path : path-like
        Where to write (through :mod:`remedy_model.outputs`: nothing is lost on failure).
    answer : CaseAnswer
        From :func:`answer` or :func:`check_draft`.
    model : RemedyModel
        The model that answered (its data version and date go into the note).

    Returns
    -------
    Path
    """
    from remedy_model import notes

    kind = notes.note_kind(path)
    text = (
        notes.note_html(answer, model.info)
        if kind == "html"
        else notes.note_markdown(answer, model.info)
    )
    return write_text(path, text)


def note_html(answer: CaseAnswer, model: RemedyModel, *, back_url: str | None = None) -> str:
    """The case note of ``answer`` as one self-contained HTML page (the web's print view).

    Parameters
    ----------
    answer : CaseAnswer
    model : RemedyModel
    back_url : str, optional
        A link back to the result, shown on screen and not in print.

    Returns
    -------
    str
    """
    from remedy_model import notes

    return notes.note_html(answer, model.info, back_url=back_url)


def build_trends(out_dir: Path | str):
    """Build the trends report on the embedded cases into ``out_dir`` (HTML, CSVs, PNGs).

    Parameters
    ----------
    out_dir : path-like
        The report's folder.

    Returns
    -------
    remedy_model.trends.report.TrendsReport
        ``html_path`` and ``csv_paths`` (table name -> file) among its fields.
    """
    return trends(out_dir)


def trends(
    out_dir: Path | str,
    *,
    cases: Sequence[Path | str] = (),
    cpi_path: Path | str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    category: str | None = None,
):
    """The trends report for policy staff (:mod:`remedy_model.trends`).

    Parameters
    ----------
    out_dir : path-like
        Folder for ``report.html``, the CSVs and the PNGs (refused if it is a file).
    cases : paths
        Case files (default: the embedded table).
    cpi_path : path, optional
        CPI table (default: the embedded one).
    year_from, year_to, category : optional
        Filters; one that leaves no case is an :class:`InputError`.

    Returns
    -------
    remedy_model.trends.report.TrendsReport
    """
    from remedy_model.trends.report import build_report

    files = list(cases) or [config.CASES_PATH]
    cpi = cpi_path or config.CPI_PATH
    return build_report(files, cpi, out_dir, year_from, year_to, category)


def audit(
    out_dir: Path | str,
    *,
    cases: Sequence[Path | str] = (),
    cpi_path: Path | str | None = None,
    folds: int = config.CV_FOLDS,
    repeats: int = config.CV_REPEATS,
    n_jobs: int = 1,
    announce: Callable[[str], None] | None = None,
):
    """The consistency audit (:mod:`remedy_model.audit`): each upheld paid case against the sum
    a model that never saw it expects.

    Parameters
    ----------
    out_dir : path-like
        Folder for ``report.html``, the CSVs and the PNGs.
    cases : paths
        Case files (default: the embedded table).
    cpi_path : path, optional
        CPI table (default: the embedded one).
    folds, repeats, n_jobs : int
        Of the grouped cross-validation (medians over repeats are reported).
    announce : callable, optional
        Told, in one line, what is about to be computed.

    Returns
    -------
    remedy_model.audit.report.AuditReport
    """
    from remedy_model.audit.report import build_audit

    files = list(cases) or [config.CASES_PATH]
    return build_audit(
        files, cpi_path or config.CPI_PATH, out_dir, folds=folds, repeats=repeats,
        n_jobs=n_jobs, announce=announce,
    )  # fmt: skip


def ingest(
    paths: Sequence[str],
    output: Path | str | None,
    *,
    sink=None,
    append: bool = False,
    text_dir: Path | None = None,
    on_file=None,
):
    """Read decision documents into case records (JSON Lines), with provenance.

    Parameters
    ----------
    paths : sequence of str
        Files and folders (.txt, .html, .pdf; folders are searched).
    output : path or None
        The JSON Lines file, written through a temporary file that replaces it only when at
        least one case was read (an existing output is never emptied for nothing); ``None``
        writes to ``sink`` instead. An output that is one of the inputs is refused.
    sink : text stream, optional
        Where records go when ``output`` is ``None`` (e.g. standard output).
    append : bool
        Add to ``output`` rather than replace it.
    text_dir : path, optional
        Also save each document's plain text here.
    on_file : callable, optional
        Told each file's :class:`~remedy_model.ingest.batch.FileRead` as it is read.

    Returns
    -------
    remedy_model.ingest.batch.IngestResult
        Files given, cases written, files skipped.
    """
    from remedy_model.ingest import batch

    files = batch.input_files(list(paths))
    if not files:
        raise InputError(f"{', '.join(paths)}: no .txt, .html or .pdf files found")
    if text_dir is not None:
        try:
            Path(text_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{text_dir}: cannot create ({exc.strerror})") from None
    result = batch.IngestResult(len(files))
    if output is None:
        return batch.ingest_to(files, sink, text_dir=text_dir, on_file=on_file, result=result)
    batch.refuse_input_as_output(Path(output), files)
    with atomic_output(output, append=append, keep=lambda: result.cases > 0) as handle:
        batch.ingest_to(files, handle, text_dir=text_dir, on_file=on_file, result=result)
    return result


def ingest_eval(gold: Path | str, docs: Path | str):
    """Score extraction against hand-coded records, field by field (``remedy ingest-eval``).

    Parameters
    ----------
    gold : path-like
        Hand-coded records (JSON Lines, each naming its document in ``doc``).
    docs : path-like
        The folder holding those documents.

    Returns
    -------
    remedy_model.ingest.evaluate.EvalReport
    """
    from remedy_model.ingest.evaluate import evaluate as evaluate_extraction

    return evaluate_extraction(gold, docs)


def fetch(cache: Path | str, *, base_url: str, min_interval: float, **options):
    """Download decision pages from the Ombudsman's site into ``cache`` (``remedy fetch``).

    Parameters
    ----------
    cache : path-like
        Folder for the pages and the state of the walk (resumable).
    base_url : str
        The site, http or https only.
    min_interval : float
        Seconds between requests: at least 1, shorter only for a server on this machine.
    **options
        ``date_from``, ``date_to``, ``since_last``, ``categories``, ``max_decisions``,
        ``agent``, ``refresh``, ``log`` of :func:`remedy_model.ingest.fetch.fetch_decisions`.

    Returns
    -------
    remedy_model.ingest.fetch.FetchResult
    """
    from remedy_model.ingest.fetch import fetch_decisions
    from remedy_model.ingest.site import checked_site

    base = checked_site(base_url, min_interval)
    return fetch_decisions(cache, base_url=base, min_interval=min_interval, **options)


def user_agent(contact: str | None = None) -> str:
    """The user agent ``remedy fetch`` sends (with an e-mail address when given).

    Parameters
    ----------
    contact : str, optional
        An e-mail address the site's operators can write to.

    Returns
    -------
    str
    """
    from remedy_model.ingest.client import user_agent as agent

    return agent(contact)


def build_corpus(cache: Path | str, output: Path | str, **options):
    """A case table from a cache of fetched decision pages (``remedy corpus build``).

    Parameters
    ----------
    cache : path-like
        The cache folder of :func:`fetch` (or any folder of decisions).
    output : path-like
        The table to write: hand-coded cases first, then the extracted ones not already there.
    **options
        ``hand_coded``, ``jobs``, ``progress`` of
        :func:`remedy_model.corpus.build.build_corpus`.

    Returns
    -------
    remedy_model.corpus.build.BuildReport
    """
    from remedy_model.corpus.build import build_corpus as build

    return build(cache, output, **options)


def figure_png(suggestion: Suggestion) -> bytes:
    """The precedents figure of an answer (the one ``remedy demo`` saves) as PNG bytes.

    Parameters
    ----------
    suggestion : Suggestion

    Returns
    -------
    bytes
        Built without pyplot's global state, so threads need no lock.
    """
    import io

    from remedy_model.figures import precedent_figure

    buffer = io.BytesIO()
    precedent_figure(suggestion).savefig(buffer, format="png")
    return buffer.getvalue()
