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
        "from remedy_model import api\n"
        "from remedy_model.style import TONE_WORDS, money, pct\n\n"
        "model = api.get_model()  # trained on the embedded cases on first use\n"
        "case = dict(api.DEMO_CASE)\n"
        "case"
    ),
    new_markdown_cell(
        "## Two questions, two answers\n\n"
        "(a) Is a symbolic payment likely at all? (b) If one is made, how much? The chance is "
        "set beside the share of the most similar upheld decisions that were paid; the amount is "
        "an 80% interval, in the money of the case's year and in today's."
    ),
    new_code_cell(
        "import pandas as pd\n\n"
        "s = api.suggest(case, model=model, proposed=500, k=5)\n"
        "a = s.payment\n"
        "print(f'(a) chance of a symbolic payment: {pct(a.chance)}; '\n"
        "      f'{a.precedents_paid} of the {a.precedents_compared} most similar upheld decisions were paid')\n"
        "if a.note:\n"
        "    print(a.note)\n"
        "pd.DataFrame({f'{s.money_year} money': s.amount_if_paid_nominal,\n"
        "              f'today ({s.today_year})': s.amount_if_paid_today}).map(money)"
    ),
    new_markdown_cell("## The check of £500"),
    new_code_cell("c = s.check\nprint(f'{c.verdict} - {TONE_WORDS[c.tone]}')\nprint(c.reason)"),
    new_markdown_cell(
        "## Why this figure\n\n"
        "Each stated fact moves the answer away from a typical paid upheld decision: a factor on "
        "the amount, percentage points on the chance. *cases* counts the training cases sharing "
        "the fact; *thin* marks fewer than 10."
    ),
    new_code_cell(
        "e = s.explanation\n"
        "print(f'typical paid upheld decision: {money(e.typical_amount_today)} today, '\n"
        "      f'{pct(e.typical_chance)} chance')\n"
        "pd.DataFrame([{'answer': part, 'fact': x.fact, 'effect': x.effect, 'cases': x.n_sharing,\n"
        "               'thin': 'thin' if x.thin else ''}\n"
        "              for part, effects in (('amount', e.amount), ('chance', e.payment))\n"
        "              for x in effects])"
    ),
    new_code_cell("for gap in s.gaps:\n    print(gap.note)"),
    new_markdown_cell(
        "## The reference view and the precedents\n\n"
        "Sums paid in upheld decisions of the same subcategory and group, and the precedents "
        "themselves: the nearest upheld decisions that state their remedy (£0 means an apology "
        "only), then any nearer one whose sum was not stated."
    ),
    new_code_cell(
        "pd.DataFrame([{'group': x.name, 'cases': x.n, 'lowest': money(x.lowest_gbp),\n"
        "               'median': money(x.median_gbp), 'highest': money(x.highest_gbp)}\n"
        "              for x in s.reference.sums])"
    ),
    new_code_cell(
        "def sums(p):\n"
        "    if not p.remedy_visible:\n"
        "        return 'not stated'\n"
        "    if not p.symbolic_gbp:\n"
        "        return '£0 (apology only)'\n"
        "    return f'{money(p.symbolic_gbp)} ({money(p.symbolic_today)} today)'\n\n"
        "pd.DataFrame([{'reference': p.label, 'body': p.organisation, 'year': p.year,\n"
        "               'decision': p.decision.replace('_', ' '), 'symbolic': sums(p),\n"
        "               'similarity': p.similarity, 'shares': '; '.join(p.shared[:4])}\n"
        "              for p in s.precedents])"
    ),
    new_code_cell(
        "import io\n"
        "from IPython.display import Image\n"
        "from remedy_model.figures import precedent_figure\n\n"
        "png = io.BytesIO()\n"
        "precedent_figure(s).savefig(png, format='png')\n"
        "Image(png.getvalue())"
    ),
    new_markdown_cell(
        "## What if the proposal were different?\n\n"
        "£0 is judged against the chance of a payment; any other sum against the amount "
        "interval and the sums of the most similar paid decisions."
    ),
    new_code_cell(
        "for amount in (0, 100, 500, 2000, 8000):\n"
        "    c = api.check(case, amount, model=model)\n"
        "    print(f'£{amount:,}: {c.verdict} - {TONE_WORDS[c.tone]}')\n"
        "    print(f'    {c.reason}')"
    ),
    new_markdown_cell(
        "## The same check from a draft decision\n\n"
        "Given the draft itself, `api.read_draft` reads the facts, each with the passage it "
        "came from, and the remedy the draft proposes; `api.check_draft` checks the draft's own "
        "symbolic total and sets each purpose beside the typical sum paid for it. The draft "
        "below is invented for this notebook."
    ),
    new_code_cell(
        "import tempfile\n"
        "from pathlib import Path\n\n"
        'DRAFT = """Draft decision\n\n'
        "Complaint about: Invented Vale County Council\n"
        "Category: Adult care services > Assessment and care plan\n"
        "Decision date: 3 June 2025\n\n"
        "Summary: Mrs K complained the Council did not arrange the respite care set out in her "
        "son's care plan for nine months. Her son has a learning disability and she is his unpaid "
        "carer. The Council should apologise and pay Mrs K £400 for the distress and £300 for the "
        "lost respite.\n\n"
        'Decision\n1. I have found fault causing injustice.\n"""\n\n'
        "with tempfile.TemporaryDirectory() as folder:\n"
        "    path = Path(folder) / 'draft.txt'\n"
        "    path.write_text(DRAFT, encoding='utf-8')\n"
        "    draft = api.read_draft(path)\n"
        "pd.DataFrame([{'field': x.label, 'value': x.value, 'passage': x.evidence}\n"
        "              for x in draft.case.read])"
    ),
    new_code_cell(
        "checked = api.check_draft(draft, model=model)\n"
        "print(checked.verdict_words)\n"
        "print(checked.suggestion.check.reason)\n"
        "pd.DataFrame([{'purpose': p.label, 'the draft': money(p.draft_gbp), 'typical': p.words}\n"
        "              for p in checked.purposes])"
    ),
    new_markdown_cell("## Conclusion"),
    new_code_cell(
        "c = s.check\n"
        "print(f'The proposed £500 is {c.verdict} the amount usually paid in similar decisions '\n"
        '      f\'({money(s.amount_if_paid_nominal["low"])} to {money(s.amount_if_paid_nominal["high"])}, \'\n'
        "      f'{s.money_year} money): {TONE_WORDS[c.tone]}. A payment is '\n"
        '      f\'{"likely" if a.chance >= 0.5 else "not the usual outcome"} ({pct(a.chance)}), \'\n'
        "      f'and {a.precedents_paid} of the {a.precedents_compared} nearest upheld decisions paid one.')"
    ),
    new_markdown_cell(
        "The figures are a starting point for judgement, not a decision: read the precedents "
        "behind them, and mind the facts not given, which can move the answer."
    ),
]


def write(name: str, cells) -> None:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    write("1.0-explore-cases.ipynb", EXPLORE)
    write("2.0-investigator-walkthrough.ipynb", WALKTHROUGH)
