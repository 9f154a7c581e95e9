"""The trends tables, each computed with pandas from one frame of cases.

Definitions shared by every table:

- a case *with a sum* has a visible remedy with a symbolic total above £0; medians and
  interquartile ranges are over these cases only;
- a case with *no visible sum* (the page did not state the remedy) is left out of every figure
  about money and counted in a note instead;
- *today's money* is the latest year of the CPI index (``_today`` columns);
- a cell resting on fewer than :data:`THIN_BELOW` cases is *thin*: shown, but marked.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from remedy_model.config import EARLIEST_YEAR
from remedy_model.dataset import cases_frame
from remedy_model.errors import InputError
from remedy_model.inflation import CpiIndex
from remedy_model.records import Case, current_year

THIN_BELOW = 5
"""A cell with fewer cases than this is marked thin."""

UPHELD = ("upheld", "report_upheld")
"""Decisions that count as upheld for the payment share."""

RATE_PURPOSES = {
    "loss_of_service": "lost care",
    "lost_respite": "lost respite",
    "lost_education": "lost education",
}
"""Payment purposes with a per-month rate, and their plain names."""

DECISION_PAGE = "lgo_decision_page"
"""The source kind of the Ombudsman's own decision pages; other sources favour larger cases."""

CARER_LABELS = {True: "carer affected", False: "carer not affected", None: "not known"}
RESPITE_LABELS = {True: "respite lost", False: "no respite lost", None: "not known"}

TABLE_NAMES = (
    "by_year",
    "by_fault",
    "by_category",
    "by_org_type",
    "carer",
    "respite",
    "rates",
    "payment_share",
)
"""Every table the report writes, as ``<name>.csv`` and ``<name>.png``."""

STAT_COLUMNS = ["median_gbp", "q1_gbp", "q3_gbp", "median_today", "q1_today", "q3_today"]
RATE_COLUMNS = [f"{col}_per_month" for col in STAT_COLUMNS]


# --- the frame ------------------------------------------------------------------------------


def purpose_sum(case: Case, purpose: str) -> float:
    """Total of a case's payments with ``purpose`` (symbolic or not), NaN when there is none.

    >>> from remedy_model.records import Payment
    >>> pay = [Payment(amount_gbp=300, purpose="lost_respite", symbolic=True)] * 2
    >>> purpose_sum(Case(payments=pay), "lost_respite"), purpose_sum(Case(), "lost_respite")
    (600.0, nan)
    """
    amounts = [p.amount_gbp for p in case.payments if p.purpose == purpose]
    return float(sum(amounts)) if amounts else float("nan")


def pays_carer(case: Case) -> bool:
    """True when a symbolic payment goes to a carer or is for carer strain."""
    return any(
        p.symbolic and (p.recipient == "carer" or p.purpose == "carer_strain")
        for p in case.payments
    )


def trends_frame(cases: Sequence[Case], cpi: CpiIndex) -> pd.DataFrame:
    """The cases frame of :func:`remedy_model.dataset.cases_frame` plus what trends need.

    Added columns: ``today_factor`` (multiplier to today's money), ``upheld``, ``has_sum``
    (remedy stated, symbolic total known), ``<purpose>_gbp`` for each of
    :data:`RATE_PURPOSES` (NaN unless the remedy is visible), and ``carer_payment``.

    Raises
    ------
    InputError
        When there are no cases at all.
    """
    frame = cases_frame(cases, cpi)
    if frame.empty:
        raise InputError("no cases to report on: the case files hold no valid case")
    frame["today_factor"] = cpi.factors_to_today(frame["year"].to_numpy())
    frame["upheld"] = frame["decision"].isin(UPHELD)
    frame["has_sum"] = frame["symbolic_gbp"].notna()
    visible = frame["has_sum"].to_numpy()
    for purpose in RATE_PURPOSES:
        sums = np.array([purpose_sum(case, purpose) for case in cases], dtype=float)
        frame[f"{purpose}_gbp"] = np.where(visible, sums, np.nan)
    frame["carer_payment"] = np.array([pays_carer(case) for case in cases], dtype=bool) & visible
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
    return table.sort_values(
        ["median_today", "n"], ascending=[False, False], na_position="last", kind="stable"
    ).reset_index(drop=True)


