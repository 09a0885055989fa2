"""Risk monitoring (风险监测, 实施方案 第3条): foodborne-disease sentinel reporting."""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis

from ..context import UNIT_COLUMN, Measure, MetricContext, day_number
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
    reported each of them by its due day. No institution at all in the county: 无数据; nor
    is there data when the county has no monthly report for a month of the period (2026 with
    reports to 2021) and no zero report: 无数据, not 0/3 未达标.
    """
    by_day = int(options.get("report_by_day", 10))
    if not _months_due(ctx, by_day):
        return Fraction(0, 0)
    s = ctx.derived(
        f"sentinel_deadlines:{by_day}",
        lambda: _sentinel_deadlines(ctx, by_day),
        same_every_as_of=True,
    )
    # "Designated for every month due by the as-of date" and "reported each of them on time"
    # as deadlines compared with the day: withdrawn in a month whose report is due by then, or
    # a month missed whose report is due by then, leaves the institution out. The relation is
    # free of the as-of date, so a year of month ends is one query of it.
    day = ibis.date(ctx.as_of)
    designated = (s.designated_on.isnull() | (s.designated_on <= ibis.date(ctx.period.start))) & (
        s.withdrawn_due.isnull() | (s.withdrawn_due > day)
    )
    every_month = s.missed_due.isnull() | (s.missed_due > day)
    r = ctx.derived("sentinel_reports_with_unit", lambda: _reports(ctx), same_every_as_of=True)
    return Fraction(
        Measure(s, where=designated & every_month),
        Measure(s, where=designated),
        reported=ctx.rows_between(r, ctx.dated_in(r.month), key="sentinel_report"),
    )


def _reports(ctx: MetricContext) -> Any:
    """The monthly case reports with their institution's org unit."""
    r = ctx.table("sentinel_report")
    s = ctx.table("sentinel_institution")
    return r.join(s, r.institution_id == s.id).select(
        month=r.month, **{UNIT_COLUMN: s.org_unit_code}
    )


def _sentinel_deadlines(ctx: MetricContext, by_day: int) -> Any:
    """The sentinel institutions with ``missed_due``: the report deadline of the period's
    first month without a report by its deadline (NULL: every month of the period reported on
    time); and ``withdrawn_due``: the report deadline of the period's month in which the
    institution was withdrawn (the period's first day if withdrawn before it; NULL if never or
    after the period). Months due by a day are those whose deadline is on or before it, so
    "every month due reported" is ``missed_due`` after it, and "designated through the last
    month due" (not withdrawn by that month's last day) is ``withdrawn_due`` after it."""
    months: list[tuple[date, date]] = []
    first = ctx.period.start
    while first <= ctx.period.end:
        months.append((first, _next_month(first).replace(day=by_day)))
        first = _next_month(first)
    r = ctx.table("sentinel_report")
    on_time = r.aggregate(
        by=[r.institution_id],
        **{
            f"_ok{k}": ((r.month == ibis.date(month)) & (r.reported_on <= ibis.date(due))).any()
            for k, (month, due) in enumerate(months)
        },
    ).rename(_inst="institution_id")
    s = ctx.relation("sentinel_institution")
    joined = s.left_join(on_time, s.id == on_time._inst)
    # No report row at all (no match: NULL) is a month missed like a month without an on-time one.
    missed_due = ibis.cases(
        *(
            (~joined[f"_ok{k}"].fill_null(False), ibis.date(due))
            for k, (_, due) in enumerate(months)
        ),
        else_=ibis.null("date"),
    )
    w = joined.withdrawn_on
    withdrawn_due = ibis.cases(
        (w < ibis.date(ctx.period.start), ibis.date(ctx.period.start)),
        *((w < ibis.date(_next_month(month)), ibis.date(due)) for month, due in months),
        else_=ibis.null("date"),
    )
    return joined.select(*s.columns, missed_due=missed_due, withdrawn_due=withdrawn_due)


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
