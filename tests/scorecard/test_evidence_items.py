"""Items without indicators (targets with no number) are met only when every evidence entry
the spec lists for them has an APPROVED file, from any responsible unit of the item.

Evidence rows are made by hand (the upload path has its own tests in tests/evidence).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foodsafe.programme.models import ItemAssignment
from foodsafe.programme.services import programme_sync
from foodsafe.scorecard.engine import evaluate_scorecard, evaluate_scorecards
from foodsafe.scorecard.results import Status
from tests.evidence.fixtures import make_evidence
from tests.scorecard.conftest import DISTRICT, SUB_A, SUB_B, full_spec, narrowed_spec

ITEM_3 = full_spec().item(3)  # 风险监测: 区卫生健康委 alone, three evidence entries
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


def item_status(number: int, spec=None, org_unit: str = DISTRICT) -> Status:
    card = evaluate_scorecard(spec=spec or narrowed_spec(), org_unit=org_unit, period="2021")
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
    other = full_spec().model_copy(
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


def test_approvals_are_programme_wide(loaded, office_admin):
    for requirement in ITEM_3.evidence:
        approve(3, "health", requirement, office_admin)
    assert item_status(3, org_unit=SUB_A) is Status.MET  # not per org unit


def test_items_with_indicators_keep_their_indicator_status(loaded, office_admin):
    # Item 13 (食品抽检) has the sampling indicators: evidence does not make it met.
    for requirement in full_spec().item(13).evidence:
        approve(13, "market-regulation", requirement, office_admin)
    spec = narrowed_spec("sampling_per_thousand")
    assert item_status(13, spec=spec) is Status.NO_DATA  # no population, no batches


def test_approvals_read_once_per_evaluation(loaded, office_admin):
    for requirement in ITEM_3.evidence:
        approve(3, "health", requirement, office_admin)
    with CaptureQueriesContext(connection) as ctx:
        cards = evaluate_scorecards(
            spec=narrowed_spec(), org_units=[DISTRICT, SUB_A, SUB_B], period="2021"
        )
    evidence_queries = [q for q in ctx.captured_queries if "evidence_evidence" in q["sql"]]
    assert len(evidence_queries) == 1
    assert [next(i for i in c.items if i.number == 3).status for c in cards] == [Status.MET] * 3
