"""Reads for 信息报送 (plan 五（三）): periods and due dates of a schedule, each unit's status
per period (on time, late, missing), and what a user may see.

Due dates count Chinese working days (``workdays.calendar``): a monthly schedule due on the 5th
working day gives, for September 2021, 13 October 2021 (1–7 October is the National Day holiday,
Saturday 9 October a make-up working day). On time means the unit's first report of the period
was sent on or before the due date; late, after it; missing, none yet and the due date passed.
A period whose due date came before the schedule was set up (its 创建 day: a schedule entered
today may start in the past) is not assessed (不考核) when nothing was sent, and a report sent
for it is on time: a unit cannot be late for a duty announced after the due day.

The office and reviewers see every unit; a member unit only its own (another unit's report is
a 404); inspectors and users without a role nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Min, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foodsafe.accounts.permissions import (
    is_member_unit,
    is_office,
    is_reviewer,
    scope_to_unit,
    user_unit,
    user_unit_id,
)
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.workdays.calendar import Calendar, current_calendar

from .models import Bulletin, Frequency, InfoReport, ReportSchedule

#: How many past periods the status tables and the supervision page look back over.
LOOKBACK_PERIODS = 12


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def period_containing(frequency: str, day: date) -> Period:
    """The month (``2021年9月``) or quarter (``2021年第3季度``) containing ``day``."""
    if frequency == Frequency.QUARTERLY:
        quarter = (day.month - 1) // 3
        start = date(day.year, 3 * quarter + 1, 1)
        end = _month_end(date(day.year, 3 * quarter + 3, 1))
        return Period(start, end, f"{day.year}年第{quarter + 1}季度")
    start = day.replace(day=1)
    return Period(start, _month_end(start), f"{day.year}年{day.month}月")


def due_on(schedule: ReportSchedule, period: Period, calendar: Calendar | None = None) -> date:
    """The ``due_workday``-th working day after the period's last day (次月第 N 个工作日)."""
    calendar = calendar or current_calendar(max_age=5.0)
    return calendar.add_workdays(period.end, schedule.due_workday).date


def schedule_periods(schedule: ReportSchedule, *, through: date) -> list[Period]:
    """The schedule's periods from the one containing ``starts_on`` to the one containing
    ``through`` (or ``ends_on`` when earlier), oldest first."""
    last = min(through, schedule.ends_on) if schedule.ends_on else through
    out: list[Period] = []
    period = period_containing(schedule.frequency, schedule.starts_on)
    while period.start <= last:
        out.append(period)
        period = period_containing(schedule.frequency, period.end + timedelta(days=1))
    return out


def period_or_none(schedule: ReportSchedule, start: date, *, today: date) -> Period | None:
    """The schedule's period starting on ``start``, if it is one and has begun by ``today``."""
    for period in schedule_periods(schedule, through=today):
        if period.start == start:
            return period
    return None


def reporting_units(user: Any) -> QuerySet[ResponsibleUnit]:
    """The units that report (every non-collective unit) that ``user`` may see."""
    rows = ResponsibleUnit.objects.filter(is_collective=False).order_by("name")
    if is_office(user) or is_reviewer(user):
        return rows
    if is_member_unit(user):
        unit = user_unit(user)
        return rows.filter(pk=unit.pk) if unit is not None else rows.none()
    return rows.none()


STATUS_LABELS = {
    "on_time": _("按时报送"),
    "late": _("迟报"),
    "missing": _("逾期未报"),
    "open": _("未到截止日"),
    "exempt": _("不考核（安排设立前已到期）"),
}


