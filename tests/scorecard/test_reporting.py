"""Who has reported (数据上报情况, issue 10 §2) and which part of an item is missing (§1).

Rules worked from the spec's ``reporting`` section (heping-2021.yaml): a county-level ledger
(e.g. 投诉举报台账, kept by 区市场监管局 for the whole district) is reported when the county has
any row of it, or a zero report (零报告) covers the scope and period; a township-level ledger
(食品安全事件台账) must be reported by every subdistrict, each by its rows or a zero report.
"""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.completeness.models import ZeroReport
from foodsafe.programme.models import ItemAssignment
from foodsafe.programme.services import programme_sync
from foodsafe.scorecard.engine import evaluate_scorecard
from foodsafe.scorecard.results import Status
from tests.evidence.fixtures import make_evidence
from tests.factories import (
    FoodBusinessFactory,
    IncidentFactory,
    InspectionFactory,
    SamplingBatchFactory,
)

from .conftest import DISTRICT, SUB_A, SUB_B, full_spec, narrowed_spec


def report(card, ledger):
    return next(r for r in card.reporting if r.ledger == ledger)


def test_reporting_per_ledger_and_unit(district, office_admin):
    # The district (two test subdistricts) has sampling rows and one incident in A街道; no
    # complaint row at all.
    SamplingBatchFactory(org_unit__code=SUB_A)
    IncidentFactory(org_unit__code=SUB_A, occurred_on=date(2021, 3, 1))
    card = evaluate_scorecard(spec=full_spec(), org_unit=DISTRICT, period="2021")

    sampling = report(card, "sampling")
    # County-level: one entry, named by the units that keep it (区市场监管局), reported by rows.
    assert [(u.name, u.how) for u in sampling.units] == [("区市场监管局", "rows")]
    assert sampling.summary_zh == "已上报（有台账数据）"
    # The indicators and the veto that read it are listed by name, in the spec's order: the
    # four sampling indicators, then the veto on the evaluation pass rate by its number.
    spec = full_spec()
    veto = next(v for v in spec.vetoes if v.code == "veto_evaluation_pass_rate")
    assert sampling.needed_by == (
        spec.indicator("surveillance_sampling_coverage").name,
        spec.indicator("sampling_per_thousand").name,
        spec.indicator("residue_sampling_per_thousand").name,
        spec.indicator("evaluation_pass_rate").name,
        spec.indicator("sampling_results_published_on_time").name,
        spec.indicator("nonconforming_disposed_on_time").name,
        f"否决项{veto.number}",
    )

    complaints = report(card, "complaints")
    assert [(u.name, u.how) for u in complaints.units] == [("区市场监管局", "missing")]
    assert complaints.summary_zh == "未上报"
    assert not complaints.complete

    incidents = report(card, "incidents")
    # Township-level: each subdistrict. A has its incident row; B has neither rows nor a
    # zero report: 1 of 2 reported.
    assert [(u.name, u.how) for u in incidents.units] == [
        ("A街道（测试）", "rows"),
        ("B街道（测试）", "missing"),
    ]
    assert incidents.summary_zh == "已上报 1/2；未上报：B街道（测试）"
    assert incidents.missing == ("B街道（测试）",)

    # B街道 records a zero report for 2021, the office one for the district's complaints.
    ZeroReport.objects.create(ledger="incidents", org_unit_id=SUB_B, period="2021")
    ZeroReport.objects.create(ledger="complaints", org_unit_id=DISTRICT, period="2021")
    card = evaluate_scorecard(spec=full_spec(), org_unit=DISTRICT, period="2021")
    assert report(card, "incidents").summary_zh == "已上报 2/2"
    assert report(card, "complaints").summary_zh == "已上报（零报告）"
    # A zero report for 2021 does not cover 2022: B街道 is again 未上报 there.
    card_2022 = evaluate_scorecard(spec=full_spec(), org_unit=DISTRICT, period="2022")
    assert report(card_2022, "incidents").missing == ("B街道（测试）",)
    # A subdistrict's own view lists itself for a township ledger, and the county's keepers
    # for a county ledger (the district keeps it for the whole area, so B has its rows).
    card_b = evaluate_scorecard(spec=full_spec(), org_unit=SUB_B, period="2021")
    assert [(u.name, u.how) for u in report(card_b, "incidents").units] == [
        ("B街道（测试）", "zero_report")
    ]
    assert report(card_b, "sampling").units[0].how == "rows"


