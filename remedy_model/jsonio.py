"""JSON in and out: one careful decoder for every reader of case records, one strict encoder.

Every reader of JSON case records (a case table, a ``--case`` file, a ``predict`` line, the web
API's body) decodes through :func:`decode`, so each refuses the same things in the same words:

- input that is not a regular file (a device, a FIFO, a folder), or larger than a stated limit
  (:func:`open_regular`, :func:`read_lines`), before anything is read;
- a line that is not UTF-8, not JSON, nested deeper than :data:`MAX_DEPTH` or longer than
  :data:`MAX_RECORD_BYTES`: one bad line, named by its number, the other lines still read;
- the non-standard tokens ``NaN`` and ``Infinity``, and numbers too large to be finite, with
  the field that holds them named.

A UTF-8 byte-order mark is accepted. :func:`dumps` and :func:`json_line` write JSON that strict
parsers accept.
"""

from __future__ import annotations

import codecs
import functools
import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from remedy_model.errors import InputError, RemedyError

MAX_DEPTH = 32
"""Deepest nesting of arrays and objects in one record; a case record needs four levels."""
MAX_RECORD_BYTES = 1 << 20
"""Longest JSON text of one case record (a line, a ``--case`` file); records are ~1 KB."""
MAX_FILE_BYTES = 256 << 20
"""Largest JSON Lines file read (about 250,000 case records)."""
MAX_DIGITS = 100
"""Longest number accepted; no field of a case needs more than a few digits."""

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonProblem(ValueError):
    """Why one JSON text could not be used; ``field`` names the place in it, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field, self.message = field, message


class _NotFinite(Exception):
    """Raised by the fast decoder's number hooks; the slow path then names the field."""


def _finite_float(token: str) -> float:
    value = float(token) if len(token) <= MAX_DIGITS else math.inf
    if not math.isfinite(value):
        raise _NotFinite
    return value


def _short_int(token: str) -> int:
    if len(token) > MAX_DIGITS:
        raise _NotFinite
    return int(token)


def _no_constant(token: str) -> float:
    raise _NotFinite


_FINITE = json.JSONDecoder(
    parse_float=_finite_float, parse_int=_short_int, parse_constant=_no_constant
)
"""The C parser with number hooks that stop at the first number with no finite value."""


class _BadNumber:
    """Stands in for a number token that has no finite value, until its field is known."""

    def __init__(self, token: str) -> None:
        self.token = token

    def describe(self) -> str:
        shown = self.token if len(self.token) <= 20 else self.token[:20] + "..."
        if self.token.lstrip("-")[:1].isdigit() and len(self.token) > MAX_DIGITS:
            return f"number longer than {MAX_DIGITS} digits ({shown})"
        return f"not a finite number ({shown})"


def size_text(n_bytes: int) -> str:
    """A byte count in words: ``'64 KB'``, ``'256 MB'``.

    >>> size_text(64 * 1024), size_text(MAX_FILE_BYTES), size_text(10)
    ('64 KB', '256 MB', '10 bytes')
    """
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:,.0f} {unit}"
    return f"{n_bytes} bytes"


def decode(data: bytes | str) -> Any:
    """Decode one JSON text strictly (see the module's docstring).

    Raises
    ------
    JsonProblem
        Not UTF-8, not JSON, nested too deeply, or holding a non-finite number (its field named).

    >>> decode(b'\\xef\\xbb\\xbf{"year": 2024}')
    {'year': 2024}
    >>> decode('{"payments": [{"amount_gbp": NaN}]}')
    Traceback (most recent call last):
    ...
    remedy_model.jsonio.JsonProblem: payments.0.amount_gbp: not a finite number (NaN)
    """
    if isinstance(data, bytes):
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = data[exc.start]
            raise JsonProblem(f"not UTF-8 text (byte {exc.start + 1} is 0x{byte:02x})") from None
    else:
        text = data.removeprefix("\ufeff")
    _check_depth(text)
    try:
        return _FINITE.decode(text)
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"not JSON ({exc.msg} at column {exc.colno})") from None
    except _NotFinite:
        return _decode_naming_the_bad_number(text)


def _decode_naming_the_bad_number(text: str) -> Any:
    """Decode a text known to hold a non-finite number, and raise naming that number's field."""
    bad: list[_BadNumber] = []

    def number(token: str, convert) -> Any:
        value = convert(token) if len(token) <= MAX_DIGITS else math.inf
        if isinstance(value, float) and not math.isfinite(value):
            bad.append(_BadNumber(token))
            return bad[-1]
        return value

    try:
        value = json.loads(
            text,
            parse_float=lambda t: number(t, float),
            parse_int=lambda t: number(t, int),
            parse_constant=lambda t: number(t, float),
        )
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"not JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:  # pragma: no cover - _check_depth refuses such texts first
        raise JsonProblem(f"nested deeper than {MAX_DEPTH} levels") from None
    if bad:
        raise JsonProblem(bad[0].describe(), _find(value, bad[0]) or None)
    return value


