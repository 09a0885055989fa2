"""The example district end to end: importing its files fills every operator's credit file (the
refresh runs after the import commits), October 2021 is classed, the 2021Q4 plan draws by class
and the scorecard's item 25 shows both indicators."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from foodsafe.credit.in_force import credit_spec
from foodsafe.credit.models import CreditEntry, CreditFile, CreditGrade
from foodsafe.credit.services import credit_grades_assess, credit_grades_confirm
from foodsafe.example.generate import generate_example_district
from foodsafe.imports.services import directory_import
from foodsafe.inspectionplan.in_force import plan_spec
from foodsafe.inspectionplan.services import plan_create
from foodsafe.programme.in_force import programme_spec
from foodsafe.registry.models import FoodBusiness
from foodsafe.scorecard.engine import evaluate_scorecard
from foodsafe.scorecard.results import Status

DISTRICT = "120101000000"


@pytest.mark.django_db(transaction=True)
def test_example_district_files_classes_and_plan(tmp_path: Path, office_admin):
    out = tmp_path / "district"
    generate_example_district(out=out, population=35_000, seed=2021)
    directory_import(directory=out)  # commits: the credit refresh runs after it
    businesses = FoodBusiness.objects.count()
    assert businesses and CreditFile.objects.count() == businesses
    # Every kind the example ledgers hold is filed under its operator.
    kinds = set(CreditEntry.objects.values_list("kind", flat=True).distinct())
    assert {"licence", "inspection", "case"} <= kinds

    month = date(2021, 10, 1)
    a = credit_grades_assess(month=month, spec=credit_spec(), actor=office_admin)
    assert credit_grades_confirm(month=month, actor=office_admin) == a.assessed
    assert sum(a.by_level.values()) == a.assessed == CreditGrade.objects.count()

    plan = plan_create(
        spec=plan_spec(), org_code=DISTRICT, period_code="2021Q4", actor=office_admin, seed=2021
    )
    inputs = plan.draw["inputs"]
    assert inputs["credit_applied"]
    split = [k for k in inputs["strata"] if ":" in k]
    assert split, "the plan's strata are split by credit class"
    applied = CreditGrade.objects.exclude(applied_plan="").count()
    assert applied == a.assessed  # every classed operator is covered by the district plan

    card = evaluate_scorecard(spec=programme_spec(), org_unit=DISTRICT, period="2021Q4")
    got = {i.code: i for i in card.indicators}
    f, c = got["credit_file_coverage"], got["credit_classified_supervision"]
    # Files were gathered today, after 2021Q4: every operating business's file is current.
    assert f.numerator == f.denominator and f.status == Status.MET
    # Classed operators are those operating on 2021-10-01; the denominator is those operating
    # on 2021-12-31: the ones opened in the quarter have no October class yet.
    assert 0 < c.numerator <= c.denominator
    assert next(i for i in card.items if i.number == 25).indicators
