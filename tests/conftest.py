"""Shared fixtures: an invented, seeded case table and models trained on it.

The synthetic cases are written for the tests (no decision text): sums grow with the duration
of the failure and with carer impact, and apology-only remedies are common, so tests can check
that the models learn the direction of those effects.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from remedy_model.inflation import CpiIndex

FIXTURES = Path(__file__).parent / "fixtures"
CATEGORIES = [
    "Adult care services > Assessment and care plan",
    "Adult care services > Charging",
    "Education > Special educational needs",
    "Children's care services > Disabled children",
]
FAULTS = ["care_not_provided", "respite_not_provided", "communication", "sen_ehcp", "charging"]


def synthetic_cases(n: int = 240, seed: int = 0) -> list[dict]:
    """Invented cases in the codebook's form with a known structure (see module docstring)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        months = float(rng.integers(1, 36))
        carer = bool(rng.random() < 0.4)
        category = CATEGORIES[i % len(CATEGORIES)]
        faults = sorted(set(rng.choice(FAULTS, size=rng.integers(1, 3), replace=False)))
        year = int(rng.integers(2018, 2026))
        decision = "upheld" if rng.random() < 0.85 else "not_upheld"
        logit = -0.5 + 0.08 * months + (1.0 if carer else 0) + (-3 if decision != "upheld" else 0)
        paid = rng.random() < 1 / (1 + np.exp(-logit))
        amount = 0.0
        payments = []
        if paid:
            amount = round(
                float(np.exp(5.0 + 0.05 * months + (0.8 if carer else 0) + rng.normal(0, 0.4))), 0
            )
            payments = [
                {
                    "amount_gbp": amount,
                    "recipient": "complainant",
                    "purpose": "distress",
                    "symbolic": True,
                    "per_period": None,
                    "basis": "invented",
                }
            ]
        rows.append(
            {
                "case_ref": f"{year % 100:02d} {i // 1000:03d} {i % 1000:03d}",
                "organisation": f"Invented Council {i % 7}",
                "org_type": ["county", "unitary", "metropolitan"][i % 3],
                "category": category,
                "decision": decision,
                "decision_date": None,
                "year": year,
                "year_is_approx": False,
                "url": f"https://example.org/decisions/{i}",
                "source_kind": "lgo_decision_page" if i % 10 else "news_article",
                "payments": payments,
                "symbolic_total_gbp": amount,
                "financial_total_gbp": 0,
                "remedy_visible": bool(i % 9 != 0),
                "duration_months": months if i % 5 else None,
                "fault_types": faults,
                "carer_impact": carer,
                "respite_lost": "respite_not_provided" in faults,
                "respite_lost_weeks": None,
                "vulnerable": ["older_person"] if i % 4 == 0 else [],
                "person_died": False,
                "service_improvements": True,
                "summary": f"Invented case {i}: a council delayed support; remedy £{amount:.0f}.",
                "notes": None,
            }
        )
    return rows


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def cpi() -> CpiIndex:
    return CpiIndex({2015: 100.0, 2018: 105.9, 2020: 108.7, 2022: 121.7, 2025: 138.4})


@pytest.fixture(scope="session")
def cpi_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cpi") / "cpi.csv"
    path.write_text(
        "year,cpi_index_2015_100\n2015,100.0\n2018,105.9\n2020,108.7\n2022,121.7\n2025,138.4\n"
    )
    return path


@pytest.fixture(scope="session")
def cases_file(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("cases") / "cases.jsonl", synthetic_cases())


@pytest.fixture(scope="session")
def synthetic(cases_file):
    from remedy_model.dataset import read_cases

    return read_cases(cases_file).cases


@pytest.fixture(scope="session")
def trained(tmp_path_factory, cases_file, cpi_csv):
    """A model trained on the synthetic table and saved under a temporary folder."""
    from remedy_model import api

    path = tmp_path_factory.mktemp("model") / "model.npz"
    return api.train(cases_path=cases_file, cpi_path=cpi_csv, model_path=path)
