"""The whole scorecard: every indicator met on one small fixture, items, overall status with
vetoes, the as-of date, and the errors for an unknown org unit or a bad period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from foodsafe.completeness.models import ZeroReport
from foodsafe.credit.models import CreditEntry, CreditFile, CreditGrade
from foodsafe.registry.models import RiskGrade
from foodsafe.scorecard.engine import UnknownOrgUnit, evaluate_scorecard
from foodsafe.scorecard.periods import PeriodError
from foodsafe.scorecard.results import Status, VetoStatus
from tests.factories import (
    CaseFactory,
    ComplaintFactory,
    DiseaseEventFactory,
    DrillFactory,
    FoodBusinessFactory,
    FoodHandlerFactory,
    GrainMonitoringFactory,
    GrainStockFactory,
    IncidentFactory,
    InspectionFactory,
    LiabilityPolicyFactory,
    PlanRevisionFactory,
    PopulationFactory,
    SamplingBatchFactory,
    SchoolCanteenFactory,
    SelfInspectionReportFactory,
    SentinelInstitutionFactory,
    SentinelReportFactory,
    StaffMemberFactory,
    SurveyResponseFactory,
    SystemCertificateFactory,
    TrainingRecordFactory,
)
from tests.factories import TestItemFactory as ItemFactory

from .conftest import DISTRICT, SUB_A, SUB_B, any_sample, full_spec
from .test_sampling import REQUIRED_CELLS

#: The indicators of heping-2021, each tested against hand-worked values in test_<family>.py.
INDICATORS = {
    "grain_monitoring_coverage": "test_grain",
    "grain_problem_disposal_rate": "test_grain",
    "term_start_inspection_coverage": "test_schools",
    "biennial_inspection_coverage": "test_inspections",
    "surveillance_sampling_coverage": "test_sampling",
    "case_filing_rate": "test_enforcement",
    "case_closing_rate": "test_enforcement",
    "complaint_on_time_rate": "test_complaints",
    "professional_staff_share": "test_workforce",
    "training_coverage": "test_workforce",
    "training_hours_compliance": "test_workforce",
    "sampling_per_thousand": "test_sampling",
    "residue_sampling_per_thousand": "test_sampling",
    "self_inspection_report_rate": "test_selfinspections",
    "satisfaction_score": "test_surveys",
    "awareness_rate": "test_surveys",
    "evaluation_pass_rate": "test_sampling",
    "bright_kitchen_coverage": "test_schools",
    "inspections_per_business": "test_inspections",
    "findings_per_business": "test_inspections",
    "risk_grading_coverage": "test_riskgrades",
    "graded_inspection_frequency": "test_riskgrades",
    "sampling_results_published_on_time": "test_sampling",
    "nonconforming_disposed_on_time": "test_sampling",
    "credit_file_coverage": "test_credit",
    "credit_classified_supervision": "test_credit",
    # Issue 19: items 20, 17, 28, 18, 3 and 14 computed from their ledgers.
    "liability_insurance_coverage": "test_insurance",
    "small_operator_registration_rate": "test_smalls",
    "small_operator_inspection_coverage": "test_smalls",
    "small_operator_rectification_rate": "test_smalls",
    "food_handler_health_certificate_rate": "test_handlers",
    "management_system_certification_rate": "test_handlers",
    "sentinel_monthly_reporting_rate": "test_surveillance",
    "disease_event_timely_rate": "test_surveillance",
    "emergency_plan_current": "test_emergency",
    "emergency_drills_held": "test_emergency",
}


def test_every_spec_indicator_has_tests():
    spec = full_spec()
    # 22 targets + 4 monitoring indicators, + issue 19's 10 targets: items 3 (2), 14 (2),
    # 17 (1), 18 (2), 20 (1) and 28 (2).
    assert len(spec.indicators) == 36
    assert {i.code for i in spec.indicators} == set(INDICATORS)


def _all_met() -> None:
    """The smallest data that meets all 32 targets for the district in 2021 — evaluated with
    ``any_sample`` (``min_valid_sample: 1``): items 22 and 23 rest on one survey answer here,
    where the real spec's 385 would leave them 无数据 (test_survey_sample.py)."""
    PopulationFactory(org_unit__code=DISTRICT, resident_population=1000)
    # 11 surveillance batches, one per required cell; 2 with residue items; 1 evaluation batch.
    cells = [
        SamplingBatchFactory(stage=s, business_format=f, org_unit__code=SUB_A)
        for s, f in REQUIRED_CELLS
    ]
    ItemFactory(batch=cells[0], category="pesticide_residue")
    ItemFactory(batch=cells[1], category="vet_drug_residue")
    # Two reported and published within 30 days; the second failed and was disposed of in 21.
    for cell in cells[:2]:
        cell.reported_on, cell.published_on = date(2021, 6, 10), date(2021, 6, 20)
    cells[1].conclusion, cells[1].disposal_completed_on = "nonconforming", date(2021, 7, 1)
    for cell in cells[:2]:
        cell.save()
    SamplingBatchFactory(sampling_type="evaluation", conclusion="conforming", org_unit__code=SUB_B)
    # Coverage is against the registry's cells (below: a school canteen, catering|school_canteen,
    # sampled above, and a chain HQ, circulation|chain_hq): one surveillance batch for the HQ.
    SamplingBatchFactory(stage="circulation", business_format="chain_hq", org_unit__code=SUB_B)
    # Grain: 250 of 1,000 t monitored; the problem found was handled.
    stock = GrainStockFactory(org_unit__code=SUB_A, stock_tonnes=Decimal("1000"))
    GrainMonitoringFactory(
        stock=stock,
        monitored_tonnes=Decimal("250"),
        problem_found=True,
        problem_handled_on=date(2021, 7, 1),
    )
    # A school canteen with both term-start checks (full checklist) and a bright kitchen, and a
    # chain HQ with a self-inspection report and a full inspection: every business inspected.
    canteen = SchoolCanteenFactory(
        business__org_unit__code=SUB_A, bright_kitchen_on=date(2021, 1, 1)
    )
    for day in (date(2021, 2, 20), date(2021, 9, 1)):
        InspectionFactory(business=canteen.business, inspected_on=day, inspection_type="term_start")
    # The canteen holds liability insurance in force on 31 Dec 2021 (item 20).
    LiabilityPolicyFactory(business=canteen.business)
    # A small eatery registered in 2019 (item 17), inspected in 2021 against the full
    # checklist with nothing found (item 28); its cell catering|small_eatery is sampled above.
    eatery = FoodBusinessFactory(
        business_format="small_eatery",
        org_unit__code=SUB_B,
        licence_number="津和小餐饮登0001",
        registered_on=date(2019, 4, 1),
    )
    InspectionFactory(business=eatery, inspected_on=date(2021, 5, 10), result="rectify")
    InspectionFactory(
        business=eatery,
        inspected_on=date(2021, 6, 1),
        inspection_type="follow_up",
        full_checklist=False,
    )
    # A 规模以上 producer with a HACCP certificate in force (item 18), inspected in 2021; its
    # cell production|manufacturer is sampled above.
    maker = SystemCertificateFactory(business__org_unit__code=SUB_A).business
    InspectionFactory(business=maker, inspected_on=date(2021, 7, 1))
    # The canteen's cook holds a health certificate valid into 2022 (item 18).
    FoodHandlerFactory(business=canteen.business)
    # Item 3: one sentinel hospital reporting every month of 2021; one event reported the day
    # it was found.
    hospital = SentinelInstitutionFactory(org_unit__code=SUB_A)
    for month in range(1, 13):
        SentinelReportFactory(
            institution=hospital,
            month=date(2021, month, 1),
            reported_on=date(2021, month, 1) + timedelta(days=35),
        )
    DiseaseEventFactory(org_unit__code=SUB_A, institution=hospital)
    # Item 14: the plan revised in 2020, a live drill in the office's name in 2021.
    PlanRevisionFactory(org_unit__code=DISTRICT, revised_on=date(2020, 6, 30))
    DrillFactory(org_unit__code=DISTRICT, held_on=date(2021, 6, 15))
    hq = FoodBusinessFactory(business_format="chain_hq", sector="sales", org_unit__code=SUB_B)
    InspectionFactory(business=hq, inspected_on=date(2020, 5, 1))
    SelfInspectionReportFactory(business=hq, submitted_on=date(2021, 4, 1))
    # Risk grades for 2021 (item 5): all A; A needs one inspection in the year: the canteen
    # has its term-start checks, the eatery its May check, the HQ a routine one in 2021.
    InspectionFactory(business=hq, inspected_on=date(2021, 6, 1), full_checklist=False)
    for graded in (canteen.business, eatery, maker, hq):
        RiskGrade.objects.create(
            business=graded, year=2021, level="A", basis="assessment", decided_on=date(2021, 3, 1)
        )
        # Item 25: a credit file gathered after the year's end, and a December class used by
        # a plan (分类监管).
        CreditFile.objects.create(
            business=graded,
            key=graded.registry_number,
            key_kind="registry",
            org_unit_id=graded.org_unit_id,
            changed_at=datetime(2022, 1, 5, tzinfo=UTC),
            refreshed_on=date(2022, 1, 5),
        )
        CreditGrade.objects.create(
            business=graded,
            month=date(2021, 12, 1),
            computed="A",
            score=0,
            spec_label="t",
            level="A",
            applied_plan="JH-T",
        )
    # The files hold a supervision record of 2021 (the eatery's May inspection): they speak
    # for 2021 (credit_file_coverage's data for the period).
    CreditEntry.objects.create(
        business=eatery, kind="inspection", outcome="rectify", source_id=1,
        occurred_on=date(2021, 5, 10),
    )  # fmt: skip
    CaseFactory(
        org_unit__code=SUB_A,
        lead_received_on=date(2021, 3, 1),
        filed_on=date(2021, 3, 2),
        closed_on=date(2021, 5, 1),
    )
    ComplaintFactory(
        org_unit__code=SUB_B,
        received_on=date(2021, 3, 1),
        decision="refused",
        decided_on=date(2021, 3, 3),
    )
    inspector = StaffMemberFactory(org_unit__code=DISTRICT, is_professional=True)
    TrainingRecordFactory(staff=inspector, class_hours=Decimal("40"))
    SurveyResponseFactory(org_unit__code=SUB_A, satisfaction_score=Decimal("90"))
    # No finding and no incident happened: the district says so with zero reports (零报告);
    # without them findings per business and the two incident vetoes are 无数据 (issue 10 §2).
    for ledger in ("findings", "incidents"):
        ZeroReport.objects.create(ledger=ledger, org_unit_id=DISTRICT, period="2021")


