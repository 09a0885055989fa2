"""Making a plan: who is in and why, the recorded draw (re-run gives the same list), inspector
pairs, progress from the inspections ledger, and publication within 20 working days."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from foodsafe.inspectionplan.draw import draw_run
from foodsafe.inspectionplan.in_force import plan_spec
from foodsafe.inspectionplan.models import InspectionPlan
from foodsafe.inspectionplan.selectors import plan_progress, plan_summary, publication_rows
from foodsafe.inspectionplan.services import PlanError, plan_create, plan_results_publish
from tests.conftest import DISTRICT, SUB_A
from tests.factories import InspectionFactory

from .conftest import frozen


def make(actor, seed=42, org=DISTRICT, period="2021Q4", spec=None):
    return plan_create(
        spec=spec or plan_spec(), org_code=org, period_code=period, actor=actor, seed=seed
    )


def test_plan_contents_and_recorded_draw(small_district, office_admin):
    plan = make(office_admin)
    items = list(plan.items.order_by("position"))
    # Due by 2021-12-31: the D operator (due 2021-12-15) first (grade D before C), then the C
    # operator (due 2021-10-20). The ten B's are due 2022-06-01: not due.
    assert [(i.business.registry_number, i.source) for i in items[:2]] == [
        ("D-1", "due"),
        ("C-1", "due"),
    ]
    assert items[1].due_on == date(2021, 10, 20) and "C 级每 6 个月" in items[1].reason
    # The D central kitchen: D every 4 months → 2021-12-15, key supervision every 6 →
    # 2022-02-15; the earlier is the grade rule.
    assert items[0].due_on == date(2021, 12, 15)
    # The draw: ten B's × 0.20 a year × 3/12 = 0.5 → 1 drawn.
    assert plan.draw["result"]["counts"]["B"] == 1
    assert [i.source for i in items[2:]] == ["random"]
    assert items[2].business.registry_number.startswith("B-")
    # Seed, inputs and result are stored; re-running the draw gives the same list.
    assert plan.seed == 42
    again = draw_run(plan.draw["inputs"], plan.seed)
    assert again == plan.draw["result"]
    assert plan.draw["inputs"]["roster"] == ["S1", "S2", "S3", "S4"]  # not S8 (left), S9
    # Pairs: two each; the C operator does not get 检查员1 or 检查员2 (its last inspectors).
    c_item = items[1]
    pair = sorted(s.staff_number for s in c_item.inspectors.all())
    assert len(pair) == 2 and not {"S1", "S2"} & set(pair)
    assert plan.draw["inputs"]["exclude"]["C-1"] == ["S1", "S2"]
    # The order comes from the risk ranking (foodsafe.riskrank); with a dozen inspections of
    # history it falls back to grade, last result and time since the last inspection, and the
    # plan says so; each ranked operator keeps its reasons in words.
    assert "按风险等级" in plan.order_method
    assert items[0].rank_reasons and items[1].rank_reasons
    # The plan and its items have history rows by the office.
    assert plan.history.first().history_user == office_admin
    assert c_item.history.first().history_user == office_admin


def test_same_seed_same_plan_in_another_database_state(small_district, office_admin):
    first = make(office_admin, seed=99)
    numbers = list(
        first.items.order_by("position").values_list("business__registry_number", flat=True)
    )
    inputs, result = first.draw["inputs"], first.draw["result"]
    first.delete()
    second = make(office_admin, seed=99)
    assert second.draw == {"inputs": inputs, "result": result}
    assert (
        list(second.items.order_by("position").values_list("business__registry_number", flat=True))
        == numbers
    )


def test_refusals(small_district, office_admin):
    make(office_admin)
    with pytest.raises(PlanError, match="已有计划"):
        make(office_admin)
    with pytest.raises(PlanError, match="一个月"):
        make(office_admin, period="2021")
    with pytest.raises(PlanError, match="无效的期间"):
        make(office_admin, period="2021Q5")
    with pytest.raises(PlanError, match="未知的区划代码"):
        make(office_admin, org="999999000000")
    assert make(office_admin, period="202111").period == "202111"


def test_a_member_unit_plans_only_its_area(small_district, market_user, education_user):
    # The default spec gives 区市场监管局 the whole district; a station limited to
    # subdistrict A may plan A but not the district.
    spec = plan_spec()
    station = spec.model_copy(
        update={
            "planning_units": spec.planning_units.model_copy(
                update={"units": {"market-regulation": [SUB_A]}}
            )
        }
    )
    with pytest.raises(PermissionDenied):
        make(market_user, spec=station)
    plan = make(market_user, spec=station, org=SUB_A)
    assert {i.business.org_unit_id for i in plan.items.all()} == {SUB_A}
    with pytest.raises(PermissionDenied):  # 区教育局 plans nowhere
        make(education_user, org=SUB_A, period="202110")


def test_progress_and_publication_deadline(small_district, office_admin):
    spec = plan_spec()
    plan = make(office_admin)
    assert plan_summary(plan_progress(plan, spec=spec))["done"] == 0
    drawn = plan.items.get(source="random")
    # An inspection arrives in the ledger (import or checklist page): progress follows.
    InspectionFactory(business=drawn.business, inspected_on=date(2021, 11, 3), result="rectify")
    InspectionFactory(business=small_district.d_op, inspected_on=date(2021, 9, 30))  # before Q4
    summary = plan_summary(plan_progress(plan, spec=spec))
    assert (summary["done"], summary["total"]) == (1, 3)
    # 20 working days after Wednesday 2021-11-03 (第三十九条): Nov 4–5 (2), 8–12 (7),
    # 15–19 (12), 22–26 (17), 29, 30, Dec 1 (20) → 2021-12-01, no holiday in between.
    with frozen(date(2021, 12, 1)):
        rows, waiting = publication_rows(plan, spec=spec, on=date(2021, 12, 1))
    assert waiting == 0  # only the drawn item is published, and it is inspected
    [row] = rows
    assert row.progress.publish_by == date(2021, 12, 1)
    assert row.status == "pending"
    rows, _ = publication_rows(plan, spec=spec, on=date(2021, 12, 2))
    assert rows[0].status == "overdue"
    with frozen(date(2021, 11, 20)):
        with pytest.raises(PlanError, match="晚于今天"):
            plan_results_publish(
                plan=plan, item_ids=[drawn.pk], on=date(2021, 11, 21), spec=spec, actor=office_admin
            )
        due_item = plan.items.get(business=small_district.c_op)
        with pytest.raises(PlanError, match="不在本计划的公开范围内"):
            plan_results_publish(
                plan=plan,
                item_ids=[due_item.pk],
                on=date(2021, 11, 20),
                spec=spec,
                actor=office_admin,
            )
        assert (
            plan_results_publish(
                plan=plan, item_ids=[drawn.pk], on=date(2021, 11, 19), spec=spec, actor=office_admin
            )
            == 1
        )
    rows, _ = publication_rows(plan, spec=spec, on=date(2021, 12, 20))
    assert rows[0].status == "published"
    drawn.refresh_from_db()
    assert drawn.history.first().history_user == office_admin


def test_publication_deadline_over_national_day(small_district, office_admin):
    """An inspection on Thursday 2021-09-30 of a September plan: 国庆 2021 is 1–7 October off,
    with make-up working days Sunday 9/26 (before) and Saturday 10/9. Counting from 10/1:
    10/8 (1), 10/9 Saturday make-up (2), 10/11–15 (7), 18–22 (12), 25–29 (17), 11/1, 2, 3 (20)
    → 2021-11-03. (A yearly ratio of 1 for B, so that a month draws 10 × 1 × 1/12 → 1.)"""
    spec = plan_spec()
    ratios = {**spec.random_inspection.annual_ratio, "B": 1}
    spec = spec.model_copy(
        update={
            "random_inspection": spec.random_inspection.model_copy(update={"annual_ratio": ratios})
        }
    )
    plan = make(office_admin, period="202109", spec=spec)
    drawn = plan.items.filter(source="random").first()
    assert drawn is not None
    InspectionFactory(business=drawn.business, inspected_on=date(2021, 9, 30))
    rows, _ = publication_rows(plan, spec=spec, on=date(2021, 10, 20))
    assert rows[0].progress.publish_by == date(2021, 11, 3)
    assert not rows[0].progress.publish_provisional
    assert InspectionPlan.objects.count() == 1
