"""The trends tables, each computed with pandas from one frame of cases.

Definitions shared by every table:

- a case *with a sum* has a visible remedy with a symbolic total above £0; medians and
  interquartile ranges are over these cases only;
- a case with *no visible sum* (the page did not state the remedy) is left out of every figure
  about money and counted in a note instead;
- *today's money* is the latest year of the CPI index (``_today`` columns);
- a cell resting on fewer than :data:`THIN_BELOW` cases is *thin*: shown, but marked, and
  listed after every solid row of its table (:func:`solid_first`), so a table leads with what
  can be relied on.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from remedy_model.config import EARLIEST_YEAR
from remedy_model.dataset import cases_frame
from remedy_model.errors import InputError
from remedy_model.inflation import CpiIndex
from remedy_model.rates import monthly_rates, rate_summary
from remedy_model.records import Case, current_year

THIN_BELOW = 5
"""A cell with fewer cases than this is marked thin."""

CARER_LABELS = {True: "carer affected", False: "carer not affected", None: "not known"}
RESPITE_LABELS = {True: "respite lost", False: "no respite lost", None: "not known"}

TABLE_NAMES = (
    "by_year",
    "by_fault",
    "by_category",
    "by_subcategory",
    "by_org_type",
    "carer",
    "respite",
    "rates",
    "payment_share",
    "payment_rate_by_fault",
    "payment_rate_by_category",
)
"""Every table the report writes, as ``<name>.csv`` and ``<name>.png``."""

STAT_COLUMNS = ["median_gbp", "q1_gbp", "q3_gbp", "median_today", "q1_today", "q3_today"]
RATE_COLUMNS = [
    *(f"{col}_per_month" for col in STAT_COLUMNS),
    "low_today_per_month",
    "high_today_per_month",
]
"""Per-month rate columns: nominal and today's quartiles, and the bootstrap interval of the
today's median (:func:`remedy_model.rates.rate_summary`)."""


# --- the frame ------------------------------------------------------------------------------


def pays_carer(case: Case) -> bool:
    """True when a symbolic payment goes to a carer or is for carer strain."""
    return any(
        p.symbolic and (p.recipient == "carer" or p.purpose == "carer_strain")
        for p in case.payments
    )


def trends_frame(cases: Sequence[Case], cpi: CpiIndex) -> pd.DataFrame:
    """The cases frame of :func:`remedy_model.dataset.cases_frame` plus what trends need.

    Added columns: ``has_sum`` (remedy stated, symbolic total known) and ``carer_payment``
    (a symbolic payment to a carer or for carer strain, remedy stated). The frame already holds
    ``today_factor``, ``upheld``, ``source_group``, ``subcategory`` and ``<purpose>_gbp``.

    Raises
    ------
    InputError
        When there are no cases at all.
    """
    frame = cases_frame(cases, cpi)
    if frame.empty:
        raise InputError("no cases to report on: the case files hold no valid case")
    frame["has_sum"] = frame["symbolic_gbp"].notna()
    frame["carer_payment"] = [pays_carer(case) for case in cases]
    frame["carer_payment"] &= frame["has_sum"]
    return frame


# --- filters --------------------------------------------------------------------------------


def check_years(year_from: int | None, year_to: int | None) -> None:
    """Refuse years outside the decisions' range, or a range that ends before it starts."""
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InputError(f"--from {year_from} is after --to {year_to}: no year can match")
    latest = current_year()
    for flag, year in (("--from", year_from), ("--to", year_to)):
        if year is not None and not EARLIEST_YEAR <= year <= latest:
            raise InputError(f"{flag} {year}: years must be within {EARLIEST_YEAR}-{latest}")


def describe_filters(year_from: int | None, year_to: int | None, category: str | None) -> str:
    """The filters in the words of the command line, e.g. ``--from 2020 --category Education``."""
    parts = []
    if year_from is not None:
        parts.append(f"--from {year_from}")
    if year_to is not None:
        parts.append(f"--to {year_to}")
    if category is not None:
        parts.append(f"--category {category!r}")
    return " ".join(parts) or "no filter"


