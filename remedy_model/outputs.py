"""Write output files without ever losing what was there: a temporary file, then a rename.

Every file the package writes for a user (predictions, ingested cases, model files, reports)
goes through :func:`atomic_output`, so

- something that is not a regular file (``/dev/null``, a folder, a FIFO) is refused, never
  replaced by a file;
- a missing folder is an error naming it, never created silently;
- the new content appears only when it is complete (or, when asked, only when there is some),
  and an interrupted run leaves the old file as it was and no temporary file behind;
- the file gets the permissions the user's umask gives, like any file the user creates.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from remedy_model.errors import InputError


def check_output_path(path: Path | str, *, what: str = "output") -> Path:
    """Refuse an output path that cannot take a regular file; return it as a ``Path``.

    >>> check_output_path("/dev/null")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    remedy_model.errors.InputError: /dev/null: output exists and is not a regular file; ...
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        kind = "a folder" if path.is_dir() else "not a regular file"
        raise InputError(f"{path}: {what} exists and is {kind}; give a file path")
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"{path}: folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{path}: folder {parent} is not writable")
    return path


@contextlib.contextmanager
def atomic_path(
    path: Path | str,
    *,
    append: bool = False,
    keep: Callable[[], bool] | None = None,
    what: str = "output",
) -> Iterator[Path]:
    """Give a temporary path beside ``path``; move it onto ``path`` when the block ends.

    Parameters
    ----------
    path : path-like
        The file to write; refused when it exists and is not a regular file.
    append : bool
        The temporary file starts as a copy of the existing file, so the block adds to it.
    keep : callable, optional
        Asked when the block ends (normally or not): the temporary file replaces ``path`` only
        if it returns True. Without it, only when the block succeeds.
    what : str
        Names the file in error messages ("output", "model file", ...).
    """
    path = check_output_path(path, what=what)
    tmp = _temporary_name(path)
    done = False
    try:  # the name is known before the file exists: an interruption never orphans it
        _create(tmp, path)
        if append and path.exists():
            shutil.copyfile(path, tmp)
        try:
            yield tmp
        except BaseException:
            done = keep is not None and keep()
            raise
        done = keep() if keep is not None else True
    finally:
        if done:
            _move_into_place(tmp, path)
        elif tmp.exists():
            tmp.unlink()


def _temporary_name(path: Path) -> Path:
    """A hidden name beside ``path`` that no file has yet."""
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        if not tmp.exists():
            return tmp


def _create(tmp: Path, path: Path) -> None:
    """Create ``tmp`` empty with the mode the umask gives (0666 masked, like any new file)."""
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"{path}: cannot write in folder {path.parent} ({reason})") from None


@contextlib.contextmanager
def atomic_output(
    path: Path | str,
    *,
    mode: str = "w",
    append: bool = False,
    keep: Callable[[], bool] | None = None,
    what: str = "output",
) -> Iterator[IO]:
    """Open a temporary file beside ``path`` (text, UTF-8, or ``mode="wb"``) that replaces
    ``path`` when the block ends; the options are those of :func:`atomic_path`."""
    with atomic_path(path, append=append, keep=keep, what=what) as tmp:
        encoding = None if "b" in mode else "utf-8"
        with tmp.open("ab" if "b" in mode else "a", encoding=encoding) as handle:
            yield handle


def _move_into_place(tmp: Path, path: Path) -> None:
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        tmp.unlink()
        raise InputError(f"{path}: output became something other than a regular file")
    try:
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink()
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def write_text(path: Path | str, text: str, *, what: str = "output") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_output`)."""
    with atomic_output(path, what=what) as handle:
        handle.write(text)
    return Path(path)


def write_bytes(path: Path | str, data: bytes, *, what: str = "output") -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_output`)."""
    with atomic_output(path, mode="wb", what=what) as handle:
        handle.write(data)
    return Path(path)
