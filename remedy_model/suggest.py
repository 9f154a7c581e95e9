"""Answer queries with a fitted :class:`RemedyModel`: two questions, their evidence, a check.

(a) *Is a symbolic payment likely?* The model's chance, beside the share of the most similar
upheld precedents with a stated remedy that were paid. (b) *If paid, how much?* The amount
interval (low / median / high), in the money of the query's year and in today's. A proposed sum
is judged against the question it answers (:mod:`remedy_model.check`). The precedents shown are
the nearest upheld cases that state their remedy, then (marked) nearer ones that do not.

Precedents and every comparison come from the Ombudsman's own texts (decision pages and
reports): press reports pick large sums, so they train the model (which knows their source)
but are not shown as evidence.

Work is vectorised over a batch of queries and needs numpy alone, so one query and ten thousand
take the same path and the CLI answers without importing scikit-learn.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from remedy_model.check import Check, Offer, check_amount, check_no_payment
from remedy_model.compare import compare, row
from remedy_model.errors import InputError
from remedy_model.explain import Explanation, Gap, explain, gap_alternatives, gaps
from remedy_model.features import feature_values
from remedy_model.jsonio import plain
from remedy_model.modeling.bundle import RemedyModel
from remedy_model.records import Case, category_group, subcategory
from remedy_model.reference import REFERENCE_POOL, ReferenceView, reference_view
from remedy_model.style import pct

CHECK_PRECEDENTS = 15
"""Similar upheld precedents a chance and a proposed sum are compared with."""
UNSTATED_SHOWN = 2
"""Nearer precedents without a stated sum shown after the others, at most."""
DISAGREE_BY = 0.2
"""The chance and the precedents' paid share differ notably beyond this (20 points)."""
QUERY_CHUNK = 1000
COMPARED_COLUMNS = (
    "case_ref", "source_kind", "organisation", "case_label", "decision", "year",
    "symbolic_today", "url",
)  # fmt: skip


@dataclass
class Precedent:
    """One similar past case as shown to a user."""

    case_ref: str | None
    label: str
    """The reference, or (without one) where the case came from."""
    organisation: str | None
    year: int | None
    category: str | None
    decision: str | None
    remedy_visible: bool
    symbolic_gbp: float | None
    symbolic_today: float | None
    financial_gbp: float | None
    financial_today: float | None
    summary: str | None
    url: str | None
    distance: float
    similarity: str
    """'very similar', 'similar' or 'loosely similar' (see :func:`similarity_word`)."""
    evidence: str
    """'stated' (its remedy, £0 included, is known) or 'sum not stated'."""
    shared: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)


@dataclass
class PaymentAnswer:
    """(a) Is a symbolic payment likely?"""

    chance: float
    precedents_paid: int
    precedents_compared: int
    precedent_share: float | None
    note: str | None
    """Said when the chance and the precedents' share differ by more than 20 points."""


@dataclass
class Suggestion:
    """The answer to one query.

    ``amount_if_paid_today`` holds low / median / high of the amount if a payment is made, in
    today's money; ``amount_if_paid_nominal`` the same in the money of ``money_year`` (the
    query's year). ``range_*`` is the mixture of "no payment" and the amount (it may start at
    £0); it is reported for programs but the verdict does not use it.
    """

    case_ref: str | None
    money_year: int
    today_year: int
    level: float
    p_payment: float
    payment: PaymentAnswer
    amount_if_paid_today: dict[str, float]
    amount_if_paid_nominal: dict[str, float]
    range_today: dict[str, float]
    range_nominal: dict[str, float]
    precedents: list[Precedent]
    assumptions: list[str]
    check: Check | None = None
    compared: list[dict] = field(default_factory=list)
    """The nearest upheld precedents with a stated remedy: the chance is compared with them."""
    compared_paid: list[dict] = field(default_factory=list)
    """The nearest upheld precedents that were paid: a proposed sum is ranked among them."""
    explanation: Explanation | None = None
    gaps: list[Gap] = field(default_factory=list)
    reference: ReferenceView | None = None

    def to_dict(self) -> dict:
        """Plain JSON-ready form; the ``*_gbp`` keys are in the money of ``money_year``."""
        out = plain(self)
        out["low_gbp"] = self.amount_if_paid_nominal["low"]
        out["median_gbp"] = self.amount_if_paid_nominal["median"]
        out["high_gbp"] = self.amount_if_paid_nominal["high"]
        out["amount_if_paid_gbp"] = self.amount_if_paid_nominal["median"]
        return out


