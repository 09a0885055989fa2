"""Self-inspection report rate (第18条, 100%) of chain HQs, large wholesalers and wholesale
markets: those operating on the period's last day with a report dated in the period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import FoodBusinessFactory, SelfInspectionReportFactory

from .conftest import SUB_A, SUB_B

CODE = "self_inspection_report_rate"


def business(fmt: str, unit: str = SUB_A, **kw):
    return FoodBusinessFactory(business_format=fmt, sector="sales", org_unit__code=unit, **kw)


def report(b, on: date):
    return SelfInspectionReportFactory(business=b, submitted_on=on)


def _businesses():
    hq = business("chain_hq")
    report(hq, date(2021, 1, 1))  # first day of the period
    wholesaler = business("large_wholesaler", unit=SUB_B)
    report(wholesaler, date(2021, 12, 31))  # last day
    market = business("wholesale_market", unit=SUB_B)
    report(market, date(2020, 12, 31))  # the day before: no
    report(market, date(2022, 1, 1))  # the day after: no
    supermarket = business("supermarket")  # not required to report
    report(supermarket, date(2021, 6, 1))
    closed = business("chain_hq", status="closed", closed_on=date(2021, 10, 1))  # not operating
    report(closed, date(2021, 3, 1))
    return market


def test_report_rate_not_met(indicator):
    _businesses()
    r = indicator(CODE)
    # Required and operating on 31 Dec: hq, wholesaler, market = 3; reported in 2021: hq,
    # wholesaler = 2.
    assert (r.numerator, r.denominator) == (2, 3)
    assert r.value == Decimal("66.67")  # 2 / 3 × 100
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 1
    assert r.gap.text_zh == "还有 1 家企业未提交自查报告"
    b = indicator(CODE, org_unit=SUB_B)
    assert (b.numerator, b.denominator) == (1, 2)  # wholesaler of wholesaler, market
    a = indicator(CODE, org_unit=SUB_A)
    assert (a.numerator, a.denominator) == (1, 1)


def test_report_rate_met(indicator):
    market = _businesses()
    report(market, date(2021, 7, 1))
    r = indicator(CODE)
    assert (r.numerator, r.denominator) == (3, 3)
    assert r.value == Decimal("100")
    assert r.status is Status.MET


def test_no_required_business_is_no_data(indicator):
    report(business("supermarket"), date(2021, 6, 1))
    r = indicator(CODE)
    assert r.denominator == 0
    assert r.value is None
    assert r.status is Status.NO_DATA


def test_ledger_never_loaded_is_no_data_not_zero(indicator):
    # Issue 10 §2: five operators must report (2 chain HQs, 2 large wholesalers, 1 market) and
    # the self-inspection ledger was never loaded (no report in the district, of any date).
    # Before: 0 / 5 = 0 % 未达标. Nobody reported anything, so there is no verdict: 无数据.
    for fmt in ("chain_hq", "chain_hq", "large_wholesaler", "large_wholesaler"):
        business(fmt)
    business("wholesale_market", unit=SUB_B)
    r = indicator(CODE)
    assert r.status is Status.NO_DATA
    assert r.value is None


def test_zero_report_makes_an_unreported_year_a_real_zero(indicator):
    # The same five operators with a zero report (零报告) for the ledger in 2021: the district
    # declares that no report was received, so 0 / 5 = 0 % is a fact and 未达标.
    from foodsafe.completeness.models import ZeroReport

    for fmt in ("chain_hq", "chain_hq", "large_wholesaler", "large_wholesaler"):
        business(fmt)
    business("wholesale_market", unit=SUB_B)
    ZeroReport.objects.create(ledger="self_inspections", org_unit_id="120101000000", period="2021")
    r = indicator(CODE)
    assert (r.numerator, r.denominator) == (0, 5)
    assert r.status is Status.NOT_MET


def test_a_subdistricts_zero_report_does_not_speak_for_the_district(indicator):
    # The self-inspection ledger is kept by 区市场监管局 for the whole district (level county).
    # B街道 records a zero report for it in 2021; nobody reports for the district. For B街道
    # itself the ledger is reported: its wholesale market without a report is 0 / 1 未达标.
    # For the district the report of one subdistrict is not the district's: 无数据 (未上报),
    # not 0 / 5 — A街道's four operators are not covered by B's report.
    from foodsafe.completeness.models import ZeroReport

    for fmt in ("chain_hq", "chain_hq", "large_wholesaler", "large_wholesaler"):
        business(fmt)
    business("wholesale_market", unit=SUB_B)
    ZeroReport.objects.create(ledger="self_inspections", org_unit_id=SUB_B, period="2021")
    sub_b = indicator(CODE, org_unit=SUB_B)
    assert (sub_b.numerator, sub_b.denominator, sub_b.status) == (0, 1, Status.NOT_MET)
    district = indicator(CODE)
    assert (district.status, district.note) == (Status.NO_DATA, "未上报")
