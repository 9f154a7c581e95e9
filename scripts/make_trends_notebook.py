"""Write the thin policy notebook 3.0 (trends and the consistency audit) from its cell sources.

Run it after changing the cells: ``python scripts/make_trends_notebook.py`` (outputs not kept;
the tests execute the notebook).
"""

from pathlib import Path

from make_notebooks import write  # the one writer of the notebooks (same folder)
from nbformat.v4 import new_code_cell, new_markdown_cell

HERE = Path(__file__).resolve().parent.parent / "notebooks"

INTRO = """# 3.0 Remedy trends and consistency, for policy staff

Two questions: **what is solid in how the Ombudsman's symbolic payments move**, and **are
remedies consistent with each other?** Everything below is computed by the package
(`remedy_model.trends`, `remedy_model.rates`, `remedy_model.audit`); the command line gives the
finished reports:

    remedy trends --out reports/trends [--from 2019] [--category "Adult care services"]
    remedy audit --out reports/audit

Rules used throughout:

- a case **with a sum** has a stated remedy with a symbolic payment above £0; a case with **no
  visible sum** is left out of money figures and counted;
- **today's money** is the latest year of the ONS CPI index (D7BT);
- a cell resting on fewer than 5 cases is **thin**: shown, marked, and listed **last**;
- two periods are compared only when **each holds at least 20 cases**;
- **press-reported sums skew high** (the press picks out large ones), so where they dominate a
  period the comparison leads with that caveat and is repeated on decision pages alone."""

TRENDS = [
    new_markdown_cell(INTRO),
    new_code_cell(
        "import tempfile\n"
        "from pathlib import Path\n\n"
        "import pandas as pd\n"
        "from IPython.display import Image, display\n\n"
        "from remedy_model import config\n"
        "from remedy_model.audit import report as audit_report\n"
        "from remedy_model.audit import tables as audit_tables\n"
        "from remedy_model.audit.plots import plot_scatter\n"
        "from remedy_model.dataset import data_hash, load_cases\n"
        "from remedy_model.inflation import CpiIndex\n"
        "from remedy_model.trends import report, summary, tables\n\n"
        'pd.set_option("display.width", 160)\n'
        'pd.set_option("display.max_columns", 20)\n'
        'pd.set_option("display.max_colwidth", 90)'
    ),
    new_markdown_cell("## The cases and what is left out"),
    new_code_cell(
        "cpi = CpiIndex.from_csv(config.CPI_PATH)\n"
        "loaded = load_cases(config.CASES_PATH)\n"
        "frame = tables.trends_frame(loaded.cases, cpi)\n"
        "year = cpi.latest_year\n"
        'print(f"data {data_hash([config.CASES_PATH])}: {len(frame):,} cases, "\n'
        '      f"{len(loaded.errors)} bad lines; today\'s money = {year} prices")\n'
        "counts = tables.coverage(frame)\n"
        "pd.Series({\n"
        '    "cases": counts["n_cases"],\n'
        '    "with a symbolic sum": counts["n_with_sum"],\n'
        '    "remedy stated, no symbolic money": counts["n_zero_sum"],\n'
        '    "no visible sum (left out of money figures)": counts["n_no_visible_sum"],\n'
        '    "with a sum but no year (taken as today\'s money)": counts["n_no_year"],\n'
        '}, name="cases").to_frame()'
    ),
    new_markdown_cell(
        "## What changed, and how solid it is\n\n"
        "The paragraph the report opens with. Read its first sentence first: where press "
        "reports supply most of a period's sums, the comparison on the Ombudsman's decision "
        "pages alone is the one to rely on."
    ),
    new_code_cell("result = tables.all_tables(frame)\nprint(summary.what_changed(frame, result))"),
    new_markdown_cell(
        "## Sums by fault type and by subcategory\n\n"
        "Largest median first among the solid rows; thin rows follow, marked."
    ),
    new_code_cell(
        'report.readable("by_fault", result["by_fault"], year, today_only=True).head(12)'
    ),
    new_code_cell(
        'subcats = report.readable("by_subcategory", result["by_subcategory"], year, True)\n'
        'subcats[subcats["note"] == ""]'
    ),
    new_markdown_cell(
        "## How often anything is paid\n\n"
        "Of upheld cases whose remedy is stated, the share that include a symbolic payment."
    ),
    new_code_cell(
        'report.readable("payment_rate_by_category", result["payment_rate_by_category"], year)'
    ),
    new_code_cell(
        'report.readable("payment_rate_by_fault", result["payment_rate_by_fault"], year).head(10)'
    ),
    new_markdown_cell(
        "## What a month of lost care, respite or education is worth\n\n"
        "Symbolic payments for the purpose divided by the months the fault lasted "
        "(`remedy_model.rates`, the same definition the suggestion uses), with a 90% bootstrap "
        "interval of the median: how far the median could move with other cases like these."
    ),
    new_code_cell('report.readable("rates", result["rates"], year, today_only=True)'),
    new_markdown_cell(
        "## The report's figures\n\n`build_report` writes the HTML, the CSVs and the PNGs into "
        "a folder (here a temporary one)."
    ),
    new_code_cell(
        'out = Path(tempfile.mkdtemp()) / "trends"\n'
        "written = report.build_report([config.CASES_PATH], config.CPI_PATH, out)\n"
        'for name in ("rates", "payment_rate_by_category", "by_subcategory"):\n'
        "    display(Image(filename=str(written.png_paths[name])))"
    ),
]

