"""Non-regression: the answers for a frozen mini-table stay exactly as pinned.

``fixtures/frozen/cases.jsonl`` is an invented table written once and never regenerated;
``answers.json`` holds what the model answered for three queries when it was pinned. A change
to features, fitting or answering that moves any figure fails here; if the change is intended,
rewrite the pins with ``python scripts/pin_answers.py`` and say why in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FROZEN = Path(__file__).parent / "fixtures" / "frozen"
QUERIES = {
    "respite": (
        {"fault_types": ["respite_not_provided"], "duration_months": 9, "carer_impact": True,
         "category": "Adult care services > Assessment and care plan", "year": 2023},
        400,
    ),
    "charging": ({"fault_types": ["charging"], "duration_months": 3, "org_type": "county"}, 0),
    "school": (
        {"fault_types": ["sen_ehcp"], "duration_months": 14, "vulnerable": ["older_person"],
         "category": "Education > Special educational needs", "year": 2021},
        2500,
    ),
}  # fmt: skip


def answers() -> dict:
    """The figures pinned for each query, from a model trained on the frozen table."""
    import tempfile

    from remedy_model import api

    cpi = FROZEN / "cpi.csv"
    with tempfile.TemporaryDirectory() as tmp:
        model = api.train(
            cases_path=FROZEN / "cases.jsonl",
            cpi_path=cpi,
            model_path=Path(tmp) / "m.npz",
            with_metrics=False,
        ).model
    out = {}
    for name, (query, proposed) in QUERIES.items():
        s = api.suggest(query, model=model, k=4, proposed=proposed)
        out[name] = {
            "chance": round(s.payment.chance, 6),
            "precedents_paid": s.payment.precedents_paid,
            "amount_if_paid_nominal": {k: round(v, 2) for k, v in s.amount_if_paid_nominal.items()},
            "verdict": [s.check.question, s.check.verdict, s.check.tone],
            "precedents": [p.label for p in s.precedents],
            "amount_effects": [[e.fact, e.effect] for e in s.explanation.amount],
        }
    return out


class TestPinnedAnswers:
    """The frozen table's answers stay as pinned."""

    @pytest.mark.parametrize("name", sorted(QUERIES))
    def test_answers_are_as_pinned(self, name):
        pinned = json.loads((FROZEN / "answers.json").read_text())[name]
        got = json.loads(json.dumps(_computed()[name]))
        assert got["precedents"] == pinned["precedents"]
        assert got["verdict"] == pinned["verdict"]
        assert got["precedents_paid"] == pinned["precedents_paid"]
        assert got["amount_effects"] == pinned["amount_effects"]
        assert got["chance"] == pytest.approx(pinned["chance"], abs=1e-5)
        for key, value in pinned["amount_if_paid_nominal"].items():
            assert got["amount_if_paid_nominal"][key] == pytest.approx(value, rel=1e-4)


_CACHE: dict = {}


def _computed() -> dict:
    if not _CACHE:
        _CACHE.update(answers())
    return _CACHE
