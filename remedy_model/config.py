"""Paths and constants, nothing else.

Step functions take paths as arguments; these are only the defaults the CLI and API fall back on.
The project root is found from the package location (an editable install or a source checkout);
``REMEDY_HOME`` overrides it, e.g. for an installed package used from another folder.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("REMEDY_HOME", Path(__file__).resolve().parent.parent))

DATA_DIR = PROJECT_ROOT / "data"
CASES_PATH = DATA_DIR / "raw" / "cases.jsonl"
CPI_PATH = DATA_DIR / "external" / "cpi_uk_annual.csv"

MODELS_DIR = PROJECT_ROOT / "models"
DEFAULT_MODEL_PATH = MODELS_DIR / "remedy.npz"
REPORTS_DIR = PROJECT_ROOT / "reports"
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
