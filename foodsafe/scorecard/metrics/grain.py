"""Grain metrics (粮食质量): stored-grain monitoring coverage and problem disposal."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import UNIT_COLUMN, Measure, MetricContext
from ..registry import Fraction, metric


def _monitorings(ctx: MetricContext) -> Any:
    """Monitoring tests with their stock's org unit and year."""

    def build() -> Any:
        m = ctx.table("grain_monitoring")
        s = ctx.table("grain_stock")
        return m.join(s, m.stock_id == s.id).select(
            sampled_on=m.sampled_on,
            monitored_tonnes=m.monitored_tonnes,
            problem_found=m.problem_found,
            problem_handled_on=m.problem_handled_on,
            stock_year=s.year,
            **{UNIT_COLUMN: s.org_unit_code},
        )

    return ctx.derived("grain_monitorings", build, same_every_as_of=True)


def _monitored_tonnes(ctx: MetricContext) -> Any:
    """One row per monitoring test in the period of a stock of the period's year, with the
    tonnes it adds to its stock's monitored quantity: ``counted``.

    However many tests a stock had, its tonnage counts at most once: the quantities its tests
    represented (different lots add up), capped at the stock itself — two tests of the same
    1,000 t stock, each representing all of it, are 1,000 t, not 2,000 t. A test adds
    min(tested so far, stock) − min(tested before it, stock), "so far" in date order: the
    tests of a stock up to any day then add up to min(tested by that day, stock), so the
    monitored tonnes by the as-of date are a sum over the tests dated by then (one running
    total for a year of month ends, ``scorecard/months.py``), whatever the as-of date.
    """

    def build() -> Any:
        m = ctx.table("grain_monitoring")
        s = ctx.table("grain_stock")
        tests = m.filter(m.sampled_on.between(ibis.date(ctx.period.start), ibis.date(ctx.end)))
        joined = tests.join(s, tests.stock_id == s.id)
        rows = joined.filter(joined.year == ctx.period.year)
        so_far = rows.monitored_tonnes.cumsum(group_by=rows.stock_id, order_by=rows.sampled_on)
        before = so_far - rows.monitored_tonnes
        return rows.select(
            sampled_on=rows.sampled_on,
            counted=ibis.least(so_far, rows.stock_tonnes) - ibis.least(before, rows.stock_tonnes),
            **{UNIT_COLUMN: rows.org_unit_code},
        )

    return ctx.derived("grain_monitored_tonnes", build, same_every_as_of=True)


@metric(
    "grain_monitoring_coverage",
    factor=100,
    numerator_unit_zh="吨",
    numerator_unit_en="tonnes",
    ledger="grain_stock",
    as_of_literal=True,
)
def grain_monitoring_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Stored-grain quality monitoring coverage by quantity (库存粮食质量监测覆盖比例), %.

    Rule: 实施方案 第4条 "库存粮食质量监测覆盖比例不低于库存数量的25%" — by quantity, not by
    number of depots (RULES.md §1.6, §6.2). Denominator: tonnes in stock in the subtree for the
    period's year. Numerator: each of those stocks monitored in the period counted at most once:
    the tonnes its tests in the period represented, capped at the stock (RULES.md §6.2 [I]:
    "Coverage = sampled t ÷ stock t" is a share of the stock, so it cannot pass 100 %).
    """
    s = ctx.relation("grain_stock")
    tests = _monitored_tonnes(ctx)
    return Fraction(
        Measure(tests, "sum", tests.sampled_on <= ibis.date(ctx.as_of), "counted"),
        Measure(s, "sum", s.year == ctx.period.year, "stock_tonnes"),
    )


@metric(
    "grain_problem_disposal_rate",
    factor=100,
    numerator_unit_zh="个问题",
    numerator_unit_en="problems",
    ledger="grain_stock",
    as_of_literal=True,
)
def grain_problem_disposal_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Disposal rate of problems found by stored-grain monitoring (监测发现问题处置率), %.

    Rule: 实施方案 第4条 "库存粮食监测发现问题处置率达到100%". Denominator: monitoring tests in
    the period, on stocks of the period's year, that found a problem. Numerator: those whose
    disposal was completed by the as-of date.
    """
    m = _monitorings(ctx)
    problems = ctx.in_period(m.sampled_on) & (m.stock_year == ctx.period.year) & m.problem_found
    handled = problems & ctx.done_by_as_of(m.problem_handled_on)
    return Fraction(Measure(m, where=handled), Measure(m, where=problems))
