"""Emergency response (应急处置, 实施方案 第14条).

Rules (metrics/emergency.py):
- ``emergency_plan_current``: plans (by 预案编号) with a revision issued by the period's last
  day; numerator: a revision issued in the ``max_years`` (spec: 3) years up to that day.
- ``emergency_drills_held``: drills dated in the period held in the name of 区政府 or
  区食药安办 as 实战演练; target ≥ 1 a year, pro-rated by months (annualised).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import DrillFactory, PlanRevisionFactory

from .conftest import DISTRICT, SUB_A

PLAN = "emergency_plan_current"
DRILLS = "emergency_drills_held"


def test_plan_revised_within_three_years(indicator):
    # The district plan: revised 2017-03-01 and 2019-01-01 (within 3 years before 2021-12-31:
    # after 2018-12-31) → current. A subdistrict plan last revised 2018-12-31 → exactly 3
    # years before the day: not within (the window is (2018-12-31, 2021-12-31]).
    PlanRevisionFactory(org_unit_id=DISTRICT, plan_code="D", revised_on=date(2017, 3, 1))
    PlanRevisionFactory(org_unit_id=DISTRICT, plan_code="D", revised_on=date(2019, 1, 1))
    PlanRevisionFactory(org_unit_id=SUB_A, plan_code="A", revised_on=date(2018, 12, 31))
    # A plan first issued in 2022: not issued by the period's end.
    PlanRevisionFactory(org_unit_id=SUB_A, plan_code="N", revised_on=date(2022, 3, 1))
    r = indicator(PLAN)
    assert (r.numerator, r.denominator) == (1, 2)
    assert r.value == Decimal("50.00")
    assert r.status is Status.NOT_MET
    assert r.gap.text_zh == "还有 1 项应急预案未在规定期限内修订"
    # Subdistrict A alone: its plan is stale → 0 of 1.
    r = indicator(PLAN, org_unit=SUB_A)
    assert (r.numerator, r.denominator) == (0, 1)
    # 2020: the window is (2017-12-31, 2020-12-31]: both plans revised in it → 2 of 2.
    r = indicator(PLAN, period="2020")
    assert (r.numerator, r.denominator) == (2, 2)
    assert r.status is Status.MET


def test_drills_in_the_name_of_the_government_or_office(indicator):
    DrillFactory(org_unit_id=DISTRICT, held_on=date(2021, 6, 15), organiser="office")
    DrillFactory(org_unit_id=DISTRICT, held_on=date(2021, 11, 2), organiser="government")
    DrillFactory(org_unit_id=SUB_A, held_on=date(2021, 5, 1), organiser="department")
    DrillFactory(org_unit_id=DISTRICT, held_on=date(2021, 9, 1), kind="tabletop")
    DrillFactory(org_unit_id=DISTRICT, held_on=date(2020, 12, 31))
    r = indicator(DRILLS)
    # 2021, live, in the name of 区政府/区食药安办: 15 Jun and 2 Nov → 2 ≥ 1.
    assert r.numerator == 2
    assert r.status is Status.MET
    # 2021Q3: only the tabletop exercise of 1 Sep (a drill row of the quarter, not live); the
    # target pro-rated is 1 × 3/12 = 0.25 → not met, 1 drill short.
    r = indicator(DRILLS, period="2021Q3")
    assert r.numerator == 0
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 1
    # 2021Q1: no drill row dated in the quarter at all: the ledger says nothing of it → 无数据
    # (未上报), not 0 未达标 (F9; it was 0 未达标 before).
    r = indicator(DRILLS, period="2021Q1")
    assert (r.numerator, r.status, r.note) == (None, Status.NO_DATA, "未上报")
    # Subdistrict A: a drill in the district's name is the district's act (D4 of
    # h-recompute): the subdistrict has no 县区级 unit to count against (denominator 0) and
    # the drill ledger is reported for 2021 → 不适用, no verdict — not 0 次 未达标, even
    # though a department's drill is filed under A.
    r = indicator(DRILLS, org_unit=SUB_A)
    assert (r.denominator, r.value, r.status) == (0, None, Status.NOT_APPLICABLE)
    # The district itself counts against its one 县区级 unit: 2 / 1 = 2 次.
    assert (indicator(DRILLS).denominator, indicator(DRILLS).value) == (1, Decimal("2"))


def test_no_drill_ledger_is_no_data(indicator):
    assert indicator(DRILLS).status is Status.NO_DATA
    assert indicator(PLAN).status is Status.NO_DATA
    # Nor does a subdistrict get 不适用 for a period whose drill ledger is not reported.
    assert indicator(DRILLS, org_unit=SUB_A).status is Status.NO_DATA
