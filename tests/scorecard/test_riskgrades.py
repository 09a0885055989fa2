"""Item 5's risk-grading indicators (metrics/riskgrades.py), worked by hand.

risk_grading_coverage: businesses operating on 2021-12-31 with a grade-ledger row for 2021.
graded_inspection_frequency: of those graded, the share with at least the grade's minimum
inspections dated in the period (A 1, B 1, C 2, D 3 a year, the spec's options; pro-rated by
days and rounded down for a shorter period; an operator whose pro-rated minimum is 0 is not due
and in neither part, and nobody due is 无数据).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.registry.models import RiskGrade
from foodsafe.scorecard.results import Status
from tests.factories import FoodBusinessFactory, InspectionFactory

from .conftest import SUB_A, SUB_B


def business(unit: str = SUB_A, **kw):
    return FoodBusinessFactory(org_unit__code=unit, **kw)


def grade(b, level: str, year: int = 2021):
    return RiskGrade.objects.create(
        business=b, year=year, level=level, basis="assessment", decided_on=date(2021, 3, 1)
    )


def inspect(b, *days: date):
    for day in days:
        InspectionFactory(business=b, inspected_on=day)


def test_no_grade_anywhere_is_no_data(indicator):
    """Operators exist but no grade row at all: 无数据, not 0 %."""
    business()
    for code in ("risk_grading_coverage", "graded_inspection_frequency"):
        r = indicator(code)
        assert r.status is Status.NO_DATA, code
        assert r.value is None


def test_coverage_and_frequency(indicator):
    a1 = business()
    grade(a1, "A")
    inspect(a1, date(2021, 5, 1))  # A: 1 needed, 1 done → meets
    c1 = business()
    grade(c1, "C")
    inspect(c1, date(2021, 5, 1))  # C: 2 needed, 1 done → short
    d1 = business(unit=SUB_B)
    grade(d1, "D")
    inspect(d1, date(2021, 2, 1), date(2021, 6, 1), date(2021, 11, 1))  # D: 3 of 3 → meets
    b_old = business(unit=SUB_B)
    grade(b_old, "B", year=2020)  # a 2020 grade only: not graded for 2021
    inspect(b_old, date(2021, 5, 1))
    business()  # never graded
    closed = business(status="closed", closed_on=date(2021, 6, 1))
    grade(closed, "A")  # not operating at year end: in neither part

    r = indicator("risk_grading_coverage")
    # operating on 2021-12-31: a1, c1, d1, b_old, the ungraded one = 5; graded for 2021: a1,
    # c1, d1 = 3 → 60 %
    assert (r.numerator, r.denominator, r.value) == (3, 5, Decimal("60.00"))
    assert r.status is Status.NOT_MET and r.gap.amount == 2
    f = indicator("graded_inspection_frequency")
    # graded and operating: a1, c1, d1 = 3; often enough: a1, d1 = 2 → 66.67 %
    assert (f.numerator, f.denominator, f.value) == (2, 3, Decimal("66.67"))
    # one subdistrict: SUB_B has d1 (graded, 3 of 3) and b_old (not graded for 2021)
    sub = indicator("graded_inspection_frequency", org_unit=SUB_B)
    assert (sub.numerator, sub.denominator) == (1, 1)


def test_a_quarter_has_nobody_due_so_no_verdict(indicator):
    """2021Q1 is 90 of 365 days: D needs ⌊3 × 90/365⌋ = ⌊0.74⌋ = 0, C ⌊0.49⌋ = 0, A and B
    ⌊0.25⌋ = 0. A never-inspected D operator is therefore not due in the quarter: it is in
    neither part, nobody is due, and the indicator is 无数据 with the reason — not 1/1 达标
    (h-newuser3 N1: 2021Q1 read 1383/1383 达标 with 857 operators never inspected)."""
    d1 = business()
    grade(d1, "D")
    q1 = indicator("graded_inspection_frequency", period="2021Q1")
    assert q1.status is Status.NO_DATA
    assert (q1.numerator, q1.denominator, q1.value) == (0, 0, None)
    assert q1.note == "本期无应检对象（期间短于检查周期，按年度判定）"


def test_a_month_has_nobody_due(indicator):
    """202101 is 31 days: D ⌊3 × 31/365⌋ = ⌊0.25⌋ = 0; an A and a D, one inspected, one not:
    nobody is due, 无数据 (the inspection in January does not make anyone 达标 either)."""
    a1, d1 = business(), business()
    grade(a1, "A")
    grade(d1, "D")
    inspect(a1, date(2021, 1, 12))
    m = indicator("graded_inspection_frequency", period="202101")
    assert m.status is Status.NO_DATA
    assert m.note.startswith("本期无应检对象")


def test_a_half_year_counts_only_the_grades_due(indicator):
    """2021S1 is 181 of 365 days: D needs ⌊3 × 181/365⌋ = ⌊1.488⌋ = 1, C ⌊2 × 0.496⌋ = 0,
    A and B ⌊0.496⌋ = 0. Only D operators are due: d1 (inspected on 03-01) meets it, d2
    (inspected only on 08-01, outside S1) does not; the never-inspected C and A are not due.
    → 1/2 = 50 % 未达标. The year (2021) asks ≥ 1 of every grade: d1 1 of 3 short, d2 1 of 3
    short, c1 0 of 2 short, a1 0 of 1 short → 0/4 未达标, all four in the denominator."""
    d1, d2, c1, a1 = business(), business(), business(), business()
    grade(d1, "D")
    grade(d2, "D")
    grade(c1, "C")
    grade(a1, "A")
    inspect(d1, date(2021, 3, 1))
    inspect(d2, date(2021, 8, 1))
    s1 = indicator("graded_inspection_frequency", period="2021S1")
    assert (s1.numerator, s1.denominator, s1.value) == (1, 2, Decimal("50.00"))
    assert s1.status is Status.NOT_MET and s1.note == ""
    year = indicator("graded_inspection_frequency")
    assert (year.numerator, year.denominator) == (0, 4)
    assert year.status is Status.NOT_MET


def _grade_2021(office_admin):
    """The demo's grading step: assess 2021 and confirm every proposal (national scheme)."""
    from foodsafe.riskgrading.grading import gradings_assess
    from foodsafe.riskgrading.in_force import grading_spec
    from foodsafe.riskgrading.services import gradings_confirm_all

    spec = grading_spec()
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    gradings_confirm_all(spec=spec, year=2021, part="grade", actor=office_admin)