def by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Symbolic sums per decision year (cases with no year left out)."""
    table = summarise(frame.dropna(subset=["year"]), "year")
    table["year"] = table["year"].astype(int)
    return table.sort_values("year").reset_index(drop=True)


def by_fault(frame: pd.DataFrame) -> pd.DataFrame:
    """Symbolic sums per fault type; a case counts once under each of its faults."""
    exploded = frame.explode("fault_types").rename(columns={"fault_types": "fault_type"})
    return _largest_first(summarise(exploded.dropna(subset=["fault_type"]), "fault_type"))


def by_category(frame: pd.DataFrame) -> pd.DataFrame:
    """Symbolic sums per category group (first level of the category)."""
    return _largest_first(summarise(frame, "category_group"))


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
    ``share_paid`` (``n / n_visible``), :data:`STAT_COLUMNS`, ``thin``.
    """
    grouped = frame.assign(group=flag_groups(frame, column, labels))
    table = summarise(grouped, "group")
    visible = grouped[grouped["has_sum"]].groupby("group").size()
    table.insert(2, "n_visible", table["group"].map(visible).fillna(0).astype(int))
    share = table["n"] / table["n_visible"].where(table["n_visible"] > 0)
    table.insert(4, "share_paid", share)
    order = {label: i for i, label in enumerate(labels.values())}
    return table.sort_values("group", key=lambda s: s.map(order)).reset_index(drop=True)


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
    """Per-month rates: payments of a purpose divided by the months the fault lasted.

    A case counts when its remedy is visible, it has a payment of the purpose, and its duration
    is known and above 0. Columns: ``purpose``, ``label``, ``n_cases`` (with such a payment),
    ``n`` (with a duration too), :data:`RATE_COLUMNS`, ``thin``.
    """
    rows = []
    months = frame["duration_months"]
    for purpose, label in RATE_PURPOSES.items():
        amount = frame[f"{purpose}_gbp"]
        has_payment = amount > 0
        usable = has_payment & (months > 0)
        rate = amount[usable] / months[usable]
        today = rate * frame.loc[usable, "today_factor"]
        row = {"purpose": purpose, "label": label, "n_cases": int(has_payment.sum())}
        row["n"] = int(usable.sum())
        for values, suffix in ((rate, "gbp"), (today, "today")):
            row[f"median_{suffix}_per_month"] = values.median()
            row[f"q1_{suffix}_per_month"] = values.quantile(0.25)
            row[f"q3_{suffix}_per_month"] = values.quantile(0.75)
        row["thin"] = row["n"] < THIN_BELOW
        rows.append(row)
    return pd.DataFrame(rows, columns=["purpose", "label", "n_cases", "n", *RATE_COLUMNS, "thin"])


def share_base(frame: pd.DataFrame) -> pd.DataFrame:
    """Upheld cases with a stated remedy: the cases the payment share is over."""
    return frame[frame["upheld"] & frame["has_sum"]]


def payment_share_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Share of upheld cases with a stated remedy that include any symbolic payment, by year.

    Columns: ``year``, ``n`` (upheld with a stated remedy), ``n_paid``, ``share``, ``thin``.
    """
    base = share_base(frame).dropna(subset=["year"])
    paid = (base["symbolic_gbp"] > 0).groupby(base["year"])
    table = pd.DataFrame({"n": paid.size(), "n_paid": paid.sum()}).reset_index()
    table = table.astype({"year": int, "n": int, "n_paid": int})
    table["share"] = table["n_paid"] / table["n"]
    table["thin"] = table["n"] < THIN_BELOW
    return table[["year", "n", "n_paid", "share", "thin"]]


def all_tables(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every table of the report, keyed by the names in :data:`TABLE_NAMES`."""
    return {
        "by_year": by_year(frame),
        "by_fault": by_fault(frame),
        "by_category": by_category(frame),
        "by_org_type": by_org_type(frame),
        "carer": carer_table(frame),
        "respite": respite_table(frame),
        "rates": rates_table(frame),
        "payment_share": payment_share_table(frame),
    }


# --- what changed ---------------------------------------------------------------------------


