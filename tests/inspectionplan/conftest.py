"""A small district for plans: operators due and not due in 2021Q4, and four inspectors."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from foodsafe.registry.models import RiskGrade
from tests.conftest import DISTRICT, SUB_A, SUB_B
from tests.factories import FoodBusinessFactory, InspectionFactory, StaffMemberFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def frozen(day: date):
    """The clock at 09:00 Beijing time on ``day``."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI), tick=False
    )


def graded(level: str, **kw):
    business = FoodBusinessFactory(opened_on=date(2015, 1, 1), **kw)
    RiskGrade.objects.create(
        business=business, year=2021, level=level, basis="assessment", decided_on=date(2021, 2, 1)
    )
    return business


@pytest.fixture
def small_district(district):
    """Two due in 2021Q4 (C last seen 2021-04-20 → due 2021-10-20; D last seen 2021-08-15 →
    due 2021-12-15), ten B operators seen 2021-06-01 (→ due 2022-06-01, not due), inspectors
    S1–S4 (S1 and S2 inspected the C operator last), one who left and one non-inspector."""
    staff = [
        StaffMemberFactory(
            staff_number=f"S{i}", name=f"检查员{i}", org_unit_id=SUB_A if i % 2 else SUB_B
        )
        for i in range(1, 5)
    ]
    StaffMemberFactory(
        staff_number="S8",
        name="离岗者",
        org_unit_id=SUB_A,
        left_on=date(2021, 9, 1),
        joined_on=date(2010, 1, 1),
    )
    StaffMemberFactory(
        staff_number="S9", name="非食品监管", org_unit_id=SUB_A, is_food_inspector=False
    )
    c_op = graded("C", registry_number="C-1", name="示例丙级餐馆", org_unit_id=SUB_A)
    InspectionFactory(business=c_op, inspected_on=date(2021, 4, 20), inspectors="检查员1、检查员2")
    d_op = graded(
        "D",
        registry_number="D-1",
        name="示例丁级中央厨房",
        org_unit_id=SUB_B,
        business_format="central_kitchen",
    )
    InspectionFactory(business=d_op, inspected_on=date(2021, 8, 15), inspectors="检查员3、检查员4")
    rest = []
    for i in range(10):
        b = graded("B", registry_number=f"B-{i:02d}", org_unit_id=SUB_A if i < 5 else SUB_B)
        InspectionFactory(business=b, inspected_on=date(2021, 6, 1), inspectors="检查员1、检查员3")
        rest.append(b)
    return SimpleNamespace(staff=staff, c_op=c_op, d_op=d_op, rest=rest, district=DISTRICT)
