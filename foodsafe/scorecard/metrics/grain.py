"""Grain metrics (粮食质量): stored-grain monitoring coverage and problem disposal."""

from __future__ import annotations

from typing import Any

from ..context import MetricContext
from ..registry import Fraction, metric


def _stocks(ctx: MetricContext) -> Any:
    s = ctx.table("grain_stock")
    return s.filter(ctx.in_scope(s.org_unit_code), s.year == ctx.period.year)


def _monitorings(ctx: MetricContext) -> Any:
    m = ctx.table("grain_monitoring")
    stocks = _stocks(ctx)
    return m.filter(ctx.in_period(m.sampled_on), m.stock_id.isin(stocks.id))


@metric("grain_monitoring_coverage", factor=100, numerator_unit_zh="吨", numerator_unit_en="tonnes")
def grain_monitoring_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Stored-grain quality monitoring coverage by quantity (库存粮食质量监测覆盖比例), %.

    Rule: 实施方案 第4条 "库存粮食质量监测覆盖比例不低于库存数量的25%" — by quantity, not by
    number of depots (RULES.md §1.6, §6.2). Denominator: tonnes in stock in the subtree for the
    period's year. Numerator: tonnes represented by monitoring tests sampled in the period on
    those stocks.
    """
    return Fraction(_monitorings(ctx).monitored_tonnes.sum(), _stocks(ctx).stock_tonnes.sum())


@metric(
    "grain_problem_disposal_rate",
    factor=100,
    numerator_unit_zh="个问题",
    numerator_unit_en="problems",
)
def grain_problem_disposal_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Disposal rate of problems found by stored-grain monitoring (监测发现问题处置率), %.

    Rule: 实施方案 第4条 "库存粮食监测发现问题处置率达到100%". Denominator: monitoring tests in
    the period that found a problem. Numerator: those whose disposal was completed by the
    as-of date.
    """
    m = _monitorings(ctx)
    problems = m.filter(m.problem_found)
    return Fraction(
        problems.filter(ctx.done_by_as_of(problems.problem_handled_on)).count(), problems.count()
    )
