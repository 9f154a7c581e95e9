"""Batch answers of a JSON Lines file, line for line, in this process or in worker processes.

The file's lines are read in chunks; each chunk is parsed
(:func:`~remedy_model.query.query_of_line`), checked, answered
(:func:`~remedy_model.suggest.predict_rows`) and turned into its output text, and the texts are
written in input order. With ``jobs`` above 1 and more than one chunk, the chunks go to forked
worker processes that share the loaded model (built in full and frozen out of the garbage
collector's reach first, so the workers neither rebuild nor copy it); the output is the same
byte for byte. Answering runs with one BLAS thread: its matrix products are small, and idle
BLAS threads spin, doubling the processor time without shortening the wall time (and crowding
the workers).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TextIO

from threadpoolctl import threadpool_limits

from remedy_model import config, jsonio
from remedy_model.errors import InputError
from remedy_model.modeling.bundle import RemedyModel
from remedy_model.query import query_of_line
from remedy_model.records import Case
from remedy_model.suggest import predict_rows, resolve_category

CHUNK_LINES = 1000
"""Input lines answered together (one vectorised pass, one worker task)."""
Line = tuple[int, bytes | None]


@dataclass
class ChunkAnswer:
    """One chunk's output text and counts."""

    text: str
    n_lines: int
    n_predicted: int
    errors: list[tuple[int, str]] = field(default_factory=list)


def answer_chunk(model: RemedyModel, lines: list[Line], k: int) -> ChunkAnswer:
    """Parse, check and answer one chunk of input lines into its output lines.

    Parameters
    ----------
    model : RemedyModel
    lines : list of (line number, bytes or None)
        Raw lines (``None`` for one over the length limit).
    k : int
        Precedents per answer.

    Returns
    -------
    ChunkAnswer
        One output line per input line: the answer, or ``{"line", "error"}``.
    """
    known = model.known_categories()
    items = [(number, _checked(query_of_line(line), known)) for number, line in lines]
    answers = iter(predict_rows(model, [i for _, i in items if isinstance(i, Case)], k=k))
    out, errors = [], []
    for number, item in items:
        if isinstance(item, InputError):
            errors.append((number, str(item)))
            record = {"line": number, "error": str(item)}
        else:
            record = {"line": number, **next(answers)}
        out.append(jsonio.json_line(record))
    return ChunkAnswer("".join(out), len(items), len(items) - len(errors), errors)


def _checked(item: Case | InputError, known) -> Case | InputError:
    """A parsed line with its category checked, or the line's error in its place."""
    if not isinstance(item, Case):
        return item
    try:
        return resolve_category(item, known)
    except InputError as exc:
        return exc


def chunks(lines: Iterable[Line], size: int = CHUNK_LINES) -> Iterator[list[Line]]:
    """The lines in lists of ``size``."""
    chunk: list[Line] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_WORKER_MODEL: RemedyModel | None = None
"""The model of a worker process (inherited from the parent when the pool forks)."""


def _worker_chunk(lines: list[Line], k: int) -> ChunkAnswer:
    assert _WORKER_MODEL is not None
    return answer_chunk(_WORKER_MODEL, lines, k)


def answer_lines(
    model: RemedyModel,
    lines: Iterable[Line],
    out: TextIO,
    *,
    k: int,
    jobs: int | None = 1,
    progress: Callable[[int], None] | None = None,
) -> list[ChunkAnswer]:
    """Answer every line and write the output in input order.

    Parameters
    ----------
    model : RemedyModel
    lines : iterable of (line number, bytes or None)
    out : text stream
    k : int
        Precedents per answer.
    jobs : int or None
        Processes answering; ``None``: one per usable core. Above 1 (and where the system can
        fork), chunks are answered in forked workers sharing the loaded model; an input of one
        chunk is answered in this process.
    progress : callable, optional
        Called after each chunk with its number of lines.

    Returns
    -------
    list of ChunkAnswer
        Their texts emptied once written; the counts and errors of each chunk.
    """
    jobs = min(config.MAX_JOBS, jobs or config.usable_cores())
    done = []
    with threadpool_limits(limits=1, user_api="blas"):
        for answer in _answers(model, chunks(lines), k, jobs):
            out.write(answer.text)
            answer.text = ""
            done.append(answer)
            if progress:
                progress(answer.n_lines)
    return done


def _answers(model, pieces: Iterator[list[Line]], k: int, jobs: int) -> Iterator[ChunkAnswer]:
    opening = list(itertools.islice(pieces, 2))
    pieces = itertools.chain(opening, pieces)
    if len(opening) < 2 or jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for piece in pieces:
            yield answer_chunk(model, piece, k)
        return
    yield from _answers_in_workers(model, pieces, k, jobs)


def _answers_in_workers(model, pieces: Iterator[list[Line]], k: int, jobs: int):
    global _WORKER_MODEL
    _WORKER_MODEL = model.warm()
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start)
    gc.freeze()  # the workers' collections then leave the shared heap's pages uncopied
    try:
        with _stops_held():  # the workers are forked at the first submit
            pending = [pool.submit(_worker_chunk, next(pieces), k)]
        for piece in pieces:
            pending.append(pool.submit(_worker_chunk, piece, k))
            while len(pending) > 2 * jobs:  # bounded memory: write as results come back
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
    finally:  # a stop (SIGTERM, Ctrl+C) drops the queued chunks rather than answering them
        pool.shutdown(cancel_futures=True)
        gc.unfreeze()
        _WORKER_MODEL = None


STOPS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _stops_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while worker processes are forked, then deliver them.

    Python ignores an exception raised by a signal handler inside the fork's own bookkeeping,
    so a stop arriving then was lost and the batch ran to the end (main thread only).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {stop: signal.signal(stop, lambda signum, _: held.append(signum)) for stop in STOPS}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
        for stop in dict.fromkeys(held):
            signal.raise_signal(stop)


def _worker_start() -> None:
    """In a worker: Ctrl+C is left to the parent, which stops the pool; SIGTERM ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
