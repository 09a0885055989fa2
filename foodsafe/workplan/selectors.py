"""Workplan reads: a unit's tasks and milestones in a period with their status, a decision's
status, and the pages' timelines.

Status is derived from the dates on day ``on`` (never stored):

- ``done_on_time`` (按期完成): done, and on or before the deadline (or there is none);
- ``done_late`` (逾期完成): done after the deadline;
- ``overdue`` (已逾期): not done and the deadline is before ``on``;
- ``open`` (进行中): not done and not yet due (or no deadline set: 未定期限).

"On time" compares dates (完成日期 ≤ 完成期限); the days late are counted in Chinese working
days (:mod:`foodsafe.workdays.calendar`), as the rectification ledger counts them.

``tasks_for_unit`` and ``decisions_for_unit`` are what the performance assessment (绩效考核,
issue 17 point 6) reads for "tasks on time" and "meeting decisions done"; keep their names
and row shape stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from foodsafe.accounts.permissions import is_office, user_unit_id
from foodsafe.workdays.calendar import Calendar, current_calendar

from .models import Attendance, AttendanceStatus, Meeting, Milestone, Task, TaskKind


class DueStatus(models.TextChoices):
    DONE_ON_TIME = "done_on_time", _("按期完成")
    DONE_LATE = "done_late", _("逾期完成")
    OVERDUE = "overdue", _("已逾期")
    OPEN = "open", _("进行中")


def due_status(*, due_on: date | None, done_on: date | None, on: date) -> DueStatus:
    """The status of something due on ``due_on`` and done on ``done_on``, seen on day ``on``.

    Work done after ``on`` is not done yet as of ``on`` (so a month's assessment does not
    count a later completion).
    """
    if done_on is not None and done_on <= on:
        if due_on is None or done_on <= due_on:
            return DueStatus.DONE_ON_TIME
        return DueStatus.DONE_LATE
    if due_on is not None and due_on < on:
        return DueStatus.OVERDUE
    return DueStatus.OPEN


@dataclass(frozen=True)
class DueRow:
    """One deadline of a unit: a task's own deadline, or one milestone of a task.

    ``on_time``: True done on time, False done late or overdue, None still open (not yet due).
    ``working_days_late``: for done-late, working days from the deadline to the day done; for
    overdue, to ``on``; else 0.
    """

    task: Task
    milestone: Milestone | None
    due_on: date | None
    done_on: date | None
    status: DueStatus
    working_days_late: int

    @property
    def title(self) -> str:
        return self.milestone.title if self.milestone else self.task.title

    @property
    def on_time(self) -> bool | None:
        if self.status == DueStatus.DONE_ON_TIME:
            return True
        if self.status in (DueStatus.DONE_LATE, DueStatus.OVERDUE):
            return False
        return None


def due_row(task: Task, milestone: Milestone | None, on: date, calendar: Calendar) -> DueRow:
    due_on = milestone.due_on if milestone else task.due_on
    done_on = milestone.done_on if milestone else task.done_on
    status = due_status(due_on=due_on, done_on=done_on, on=on)
    late = 0
    if due_on is not None and status == DueStatus.DONE_LATE and done_on is not None:
        late = calendar.workdays_between(due_on, done_on).days
    elif due_on is not None and status == DueStatus.OVERDUE:
        late = calendar.workdays_between(due_on, on).days
    return DueRow(task, milestone, due_on, done_on, status, late)


def _unit_id(unit: Any) -> int:
    return int(getattr(unit, "pk", unit))


def tasks_for_unit(
    unit: Any,
    start: date,
    end: date,
    *,
    on: date | None = None,
    kind: str | None = None,
    calendar: Calendar | None = None,
) -> list[DueRow]:
    """The tasks of ``unit`` (a ResponsibleUnit or its id) due from ``start`` to ``end``
    inclusive, with their status as of ``on`` (default ``end``), ordered by deadline.

    Every kind counts (分工 of key tasks, phase work, meeting decisions) unless ``kind`` names
    one (``TaskKind``). Tasks without a deadline are not in any period. One query.
    """
    on = on or end
    calendar = calendar or current_calendar()
    rows = Task.objects.filter(owner_unit_id=_unit_id(unit), due_on__range=(start, end))
    if kind:
        rows = rows.filter(kind=kind)
    rows = rows.select_related("owner_unit", "person", "meeting").order_by("due_on", "id")
    return [due_row(task, None, on, calendar) for task in rows]


def milestones_for_unit(
    unit: Any, start: date, end: date, *, on: date | None = None, calendar: Calendar | None = None
) -> list[DueRow]:
    """The milestones (节点) of ``unit``'s tasks due from ``start`` to ``end`` inclusive, with
    their status as of ``on`` (default ``end``). One query."""
    on = on or end
    calendar = calendar or current_calendar()
    rows = (
        Milestone.objects.filter(task__owner_unit_id=_unit_id(unit), due_on__range=(start, end))
        .select_related("task", "task__owner_unit", "task__person")
        .order_by("due_on", "id")
    )
    return [due_row(m.task, m, on, calendar) for m in rows]


def decisions_for_unit(
    unit: Any, start: date, end: date, *, on: date | None = None, calendar: Calendar | None = None
) -> list[DueRow]:
    """The meeting decisions (会议议定事项) ``unit`` owns, due from ``start`` to ``end``."""
    return tasks_for_unit(unit, start, end, on=on, kind=TaskKind.DECISION, calendar=calendar)


def decision_status(decision: Task, *, on: date) -> DueStatus:
    """A meeting decision's status on ``on`` (a decision always has a deadline)."""
    return due_status(due_on=decision.due_on, done_on=decision.done_on, on=on)


