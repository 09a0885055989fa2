"""Self-inspection report rate (自查报告率)."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import Measure, MetricContext
from ..registry import Fraction, metric


@metric(
    "self_inspection_report_rate",
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    ledger="self_report",
    as_of_literal=True,
)
def self_inspection_report_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Self-inspection report rate of the operators that must report (自查报告率), %.

    Rule: 实施方案 第18条 "食品销售连锁企业总部、大型食品批发企业、食品批发市场开办者建立并落实
    食品安全自查制度，自查报告率达到100%". Denominator: businesses of
    ``options["business_formats"]`` operating in the subtree on the period's last day.
    Numerator: those with a self-inspection report dated in the period. No report at all in
    the county (the ledger never loaded), or none dated in the period (2026 with reports of
    2021), and no zero report: 无数据, not 0 % (issue 10 §2).
    """
    formats = list(
        options.get("business_formats", ["chain_hq", "large_wholesaler", "wholesale_market"])
    )
    b = _first_reports(ctx)
    required = ctx.operating_on(b, ctx.end) & b.business_format.isin(formats)
    # A report dated in the period up to the as-of date ⟺ the first in the period is by then.
    reported = b.first_report_on <= ibis.date(ctx.as_of)
    r = ctx.self_reports()
    return Fraction(
        Measure(b, where=required & reported),
        Measure(b, where=required),
        reported=ctx.rows_between(r, ctx.dated_in(r.submitted_on), key="self_report"),
    )


def _first_reports(ctx: MetricContext) -> Any:
    """Businesses with ``first_report_on``: their first self-inspection report of the period."""

    def build() -> Any:
        r = ctx.table("self_report")
        reports = r.filter(r.submitted_on.between(ibis.date(ctx.period.start), ibis.date(ctx.end)))
        return ctx.with_first(
            ctx.relation("business"),
            "id",
            reports,
            "business_id",
            "submitted_on",
            "first_report_on",
        )

    return ctx.derived("business_first_report", build, same_every_as_of=True)
