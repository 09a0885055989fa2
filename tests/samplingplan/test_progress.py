"""Progress against a saved plan by month, cell, category and unit, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from foodsafe.samplingplan.in_force import sampling_plan_spec
from foodsafe.samplingplan.models import PlanLine, SamplingPlan
from foodsafe.samplingplan.selectors import plan_progress, units_progress
from tests.conftest import DISTRICT, SUB_A, SUB_B
from tests.factories import PopulationFactory, SamplingBatchFactory
from tests.factories import TestItemFactory as ItemFactory

SPEC = sampling_plan_spec()


@pytest.fixture
def plan(district):
    PopulationFactory(org_unit_id=SUB_A, year=2022, resident_population=15_000)
    PopulationFactory(org_unit_id=SUB_B, year=2022, resident_population=5_000)
    plan = SamplingPlan.objects.create(
        number="T-1", org_unit_id=DISTRICT, year=2022, version=1, spec_label="t",
        spec_sha256="", inputs={"population_year": 2022, "cells": []}, population=20_000,
        created_at=timezone.now(),
    )  # fmt: skip
    for m in range(1, 13):  # 10 糕点 batches a month at supermarkets: 120 a year
        PlanLine.objects.create(
            plan=plan, category_code="24", stage="circulation", business_format="supermarket",
            month_from=m, month_to=m, batches=10,
        )  # fmt: skip

    def batches(n: int, day: date, unit: str) -> None:
        for _ in range(n):
            SamplingBatchFactory(
                org_unit_id=unit, sampled_on=day, food_category="糕点", category_code="24"
            )

    batches(10, date(2022, 1, 15), SUB_A)
    batches(5, date(2022, 2, 15), SUB_B)
    batches(12, date(2022, 3, 15), SUB_B)
    residue = SamplingBatchFactory(
        org_unit_id=SUB_B, sampled_on=date(2022, 3, 20), business_format="produce_market",
        category_code="32020201", food_category="蔬菜", food_name="韭菜",
    )  # fmt: skip
    ItemFactory(batch=residue, name="毒死蜱", category="pesticide_residue")
    # Not counted: a rapid test, and a batch of another year.
    SamplingBatchFactory(org_unit_id=SUB_A, sampled_on=date(2022, 3, 1), sampling_type="rapid_test")
    SamplingBatchFactory(org_unit_id=SUB_A, sampled_on=date(2021, 12, 31))
    return plan


@pytest.mark.django_db
def test_progress_by_month_cell_and_forecast(plan):
    p = plan_progress(plan=plan, spec=SPEC, on=date(2022, 3, 31))
    # Cumulative plan 10, 20, 30; done 10, 15, 28 (27 糕点 + 1 residue batch).
    assert [(m.planned_cum, m.done_cum) for m in p.months[:3]] == [(10, 10), (20, 15), (30, 28)]
    # Tolerance 10 %: Jan 10 ≥ 9 yes; Feb 15 ≥ 18 no; Mar 28 ≥ 27 yes → 2 of 3 months.
    assert [m.balanced for m in p.months[:4]] == [True, False, True, None]
    assert p.balance_share == Decimal("66.7")
    cells = {(c.stage, c.business_format): c for c in p.cells}
    assert (cells[("circulation", "supermarket")].due, cells[("circulation", "supermarket")].done) == (
        Decimal("30.0"), 27,
    )  # fmt: skip
    assert cells[("circulation", "supermarket")].behind == Decimal(3)
    # A cell sampled outside the plan shows with nothing planned.
    assert cells[("circulation", "produce_market")].planned == 0
    assert (p.done, p.done_residue) == (28, 1)
    # 90 of 365 days gone: 28 × 365 / 90 = 113.6 → 114 at year end, 5.70 per 1,000.
    assert p.forecast == 114 and p.forecast_per_thousand == Decimal("5.70")
    need = {n.code: n for n in p.needs}
    assert (need["24"].planned, need["24"].done, need["24"].needed) == (120, 27, 93)


@pytest.mark.django_db
def test_nothing_ended_is_no_data(plan):
    p = plan_progress(plan=plan, spec=SPEC, on=date(2022, 1, 20))
    assert p.balance_share is None  # 无数据: no month has ended


@pytest.mark.django_db
def test_units_share_the_plan_by_population(plan):
    rows = {r.code: r for r in units_progress(plan=plan, spec=SPEC, on=date(2022, 3, 31))}
    # 30 due by March: A has 15,000 of 20,000 residents → 22.5; B 5,000 → 7.5.
    assert (rows[SUB_A].due, rows[SUB_A].done) == (Decimal("22.5"), 10)
    assert (rows[SUB_B].due, rows[SUB_B].done, rows[SUB_B].behind) == (Decimal("7.5"), 18, 0)
