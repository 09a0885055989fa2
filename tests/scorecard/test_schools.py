"""School canteens: term-start inspection coverage (第5条) and 互联网+明厨亮灶 (第29条), both 100%.

Rules (metrics/schools.py): for each term whose window (spring 02-01 … 03-31, autumn
08-15 … 09-30 in the spec) starts in the period, the canteens operating at the window's end
count once in the denominator and, with a 开学检查 dated in the window, once in the numerator.
Bright kitchen: canteens operating on the period's last day, live on or before it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from foodsafe.scorecard.results import Status
from tests.factories import InspectionFactory, SchoolCanteenFactory

from .conftest import SUB_A, SUB_B

TERM = "term_start_inspection_coverage"
BRIGHT = "bright_kitchen_coverage"


def canteen(unit: str = SUB_A, bright_kitchen_on: date | None = None, **business):
    return SchoolCanteenFactory(
        business__org_unit__code=unit,
        bright_kitchen_on=bright_kitchen_on,
        **{f"business__{k}": v for k, v in business.items()},
    )


def term_check(c, on: date, inspection_type: str = "term_start"):
    return InspectionFactory(business=c.business, inspected_on=on, inspection_type=inspection_type)


def _canteens() -> None:
    k1 = canteen(SUB_A)
    term_check(k1, date(2021, 2, 1))  # spring window's first day
    term_check(k1, date(2021, 9, 30))  # autumn window's last day
    k2 = canteen(SUB_B)
    term_check(k2, date(2021, 3, 31))  # spring window's last day
    term_check(k2, date(2021, 8, 14))  # the day before the autumn window: no
    term_check(k2, date(2021, 9, 1), inspection_type="routine")  # not a term-start check
    k3 = canteen(SUB_A, status="closed", closed_on=date(2021, 6, 30))  # spring only
    term_check(k3, date(2021, 1, 31))  # the day before the spring window: no
    k4 = canteen(SUB_A, opened_on=date(2021, 9, 1))  # autumn only
    term_check(k4, date(2021, 9, 15))


def test_term_start_coverage_over_both_terms(indicator):
    _canteens()
    r = indicator(TERM)
    # Spring (ends 31 Mar): k1, k2, k3 operating; checked k1, k2 → 2 of 3.
    # Autumn (ends 30 Sep): k1, k2, k4 operating; checked k1, k4 → 2 of 3.
    assert (r.numerator, r.denominator) == (4, 6)
    assert r.value == Decimal("66.67")  # 4 / 6 × 100 = 66.666…
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 2  # 6 − 4
    assert r.gap.unit_zh == "家次"
    # k3 missed spring and k2 autumn: two canteen-terms short, said in the unit counted.
    assert r.gap.text_zh == "还有 2 家次学校食堂未完成开学检查（春秋两季各计 1 家次）"
    assert r.reading.startswith("按家次计")


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2021Q1", (2, 3)),  # spring: k1, k2 of k1, k2, k3
        ("2021S1", (2, 3)),  # spring only
        ("2021Q3", (2, 3)),  # autumn: k1, k4 of k1, k2, k4
        ("2021S2", (2, 3)),  # autumn only
        # A month counts the window that starts in it, as of the month's end: checks made
        # later in the window are not facts yet.
        ("202108", (0, 3)),  # autumn window from 15 Aug; k1 (30 Sep), k4 (15 Sep) not yet
        ("202102", (1, 3)),  # spring window from 1 Feb; k1 (1 Feb) yes, k2 (31 Mar) not yet
    ],
)
def test_term_start_by_period(indicator, period, expected):
    _canteens()
    r = indicator(TERM, period=period)
    assert (r.numerator, r.denominator) == expected


@pytest.mark.parametrize("period", ["202106", "2021Q2", "2021Q4", "202109", "202103"])
def test_period_without_a_term_window_is_no_data(indicator, period):
    _canteens()
    r = indicator(TERM, period=period)
    assert r.denominator == 0
    assert r.value is None
    assert r.status is Status.NO_DATA
    assert r.gap is None


def test_term_start_split_by_subdistrict(indicator):
    _canteens()
    a = indicator(TERM, org_unit=SUB_A)
    # A: spring k1 ✓, k3 ✗; autumn k1 ✓, k4 ✓ → 3 of 4.
    assert (a.numerator, a.denominator) == (3, 4)
    assert a.value == Decimal("75")
    b = indicator(TERM, org_unit=SUB_B)
    # B: spring k2 ✓; autumn k2 ✗ → 1 of 2.
    assert (b.numerator, b.denominator) == (1, 2)


def test_term_start_met(indicator):
    k = canteen(SUB_B)
    term_check(k, date(2021, 2, 20))
    term_check(k, date(2021, 9, 1))
    r = indicator(TERM)
    assert (r.numerator, r.denominator) == (2, 2)  # one canteen, two terms
    assert r.value == Decimal("100")
    assert r.status is Status.MET


def test_bright_kitchen_coverage(indicator):
    canteen(SUB_A, bright_kitchen_on=date(2021, 12, 31))  # live on the last day: counts
    canteen(SUB_A, bright_kitchen_on=date(2020, 5, 1))  # live long ago: counts
    canteen(SUB_B, bright_kitchen_on=date(2022, 1, 1))  # live the day after: does not
    canteen(SUB_B)  # not live
    closed = canteen(
        SUB_A, bright_kitchen_on=date(2021, 1, 1), status="closed", closed_on=date(2021, 7, 1)
    )
    # The periods' own rows (the canteen ledger has no date of its own): inspections of a
    # school canteen dated in 2021 and in 2022.
    term_check(closed, date(2021, 3, 1))
    term_check(closed, date(2022, 3, 1), inspection_type="routine")
    r = indicator(BRIGHT)
    # Operating on 31 Dec: 4 (the closed canteen is out); live by then: 2.
    assert (r.numerator, r.denominator) == (2, 4)
    assert r.value == Decimal("50")
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 2
    assert r.gap.text_zh == "还有 2 个学校食堂未实现“互联网+明厨亮灶”"
    assert r.responsible_units == ("区教育局",)
    a = indicator(BRIGHT, org_unit=SUB_A)
    assert (a.numerator, a.denominator) == (2, 2)
    assert a.status is Status.MET
    b = indicator(BRIGHT, org_unit=SUB_B)
    assert (b.numerator, b.denominator) == (0, 2)
    # By 2022 the third one is live: 3 of 4 (2022 has no other change).
    assert indicator(BRIGHT, period="2022").numerator == 3


def test_bright_kitchen_needs_canteen_inspections_in_the_period(indicator):
    """A period speaks only with inspections of school canteens dated in it [I]."""
    live = canteen(SUB_A, bright_kitchen_on=date(2019, 3, 1))
    canteen(SUB_B)  # never live
    term_check(live, date(2021, 9, 1))
    # 2015: both canteens operating (no opening date), neither live by then — but no
    # canteen was inspected in 2015: 无数据 (未上报), not 0/2 未达标.
    r = indicator(BRIGHT, period="2015")
    assert (r.numerator, r.denominator, r.status, r.note) == (None, None, Status.NO_DATA, "未上报")
    # 2026: the 2021 ledger's canteen still without is not carried into 2026: 无数据.
    assert indicator(BRIGHT, period="2026").status is Status.NO_DATA
    # 2021: inspected in 2021 → 1 of 2 live, 未达标.
    r = indicator(BRIGHT)
    assert (r.numerator, r.denominator, r.status) == (1, 2, Status.NOT_MET)


def test_no_canteen_is_no_data(indicator):
    for code in (TERM, BRIGHT):
        r = indicator(code)
        assert r.value is None
        assert r.status is Status.NO_DATA
