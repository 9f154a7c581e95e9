"""The trained bundle: payment model, precedent finder and the precedent table they point into.

:func:`fit_bundle` is the one training step; everything that answers a query reads a
:class:`RemedyModel`, so a saved model needs no case data at run time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from remedy_model import __version__
from remedy_model.config import INTERVAL_LEVEL
from remedy_model.dataset import case_groups, cases_frame
from remedy_model.features import case_features
from remedy_model.inflation import CpiIndex
from remedy_model.modeling.payment import TwoPartPaymentModel
from remedy_model.modeling.precedents import PrecedentFinder
from remedy_model.records import Case

PRECEDENT_TABLE_COLUMNS = [
    "case_ref",
    "organisation",
    "org_type",
    "category",
    "decision",
    "year",
    "source_kind",
    "remedy_visible",
    "symbolic_gbp",
    "symbolic_today",
    "financial_gbp",
    "financial_today",
    "url",
    "summary",
]


@dataclass
class RemedyModel:
    """Everything needed to answer a query, as saved under ``models/``.

    Attributes
    ----------
    payment : TwoPartPaymentModel
        Fitted on the cases with a visible remedy.
    precedents : PrecedentFinder
        Fitted on every case (a precedent need not show its sum).
    table : DataFrame
        One row per precedent (:data:`PRECEDENT_TABLE_COLUMNS`), same order as the finder.
    features : DataFrame
        The precedents' feature frame, to say what a precedent shares with a query.
    cpi : dict
        Year -> CPI index, so sums convert without the CSV.
    info : dict
        Data hash, case counts, versions and training date (also in the sidecar).
    """

    payment: TwoPartPaymentModel
    precedents: PrecedentFinder
    table: pd.DataFrame
    features: pd.DataFrame
    cpi: dict[int, float]
    info: dict = field(default_factory=dict)

    @property
    def cpi_index(self) -> CpiIndex:
        return CpiIndex(self.cpi)

    @cached_property
    def table_records(self) -> list[dict]:
        """The precedent table as dicts with NaN as None (fast row access for answers)."""
        clean = self.table.astype(object).where(self.table.notna(), None)
        return clean.to_dict("records")


def training_set(cases: Sequence[Case], cpi: CpiIndex):
    """Features, target (symbolic sum in today's pounds) and groups of the trainable cases."""
    usable = [c for c in cases if c.has_target]
    X = case_features(usable)
    y = np.array([cpi.to_today(c.symbolic_total_gbp, c.effective_year) for c in usable])
    return usable, X, y, np.array(case_groups(usable))


def fit_bundle(
    cases: Sequence[Case],
    cpi: CpiIndex,
    *,
    data_hash: str = "",
    payment_params: dict | None = None,
) -> RemedyModel:
    """Fit the payment model and the precedent finder on ``cases``.

    Parameters
    ----------
    cases : sequence of Case
        All cases; those with a visible remedy train the payment model, all are precedents.
    cpi : CpiIndex
        Converts every sum to today's money.
    data_hash : str
        Names the data in the model's info.
    payment_params : dict, optional
        Parameters of :class:`TwoPartPaymentModel`.
    """
    import sklearn

    usable, X, y, groups = training_set(cases, cpi)
    params = {"confidence_level": INTERVAL_LEVEL, **(payment_params or {})}
    payment = TwoPartPaymentModel(**params).fit(X, y, groups=groups)
    all_features = case_features(cases)
    finder = PrecedentFinder().fit(all_features)
    table = cases_frame(cases, cpi)[PRECEDENT_TABLE_COLUMNS].reset_index(drop=True)
    info = {
        "data_hash": data_hash,
        "n_cases": len(cases),
        "n_trainable": len(usable),
        "n_paid": int((y > 0).sum()),
        "today_year": cpi.latest_year,
        "interval_level": params["confidence_level"],
        "remedy_model_version": __version__,
        "sklearn_version": sklearn.__version__,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return RemedyModel(payment, finder, table, all_features, dict(cpi.index), info)
