"""An item is met only when its indicators are met AND every evidence entry the spec lists
for it has an APPROVED file, from any responsible unit of the item, that belongs to the
evaluated subtree and lies inside the evaluated period (issue 10 §1). A file with no period is
for the programme's year (2021); with no org unit, for the programme's district.

Evidence rows are made by hand (the upload path has its own tests in tests/evidence).
"""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.programme.models import ItemAssignment
from foodsafe.programme.services import programme_sync
from foodsafe.scorecard.engine import evaluate_scorecard, evaluate_scorecards
from foodsafe.scorecard.results import Status
from tests.evidence.fixtures import make_evidence
from tests.scorecard.conftest import DISTRICT, SUB_A, SUB_B, full_spec, narrowed_spec

# 风险监测: 区卫生健康委 alone, three evidence entries. Item 3 has indicators since issue 19
# (sentinel reporting); these tests evaluate a spec narrowed to no indicator, so its status is
# its evidence alone.
ITEM_3 = full_spec().item(3)
ITEM_8 = full_spec().item(8)  # 集中整治: 区市场监管局, 区教育局, 公安和平分局; two entries


@pytest.fixture
def loaded(district, office_admin):
    programme_sync(spec=full_spec())


def unit_of(item: int, unit: str) -> ItemAssignment:
    return ItemAssignment.objects.get(
        item__programme__code="heping-2021", item__number=item, responsible_unit__code=unit
    )


def approve(item: int, unit: str, requirement: str, user, status: str = "approved"):
    return make_evidence(
        assignment=unit_of(item, unit), requirement=requirement, uploaded_by=user, status=status
    )


def item_status(number: int, spec=None, org_unit: str = DISTRICT, period: str = "2021") -> Status:
    card = evaluate_scorecard(spec=spec or narrowed_spec(), org_unit=org_unit, period=period)
    return next(i for i in card.items if i.number == number).status


def test_without_evidence_items_need_evidence(loaded):
    card = evaluate_scorecard(spec=narrowed_spec(), org_unit=DISTRICT, period="2021")
    assert {i.status for i in card.items} == {Status.EVIDENCE_NEEDED}


def test_met_when_every_requirement_has_approved_evidence(loaded, office_admin):
    *first, last = ITEM_3.evidence
    for requirement in first:
        approve(3, "health", requirement, office_admin)
    assert item_status(3) is Status.EVIDENCE_NEEDED  # 2 of 3 entries
    approve(3, "health", last, office_admin)
    assert item_status(3) is Status.MET
    assert item_status(8) is Status.EVIDENCE_NEEDED  # other items unchanged


def test_submitted_or_rejected_evidence_does_not_count(loaded, office_admin):
    *first, last = ITEM_3.evidence
    for requirement in first:
        approve(3, "health", requirement, office_admin)
    approve(3, "health", last, office_admin, status="submitted")
    approve(3, "health", last, office_admin, status="rejected")
    assert item_status(3) is Status.EVIDENCE_NEEDED


def test_any_responsible_unit_of_the_item_counts(loaded, office_admin):
    one, two = ITEM_8.evidence
    approve(8, "market-regulation", one, office_admin)
    approve(8, "education", two, office_admin)
    assert item_status(8) is Status.MET


def test_requirement_text_must_match(loaded, office_admin):
    one, two = ITEM_8.evidence
    approve(8, "market-regulation", one, office_admin)
    approve(8, "market-regulation", two + "（补充）", office_admin)
    approve(8, "market-regulation", "", office_admin)  # other material
    assert item_status(8) is Status.EVIDENCE_NEEDED


def test_evidence_of_another_programme_does_not_count(loaded, office_admin):
    # Narrowed to no indicator, like the other tests here: only the evidence decides.
    other = narrowed_spec().model_copy(
        update={"programme": full_spec().programme.model_copy(update={"code": "other-2022"})}
    )
    programme_sync(spec=other)
    for requirement in ITEM_3.evidence:
        make_evidence(
            assignment=ItemAssignment.objects.get(
                item__programme__code="other-2022", item__number=3, responsible_unit__code="health"
            ),
            requirement=requirement,
            uploaded_by=office_admin,
            status="approved",
        )
    assert item_status(3) is Status.EVIDENCE_NEEDED
    assert item_status(3, spec=other) is Status.MET


def test_district_2021_evidence_counts_for_neither_2019_nor_a_subdistrict_quarter(
    loaded, office_admin
):
    # The defect of issue 10 §1: three approved files of the district, no period given (so the
    # programme's year 2021). They count for the district in 2021 — 2021 contains 2021 — but
    # not for 2019 (2021 is not inside 2019) nor for 第一街道 in 2021Q1 (the district's file is
    # not in the subdistrict's subtree, and a whole year is not inside a quarter).
    for requirement in ITEM_3.evidence:
        approve(3, "health", requirement, office_admin)
    assert item_status(3) is Status.MET
    card_2019 = evaluate_scorecard(spec=narrowed_spec(), org_unit=DISTRICT, period="2019")
    item_2019 = next(i for i in card_2019.items if i.number == 3)
    assert item_2019.status is Status.EVIDENCE_NEEDED
    assert item_2019.missing_evidence == tuple(ITEM_3.evidence)  # all three missing
    card_q1 = evaluate_scorecard(spec=narrowed_spec(), org_unit=SUB_A, period="2021Q1")
    assert next(i for i in card_q1.items if i.number == 3).status is Status.EVIDENCE_NEEDED


