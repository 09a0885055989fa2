"""No verdict without data *for the period* (issues F7, F8, F9), hand-worked.

The ledgers below hold 2021 only. Before these fixes a period with no row of its own still got a
verdict from rows that exist whatever the period:

- F8, 2015: the credit files (gathered in 2022, every business gets one) read 100 % 达标, and a
  roster of handlers who started in 2015 read 达标 on certificates issued in 2021;
- F9, 2026: indicators counting 2026 events over the 2021 registry read 0/N 未达标, though no
  ledger row of 2026 was reported;
- F7, a quarter: veto 5 was judged on the quarter's evaluation batches and vetoed the district.

Each metric's ``Fraction.reported`` names the rows that speak for a period (counted in the
scope's county); none and no zero report (零报告) → 无数据, note 未上报. A zero report for the
period turns an empty ledger into a real zero again (issue 10 §2).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from foodsafe.completeness.models import ZeroReport
from foodsafe.credit.models import CreditEntry, CreditFile
from foodsafe.scorecard.results import Status, VetoStatus
from tests.factories import (
    FoodBusinessFactory,
    FoodHandlerFactory,
    InspectionFactory,
    SamplingBatchFactory,
    StaffMemberFactory,
    TrainingRecordFactory,
)

from .conftest import DISTRICT, SUB_A

HEALTH = "food_handler_health_certificate_rate"
CREDIT = "credit_file_coverage"
SMALLS = "small_operator_inspection_coverage"
BIENNIAL = "biennial_inspection_coverage"
PROFESSIONAL = "professional_staff_share"
TRAINED = "training_coverage"


def _file(business, refreshed_on: date) -> CreditFile:
    return CreditFile.objects.create(
        business=business,
        key=business.registry_number,
        key_kind="registry",
        org_unit_id=business.org_unit_id,
        changed_at=datetime(2022, 1, 3, tzinfo=UTC),
        refreshed_on=refreshed_on,
    )


def _entry(business, kind: str, on: date, source_id: int) -> CreditEntry:
    return CreditEntry.objects.create(
        business=business, kind=kind, outcome="x", source_id=source_id, occurred_on=on
    )


@pytest.mark.django_db
def test_credit_files_gathered_later_say_nothing_of_2015(indicator):
    # Two businesses opened in 2010 and 2015; their files were gathered on 2022-01-03, which
    # the rule counts as holding the records of any period before (refreshed after its end).
    old = FoodBusinessFactory(org_unit_id=SUB_A, opened_on=date(2010, 3, 1))
    new = FoodBusinessFactory(org_unit_id=SUB_A, opened_on=date(2015, 5, 1))
    _file(old, date(2022, 1, 3))
    _file(new, date(2022, 1, 3))
    # Entries: licences dated by the opening (registry rows: 2010, 2015) and one 2021
    # inspection result.
    _entry(old, "licence", date(2010, 3, 1), 1)
    _entry(new, "licence", date(2015, 5, 1), 2)
    _entry(old, "inspection", date(2021, 6, 1), 3)
    # 2021: a supervision record of 2021 is in the files → computed: both operating, both
    # refreshed after the year's end → 2/2 达标, as before.
    r = indicator(CREDIT, period="2021")
    assert (r.numerator, r.denominator, r.status) == (2, 2, Status.MET)
    # 2015: the only 2015 entry is new's licence (a registry row, not a supervision record of
    # the period): the files hold nothing of 2015 → 无数据 (was 2/2 = 100 % 达标).
    r = indicator(CREDIT, period="2015")
    assert (r.numerator, r.denominator, r.status, r.note) == (None, None, Status.NO_DATA, "未上报")
    # 2026: nothing either (was 2/2 达标: refreshed 2022-01-03 is not within a day of the
    # period's end, so the numerator would be 0 → 0/2; no data is what it is).
    assert indicator(CREDIT, period="2026").status is Status.NO_DATA


@pytest.mark.django_db
def test_health_certificates_speak_for_their_own_year(indicator):
    # One handler on the roster since 2015-01-01 whose current certificate runs to 2022-06-30:
    # issued about 2021-06-29 (有效期至 less 366 days).
    shop = FoodBusinessFactory(org_unit_id=SUB_A, opened_on=date(2014, 1, 1))
    FoodHandlerFactory(business=shop, started_on=date(2015, 1, 1), valid_until=date(2022, 6, 30))
    # 2021 (day 2021-12-31): the certificate runs that day → 1/1 达标, as before.
    r = indicator(HEALTH, period="2021")
    assert (r.numerator, r.denominator, r.status) == (1, 1, Status.MET)
    # 2015: no certificate of the roster runs on a day of 2015 (it runs 2021-06-29 to
    # 2022-06-30) → 无数据 (was 1/1 达标: 2022-06-30 ≥ 2015-12-31).
    r = indicator(HEALTH, period="2015")
    assert (r.numerator, r.denominator, r.status, r.note) == (None, None, Status.NO_DATA, "未上报")
    # 2026: it expired in 2022 and nothing newer was reported → 无数据 (was 0/1 未达标).
    assert indicator(HEALTH, period="2026").status is Status.NO_DATA
    # 2021Q1 (day 2021-03-31): the certificate runs in the quarter? No: it starts 2021-06-29,
    # after the quarter → no row speaks for 2021Q1 → 无数据.
    assert indicator(HEALTH, period="2021Q1").status is Status.NO_DATA
    # Add a handler whose certificate ran to 2021-05-31 (issued about 2020-05-30): it speaks
    # for 2021Q1, valid on 2021-03-31 → known valid. The first one's certificate that day is
    # not in the ledger → pending (待核): best 2/2 = 100 %, worst 1/2 = 50 % → 不完整, never
    # 达标 on a certificate issued three months later.
    FoodHandlerFactory(business=shop, started_on=date(2015, 1, 1), valid_until=date(2021, 5, 31))
    r = indicator(HEALTH, period="2021Q1")
    assert (r.numerator, r.denominator, r.pending) == (1, 1, 1)
    assert r.status is Status.INCOMPLETE


@pytest.mark.django_db
def test_2026_without_inspections_is_no_data_not_zero(indicator):
    # The registry: two three-smalls operating since 2018; inspections in 2021 only.
    a = FoodBusinessFactory(
        org_unit_id=SUB_A, business_format="small_eatery", opened_on=date(2018, 1, 1)
    )
    FoodBusinessFactory(
        org_unit_id=SUB_A, business_format="small_eatery", opened_on=date(2018, 1, 1)
    )
    InspectionFactory(business=a, inspected_on=date(2021, 6, 1))
    # 2021: a inspected, b not → 1/2 未达标 (a real gap: the ledger has 2021 rows).
    r = indicator(SMALLS, period="2021")
    assert (r.numerator, r.denominator, r.status) == (1, 2, Status.NOT_MET)
    # 2026: no inspection dated in 2026 in the county → 无数据 (was 0/2 未达标).
    r = indicator(SMALLS, period="2026")
    assert (r.numerator, r.denominator, r.status, r.note) == (None, None, Status.NO_DATA, "未上报")
    # Two years' coverage for 2023 looks back to 2022-01-01: no inspection in 2022–2023 →
    # 无数据. For 2022 the window 2021-01-01…2022-12-31 holds a's 2021 inspection, but no
    # inspection is dated in 2022 itself: the ledger stops before the period, so 无数据 too
    # (h-newuser3 N3, ``Fraction.reached``; was 1/2 未达标 from the 2021 rows alone).
    assert indicator(BIENNIAL, period="2023").status is Status.NO_DATA
    r = indicator(BIENNIAL, period="2022")
    assert (r.numerator, r.denominator, r.status, r.note) == (None, None, Status.NO_DATA, "未上报")
    # A zero report of inspections for 2026 (the bureau says it had none to enter): the
    # empty ledger is a real zero → 0/2 未达标.
    ZeroReport.objects.create(ledger="inspections", org_unit_id=DISTRICT, period="2026")
    r = indicator(SMALLS, period="2026")
    assert (r.numerator, r.denominator, r.status) == (0, 2, Status.NOT_MET)


@pytest.mark.django_db
def test_a_roster_without_trainings_of_the_period_is_no_data(indicator):
    # Two inspectors in post since 2010, both professional; one trained in 2021.
    s = StaffMemberFactory(org_unit_id=DISTRICT, joined_on=date(2010, 1, 1))
    StaffMemberFactory(org_unit_id=DISTRICT, joined_on=date(2010, 1, 1))
    TrainingRecordFactory(staff=s, trained_on=date(2021, 5, 1))
    # 2021: 2/2 professional 达标; 1/2 trained 未达标.
    r = indicator(PROFESSIONAL, period="2021")
    assert (r.numerator, r.denominator, r.status) == (2, 2, Status.MET)
    assert (indicator(TRAINED).numerator, indicator(TRAINED).denominator) == (1, 2)
    # 2026 (and 2015): no training record of the period: the 2021 roster says nothing of who
    # was in post → 无数据 (was 2/2 达标 and 0/2 未达标).
    for period in ("2015", "2026"):
        assert indicator(PROFESSIONAL, period=period).status is Status.NO_DATA
        assert indicator(TRAINED, period=period).status is Status.NO_DATA


@pytest.mark.django_db
def test_a_quarter_is_never_vetoed(scorecard):
    # Evaluation sampling of 2021: 2021Q1 has 1 合格 of 2 (50 %); 2021Q2 48 合格 → the year
    # 49 of 50 = 98 % (≥ 98 %: 未触发).
    SamplingBatchFactory(org_unit_id=SUB_A, sampling_type="evaluation", sampled_on=date(2021, 2, 1))
    SamplingBatchFactory(
        org_unit_id=SUB_A,
        sampling_type="evaluation",
        sampled_on=date(2021, 2, 2),
        conclusion="nonconforming",
    )
    for k in range(48):
        SamplingBatchFactory(
            org_unit_id=SUB_A, sampling_type="evaluation", sampled_on=date(2021, 5, 1 + k % 28)
        )
    year = scorecard(period="2021")
    veto5 = {v.number: v for v in year.vetoes}[5]
    assert year.indicator("evaluation_pass_rate").value == 98
    assert veto5.status is VetoStatus.CLEAR
    # 2021Q1: its own rate is 50 % (was: veto 5 触发否决, the district 否决 on a quarter). Every
    # veto is 按年度判定 and names the year; the overall result is not "vetoed".
    q1 = scorecard(period="2021Q1")
    assert q1.indicator("evaluation_pass_rate").value == 50
    assert {v.status for v in q1.vetoes} == {VetoStatus.ANNUAL}
    assert all("见2021年评价" in v.basis for v in q1.vetoes)
    assert q1.overall != "vetoed" and not q1.vetoed
    # A month and a half-year too.
    for period in ("202102", "2021S1"):
        card = scorecard(period=period)
        assert not card.vetoed and {v.status for v in card.vetoes} == {VetoStatus.ANNUAL}
    # The year keeps its own judgement: make it fail (two more 不合格 → 49/52 = 94.23 %) and it
    # is vetoed, as before.
    for day in (3, 4):
        SamplingBatchFactory(
            org_unit_id=SUB_A,
            sampling_type="evaluation",
            sampled_on=date(2021, 2, day),
            conclusion="nonconforming",
        )
    year = scorecard(period="2021")
    assert {v.number: v for v in year.vetoes}[5].status is VetoStatus.VETOED
    assert year.overall == "vetoed"
