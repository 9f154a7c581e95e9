"""Write the audit: ``outliers.csv``, the consistency CSVs, PNGs and one ``report.html``.

The HTML holds its figures as base64 ``data:`` URIs and its style inline; its only links are
the cases' own public pages, and only ``http`` / ``https`` ones. All text drawn from the data
is HTML-escaped. Everything is computed before anything is written.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from remedy_model.audit import change, plots, tables
from remedy_model.config import CV_FOLDS, CV_REPEATS, RANDOM_STATE
from remedy_model.dataset import RecordError, data_hash, load_cases
from remedy_model.inflation import CpiIndex
from remedy_model.outputs import write_bytes, write_text
from remedy_model.style import money
from remedy_model.trends.plots import plain
from remedy_model.trends.report import make_out_dir
from remedy_model.trends.tables import THIN_BELOW

GROUP_TITLES = {
    "year": ("By decision year", "year"),
    "category": ("By category group", "category group"),
    "org_type": ("By type of organisation", "organisation type"),
    "source": ("By source", "source (decision page, formal report, press)"),
}
"""Consistency table name -> (heading, label of its group column)."""

SPREAD_HEADERS = {
    "n": "cases scored",
    "n_outside": "outside the interval",
    "share_outside": "share outside",
    "n_above": "above",
    "n_below": "below",
    "median_ratio": "median paid / expected",
    "q1_ratio": "lower quartile",
    "q3_ratio": "upper quartile",
}
"""Columns shown in the HTML tables (the CSVs hold the log-ratio columns too)."""

SOURCE_WORDS = {"decision": "decision page", "report": "formal report", "press": "press report"}

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 62rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; line-height: 1.45; }
h1, h2, h3 { font-family: 'DejaVu Sans', Arial, sans-serif; }
h2 { border-top: 1px solid #999; padding-top: 1rem; margin-top: 2.5rem; }
img { max-width: 100%; height: auto; display: block; margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.45rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
td.text, th.text { text-align: left; }
th { background: #eee; }
tr.thin td { color: #666; font-style: italic; background: #f4f4f4; }
.tag { border: 1px solid #666; border-radius: 3px; padding: 0 0.3rem; font-size: 0.75rem; }
.lead { font-size: 1.1rem; }
.answer ul { margin: 0.3rem 0; }
.answer { background: #f3f5fa; border-left: 4px solid #1f3b73; padding: 0.6rem 1rem; }
.warn { background: #fbf6ea; border-left: 4px solid #8a6d1f; padding: 0.6rem 1rem; }
@media print { h2 { page-break-before: always; } img, table { page-break-inside: avoid; } }
"""


@dataclass
class AuditReport:
    """What an audit run produced: the figures, the tables, the files and the skipped lines."""

    headline: dict
    scored: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    html_path: Path
    csv_paths: dict[str, Path]
    png_paths: dict[str, Path]
    load_errors: list[RecordError] = field(default_factory=list)


def safe_url(url: object) -> str | None:
    """The URL when it is an absolute ``http`` or ``https`` address, else ``None``.

    >>> safe_url("https://www.lgo.org.uk/x"), safe_url("javascript:alert(1)"), safe_url(None)
    ('https://www.lgo.org.uk/x', None, None)
    """
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def reference_html(row: dict) -> str:
    """The case reference (or 'no reference'), linked to its page when it has a safe one."""
    ref = row["case_ref"] if isinstance(row["case_ref"], str) else None
    ref = html.escape(ref or f"no reference ({plain(row['source_kind'] or 'unknown source')})")
    url = safe_url(row["url"])
    return f'<a href="{html.escape(url, quote=True)}">{ref}</a>' if url else ref


def text(value: object) -> str:
    """A cell's text: '-' for a missing value."""
    return "-" if value is None or value != value else str(value)


def facts_text(row: dict) -> str:
    """The facts behind the expectation in a few words."""
    months = row["duration_months"]
    parts = [plain(row["subcategory"])]
    if months == months and months is not None:
        parts.append(f"{months:g} months")
    if row["fault_types"]:
        parts.append(", ".join(plain(f) for f in row["fault_types"].split("; ")))
    parts.append(SOURCE_WORDS.get(row["source_group"], row["source_group"]))
    return "; ".join(parts)


