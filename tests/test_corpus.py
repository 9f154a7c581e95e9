"""``remedy corpus build``: a cache of decision pages -> one case table, merged and marked."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest

from remedy_model.cli import main
from remedy_model.corpus.build import build_corpus
from remedy_model.dataset import load_cases, read_cases
from remedy_model.errors import InputError

SITE = Path(__file__).parent / "fixtures" / "site"
_spec = importlib.util.spec_from_file_location("site_pages", SITE / "pages.py")
pages = sys.modules.setdefault("site_pages", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(pages)

IN_SCOPE = ["adult-care-services", "children-s-care-services", "education", "health"]


def save(cache: Path, d, *, folder: str | None = None) -> Path:
    """Save a stand-in page as `remedy fetch` would."""
    path = cache / (folder or d.category) / f"{d.ref}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    canonical = f'<link rel="canonical" href="https://stand-in.example{d.path}">\n'
    path.write_text(canonical + pages.decision_page(d), encoding="utf-8")
    return path


def hand_table(path: Path) -> list[dict]:
    """A small hand-coded table: one case with a reference the cache also holds, one without."""
    rows = [
        {
            "case_ref": "21 000 002",
            "organisation": "Hand-coded Council",
            "category": "Education > School transport",
            "decision": "upheld",
            "year": 2021,
            "source_kind": "lgo_decision_page",
            "payments": [{"amount_gbp": 123, "symbolic": True, "purpose": "distress"}],
            "symbolic_total_gbp": 123,
            "financial_total_gbp": 0,
            "remedy_visible": True,
        },
        {
            "organisation": "A council in the press",
            "decision": "upheld",
            "year": 2020,
            "source_kind": "news_article",
            "remedy_visible": False,
        },
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


@pytest.fixture
def cache(tmp_path) -> Path:
    """Twelve stand-in pages, one saved twice, one a hand-coded reference, two not decisions."""
    folder = tmp_path / "cache"
    rng = random.Random(11)
    decisions = [
        pages.invented_decision(rng, i, dt.date(2021, 1 + i % 12, 3), IN_SCOPE[i % 4])
        for i in range(1, 13)
    ]
    for d in decisions:
        save(folder, d)
    save(folder, decisions[4], folder="moved")  # the same reference again
    (folder / "about.html").write_text(
        "<html><body><main><h1>About us</h1><p>We publish reports.</p></main></body></html>",
        encoding="utf-8",
    )
    (folder / "broken.html").write_bytes(b"\x00\x01\x02 not a page at all \x00")
    (folder / ".fetch").mkdir()
    (folder / ".fetch" / "hidden.html").write_text("<p>state</p>", encoding="utf-8")
    return folder


class TestBuild:
    def test_merges_dedupes_and_marks(self, cache, tmp_path):
        hand = tmp_path / "hand.jsonl"
        rows = hand_table(hand)
        out = tmp_path / "table.jsonl"
        report = build_corpus(cache, out, hand_coded=hand, jobs=1)
        lines = out.read_text(encoding="utf-8").splitlines()
        # The hand-coded lines come first, unchanged.
        assert [json.loads(x) for x in lines[:2]] == rows
        extracted = [json.loads(x) for x in lines[2:]]
        refs = [r["case_ref"] for r in extracted]
        assert len(refs) == len(set(refs)) == 11  # 12 references, one of them hand-coded
        assert "21 000 002" not in refs  # hand-coded wins
        assert all(r["source_kind"] == "ingested" for r in extracted)
        for r in extracted:
            assert r["provenance"], r["case_ref"]
            for key, entry in r["provenance"].items():
                assert entry["confidence"] in ("high", "medium", "low"), key
            assert r["provenance"]["case_ref"]["confidence"] == "high"
        assert (report.documents, report.cases_read, report.added) == (15, 13, 11)
        assert report.skipped == {"not a decision": 1, "unreadable": 1}
        assert report.dropped == {
            "already hand-coded (hand-coded wins)": 1,
            "duplicates by reference": 1,
        }
        assert report.hand_coded == 2 and report.written == 13

    def test_counts_of_sums_match_the_table(self, cache, tmp_path):
        hand = tmp_path / "hand.jsonl"
        hand_table(hand)
        out = tmp_path / "table.jsonl"
        report = build_corpus(cache, out, hand_coded=hand, jobs=1)
        extracted = [c for c in read_cases(out).cases if c.source_kind == "ingested"]
        paid = [c for c in extracted if c.remedy_visible and c.symbolic_total_gbp]
        assert report.added_paid == len(paid) > 0
        assert report.added_symbolic_gbp == pytest.approx(sum(c.symbolic_total_gbp for c in paid))
        assert report.added_visible == sum(c.remedy_visible for c in extracted)

    def test_processes_give_the_same_table(self, tmp_path):
        folder = tmp_path / "cache"
        rng = random.Random(5)
        for i in range(60):
            save(folder, pages.invented_decision(rng, 100 + i, dt.date(2022, 5, 1 + i % 28)))
        hand = tmp_path / "hand.jsonl"
        hand_table(hand)
        one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
        build_corpus(folder, one, hand_coded=hand, jobs=1)
        report = build_corpus(folder, two, hand_coded=hand, jobs=2)
        assert one.read_bytes() == two.read_bytes()
        assert report.documents == 60

    def test_training_files_do_not_count_hand_coded_cases_twice(self, cache, tmp_path):
        hand = tmp_path / "hand.jsonl"
        hand_table(hand)
        out = tmp_path / "table.jsonl"
        build_corpus(cache, out, hand_coded=hand, jobs=1)
        # `remedy train --cases TABLE` reads the hand-coded table, then TABLE.
        loaded = load_cases([hand, out])
        assert len(loaded.cases) == 13
        assert sum(c.case_ref is None for c in loaded.cases) == 1


class TestRefusals:
    def test_missing_cache_leaves_an_existing_output(self, tmp_path):
        out = tmp_path / "table.jsonl"
        out.write_text("keep me\n", encoding="utf-8")
        with pytest.raises(InputError, match="not a folder"):
            build_corpus(tmp_path / "nothing", out)
        assert out.read_text(encoding="utf-8") == "keep me\n"

    def test_empty_cache(self, tmp_path):
        (tmp_path / "empty").mkdir()
        with pytest.raises(InputError, match=r"no \.html, \.txt or \.pdf files found"):
            build_corpus(tmp_path / "empty", tmp_path / "t.jsonl")

    def test_output_that_is_a_folder(self, cache, tmp_path, capsys):
        code = main(["corpus", "build", str(cache), "--output", str(tmp_path)])
        assert code == 2
        assert "is a directory" in capsys.readouterr().err


class TestCommand:
    def test_prints_what_it_did(self, cache, tmp_path, capsys):
        hand = tmp_path / "hand.jsonl"
        hand_table(hand)
        out = tmp_path / "table.jsonl"
        code = main(
            ["corpus", "build", str(cache), "-o", str(out), "--hand-coded", str(hand), "-j", "1"]
        )
        err = capsys.readouterr().err
        assert code == 0
        assert f"read 15 documents in {cache}: 13 cases" in err
        assert "skipped 2 documents:" in err
        assert "  not a decision: 1 (e.g. " in err and "  unreadable: 1 (e.g. " in err
        assert (
            "dropped 2 extracted cases:\n  1 already hand-coded (hand-coded wins)\n"
            "  1 duplicates by reference\n"
        ) in err
        assert 'added 11 extracted cases (source_kind "ingested"):\n  ' in err
        assert " with a visible remedy, " in err and " with the remedy not visible" in err
        assert f"wrote 13 cases to {out}: 2 hand-coded + 11 extracted" in err

    @pytest.mark.slow
    def test_train_accepts_the_table(self, cache, tmp_path, capsys):
        out = tmp_path / "table.jsonl"
        assert main(["corpus", "build", str(cache), "-o", str(out), "-q"]) == 0
        model = tmp_path / "m.npz"
        assert main(["train", "--cases", str(out), "--model", str(model), "--json"]) == 0
        info = json.loads(capsys.readouterr().out)
        table = read_cases(out).cases
        extracted = sum(c.source_kind == "ingested" for c in table)
        assert info["skipped_lines"] == 0 and extracted > 0
        assert info["n_cases"] == len(table)  # nothing counted twice