def resolve_category(case: Case, known: Sequence[str]) -> Case:
    """The case with its category spelled as the table does; an unknown one is refused.

    A category is known when its path is one of ``known``, or when its group is ("Education",
    or a subcategory the table lacks under a known group: the answer then says only the group
    counted). Matching ignores case and spacing around ``>``.

    Raises
    ------
    InputError
        Naming the category and the closest known ones (``field="category"``).
    """
    if case.category is None:
        return case
    spelled = _spelling(case.category, tuple(known))
    return case if spelled == case.category else case.model_copy(update={"category": spelled})


@functools.lru_cache(maxsize=1024)
def _spelling(category: str, known: tuple[str, ...]) -> str:
    """The table's spelling of ``category`` (see :func:`resolve_category`); raises if unknown."""
    spelled, groups = _category_maps(known)
    wanted = category.strip()
    key = subcategory(wanted).lower() if ">" in wanted else wanted.lower()
    if key in spelled:
        return spelled[key]
    if key in groups:
        return groups[key]
    group = category_group(wanted).lower()
    if ">" in wanted and group in groups:
        return f"{groups[group]} > {subcategory(wanted).split('>', 1)[1].strip()}"
    choices = [*known, *sorted(set(groups.values()))]
    close = difflib.get_close_matches(wanted, choices, n=3, cutoff=0.4)
    hint = f"; closest known: {', '.join(repr(c) for c in close)}" if close else ""
    raise InputError(
        f"category: unknown category {wanted[:80]!r}{hint} (leave it out if not known)",
        field="category",
    )


