"""Inspection metrics (监督检查): two-year full-inspection coverage, activity per business."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import Measure, MetricContext
from ..registry import Fraction, metric


@metric(
    "biennial_inspection_coverage",
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    ledger="inspection",
)
def biennial_inspection_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of operating food businesses inspected in the 24 months to the period's end, %.

    Rule: 食品生产经营监督检查管理办法 第二十二条 — every operator gets a full-checklist
    inspection at least once every two years (RULES.md §2.4); part of 实施方案 第5条 dynamic
    risk management. Denominator: businesses in the subtree operating on the period's last day.
    Numerator: those with an inspection (full-checklist only if
    ``options["full_checklist_only"]``) dated in the ``options["months"]`` (24) months ending on
    that day (or on the as-of date, if earlier). No inspection in the county dated in the
    ``months`` months to the period's end, and no zero report: 无数据 (the ledger was not
    reported for the window, RULES.md §2.4 gives no reading of silence), not 0/N. Nor without
    an inspection dated in the period or later (``Fraction.reached``, [I], h-newuser3 N3): with
    data to 2021-12-31, 2022's window holds only 2021's inspections (1247/1394 未达标 before).
    """
    months = int(options.get("months", 24))
    end = ctx.period_to_date
    i = ctx.table("inspection")
    window = i.inspected_on.between(ibis.date(ctx.months_back(end, months)), ibis.date(end))
    if options.get("full_checklist_only", True):
        window &= i.full_checklist
    b = ctx.relation("business")
    operating = ctx.operating_on(b, ctx.end)
    inspected = b.id.isin(i.filter(window).business_id)
    rows = ctx.inspections()
    since = ctx.months_back(ctx.end, months)
    reported = ctx.rows_between(
        rows, ctx.dated_in(rows.inspected_on, since, ctx.end), key=f"inspection:{since}"
    )
    # An inspection dated in the period itself: the ledger was kept into the period. The
    # 24-month window alone would judge 2022 on 2021's inspections (h-newuser3 N3).
    reached = ctx.rows_between(
        rows, rows.inspected_on >= ibis.date(ctx.period.start), key="inspection+"
    )
    return Fraction(
        Measure(b, where=operating & inspected),
        Measure(b, where=operating),
        reported=reported,
        reached=reached,
    )


def _inspections(ctx: MetricContext) -> Any:
    return ctx.inspections()


@metric(
    "inspections_per_business",
    factor=1,
    numerator_unit_zh="次",
    numerator_unit_en="inspections",
    ledger="inspection",
    as_of_literal=True,
)
def inspections_per_business(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Inspections per operating food business in the period (户均监督检查次数), a monitoring figure.

    Context for 实施方案 第5条 (risk-based dynamic management) and 监督检查管理办法 第二十二条;
    the plan sets no target. Numerator: inspections (any type) dated in the period of the
    businesses in the subtree operating on the period's last day. Denominator: those businesses.
    No inspection dated in the period in the county: 无数据, not 0 per business.
    """
    i = _inspections(ctx)
    b = ctx.relation("business")
    counted = ctx.in_period(i.inspected_on) & ctx.operating_on(i, ctx.end)
    return Fraction(
        Measure(i, where=counted),
        Measure(b, where=ctx.operating_on(b, ctx.end)),
        reported=ctx.inspections_reported(),
    )


@metric(
    "findings_per_business",
    factor=1,
    numerator_unit_zh="项",
    numerator_unit_en="findings",
    ledger="finding",
    as_of_literal=True,
)
def findings_per_business(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Problems found per operating food business in the period (户均检查发现问题数), monitoring.

    No target in the plan. Numerator: findings recorded on the inspections counted by
    ``inspections_per_business``. Denominator: businesses in the subtree operating on the
    period's last day. No finding dated in the period in the county and no zero report: 无数据.
    """

    f = ctx.findings()
    b = ctx.relation("business")
    counted = ctx.in_period(f.inspected_on) & ctx.operating_on(f, ctx.end)
    return Fraction(
        Measure(f, where=counted),
        Measure(b, where=ctx.operating_on(b, ctx.end)),
        reported=ctx.rows_between(f, ctx.dated_in(f.inspected_on), key="finding"),
    )
