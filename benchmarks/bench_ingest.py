"""Speed of ingest: decision statements per second and PDF pages per second.

    python benchmarks/bench_ingest.py [--statements 1000] [--pdf-pages 60] [--long]

Generates 1,000 decision statements (invented councils, people and sums, in the shape of
saved decision pages, 6-12 kB each like real ones), writes them as .txt and .html files and
times ``read_document`` on each on one core; then builds a PDF report with a small PDF writer
and times reading it. Targets (issue 4): 1,000 statements in under 10 s; at least 5 PDF
pages a second. ``--long`` also times extraction from one long text of decision-like sentences
(0.25, 0.5 and 1 million characters, the most ingest reads from one document), as sentences
and as one run-on sentence of clauses, to show the work grows linearly with the length (the
run-on shape was quadratic: about 30 s for 5 MB). The seed accuracy benchmark is
``remedy ingest-eval ../shared/seeds/gold.jsonl --docs ../shared/seeds``.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import tempfile
import time
from pathlib import Path

from remedy_model.ingest import extract_text, read_document

ROOT = Path(__file__).resolve().parents[1]

PLACES = [
    "Ashworth",
    "Brindlemere",
    "Caldervale",
    "Dunmoor",
    "Eastwick",
    "Fernleigh",
    "Greywater",
    "Hollinbrook",
    "Ironbridge Vale",
    "Juniper Down",
    "Kestrel Heath",
]
KINDS = ["County Council", "Borough Council", "District Council", "City Council", "Council"]
CATEGORIES = [
    "Adult care services > Charging",
    "Adult care services > Assessment and care plan",
    "Adult care services > Direct payments",
    "Education > Special educational needs",
    "Children's care services > Disabled children",
    "Adult care services > Residential care",
]
DECISIONS = ["Upheld", "Upheld", "Not upheld", "Closed after initial enquiries"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FILLER = [
    "The care provider wrote to the Council about the package of support and asked for a review.",
    "A social worker visited the family at home and recorded the views of everyone present.",
    "The Council sent a letter explaining the outcome of the review and the reasons for it.",
    "An occupational therapist assessed the house and recommended equipment for the bathroom.",
    "The family contacted the Council several times by telephone and by email about progress.",
    "Officers discussed the case at a panel meeting and agreed to fund a short-term placement.",
    "The records show that the team manager considered the request and asked for more detail.",
    "The Council's charging policy explains how it works out what a person must contribute.",
]
REMEDIES = [
    "pay Mrs {p} £{a} to acknowledge the distress caused;",
    "pay Mr {p} £{a} a month for {n} months for the care he missed;",
    "pay £{a} each to Mr and Mrs {p} for their time and trouble;",
    "refund Ms {p} £{a} she paid for her own care;",
    "waive the outstanding invoice of £{a};",
]
WORDS = ["two", "three", "four", "five", "six", "eight", "ten"]


def statement(rng: random.Random, i: int) -> str:
    """One invented decision statement."""
    org = f"{rng.choice(PLACES)} {rng.choice(KINDS)}"
    ref = f"{rng.randint(15, 24):02d} {rng.randint(0, 999):03d} {i % 1000:03d}"
    letter = rng.choice("BCDFGHJKLMNPQRSTVWXYZ")
    date = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} 20{rng.randint(16, 24)}"
    lines = [
        f"{org} ({ref})",
        "",
        f"Category : {rng.choice(CATEGORIES)}",
        "",
        f"Decision : {rng.choice(DECISIONS)}",
        "",
        f"Decision date : {date}",
        "",
        "The Ombudsman's final decision:",
        "",
        f"Summary: Mrs {letter} complained the Council failed to provide the support in her "
        f"care plan for {rng.choice(WORDS)} months. We found fault causing injustice.",
        "",
        "What I found",
        "",
    ]
    for n in range(rng.randint(25, 55)):
        lines.append(f"  {n + 1}. {rng.choice(FILLER)} {rng.choice(FILLER)}")
    lines += ["", "Agreed action", "", "  1. Within one month of my decision the Council will:"]
    for template in rng.sample(REMEDIES, rng.randint(1, 3)):
        amount = rng.choice([100, 150, 250, 300, 500, 750, 1000, 2500])
        lines.append("    • " + template.format(p=letter, a=f"{amount:,}", n=rng.choice(WORDS)))
    lines += ["", "Final decision", "", "  1. I have completed my investigation.", ""]
    return "\n".join(lines)


def as_html(text: str) -> str:
    body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    return (
        "<!DOCTYPE html><html><head><title>Decision</title><script>var x=1;</script></head><body>"
        "<nav><a href='/'>Home</a><a href='/decisions'>Decisions</a></nav>"
        "<div class='cookie-banner'>We use cookies. Accept all cookies.</div>"
        f"<main>{body}</main><footer>Copyright</footer></body></html>"
    )


def bench_statements(count: int, folder: Path, suffix: str) -> tuple[float, int, int]:
    rng = random.Random(4)
    paths = []
    size = 0
    for i in range(count):
        text = statement(rng, i)
        path = folder / f"s{i:04d}{suffix}"
        data = as_html(text) if suffix == ".html" else text
        path.write_text(data, encoding="utf-8")
        size += len(data)
        paths.append(path)
    start = time.process_time()
    cases = 0
    for path in paths:
        cases += len(read_document(path))
    return time.process_time() - start, cases, size // count


def bench_pdf(pages: int, folder: Path) -> float:
    spec = importlib.util.spec_from_file_location(
        "pdfmaker", ROOT / "tests" / "fixtures" / "ingest" / "pdfmaker.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rng = random.Random(5)
    texts = []
    for _ in range(pages):
        page = "\n".join(rng.choice(FILLER) for _ in range(40))
        texts.append(page)
    report = (ROOT / "tests" / "fixtures" / "ingest" / "committee_report.txt").read_text("utf-8")
    texts[0] = report[:2500]
    path = folder / "report.pdf"
    path.write_bytes(module.make_pdf(texts))
    read_document(path)  # warm up imports
    start = time.process_time()
    read_document(path)
    return time.process_time() - start


LONG_HEADER = (
    "Westmarsh County Council (21 004 512)\n\nCategory : Adult care services > Charging\n\n"
    "Decision : Upheld\n\nDecision date : 03 Mar 2022\n\nWhat I found\n\n"
)
LONG_SENTENCES = [
    "The Council should pay Mrs B £300 to acknowledge the distress caused. ",
    "Mr C paid £250 for care he did not receive. ",
    "The Council failed to review the care plan for five months. ",
    "It will pay £150 each to Mr and Mrs D for their time and trouble. ",
]
LONG_CLAUSE = "then the council will pay mrs b £100 for her distress and mr c said so "


def long_text(chars: int, run_on: bool) -> str:
    """Decision-like text of about ``chars`` characters."""
    if run_on:
        return LONG_HEADER + "The Council agreed that " + LONG_CLAUSE * (chars // len(LONG_CLAUSE))
    rng = random.Random(6)
    parts, size = [LONG_HEADER], 0
    while size < chars:
        parts.append(rng.choice(LONG_SENTENCES) + ("\n\n" if rng.random() < 0.2 else ""))
        size += len(parts[-1])
    return "".join(parts)


def bench_long(sizes: tuple[int, ...] = (250_000, 500_000, 1_000_000)) -> None:
    """CPU seconds to extract from long texts of growing size, in both shapes."""
    for run_on in (False, True):
        shape = "one run-on sentence" if run_on else "sentences"
        for chars in sizes:
            text = long_text(chars, run_on)
            start = time.process_time()
            extract_text(text)
            seconds = time.process_time() - start
            print(
                f"long text, {shape}, {len(text) / 1e6:.2f} M characters: {seconds:.2f} s CPU "
                f"({seconds / len(text) * 1e6:.2f} s a million characters)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--pdf-pages", type=int, default=60)
    parser.add_argument("--long", action="store_true", help="Also time long texts.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        read_document(ROOT / "tests" / "fixtures" / "ingest" / "statement_page.html")  # imports
        for suffix in (".txt", ".html"):
            seconds, cases, size = bench_statements(args.statements, folder, suffix)
            print(
                f"{args.statements} statements ({suffix}, ~{size / 1000:.0f} kB each): "
                f"{seconds:.2f} s CPU, {args.statements / seconds:.0f} per second, {cases} cases "
                f"[target: under 10 s]"
            )
        seconds = bench_pdf(args.pdf_pages, folder)
        print(
            f"PDF report of {args.pdf_pages} pages: {seconds:.2f} s CPU, "
            f"{args.pdf_pages / seconds:.1f} pages per second [target: at least 5]"
        )
    if args.long:
        bench_long()


if __name__ == "__main__":
    main()
