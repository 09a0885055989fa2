"""The "three smalls" (食品小作坊、小餐饮、食品摊贩): registration or filing (第17条) and their
governance by inspection and rectification (第28条), each 100 % [I].

Rules (metrics/operators.py):
- ``small_operator_registration_rate``: denominator = small workshops, small eateries and
  stalls operating on the period's last day; numerator = those with a registration/filing
  number (许可证编号) and its date (发证（登记、备案）日期) by that day and by the as-of date.
- ``small_operator_inspection_coverage``: the same denominator; numerator = those with an
  inspection dated in the period up to the as-of date.
- ``small_operator_rectification_rate``: denominator = three smalls with an inspection in the
  period (to the as-of date) found 限期整改 or 不符合; numerator = those with a 复查 found 符合
  after their last such inspection, by the as-of date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import FoodBusinessFactory, InspectionFactory

from .conftest import SUB_A, SUB_B

REGISTERED = "small_operator_registration_rate"
INSPECTED = "small_operator_inspection_coverage"
RECTIFIED = "small_operator_rectification_rate"


def small(fmt: str, unit: str = SUB_A, number: str | None = None, on: date | None = None, **kw):
    return FoodBusinessFactory(
        business_format=fmt, org_unit_id=unit, licence_number=number, registered_on=on, **kw
    )


def _smalls() -> None:
    small("small_workshop", number="津和小作坊登字0001", on=date(2019, 5, 1))  # registered
    small("food_stall", SUB_B, number="津和摊贩备0002", on=date(2021, 12, 31))  # on the last day
    small("small_eatery", SUB_B, number="津和小餐饮登0003")  # number but no date: not counted
    small("small_eatery", SUB_B)  # neither
    small("small_eatery", number="津和小餐饮登0004", on=date(2022, 1, 5))  # after the year
    small("food_stall", number="津和摊贩备0005", on=date(2020, 1, 1), opened_on=date(2022, 2, 1))
    small("restaurant", number=None)  # not one of the three smalls


def test_registration_rate(indicator):
    _smalls()
    # The period's own row (the registry has no date of its own): one small inspected in 2021.
    seen = small("small_workshop", SUB_B, number="津和小作坊登字0009", on=date(2018, 1, 1))
    seen.status, seen.closed_on = "closed", date(2021, 6, 30)
    seen.save()
    InspectionFactory(business=seen, inspected_on=date(2021, 3, 1))
    r = indicator(REGISTERED)
    # Operating on 31 Dec 2021: the workshop, the stall of B, two eateries of B, the eatery
    # of A → 5 (the last stall opens in 2022; the restaurant is not a small). Registered by
    # 31 Dec: the workshop and the stall of B (31 Dec itself) → 2 of 5.
    assert (r.numerator, r.denominator) == (2, 5)
    assert r.value == Decimal("40.00")
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 3
    assert r.gap.text_zh == "还有 3 家食品小作坊、小餐饮或食品摊贩未登记建档或备案"
    # Subdistrict B: the stall (registered), the two eateries (not) → 1 of 3.
    r = indicator(REGISTERED, org_unit=SUB_B)
    assert (r.numerator, r.denominator) == (1, 3)
    # As of 30 Jun 2021 the stall's registration of 31 Dec is not a fact yet → 1 of 5.
    r = indicator(REGISTERED, as_of=date(2021, 6, 30))
    assert (r.numerator, r.denominator) == (1, 5)


def test_registration_needs_inspections_of_smalls_in_the_period(indicator):
    """A period speaks only with inspections of the three smalls dated in it [I]."""
    small("small_workshop", number="津和小作坊登字0001", on=date(2010, 5, 1))  # registered
    unregistered = small("small_eatery", SUB_B)
    restaurant = FoodBusinessFactory(business_format="restaurant", org_unit_id=SUB_A)
    InspectionFactory(business=restaurant, inspected_on=date(2015, 6, 1))  # not a small
    InspectionFactory(business=unregistered, inspected_on=date(2021, 6, 1))
    # 2015: the registry (no opening dates: operating) says 1 of 2, but no small was
    # inspected in 2015 (a restaurant's inspection does not speak for the smalls): 无数据.
    r = indicator(REGISTERED, period="2015")
    assert (r.numerator, r.denominator, r.status, r.note) == (None, None, Status.NO_DATA, "未上报")
    # 2026: likewise — the 2021 registry does not carry its unregistered eatery into 2026.
    assert indicator(REGISTERED, period="2026").status is Status.NO_DATA
    # 2021: the eatery was inspected in 2021 (in subdistrict B; counted in the county, so
    # subdistrict A speaks too): 1 of 2 registered, 未达标.
    r = indicator(REGISTERED)
    assert (r.numerator, r.denominator, r.status) == (1, 2, Status.NOT_MET)
    a = indicator(REGISTERED, org_unit=SUB_A)
    assert (a.numerator, a.denominator, a.status) == (1, 1, Status.MET)


def test_no_small_operator_is_no_data(indicator):
    FoodBusinessFactory(business_format="restaurant", org_unit_id=SUB_A)
    r = indicator(REGISTERED)
    assert r.status is Status.NO_DATA


def check(business, on: date, result: str = "compliant", kind: str = "routine"):
    return InspectionFactory(
        business=business, inspected_on=on, result=result, inspection_type=kind
    )


def _governed() -> None:
    # w: inspected 10 Mar, 限期整改; re-inspected 2 Apr, 符合 → closed.
    w = small("small_workshop")
    check(w, date(2021, 3, 10), "rectify")
    check(w, date(2021, 4, 2), "compliant", "follow_up")
    # e1: 不符合 on 5 May and again on 1 Aug; the 复查 of 20 May was before the last problem
    # → open.
    e1 = small("small_eatery", SUB_B)
    check(e1, date(2021, 5, 5), "noncompliant")
    check(e1, date(2021, 5, 20), "compliant", "follow_up")
    check(e1, date(2021, 8, 1), "noncompliant")
    # e2: 限期整改 on 1 Nov; the 复查 of 15 Nov found it still 限期整改 → open.
    e2 = small("small_eatery", SUB_B)
    check(e2, date(2021, 11, 1), "rectify")
    check(e2, date(2021, 11, 15), "rectify", "follow_up")
    # s: 符合 on 1 Jun: inspected, no problem.
    s = small("food_stall")
    check(s, date(2021, 6, 1))
    # s2: only a 2020 inspection with problems, closed in 2021: not inspected in 2021.
    s2 = small("food_stall", SUB_B)
    check(s2, date(2020, 12, 1), "rectify")
    check(s2, date(2021, 1, 10), "compliant", "follow_up")
    # e3: 限期整改 on 10 Dec, 复查 符合 on 10 Jan 2022: closed only as of 2022.
    e3 = small("small_eatery")
    check(e3, date(2021, 12, 10), "rectify")
    check(e3, date(2022, 1, 10), "compliant", "follow_up")
    # A workshop never inspected.
    small("small_workshop", SUB_B)
    # A restaurant with an open problem: not a small.
    check(
        FoodBusinessFactory(business_format="restaurant", org_unit_id=SUB_A),
        date(2021, 3, 1),
        "rectify",
    )


def test_inspection_coverage(indicator):
    _governed()
    r = indicator(INSPECTED)
    # Operating smalls: w, e1, e2, s, s2, e3 and the never-inspected workshop → 7. All but
    # that workshop have an inspection dated in 2021 (s2 only its 10 Jan 复查, which is an
    # inspection too) → 6 of 7.
    assert (r.numerator, r.denominator) == (6, 7)
    assert r.status is Status.NOT_MET
    assert r.gap.text_zh == "还有 1 家食品小作坊、小餐饮或食品摊贩本期未接受监督检查"
    # 2021Q1: w (10 Mar), s2 (10 Jan) → 2 of 7.
    r = indicator(INSPECTED, period="2021Q1")
    assert (r.numerator, r.denominator) == (2, 7)


def test_rectification_rate(indicator):
    _governed()
    r = indicator(RECTIFIED)
    # With problems in 2021: w, e1, e2, e3 (s2's was in 2020) → 4. Closed by 31 Dec 2021: w
    # only (e1's 复查 predates its last problem, e2's found 限期整改, e3's is in 2022) → 1 of 4.
    assert (r.numerator, r.denominator) == (1, 4)
    assert r.value == Decimal("25.00")
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 3
    assert r.gap.text_zh == "还有 3 家“三小”检查发现的问题未整改到位"
    # Subdistrict B: e1, e2 → 0 of 2.
    r = indicator(RECTIFIED, org_unit=SUB_B)
    assert (r.numerator, r.denominator) == (0, 2)
    # 2020: s2 had problems on 1 Dec 2020; as of 31 Dec 2020 its 复查 (10 Jan 2021) is not a
    # fact yet → 0 of 1.
    r = indicator(RECTIFIED, period="2020")
    assert (r.numerator, r.denominator) == (0, 1)
    # As of 30 Apr 2021: problems by then w (10 Mar) → closed 2 Apr → 1 of 1.
    r = indicator(RECTIFIED, as_of=date(2021, 4, 30))
    assert (r.numerator, r.denominator) == (1, 1)


def test_no_problem_found_is_no_data(indicator):
    check(small("food_stall"), date(2021, 6, 1))
    r = indicator(RECTIFIED)
    # Inspected, nothing found: no rectification to close, so no rate (not 0 % nor 100 %).
    assert r.denominator == 0
    assert r.status is Status.NO_DATA