def test_reporting_in_json(district):
    SamplingBatchFactory(org_unit__code=SUB_A)
    data = evaluate_scorecard(spec=full_spec(), org_unit=DISTRICT, period="2021").to_json()
    sampling = next(r for r in data["reporting"] if r["ledger"] == "sampling")
    assert (sampling["reported"], sampling["expected"], sampling["level"]) == (1, 1, "county")
    incidents = next(r for r in data["reporting"] if r["ledger"] == "incidents")
    assert (incidents["reported"], incidents["expected"]) == (0, 2)  # neither subdistrict


def test_findings_per_business_without_a_findings_ledger_is_no_data(district):
    # Issue 10 §2: 户均发现问题数 read 0 when the findings ledger was never loaded. Two
    # operating businesses, one inspection, no finding row anywhere and no zero report: the
    # ledger is not reported, so 无数据 (未上报), not 0 / 2 = 0.
    business = FoodBusinessFactory(org_unit__code=SUB_A)
    FoodBusinessFactory(org_unit__code=SUB_A)
    InspectionFactory(business=business, inspected_on=date(2021, 5, 1))
    spec = narrowed_spec("findings_per_business")
    r = evaluate_scorecard(spec=spec, org_unit=DISTRICT, period="2021").indicator(
        "findings_per_business"
    )
    assert (r.numerator, r.denominator, r.status, r.note) == (None, None, Status.NO_DATA, "未上报")
    # With the office's zero report for the findings ledger in 2021 the zero is real:
    # 0 findings / 2 operating businesses = 0, a monitoring value (仅监测).
    ZeroReport.objects.create(ledger="findings", org_unit_id=DISTRICT, period="2021")
    r = evaluate_scorecard(spec=spec, org_unit=DISTRICT, period="2021").indicator(
        "findings_per_business"
    )
    assert (r.numerator, r.denominator, r.value, r.status) == (0, 2, 0, Status.INFO)


# -- which part of an item is missing (§1) ------------------------------------------------


@pytest.fixture
def item_24(district, office_admin):
    """Item 24 (抽检合格率): one indicator (evaluation pass rate ≥ 98 %) and two evidence
    requirements, both owned by 区市场监管局."""
    programme_sync(spec=full_spec())
    assignment = ItemAssignment.objects.get(
        item__programme__code="heping-2021",
        item__number=24,
        responsible_unit__code="market-regulation",
    )

    def approve(requirement: str) -> None:
        make_evidence(
            assignment=assignment,
            requirement=requirement,
            uploaded_by=office_admin,
            status="approved",
        )

    return approve


def _item(number: int):
    card = evaluate_scorecard(
        spec=narrowed_spec("evaluation_pass_rate"), org_unit=DISTRICT, period="2021"
    )
    return next(i for i in card.items if i.number == number), card


def test_item_met_by_its_indicator_still_needs_its_evidence(item_24):
    # 50 evaluation batches, all 合格: 50 / 50 = 100 % ≥ 98 %, the indicator is 达标. The
    # item's two evidence requirements have no approved file: the item is 待核验材料 (before
    # issue 10 it read 达标), and the page names the evidence, not the indicator.
    SamplingBatchFactory.create_batch(50, org_unit__code=SUB_A, sampling_type="evaluation")
    one, two = full_spec().item(24).evidence
    item, card = _item(24)
    assert card.indicator("evaluation_pass_rate").status is Status.MET
    assert item.status is Status.EVIDENCE_NEEDED
    assert item.missing_zh == f"证据缺：{one}；{two}"
    item_24(one)
    item, _ = _item(24)
    assert item.missing_zh == f"证据缺：{two}"
    item_24(two)
    item, _ = _item(24)
    assert (item.status, item.missing_zh) == (Status.MET, "")


def test_item_names_its_failing_indicator_and_its_missing_evidence(item_24):
    # 47 合格, 3 不合格: 47 / 50 = 94 % < 98 %: the indicator is 未达标, so the item is 未达标,
    # and the page says both parts: the indicator and the evidence still missing.
    SamplingBatchFactory.create_batch(47, org_unit__code=SUB_A, sampling_type="evaluation")
    SamplingBatchFactory.create_batch(
        3, org_unit__code=SUB_A, sampling_type="evaluation", conclusion="nonconforming"
    )
    one, two = full_spec().item(24).evidence
    item_24(one)
    item, card = _item(24)
    name = card.indicator("evaluation_pass_rate").name
    assert item.status is Status.NOT_MET
    assert item.indicators_short == ((name, Status.NOT_MET),)
    assert item.missing_zh == f"指标：{name} 未达标；证据缺：{two}"
    # All evidence approved: only the indicator is left.
    item_24(two)
    item, _ = _item(24)
    assert item.missing_zh == f"指标：{name} 未达标"
