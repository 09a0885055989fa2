"""Workforce metrics (监管专业化): professional share and training."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import ibis

from ..context import Measure, MetricContext
from ..registry import Fraction, metric


def _inspectors(ctx: MetricContext, s: Any) -> Any:
    """Food-safety inspectors in post on the period's last day."""
    end = ibis.date(ctx.end)
    return (
        s.is_food_inspector
        & (s.joined_on.isnull() | (s.joined_on <= end))
        & (s.left_on.isnull() | (s.left_on > end))
    )


def _trainings_in_period(ctx: MetricContext) -> Any:
    t = ctx.table("training")
    return t.filter(ctx.in_period(t.trained_on))


@metric(
    "professional_staff_share",
    factor=100,
    numerator_unit_zh="人",
    numerator_unit_en="staff",
    ledger="staff",
)
def professional_staff_share(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of food-safety inspectors with a professional background (专业化比例), %.

    Rule: 实施方案 第12条 "从事食品安全监管人员的专业化比例达到70%以上".
    Denominator: food-safety inspectors in post on the period's last day. Numerator: those
    marked as having a professional background.
    """
    s = ctx.relation("staff")
    staff = _inspectors(ctx, s)
    return Fraction(Measure(s, where=staff & s.is_professional), Measure(s, where=staff))


@metric(
    "training_coverage",
    factor=100,
    numerator_unit_zh="人",
    numerator_unit_en="staff",
    ledger="staff",
)
def training_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Training coverage of food-safety inspectors (业务培训覆盖率), %.

    Rule: 实施方案 第12条 "食品安全监管人员业务培训覆盖率达到100%".
    Denominator: inspectors in post on the period's last day. Numerator: those with at least
    one training record dated in the period.
    """
    s = ctx.relation("staff")
    staff = _inspectors(ctx, s)
    trained = s.id.isin(_trainings_in_period(ctx).staff_id)
    return Fraction(Measure(s, where=staff & trained), Measure(s, where=staff))


@metric(
    "training_hours_compliance",
    factor=100,
    numerator_unit_zh="人",
    numerator_unit_en="staff",
    ledger="staff",
)
def training_hours_compliance(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of inspectors trained at least 40 class hours a year (每人每年培训不低于40学时), %.

    Rule: 实施方案 第12条. The yearly minimum ``options["hours_per_year"]`` (40 学时) is
    pro-rated by months for a shorter period (10 学时 in a quarter). Denominator: inspectors in
    post on the period's last day. Numerator: those whose class hours in the period reach it.
    """
    minimum = Decimal(str(options.get("hours_per_year", 40))) * Decimal(ctx.period.months) / 12
    s = ctx.relation("staff")
    staff = _inspectors(ctx, s)
    t = _trainings_in_period(ctx)
    hours = t.group_by(t.staff_id).aggregate(hours=t.class_hours.sum())
    # Class hours have one decimal; SQLite sums them as floats, so allow for rounding error.
    enough_ids = hours.filter(hours.hours >= float(minimum) - 1e-6).staff_id
    return Fraction(Measure(s, where=staff & s.id.isin(enough_ids)), Measure(s, where=staff))
