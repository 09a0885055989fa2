"""Two-year full-checklist inspection coverage (监督检查管理办法 第二十二条; 实施方案 第5条).

Rule (metrics/inspections.py): businesses in the subtree operating on the period's last day;
numerator: those with a full-checklist inspection in the 24 months ending on that day — for
2021 the window is 2020-01-01 … 2021-12-31.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import FoodBusinessFactory, InspectionFactory

from .conftest import SUB_A, SUB_B

CODE = "biennial_inspection_coverage"


def business(unit: str = SUB_A, **kw):
    return FoodBusinessFactory(org_unit__code=unit, **kw)


def inspect(b, on: date, full: bool = True, **kw):
    return InspectionFactory(business=b, inspected_on=on, full_checklist=full, **kw)


def _businesses() -> dict[str, object]:
    b = {}
    b["first_day"] = business()
    inspect(b["first_day"], date(2020, 1, 1))  # first day of the 24-month window: counts
    b["day_before"] = business()
    inspect(b["day_before"], date(2019, 12, 31))  # the day before the window: does not
    b["last_day"] = business(unit=SUB_B)
    inspect(b["last_day"], date(2021, 12, 31))  # last day: counts
    b["partial"] = business(unit=SUB_B)
    inspect(b["partial"], date(2021, 6, 1), full=False)  # not the full checklist
    b["after"] = business(unit=SUB_B)
    inspect(b["after"], date(2022, 1, 1))  # after the period's end
    b["closes_later"] = business(closed_on=date(2022, 3, 1))  # operating on 31 Dec: counts
    # Not operating on 31 Dec 2021, so never in the denominator, even when inspected:
    closed = business(status="closed", closed_on=date(2021, 6, 30))
    inspect(closed, date(2021, 3, 1))
    closed_no_date = business(status="closed")
    inspect(closed_no_date, date(2021, 3, 1))
    opens_later = business(opened_on=date(2022, 1, 15))
    inspect(opens_later, date(2021, 12, 1))
    return b


def test_two_year_window_and_operating_businesses(indicator):
    _businesses()
    r = indicator(CODE)
    # Operating on 31 Dec 2021: first_day, day_before, last_day, partial, after, closes_later
    # = 6. Full-checklist inspection in 2020-01-01 … 2021-12-31: first_day, last_day = 2.
    assert (r.numerator, r.denominator) == (2, 6)
    assert r.value == Decimal("33.33")  # 2 / 6 × 100 = 33.333…
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 4  # 6 − 2
    assert r.gap.unit_zh == "家"


def test_window_moves_with_the_period_end(indicator):
    _businesses()
    r = indicator(CODE, period="2021Q3")
    # Window 2019-10-01 … 2021-09-30: first_day and day_before (31 Dec 2019) count, last_day
    # (31 Dec 2021) does not. Operating on 30 Sep 2021: the same 6 (closed 30 Jun is out).
    assert (r.numerator, r.denominator) == (2, 6)
    r = indicator(CODE, period="2021S1")
    # Window 2019-07-01 … 2021-06-30; on 30 Jun 2021 "closed" (closed that day) is not
    # operating. Inspected: first_day, day_before = 2 of 6.
    assert (r.numerator, r.denominator) == (2, 6)


def test_split_by_subdistrict(indicator):
    _businesses()
    a = indicator(CODE, org_unit=SUB_A)
    assert (a.numerator, a.denominator) == (
        1,
        3,
    )  # first_day of first_day, day_before, closes_later
    b = indicator(CODE, org_unit=SUB_B)
    assert (b.numerator, b.denominator) == (1, 3)  # last_day of last_day, partial, after


def test_all_inspected_is_met(indicator):
    for unit in (SUB_A, SUB_B):
        b = business(unit=unit)
        inspect(b, date(2020, 7, 1), inspection_type="random")
    # The ledger must reach 2021 to speak for it (N3: an inspection dated in the period):
    # a routine check of the last one on 2021-04-01, not the full checklist.
    inspect(b, date(2021, 4, 1), full=False)
    r = indicator(CODE)
    assert (r.numerator, r.denominator) == (2, 2)
    assert r.value == Decimal("100")
    assert r.status is Status.MET


def test_no_operating_business_is_no_data(indicator):
    closed = business(status="closed", closed_on=date(2021, 3, 1))
    # The inspection ledger has a row in the two years to 2021-12-31 (the ledger is reported
    # for the window; an older one only would be 无数据 for that reason, F9).
    inspect(closed, date(2021, 1, 15))
    r = indicator(CODE)
    assert r.denominator == 0
    assert r.value is None
    assert r.status is Status.NO_DATA


def test_inspections_and_findings_per_business_are_monitoring_only(indicator):
    """户均检查次数 / 户均发现问题数: no target, status info; closed businesses left out."""
    from foodsafe.inspections.models import Finding

    a = business()
    b = business(unit=SUB_B)
    business(unit=SUB_B)  # operating, never inspected in 2021: in the denominator
    closed = business(status="closed", closed_on=date(2021, 6, 30))
    first = inspect(a, date(2021, 1, 1))  # first day of 2021: counts
    inspect(a, date(2021, 12, 31), full=False)  # any inspection type or scope counts
    inspect(a, date(2020, 12, 31))  # 2020: not in the period
    second = inspect(b, date(2021, 7, 1))
    Finding.objects.create(inspection=first, description="操作间地面积水")
    Finding.objects.create(inspection=first, description="留样不足125克")
    Finding.objects.create(inspection=second, description="从业人员健康证过期")
    gone = inspect(closed, date(2021, 3, 1))
    Finding.objects.create(inspection=gone, description="已注销经营者的问题")  # left out

    r = indicator("inspections_per_business")
    # 3 operating businesses; 2021 inspections of them: a ×2 + b ×1 = 3 → 3 / 3 = 1.
    assert (r.numerator, r.denominator, r.value) == (3, 3, Decimal("1"))
    assert r.status is Status.INFO and r.gap is None and r.target_value is None

    f = indicator("findings_per_business")
    # Findings on those 3 inspections: 2 + 1 = 3 (the closed business's 1 is left out) → 1.
    assert (f.numerator, f.denominator) == (3, 3)
    assert f.status is Status.INFO


def test_monitoring_indicator_without_businesses_has_no_data(indicator):
    r = indicator("inspections_per_business")
    # No inspection row anywhere in the district: the ledger is not loaded → no data, and no
    # numerator or denominator is claimed.
    assert (r.numerator, r.denominator, r.value) == (None, None, None)
    assert r.status is Status.NO_DATA


def test_ledger_not_loaded_is_no_data_not_zero(indicator):
    """Businesses and population but no inspection ledger: coverage is unknown, not 0 %."""
    business()
    business(unit=SUB_B)
    r = indicator(CODE)
    assert (r.numerator, r.denominator, r.status) == (None, None, Status.NO_DATA)
    # Once one inspection is loaded anywhere in the district, the others are real zeros:
    # 1 of 2 businesses inspected.
    inspect(business(), date(2021, 5, 1))
    r = indicator(CODE)
    assert (r.numerator, r.denominator, r.status) == (1, 3, Status.NOT_MET)


def test_the_window_alone_does_not_speak_for_a_period_without_inspections(indicator):
    """h-newuser3 N3: with inspections to 2021-12-31, 2022's 24-month window (2021-01-01 …
    2022-12-31) holds 2021's inspections, so 2022 read 1247/1394 未达标 on the example. Nothing
    dated in 2022: 无数据 (未上报). One inspection on 2022-02-01 lets the ledger speak: both
    businesses operating on 2022-12-31, inspected (full checklist) in the window: the one of
    2021-06-01 and the one of 2022-02-01 → 2/2."""
    one, two = business(), business()
    inspect(one, date(2021, 6, 1))
    r = indicator(CODE, period="2022")
    assert (r.status, r.note) == (Status.NO_DATA, "未上报")
    inspect(two, date(2022, 2, 1))
    r = indicator(CODE, period="2022")
    assert (r.numerator, r.denominator, r.status) == (2, 2, Status.MET)
