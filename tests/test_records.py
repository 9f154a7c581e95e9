"""The case record validates at the boundary and names the field at fault."""

import pytest
from pydantic import ValidationError

from remedy_model.records import Case, category_group, current_year


class TestValidation:
    """Impossible values are refused naming the field; missing ones are empty."""

    def test_minimal_case_has_empty_lists_and_unknown_facts(self):
        case = Case.model_validate({"fault_types": None, "vulnerable": None, "payments": None})
        assert case.fault_types == [] and case.vulnerable == [] and case.payments == []
        assert case.carer_impact is None and not case.has_target

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("fault_types", ["not_a_fault"]),
            ("duration_months", -1),
            ("year", 1999),
            ("year", current_year() + 1),
            ("case_ref", "19-002-258"),
            ("org_type", "parish"),
            ("symbolic_total_gbp", -5),
            ("vulnerable", ["tall"]),
        ],
    )
    def test_impossible_values_are_refused_naming_the_field(self, field, value):
        with pytest.raises(ValidationError) as info:
            Case.model_validate({field: value})
        assert info.value.errors()[0]["loc"][0] == field

    def test_future_decision_date_is_refused(self):
        with pytest.raises(ValidationError, match="future"):
            Case.model_validate({"decision_date": f"{current_year() + 1}-01-01"})


class TestDerivedFields:
    """Recipients, target, year and category group derived from the record."""

    def test_payments_and_recipients(self):
        case = Case.model_validate(
            {
                "remedy_visible": True,
                "symbolic_total_gbp": 400,
                "payments": [
                    {"amount_gbp": 200, "recipient": "parent", "symbolic": True},
                    {"amount_gbp": 200, "recipient": "parent", "symbolic": True},
                    {"amount_gbp": 900, "recipient": "carer", "symbolic": False},
                ],
            }
        )
        assert case.recipients == ["parent"]
        assert case.has_target

    def test_fault_types_are_deduplicated_and_year_from_date(self):
        case = Case.model_validate(
            {"fault_types": ["care_plan", "care_plan"], "decision_date": "2021-02-22"}
        )
        assert case.fault_types == ["care_plan"]
        assert case.effective_year == 2021

    def test_category_group(self):
        assert category_group("Children's care services > Fostering") == "Children's care services"
        assert category_group("  ") == "unknown"