def test_all_indicators_met(scorecard):
    _all_met()
    card = scorecard(spec=any_sample(full_spec()))
    fractions = {i.code: (i.numerator, i.denominator) for i in card.indicators}
    assert fractions == {
        "grain_monitoring_coverage": (250, 1000),  # 25% of the stock, in tonnes
        "grain_problem_disposal_rate": (1, 1),
        "term_start_inspection_coverage": (2, 2),  # one canteen × spring and autumn
        # The canteen, the eatery, the producer and the chain HQ.
        "biennial_inspection_coverage": (4, 4),
        # Registry cells: catering|school_canteen, catering|small_eatery,
        # production|manufacturer and circulation|chain_hq, all sampled.
        "surveillance_sampling_coverage": (4, 4),
        "case_filing_rate": (1, 1),
        "case_closing_rate": (1, 1),
        "complaint_on_time_rate": (1, 1),  # received 1 Mar, due 10 Mar, refused 3 Mar
        "professional_staff_share": (1, 1),
        "training_coverage": (1, 1),
        "training_hours_compliance": (1, 1),  # 40 class hours
        "sampling_per_thousand": (13, 1000),  # 12 surveillance + 1 evaluation: 13 ≥ 4
        "residue_sampling_per_thousand": (2, 1000),  # 2 / 1,000 × 1000 = 2 ≥ 2
        "self_inspection_report_rate": (1, 1),
        "satisfaction_score": (90, 1),  # mean 90 ≥ 80
        "awareness_rate": (1, 1),
        "evaluation_pass_rate": (1, 1),
        "bright_kitchen_coverage": (1, 1),
        # The 4 operating businesses graded A for 2021, each inspected at least once in 2021;
        # each has a credit file and a December class (item 25).
        "risk_grading_coverage": (4, 4),
        "graded_inspection_frequency": (4, 4),
        "credit_file_coverage": (4, 4),
        "credit_classified_supervision": (4, 4),
        # Monitoring only, over the 4 operating businesses: the canteen's two term-start
        # inspections, the eatery's two (its check and 复查), the producer's and the chain
        # HQ's 2021 ones are in 2021 (the HQ's 2020 one is not); no findings: 6 / 4, 0 / 4.
        "inspections_per_business": (6, 4),
        "findings_per_business": (0, 4),
        # Monitoring only (item 6): 2 of 2 results published in time; 1 of 1 failure disposed.
        "sampling_results_published_on_time": (2, 2),
        "nonconforming_disposed_on_time": (1, 1),
        # The only school canteen, group-meal distributor or central kitchen is insured.
        "liability_insurance_coverage": (1, 1),
        "small_operator_registration_rate": (1, 1),  # the registered eatery
        # Issue 19, items 28, 18, 3 and 14.
        "small_operator_inspection_coverage": (1, 1),  # the eatery, inspected 10 May
        "small_operator_rectification_rate": (1, 1),  # 限期整改 10 May, 复查 符合 1 Jun
        "food_handler_health_certificate_rate": (1, 1),  # the canteen's cook
        "management_system_certification_rate": (1, 1),  # the producer's HACCP
        # January–November due by 31 Dec (each by the 10th of the next month), all reported
        # 35 days after the 1st (5 Feb … 6 Dec).
        "sentinel_monthly_reporting_rate": (1, 1),
        "disease_event_timely_rate": (1, 1),  # reported the day it was found
        "emergency_plan_current": (1, 1),  # revised 2020-06-30, within 3 years
        "emergency_drills_held": (1, 1),  # one drill ≥ 1
    }
    assert card.counts()["met"] == 32
    assert card.counts()["info"] == 4
    assert card.overall == "all_met"  # monitoring indicators do not hold it back
    assert card.overall == "all_met"
    assert not card.vetoed
    # Veto 1 has no finding yet: it needs evidence but does not fail the programme.
    statuses = {v.code: v.status for v in card.vetoes}
    assert statuses == {
        "veto_leadership": VetoStatus.EVIDENCE_NEEDED,
        "veto_major_incident": VetoStatus.CLEAR,
        "veto_public_incident": VetoStatus.CLEAR,
        "veto_satisfaction": VetoStatus.CLEAR,
        "veto_evaluation_pass_rate": VetoStatus.CLEAR,
    }