def outliers_html(rows: pd.DataFrame, today_year: int, level: float) -> str:
    """A table of the largest outliers one way, each with its link and facts."""
    if rows.empty:
        return "<p>None.</p>"
    head = (
        '<tr><th>case</th><th class="text">body</th><th>year</th><th>paid</th>'
        f"<th>expected</th><th>{level:.0%} interval</th><th>paid / expected</th>"
        f'<th>paid, {today_year} £</th><th class="text">facts</th></tr>'
    )
    body = []
    for row in rows.to_dict("records"):
        year = "no year" if row["year"] != row["year"] else str(int(row["year"]))
        body.append(
            f"<tr><td>{reference_html(row)}</td>"
            f'<td class="text">{html.escape(text(row["organisation"]))}</td>'
            f"<td>{year}</td><td>{money(row['actual_gbp'])}</td>"
            f"<td>{money(row['expected_gbp'])}</td>"
            f"<td>{money(row['low_gbp'])} to {money(row['high_gbp'])}</td>"
            f"<td>x{row['ratio']:.2f}</td><td>{money(row['actual_today_gbp'])}</td>"
            f'<td class="text">{html.escape(facts_text(row))}</td></tr>'
        )
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def spread_text(column: str, value: object) -> str:
    """One consistency table cell for reading.

    >>> spread_text("share_outside", 0.25), spread_text("q1_ratio", 0.5), spread_text("year", 2019)
    ('25%', 'x0.50', '2019')
    """
    if column == "share_outside":
        return f"{float(value):.0%}"
    if column.endswith("_ratio"):
        return f"x{float(value):.2f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return SOURCE_WORDS.get(value, plain(value)) if column == "source_group" else plain(value)


def spread_cell(column: str, value: object) -> str:
    """One consistency table cell as escaped HTML text."""
    return html.escape(spread_text(column, value))


