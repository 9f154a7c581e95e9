"""Write the trends report: CSV tables, PNG figures and one self-contained ``report.html``.

The HTML holds its figures as base64 ``data:`` URIs and its style inline, and references nothing
outside itself, so it opens offline and can be mailed as one file. All text drawn from the data
is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from remedy_model.dataset import RecordError, load_cases
from remedy_model.errors import InputError
from remedy_model.inflation import CpiIndex
from remedy_model.outputs import write_text
from remedy_model.style import money
from remedy_model.trends import plots, summary, tables
from remedy_model.trends.tables import THIN_BELOW

SECTIONS: dict[str, tuple[str, str]] = {
    "by_year": (
        "Symbolic sums by year",
        "Median and interquartile range of the symbolic payment per case, by decision year, in "
        "today's money and in the money of the year. The table lists the solid years first, "
        "then the thin ones.",
    ),
    "by_fault": (
        "By fault type",
        "A case with several faults counts under each; largest median first, thin rows last.",
    ),
    "by_category": ("By category group", "The first level of the Ombudsman's category."),
    "by_subcategory": (
        "By subcategory",
        "The first two levels of the category; a category without a second level counts as "
        "its group's 'Other'.",
    ),
    "by_org_type": ("By type of organisation", "The body complained about."),
    "carer": (
        "Unpaid carers",
        "Cases where an unpaid or family carer was affected, compared with cases where not. "
        "'Paid to a carer' counts cases with a symbolic payment to a carer or for carer strain; "
        "shares are over cases whose remedy is stated.",
    ),
    "respite": (
        "Lost respite",
        "Cases where respite or short breaks that should have been provided were not.",
    ),
    "rates": (
        "What a month is worth",
        "Symbolic payments for lost care (loss of service), lost respite and lost education "
        "divided by the months the fault lasted, where both are known and the duration is "
        "above zero. The whiskers and the last two columns give a 90% bootstrap interval of "
        "the median (2,000 resamples, fixed seed): how far the median could move with other "
        "cases like these.",
    ),
    "payment_share": (
        "How often anything is paid",
        "Share of upheld cases (upheld or upheld in a formal report) with a stated remedy that "
        "include any symbolic payment, by decision year.",
    ),
    "payment_rate_by_fault": (
        "How often anything is paid, by fault type",
        "The same share by fault type (a case counts under each of its faults); highest share "
        "first, thin rows last.",
    ),
    "payment_rate_by_category": (
        "How often anything is paid, by category group",
        "The same share by category group.",
    ),
}
"""Heading and one-line explanation of each table, in report order."""

HEADERS = {
    "year": "year",
    "fault_type": "fault type",
    "category_group": "category group",
    "subcategory": "subcategory",
    "org_type": "organisation type",
    "group": "group",
    "label": "payment for",
    "n_cases": "cases",
    "n_visible": "remedy stated",
    "n_carer_payment": "paid to a carer",
    "share_carer_payment": "share paid to a carer",
    "share_paid": "share with a sum",
    "n_paid": "with a symbolic payment",
    "share": "share",
}
"""Column headings for reading; money columns are named in :func:`header`."""

N_HEADERS = {
    "rates": "with a duration too",
    "payment_share": "upheld, remedy stated",
    "payment_rate_by_fault": "upheld, remedy stated",
    "payment_rate_by_category": "upheld, remedy stated",
}


@dataclass
class TrendsReport:
    """What a report run produced: the figures, the files written and the lines skipped."""

    headline: dict
    tables: dict[str, pd.DataFrame]
    out_dir: Path
    html_path: Path
    csv_paths: dict[str, Path]
    png_paths: dict[str, Path]
    load_errors: list[RecordError] = field(default_factory=list)


def header(table_name: str, column: str, today_year: int) -> str:
    """The heading of a column for reading, with the prices year for money columns."""
    if column == "n":
        return N_HEADERS.get(table_name, "with a sum")
    if column == "n_cases" and table_name == "rates":
        return "with such a payment"
    if column in HEADERS:
        return HEADERS[column]
    stat, _, rest = column.partition("_")
    stat = {
        "median": "median",
        "q1": "lower quartile",
        "q3": "upper quartile",
        "low": "median's 90% interval, low",
        "high": "median's 90% interval, high",
    }[stat]
    prices = f"{today_year} £" if rest.startswith("today") else "nominal £"
    per = " per month" if rest.endswith("per_month") else ""
    return f"{stat}{per} ({prices})"


def cell_text(column: str, value: object) -> str:
    """One table cell for reading: pounds, percentages, plain words, '-' when unknown.

    >>> cell_text("median_today", 1249.6), cell_text("share", 0.5), cell_text("q1_gbp", None)
    ('£1,250', '50%', '-')
    """
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if column.startswith(("median", "q1", "q3", "low", "high")):
        return money(float(value))
    if column.startswith("share"):
        return f"{float(value):.0%}"
    return plots.plain(value)


def cell(column: str, value: object) -> str:
    """One table cell as escaped HTML text (:func:`cell_text`)."""
    return html.escape(cell_text(column, value))


def readable(
    name: str, table: pd.DataFrame, today_year: int, today_only: bool = False
) -> pd.DataFrame:
    """A report table as the report shows it, for notebooks: plain headings, formatted cells
    and a ``note`` column saying which rows are thin; ``today_only`` leaves out the nominal
    money columns."""
    columns = [c for c in table.columns if c not in ("thin", "purpose")]
    if today_only:
        columns = [c for c in columns if "_gbp" not in c]
    out = pd.DataFrame(
        {header(name, c, today_year): [cell_text(c, v) for v in table[c]] for c in columns}
    )
    out["note"] = ["thin" if thin else "" for thin in table["thin"]]
    return out


def table_html(name: str, table: pd.DataFrame, today_year: int) -> str:
    """An HTML table; thin rows get the class ``thin`` and a visible 'thin' label."""
    columns = [c for c in table.columns if c not in ("thin", "purpose")]
    head = "".join(f"<th>{html.escape(header(name, c, today_year))}</th>" for c in columns)
    body = []
    for row in table.to_dict("records"):
        cells = "".join(f"<td>{cell(c, row[c])}</td>" for c in columns)
        mark = '<span class="tag">thin</span>' if row["thin"] else ""
        attr = ' class="thin"' if row["thin"] else ""
        body.append(f"<tr{attr}>{cells}<td>{mark}</td></tr>")
    return (
        f"<table><thead><tr>{head}<th>note</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def image_html(path: Path, alt: str) -> str:
    """A PNG embedded as a base64 data URI."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'


