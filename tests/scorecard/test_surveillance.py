"""Risk monitoring (风险监测, 实施方案 第3条): sentinel institutions' monthly reports and the
timeliness of foodborne-disease event reports, each 100 % [I]/[M].

Rules (metrics/surveillance.py):
- ``sentinel_monthly_reporting_rate``: a month's report is due on the 10th of the next month
  (spec ``report_by_day``); the months: those of the period due by the as-of date;
  institutions designated for all of them (确定 by the first, not withdrawn by the last day);
  numerator: a report for each of those months made by its due day.
- ``disease_event_timely_rate``: events found in the period up to the as-of date; numerator:
  reported within ``report_within_days`` (spec: 1) days of being found, by the as-of date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import (
    DiseaseEventFactory,
    SentinelInstitutionFactory,
    SentinelReportFactory,
)

from .conftest import SUB_A, SUB_B

MONTHLY = "sentinel_monthly_reporting_rate"
TIMELY = "disease_event_timely_rate"


def reports(institution, months, year: int = 2021) -> None:
    for m in months:
        SentinelReportFactory(
            institution=institution,
            month=date(year, m, 1),
            reported_on=date(year + (m == 12), m % 12 + 1, 5),
        )


def _institutions() -> None:
    full = SentinelInstitutionFactory(org_unit_id=SUB_A)  # all 12 months
    reports(full, range(1, 13))
    gap = SentinelInstitutionFactory(org_unit_id=SUB_B)  # missed July
    reports(gap, [m for m in range(1, 13) if m != 7])
    late = SentinelInstitutionFactory(org_unit_id=SUB_B, designated_on=date(2021, 3, 1))
    reports(late, range(3, 13))  # designated in March: not due for Jan and Feb
    gone = SentinelInstitutionFactory(org_unit_id=SUB_A, withdrawn_on=date(2021, 10, 1))
    reports(gone, range(1, 10))  # withdrawn in October


def test_monthly_reporting_over_the_year(indicator):
    _institutions()
    r = indicator(MONTHLY)
    # 2021 as of 31 Dec: January–November are due (December's report is due 10 Jan 2022).
    # Designated for all of them: full, gap (late from March, gone withdrawn 1 Oct are not)
    # → 2; every month reported by the 10th (all on the 5th): full; gap missed July → 1 of 2.
    assert (r.numerator, r.denominator) == (1, 2)
    assert r.value == Decimal("50.00")
    assert r.status is Status.NOT_MET
    assert r.gap.text_zh == "还有 1 家监测医疗机构未按月报送食源性疾病病例"


def test_monthly_reporting_by_quarter_and_as_of(indicator):
    _institutions()
    # 2021Q2 as of 30 Jun: April and May are due (June's on 10 Jul); all four designated by
    # 1 Apr, none withdrawn by 31 May; all reported → 4 of 4.
    r = indicator(MONTHLY, period="2021Q2")
    assert (r.numerator, r.denominator) == (4, 4)
    # 2021Q3 as of 30 Sep: July and August are due; full, gap, late, gone (withdrawn 1 Oct)
    # → 4; gap missed July → 3 of 4.
    r = indicator(MONTHLY, period="2021Q3")
    assert (r.numerator, r.denominator) == (3, 4)
    # As of 20 Feb 2021 (year 2021): only January is due (10 Feb); designated by 1 Jan: full,
    # gap, gone → 3; January's reports were made on 5 Feb → 3 of 3.
    r = indicator(MONTHLY, as_of=date(2021, 2, 20))
    assert (r.numerator, r.denominator) == (3, 3)
    # As of 9 Feb 2021 nothing is due yet: no data, not 0 % nor 100 %.
    r = indicator(MONTHLY, as_of=date(2021, 2, 9))
    assert r.status is Status.NO_DATA


def test_a_report_after_its_due_day_is_late(indicator):
    slow = SentinelInstitutionFactory(org_unit_id=SUB_A)
    SentinelReportFactory(institution=slow, month=date(2021, 1, 1), reported_on=date(2021, 2, 11))
    SentinelReportFactory(institution=slow, month=date(2021, 2, 1), reported_on=date(2021, 3, 10))
    # 2021Q1 as of 31 Mar: January (due 10 Feb) and February (due 10 Mar) → January's report
    # came on 11 Feb, a day late → 0 of 1. February alone (202102): on its due day → 1 of 1.
    r = indicator(MONTHLY, period="2021Q1")
    assert (r.numerator, r.denominator) == (0, 1)
    r = indicator(MONTHLY, period="202102", as_of=date(2021, 3, 31))
    assert (r.numerator, r.denominator) == (1, 1)


def test_events_reported_in_time(indicator):
    DiseaseEventFactory(
        org_unit_id=SUB_A, found_on=date(2021, 8, 17), reported_on=date(2021, 8, 17)
    )
    DiseaseEventFactory(
        org_unit_id=SUB_A, found_on=date(2021, 8, 17), reported_on=date(2021, 8, 18)
    )
    DiseaseEventFactory(
        org_unit_id=SUB_B, found_on=date(2021, 8, 17), reported_on=date(2021, 8, 19)
    )
    DiseaseEventFactory(org_unit_id=SUB_B, found_on=date(2021, 12, 30), reported_on=None)
    DiseaseEventFactory(
        org_unit_id=SUB_B, found_on=date(2020, 12, 31), reported_on=date(2021, 1, 1)
    )
    r = indicator(TIMELY)
    # Found in 2021: four. Within 1 day: the same day and the next day → 2 of 4 (two days
    # late, and not reported at all, fail).
    assert (r.numerator, r.denominator) == (2, 4)
    assert r.status is Status.NOT_MET
    assert r.gap.text_zh == "还有 2 起食源性疾病事件未及时报告"
    # 2020: the 31 Dec event reported 1 Jan 2021 — in time, but as of 31 Dec 2020 not yet
    # reported → 0 of 1.
    r = indicator(TIMELY, period="2020")
    assert (r.numerator, r.denominator) == (0, 1)


def test_no_institution_is_no_data(indicator):
    assert indicator(MONTHLY).status is Status.NO_DATA
    assert indicator(TIMELY).status is Status.NO_DATA
