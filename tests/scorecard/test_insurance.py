"""Liability insurance (食品安全责任保险, 实施方案 第20条), target 100 % [I].

Rule (metrics/operators.py): denominator = school canteens, group-meal distributors and central
kitchens operating on the period's last day; numerator = those with a policy in force that day
(保险起期 ≤ day ≤ 保险止期) that started by the as-of date. No policy anywhere: 无数据.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import FoodBusinessFactory, LiabilityPolicyFactory

from .conftest import SUB_A, SUB_B

CODE = "liability_insurance_coverage"


def business(fmt: str, unit: str = SUB_A, **kw):
    return FoodBusinessFactory(business_format=fmt, sector="catering", org_unit_id=unit, **kw)


def _ledger() -> dict[str, object]:
    canteen_a = business("school_canteen")  # policy 2021-01-01 … 2021-12-31: insured on 31 Dec
    LiabilityPolicyFactory(business=canteen_a)
    kitchen = business("central_kitchen", SUB_B)  # policy ended 30 Nov: not insured on 31 Dec
    LiabilityPolicyFactory(business=kitchen, ends_on=date(2021, 11, 30))
    distributor = business("group_meal_distributor", SUB_B)  # two policies, the 2nd in force
    LiabilityPolicyFactory(
        business=distributor, starts_on=date(2020, 7, 1), ends_on=date(2021, 6, 30)
    )
    LiabilityPolicyFactory(
        business=distributor, starts_on=date(2021, 7, 1), ends_on=date(2022, 6, 30)
    )
    business("school_canteen", SUB_B)  # no policy at all
    closed = business("school_canteen", status="closed", closed_on=date(2021, 10, 1))
    LiabilityPolicyFactory(business=closed)  # closed before 31 Dec: not in the denominator
    restaurant = business("restaurant")  # not a format that must insure
    LiabilityPolicyFactory(business=restaurant)
    return {"canteen_a": canteen_a, "distributor": distributor}


def test_coverage_on_the_last_day(indicator):
    _ledger()
    r = indicator(CODE)
    # Operating on 31 Dec 2021 and required: canteen A, the kitchen, the distributor, the
    # canteen of B without a policy → 4. In force that day: canteen A (to 31 Dec inclusive) and
    # the distributor (second policy) → 2. The kitchen's policy ended 30 Nov.
    assert (r.numerator, r.denominator) == (2, 4)
    assert r.value == Decimal("50.00")
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 2
    assert r.gap.text_zh == (
        "还有 2 家学校食堂、集体用餐配送单位或中央厨房没有有效的食品安全责任保险"
    )


def test_a_subdistrict_and_a_half_year(indicator):
    _ledger()
    # Subdistrict B on 31 Dec: the kitchen (lapsed), the distributor (insured), the uninsured
    # canteen → 1 of 3.
    r = indicator(CODE, org_unit=SUB_B)
    assert (r.numerator, r.denominator) == (1, 3)
    # 2021S1 ends 30 Jun: canteen A, the kitchen, the distributor (first policy, to 30 Jun) are
    # insured; the closed canteen (closed 1 Oct) is still operating and insured; B's canteen is
    # not → 4 of 5.
    r = indicator(CODE, period="2021S1")
    assert (r.numerator, r.denominator) == (4, 5)


def test_a_policy_starting_after_the_as_of_date_is_not_a_fact_yet(indicator):
    _ledger()
    # As of 30 Jun 2021 (year 2021): policies in force on 31 Dec that started by 30 Jun are
    # canteen A's only; the distributor's second policy starts 1 Jul → 1 of 4.
    r = indicator(CODE, as_of=date(2021, 6, 30))
    assert (r.numerator, r.denominator) == (1, 4)


def test_no_policy_in_the_county_is_no_data(indicator):
    business("school_canteen")
    r = indicator(CODE)
    assert r.status is Status.NO_DATA
    assert r.value is None


def test_a_register_that_stops_before_the_period_is_no_data(indicator):
    """h-newuser3 N3: the ledger's policies all start by 2021-07-01; the distributor's runs to
    2022-06-30, so it was "in force in 2022" and 2022 read 0/4 未达标 from policies that simply
    ran out. No policy starts in 2022 or later (``Fraction.reached``): the register was not
    kept into 2022 → 无数据 (未上报)."""
    _ledger()
    r = indicator(CODE, period="2022")
    assert r.status is Status.NO_DATA
    assert r.note == "未上报"
    assert r.value is None


def test_a_renewal_in_the_period_lets_it_speak(indicator):
    """With the distributor's renewal 2022-07-01 … 2023-06-30 the register reaches 2022. On
    2022-12-31 the formats that must insure and operate: canteen A, the kitchen, the
    distributor, B's canteen = 4 (the closed canteen and the restaurant are out, as in 2021);
    in force that day: the distributor's renewal only → 1/4 = 25 % 未达标."""
    ledger = _ledger()
    LiabilityPolicyFactory(
        business=ledger["distributor"], starts_on=date(2022, 7, 1), ends_on=date(2023, 6, 30)
    )
    r = indicator(CODE, period="2022")
    assert (r.numerator, r.denominator, r.status) == (1, 4, Status.NOT_MET)
