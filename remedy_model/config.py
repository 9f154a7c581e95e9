"""Paths and constants, nothing else.

Step functions take paths as arguments; these are only the defaults the CLI and API fall back on.

- The embedded data (case table, codebook, CPI series) ships inside the package as
  ``remedy_model._data`` (the project's top-level ``data/`` folder, mapped by pyproject.toml)
  and is found through :mod:`importlib.resources`, in an editable install and a wheel alike.
- Models and reports go under :data:`HOME_DIR`: ``REMEDY_HOME`` when set; else the source
  checkout the package runs from (an editable install), when it is writable; else the user data
  folder, ``$XDG_DATA_HOME/remedy_model`` or ``~/.local/share/remedy_model``.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The source checkout when running from one (it then holds ``pyproject.toml``)."""

_ENV_HOME = os.environ.get("REMEDY_HOME", "")


def _user_data_dir() -> Path:
    """The XDG user data folder for this package (a relative XDG_DATA_HOME is ignored)."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / "remedy_model"


def _home() -> tuple[Path, str]:
    """The folder for models and reports, and why it was chosen."""
    if _ENV_HOME:
        return Path(_ENV_HOME).resolve(), "REMEDY_HOME"
    if (PROJECT_ROOT / "pyproject.toml").is_file() and os.access(PROJECT_ROOT, os.W_OK):
        return PROJECT_ROOT, "source checkout"
    return _user_data_dir(), "user data folder"


def _data_dir() -> Path:
    """``REMEDY_HOME/data`` when it holds a case table, else the package's embedded data."""
    if _ENV_HOME and (Path(_ENV_HOME) / "data" / "raw" / "cases.jsonl").is_file():
        return Path(_ENV_HOME).resolve() / "data"
    # A real folder: pip installs packages unzipped, so the traversable is a filesystem path.
    return Path(str(files("remedy_model._data")))


HOME_DIR, HOME_SOURCE = _home()
"""Where models and reports are written, and why (``REMEDY_HOME``, ``source checkout`` or
``user data folder``)."""

DATA_DIR = _data_dir()
CASES_PATH = DATA_DIR / "raw" / "cases.jsonl"
CODEBOOK_PATH = DATA_DIR / "raw" / "CODEBOOK.md"
CPI_PATH = DATA_DIR / "external" / "cpi_uk_annual.csv"
CPI_SOURCE_PATH = DATA_DIR / "external" / "cpi_uk_annual.SOURCE.md"

MODELS_DIR = HOME_DIR / "models"
DEFAULT_MODEL_PATH = MODELS_DIR / "remedy.npz"
REPORTS_DIR = HOME_DIR / "reports"
DEMO_DIR = REPORTS_DIR / "demo"

EARLIEST_YEAR = 2000
"""Years before this are refused: the Ombudsman's published decisions start later."""

INTERVAL_LEVEL = 0.80
"""Nominal coverage of the payment range (low to high)."""

DEFAULT_K = 5
"""Precedents shown by default."""

RANDOM_STATE = 0
CV_FOLDS = 5
CV_REPEATS = 3

OUTLIER_PERCENTILE = 10.0
"""A proposed sum below this percentile, or above 100 minus it, of the precedents is flagged."""


MAX_JOBS = 32
"""Most processes a command's ``--jobs`` may start."""


def usable_cores() -> int:
    """The processor cores this process may run on (its affinity, else the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