def test_subdistrict_evidence_counts_for_its_period_and_rolls_up(loaded, office_admin):
    # The same three files owned by 第一街道 for 2021Q1. They count for 第一街道 in 2021Q1 and
    # in 2021 (Q1 is inside the year), for the district in 2021 (第一街道 is in its subtree,
    # as its ledger rows would be), but not for 第二街道, nor for 第一街道 in 2021Q2.
    for requirement in ITEM_3.evidence:
        make_evidence(
            assignment=unit_of(3, "health"),
            requirement=requirement,
            uploaded_by=office_admin,
            status="approved",
            org_unit_id=SUB_A,
            period="2021Q1",
        )
    assert item_status(3, org_unit=SUB_A, period="2021Q1") is Status.MET
    assert item_status(3, org_unit=SUB_A) is Status.MET
    assert item_status(3) is Status.MET
    assert item_status(3, org_unit=SUB_B) is Status.EVIDENCE_NEEDED
    assert item_status(3, org_unit=SUB_A, period="2021Q2") is Status.EVIDENCE_NEEDED


def test_item_5_needs_its_evidence_as_well_as_its_indicators(loaded, office_admin):
    # Item 5 (过程监管) is measured by term-start inspection coverage and biennial inspection
    # coverage, but the seed's item text also asks for 风险分级动态管理, 校长负责制 and 陪餐制,
    # and the wildlife / 禁捕 / 反食品浪费 rules: the spec lists them as evidence requirements.
    # With no indicator evaluated (an empty spec) and three of four approved, the item says
    # which one is missing; with the fourth approved it is met.
    item_5 = full_spec().item(5)
    assert any("风险分级" in e for e in item_5.evidence)
    assert any("陪餐" in e for e in item_5.evidence)
    assert any("禁捕" in e and "反食品浪费" in e for e in item_5.evidence)
    *first, last = item_5.evidence
    for requirement in first:
        approve(5, "education", requirement, office_admin)
    card = evaluate_scorecard(spec=narrowed_spec(), org_unit=DISTRICT, period="2021")
    item = next(i for i in card.items if i.number == 5)
    assert item.status is Status.EVIDENCE_NEEDED
    assert item.missing_evidence == (last,)
    assert item.missing_evidence_zh == f"证据缺：{last}"
    approve(5, "market-regulation", last, office_admin)
    assert item_status(5) is Status.MET


def test_approvals_read_once_per_evaluation(loaded, office_admin, monkeypatch):
    from foodsafe.scorecard import engine

    for requirement in ITEM_3.evidence:
        approve(3, "health", requirement, office_admin)
    calls = []
    real = engine.scorecard_inputs
    monkeypatch.setattr(engine, "scorecard_inputs", lambda **kw: calls.append(kw) or real(**kw))
    cards = evaluate_scorecards(
        spec=narrowed_spec(), org_units=[DISTRICT, SUB_A, SUB_B], period="2021"
    )
    assert len(calls) == 1  # read once for the three units
    # The district's file counts for the district only (subdistricts are not in its subtree).
    assert [next(i for i in c.items if i.number == 3).status for c in cards] == [
        Status.MET,
        Status.EVIDENCE_NEEDED,
        Status.EVIDENCE_NEEDED,
    ]


def test_item_5_with_both_indicators_met_still_needs_its_evidence(loaded, office_admin):
    # The case: item 5 read 达标 from its two indicators with nothing on risk grading,
    # 校长负责制, 陪餐制 or the 禁捕/野生动物/反食品浪费 rules. One school canteen (the only
    # operating business) in A街道, checked at term start on 2021-02-01 (spring window
    # 02-01…03-31) and 2021-09-01 (autumn 08-15…09-30), both full-checklist inspections:
    # term-start coverage 2 of 2 terms = 100 %, biennial coverage 1 of 1 business = 100 %:
    # both 达标. None of the four evidence entries approved: 待核验材料 naming all four; once
    # the four are approved: 达标.
    from tests.factories import InspectionFactory, SchoolCanteenFactory

    canteen = SchoolCanteenFactory(business__org_unit__code=SUB_A)
    for day in (date(2021, 2, 1), date(2021, 9, 1)):
        InspectionFactory(business=canteen.business, inspected_on=day, inspection_type="term_start")
    spec = narrowed_spec("term_start_inspection_coverage", "biennial_inspection_coverage")
    card = evaluate_scorecard(spec=spec, org_unit=DISTRICT, period="2021")
    term = card.indicator("term_start_inspection_coverage")
    biennial = card.indicator("biennial_inspection_coverage")
    assert (term.numerator, term.denominator, term.status) == (2, 2, Status.MET)
    assert (biennial.numerator, biennial.denominator, biennial.status) == (1, 1, Status.MET)
    item_5 = full_spec().item(5)
    item = next(i for i in card.items if i.number == 5)
    assert item.status is Status.EVIDENCE_NEEDED
    assert item.missing_evidence == tuple(item_5.evidence)
    assert item.missing_zh == "证据缺：" + "；".join(item_5.evidence)
    for requirement in item_5.evidence:
        approve(5, "market-regulation", requirement, office_admin)
    assert item_status(5, spec=spec) is Status.MET
