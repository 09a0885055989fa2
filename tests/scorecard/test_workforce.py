"""Inspector professionalisation and training (第12条): professional share ≥ 70%, training
coverage 100%, ≥ 40 class hours per person a year (pro-rated by months for shorter periods).

Rules (metrics/workforce.py): the denominator is food-safety inspectors in the subtree in post
on the period's last day (joined on or before it, not left on or before it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import StaffMemberFactory, TrainingRecordFactory

from .conftest import SUB_A, SUB_B


def staff(professional: bool = True, unit: str = SUB_A, **kw):
    return StaffMemberFactory(is_professional=professional, org_unit__code=unit, **kw)


def train(person, hours: str, on: date = date(2021, 5, 1)):
    return TrainingRecordFactory(staff=person, class_hours=Decimal(hours), trained_on=on)


def _not_in_post() -> None:
    """Staff who are never in the denominator of 2021, all professional and well trained."""
    for kw in (
        {"is_food_inspector": False},  # not a food-safety inspector
        {"left_on": date(2021, 6, 30)},  # left before the end of the period
        {"joined_on": date(2022, 1, 1)},  # joined after it
    ):
        person = staff(professional=True, **kw)
        train(person, "40", on=date(2021, 3, 1))


def test_professional_share_exactly_70_is_met(indicator):
    _not_in_post()
    for _ in range(7):
        staff(professional=True)
    for _ in range(2):
        staff(professional=False, unit=SUB_B)
    staff(professional=False, joined_on=date(2021, 12, 31), left_on=date(2022, 1, 1))  # in post
    r = indicator("professional_staff_share")
    assert (r.numerator, r.denominator) == (7, 10)
    assert r.value == Decimal("70")  # 7 / 10 × 100
    assert r.status is Status.MET


def test_professional_share_below_70_gap_in_people(indicator):
    _not_in_post()
    for _ in range(6):
        staff(professional=True)
    for _ in range(4):
        staff(professional=False)
    r = indicator("professional_staff_share")
    assert (r.numerator, r.denominator) == (6, 10)
    assert r.value == Decimal("60")
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 1  # 70% of 10 = 7; 7 − 6
    assert r.gap.unit_zh == "人"


def test_training_coverage_and_hours(indicator):
    _not_in_post()
    full = staff(unit=SUB_A)
    for day in (1, 2, 3, 4, 5):  # 5 × 8 = 40 class hours in 2021
        train(full, "8", on=date(2021, 3, day))
    short = staff(unit=SUB_A)
    train(short, "39.5", on=date(2021, 12, 31))  # trained on the last day, 39.5 < 40
    early = staff(unit=SUB_B)
    train(early, "20", on=date(2021, 1, 1))  # first day: counts; 20 + nothing else
    train(early, "30", on=date(2020, 12, 31))  # the day before: not in 2021
    staff(unit=SUB_B)  # never trained

    coverage = indicator("training_coverage")
    # In post: full, short, early, untrained = 4; trained in 2021: full, short, early = 3.
    assert (coverage.numerator, coverage.denominator) == (3, 4)
    assert coverage.value == Decimal("75")
    assert coverage.gap.amount == 1
    assert coverage.gap.text_zh == "还有 1 名食品安全监管人员未参加业务培训"

    hours = indicator("training_hours_compliance")
    # ≥ 40 hours in 2021: only "full" (40); short 39.5, early 20, untrained 0.
    assert (hours.numerator, hours.denominator) == (1, 4)
    assert hours.value == Decimal("25")
    assert hours.gap.amount == 3  # 4 − 1

    a = indicator("training_hours_compliance", org_unit=SUB_A)
    assert (a.numerator, a.denominator) == (1, 2)  # full, short
    b = indicator("training_coverage", org_unit=SUB_B)
    assert (b.numerator, b.denominator) == (1, 2)  # early trained, one never


def test_hours_are_pro_rated_for_a_quarter(indicator):
    ten = staff()
    train(ten, "6", on=date(2021, 7, 1))
    train(ten, "4", on=date(2021, 9, 30))  # 6 + 4 = 10 = 40 × 3/12 in Q3
    nine = staff()
    train(nine, "9.9", on=date(2021, 8, 1))
    train(nine, "30", on=date(2021, 10, 1))  # in Q4, not Q3
    r = indicator("training_hours_compliance", period="2021Q3")
    assert (r.numerator, r.denominator) == (1, 2)  # 10 ≥ 10; 9.9 < 10
    year = indicator("training_hours_compliance")
    assert (year.numerator, year.denominator) == (0, 2)  # 2021: 10 < 40 and 9.9 + 30 = 39.9 < 40


def test_all_trained_40_hours_is_met(indicator):
    for unit in (SUB_A, SUB_B):
        person = staff(unit=unit)
        train(person, "12.5", on=date(2021, 2, 1))
        train(person, "27.5", on=date(2021, 11, 1))  # 12.5 + 27.5 = 40
    for code in ("training_coverage", "training_hours_compliance"):
        r = indicator(code)
        assert (r.numerator, r.denominator) == (2, 2)
        assert r.status is Status.MET


def test_no_inspectors_is_no_data(indicator):
    _not_in_post()
    for code in ("professional_staff_share", "training_coverage", "training_hours_compliance"):
        r = indicator(code)
        assert r.denominator == 0
        assert r.value is None
        assert r.status is Status.NO_DATA


# -- mid-year joiners and the agencies counted (issue 10 §3) ---------------------------------


def test_mid_year_joiner_needs_pro_rated_hours(indicator):
    # Joined 1 Dec 2021: in post 31 of 365 days, minimum 40 × 31/365 = 3.397… 学时.
    late = staff(joined_on=date(2021, 12, 1))
    train(late, "8", on=date(2021, 12, 10))  # 8 ≥ 3.4: passes (it failed against 40)
    short = staff(joined_on=date(2021, 12, 1))
    train(short, "3", on=date(2021, 12, 10))  # 3 < 3.4: fails
    full = staff(joined_on=date(2015, 1, 1))
    train(full, "40")  # the whole year in post: 40 ≥ 40
    r = indicator("training_hours_compliance")
    assert (r.numerator, r.denominator) == (2, 3)  # late and full of late, short, full
    assert r.value == Decimal("66.67")
    # The other reading (no pro-rating): only full reaches 40: 1 / 3 = 33.33 %; both fail.
    (whole,) = r.readings
    assert whole.code == "full_year"
    assert (whole.numerator, whole.denominator) == (1, 3)
    assert not whole.flips


def test_full_year_reading_needs_40_hours_in_a_half_year(indicator):
    """The other reading 不折算（期内在岗者均须满 40 学时） is literal: in 2021S1 everyone in
    post on 30 June needs 40 class hours by then, not 40 × 6/12 = 20 (D8 of h-recompute).

    - in post all year, 25 学时 in H1: spec reading 25 ≥ 20 (40 × 6/12, whole period in
      post) passes; 不折算 25 < 40 fails;
    - in post all year, 40 学时 in H1: passes both;
    - joined 1 June, 8 学时: spec reading needs 20 × 30/181 = 3.31 → passes; 不折算 fails.
    Spec reading 3/3 = 100 % 达标; 不折算 1/3 = 33.33 % 未达标 → 结论不同.
    """
    train(staff(), "25", on=date(2021, 3, 1))
    train(staff(), "40", on=date(2021, 6, 30))
    train(staff(joined_on=date(2021, 6, 1)), "8", on=date(2021, 6, 10))
    r = indicator("training_hours_compliance", period="2021S1")
    assert (r.numerator, r.denominator, r.status) == (3, 3, Status.MET)
    (whole,) = r.readings
    assert whole.code == "full_year"
    assert (whole.numerator, whole.denominator) == (1, 3)
    assert whole.value == Decimal("33.33")
    assert whole.status is Status.NOT_MET and whole.flips
    # Over the whole year the two 40s coincide for staff in post all year: 25 < 40 and
    # 40 ≥ 40 either way; the June joiner needs 40 × 214/365 = 23.45 on the spec reading, so
    # 8 fails both: 1/3 on both readings.
    year = indicator("training_hours_compliance")
    assert (year.numerator, year.readings[0].numerator) == (1, 1)


def test_joiner_in_a_quarter_pro_rated_within_it(indicator):
    # 2021Q3 has 92 days and a minimum of 10 学时; joined 1 Sep: 30 of 92 days,
    # 10 × 30/92 = 3.26 学时. 3.3 passes.
    person = staff(joined_on=date(2021, 9, 1))
    train(person, "3.3", on=date(2021, 9, 15))
    r = indicator("training_hours_compliance", period="2021Q3")
    assert (r.numerator, r.denominator) == (1, 1)


def test_only_market_regulation_agencies_are_counted(indicator):
    # The seed means 市场监管部门及其派出机构: the spec's ``agencies`` words 市场监督管理/市场监管.
    staff(agency="和平区市场监督管理局")
    staff(agency="和平区劝业场市场监管所", professional=False)
    other = staff(agency="和平区卫生健康委员会")  # another agency's inspector: not counted
    # A training record of 2021 in the county: the staff ledger is reported for 2021 (without
    # one the roster says nothing of the period: 无数据, test_period_data.py).
    train(other, "8")
    r = indicator("professional_staff_share")
    assert (r.numerator, r.denominator) == (1, 2)  # of the bureau and its office
    coverage = indicator("training_coverage")
    assert coverage.denominator == 2


# -- a yearly target in a part of the year (spec ``cycle: year``, h-newuser3 N2) ----------------


def test_training_coverage_in_a_quarter_is_progress_judged_on_the_year(indicator):
    """实施方案 第12条 "业务培训覆盖率达到100%" is a yearly target (spec ``cycle: year``): a
    half-year, quarter or month shows the share trained so far with 按年度判定, no verdict.
    Two inspectors: ``a`` trained 2021-02-01 (Q1), ``b`` 2021-05-01 (Q2).
    - 2021Q1: in post 2, trained in Q1 1 → 50.00 %, progress, 按年度判定 (was 未达标, gap 1).
    - 202102: trained in February 1 of 2 → 50.00 %, 按年度判定; 202103: no training record
      dated in March at all → 无数据 (the ledger does not speak for March), not 按年度判定.
    - 2021S1: both trained in S1 → 100.00 %, 按年度判定 too (never 达标 on a part of the year).
    - 2021: 2/2 → 达标.
    """
    a, b = staff(), staff()
    train(a, "8", on=date(2021, 2, 1))
    train(b, "8", on=date(2021, 5, 1))
    q1 = indicator("training_coverage", period="2021Q1")
    assert (q1.numerator, q1.denominator, q1.value) == (1, 2, Decimal("50.00"))
    assert q1.status is Status.ANNUAL and q1.status_zh == "按年度判定"
    assert q1.gap is None
    assert q1.note == "期内进度，目标按年度判定"
    feb = indicator("training_coverage", period="202102")
    assert (feb.numerator, feb.value, feb.status) == (1, Decimal("50.00"), Status.ANNUAL)
    assert indicator("training_coverage", period="202103").status is Status.NO_DATA
    s1 = indicator("training_coverage", period="2021S1")
    assert (s1.value, s1.status) == (Decimal("100.00"), Status.ANNUAL)
    year = indicator("training_coverage")
    assert (year.numerator, year.denominator, year.status) == (2, 2, Status.MET)
    assert year.note == ""


def test_hours_pro_rated_by_their_reading_keep_their_verdict(indicator):
    """training_hours_compliance pro-rates 40 学时 by months (its reading, ``cycle: period``):
    in 2021Q1 it keeps its verdict. 10 ≥ 40 × 3/12 = 10 → 1/1 达标."""
    person = staff()
    train(person, "10", on=date(2021, 3, 1))
    r = indicator("training_hours_compliance", period="2021Q1")
    assert (r.numerator, r.denominator, r.status) == (1, 1, Status.MET)


def test_no_training_record_in_a_quarter_stays_no_data(indicator):
    """按年度判定 is given only to a value: a quarter without any training record (and no zero
    report) is still 无数据 (未上报), not 按年度判定."""
    person = staff()
    train(person, "8", on=date(2021, 5, 1))
    r = indicator("training_coverage", period="2021Q1")
    assert r.status is Status.NO_DATA