def test_h1_coverage_counts_an_operator_closed_in_h2(indicator, office_admin):
    """Three operators opened 2015, none with static factors or a checklist: one recorded A
    and open all year, one recorded B that closed on 2021-09-15, one with no recorded grade.
    The 2021 grading keeps the recorded grades (no presumption) and covers the one closed in
    September (open during 2021); the third is 待评定, so not graded.
    2021S1 (operating on 06-30: all three): graded 2 → 2/3 = 66.67 %.
    2021 (operating on 12-31: the A one and the ungraded one): graded 1 → 1/2 = 50 %."""
    opened = date(2015, 3, 1)
    business(opened_on=opened, risk_level="A")
    business(opened_on=opened, risk_level="B", status="closed", closed_on=date(2021, 9, 15))
    business(opened_on=opened)
    _grade_2021(office_admin)
    h1 = indicator("risk_grading_coverage", period="2021S1")
    assert (h1.numerator, h1.denominator, h1.value) == (2, 3, Decimal("66.67"))
    year = indicator("risk_grading_coverage")
    assert (year.numerator, year.denominator, year.value) == (1, 2, Decimal("50.00"))


def test_h1_frequency_with_a_recorded_d_not_inspected(indicator, office_admin):
    """A caterer recorded D (no static factors, no checklist), inspected only on 2021-08-01;
    one recorded A, never inspected; one recorded B closed on 2021-09-15, never inspected.
    The grading keeps D (before the fix it was presumed: tier Ⅲ 24 + dynamic 0 → A, and the
    H1 check passed). 2021S1 is 181 of 365 days: D needs ⌊3 × 181/365⌋ = ⌊1.49⌋ = 1 and has 0
    in H1 → short; A and B need ⌊181/365⌋ = 0 → not due in H1, in neither part (h-newuser3
    N1: they were counted met before). 2021S1: 0/1 = 0 %, 未达标.
    Full year: operating on 12-31 are D (1 of 3 needed → short) and A (0 of 1 → short) → 0/2."""
    opened = date(2015, 3, 1)
    d = business(opened_on=opened, risk_level="D")
    inspect(d, date(2021, 8, 1))
    business(opened_on=opened, risk_level="A")
    business(opened_on=opened, risk_level="B", status="closed", closed_on=date(2021, 9, 15))
    _grade_2021(office_admin)
    assert RiskGrade.objects.get(business=d, year=2021).level == "D"
    h1 = indicator("graded_inspection_frequency", period="2021S1")
    assert (h1.numerator, h1.denominator, h1.value) == (0, 1, Decimal("0.00"))
    assert h1.status is Status.NOT_MET
    year = indicator("graded_inspection_frequency")
    assert (year.numerator, year.denominator) == (0, 2)


def test_a_year_without_grades_is_no_data_without_the_not_due_note(indicator):
    """A whole year asks ≥ 1 of every grade, so an empty denominator there means no grade of
    the year (2022 with 2021's grades only), not "nobody due": 无数据 without that note."""
    d1 = business()
    grade(d1, "D")
    inspect(d1, date(2022, 3, 1))
    r = indicator("graded_inspection_frequency", period="2022")
    assert r.status is Status.NO_DATA
    assert "本期无应检对象" not in r.note
