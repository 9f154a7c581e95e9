"""Write the thin notebooks 1.0 and 2.0 from their cell sources (run once; outputs not kept)."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent.parent / "notebooks"

EXPLORE = [
    new_markdown_cell(
        "# 1.0 Exploring the case table\n\n"
        "The embedded table holds real LGSCO cases coded as facts (see `data/raw/CODEBOOK.md`). "
        "This notebook loads them through the package's own loader, shows how many have a "
        "visible remedy, how often money is paid, and how symbolic sums spread in today's money."
    ),
    new_code_cell(
        "from remedy_model import config\n"
        "from remedy_model.dataset import read_cases, cases_frame\n"
        "from remedy_model.inflation import CpiIndex\n\n"
        "loaded = read_cases(config.CASES_PATH)\n"
        "cpi = CpiIndex.from_csv(config.CPI_PATH)\n"
        "frame = cases_frame(loaded.cases, cpi)\n"
        "print(f'{len(frame)} cases, {len(loaded.errors)} bad lines; today = {cpi.latest_year} money')"
    ),
    new_markdown_cell(
        "## What is known about the remedy\n\nMany pages do not show the sum; those cases stay as precedents but cannot train the payment model."
    ),
    new_code_cell(
        "visible = frame[frame.remedy_visible]\n"
        "paid = visible[visible.symbolic_gbp > 0]\n"
        "print(f'remedy visible: {len(visible)}; any symbolic payment: {len(paid)} '\n"
        "      f'({len(paid) / len(visible):.0%} of visible)')\n"
        "visible.groupby('decision').paid.agg(['count', 'mean']).rename(columns={'mean': 'share paid'})"
    ),
    new_markdown_cell("## Symbolic sums, nominal and in today's money"),
    new_code_cell(
        "import matplotlib.pyplot as plt\n"
        "import numpy as np\n\n"
        "fig, ax = plt.subplots(figsize=(7, 3))\n"
        "bins = np.logspace(1, 5, 30)\n"
        "ax.hist(paid.symbolic_gbp, bins=bins, alpha=0.6, label='nominal')\n"
        "ax.hist(paid.symbolic_today, bins=bins, alpha=0.6, label=f'{cpi.latest_year} money')\n"
        "ax.set_xscale('log'); ax.set_xlabel('symbolic payment, £ (log scale)'); ax.set_ylabel('cases')\n"
        "ax.legend(); ax.set_title(f'{len(paid)} cases with a symbolic payment');"
    ),
    new_code_cell(
        "paid.groupby('category_group').symbolic_today.describe()[['count', '25%', '50%', '75%']].round(0)"
    ),
    new_markdown_cell(
        "## Cases the CPI does not cover\n\nThe series ends in 2025; cases from 2026 and cases "
        "with no year are taken at the 2025 index."
    ),
    new_code_cell(
        "for year in sorted({c.effective_year for c in loaded.cases}, key=lambda y: (y is None, y)):\n"
        "    note = cpi.assumption(year)\n"
        "    if note:\n"
        "        n = sum(c.effective_year == year for c in loaded.cases)\n"
        "        print(f'{n:4d} cases: {note}')"
    ),
]

WALKTHROUGH = [
    new_markdown_cell(
        "# 2.0 An investigator's walkthrough\n\n"
        "An investigator has found that a council left a carer without respite for nine months "
        "and proposes £500. Is that consistent with past decisions? Everything below goes "
        "through `remedy_model.api`, the same surface as the `remedy` command."
    ),
    new_code_cell(
        "from remedy_model import api\n\n"
        "model = api.get_model()  # trained on the embedded cases on first use\n"
        "case = dict(api.DEMO_CASE)\n"
        "case"
    ),
    new_markdown_cell(
        "## The suggested range\n\nThe range is the central 80% of outcomes: £0 when there is a fair chance of no payment, else the amount."
    ),
    new_code_cell(
        "s = api.suggest(case, model=model, proposed=500, k=5)\n"
        "print(f'chance of any symbolic payment: {s.p_payment:.0%}')\n"
        "print('range, %d money:' % s.money_year, {k: round(v) for k, v in s.range_nominal.items()})\n"
        "print('amount if paid, today:', {k: round(v) for k, v in s.amount_if_paid_today.items()})"
    ),
    new_markdown_cell("## The precedents behind it"),
    new_code_cell(
        "import pandas as pd\n\n"
        "pd.DataFrame([\n"
        "    {'ref': p.case_ref, 'body': p.organisation, 'year': p.year,\n"
        "     'symbolic': p.symbolic_gbp, 'today': p.symbolic_today, 'distance': p.distance,\n"
        "     'shares': '; '.join(p.shared[:4])}\n"
        "    for p in s.precedents\n"
        "])"
    ),
    new_markdown_cell("## The check of £500"),
    new_code_cell("print(s.check.verdict, '-', s.check.reason)"),
    new_code_cell(
        "from pathlib import Path\n"
        "from IPython.display import Image\n"
        "from remedy_model.figures import plot_suggestion\n\n"
        "out = Path('../reports/notebook'); out.mkdir(parents=True, exist_ok=True)\n"
        "Image(filename=str(plot_suggestion(s, out / 'walkthrough_precedents.png')))"
    ),
    new_markdown_cell(
        "## What if the proposal were larger?\n\nThe same check for a range of proposals shows "
        "where the verdict changes."
    ),
    new_code_cell(
        "for amount in (100, 500, 2000, 8000):\n"
        "    c = api.check(case, amount, model=model)\n"
        "    print(f'£{amount:>5,}: {c.verdict:6s} percentile {c.percentile:.0f}')"
    ),
]


def write(name: str, cells) -> None:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    write("1.0-explore-cases.ipynb", EXPLORE)
    write("2.0-investigator-walkthrough.ipynb", WALKTHROUGH)