def change_windows(
    years: pd.Series, span: int = 3, min_n: int = THIN_BELOW
) -> tuple[list[int], list[int]] | None:
    """The first and last ``span`` years that have cases, widened inwards to ``min_n`` cases.

    Windows never overlap; with fewer than ``2 * span`` distinct years each takes half of them.
    Returns ``None`` with fewer than two distinct years.

    >>> change_windows(pd.Series([2009, 2012, 2013, 2014, 2019, 2019, 2024, 2025, 2025]))
    ([2009, 2012, 2013, 2014], [2019, 2024, 2025])
    >>> change_windows(pd.Series([2020, 2020])) is None
    True
    """
    counts = years.dropna().astype(int).value_counts().sort_index()
    distinct = [int(y) for y in counts.index]
    if len(distinct) < 2:
        return None
    size = min(span, len(distinct) // 2)
    first_end, last_start = size, len(distinct) - size
    while counts.iloc[:first_end].sum() < min_n and first_end < last_start:
        first_end += 1
    while counts.iloc[last_start:].sum() < min_n and last_start > first_end:
        last_start -= 1
    return distinct[:first_end], distinct[last_start:]


def years_label(years: Sequence[int]) -> str:
    """Years as a range when consecutive, else as a list.

    >>> years_label([2023, 2024, 2025]), years_label([2009, 2012]), years_label([2020])
    ('2023-2025', '2009 and 2012', '2020')
    """
    years = sorted(years)
    if len(years) == 1:
        return str(years[0])
    if years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years[:-1]) + f" and {years[-1]}"


def money(value: float | None) -> str:
    """Pounds for reading: '£1,250', or '-' when unknown.

    >>> money(1249.6), money(float("nan"))
    ('£1,250', '-')
    """
    if value is None or value != value:
        return "-"
    return f"£{value:,.0f}"


def window_figures(frame: pd.DataFrame, years: Sequence[int]) -> dict:
    """Median sums (nominal and today) and payment share within some years."""
    inside = frame[frame["year"].isin(years)]
    sums = inside[inside["symbolic_gbp"] > 0]
    base = share_base(inside)
    n_paid = int((base["symbolic_gbp"] > 0).sum())
    return {
        "years": [int(y) for y in years],
        "n": len(sums),
        "median_gbp": float(sums["symbolic_gbp"].median()),
        "median_today": float(sums["symbolic_today"].median()),
        "share_n": len(base),
        "share_paid": n_paid,
        "share": n_paid / len(base) if len(base) else float("nan"),
        "n_decision_page": int((sums["source_kind"] == DECISION_PAGE).sum()),
    }


def change(frame: pd.DataFrame) -> dict | None:
    """The real-terms change of the median between the first and last years with sums.

    Returns ``None`` when the sums span fewer than two years, else the two windows'
    figures (:func:`window_figures`), ``real_change_pct`` and ``thin``.
    """
    sums = frame[frame["symbolic_gbp"] > 0]
    windows = change_windows(sums["year"])
    if windows is None:
        return None
    first, last = (window_figures(frame, years) for years in windows)
    return {
        "first": first,
        "last": last,
        "real_change_pct": 100.0 * (last["median_today"] / first["median_today"] - 1.0),
        "thin": min(first["n"], last["n"]) < THIN_BELOW,
    }


def top_fault(fault_table: pd.DataFrame) -> dict | None:
    """The fault type with the highest median in today's money among cells that are not thin."""
    solid = fault_table[~fault_table["thin"]].dropna(subset=["median_today"])
    if solid.empty:
        return None
    row = solid.sort_values("median_today", ascending=False).iloc[0]
    return {
        "fault_type": row["fault_type"],
        "median_today": float(row["median_today"]),
        "n": int(row["n"]),
    }