def filter_frame(
    frame: pd.DataFrame,
    year_from: int | None = None,
    year_to: int | None = None,
    category: str | None = None,
) -> pd.DataFrame:
    """Keep the cases decided within the years and in the category group.

    A year filter leaves out cases with no year. The category group is matched without regard
    to case ('education' finds 'Education').

    Raises
    ------
    InputError
        When the years are impossible, or no case, or no case with a sum, is left: a report
        would be empty.
    """
    check_years(year_from, year_to)
    keep = pd.Series(True, index=frame.index)
    if year_from is not None:
        keep &= frame["year"] >= year_from
    if year_to is not None:
        keep &= frame["year"] <= year_to
    if category is not None:
        keep &= frame["category_group"].str.casefold() == category.strip().casefold()
    out = frame[keep]
    said = describe_filters(year_from, year_to, category)
    if out.empty:
        years = frame["year"].dropna()
        span = f"{int(years.min())}-{int(years.max())}" if len(years) else "none"
        groups = ", ".join(sorted(frame["category_group"].unique()))
        raise InputError(
            f"no cases match {said} (the cases have years {span}; category groups: {groups})"
        )
    if not (out["symbolic_gbp"] > 0).any():
        raise InputError(
            f"{len(out)} cases match {said} but none has a visible symbolic sum: nothing to report"
        )
    return out


# --- tables ---------------------------------------------------------------------------------


def solid_first(table: pd.DataFrame, by: Sequence[str] = (), ascending=True) -> pd.DataFrame:
    """Rows that are not thin first, each part ordered by ``by``; thin rows after them.

    >>> t = pd.DataFrame({"k": ["a", "b", "c"], "v": [9, 5, 1], "thin": [True, False, False]})
    >>> solid_first(t, ["v"], ascending=False)["k"].tolist()
    ['b', 'c', 'a']
    """
    by = list(by)
    if not isinstance(ascending, bool):
        ascending = list(ascending)
    order = [True, *(ascending if isinstance(ascending, list) else [ascending] * len(by))]
    return table.sort_values(
        ["thin", *by], ascending=order, na_position="last", kind="stable"
    ).reset_index(drop=True)


def _stats(values: pd.core.groupby.SeriesGroupBy, suffix: str = "") -> pd.DataFrame:
    """Median and quartiles of grouped values, as columns named ``median<suffix>`` etc."""
    return pd.DataFrame(
        {
            f"median{suffix}": values.median(),
            f"q1{suffix}": values.quantile(0.25),
            f"q3{suffix}": values.quantile(0.75),
        }
    )