@dataclass
class ReportStatus:
    """One unit's report for one period of a schedule, as of a day."""

    schedule: ReportSchedule
    period: Period
    unit: ResponsibleUnit
    due: date
    first_sent: date | None
    # "on_time" | "late" | "missing" | "open" (not due yet, none sent) | "exempt" (due before
    # the schedule was set up, none sent)
    status: str
    working_days_late: int

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def report_statuses(
    *,
    user: Any,
    on: date,
    schedules: list[ReportSchedule] | None = None,
    units: list[ResponsibleUnit] | None = None,
) -> list[ReportStatus]:
    """Each reporting unit ``user`` may see (or ``units``, for the scheduler) × each of the
    last 12 periods (begun by ``on``) of each active schedule: its status on ``on``. Three
    queries whatever the number of units."""
    calendar = current_calendar(max_age=5.0)
    if schedules is None:
        schedules = list(ReportSchedule.objects.filter(active=True, starts_on__lte=on))
    if not schedules:
        return []
    units = list(reporting_units(user)) if units is None else units
    if not units:
        return []
    first: dict[tuple[int, date, int], date] = {}
    rows = (
        InfoReport.objects.filter(schedule__in=schedules, responsible_unit__in=units)
        .values("schedule_id", "period_start", "responsible_unit_id")
        .annotate(first=Min("submitted_at"))
    )
    for row in rows:
        key = (row["schedule_id"], row["period_start"], row["responsible_unit_id"])
        first[key] = timezone.localdate(row["first"])
    out = []
    for schedule in schedules:
        set_up = timezone.localdate(schedule.created_at)
        for period in schedule_periods(schedule, through=on)[-LOOKBACK_PERIODS:]:
            due = due_on(schedule, period, calendar)
            # Due before the schedule existed: nobody could have known the duty (实施方案
            # 五（三）"按照时间要求" presumes the requirement was set beforehand).
            announced_late = due < set_up
            for unit in units:
                sent = first.get((schedule.pk, period.start, unit.pk))
                if sent is not None:
                    on_time = sent <= due or announced_late
                    status = "on_time" if on_time else "late"
                    late = 0 if on_time else calendar.workdays_between(due, sent).days
                elif announced_late:
                    status, late = "exempt", 0
                elif on > due:
                    status, late = "missing", calendar.workdays_between(due, on).days
                else:
                    status, late = "open", 0
                out.append(ReportStatus(schedule, period, unit, due, sent, status, late))
    return out


def overdue_reports(*, user: Any, on: date) -> dict[str, list[ReportStatus]]:
    """For 逾期督办: the late and missing reports ``user`` may see, by unit name (units with
    most missing first, then by name)."""
    grouped: dict[str, list[ReportStatus]] = defaultdict(list)
    for row in report_statuses(user=user, on=on):
        if row.status in ("late", "missing"):
            grouped[row.unit.name].append(row)
    ordered = sorted(
        grouped.items(), key=lambda kv: (-sum(r.status == "missing" for r in kv[1]), kv[0])
    )
    return dict(ordered)


def visible_reports(user: Any) -> QuerySet[InfoReport]:
    return scope_to_unit(
        InfoReport.objects.select_related("schedule", "responsible_unit", "submitted_by"),
        user,
        "responsible_unit",
    ).prefetch_related("attachments")


def report_get_or_404(*, user: Any, pk: int) -> InfoReport:
    report = visible_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def bulletins() -> QuerySet[Bulletin]:
    return Bulletin.objects.all()


def bulletin_items(bulletin: Bulletin) -> list[InfoReport]:
    """The bulletin's reports in its order."""
    return [
        item.report
        for item in bulletin.items.select_related(
            "report__responsible_unit", "report__schedule"
        ).order_by("position")
    ]


def next_bulletin_number(year: int) -> int:
    """期号: one more than the year's last issue (1 for the year's first)."""
    last = Bulletin.objects.filter(year=year).order_by("-number").values_list("number", flat=True)
    return (last.first() or 0) + 1


def may_report(user: Any) -> bool:
    """A member unit as a whole (not a 街道 user: the unit's reports are one, N7)."""
    return user_unit_id(user) is not None


def may_manage(user: Any) -> bool:
    return is_office(user)