def source_mix(frame: pd.DataFrame, first: dict, last: dict) -> list[str]:
    """A sentence on how many of each window's sums come from decision pages, and why it matters.

    Formal reports, news and advocacy sites tend to carry the larger cases; if the windows
    differ in their mix, the change of the median partly reflects where cases were found.
    """
    sums = frame[frame["symbolic_gbp"] > 0]
    on_page = sums["source_kind"] == DECISION_PAGE
    if on_page.all() or not on_page.any():
        return []
    page_median = sums.loc[on_page, "symbolic_today"].median()
    other_median = sums.loc[~on_page, "symbolic_today"].median()
    sentence = (
        f"Decision pages give {first['n_decision_page']} of the {first['n']} earlier sums and "
        f"{last['n_decision_page']} of the {last['n']} later ones; across all years their median "
        f"is {money(page_median)} against {money(other_median)} for sums found in reports, news "
        "and other sources"
    )
    page_share = (first["n_decision_page"] / first["n"], last["n_decision_page"] / last["n"])
    shifts_down = page_share[1] > page_share[0] and other_median > page_median
    shifts_up = page_share[1] < page_share[0] and other_median < page_median
    if shifts_down or shifts_up:
        sentence += ", so part of the change reflects where the cases were found"
    return [sentence + "."]


def what_changed(frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> str:
    """A short paragraph, computed from the data, on how remedies moved.

    It gives the real-terms change of the median between the first and last years with sums,
    with case counts; the change in the payment share over the same years; and the fault with
    the largest median. Thin comparisons are called thin.
    """
    today_year = int(frame["today_year"].iloc[0])
    moved = change(frame)
    sentences = []
    if moved is None:
        sentences.append("The sums cover a single year, so no change over time can be shown.")
    else:
        first, last, pct = moved["first"], moved["last"], moved["real_change_pct"]
        direction = "higher" if pct > 0 else "lower"
        sentences.append(
            f"In {today_year} money, the median symbolic payment was "
            f"{money(first['median_today'])} in {years_label(first['years'])} "
            f"({first['n']} cases) and {money(last['median_today'])} in "
            f"{years_label(last['years'])} ({last['n']} cases): {abs(pct):.0f}% {direction} "
            f"in real terms (nominal medians {money(first['median_gbp'])} and "
            f"{money(last['median_gbp'])})."
        )
        if moved["thin"]:
            sentences.append(
                f"This comparison is thin: one side rests on fewer than {THIN_BELOW} cases."
            )
        if first["share_n"] and last["share_n"]:
            sentences.append(
                "Of upheld cases with a stated remedy, the share with any symbolic payment went "
                f"from {first['share']:.0%} ({first['share_paid']} of {first['share_n']}) to "
                f"{last['share']:.0%} ({last['share_paid']} of {last['share_n']}) over the same "
                "years."
            )
        sentences.extend(source_mix(frame, first, last))
    fault = top_fault(tables["by_fault"])
    if fault is not None:
        sentences.append(
            f"Among fault types with at least {THIN_BELOW} cases, "
            f"{fault['fault_type'].replace('_', ' ')} draws the largest median "
            f"({money(fault['median_today'])}, {fault['n']} cases)."
        )
    sentences.append(
        "The cases are a hand-coded sample of published decisions, so a change may reflect "
        "which decisions were coded as well as what was paid."
    )
    return " ".join(sentences)


# --- counts and headline ----------------------------------------------------------------------


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


def _clean(value: object) -> object:
    """A JSON-friendly value: NaN becomes None, numpy numbers plain Python."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    if isinstance(value, (float, np.floating)):
        return None if value != value else round(float(value), 4)
    return value


def headline(frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> dict:
    """The headline figures for programs (``--json``): sums, payment share, change, counts."""
    sums = frame[frame["symbolic_gbp"] > 0]
    base = share_base(frame)
    n_paid = int((base["symbolic_gbp"] > 0).sum())
    figures = {
        "today_year": int(frame["today_year"].iloc[0]),
        **coverage(frame),
        "median_gbp": sums["symbolic_gbp"].median(),
        "median_today": sums["symbolic_today"].median(),
        "q1_today": sums["symbolic_today"].quantile(0.25),
        "q3_today": sums["symbolic_today"].quantile(0.75),
        "payment_share": {
            "share": n_paid / len(base) if len(base) else float("nan"),
            "n_paid": n_paid,
            "n": len(base),
        },
        "change": change(frame),
        "top_fault": top_fault(tables["by_fault"]),
        "rates_today_per_month": {
            row["purpose"]: {"median": row["median_today_per_month"], "n": row["n"]}
            for row in tables["rates"].to_dict("records")
        },
        "what_changed": what_changed(frame, tables),
    }
    return _clean(figures)
