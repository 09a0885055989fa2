"""Inspection metrics (监督检查): the two-year full-inspection coverage."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import MetricContext
from ..registry import Fraction, metric


@metric(
    "biennial_inspection_coverage",
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
)
def biennial_inspection_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of operating food businesses inspected in the 24 months to the period's end, %.

    Rule: 食品生产经营监督检查管理办法 第二十二条 — every operator gets a full-checklist
    inspection at least once every two years (RULES.md §2.4); part of 实施方案 第5条 dynamic
    risk management. Denominator: businesses in the subtree operating on the period's last day.
    Numerator: those with an inspection (full-checklist only if
    ``options["full_checklist_only"]``) dated in the ``options["months"]`` (24) months ending on
    that day.
    """
    months = int(options.get("months", 24))
    start = ctx.months_back(ctx.end, months)
    i = ctx.table("inspection")
    filters = [i.inspected_on.between(ibis.date(start), ibis.date(ctx.end))]
    if options.get("full_checklist_only", True):
        filters.append(i.full_checklist)
    inspected_ids = i.filter(*filters).business_id
    active = ctx.active_businesses_at(ctx.end)
    return Fraction(active.filter(active.id.isin(inspected_ids)).count(), active.count())


def _inspections_of_active(ctx: MetricContext) -> tuple[Any, Any]:
    """Inspections in the period of businesses operating at its end, and those businesses."""
    active = ctx.active_businesses_at(ctx.end)
    i = ctx.table("inspection")
    return i.filter(ctx.in_period(i.inspected_on), i.business_id.isin(active.id)), active


@metric(
    "inspections_per_business", factor=1, numerator_unit_zh="次", numerator_unit_en="inspections"
)
def inspections_per_business(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Inspections per operating food business in the period (户均监督检查次数), a monitoring figure.

    Context for 实施方案 第5条 (risk-based dynamic management) and 监督检查管理办法 第二十二条;
    the plan sets no target. Numerator: inspections (any type) dated in the period of the
    businesses in the subtree operating on the period's last day. Denominator: those businesses.
    """
    inspections, active = _inspections_of_active(ctx)
    return Fraction(inspections.count(), active.count())


@metric("findings_per_business", factor=1, numerator_unit_zh="项", numerator_unit_en="findings")
def findings_per_business(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Problems found per operating food business in the period (户均检查发现问题数), monitoring.

    No target in the plan. Numerator: findings recorded on the inspections counted by
    ``inspections_per_business``. Denominator: businesses in the subtree operating on the
    period's last day.
    """
    inspections, active = _inspections_of_active(ctx)
    f = ctx.table("finding")
    return Fraction(f.filter(f.inspection_id.isin(inspections.id)).count(), active.count())