def test_any_veto_fails_the_programme_even_when_all_is_met(scorecard):
    _all_met()
    IncidentFactory(org_unit__code=SUB_B, occurred_on=date(2020, 8, 1), severity="II")
    card = scorecard(spec=any_sample(full_spec()))
    assert card.counts()["met"] == 32  # every indicator still met
    assert card.vetoed
    assert card.overall == "vetoed"


def test_veto_finding_fails_the_programme(scorecard):
    from foodsafe.programme.models import VetoFinding

    _all_met()
    VetoFinding.objects.create(
        programme_code="heping-2021",
        veto_code="veto_leadership",
        org_unit_id=DISTRICT,
        year=2021,
        vetoed=True,
        basis="未落实责任制",
    )
    assert scorecard(spec=any_sample(full_spec())).overall == "vetoed"


def test_overall_no_data_when_nothing_can_be_judged(scorecard):
    """No ledger row at all: every indicator 无数据 (or 仅监测), so there is nothing to call
    存在差距 either — the overall result says 无数据 (h-dates' note on 2015 and 2026)."""
    card = scorecard()  # no data at all
    assert {i.status for i in card.indicators} <= {Status.NO_DATA, Status.INFO}
    assert card.overall == "no_data"
    assert not card.vetoed


# -- items ------------------------------------------------------------------------------------