def overdue_tasks(*, on: date) -> QuerySet[Task]:
    """Tasks not done whose deadline is before ``on``."""
    return Task.objects.filter(done_on__isnull=True, due_on__lt=on)


def overdue_milestones(*, on: date) -> QuerySet[Milestone]:
    """Milestones not done whose date is before ``on``."""
    return Milestone.objects.filter(done_on__isnull=True, due_on__lt=on)


# -- meetings ------------------------------------------------------------------------------


def meetings_visible(*, user: Any) -> QuerySet[Meeting]:
    """The meetings ``user`` may see: the office all; a member unit those it attended (出席 or
    委派代表) and those that gave it a decision; anyone else none."""
    if is_office(user):
        return Meeting.objects.all()
    unit_id = user_unit_id(user)
    if unit_id is None:
        return Meeting.objects.none()
    attended = Attendance.objects.filter(
        unit_id=unit_id, status__in=(AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)
    ).values("meeting_id")
    owns = Task.objects.filter(kind=TaskKind.DECISION, owner_unit_id=unit_id).values("meeting_id")
    return Meeting.objects.filter(Q(pk__in=attended) | Q(pk__in=owns))


def decisions_visible(*, user: Any) -> QuerySet[Task]:
    """Decisions ``user`` may see: the office all, a member unit its own."""
    rows = Task.objects.filter(kind=TaskKind.DECISION)
    if is_office(user):
        return rows
    unit_id = user_unit_id(user)
    return rows.filter(owner_unit_id=unit_id) if unit_id is not None else rows.none()


@dataclass(frozen=True)
class DecisionRow:
    decision: Task
    status: DueStatus
    #: status on the day of the meeting that follows it up (for earlier meetings' decisions)
    status_then: DueStatus | None = None


def open_decisions_before(*, user: Any, held_on: date, on: date) -> list[DecisionRow]:
    """Decisions of meetings held before ``held_on`` not done by then (督办跟进): what the
    meeting of ``held_on`` follows up, with their status then and on ``on`` (done since,
    still open, overdue). Scoped to what ``user`` may see."""
    rows = (
        decisions_visible(user=user)
        .filter(meeting__held_on__lt=held_on)
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=held_on))
        .select_related("meeting", "owner_unit", "person")
        .order_by("due_on", "meeting__held_on", "id")
    )
    return [DecisionRow(d, decision_status(d, on=on), decision_status(d, on=held_on)) for d in rows]


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    attendance: list[Attendance]
    decisions: list[DecisionRow]
    follow_up: list[DecisionRow]
    counts: dict[str, int]


def meeting_page(*, meeting: Meeting, user: Any, on: date) -> MeetingPage:
    """A meeting's page: attendance by unit, its decisions (a member unit only its own) with
    their status on ``on``, and the earlier meetings' decisions open at its date."""
    attendance = list(meeting.attendance.select_related("unit").order_by("unit__name"))
    counts = {s: 0 for s in AttendanceStatus.values}
    for row in attendance:
        counts[row.status] += 1
    decisions = [
        DecisionRow(d, decision_status(d, on=on))
        for d in decisions_visible(user=user)
        .filter(meeting=meeting)
        .select_related("owner_unit", "person")
        .order_by("due_on", "id")
    ]
    follow_up = open_decisions_before(user=user, held_on=meeting.held_on, on=on)
    return MeetingPage(meeting, attendance, decisions, follow_up, counts)
