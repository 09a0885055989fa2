"""Process control (实施方案 第18条): food handlers with a valid health certificate, and 规模以上
producers and infant-formula makers with a GMP/HACCP certificate, each 100 % [I].

Rules (metrics/operators.py): the day is the period's last day (or the as-of date if earlier).
- ``food_handler_health_certificate_rate``: handlers in contact with ready-to-eat food, on the
  roster that day (started by then or unknown, not left), of businesses operating that day;
  numerator: a certificate number valid that day (有效期至 ≥ day).
- ``management_system_certification_rate``: producers (类别 食品生产) marked 规模以上 or
  婴幼儿配方乳粉, operating that day; numerator: a GMP or HACCP certificate valid that day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import (
    FoodBusinessFactory,
    FoodHandlerFactory,
    InspectionFactory,
    SystemCertificateFactory,
)

from .conftest import SUB_A, SUB_B

HEALTH = "food_handler_health_certificate_rate"
GMP = "management_system_certification_rate"


def _rosters() -> None:
    a = FoodBusinessFactory(org_unit_id=SUB_A)
    FoodHandlerFactory(business=a, valid_until=date(2021, 12, 31))  # valid on the last day
    FoodHandlerFactory(business=a, valid_until=date(2021, 12, 30))  # expired the day before
    FoodHandlerFactory(business=a, certificate_number="", valid_until=None)  # none
    FoodHandlerFactory(business=a, direct_contact=False, certificate_number="")  # cashier
    FoodHandlerFactory(business=a, left_on=date(2021, 12, 31))  # left on the day: off roster
    FoodHandlerFactory(business=a, started_on=date(2022, 1, 3))  # starts next year
    b = FoodBusinessFactory(org_unit_id=SUB_B)
    FoodHandlerFactory(business=b, valid_until=date(2021, 6, 30))  # expired mid-year
    FoodHandlerFactory(business=b, started_on=date(2021, 3, 1))  # valid to 2022-06-30
    closed = FoodBusinessFactory(org_unit_id=SUB_B, status="closed", closed_on=date(2021, 9, 1))
    FoodHandlerFactory(business=closed, certificate_number="")  # its business closed


def test_health_certificates_on_the_last_day(indicator):
    _rosters()
    r = indicator(HEALTH)
    # On the roster on 31 Dec 2021, in direct contact, business operating: A's first three
    # (the cashier has no direct contact, one left on 31 Dec, one starts in 2022) and B's two
    # → 5. Valid that day: A's first (to 31 Dec) and B's second (to 30 Jun 2022) → 2 of 5.
    assert (r.numerator, r.denominator) == (2, 5)
    assert r.value == Decimal("40.00")
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 3
    assert r.gap.text_zh == "还有 3 名接触直接入口食品的从业人员没有有效健康证明"
    # 2021S1 ends 30 Jun: A's first three + the one who left 31 Dec (valid to 2022-06-30) = 4;
    # B's two (the second started 1 Mar) = 2; the closed business's handler (closed 1 Sep,
    # operating on 30 Jun) = 1 → 7. Valid on 30 Jun: A's first two, A's leaver, B's two
    # (the first to 30 Jun inclusive) → 5 of 7.
    r = indicator(HEALTH, period="2021S1")
    assert (r.numerator, r.denominator) == (5, 7)
    # Subdistrict B on 31 Dec: its two handlers, one valid → 1 of 2.
    r = indicator(HEALTH, org_unit=SUB_B)
    assert (r.numerator, r.denominator) == (1, 2)


def test_no_roster_is_no_data(indicator):
    FoodBusinessFactory(org_unit_id=SUB_A)
    assert indicator(HEALTH).status is Status.NO_DATA


def test_gmp_haccp_certificates(indicator):
    # Certified (HACCP 2020-01-01 … 2022-12-31) 规模以上 producer in A, inspected 2021-03-01:
    # no certificate of the register is issued in 2021, so that inspection is what shows the
    # producers were seen in 2021 and 2021S1 (``Fraction.reached``, h-newuser3 N3).
    certified = SystemCertificateFactory(business__org_unit_id=SUB_A).business
    InspectionFactory(business=certified, inspected_on=date(2021, 3, 1))
    # An infant-formula maker whose GMP certificate ended 30 Nov 2021.
    formula = FoodBusinessFactory(
        org_unit_id=SUB_B, business_format="manufacturer", sector="production",
        infant_formula=True,
    )  # fmt: skip
    SystemCertificateFactory(business=formula, scheme="gmp", valid_until=date(2021, 11, 30))
    # A 规模以上 producer with only an ISO 22000 certificate: not GMP/HACCP.
    iso = FoodBusinessFactory(
        org_unit_id=SUB_B, business_format="manufacturer", sector="production",
        above_designated_size=True,
    )  # fmt: skip
    SystemCertificateFactory(business=iso, scheme="iso22000")
    # A small producer (neither flag) with HACCP: not in the denominator.
    small = FoodBusinessFactory(
        org_unit_id=SUB_A, business_format="manufacturer", sector="production"
    )
    SystemCertificateFactory(business=small)
    r = indicator(GMP)
    # Required on 31 Dec 2021: the certified producer, the formula maker, the ISO one → 3;
    # a GMP/HACCP certificate valid that day: the first only → 1 of 3.
    assert (r.numerator, r.denominator) == (1, 3)
    assert r.status is Status.NOT_MET
    assert (
        r.gap.text_zh
        == "还有 2 家规模以上食品生产企业或婴幼儿配方乳粉生产企业未取得有效的GMP或HACCP认证"
    )
    # On 30 Jun 2021 (2021S1) the formula maker's GMP was valid → 2 of 3.
    r = indicator(GMP, period="2021S1")
    assert (r.numerator, r.denominator) == (2, 3)


# -- registers that stop before the period (h-newuser3 N3) -------------------------------------


def test_a_roster_that_stops_before_the_period_is_no_data(indicator):
    """2022 with a 2021 roster: certificates running to 2022-06-30 were "in force in 2022", so
    2022 read 0/N 未达标 on 2022-12-31. No certificate is issued in 2022 or later (有效期至 −
    366 days ≥ 2022-01-01 would be 有效期至 ≥ 2023-01-02) and nobody starts or leaves in 2022
    → 无数据 (未上报). A handler starting 2022-03-01 with a certificate to 2023-02-28 (issued
    2022-02-27) lets the roster speak: on the roster on 2022-12-31: the two earlier ones and
    the new one = 3; valid that day: the new one → 1/3."""
    a = FoodBusinessFactory(org_unit_id=SUB_A)
    FoodHandlerFactory(business=a, valid_until=date(2022, 6, 30))
    FoodHandlerFactory(business=a, valid_until=date(2022, 1, 31))
    r = indicator(HEALTH, period="2022")
    assert (r.status, r.note) == (Status.NO_DATA, "未上报")
    FoodHandlerFactory(business=a, started_on=date(2022, 3, 1), valid_until=date(2023, 2, 28))
    r = indicator(HEALTH, period="2022")
    assert (r.numerator, r.denominator, r.status) == (1, 3, Status.NOT_MET)


def test_certificates_without_anything_of_the_period_are_no_data(indicator):
    """A HACCP certificate 2020-01-01 … 2022-12-31 of a 规模以上 producer, no certificate issued
    in 2022 or later and no inspection of the producer in 2022: 无数据 for 2022 (valid on
    2022-12-31, it would have read 1/1 达标 only by luck, and 0/1 when it ran out). With an
    inspection on 2022-05-10: 1/1 达标."""
    cert = SystemCertificateFactory(business__org_unit_id=SUB_A)
    InspectionFactory(business=cert.business, inspected_on=date(2021, 5, 10))
    r = indicator(GMP, period="2022")
    assert (r.status, r.note) == (Status.NO_DATA, "未上报")
    InspectionFactory(business=cert.business, inspected_on=date(2022, 5, 10))
    r = indicator(GMP, period="2022")
    assert (r.numerator, r.denominator, r.status) == (1, 1, Status.MET)
