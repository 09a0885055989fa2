"""Risk monitoring (风险监测, 实施方案 第3条): foodborne-disease sentinel reporting."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import ibis

from ..context import Measure, MetricContext, day_number
from ..registry import Fraction, metric


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _months_due(ctx: MetricContext, by_day: int) -> list[tuple[date, date]]:
    """(first day, report deadline) of the period's months whose report was due by the as-of
    date: a month's report is due on day ``by_day`` of the next month."""
    months = []
    first = ctx.period.start
    while first <= ctx.period.end:
        deadline = _next_month(first).replace(day=by_day)
        if deadline <= ctx.as_of:
            months.append((first, deadline))
        first = _next_month(first)
    return months


@metric(
    "sentinel_monthly_reporting_rate",
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="institutions",
    ledger="sentinel_institution",
)
def sentinel_monthly_reporting_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of the sentinel medical institutions that reported every month on time
    (食源性疾病监测医疗机构按月及时报送率), %.

    Rule: 实施方案 第3条 "食源性疾病监测医疗机构及时报送食源性疾病事件和病例". A month's report
    (a zero report counts) is due on day ``options["report_by_day"]`` of the next month (the
    spec's reading). The months: those of the period whose report was due by the as-of date
    (none: 无数据). Denominator: institutions in the subtree designated for all those months
    (确定 on or before the first, not withdrawn by the last day). Numerator: those that
    reported each of them by its due day. No institution at all in the county: 无数据.
    """
    months = _months_due(ctx, int(options.get("report_by_day", 10)))
    if not months:
        return Fraction(0, 0)
    first, last = months[0][0], _next_month(months[-1][0]) - timedelta(days=1)

    def build() -> Any:
        r = ctx.table("sentinel_report")
        on_time = None
        for month, deadline in months:
            this = (r.month == ibis.date(month)) & (r.reported_on <= ibis.date(deadline))
            on_time = this if on_time is None else on_time | this
        due = r.filter(on_time)
        counts = due.group_by(_inst=due.institution_id).aggregate(
            months_reported=due.month.nunique()
        )
        s = ctx.relation("sentinel_institution")
        joined = s.left_join(counts, s.id == counts._inst)
        return joined.select(*s.columns, "months_reported")

    s = ctx.derived(f"sentinel_months:{months}", build)
    designated = (s.designated_on.isnull() | (s.designated_on <= ibis.date(first))) & (
        s.withdrawn_on.isnull() | (s.withdrawn_on > ibis.date(last))
    )
    every_month = s.months_reported.notnull() & (s.months_reported >= len(months))
    return Fraction(Measure(s, where=designated & every_month), Measure(s, where=designated))


@metric(
    "disease_event_timely_rate",
    factor=100,
    numerator_unit_zh="起",
    numerator_unit_en="events",
    ledger="disease_event",
    as_of_literal=True,
)
def disease_event_timely_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of foodborne-disease events reported within the time limit (食源性疾病事件及时
    报告率), %.

    Rule: 实施方案 第3条 "及时报送食源性疾病事件"; the time limit is configuration:
    ``options["report_within_days"]`` calendar days after the day the event was found (the
    spec's reading). Denominator: events in the subtree found in the period up to the as-of
    date. Numerator: those reported within the limit, by the as-of date. No event row at all
    in the county: 无数据 (none in the period: also 无数据, nothing to be timely about).
    """
    within = int(options.get("report_within_days", 1))
    t = ctx.relation("disease_event")
    found = ctx.in_period(t.found_on)
    timely = ctx.done_by_as_of(t.reported_on) & (
        day_number(t.reported_on) <= day_number(t.found_on) + within
    )
    return Fraction(Measure(t, where=found & timely), Measure(t, where=found))