def readable(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """A consistency table as the report shows it, for notebooks (``name``: a
    :data:`~remedy_model.audit.tables.GROUPINGS` key)."""
    key = tables.GROUPINGS[name]
    columns = [key, *SPREAD_HEADERS]
    out = pd.DataFrame(
        {
            SPREAD_HEADERS.get(c, GROUP_TITLES[name][1]): [spread_text(c, v) for v in table[c]]
            for c in columns
        }
    )
    out["note"] = ["thin" if thin else "" for thin in table["thin"]]
    return out


def readable_outliers(rows: pd.DataFrame) -> pd.DataFrame:
    """Outliers for reading: reference, body, year, sums in the money of the case's year."""
    records = rows.to_dict("records")
    return pd.DataFrame(
        {
            "case": [
                r["case_ref"] if isinstance(r["case_ref"], str) else "no reference" for r in records
            ],
            "body": [text(r["organisation"]) for r in records],
            "year": ["no year" if r["year"] != r["year"] else str(int(r["year"])) for r in records],
            "paid": [money(r["actual_gbp"]) for r in records],
            "expected": [money(r["expected_gbp"]) for r in records],
            "interval": [f"{money(r['low_gbp'])} to {money(r['high_gbp'])}" for r in records],
            "paid / expected": [f"x{r['ratio']:.2f}" for r in records],
            "facts": [facts_text(r) for r in records],
        }
    )


def spread_html(table: pd.DataFrame, key: str, label: str) -> str:
    """A consistency table; thin rows marked and last (as the table is ordered)."""
    columns = [key, *SPREAD_HEADERS]
    head = (
        "".join(f"<th>{html.escape(SPREAD_HEADERS.get(c, label))}</th>" for c in columns)
        + "<th>note</th>"
    )
    body = []
    for row in table.to_dict("records"):
        cells = "".join(f"<td>{spread_cell(c, row[c])}</td>" for c in columns)
        mark = '<span class="tag">thin</span>' if row["thin"] else ""
        attr = ' class="thin"' if row["thin"] else ""
        body.append(f"<tr{attr}>{cells}<td>{mark}</td></tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def thin_warning(group_tables: dict[str, pd.DataFrame]) -> str:
    """A warning naming every thin group, table by table."""
    items = []
    for name, table in group_tables.items():
        key = tables.GROUPINGS[name]
        thin = table[table["thin"]]
        if len(thin):
            listed = ", ".join(
                f"{spread_cell(key, row[key])} ({row['n']})" for row in thin.to_dict("records")
            )
            items.append(f"<li>{html.escape(GROUP_TITLES[name][1])}: {listed}</li>")
    if not items:
        return ""
    return (
        f'<div class="warn"><p><strong>Thin groups.</strong> These rest on fewer than '
        f"{THIN_BELOW} scored cases (count in brackets): they are shown, marked and listed "
        f"last, but say little on their own.</p><ul>{''.join(items)}</ul></div>"
    )


def lead_html(figures: dict) -> str:
    """The first lines: how many cases were scored and how many fall outside, read carefully."""
    level = figures["interval_level"]
    return (
        f'<p class="lead"><strong>{figures["n_scored"]} cases scored</strong>: every upheld '
        "case whose symbolic sum is visible, each compared with the sum a model that never saw "
        f"it expects. <strong>{figures['n_outside']} ({figures['share_outside']:.0%}) fall "
        f"outside the {level:.0%} interval</strong>: {figures['n_above']} above it (paid more "
        f"than their peers suggest) and {figures['n_below']} below it.</p>"
        f"<p>An {level:.0%} interval leaves about {1 - level:.0%} of cases outside by design, "
        "so the share outside is not a failure rate: a group well above it sits further from "
        "its peers than the rest, one well below it closer. The cases listed below are the "
        "furthest from what similar cases received; each may have reasons the coded facts do "
        "not capture, so they are cases to read, not errors.</p>"
    )


def notes_html(figures: dict, method: dict, sources: Sequence[str], n_errors: int) -> str:
    """How the figures were made and what they rest on."""
    year = figures["today_year"]
    items = [
        f"Data: {', '.join(sources)} (data hash {method['data_hash']}); "
        f"{method['n_cases']:,} cases, {method['n_visible']:,} with a visible remedy (these "
        f"train the fold models), {figures['n_scored']:,} scored.",
        f"Method: {method['folds']}-fold cross-validation grouped by complaint (a reference "
        "and its lettered siblings are one group), repeated "
        f"{method['repeats']} times with seed {method['random_state']}; each case's expected "
        "sum and interval are the medians over the repeats of the answers of models fitted "
        "without its complaint. The expected sum is the amount if paid; the model sees the "
        "case's facts (category, body type, faults, duration, carer, respite, vulnerable "
        "groups, year, source), never its remedy.",
        f"Money: 'paid', 'expected' and the interval are in the money of each case's year "
        f"(outliers.csv: money_year); the *_today_gbp columns are in {year} prices (ONS CPI "
        f"D7BT). {figures['n_no_year']} scored cases have no year: taken as {year} money and "
        "left out of the table by year.",
        "Spread: within a group, the middle half of cases lies between the lower and upper "
        "quartile of paid / expected; the CSVs give the same on the log scale "
        "(iqr_log_ratio).",
    ]
    if n_errors:
        items.append(f"{n_errors} lines of the case files were not valid cases and were skipped.")
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def answer_html(answer: str, details: Sequence[str]) -> str:
    """The answer in bold, then its evidence and caveats as a list."""
    items = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in details)
    return (
        f'<div class="answer"><p><strong>{html.escape(answer)}</strong></p><ul>{items}</ul></div>'
    )


def render_html(
    scored: pd.DataFrame,
    group_tables: dict[str, pd.DataFrame],
    images: dict[str, bytes],
    figures: dict,
    notes: str,
) -> str:
    """The whole audit as one HTML string; nothing outside it but the cases' own pages."""
    year = figures["today_year"]
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        "<title>Ombudsman remedy consistency audit</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Are remedies consistent? An audit of symbolic payments</h1>",
        lead_html(figures),
        "<h2>Are remedies becoming more consistent?</h2>",
        answer_html(figures["consistency_answer"], figures["consistency_details"]),
        image_tag(images["scatter"], "Each scored case: paid against expected"),
        thin_warning(group_tables),
        "<h2>Paid far more than expected</h2>",
        outliers_html(tables.largest(scored, "above"), year, figures["interval_level"]),
        "<h2>Paid far less than expected</h2>",
        outliers_html(tables.largest(scored, "below"), year, figures["interval_level"]),
    ]
    for name, (heading, label) in GROUP_TITLES.items():
        parts += [
            f"<h2>{html.escape(heading)}</h2>",
            image_tag(images[name], heading),
            spread_html(group_tables[name], tables.GROUPINGS[name], label),
            f"<p><small>Table: consistency_by_{name}.csv</small></p>",
        ]
    parts += ["<h2>Notes</h2>", notes, "</body></html>"]
    return "\n".join(parts)


