"""Build a case table from a cache of decision pages: ingest, dedupe, merge, report.

The table written holds the hand-coded cases first, unchanged, then every extracted case whose
reference is new: an extracted case whose reference the hand-coded table holds is dropped
(hand-coded wins), and of two extracted cases with one reference the first (in file order) is
kept. Extracted cases without a reference cannot be matched and are dropped too. Every extracted
case is recognisable: ``source_kind`` "ingested", ``source_doc`` its page, and in each
provenance entry how the value was found (``method``) and its ``confidence`` (see
:mod:`remedy_model.ingest.document`).

It streams: documents are read one at a time (in ``jobs`` worker processes), each case is
written as soon as it is read, and only the references seen are held in memory. The output is
written through :func:`remedy_model.outputs.atomic_output`, so it replaces an existing file
only when the build completes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from remedy_model import config
from remedy_model.dataset import read_cases
from remedy_model.errors import DataError, InputError, RemedyError
from remedy_model.jsonio import open_regular, read_lines
from remedy_model.outputs import atomic_output

Read = tuple[str, object]
"""What a worker returns for a document: ("ok", cases) or (reason it was skipped, message)."""


@dataclass
class BuildReport:
    """What a build did, for the user and for tests."""

    documents: int = 0
    cases_read: int = 0
    skipped: Counter = field(default_factory=Counter)
    skipped_example: dict[str, str] = field(default_factory=dict)
    dropped: Counter = field(default_factory=Counter)
    hand_coded: int = 0
    hand_coded_errors: list[str] = field(default_factory=list)
    added: int = 0
    added_visible: int = 0
    added_paid: int = 0
    added_symbolic_gbp: float = 0.0

    @property
    def written(self) -> int:
        """Cases in the table written."""
        return self.hand_coded + self.added

    def lines(self, cache: str, output: str) -> list[str]:
        """The summary printed by ``remedy corpus build``."""
        out = [f"read {self.documents:,} documents in {cache}: {self.cases_read:,} cases"]
        if self.skipped:
            n = sum(self.skipped.values())
            out.append(f"skipped {n:,} document{'s' if n != 1 else ''}:")
            for reason, n in self.skipped.most_common():
                out.append(f"  {reason}: {n:,} (e.g. {self.skipped_example[reason]})")
        if self.dropped:
            out.append(f"dropped {sum(self.dropped.values()):,} extracted cases:")
            out.extend(f"  {n:,} {why}" for why, n in self.dropped.most_common())
        out.append(f'added {self.added:,} extracted cases (source_kind "ingested"):')
        out.append(
            f"  {self.added_visible:,} with a visible remedy, {self.added_paid:,} with a "
            f"symbolic sum (£{self.added_symbolic_gbp:,.0f} in all)"
        )
        out.append(f"  {self.added - self.added_visible:,} with the remedy not visible")
        out.append(
            f"wrote {self.written:,} cases to {output}: {self.hand_coded:,} hand-coded + "
            f"{self.added:,} extracted"
        )
        out.extend(f"hand-coded table: skipped {e}" for e in self.hand_coded_errors[:10])
        return out


def build_corpus(
    cache: str | Path,
    output: str | Path,
    *,
    hand_coded: str | Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Ingest ``cache`` and write the merged case table to ``output``.

    Parameters
    ----------
    cache
        A folder of decision pages (``remedy fetch``'s cache) or other documents.
    output
        The JSON Lines table to write (atomically).
    hand_coded
        The hand-coded table (default: the embedded ``data/raw/cases.jsonl``).
    jobs
        Worker processes reading documents (default: the machine's cores).
    progress
        Called as ``progress(documents_done, documents_total)`` every few hundred documents.

    Returns
    -------
    BuildReport
        Counts of documents, cases, skips with their reasons, drops and additions.
    """
    from remedy_model.ingest.batch import input_files, refuse_input_as_output

    cache = Path(cache)
    if not cache.is_dir():
        raise InputError(f"{cache}: not a folder; give the cache folder of `remedy fetch`")
    files = input_files([str(cache)])
    if not files:
        raise InputError(f"{cache}: no .html, .txt or .pdf files found")
    refuse_input_as_output(Path(output), files)
    report = BuildReport()
    with atomic_output(output) as sink:
        known = _copy_hand_coded(Path(hand_coded or config.CASES_PATH), sink, report)
        seen: set[str] = set()
        for done, (path, read) in enumerate(_read_all(files, jobs), start=1):
            _add_document(path, read, sink, known, seen, report)
            if progress and done % 500 == 0 and done < len(files):
                progress(done, len(files))
    return report


def _copy_hand_coded(path: Path, sink, report: BuildReport) -> set[str]:
    """Write the hand-coded table's valid lines unchanged; return their references."""
    loaded = read_cases(path)
    valid = set(loaded.lines)
    with open_regular(path, what="a JSON Lines file", error=DataError) as handle:
        for number, line in read_lines(handle, path, error=DataError):
            if number in valid and line is not None:
                sink.write(line.decode("utf-8").lstrip("\ufeff").rstrip("\r\n") + "\n")
    report.hand_coded = len(valid)
    report.hand_coded_errors = [str(e) for e in loaded.errors]
    return {case.case_ref for case in loaded.cases if case.case_ref}


def _add_document(path: str, read: Read, sink, known: set, seen: set, report) -> None:
    """Count one document's outcome and write its new cases."""
    report.documents += 1
    status, payload = read
    if status != "ok":
        report.skipped[status] += 1
        report.skipped_example.setdefault(status, str(payload))
        return
    for ref, line, visible, symbolic in payload:  # type: ignore[union-attr]
        report.cases_read += 1
        why = _drop_reason(ref, known, seen)
        if why:
            report.dropped[why] += 1
            continue
        seen.add(ref)
        sink.write(line + "\n")
        report.added += 1
        report.added_visible += bool(visible)
        report.added_paid += bool(visible and symbolic > 0)
        report.added_symbolic_gbp += symbolic if visible else 0.0


def _drop_reason(ref: str | None, known: set, seen: set) -> str | None:
    if ref is None:
        return "without a reference"
    if ref in known:
        return "already hand-coded (hand-coded wins)"
    if ref in seen:
        return "duplicates by reference"
    return None


def _read_all(files: list[str], jobs: int | None) -> Iterator[tuple[str, Read]]:
    """(path, what was read) for every file, in order, read by ``jobs`` processes."""
    jobs = max(1, jobs or config.usable_cores())
    if jobs == 1 or len(files) < 50:
        yield from zip(files, map(read_one, files), strict=True)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from zip(files, pool.imap(read_one, files, chunksize=16), strict=True)


def read_one(path: str) -> Read:
    """Ingest one document: ("ok", [(ref, JSON line, remedy visible, symbolic sum), ...]) or
    (why it was skipped, the one-line message)."""
    from remedy_model.ingest.document import NotADecisionError, read_document

    try:
        found = read_document(path)
    except NotADecisionError as exc:
        return "not a decision", str(exc)
    except RemedyError as exc:
        return "unreadable", str(exc)
    except Exception as exc:  # a bug on one page must not lose the build
        return "unexpected error (please report it)", f"{path}: {type(exc).__name__}: {exc}"
    return "ok", [
        (
            item.record.get("case_ref"),
            json.dumps(item.record, ensure_ascii=False),
            bool(item.record.get("remedy_visible")),
            float(item.record.get("symbolic_total_gbp") or 0),
        )
        for item in found
    ]
