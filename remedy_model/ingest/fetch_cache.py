"""The fetch cache on disk: decision pages, the listing walked so far, the runs completed.

Layout of a cache folder::

    CACHE/<category>/<NN-NNN-NNN>.html      one decision page, as the site sent it
    CACHE/.fetch/windows/<from>_<to>.json   one date window of the listing: its total, the
                                            pages walked, the decisions found, complete or not
    CACHE/.fetch/runs.jsonl                 one line per completed run (for --since-last)
    CACHE/.fetch/manifest.jsonl             one line per page saved: address, file, time

``remedy ingest CACHE`` and ``remedy corpus build CACHE`` read the pages and skip the hidden
``.fetch`` folder. Every file is written to a temporary file and renamed
(:mod:`remedy_model.outputs`), so an interruption leaves no half page and no half state; the
state of a window is saved after each listing page, so a run resumes where the last stopped.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from remedy_model.errors import InputError
from remedy_model.ingest.site import Decision
from remedy_model.outputs import write_bytes, write_text

Window = tuple[dt.date, dt.date]


@dataclass
class WindowState:
    """How far the listing of one date window has been walked."""

    base: str
    total: int | None = None
    pages_done: int = 0
    decisions: list[dict[str, str]] = field(default_factory=list)
    complete: bool = False

    def found(self) -> list[Decision]:
        """The decisions found so far, in listing order."""
        return [Decision(**item) for item in self.decisions]


class FetchCache:
    """A cache folder: pages by category and reference, state under ``.fetch``."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.state = self.folder / ".fetch"
        try:
            (self.state / "windows").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{folder}: cannot create the cache folder ({exc.strerror})") from None

    def page_path(self, decision: Decision) -> Path:
        """Where a decision page is kept."""
        return self.folder / decision.file_name

    def has_page(self, decision: Decision) -> bool:
        """True when the page was saved by an earlier run."""
        return self.page_path(decision).is_file()

    def save_page(self, decision: Decision, body: bytes) -> Path:
        """Save a page (atomically) and note it in the manifest."""
        path = self.page_path(decision)
        path.parent.mkdir(exist_ok=True)
        write_bytes(path, body, what="cached page")
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        line = {"url": decision.url, "file": decision.file_name, "fetched": stamp}
        with open(self.state / "manifest.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")
        return path

    def _window_path(self, window: Window) -> Path:
        return self.state / "windows" / f"{window[0].isoformat()}_{window[1].isoformat()}.json"

    def window(self, window: Window, base: str) -> WindowState:
        """The saved state of a window for this site, or a fresh one."""
        path = self._window_path(window)
        try:
            state = WindowState(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return WindowState(base)
        return state if state.base == base else WindowState(base)

    def save_window(self, window: Window, state: WindowState) -> None:
        """Save a window's state (atomically)."""
        write_text(self._window_path(window), json.dumps(asdict(state)), what="fetch state")

    def last_run(self) -> dict | None:
        """The last completed run (``from``, ``to``, ``categories``, ``base``), or ``None``."""
        path = self.state / "runs.jsonl"
        if not path.is_file():
            return None
        last = None
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                last = json.loads(line)
            except ValueError:
                continue
        return last if isinstance(last, dict) else None

    def record_run(self, date_from: dt.date, date_to: dt.date, categories, base: str) -> None:
        """Note a completed run, for ``--since-last``."""
        line = {
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "categories": list(categories),
            "base": base,
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        with open(self.state / "runs.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")
