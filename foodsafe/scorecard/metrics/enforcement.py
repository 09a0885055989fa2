"""Enforcement metrics (执法办案): case filing and closing rates."""

from __future__ import annotations

from typing import Any

from ..context import Measure, MetricContext
from ..registry import Fraction, metric


@metric(
    "case_filing_rate", factor=100, numerator_unit_zh="件", numerator_unit_en="cases", ledger="case"
)
def case_filing_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Filing rate of food-safety violation cases (立案率), %.

    Rule: 实施方案 第7条 "食品安全违法案件立案率和办结率达到100%"; RULES.md §1.6 立案 ÷ 应立案线索.
    Denominator: leads received in the period in the subtree that meet the filing criteria
    (应立案). Numerator: those filed by the as-of date.
    """
    t = ctx.relation("case")
    leads = ctx.in_period(t.lead_received_on) & t.should_file
    return Fraction(
        Measure(t, where=leads & ctx.done_by_as_of(t.filed_on)), Measure(t, where=leads)
    )


@metric(
    "case_closing_rate",
    factor=100,
    numerator_unit_zh="件",
    numerator_unit_en="cases",
    ledger="case",
)
def case_closing_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Closing rate of food-safety violation cases (办结率), %.

    Rule: 实施方案 第7条; RULES.md §1.6 办结 ÷ 立案. Denominator: cases filed in the period in the
    subtree. Numerator: those closed (办结) by the as-of date.
    """
    t = ctx.relation("case")
    filed = ctx.in_period(t.filed_on)
    return Fraction(
        Measure(t, where=filed & ctx.done_by_as_of(t.closed_on)), Measure(t, where=filed)
    )