AUDIT = [
    new_markdown_cell(
        "## Are remedies consistent? The audit\n\n"
        "Every upheld case with a visible symbolic sum is compared with the sum a model that "
        "never saw it expects: 5-fold cross-validation grouped by complaint, repeated 3 times "
        "(`remedy_model.evaluate.out_of_fold`). This takes a little while."
    ),
    new_code_cell(
        "scored, groups, figures = audit_report.score_and_summarise(loaded.cases, cpi)\n"
        "print(f\"{figures['n_scored']} cases scored; {figures['n_outside']} \"\n"
        "      f\"({figures['share_outside']:.0%}) outside the 80% interval: \"\n"
        "      f\"{figures['n_above']} above, {figures['n_below']} below\")"
    ),
    new_markdown_cell(
        "An 80% interval leaves about one case in five outside by design: the share outside "
        "is not a failure rate. What matters is where it is well above that, and how far the "
        "furthest cases sit."
    ),
    new_code_cell("display(Image(data=plot_scatter(scored, year, figures['interval_level'])))"),
    new_markdown_cell("### Paid far more, and far less, than their peers suggest"),
    new_code_cell('audit_report.readable_outliers(audit_tables.largest(scored, "above", k=8))'),
    new_code_cell('audit_report.readable_outliers(audit_tables.largest(scored, "below", k=8))'),
    new_markdown_cell(
        "Several of the furthest cases come from press reports or have no reference: they are "
        "cases to read, not errors; the coded facts may miss what drove the sum."
    ),
    new_markdown_cell("### Consistency by source and by year"),
    new_code_cell('audit_report.readable("source", groups["source"])'),
    new_code_cell('audit_report.readable("year", groups["year"])'),
    new_markdown_cell("### Is it improving?"),
    new_code_cell(
        "print(figures['consistency_answer'])\n"
        "for sentence in figures['consistency_details']:\n"
        "    print('-', sentence)"
    ),
    new_markdown_cell(
        "## Conclusion\n\n"
        "- **What is solid.** On the Ombudsman's own decision pages the median symbolic payment "
        "has hardly moved in real terms between the late 2010s and the mid 2020s; the steep fall "
        "seen across all sources comes from early years whose sums are mostly press-reported. "
        "Education cases are paid most often and most; charging cases least.\n"
        "- **Per-month rates** for lost education rest on a few dozen cases and have a usable "
        "interval; those for lost care and respite rest on few cases and are wide: quote them "
        "with their counts.\n"
        "- **Consistency.** About one scored case in five sits outside the interval its peers "
        "suggest, as an 80% interval should, and the spread of sums around their expectation "
        "shows no clear change between the early and the late years, on all sources or on "
        "decision pages alone. The largest outliers are worth reading one by one.\n"
        "- **Caveats.** The cases are a hand-coded sample; thin cells are shown last and marked; "
        "nothing here says why a sum was set where it was."
    ),
]


if __name__ == "__main__":
    write("3.0-remedy-trends.ipynb", TRENDS + AUDIT)
