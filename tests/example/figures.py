"""The 2021 headline figures of an org-unit subtree, counted straight from the ledger tables.

These formulas are written out here on purpose, independent of the scorecard engine: they are
the test's own statement of what the example district was built to show.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from foodsafe.complaints.models import Complaint
from foodsafe.enforcement.models import Case
from foodsafe.grain.models import GrainMonitoring, GrainStock
from foodsafe.inspections.models import Inspection
from foodsafe.insurance.models import LiabilityPolicy
from foodsafe.orgunits.models import Population, subtree_prefix
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.models import SamplingBatch
from foodsafe.schools.models import SchoolCanteen
from foodsafe.selfinspections.models import SelfInspectionReport
from foodsafe.surveys.models import SurveyResponse
from foodsafe.workforce.models import StaffMember

YEAR = 2021
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)
COUNTED_TYPES = ("surveillance", "evaluation", "risk_monitoring")
RESIDUE = ("pesticide_residue", "vet_drug_residue")
CELLS = (
    ("production", "manufacturer"),
    ("production", "small_workshop"),
    ("circulation", "supermarket"),
    ("circulation", "grocery"),
    ("circulation", "produce_market"),
    ("circulation", "wholesale_market"),
    ("catering", "restaurant"),
    ("catering", "small_eatery"),
    ("catering", "school_canteen"),
    ("catering", "central_kitchen"),
    ("online", "ordering_platform"),
)


def pct(part: int | float | Decimal, whole: int | float | Decimal) -> float:
    return round(100 * float(part) / float(whole), 2) if whole else float("nan")


def active_on(prefix: str, day: date):
    """Businesses in the subtree open on ``day`` (opened by then, not closed by then)."""
    return (
        FoodBusiness.objects.filter(org_unit__code__startswith=prefix)
        .filter(Q(opened_on__isnull=True) | Q(opened_on__lte=day))
        .filter((Q(closed_on__isnull=True) & ~Q(status="closed")) | Q(closed_on__gt=day))
    )


def figures(code: str) -> dict[str, float | int]:
    prefix = subtree_prefix(code)
    people = Population.objects.get(org_unit_id=code, year=YEAR).resident_population
    result: dict[str, float | int] = {"population": people}

    # 抽检量: batches sampled in 2021 of the counted types ÷ residents × 1,000; rapid tests out.
    batches = SamplingBatch.objects.filter(
        org_unit__code__startswith=prefix, sampled_on__range=(START, END)
    )
    counted = batches.filter(sampling_type__in=COUNTED_TYPES)
    result["batches"] = counted.count()
    result["rapid_tests"] = batches.filter(sampling_type="rapid_test").count()
    result["sampling_per_1000"] = round(1000 * result["batches"] / people, 2)
    # 农兽药残留抽检量: counted batches with at least one residue test item.
    residue = counted.filter(test_items__category__in=RESIDUE).distinct().count()
    result["residue_per_1000"] = round(1000 * residue / people, 2)
    # 评价性抽检合格率: conforming ÷ evaluation batches with a conclusion.
    evaluation = counted.filter(sampling_type="evaluation").exclude(conclusion="pending")
    result["evaluation_pass_rate"] = pct(
        evaluation.filter(conclusion="conforming").count(), evaluation.count()
    )
    # 监督抽检覆盖: stage × format cells with at least one surveillance batch.
    surveillance = set(
        batches.filter(sampling_type="surveillance").values_list("stage", "business_format")
    )
    result["cells_covered"] = sum(1 for cell in CELLS if cell in surveillance)

    # 满意度 (mean score) and 知晓率 (aware ÷ answered) of the 2021 responses.
    responses = SurveyResponse.objects.filter(
        org_unit__code__startswith=prefix, responded_on__range=(START, END)
    )
    scored = responses.exclude(satisfaction_score__isnull=True)
    result["responses"] = responses.count()
    result["satisfaction"] = round(
        float(scored.aggregate(s=Sum("satisfaction_score"))["s"]) / scored.count(), 2
    )
    answered = responses.exclude(aware_of_programme__isnull=True)
    result["awareness"] = pct(answered.filter(aware_of_programme=True).count(), answered.count())

    # 食品类消费投诉按时办结率: food complaints received in 2021; on time = decided by the
    # acceptance deadline and, if accepted, closed by the closing deadline.
    food = Complaint.objects.filter(
        org_unit__code__startswith=prefix,
        kind="complaint",
        is_food=True,
        received_on__range=(START, END),
    )
    on_time = 0
    for c in food:
        decided = c.decided_on is not None and c.decided_on <= c.acceptance_due_on
        closed = c.decision != "accepted" or (
            c.closed_on is not None
            and c.closing_due_on is not None
            and c.closed_on <= c.closing_due_on
        )
        on_time += decided and closed
    result["food_complaints"] = food.count()
    result["on_time_rate"] = pct(on_time, food.count())

    # 明厨亮灶: canteens of businesses open on 2021-12-31 not live by then.
    canteens = SchoolCanteen.objects.filter(business__in=active_on(prefix, END))
    result["canteens"] = canteens.count()
    result["canteens_without_bright_kitchen"] = canteens.exclude(bright_kitchen_on__lte=END).count()
    # 开学检查: canteens open at the window's end without a term-start inspection in it.
    for term, (first, last) in {
        "spring": (date(YEAR, 2, 1), date(YEAR, 3, 31)),
        "autumn": (date(YEAR, 8, 15), date(YEAR, 9, 30)),
    }.items():
        open_canteens = SchoolCanteen.objects.filter(business__in=active_on(prefix, last))
        checked = Inspection.objects.filter(
            inspection_type="term_start", inspected_on__range=(first, last)
        ).values("business_id")
        result[f"{term}_term_start_missed"] = open_canteens.exclude(business_id__in=checked).count()

    # 两年全项目检查覆盖: businesses open on 2021-12-31 with a full-checklist inspection dated
    # 2020-01-01 … 2021-12-31.
    active = active_on(prefix, END)
    inspected = Inspection.objects.filter(
        full_checklist=True, inspected_on__range=(date(YEAR - 1, 1, 1), END)
    ).values("business_id")
    result["active_businesses"] = active.count()
    result["inspection_coverage"] = pct(active.filter(id__in=inspected).count(), active.count())

    # 库存粮食质量监测: tonnes monitored in 2021 on 2021 stocks ÷ 2021 stock; problems handled.
    stocks = GrainStock.objects.filter(org_unit__code__startswith=prefix, year=YEAR)
    monitoring = GrainMonitoring.objects.filter(stock__in=stocks, sampled_on__range=(START, END))
    stock_t = stocks.aggregate(t=Sum("stock_tonnes"))["t"] or 0
    result["grain_monitored"] = pct(
        monitoring.aggregate(t=Sum("monitored_tonnes"))["t"] or 0, stock_t
    )
    problems = monitoring.filter(problem_found=True)
    result["grain_problems"] = problems.count()
    result["grain_problems_handled"] = problems.filter(problem_handled_on__lte=END).count()

    # 专业化比例 and 培训: food inspectors in post on 2021-12-31.
    inspectors = (
        StaffMember.objects.filter(org_unit__code__startswith=prefix, is_food_inspector=True)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=END))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=END))
    )
    hours = {
        s.pk: s.h
        for s in inspectors.annotate(
            h=Sum("trainings__class_hours", filter=Q(trainings__trained_on__range=(START, END)))
        )
    }
    result["inspectors"] = len(hours)
    result["professional_share"] = pct(inspectors.filter(is_professional=True).count(), len(hours))
    result["training_coverage"] = pct(sum(1 for h in hours.values() if h), len(hours))
    result["under_40_hours"] = sum(1 for h in hours.values() if (h or 0) < 40)

    # 立案率 and 办结率.
    cases = Case.objects.filter(org_unit__code__startswith=prefix)
    should = cases.filter(should_file=True, lead_received_on__range=(START, END))
    result["filing_rate"] = pct(should.filter(filed_on__lte=END).count(), should.count())
    filed = cases.filter(filed_on__range=(START, END))
    result["closing_rate"] = pct(filed.filter(closed_on__lte=END).count(), filed.count())

    # 自查报告率: open chain HQs, large wholesalers and wholesale markets with a 2021 report.
    must = active.filter(business_format__in=("chain_hq", "large_wholesaler", "wholesale_market"))
    reported = SelfInspectionReport.objects.filter(submitted_on__range=(START, END)).values(
        "business_id"
    )
    result["self_report_rate"] = pct(must.filter(id__in=reported).count(), must.count())

    # 责任保险 (第20条): open canteens, group-meal distributors and central kitchens without a
    # policy in force on 2021-12-31.
    must_insure = active.filter(
        business_format__in=("school_canteen", "group_meal_distributor", "central_kitchen")
    )
    in_force = LiabilityPolicy.objects.filter(starts_on__lte=END, ends_on__gte=END).values(
        "business_id"
    )
    result["must_insure"] = must_insure.count()
    result["uninsured"] = must_insure.exclude(id__in=in_force).count()
    return result