def notes_html(figures: dict, sources: Sequence[str], filters: str, n_errors: int) -> str:
    """The notes: what the figures rest on, what was left out, and the price assumptions."""
    year = figures["today_year"]
    items = [
        f"{figures['n_cases']:,} cases from {', '.join(sources)} ({filters}).",
        f"{figures['n_no_visible_sum']:,} cases had no visible sum (the published text did not "
        "state the remedy) and were left out of every figure about money.",
        f"{figures['n_zero_sum']:,} cases stated a remedy with no symbolic payment: they count in "
        "the share of cases paid, not in the medians. Medians and quartiles are over the "
        f"{figures['n_with_sum']:,} cases with a symbolic sum above £0.",
        f"Today's money is {year} prices, by the ONS consumer price index (series D7BT, annual "
        f"averages). {figures['n_no_year']} cases with a sum have no year and "
        f"{figures['n_after_cpi']} are dated after {year}: both are taken at the {year} index.",
        f"A cell resting on fewer than {THIN_BELOW} cases is marked thin: shown, but not to be "
        "relied on. Every table and bar chart lists its thin rows last.",
    ]
    if n_errors:
        items.append(f"{n_errors} lines of the case files were not valid cases and were skipped.")
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; line-height: 1.45; }
h1, h2 { font-family: 'DejaVu Sans', Arial, sans-serif; }
h2 { border-top: 1px solid #999; padding-top: 1rem; margin-top: 2.5rem; }
img { max-width: 100%; height: auto; display: block; margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.45rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #eee; }
tr.thin td { color: #666; font-style: italic; background: #f4f4f4; }
.tag { border: 1px solid #666; border-radius: 3px; padding: 0 0.3rem; font-size: 0.75rem; }
.changed { background: #f3f5fa; border-left: 4px solid #1f3b73; padding: 0.6rem 1rem; }
@media print { h2 { page-break-before: always; } img, table { page-break-inside: avoid; } }
"""


def render_html(
    report_tables: dict[str, pd.DataFrame],
    png_paths: dict[str, Path],
    figures: dict,
    sources: Sequence[str],
    filters: str,
    n_errors: int = 0,
) -> str:
    """The whole report as one HTML string with nothing outside it."""
    year = figures["today_year"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Ombudsman remedy trends</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Ombudsman remedy trends</h1>",
        f"<p>Symbolic payments recommended by the Local Government and Social Care Ombudsman, "
        f"in {year} money unless marked nominal. Filters: {html.escape(filters)}.</p>",
        "<h2>What changed</h2>",
        f'<p class="changed">{html.escape(figures["what_changed"])}</p>',
        "<h2>Notes</h2>",
        notes_html(figures, sources, filters, n_errors),
    ]
    for name, (heading, intro) in SECTIONS.items():
        parts += [
            f'<h2 id="{name}">{html.escape(heading)}</h2>',
            f"<p>{html.escape(intro)}</p>",
            image_html(png_paths[name], heading),
            table_html(name, report_tables[name], year),
            f"<p><small>Table: {html.escape(name)}.csv</small></p>",
        ]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_csvs(report_tables: dict[str, pd.DataFrame], out_dir: Path) -> dict[str, Path]:
    """Write each table as ``out_dir/<name>.csv`` (rounded to 4 decimals), atomically."""
    paths = {}
    for name, table in report_tables.items():
        paths[name] = write_text(Path(out_dir) / f"{name}.csv", table.round(4).to_csv(index=False))
    return paths


def make_out_dir(out_dir: Path | str) -> Path:
    """Create the report folder (and its parents); refuse a path that is not a folder.

    Raises
    ------
    InputError
        When ``out_dir`` exists and is a file, or cannot be created.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: --out exists and is not a folder; give a folder for the report")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{out}: cannot create the report folder ({exc.strerror or exc})"
        ) from None
    return out


def build_report(
    case_paths: Sequence[Path | str],
    cpi_path: Path | str,
    out_dir: Path | str,
    year_from: int | None = None,
    year_to: int | None = None,
    category: str | None = None,
) -> TrendsReport:
    """Read the cases, compute every table, and write the report into ``out_dir``.

    Everything is computed before anything is written, so a filter that leaves no cases
    raises :class:`~remedy_model.errors.InputError` and leaves ``out_dir`` untouched.

    Parameters
    ----------
    case_paths : sequence of path-like
        JSON Lines case files (``CODEBOOK.md``).
    cpi_path : path-like
        The CPI table for today's money.
    out_dir : path-like
        Folder for ``report.html``, the CSVs and the PNGs; created if missing.
    year_from, year_to, category : optional
        Keep cases decided within these years, and in this category group.
    """
    tables.check_years(year_from, year_to)
    cpi = CpiIndex.from_csv(cpi_path)
    loaded = load_cases(list(case_paths))
    frame = tables.trends_frame(loaded.cases, cpi)
    frame = tables.filter_frame(frame, year_from, year_to, category)
    report_tables = tables.all_tables(frame)
    figures = summary.headline(frame, report_tables)
    out = make_out_dir(out_dir)
    csv_paths = write_csvs(report_tables, out)
    png_paths = plots.write_plots(report_tables, cpi.latest_year, out)
    filters = tables.describe_filters(year_from, year_to, category)
    sources = [Path(p).name for p in case_paths]
    page = render_html(report_tables, png_paths, figures, sources, filters, len(loaded.errors))
    html_path = write_text(out / "report.html", page)
    return TrendsReport(
        figures, report_tables, out, html_path, csv_paths, png_paths, list(loaded.errors)
    )
