"""The trained bundle: payment model, precedent index and the precedent table they point into.

:func:`fit_bundle` is the one training step (scikit-learn and MAPIE, imported there); what it
returns, a :class:`RemedyModel`, holds plain arrays only, so answering a query needs numpy alone
and a saved model needs no case data at run time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from remedy_model import __version__
from remedy_model.config import INTERVAL_LEVEL
from remedy_model.dataset import case_groups
from remedy_model.features import NUMERIC_COLUMNS, feature_values
from remedy_model.inflation import CpiIndex
from remedy_model.modeling.arrays import PaymentPredictor, PrecedentIndex
from remedy_model.records import SOURCE_WORDS, TYPICAL_PURPOSES, Case

PRECEDENT_TABLE_COLUMNS = [
    "case_ref",
    "organisation",
    "org_type",
    "category",
    "subcategory",
    "category_group",
    "decision",
    "upheld",
    "year",
    "source_kind",
    "source_group",
    "source_doc",
    "case_label",
    "remedy_visible",
    "symbolic_gbp",
    "symbolic_today",
    "financial_gbp",
    "financial_today",
    "today_factor",
    *(f"{purpose}_gbp" for purpose in TYPICAL_PURPOSES),
    "duration_months",
    "url",
    "summary",
]
"""What is kept of each precedent (see :func:`remedy_model.dataset.cases_frame`)."""


@dataclass
class RemedyModel:
    """Everything needed to answer a query, as saved under ``models/``.

    Attributes
    ----------
    payment : PaymentPredictor
        The two-part payment model, fitted on the cases with a visible remedy.
    precedents : PrecedentIndex
        Every case (a precedent need not show its sum), searchable by similarity.
    table : dict of ndarray
        One array per :data:`PRECEDENT_TABLE_COLUMNS`, in the index's order (object arrays
        hold ``None`` where a value is unknown).
    facts : dict of ndarray
        The precedents' feature values (:func:`~remedy_model.features.feature_values`), to say
        what a precedent shares with a query.
    support : dict
        How many training cases share each fact value, per part (``"payment"``: cases with a
        visible remedy; ``"amount"``: paid ones), keyed ``"column=value"``.
    cpi : dict
        Year -> CPI index, so sums convert without the CSV.
    info : dict
        Data hash, case counts, versions and training date (also in the sidecar).
    """

    payment: PaymentPredictor
    precedents: PrecedentIndex
    table: dict[str, np.ndarray]
    facts: dict[str, np.ndarray]
    support: dict[str, dict[str, int]]
    cpi: dict[int, float]
    info: dict = field(default_factory=dict)

    @property
    def cpi_index(self) -> CpiIndex:
        """The CPI the model was trained with, to convert sums without the CSV.

        Returns
        -------
        CpiIndex
        """
        return CpiIndex(self.cpi)

    @property
    def n_precedents(self) -> int:
        """How many precedents the table and index hold.

        Returns
        -------
        int
        """
        return len(self.table["case_ref"])

    def row(self, j: int, columns: Sequence[str] | None = None) -> dict:
        """Precedent ``j`` as a dict of plain Python values (NaN as ``None``).

        Rows are built when first asked for and then kept, so a one-off answer converts only
        the few precedents it shows.

        Parameters
        ----------
        j : int
            The precedent's position in the table.
        columns : sequence of str, optional
            The columns to return (default: all of :data:`PRECEDENT_TABLE_COLUMNS`).

        Returns
        -------
        dict
            Column name -> value.
        """
        record = self._rows.get(j)
        if record is None:
            record = {name: _plain(values[j]) for name, values in self.table.items()}
            self._rows[j] = record
        return record if columns is None else {name: record[name] for name in columns}

    @cached_property
    def _rows(self) -> dict[int, dict]:
        return {}

    def group_sums(self, column: str, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Symbolic sums (today's money) of the paid upheld decisions whose ``column`` is
        ``name``, and of the press-reported ones apart; computed once per group.

        Parameters
        ----------
        column : str
            A column of the precedent table, e.g. ``"subcategory"``.
        name : str
            The value of ``column`` that defines the group.

        Returns
        -------
        own, press : ndarray
            The sums of the group's paid cases from the Ombudsman's own texts, and of its paid
            press-reported cases, each sorted ascending.
        """
        key = (column, name)
        if key not in self._groups:
            sums = self.table["symbolic_today"].astype(float)
            chosen = self.table[column] == name
            paid, press = self.evidence["paid"], self.evidence["press_paid"]
            self._groups[key] = (np.sort(sums[chosen & paid]), np.sort(sums[chosen & press]))
        return self._groups[key]

    @cached_property
    def _groups(self) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
        return {}

    def label(self, j: int) -> str:
        """Precedent ``j``'s reference, or where it came from when it has none.

        Parameters
        ----------
        j : int
            The precedent's position in the table.

        Returns
        -------
        str
            E.g. the case reference, or ``"no ref. (news report)"``.
        """
        return self.brief(j)["label"]

    def brief(self, j: int) -> dict:
        """Precedent ``j``'s reference, label and decision (kept once built).

        Parameters
        ----------
        j : int
            The precedent's position in the table.

        Returns
        -------
        dict
            ``case_ref`` (or ``None``), ``label`` (see :meth:`label`) and ``decision``.
        """
        found = self._briefs.get(j)
        if found is None:
            row = self.row(j)
            found = {"case_ref": row["case_ref"], "label": _label(row), "decision": row["decision"]}
            self._briefs[j] = found
        return found

    @cached_property
    def _briefs(self) -> dict[int, dict]:
        return {}

    @cached_property
    def evidence(self) -> dict[str, np.ndarray]:
        """Masks of the precedents that can stand as evidence beside an answer.

        Only upheld cases from the Ombudsman's own texts (decision pages, reports) count: the
        press picks large sums. ``"stated"``: their remedy (£0 included) is known;
        ``"unstated"``: it is not; ``"paid"``: stated with a symbolic sum above £0.

        Returns
        -------
        dict of ndarray
            One boolean array over the precedents per kind; ``"press_paid"`` marks the paid
            upheld cases known from the press, kept apart.
        """
        own = self.table["source_group"] != "press"
        upheld = self.table["upheld"].astype(bool) & own
        visible = self.table["remedy_visible"].astype(bool)
        paid = self.table["symbolic_today"].astype(float) > 0
        return {
            "stated": upheld & visible,
            "unstated": upheld & ~visible,
            "paid": upheld & visible & paid,
            "press_paid": ~own & self.table["upheld"].astype(bool) & visible & paid,
        }

    @cached_property
    def evidence_index(self) -> dict[str, np.ndarray]:
        """The row indices of each :attr:`evidence` mask.

        Returns
        -------
        dict of ndarray
            The same keys as :attr:`evidence`, each with the positions where its mask is True.
        """
        return {name: np.flatnonzero(mask) for name, mask in self.evidence.items()}

    def warm(self) -> RemedyModel:
        """Build now what answers otherwise build on first use: every evidence row's brief,
        the category list, the encoders' lookups.

        Worker processes forked afterwards then share one copy instead of each building its
        own while answering its first chunk.

        Returns
        -------
        RemedyModel
            This model.
        """
        for rows in self.evidence_index.values():
            for j in rows.tolist():
                self.brief(j)
        self.known_categories()
        values = feature_values([Case(decision="upheld")])
        self.payment.predict_range(self.payment.encode(values))
        self.precedents.distances(values)
        return self

    def known_categories(self) -> tuple[str, ...]:
        """The categories the table holds, as the Ombudsman writes them, sorted.

        Returns
        -------
        tuple of str
            Subcategories other than ``"unknown"``, for checking a query's category.
        """
        return self._known_categories

    @cached_property
    def _known_categories(self) -> tuple[str, ...]:
        return tuple(sorted({c for c in self.table["subcategory"] if c and c != "unknown"}))


