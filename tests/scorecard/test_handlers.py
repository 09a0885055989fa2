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
from tests.factories import FoodBusinessFactory, FoodHandlerFactory, SystemCertificateFactory

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
    # Certified (HACCP to 2022) 规模以上 producer in A.
    SystemCertificateFactory(business__org_unit_id=SUB_A)
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
