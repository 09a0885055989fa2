"""The 双随机 ratios by credit class (分类监管, 国市监信发〔2022〕6号 [M]: A lower, B normal, C
higher, D much higher): plan-2021.yaml's factors A 0.5, B 1.0, C 1.5, D 2.0 multiply the
grade's yearly ratio for operators with a class in force at the plan's start."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.credit.models import CreditGrade
from foodsafe.inspectionplan.draw import draw_count, draw_run
from foodsafe.inspectionplan.in_force import plan_spec
from foodsafe.inspectionplan.services import plan_create
from tests.conftest import DISTRICT


def test_credit_strata_draw_after_their_grade():
    # B: 40 × 0.20 × 3/12 = 2; B:D (grade B, credit D): 8 × (0.20 × 2.0 = 0.40) × 3/12 = 0.8 → 1;
    # B:A: 10 × (0.20 × 0.5 = 0.10) × 3/12 = 0.25 → 0.
    inputs = {
        "months": 3,
        "due": [],
        "strata": {
            "B": [f"B{i:02d}" for i in range(40)],
            "B:D": [f"BD{i}" for i in range(8)],
            "B:A": [f"BA{i}" for i in range(10)],
        },
        "ratios": {"B": "0.20", "B:D": "0.40", "B:A": "0.10"},
        "roster": ["S1", "S2"],
        "per_inspection": 2,
    }
    result = draw_run(inputs, 7)
    assert result["counts"]["B"] == 2 and result["counts"]["B:D"] == 1
    assert result["counts"]["B:A"] == 0
    # Draw order: the grade's own stratum, then its credit parts D → A.
    assert list(result["counts"]) == ["D", "C", "B", "B:D", "B:A", "A", "ungraded"]
    assert result["random"][2].startswith("BD")
    assert draw_count(8, "0.40", 3) == 1


def test_plan_uses_the_class_in_force(small_district, office_admin):
    # Five of the ten not-due B operators are classed D in September 2021 (in force on
    # 2021-10-01); the other five have no class. B:D: 5 × 0.40 × 3/12 = 0.5 → 1 (half up);
    # B: 5 × 0.20 × 3/12 = 0.25 → 0.
    for b in small_district.rest[:5]:
        CreditGrade.objects.create(
            business=b,
            month=date(2021, 9, 1),
            computed="D",
            score=40,
            spec_label="t",
            level="D",
        )
    spec = plan_spec()
    assert spec.random_inspection.credit.applied
    plan = plan_create(
        spec=spec, org_code=DISTRICT, period_code="2021Q4", actor=office_admin, seed=3
    )
    inputs, result = plan.draw["inputs"], plan.draw["result"]
    assert Decimal(inputs["ratios"]["B:D"]) == Decimal("0.40")
    assert len(inputs["strata"]["B:D"]) == 5 and len(inputs["strata"]["B"]) == 5
    assert (result["counts"]["B:D"], result["counts"]["B"]) == (1, 0)
    drawn = plan.items.get(source="random")
    assert "信用 D 类" in drawn.reason
    # The classes that set the ratios are marked as applied (分类监管: scorecard item 25).
    assert set(CreditGrade.objects.values_list("applied_plan", flat=True)) == {plan.number}
