"""The money and duration grammar and the lexicon, on sentences written for these tests."""

from __future__ import annotations

import pytest

from remedy_model.ingest.duration import find_durations
from remedy_model.ingest.lexicon import is_finding, org_type_of, tag_faults, tag_vulnerable
from remedy_model.ingest.money import Roles, payments_in


def amounts(text: str, roles: Roles | None = None) -> list[float]:
    return sorted(p.amount_gbp for p in payments_in(text, roles))


class TestPaymentAmounts:
    """Sums to be paid are payments; other sums are not."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("The Council will pay Mr N £450 for his distress.", [450]),
            ("It should pay Mrs O £75 a week for twelve weeks for the care she missed.", [900]),
            ("The Council agreed to pay £250 each to Mr and Mrs P.", [250, 250]),
            ("Each of the two councils will pay Ms Q £125 for her distress.", [250]),
            (
                "Ms Q will receive £100 from each of the four bodies to recognise her distress.",
                [400],
            ),
            ("Both bodies should pay Ms Q a total of £600 for her time and trouble.", [600]),
            (
                "The Trust will pay Mr R a total of £900. This included £700 for the lost respite "
                "and £200 for his time and trouble.",
                [200, 700],
            ),
            ("The Council should refund the £2,150 Mrs S was charged for respite.", [2150]),
            ("The Council should waive the outstanding invoice of £3,600.", [3600]),
            ("It will pay Mr T £1.2k for his distress.", [1200]),
            ("It will pay the estate of the late Mr U £5,000.", [5000]),
        ],
    )
    def test_payments(self, text, expected):
        assert amounts(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "Mrs V paid £520 a week for her care home placement.",
            "Her personal budget was £300 a week.",
            "The Council charged Mr W £1,900 for respite care.",
            "The agency's hourly rate of £24 was higher than the Council's.",
            "Our guidance on remedies suggests between £100 and £300 for distress of this kind.",
            "The Council offered Mr X £150. I do not consider that is enough.",
            "The remedy has cost the Council £4,000 in total.",
            "She had savings of £23,000 so she paid the full cost.",
        ],
    )
    def test_sums_that_are_not_payments(self, text):
        assert amounts(text) == []

    def test_already_paid_and_found_enough_counts(self):
        found = payments_in(
            "The Council has already paid Mrs Y £350 for her distress. I consider that is a "
            "proportionate remedy."
        )
        assert [p.amount_gbp for p in found] == [350]


class TestPaymentDetails:
    """Each payment's purpose, symbolic flag, period and recipient."""

    def test_purposes_and_symbolic_flags(self):
        found = payments_in(
            "The Council will:\n"
            "• refund Mrs Z £800 she paid for her own care;\n"
            "• pay her £300 to acknowledge her distress;\n"
            "• pay her £150 for her time and trouble;\n"
            "• backdate her direct payments and pay the arrears of £1,100."
        )
        got = [(p.amount_gbp, p.purpose, p.symbolic) for p in found]
        assert got == [
            (800, "refund", False),
            (300, "distress", True),
            (150, "time_and_trouble", True),
            (1100, "backdated_support", False),
        ]

    def test_per_period_is_recorded(self):
        (p,) = payments_in(
            "The Council will pay Mrs A £40 a week for ten weeks for her lost respite."
        )
        assert (p.amount_gbp, p.per_period, p.purpose) == (400, "week", "lost_respite")

    def test_rate_without_count_keeps_the_rate(self):
        (p,) = payments_in("The Council will pay Mr B £60 a month to recognise his distress.")
        assert (p.amount_gbp, p.per_period) == (60, "month")

    def test_recipients_from_roles(self):
        roles = Roles(people={"mrs c": "carer", "mr c": "cared_for_person"}, default="complainant")
        found = payments_in(
            "The Council will pay £200 each to Mr and Mrs C for their distress.", roles
        )
        assert sorted(p.recipient for p in found) == ["cared_for_person", "carer"]
        (p,) = payments_in("It will pay Mrs D's son £100 for his time and trouble.")
        assert p.recipient == "family"
        (p,) = payments_in("It will pay £2,000 to the estate of Mr E.")
        assert p.recipient == "estate"


class TestDurations:
    """Spans of time become months; other numbers do not."""

    @pytest.mark.parametrize(
        ("text", "months"),
        [
            ("The Council failed to provide care for two years.", 24),
            ("She was without support between April and September 2019.", 6),
            ("from February 2020 until June 2021 there was no care", 17),
            ("The delay lasted six weeks.", 1.4),
            ("He went without respite for three and a half months.", 3.5),
            ("from 2014 to 2016 the plan was not reviewed", 24),
        ],
    )
    def test_durations(self, text, months):
        assert [d.months for d in find_durations(text)] == [months]

    @pytest.mark.parametrize(
        "text",
        [
            "Within three months the Council should review its policy.",
            "He is 80 years old.",
            "Two years later she complained.",
            "She attended the day centre two days a week.",
            "The Council will pay £50 a month.",
        ],
    )
    def test_not_durations(self, text):
        assert find_durations(text) == []


class TestLexicon:
    """Findings, fault types, vulnerable groups and organisation types."""

    def test_findings_and_faults(self):
        assert is_finding("The Council failed to carry out a carer's assessment.")
        assert not is_finding("Mrs F says the Council failed to assess her.")
        assert not is_finding("I found no fault in how the Council handled the review.")
        assert set(tag_faults("The Council delayed the assessment and did not tell her why.")) == {
            "assessment_delay",
            "communication",
        }
        assert "sen_ehcp" in tag_faults("It failed to issue the Education, Health and Care Plan.")
        assert "care_plan" not in tag_faults(
            "It failed to issue the Education, Health and Care Plan."
        )

    def test_vulnerable_groups(self):
        assert tag_vulnerable("Mr G, aged 91, has vascular dementia.") == [
            "dementia",
            "older_person",
        ]
        assert tag_vulnerable("a boy with autism") == ["child", "autism"]
        assert tag_vulnerable("the Older People's Forum") == [
            "older_person"
        ]  # no case context here

    def test_org_types(self):
        assert org_type_of("Royal Borough of Greenwich") == "london_borough"
        assert org_type_of("Sheffield City Council") == "metropolitan"
        assert org_type_of("Anyshire County Council") == "county"
        assert org_type_of("Bayside NHS Foundation Trust") == "nhs_joint"
        assert org_type_of(None) is None