def draw_figures(
    scored: pd.DataFrame, group_tables: dict[str, pd.DataFrame], figures: dict
) -> dict[str, bytes]:
    """Every figure as PNG bytes: ``scatter`` and one per consistency table."""
    level, year = figures["interval_level"], figures["today_year"]
    images = {"scatter": plots.plot_scatter(scored, year, level)}
    for name, (heading, _) in GROUP_TITLES.items():
        title = f"Consistency {heading[0].lower()}{heading[1:]}"
        label = (lambda v: SOURCE_WORDS.get(v, v)) if name == "source" else plain
        images[name] = plots.plot_spread(group_tables[name], tables.GROUPINGS[name], title, label)
    return images


def image_tag(data: bytes, alt: str) -> str:
    """A PNG embedded as a base64 data URI."""
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt)}">'


def write_files(
    out: Path, scored: pd.DataFrame, group_tables: dict[str, pd.DataFrame], images: dict
) -> tuple[dict[str, Path], dict[str, Path]]:
    """Write the CSVs and PNGs into ``out`` (each atomically); return their paths by name."""
    csv_paths = {"outliers": write_text(out / "outliers.csv", scored.round(4).to_csv(index=False))}
    for name, table in group_tables.items():
        path = out / f"consistency_by_{name}.csv"
        csv_paths[name] = write_text(path, table.round(4).to_csv(index=False))
    png_names = {"scatter": "scatter.png"} | {n: f"consistency_by_{n}.png" for n in GROUP_TITLES}
    png_paths = {name: write_bytes(out / png_names[name], data) for name, data in images.items()}
    return csv_paths, png_paths


def score_and_summarise(
    cases: Sequence, cpi: CpiIndex, **cv: int
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], dict]:
    """The scored cases, the consistency tables and the headline figures (nothing written)."""
    scored = tables.score_cases(cases, cpi, **cv)
    group_tables = tables.consistency_tables(scored)
    figures = tables.headline(scored)
    moved = change.consistency_change(scored)
    answer, details = change.consistency_answer(scored, moved, figures["interval_level"])
    figures["consistency_answer"], figures["consistency_details"] = answer, details
    figures["change"] = None if moved is None else _plain_change(moved)
    return scored, group_tables, figures


def build_audit(
    case_paths: Sequence[Path | str],
    cpi_path: Path | str,
    out_dir: Path | str,
    *,
    folds: int = CV_FOLDS,
    repeats: int = CV_REPEATS,
    n_jobs: int = 1,
    random_state: int = RANDOM_STATE,
    announce: Callable[[str], None] | None = None,
) -> AuditReport:
    """Score every upheld case with a visible sum out of fold and write the audit.

    Parameters
    ----------
    case_paths : sequence of path-like
        JSON Lines case files (``CODEBOOK.md``).
    cpi_path : path-like
        The CPI table for today's money.
    out_dir : path-like
        Folder for ``report.html``, the CSVs and the PNGs; created if missing.
    folds, repeats, n_jobs, random_state
        Of the grouped cross-validation (:func:`remedy_model.evaluate.out_of_fold`).
    announce : callable, optional
        Called with one line once the input is checked, before the long computation.

    Raises
    ------
    InputError, DataError
        For an ``out_dir`` that is a file, unreadable case files, or too few cases; nothing
        is written then.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        make_out_dir(out)  # the one-line error, before the long computation
    cpi = CpiIndex.from_csv(cpi_path)
    loaded = load_cases(list(case_paths))
    tables.check_scorable(loaded.cases, folds)
    if announce is not None:
        announce(f"scoring {len(loaded.cases):,} cases with models fitted without their complaint")
    cv = {"folds": folds, "repeats": repeats, "random_state": random_state}
    scored, group_tables, figures = score_and_summarise(loaded.cases, cpi, n_jobs=n_jobs, **cv)
    figures["method"] = method = {
        "data_hash": data_hash(case_paths),
        "n_cases": len(loaded.cases),
        "n_visible": sum(case.has_target for case in loaded.cases),
        **cv,
    }
    images = draw_figures(scored, group_tables, figures)
    notes = notes_html(figures, method, [Path(p).name for p in case_paths], len(loaded.errors))
    page = render_html(scored, group_tables, images, figures, notes)
    out = make_out_dir(out)
    csv_paths, png_paths = write_files(out, scored, group_tables, images)
    html_path = write_text(out / "report.html", page)
    return AuditReport(
        figures, scored, group_tables, html_path, csv_paths, png_paths, list(loaded.errors)
    )


def _plain_change(moved: dict) -> dict:
    """The change figures without the per-case arrays, for JSON."""
    return {
        key: (
            {k: v for k, v in value.items() if k != "log_ratio"}
            if isinstance(value, dict)
            else value
        )
        for key, value in moved.items()
    }