def _label(rec: dict) -> str:
    """A precedent's reference, or where it came from when it has none.

    >>> _label({"case_ref": None, "source_kind": "news_article", "case_label": None})
    'no ref. (news report)'
    """
    if rec["case_ref"]:
        return rec["case_ref"]
    source = SOURCE_WORDS.get(rec["source_kind"], "unknown source")
    label = f", case {rec['case_label']}" if rec.get("case_label") else ""
    return f"no ref. ({source}{label})"


def _plain(value):
    if value is None:
        return None
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def training_set(cases: Sequence[Case], cpi: CpiIndex):
    """Features, target (symbolic sum in today's pounds) and groups of the trainable cases.

    A case is trainable when its remedy is visible (``Case.has_target``).

    Parameters
    ----------
    cases : sequence of Case
        All cases.
    cpi : CpiIndex
        Converts each case's sum to today's money.

    Returns
    -------
    usable : list of Case
        The trainable cases, in input order.
    X : DataFrame
        Their feature frame (:func:`~remedy_model.features.case_features`).
    y : ndarray
        Their symbolic sums in today's pounds (0: no symbolic payment).
    groups : ndarray
        Their complaint groups (:func:`~remedy_model.dataset.case_groups`), so one complaint
        is never split between training and test.
    """
    from remedy_model.features import case_features

    usable = [c for c in cases if c.has_target]
    X = case_features(usable)
    y = np.array([cpi.to_today(c.symbolic_total_gbp, c.effective_year) for c in usable])
    return usable, X, y, np.array(case_groups(usable))


SPREAD_COLUMNS = ("log_duration_months", "respite_lost_weeks")
"""Numeric facts whose known training values are kept, to count the cases near a query's."""