def _item(card, number):
    return next(i for i in card.items if i.number == number)


def test_items(scorecard):
    _all_met()
    card = scorecard(spec=any_sample(full_spec()))
    with_indicators = {3, 4, 5, 6, 7, 9, 12, 13, 14, 17, 18, 20, 22, 23, 24, 25, 28, 29}
    assert {i.number for i in card.items if i.indicators} == with_indicators
    for item in card.items:
        if item.number in with_indicators:
            # All their indicators are met, but no evidence file is approved: an item needs
            # both (issue 10 §1), so each says which requirements are missing.
            assert item.status is Status.EVIDENCE_NEEDED, item.number
            assert item.missing_evidence == tuple(full_spec().item(item.number).evidence)
        else:
            assert item.status is Status.EVIDENCE_NEEDED, item.number  # nothing to compute
    item_1 = _item(card, 1)  # 党政同责
    assert item_1.indicators == ()
    assert item_1.status is Status.EVIDENCE_NEEDED
    assert len(card.items) == 33


def test_item_not_met_when_one_of_its_indicators_is_not(scorecard):
    PopulationFactory(org_unit__code=DISTRICT, resident_population=2000)
    SamplingBatchFactory.create_batch(8, org_unit__code=SUB_A)  # 8 / 2,000 × 1000 = 4.0: met
    residue = SamplingBatchFactory(org_unit__code=SUB_A)  # 9 / 2,000 × 1000 = 4.5: met
    ItemFactory(batch=residue, category="pesticide_residue")  # 1 / 2,000 × 1000 = 0.5 < 2
    card = scorecard()
    assert card.indicator("sampling_per_thousand").status is Status.MET
    assert card.indicator("residue_sampling_per_thousand").status is Status.NOT_MET
    item_13 = _item(card, 13)
    assert item_13.indicators == ("sampling_per_thousand", "residue_sampling_per_thousand")
    assert item_13.status is Status.NOT_MET
    assert item_13.responsible_units == ("区市场监管局",)
    assert card.indicator("residue_sampling_per_thousand").responsible_units == ("区市场监管局",)


