"""Stored-grain monitoring (第4条): coverage by quantity ≥ 25%, problem disposal 100%.

Rules (metrics/grain.py): coverage = the subtree's stocks of the period's year monitored in the
period, each counted at most once: the tonnes its tests represented, capped at the stock ÷
those stocks' tonnes; disposal = problems found
by tests of the period and handled by the as-of date ÷ problems found.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import GrainMonitoringFactory, GrainStockFactory

from .conftest import SUB_A, SUB_B


def stock(tonnes: str, unit: str = SUB_A, year: int = 2021):
    return GrainStockFactory(stock_tonnes=Decimal(tonnes), org_unit__code=unit, year=year)


def monitor(on_stock, tonnes: str, on: date = date(2021, 6, 1), **kw):
    return GrainMonitoringFactory(
        stock=on_stock, monitored_tonnes=Decimal(tonnes), sampled_on=on, **kw
    )


def _stocks():
    a = stock("1000", SUB_A)
    b = stock("3000", SUB_B)
    old = stock("5000", SUB_A, year=2020)  # another year's stock: not counted
    monitor(a, "250")
    monitor(b, "700")
    monitor(a, "400", on=date(2020, 12, 31))  # sampled before the period
    monitor(old, "900")  # on the 2020 stock
    return a, b


def test_coverage_not_met_gap_in_tonnes(indicator):
    _stocks()
    r = indicator("grain_monitoring_coverage")
    assert (r.numerator, r.denominator) == (950, 4000)  # 250 + 700 of 1,000 + 3,000 t
    assert r.value == Decimal("23.75")  # 950 / 4,000 × 100
    assert r.status is Status.NOT_MET
    # 25% of 4,000 t = 1,000 t; 1,000 − 950 = 50 t still to monitor.
    assert r.gap.amount == 50
    assert r.gap.unit_zh == "吨"
    assert r.gap.text_zh == "还需监测 50 吨库存粮食"


def test_coverage_met_at_exactly_25_percent(indicator):
    a, _ = _stocks()
    monitor(a, "50", on=date(2021, 12, 31))  # last day of the period
    r = indicator("grain_monitoring_coverage")
    # a: tests of 250 and 50 t (different lots) = 300 t, under its 1,000 t; b: 700 t.
    assert (r.numerator, r.denominator) == (1000, 4000)
    assert r.value == Decimal("25")  # 1,000 / 4,000 × 100
    assert r.status is Status.MET


def test_coverage_splits_by_subdistrict(indicator):
    _stocks()
    a = indicator("grain_monitoring_coverage", org_unit=SUB_A)
    assert (a.numerator, a.denominator) == (250, 1000)
    assert a.status is Status.MET  # 250 / 1,000 = 25%
    b = indicator("grain_monitoring_coverage", org_unit=SUB_B)
    assert b.value == Decimal("23.33")  # 700 / 3,000 × 100 = 23.333…
    assert b.gap.amount == 50  # 25% of 3,000 = 750; 750 − 700


def test_coverage_is_exact_with_fractional_tonnes(indicator):
    s = stock("3.2")
    monitor(s, "0.7")
    monitor(s, "0.1")
    r = indicator("grain_monitoring_coverage")
    assert r.numerator == Decimal("0.8")  # 0.7 + 0.1 t, exactly (not 0.7999…)
    assert r.value == Decimal("25")  # 0.8 / 3.2 × 100 = 25 exactly
    assert r.status is Status.MET


def test_two_tests_of_one_stock_count_it_once(indicator):
    # Issue 10 §3: two tests of the same 1,000 t stock, each representing the whole stock, gave
    # 2,000 / 1,000 = 200 %. The stock counts at most once: min(2,000, 1,000) / 1,000 = 100 %.
    s = stock("1000")
    monitor(s, "1000", on=date(2021, 3, 1))
    monitor(s, "1000", on=date(2021, 9, 1))
    r = indicator("grain_monitoring_coverage")
    assert (r.numerator, r.denominator) == (1000, 1000)
    assert r.value == Decimal("100")


def test_a_test_over_the_stock_is_capped_at_the_stock(indicator):
    # A test recorded as representing 1,200 t of a 1,000 t stock covers the stock: 1,000 t.
    # With a second stock of 3,000 t not monitored: 1,000 / 4,000 × 100 = 25 %.
    monitor(stock("1000"), "1200")
    stock("3000", SUB_B)
    r = indicator("grain_monitoring_coverage")
    assert (r.numerator, r.denominator) == (1000, 4000)
    assert r.value == Decimal("25")


def test_no_stock_is_no_data(indicator):
    stock("1000", year=2020)
    r = indicator("grain_monitoring_coverage")
    assert r.value is None
    assert r.status is Status.NO_DATA
    assert r.gap is None


def _problems():
    a = stock("1000")
    monitor(a, "10", problem_found=True, problem_handled_on=date(2021, 7, 1))
    monitor(a, "10", problem_found=True, problem_handled_on=date(2022, 1, 10))  # after as-of
    monitor(a, "10", problem_found=True)  # not handled
    monitor(a, "10", problem_found=False)  # no problem: not counted
    monitor(a, "10", on=date(2020, 12, 31), problem_found=True)  # sampled before the period


def test_problem_disposal_not_met(indicator):
    _problems()
    r = indicator("grain_problem_disposal_rate")
    assert (r.numerator, r.denominator) == (1, 3)  # handled by 31 Dec 2021: 1 of 3 problems
    assert r.value == Decimal("33.33")  # 1 / 3 × 100
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 2  # 3 − 1
    assert r.gap.text_zh == "还有 2 个监测发现的问题未处置"


def test_problem_disposal_as_of(indicator):
    _problems()
    r = indicator("grain_problem_disposal_rate", as_of=date(2021, 6, 30))
    assert (r.numerator, r.denominator) == (0, 3)  # the first is handled on 1 Jul


def test_problem_disposal_met(indicator):
    a = stock("1000")
    monitor(a, "10", problem_found=True, problem_handled_on=date(2021, 12, 31))
    monitor(a, "10", problem_found=False)
    r = indicator("grain_problem_disposal_rate")
    assert (r.numerator, r.denominator) == (1, 1)
    assert r.value == Decimal("100")
    assert r.status is Status.MET


def test_no_problem_found_is_no_data(indicator):
    a = stock("1000")
    monitor(a, "300", problem_found=False)
    r = indicator("grain_problem_disposal_rate")
    assert r.denominator == 0
    assert r.value is None
    assert r.status is Status.NO_DATA