@functools.lru_cache(maxsize=8)
def _category_maps(known: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Lower-cased paths and groups -> their spelling in the table."""
    spelled = {subcategory(c).lower(): c for c in known}
    groups = {category_group(c).lower(): category_group(c) for c in known}
    return spelled, groups


def similarity_word(distance: float, cuts: Sequence[float]) -> str:
    """A plain word for a distance, from the training cases' own neighbour distances.

    >>> similarity_word(0.5, [1.0, 2.0]), similarity_word(3.0, [1.0, 2.0])
    ('very similar', 'loosely similar')
    """
    if cuts and distance <= cuts[0]:
        return "very similar"
    if len(cuts) > 1 and distance <= cuts[1]:
        return "similar"
    return "loosely similar"


def suggest_many(
    model: RemedyModel,
    cases: Sequence[Case],
    *,
    k: int = 5,
    proposed: Sequence[float | None] | None = None,
    explain_facts: bool = True,
) -> list[Suggestion]:
    """Answer each case in ``cases``: both questions, precedents and (if asked) a check.

    Parameters
    ----------
    model : RemedyModel
    cases : sequence of Case
        Queries; only their facts are used.
    k : int
        Precedents with a stated remedy to show per query.
    proposed : sequence of float or None, optional
        A proposed symbolic sum per query, in the money of the query's year.
    explain_facts : bool
        Say what each precedent shares, why the figure, the gaps and the reference view
        (batch prediction skips them for speed).

    Returns
    -------
    list of Suggestion
    """
    results: list[Suggestion] = []
    for start in range(0, len(cases), QUERY_CHUNK):
        chunk = list(cases[start : start + QUERY_CHUNK])
        offers = None if proposed is None else list(proposed[start : start + QUERY_CHUNK])
        results.extend(_answer_chunk(model, chunk, k, offers, explain_facts))
    return results


@dataclass
class Selection:
    """The evidence chosen for a chunk of queries: precedent rows, nearest first, per query."""

    stated: np.ndarray
    """Upheld decisions stating their remedy (at least ``k`` and :data:`CHECK_PRECEDENTS`)."""
    paid: np.ndarray
    """Those of them paid (:data:`~remedy_model.reference.REFERENCE_POOL`)."""
    unstated: np.ndarray
    """Upheld decisions whose sum was not stated (:data:`UNSTATED_SHOWN`)."""

    @classmethod
    def of(cls, model: RemedyModel, distances: np.ndarray, k: int) -> Selection:
        pools = model.evidence_index
        return cls(*(nearest_rows(distances, pools[name], n) for name, n in _pool_sizes(k).items()))

    def shown(self, distances: np.ndarray, i: int, k: int) -> list[int]:
        """Query ``i``'s precedents: ``k`` stated, then the unstated ones nearer than those."""
        stated = [int(j) for j in self.stated[i, :k]]
        if not stated:
            return stated
        limit = distances[i, stated[-1]]
        return stated + [int(j) for j in self.unstated[i] if distances[i, j] < limit]


def _pool_sizes(k: int) -> dict[str, int]:
    """How many of each pool of precedents an answer takes, in :class:`Selection`'s order."""
    return {"stated": max(k, CHECK_PRECEDENTS), "paid": REFERENCE_POOL, "unstated": UNSTATED_SHOWN}


def nearest_rows(distances: np.ndarray, pool: np.ndarray, n: int) -> np.ndarray:
    """For each row of ``distances``, the ``n`` members of ``pool`` nearest, nearest first.

    Equal distances are listed by precedent index; which of several precedents tied at the
    ``n``-th place is kept is left to :func:`numpy.argpartition` when ``n`` is above three.

    >>> nearest_rows(np.array([[0.5, 0.1, 0.3, 0.1]]), np.array([0, 2, 3]), 2)
    array([[3, 2]])
    """
    return nearest(distances[:, pool], pool, n)[0]


def nearest(d: np.ndarray, pool: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``d`` (distances to the members of ``pool``), the ``n`` nearest members
    and their distances, nearest first (ties as in :func:`nearest_rows`).

    >>> rows, dist = nearest(np.array([[0.5, 0.3, 0.1]]), np.array([0, 2, 3]), 2)
    >>> rows.tolist(), dist.tolist()
    ([[3, 2]], [[0.1, 0.3]])
    """
    part = _smallest(d, n)
    near = np.take_along_axis(d, part, axis=1)
    order = np.lexsort((pool[part], near), axis=-1)
    return pool[np.take_along_axis(part, order, axis=1)], np.take_along_axis(near, order, axis=1)


def _smallest(d: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` smallest values of each row (all when ``n`` is 0 or covers the
    row), in no particular order.

    For one to three, repeated ``argmin`` (a tie goes to the first position) is several times
    faster than ``argpartition``, which partitions every row.
    """
    if not 0 < n < d.shape[1]:
        return np.broadcast_to(np.arange(d.shape[1]), d.shape)
    if n > 3:
        return np.argpartition(d, n - 1, axis=1)[:, :n]
    left, rows, picked = d.copy(), np.arange(len(d)), []
    for _ in range(n):
        picked.append(left.argmin(axis=1))
        left[rows, picked[-1]] = np.inf
    return np.column_stack(picked)


def predict_rows(model: RemedyModel, cases: Sequence[Case], k: int = 5) -> list[dict]:
    """The batch answer of each case as a plain dict (``remedy predict``'s lines).

    The same figures as :func:`suggest_many` (chance, share of the similar upheld decisions
    paid, amount-if-paid interval and mixture range in the case's money and today's, the
    precedents), computed for a whole chunk at once.

    Parameters
    ----------
    model : RemedyModel
    cases : sequence of Case
    k : int
        Precedents with a stated remedy per case.

    Returns
    -------
    list of dict
    """
    rows: list[dict] = []
    for start in range(0, len(cases), QUERY_CHUNK):
        rows.extend(_predict_chunk(model, list(cases[start : start + QUERY_CHUNK]), k))
    return rows


def _predict_chunk(model: RemedyModel, cases: list[Case], k: int) -> list[dict]:
    values = feature_values(cases)
    parts = model.payment.predict_range(model.payment.encode(values))
    stated, unstated = _nearest_evidence(model, values, k)
    cpi = model.cpi_index
    years = [c.effective_year for c in cases]
    factors = {y: cpi.value(y) / cpi.value(None) for y in set(years)}
    to_money = np.array([factors[y] for y in years])
    compared = stated[0][:, :CHECK_PRECEDENTS]
    paid = model.table["symbolic_today"].astype(float)[compared] > 0
    share = np.round(paid.mean(axis=1), 4).tolist() if compared.shape[1] else [None] * len(cases)
    precedents = _listed_rows(model, (stated[0][:, :k], stated[1][:, :k]), unstated)

    def money(name: str, factor=1.0) -> list[float]:
        return np.round(parts[name] * factor, 2).tolist()

    names = ("amount_low", "amount_median", "amount_high", "low", "median", "high")
    nominal = {n: money(n, to_money) for n in names}
    today = {n: money(n) for n in names}
    chance = np.round(parts["p_payment"], 4).tolist()
    return [
        {
            "case_ref": case.case_ref,
            "p_payment": chance[i],
            "precedent_paid_share": share[i],
            "low_gbp": nominal["amount_low"][i],
            "median_gbp": nominal["amount_median"][i],
            "high_gbp": nominal["amount_high"][i],
            "money_year": cpi.latest_year if years[i] is None else min(years[i], cpi.latest_year),
            "low_today_gbp": today["amount_low"][i],
            "median_today_gbp": today["amount_median"][i],
            "high_today_gbp": today["amount_high"][i],
            "range_gbp": {n: nominal[n][i] for n in ("low", "median", "high")},
            "today_year": cpi.latest_year,
            "precedents": precedents[i],
        }
        for i, case in enumerate(cases)
    ]


Nearest = tuple[np.ndarray, np.ndarray]
"""Precedent rows per query, nearest first, and their distances (:func:`nearest`)."""


def _nearest_evidence(model: RemedyModel, values: dict, k: int) -> tuple[Nearest, Nearest]:
    """The stated and unstated upheld precedents nearest each query (what a batch line shows),
    measured against those two pools only rather than the whole table."""
    index, pools = model.precedents, model.evidence_index
    located = index.locate(values)
    sizes = _pool_sizes(k)
    return tuple(
        nearest(index.distances_to(located, pools[name]), pools[name], sizes[name])
        for name in ("stated", "unstated")
    )


def _listed_rows(model: RemedyModel, stated: Nearest, unstated: Nearest) -> list:
    """Each query's precedents as ``{case_ref, label, decision, distance}``, from whole arrays:
    the stated ones, then the unstated ones nearer than the last of those."""
    (rows, distance), (extra_rows, extra) = stated, unstated
    if rows.shape[1] == 0:
        return [[] for _ in range(len(rows))]
    nearer = (extra < distance[:, -1:]).tolist()
    distance, extra = np.round(distance, 4).tolist(), np.round(extra, 4).tolist()
    brief = {j: model.brief(j) for j in np.unique(np.hstack([rows, extra_rows])).tolist()}
    return [
        [{**brief[j], "distance": d} for j, d in zip(rows[i].tolist(), distance[i], strict=True)]
        + [
            {**brief[j], "distance": d}
            for j, d, keep in zip(extra_rows[i].tolist(), extra[i], nearer[i], strict=True)
            if keep
        ]
        for i in range(len(rows))
    ]


def _answer_chunk(model, cases, k, proposed, explain_facts) -> list[Suggestion]:
    values = feature_values(cases)
    Z = model.payment.encode(values)
    parts = model.payment.predict_range(Z)
    distances = model.precedents.distances(values)
    selection = Selection.of(model, distances, k)
    out = []
    for i, case in enumerate(cases):
        offer = None if proposed is None else proposed[i]
        answer = _Answer(model, case, {name: float(v[i]) for name, v in parts.items()})
        suggestion = answer.build(distances, selection, i, k, offer, detail=explain_facts)
        if explain_facts:
            answer.explain(suggestion, Z[i], row(values, i))
        out.append(suggestion)
    return out


class _Answer:
    """Builds one :class:`Suggestion` from the model's parts and the query's distances."""

    def __init__(self, model: RemedyModel, case: Case, parts: dict[str, float]) -> None:
        self.model, self.case, self.parts = model, case, parts
        cpi = model.cpi_index
        year = case.effective_year
        self.money_year = min(year, cpi.latest_year) if year is not None else cpi.latest_year
        self.to_money = cpi.value(year) / cpi.value(None)
        self.assumptions = [a for a in [cpi.assumption(year), self._category_note()] if a]
        self.level = model.payment.confidence_level

    def _category_note(self) -> str | None:
        category = self.case.category
        if category is None or ">" not in category:
            return None
        if subcategory(category) in self.model.known_categories():
            return None
        return (
            f"the table has no case in {subcategory(category)!r}: only its group "
            f"{category_group(category)!r} counts"
        )

    def _money(self, values: dict[str, float], factor: float = 1.0) -> dict[str, float]:
        return {name: round(float(v) * factor, 2) for name, v in values.items()}

    def build(
        self, D: np.ndarray, selection: Selection, i: int, k: int, offer: float | None,
        *, detail: bool = True,
    ) -> Suggestion:  # fmt: skip
        p, distances = self.parts, D[i]
        compared = selection.stated[i, :CHECK_PRECEDENTS]
        compared_paid = selection.paid[i, :CHECK_PRECEDENTS]
        amount = {"low": p["amount_low"], "median": p["amount_median"], "high": p["amount_high"]}
        mixture = {"low": p["low"], "median": p["median"], "high": p["high"]}
        shown = selection.shown(D, i, k)
        self.shown, self.paid_order = shown, selection.paid[i]
        listed = detail or offer is not None
        suggestion = Suggestion(
            case_ref=self.case.case_ref,
            money_year=self.money_year,
            today_year=self.model.cpi_index.latest_year,
            level=self.level,
            p_payment=round(p["p_payment"], 4),
            payment=self._payment_answer(compared),
            amount_if_paid_today=self._money(amount),
            amount_if_paid_nominal=self._money(amount, self.to_money),
            range_today=self._money(mixture),
            range_nominal=self._money(mixture, self.to_money),
            precedents=[self._precedent(int(j), float(distances[j])) for j in shown],
            assumptions=self.assumptions,
            compared=[self._compared(int(j)) for j in compared] if listed else [],
            compared_paid=[self._compared(int(j)) for j in compared_paid] if listed else [],
        )
        suggestion.check = self._check(offer, suggestion)
        return suggestion

    def _payment_answer(self, compared: np.ndarray) -> PaymentAnswer:
        chance = round(self.parts["p_payment"], 4)
        sums = self.model.table["symbolic_today"].astype(float)[compared]
        n, n_paid = len(compared), int((sums > 0).sum())
        share = n_paid / n if n else None
        note = None
        if share is not None and abs(chance - share) > DISAGREE_BY:
            side = "higher" if chance > share else "lower"
            note = (
                f"The model's chance ({pct(chance)}) is {side} than the share of the {n} most "
                f"similar upheld cases that were paid ({pct(share)}): the model weighs each fact "
                f"over all {self.model.info.get('n_trainable', 'the')} cases with a stated "
                "remedy, while these precedents are only the nearest few and may differ on "
                "facts that matter."
            )
        return PaymentAnswer(chance, n_paid, n, None if share is None else round(share, 4), note)

    def _check(self, offer: float | None, s: Suggestion) -> Check | None:
        if offer is None:
            return None
        if offer == 0:
            answer = s.payment
            return check_no_payment(
                s.p_payment, answer.precedents_paid, answer.precedents_compared, self.level
            )
        sums = np.array([c["symbolic_today"] for c in s.compared_paid], dtype=float)
        return check_amount(
            Offer(float(offer), float(offer) / self.to_money, s.money_year, s.today_year),
            s.amount_if_paid_nominal,
            s.amount_if_paid_today,
            sums,
            self.level,
        )

    def _compared(self, j: int) -> dict:
        rec = self.model.row(j, COMPARED_COLUMNS)
        return {
            "case_ref": rec["case_ref"],
            "label": self.model.label(j),
            "decision": rec["decision"],
            "year": _int(rec["year"]),
            "symbolic_today": round(float(rec["symbolic_today"]), 2),
            "url": rec["url"],
        }

    def _precedent(self, j: int, distance: float) -> Precedent:
        rec = self.model.row(j)

        def money(col: str) -> float | None:
            return None if rec[col] is None else round(float(rec[col]), 2)

        cuts = self.model.info.get("similarity_cuts", [])
        return Precedent(
            case_ref=rec["case_ref"],
            label=self.model.label(j),
            organisation=rec["organisation"],
            year=_int(rec["year"]),
            category=rec["category"],
            decision=rec["decision"],
            remedy_visible=bool(rec["remedy_visible"]),
            symbolic_gbp=money("symbolic_gbp"),
            symbolic_today=money("symbolic_today"),
            financial_gbp=money("financial_gbp"),
            financial_today=money("financial_today"),
            summary=rec["summary"],
            url=rec["url"],
            distance=round(distance, 4),
            similarity=similarity_word(distance, cuts),
            evidence="stated" if rec["remedy_visible"] else "sum not stated",
        )

    def explain(self, s: Suggestion, z: np.ndarray, values: dict) -> None:
        """Add what precedents share, why the figure, the gaps and the reference view."""
        model = self.model
        for precedent, j in zip(s.precedents, self.shown, strict=True):
            precedent.shared, precedent.differs = compare(values, row(model.facts, j))
        s.explanation = explain(model.payment, model.support, z, values)
        groups = sorted({category_group(c) for c in model.known_categories()})
        years = model.table["year"].astype(float)
        span = (int(np.nanmin(years)), int(np.nanmax(years)))
        answer = (self.parts["amount_median"], self.parts["p_payment"])
        s.gaps = gaps(model.payment, self.case, gap_alternatives(span, groups), answer)
        known = self.case.category is not None
        s.reference = reference_view(
            model,
            subcategory(self.case.category) if known else None,
            category_group(self.case.category) if known else None,
            self.paid_order,
            self.to_money,
        )


def _int(value) -> int | None:
    return None if value is None else int(value)