def test_item_no_data_when_an_indicator_has_none_and_none_fails(scorecard):
    stock = GrainStockFactory(org_unit__code=SUB_A, stock_tonnes=Decimal("100"))
    GrainMonitoringFactory(stock=stock, monitored_tonnes=Decimal("30"))  # 30% met, no problem
    card = scorecard()
    assert card.indicator("grain_monitoring_coverage").status is Status.MET
    assert card.indicator("grain_problem_disposal_rate").status is Status.NO_DATA
    assert _item(card, 4).status is Status.NO_DATA


# -- as-of date ---------------------------------------------------------------------------------


def test_as_of_defaults_to_the_period_end(scorecard):
    assert scorecard("2021").as_of == date(2021, 12, 31)
    assert scorecard("2021Q3").as_of == date(2021, 9, 30)
    assert scorecard("202102").as_of == date(2021, 2, 28)


def test_as_of_defaults_to_today_while_the_period_runs(scorecard):
    with time_machine.travel(date(2021, 6, 15), tick=False):
        card = scorecard("2021")
    assert card.as_of == date(2021, 6, 15)
    assert card.period.end == date(2021, 12, 31)


def test_year_forecast_before_its_end(district):
    PopulationFactory(org_unit__code=DISTRICT, resident_population=1000)
    SamplingBatchFactory.create_batch(2, sampled_on=date(2021, 3, 1), org_unit__code=SUB_A)
    card = evaluate_scorecard(
        spec=full_spec(), org_unit=DISTRICT, period="2021", as_of=date(2021, 6, 30)
    )
    r = card.indicator("sampling_per_thousand")
    assert r.value == Decimal("2")  # 2 / 1,000 × 1000
    # 1 Jan – 30 Jun = 181 days: 2 × 365 / 181 = 4.033… → 4.03 by the year's end.
    assert r.forecast == Decimal("4.03")


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["120101009000", "999999999999", "abc"])
def test_unknown_org_unit(district, code):
    with pytest.raises(UnknownOrgUnit) as info:
        evaluate_scorecard(spec=full_spec(), org_unit=code, period="2021")
    assert info.value.code == code


@pytest.mark.parametrize("period", ["2021Q5", "2021S3", "202113", "202100", "21", "", "2021-08"])
def test_bad_period(district, period):
    with pytest.raises(PeriodError):
        evaluate_scorecard(spec=full_spec(), org_unit=DISTRICT, period=period)