def _check_depth(text: str) -> None:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise JsonProblem(f"nested deeper than {MAX_DEPTH} levels")


def _find(value: Any, target: _BadNumber, path: str = "") -> str | None:
    """The dotted path of ``target`` in a decoded value (depth is bounded by MAX_DEPTH)."""
    if value is target:
        return path
    if isinstance(value, dict):
        pairs: Any = value.items()
    elif isinstance(value, list):
        pairs = enumerate(value)
    else:
        return None
    for key, item in pairs:
        found = _find(item, target, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def open_regular(
    path: Path | str,
    *,
    what: str = "a JSON file",
    limit: int = MAX_FILE_BYTES,
    error: type[RemedyError] = InputError,
) -> BinaryIO:
    """Open a regular file for reading in binary, refusing anything else before reading.

    A FIFO is opened without waiting for a writer, so it is refused rather than hung on.

    Parameters
    ----------
    path : path-like
        The file to read.
    what : str
        What the file should be, for the messages ("a JSON Lines file").
    limit : int
        Largest size accepted, in bytes.
    error : RemedyError subclass
        The error raised (``DataError`` for tables, ``InputError`` for queries).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    problem = None
    if stat.S_ISDIR(info.st_mode):
        problem = f"is a folder, expected {what}"
    elif not stat.S_ISREG(info.st_mode):
        problem = f"is not a regular file (a device, FIFO or socket), expected {what}"
    elif info.st_size > limit:
        problem = f"is {size_text(info.st_size)}, more than the {size_text(limit)} limit"
    if problem:
        os.close(fd)
        raise error(f"{path}: {problem}")
    return os.fdopen(fd, "rb")


def read_lines(
    handle: BinaryIO,
    path: Path | str,
    *,
    limit: int = MAX_FILE_BYTES,
    line_limit: int = MAX_RECORD_BYTES,
    error: type[RemedyError] = InputError,
) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line number, bytes)`` for every line, ``None`` for a line over ``line_limit``.

    Lines end at ``\\n`` only; at most ``line_limit`` bytes of a line are held in memory. A
    file that grows past ``limit`` while it is read raises ``error``.
    """
    total = 0
    number = 0
    while True:
        line = handle.readline(line_limit + 1)
        if not line:
            return
        number += 1
        total += len(line)
        too_long = len(line) > line_limit and not line.endswith(b"\n")
        while too_long and line and not line.endswith(b"\n") and total <= limit:
            line = handle.readline(1 << 16)
            total += len(line)
        if total > limit:
            raise error(f"{path}: more than the {size_text(limit)} limit; split the file")
        yield number, None if too_long else line


def too_long_message(line_limit: int = MAX_RECORD_BYTES) -> str:
    """What a line longer than the limit is told."""
    return f"line longer than the {size_text(line_limit)} limit for one case record"


def finite(value: Any) -> Any:
    """``value`` with every non-finite float (NaN, infinity) replaced by ``None``.

    >>> finite({"a": [1.5, float("nan")], "b": float("inf")})
    {'a': [1.5, None], 'b': None}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value


def plain(value: Any) -> Any:
    """A tree of dataclasses, lists and dicts as plain dicts and lists, without copying leaves.

    :func:`dataclasses.asdict` deep-copies every value; answers hold only numbers, text and
    containers, so this walk is all a JSON answer needs (and several times faster).

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Point:
    ...     x: float
    ...     tags: list
    >>> plain({"p": Point(1.0, ["a"])})
    {'p': {'x': 1.0, 'tags': ['a']}}
    """
    if hasattr(value, "__dataclass_fields__"):
        return {name: plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def json_line(value: Any) -> str:
    """One compact JSON Lines record, as strict as :func:`dumps` (``NaN`` becomes ``null``).

    Written by orjson, about eight times faster than :func:`json.dumps`, for outputs of many
    lines (``predict``); values it cannot encode are written as text.

    >>> json_line({"high": float("nan"), "refs": ["21 000 001"]})
    '{"high":null,"refs":["21 000 001"]}\\n'
    """
    return _line_writer()(value).decode()


@functools.cache
def _line_writer() -> Callable[[Any], bytes]:
    import orjson  # imported on first use: it takes 30 ms, which a single answer need not pay

    options = orjson.OPT_APPEND_NEWLINE | orjson.OPT_SERIALIZE_NUMPY
    return functools.partial(orjson.dumps, default=str, option=options)


def dumps(value: Any, **options: Any) -> str:
    """JSON that strict parsers accept: no ``NaN`` or ``Infinity`` (they become ``null``).

    Other options are those of :func:`json.dumps`; values it cannot encode (dates, paths)
    are written as text.

    >>> dumps({"high": float("inf"), "year": 2024})
    '{"high": null, "year": 2024}'
    """
    options.setdefault("default", str)
    try:
        return json.dumps(value, allow_nan=False, **options)
    except ValueError:  # a non-finite float somewhere: replace it (rare, so checked only then)
        return json.dumps(finite(value), allow_nan=False, **options)
