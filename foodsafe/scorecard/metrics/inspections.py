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