def fact_support(values: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, int | list]:
    """How many cases under ``mask`` share each fact value.

    Categorical, yes/no and whole-number facts are counted per value (``"column=value"``);
    for duration and respite weeks the known values themselves are kept
    (``"column=values"``), so the cases near a query's value can be counted.

    Parameters
    ----------
    values : dict of ndarray
        Feature arrays by column name (:func:`~remedy_model.features.feature_values`).
    mask : ndarray of bool
        The cases to count.

    Returns
    -------
    dict
        ``"column=value"`` -> count, and ``"column=values"`` -> sorted known values for
        :data:`SPREAD_COLUMNS`.

    Examples
    --------
    >>> fact_support({"carer_impact": np.array(["yes", "no", "yes"], dtype=object)},
    ...              np.array([True, True, False]))
    {'carer_impact=no': 1, 'carer_impact=yes': 1}
    """
    counts: dict[str, int | list] = {}
    for column, array in values.items():
        chosen = array[mask]
        if column in SPREAD_COLUMNS:
            known = chosen.astype(float)
            counts[f"{column}=values"] = sorted(
                round(float(v), 4) for v in known[np.isfinite(known)]
            )
            continue
        text = chosen.astype(float).astype(str) if column in NUMERIC_COLUMNS else chosen.astype(str)
        levels, n = np.unique(text, return_counts=True)
        for level, count in zip(levels, n, strict=True):
            counts[f"{column}={level}"] = int(count)
    return counts


def fit_bundle(
    cases: Sequence[Case],
    cpi: CpiIndex,
    *,
    data_hash: str = "",
    payment_params: dict | None = None,
) -> RemedyModel:
    """Fit the payment model and the precedent index on ``cases``.

    Parameters
    ----------
    cases : sequence of Case
        All cases; those with a visible remedy train the payment model, all are precedents.
    cpi : CpiIndex
        Converts every sum to today's money.
    data_hash : str
        Names the data in the model's info.
    payment_params : dict, optional
        Parameters of :class:`~remedy_model.modeling.payment.TwoPartPaymentModel`.

    Returns
    -------
    RemedyModel
    """
    import sklearn

    from remedy_model.dataset import cases_frame
    from remedy_model.features import case_features
    from remedy_model.modeling.payment import TwoPartPaymentModel
    from remedy_model.modeling.precedents import PrecedentFinder

    usable, X, y, groups = training_set(cases, cpi)
    params = {"confidence_level": INTERVAL_LEVEL, **(payment_params or {})}
    payment = TwoPartPaymentModel(**params).fit(X, y, groups=groups)
    finder = PrecedentFinder().fit(case_features(cases))
    frame = cases_frame(cases, cpi)[PRECEDENT_TABLE_COLUMNS]
    table = {col: _column(frame[col]) for col in PRECEDENT_TABLE_COLUMNS}
    trained = feature_values(usable)
    support = {
        "payment": fact_support(trained, np.ones(len(usable), dtype=bool)),
        "amount": fact_support(trained, y > 0),
    }
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
    index = finder.export()
    info["similarity_cuts"] = similarity_cuts(index, feature_values(cases), case_groups(cases))
    return RemedyModel(
        payment.export(),
        index,
        table,
        feature_values(cases),
        support,
        dict(cpi.index),
        info,
    )


def similarity_cuts(
    index: PrecedentIndex,
    values: dict[str, np.ndarray],
    groups: Sequence[str],
    sample: int = 500,
    k: int = 5,
) -> list[float]:
    """The quartiles of the cases' own distance to their ``k``-th nearest other complaint.

    A precedent nearer to a query than the lower quartile is as close as the nearest few
    precedents of a quarter of the cases ("very similar"); beyond the upper quartile it is
    "loosely similar". Cases of the query's own complaint are left out, as a query has none.

    Parameters
    ----------
    index : PrecedentIndex
        The fitted precedent index.
    values : dict of ndarray
        The precedents' feature arrays (:func:`~remedy_model.features.feature_values`), in
        the index's order.
    groups : sequence of str
        The precedents' complaint groups, in the same order.
    sample : int
        At most this many cases are measured (a fixed random draw, for speed).
    k : int
        The rank of the neighbour (among cases of other complaints) whose distance is taken.

    Returns
    -------
    list of float
        The lower and upper quartile, or an empty list when no measured case has ``k``
        neighbours from other complaints.
    """
    groups = np.asarray(groups)
    n = len(groups)
    rows = np.random.default_rng(0).choice(n, size=min(sample, n), replace=False)
    distances = index.distances({col: array[rows] for col, array in values.items()})
    distances[groups[rows][:, None] == groups[None, :]] = np.inf
    kth = np.sort(distances, axis=1)[:, min(k, n) - 1]
    kth = kth[np.isfinite(kth)]
    if kth.size == 0:
        return []
    return [round(float(q), 4) for q in np.quantile(kth, [0.25, 0.75])]


def _column(series) -> np.ndarray:
    """A frame column as a float array (numbers) or an object array with ``None`` for gaps."""
    if series.dtype.kind in "fiu":
        return series.to_numpy(dtype=float)
    if series.dtype.kind == "b":
        return series.to_numpy(dtype=bool)
    values = series.astype(object).where(series.notna(), None).to_numpy(dtype=object)
    return values
