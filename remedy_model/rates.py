"""What a month of lost care, respite or education was worth: the one definition of the rate.

For each purpose of :data:`~remedy_model.records.RATE_PURPOSES`, a case's *per-month rate* is
the total of its symbolic payments for that purpose divided by the months the fault lasted
(``duration_months``), in today's money (the CPI's latest year). A case has no rate for a
purpose (NaN) when its remedy is not visible, it has no payment of that purpose (or only £0),
or its duration is unknown or zero. The trends report and the suggestion both read the rate
from here, so the two never disagree.

This module sits beside :mod:`remedy_model.dataset`: it reads the frame of
:func:`~remedy_model.dataset.cases_frame` and knows nothing of features or models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from remedy_model.records import RATE_PURPOSES

if TYPE_CHECKING:  # pandas is imported where a frame is built, so answers stay light
    import pandas as pd

BOOTSTRAP_LEVEL = 0.90
"""Coverage of the bootstrap interval of a median rate."""
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0
_CHUNK_CELLS = 1_000_000
"""Resampled values drawn at once, so memory stays bounded however many cases there are."""

SUMMARY_COLUMNS = [
    "purpose",
    "label",
    "n_paid",
    "n",
    "median",
    "q1",
    "q3",
    "median_low",
    "median_high",
]


def monthly_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """The per-month rate of every case for each purpose, in today's money.

    Parameters
    ----------
    frame : DataFrame
        The output of :func:`remedy_model.dataset.cases_frame` (any subset of its rows); it
        needs ``<purpose>_gbp``, ``duration_months`` and ``today_factor``.

    Returns
    -------
    DataFrame
        Same index as ``frame``, one float column per purpose of
        :data:`~remedy_model.records.RATE_PURPOSES` (``loss_of_service``, ``lost_respite``,
        ``lost_education``): pounds per month of the fault, today's money; NaN where the
        case has no rate for that purpose (see the module docstring).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"loss_of_service_gbp": [1200.0, 900.0, None],
    ...     "lost_respite_gbp": [None, 300.0, None], "lost_education_gbp": [None] * 3,
    ...     "duration_months": [12.0, 0.0, 6.0], "today_factor": [1.5, 1.0, 1.0]})
    >>> monthly_rates(frame)["loss_of_service"].tolist()
    [150.0, nan, nan]
    """
    import pandas as pd

    def column(name: str) -> np.ndarray:
        return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)

    months, factor = column("duration_months"), column("today_factor")
    rates = {p: per_month(column(f"{p}_gbp") * factor, months) for p in RATE_PURPOSES}
    return pd.DataFrame(rates, index=frame.index, dtype=float)


def per_month(amount_today: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Sum per month of a lost service; NaN without a sum above £0 or a duration above 0.

    The arithmetic of :func:`monthly_rates`, on plain arrays (the suggestion's reference view
    uses it on the nearest precedents).

    >>> per_month(np.array([600.0, 300.0, np.nan]), np.array([3.0, 0.0, 2.0]))
    array([200.,  nan,  nan])
    """
    amount, months = np.asarray(amount_today, dtype=float), np.asarray(months, dtype=float)
    usable = (amount > 0) & (months > 0)
    return np.where(usable, amount / np.where(usable, months, 1.0), np.nan)


def bootstrap_median(
    values: np.ndarray | pd.Series,
    *,
    level: float = BOOTSTRAP_LEVEL,
    n_resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """A percentile bootstrap interval of the median, seeded so it is the same every run.

    NaN values are ignored; with fewer than 2 values the interval is (NaN, NaN).

    >>> bootstrap_median([80.0, 100.0, 120.0, 150.0, 160.0, 200.0, 400.0], seed=1)
    (100.0, 200.0)
    """
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    if len(data) < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    step = max(1, _CHUNK_CELLS // len(data))
    medians = [
        np.median(data[rng.integers(0, len(data), (min(step, n_resamples - start), len(data)))], 1)
        for start in range(0, n_resamples, step)
    ]
    tail = (1 - level) / 2
    low, high = np.quantile(np.concatenate(medians), [tail, 1 - tail])
    return float(low), float(high)


def rate_summary(
    frame: pd.DataFrame,
    *,
    level: float = BOOTSTRAP_LEVEL,
    n_resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> pd.DataFrame:
    """Median, quartiles and a bootstrap interval of the median rate, per purpose.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`remedy_model.dataset.cases_frame` (e.g. upheld precedents only).
    level, n_resamples, seed
        Of the percentile bootstrap (:func:`bootstrap_median`).

    Returns
    -------
    DataFrame
        One row per purpose, in the order of :data:`~remedy_model.records.RATE_PURPOSES`:
        ``purpose``, ``label`` (plain words), ``n_paid`` (cases with a payment of that
        purpose), ``n`` (of those, with a known duration above 0: the rate's cases),
        ``median``, ``q1``, ``q3`` and ``median_low`` / ``median_high`` (the interval of the
        median), all pounds per month in today's money (NaN without cases).
    """
    import pandas as pd

    rates = monthly_rates(frame)
    rows = []
    for purpose, label in RATE_PURPOSES.items():
        values = rates[purpose].dropna()
        paid = pd.to_numeric(frame[f"{purpose}_gbp"], errors="coerce") > 0
        low, high = bootstrap_median(values, level=level, n_resamples=n_resamples, seed=seed)
        rows.append(
            {
                "purpose": purpose,
                "label": label,
                "n_paid": int(paid.sum()),
                "n": len(values),
                "median": values.median(),
                "q1": values.quantile(0.25),
                "q3": values.quantile(0.75),
                "median_low": low,
                "median_high": high,
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