def summarise(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Cases, cases with a sum, and the median and quartiles of sums, per value of ``key``.

    Rows with a missing ``key`` are left out. Columns: ``key``, ``n_cases``, ``n``,
    :data:`STAT_COLUMNS`, ``thin`` (``n`` below :data:`THIN_BELOW`).
    """
    n_cases = frame.groupby(key).size().rename("n_cases")
    paid = frame[frame["symbolic_gbp"] > 0].groupby(key)
    stats = pd.concat(
        [
            paid.size().rename("n"),
            _stats(paid["symbolic_gbp"], "_gbp"),
            _stats(paid["symbolic_today"], "_today"),
        ],
        axis=1,
    )
    out = n_cases.to_frame().join(stats, how="left")
    out["n"] = out["n"].fillna(0).astype(int)
    out["thin"] = out["n"] < THIN_BELOW
    return out.reset_index()[[key, "n_cases", "n", *STAT_COLUMNS, "thin"]]


def _largest_first(table: pd.DataFrame) -> pd.DataFrame:
    return solid_first(table, ["median_today", "n"], ascending=False)


def by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Symbolic sums per decision year (cases with no year left out); solid years first."""
    table = summarise(frame.dropna(subset=["year"]), "year")
    table["year"] = table["year"].astype(int)
    return solid_first(table, ["year"])


def by_fault(frame: pd.DataFrame) -> pd.DataFrame:
    """Symbolic sums per fault type; a case counts once under each of its faults."""
    return _largest_first(summarise(explode_faults(frame), "fault_type"))


def explode_faults(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (case, fault type); cases without a fault type are left out."""
    exploded = frame.explode("fault_types").rename(columns={"fault_types": "fault_type"})
    return exploded.dropna(subset=["fault_type"])


def by_category(frame: pd.DataFrame) -> pd.DataFrame:
    """Symbolic sums per category group (first level of the category)."""
    return _largest_first(summarise(frame, "category_group"))


def by_subcategory(frame: pd.DataFrame) -> pd.DataFrame:
    """Symbolic sums per subcategory (the first two levels of the category)."""
    return _largest_first(summarise(frame, "subcategory"))


def by_org_type(frame: pd.DataFrame) -> pd.DataFrame:
    """Symbolic sums per type of organisation complained about."""
    return _largest_first(summarise(frame, "org_type"))


def flag_groups(frame: pd.DataFrame, column: str, labels: dict) -> pd.Series:
    """Map a yes / no / unknown column to the plain labels in ``labels``."""
    return pd.Series(
        [
            labels[None if value is None or value != value else bool(value)]
            for value in frame[column]
        ],
        index=frame.index,
        name="group",
    )


def compare_flag(frame: pd.DataFrame, column: str, labels: dict) -> pd.DataFrame:
    """Compare the cases where a yes / no fact holds, does not, or is unknown.

    Columns: ``group``, ``n_cases``, ``n_visible`` (remedy stated), ``n`` (with a sum),
    ``share_paid`` (``n / n_visible``), :data:`STAT_COLUMNS`, ``thin``. Yes, no, not known,
    with thin groups last.
    """
    grouped = frame.assign(group=flag_groups(frame, column, labels))
    table = summarise(grouped, "group")
    visible = grouped[grouped["has_sum"]].groupby("group").size()
    table.insert(2, "n_visible", table["group"].map(visible).fillna(0).astype(int))
    share = table["n"] / table["n_visible"].where(table["n_visible"] > 0)
    table.insert(4, "share_paid", share)
    order = {label: i for i, label in enumerate(labels.values())}
    return solid_first(table.assign(order=table["group"].map(order)), ["order"]).drop(
        columns="order"
    )


def carer_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Carer impact vs none; also how often a symbolic payment went to a carer.

    ``n_carer_payment`` counts cases with a symbolic payment to a carer or for carer strain,
    ``share_carer_payment`` is that over ``n_visible``.
    """
    table = compare_flag(frame, "carer_impact", CARER_LABELS)
    groups = flag_groups(frame, "carer_impact", CARER_LABELS)
    counts = frame["carer_payment"].groupby(groups).sum()
    n_carer = table["group"].map(counts).fillna(0).astype(int)
    table.insert(5, "n_carer_payment", n_carer)
    table.insert(
        6, "share_carer_payment", n_carer / table["n_visible"].where(table["n_visible"] > 0)
    )
    return table


def respite_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Respite lost vs none (see :func:`compare_flag`)."""
    return compare_flag(frame, "respite_lost", RESPITE_LABELS)


def rates_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-month rates of lost care, respite and education (:mod:`remedy_model.rates`).

    Columns: ``purpose``, ``label``, ``n_cases`` (with a payment of the purpose), ``n`` (with
    a known duration above 0 too), :data:`RATE_COLUMNS` (nominal: the rate in the money of
    the case's year), ``thin``.
    """
    summary = rate_summary(frame).set_index("purpose")
    today = monthly_rates(frame)
    nominal = today.div(frame["today_factor"], axis=0)
    rows = []
    for purpose, row in summary.iterrows():
        out = {"purpose": purpose, "label": row["label"], "n_cases": row["n_paid"], "n": row["n"]}
        values = nominal[purpose].dropna()
        out |= {
            "median_gbp_per_month": values.median(),
            "q1_gbp_per_month": values.quantile(0.25),
            "q3_gbp_per_month": values.quantile(0.75),
        }
        for stat, source in (("median", "median"), ("q1", "q1"), ("q3", "q3")):
            out[f"{stat}_today_per_month"] = row[source]
        out["low_today_per_month"] = row["median_low"]
        out["high_today_per_month"] = row["median_high"]
        rows.append(out)
    table = pd.DataFrame(rows, columns=["purpose", "label", "n_cases", "n", *RATE_COLUMNS])
    table["thin"] = table["n"] < THIN_BELOW
    return solid_first(table)


def share_base(frame: pd.DataFrame) -> pd.DataFrame:
    """Upheld cases with a stated remedy: the cases the payment share is over."""
    return frame[frame["upheld"] & frame["has_sum"]]


def payment_rate(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Share of upheld cases with a stated remedy that include a symbolic payment, by ``key``.

    Columns: ``key``, ``n`` (upheld, remedy stated), ``n_paid``, ``share``, ``thin``; rows
    with a missing ``key`` are left out.
    """
    base = share_base(frame).dropna(subset=[key])
    paid = (base["symbolic_gbp"] > 0).groupby(base[key])
    table = pd.DataFrame({"n": paid.size(), "n_paid": paid.sum()}).reset_index()
    table = table.astype({"n": int, "n_paid": int})
    table["share"] = table["n_paid"] / table["n"]
    table["thin"] = table["n"] < THIN_BELOW
    return table[[key, "n", "n_paid", "share", "thin"]]


def payment_share_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The payment rate (:func:`payment_rate`) by decision year; solid years first."""
    table = payment_rate(frame, "year").astype({"year": int})
    return solid_first(table, ["year"])


def payment_rate_by_fault(frame: pd.DataFrame) -> pd.DataFrame:
    """The payment rate by fault type (a case counts under each of its faults)."""
    table = payment_rate(explode_faults(frame), "fault_type")
    return solid_first(table, ["share", "n"], ascending=False)


def payment_rate_by_category(frame: pd.DataFrame) -> pd.DataFrame:
    """The payment rate by category group."""
    table = payment_rate(frame, "category_group")
    return solid_first(table, ["share", "n"], ascending=False)


def all_tables(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every table of the report, keyed by the names in :data:`TABLE_NAMES`."""
    return {
        "by_year": by_year(frame),
        "by_fault": by_fault(frame),
        "by_category": by_category(frame),
        "by_subcategory": by_subcategory(frame),
        "by_org_type": by_org_type(frame),
        "carer": carer_table(frame),
        "respite": respite_table(frame),
        "rates": rates_table(frame),
        "payment_share": payment_share_table(frame),
        "payment_rate_by_fault": payment_rate_by_fault(frame),
        "payment_rate_by_category": payment_rate_by_category(frame),
    }


# --- counts ---------------------------------------------------------------------------------


def coverage(frame: pd.DataFrame) -> dict[str, int]:
    """How many cases the figures rest on and how many were left out, and why.

    Keys: ``n_cases``, ``n_with_sum`` (visible symbolic sum above £0), ``n_zero_sum`` (remedy
    stated, no symbolic money), ``n_no_visible_sum`` (left out), ``n_no_year`` and
    ``n_after_cpi`` (cases with a sum whose today's money uses the latest index).
    """
    sums = frame[frame["symbolic_gbp"] > 0]
    today_year = int(frame["today_year"].iloc[0])
    return {
        "n_cases": len(frame),
        "n_with_sum": len(sums),
        "n_zero_sum": int((frame["symbolic_gbp"] == 0).sum()),
        "n_no_visible_sum": int((~frame["has_sum"]).sum()),
        "n_no_year": int(sums["year"].isna().sum()),
        "n_after_cpi": int((sums["year"] > today_year).sum()),
    }


def years_label(years: Sequence[int]) -> str:
    """Years for reading: a span from the first to the last when there are three or more
    (years without cases inside it are simply empty), else the years themselves.

    >>> years_label([2023, 2024, 2025]), years_label([2009, 2012, 2013]), years_label([2020])
    ('2023-2025', '2009-2013', '2020')
    >>> years_label([2009, 2012]), years_label([2024, 2025])
    ('2009 and 2012', '2024-2025')
    """
    years = sorted(years)
    if len(years) == 1:
        return str(years[0])
    if len(years) >= 3 or years[1] == years[0] + 1:
        return f"{years[0]}-{years[-1]}"
    return f"{years[0]} and {years[1]}"
