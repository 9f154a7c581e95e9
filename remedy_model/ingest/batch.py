"""Many documents to case records: the files to read, one outcome per file, written as read.

A file that holds no decision, cannot be read, or trips a bug is one skipped file with its
reason; the batch goes on. Records are written and flushed as each file is read, so a later
failure loses nothing already read.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from remedy_model.errors import InputError, RemedyError


@dataclass
class FileRead:
    """What one document gave: its case records, or why it was skipped."""

    path: str
    records: list[dict] = field(default_factory=list)
    kind: str | None = None
    """The kind of document read ("statement", "report", "review", "digest")."""
    error: str | None = None

    @property
    def labels(self) -> list[str]:
        return [r["case_label"] for r in self.records if r.get("case_label")]


@dataclass
class IngestResult:
    """Counts of a batch: files given, cases written, files skipped."""

    files: int
    cases: int = 0
    skipped: int = 0


def input_files(paths: list[str]) -> list[str]:
    """Files to read: each file as given, and the supported files under each folder (sorted,
    hidden files left out). Paths are returned as the user spelled them (joined for folders).
    """
    from remedy_model.ingest.text import SUFFIX_KINDS

    out: list[str] = []
    for given in paths:
        p = Path(given)
        if not p.is_dir():
            out.append(given)
            continue
        found = sorted(
            q
            for q in p.rglob("*")
            if q.is_file()
            and q.suffix.lower() in SUFFIX_KINDS
            and not any(part.startswith(".") for part in q.relative_to(p).parts)
        )
        out.extend(str(q) for q in found)
    return out


def refuse_input_as_output(output: Path, files: list[str]) -> None:
    """Raise :class:`InputError` when ``output`` is one of the documents to read."""
    if not output.exists():
        return
    for name in files:
        with contextlib.suppress(OSError):
            if os.path.samefile(name, output):
                raise InputError(f"{output}: output is one of the inputs; choose another file")


def read_files(files: list[str], *, text_dir: Path | None = None) -> Iterator[FileRead]:
    """Read each file into case records (saving its plain text under ``text_dir`` if given)."""
    from remedy_model.ingest.document import extract_cases
    from remedy_model.ingest.text import load_text

    for name in files:
        try:
            document = load_text(name)
            if text_dir is not None:
                (text_dir / (Path(name).name + ".txt")).write_text(document.text, "utf-8")
            found = extract_cases(document)
        except RemedyError as exc:
            yield FileRead(name, error=str(exc))
            continue
        except Exception as exc:  # a bug on one file must not lose the batch
            why = f"{name}: unexpected error ({type(exc).__name__}: {exc}); please report it"
            yield FileRead(name, error=why)
            continue
        yield FileRead(name, [item.record for item in found], found[0].kind)


def ingest_to(
    files: list[str],
    sink: TextIO,
    *,
    text_dir: Path | None = None,
    on_file: Callable[[FileRead], None] | None = None,
    result: IngestResult | None = None,
) -> IngestResult:
    """Write the case records of ``files`` to ``sink`` (JSON Lines, flushed per file).

    Parameters
    ----------
    files : list of str
        Documents to read (:func:`input_files`).
    sink : text stream
        Where the records go.
    text_dir : path, optional
        Also save each document's plain text here (provenance offsets index it).
    on_file : callable, optional
        Told the outcome of each file as it is read.
    result : IngestResult, optional
        Counts kept up to date as files are read (so an interrupted caller knows them).

    Returns
    -------
    IngestResult
    """
    result = result or IngestResult(len(files))
    for read in read_files(files, text_dir=text_dir):
        if read.error is not None:
            result.skipped += 1
        for record in read.records:
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        sink.flush()
        result.cases += len(read.records)
        if on_file:
            on_file(read)
    return result
