"""Workforce metrics (监管专业化): professional share and training."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import ibis

from ..context import Measure, MetricContext
from ..registry import Fraction, metric


def _inspectors(ctx: MetricContext, s: Any, options: dict[str, Any]) -> Any:
    """Food-safety inspectors in post on the period's last day.

    ``options["agencies"]``: when given, only staff whose agency (所在单位) contains one of these
    words count — the seed's 从事食品安全监管人员 of 市场监管部门及其派出机构 (bureaus and their
    market-regulation offices), not every agency's inspectors. An [I] reading; see the spec.
    """
    end = ibis.date(ctx.end)
    condition = (
        s.is_food_inspector
        & (s.joined_on.isnull() | (s.joined_on <= end))
        & (s.left_on.isnull() | (s.left_on > end))
    )
    words = list(options.get("agencies") or [])
    if words:
        in_agency = s.agency.contains(words[0])
        for word in words[1:]:
            in_agency |= s.agency.contains(word)
        condition &= in_agency
    return condition


def _trainings_in_period(ctx: MetricContext) -> Any:
    """Training records dated in the whole period (whatever the as-of date)."""
    t = ctx.table("training")
    return t.filter(t.trained_on.between(ibis.date(ctx.period.start), ibis.date(ctx.end)))


def _first_trainings(ctx: MetricContext) -> Any:
    """Staff with ``first_trained_on``: their first training record of the period."""

    def build() -> Any:
        return ctx.with_first(
            ctx.relation("staff"),
            "id",
            _trainings_in_period(ctx),
            "staff_id",
            "trained_on",
            "first_trained_on",
        )

    return ctx.derived("staff_first_training", build, same_every_as_of=True)


@metric(
    "professional_staff_share",
    factor=100,
    numerator_unit_zh="人",
    numerator_unit_en="staff",
    ledger="staff",
    as_of_literal=True,
)
def professional_staff_share(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of food-safety inspectors with a professional background (专业化比例), %.

    Rule: 实施方案 第12条 "从事食品安全监管人员的专业化比例达到70%以上".
    Denominator: food-safety inspectors in post on the period's last day. Numerator: those
    marked as having a professional background. No training record of the period in the
    county and no zero report: 无数据 (``MetricContext.trainings_reported``).
    """
    s = ctx.relation("staff")
    staff = _inspectors(ctx, s, options)
    return Fraction(
        Measure(s, where=staff & s.is_professional),
        Measure(s, where=staff),
        reported=ctx.trainings_reported(),
    )


@metric(
    "training_coverage",
    factor=100,
    numerator_unit_zh="人",
    numerator_unit_en="staff",
    ledger="staff",
    as_of_literal=True,
)
def training_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Training coverage of food-safety inspectors (业务培训覆盖率), %.

    Rule: 实施方案 第12条 "食品安全监管人员业务培训覆盖率达到100%".
    Denominator: inspectors in post on the period's last day. Numerator: those with at least
    one training record dated in the period. No training record of the period in the county
    and no zero report: 无数据, not 0/N (``MetricContext.trainings_reported``).
    """
    s = _first_trainings(ctx)
    staff = _inspectors(ctx, s, options)
    # A record dated in the period up to the as-of date ⟺ the first in the period is by then.
    trained = s.first_trained_on <= ibis.date(ctx.as_of)
    return Fraction(
        Measure(s, where=staff & trained),
        Measure(s, where=staff),
        reported=ctx.trainings_reported(),
    )


@metric(
    "training_hours_compliance",
    factor=100,
    numerator_unit_zh="人",
    numerator_unit_en="staff",
    ledger="staff",
    as_of_literal=True,
)
def training_hours_compliance(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of inspectors trained at least 40 class hours a year (每人每年培训不低于40学时), %.

    Rule: 实施方案 第12条. The yearly minimum ``options["hours_per_year"]`` (40 学时) applies to
    a full year in post; it is pro-rated by months for a shorter period (10 in a quarter) and, with
    ``options["pro_rate"]`` ``"days_in_post"`` (an [I] reading: the plan says 每人每年), by the
    share of the period's days a person was in post: 40 × 31/365 ≈ 3.4 学时 in 2021 for someone
    who joined on 1 December.
    With ``pro_rate`` ``"period"`` only the period's months count (a late joiner needs the
    full 40 in a year, 20 in a half-year). With ``"none"`` nothing is pro-rated: everyone in
    post needs the full 40 class hours in the period, however short (不折算; in 2021S1, 40
    学时 by 30 June). Denominator: inspectors in post on the period's last day. Numerator: those
    whose class hours in the period reach their minimum.
    """
    per_year = Decimal(str(options.get("hours_per_year", 40)))
    pro_rate = options.get("pro_rate", "days_in_post")
    # 不折算 means what it says: no pro-rating by days in post nor by the period's months.
    months = 12 if pro_rate == "none" else ctx.period.months
    period_minimum = per_year * Decimal(months) / 12
    s = _hours_reached(ctx, period_minimum, pro_rate)
    staff = _inspectors(ctx, s, options)
    # Class hours are positive (a check constraint), so the hours in the period up to the
    # as-of date reach the minimum ⟺ they had reached it on a training day by then.
    enough = s.hours_reached_on <= ibis.date(ctx.as_of)
    return Fraction(
        Measure(s, where=staff & enough),
        Measure(s, where=staff),
        reported=ctx.trainings_reported(),
    )


def _hours_reached(ctx: MetricContext, period_minimum: Decimal, pro_rate: str) -> Any:
    """Staff with ``hours_reached_on``: the first day in the period on which their class hours
    since the period's start reach their minimum (NULL if they never do in the period).

    The minimum: ``period_minimum``, and with ``pro_rate`` ``"days_in_post"`` × days in post in
    the period ÷ days in the period: days from max(joined_on, start) to the period's end (staff
    who left are not in the denominator). Compared as hours × period_days ≥ minimum ×
    days_in_post, without a division in SQL.
    """

    def build() -> Any:
        # Built on the staff with their first training: one extension of the staff ledger,
        # so the staff metrics run in one query.
        s = _first_trainings(ctx)
        t = _trainings_in_period(ctx)
        # Hours so far on each record's day (a cumulative sum per person by date).
        so_far = t.select(
            staff_id=t.staff_id,
            trained_on=t.trained_on,
            hours=t.class_hours.cumsum(group_by=t.staff_id, order_by=t.trained_on),
        )
        start, end = ctx.period.start, ctx.period.end
        if pro_rate == "days_in_post":
            period_days = (end - start).days + 1
            j = s.joined_on
            first = ibis.ifelse(j.isnull() | (j < ibis.date(start)), ibis.date(start), j)
            days = (ibis.date(end) - first).cast("int64") + 1  # type: ignore[attr-defined]
            joined = s.select(person=s.id, days=days)
            rows = so_far.join(joined, so_far.staff_id == joined.person)
            # Class hours have one decimal; SQLite sums them as floats: allow for rounding error.
            reached = rows.filter(
                rows.hours * period_days >= rows.days * float(period_minimum) - 1e-6
            )
        else:
            reached = so_far.filter(so_far.hours >= float(period_minimum) - 1e-6)
        return ctx.with_first(s, "id", reached, "staff_id", "trained_on", "hours_reached_on")

    key = f"staff_hours_reached:{period_minimum}:{pro_rate}"
    return ctx.derived(key, build, same_every_as_of=True)
