"""Reads for the workplan pages: the timeline (时间轴) of one unit or the district, a task's
page, the people list. Scoping and the masking of phones are decided here, once.

Who sees what: the office (创城办) and reviewers every unit's tasks; a member unit its own
only (another unit's task is a 404). A responsible person's phone is shown whole only to
users of that person's own unit; everyone else sees it masked (《个人信息保护法》: the
office reaches a unit through its users and its own pages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from foodsafe.accounts.permissions import is_member_unit, scope_to_unit, user_unit_id
from foodsafe.lib.masking import mask_phone
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.models import ItemAssignment
from foodsafe.workdays.calendar import Calendar, current_calendar

from .models import Milestone, Person, Task, TaskKind
from .selectors import DueRow, DueStatus, due_row


def phone_for(person: Person | None, user: Any) -> str:
    """The person's phone as ``user`` may see it: whole for the person's own unit, masked for
    everyone else (138****5678)."""
    if person is None or not person.phone:
        return ""
    if user_unit_id(user) == person.unit_id:
        return person.phone
    return mask_phone(person.phone)


def visible_tasks(*, user: Any) -> QuerySet[Task]:
    return scope_to_unit(Task.objects.all(), user, "owner_unit")


def task_or_404(*, user: Any, pk: int) -> Task:
    task = (
        visible_tasks(user=user)
        .select_related("owner_unit", "person", "meeting", "assignment__item")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


@dataclass
class TimelineTask:
    row: DueRow
    phone: str
    milestones: list[DueRow] = field(default_factory=list)

    @property
    def task(self) -> Task:
        return self.row.task

    @property
    def milestones_done(self) -> int:
        return sum(m.done_on is not None for m in self.milestones)


@dataclass
class TimelineMonth:
    label: str
    key: str
    tasks: list[TimelineTask]


@dataclass
class UnitSummary:
    unit: ResponsibleUnit
    total: int = 0
    done: int = 0
    overdue: int = 0
    milestones_overdue: int = 0
    without_person: int = 0


@dataclass
class Timeline:
    on: date
    unit: ResponsibleUnit | None
    months: list[TimelineMonth]
    summaries: list[UnitSummary]
    counts: dict[str, int]
    #: the unit's key-task shares that have no task yet (责任人 and nodes not set)
    unplanned: list[ItemAssignment]
    units: list[ResponsibleUnit]
    kind: str
    status: str


def _month_key(day: date | None) -> tuple[str, str]:
    if day is None:
        return "none", "未定期限"
    return f"{day:%Y-%m}", f"{day.year}年{day.month}月"


def _rows(tasks: Iterable[Task], user: Any, on: date, calendar: Calendar) -> list[TimelineTask]:
    out = []
    for task in tasks:
        out.append(
            TimelineTask(
                row=due_row(task, None, on, calendar),
                phone=phone_for(task.person, user),
                milestones=[due_row(task, m, on, calendar) for m in task.milestones.all()],
            )
        )
    return out


def timeline(
    *, user: Any, on: date, unit_code: str = "", kind: str = "", status: str = ""
) -> Timeline:
    """The tasks ``user`` may see by month of their deadline, with their milestones and
    status on ``on``; a member unit always sees its own unit, the office and reviewers the
    district or one unit (``unit_code``). ``kind`` and ``status`` filter. Four queries."""
    calendar = current_calendar()
    tasks = visible_tasks(user=user)
    unit: ResponsibleUnit | None = None
    if is_member_unit(user):
        unit = ResponsibleUnit.objects.filter(pk=user_unit_id(user) or 0).first()
    elif unit_code:
        unit = ResponsibleUnit.objects.filter(code=unit_code).first()
        if unit is None:
            raise Http404
        tasks = tasks.filter(owner_unit=unit)
    if kind in TaskKind.values:
        tasks = tasks.filter(kind=kind)
    tasks = (
        tasks.select_related("owner_unit", "person", "meeting")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id"))
        )
        .order_by("due_on", "owner_unit__name", "id")
    )
    rows = _rows(tasks, user, on, calendar)
    counts = {s: 0 for s in DueStatus.values}
    summaries: dict[int, UnitSummary] = {}
    for r in rows:
        counts[r.row.status] += 1
        s = summaries.setdefault(r.task.owner_unit_id, UnitSummary(r.task.owner_unit))
        s.total += 1
        s.done += r.task.done_on is not None and r.task.done_on <= on
        s.overdue += r.row.status == DueStatus.OVERDUE
        s.milestones_overdue += sum(m.status == DueStatus.OVERDUE for m in r.milestones)
        s.without_person += r.task.person_id is None
    if status in DueStatus.values:
        rows = [
            r
            for r in rows
            if r.row.status == status or any(m.status == status for m in r.milestones)
        ]
    months: dict[str, TimelineMonth] = {}
    for r in rows:
        key, label = _month_key(r.row.due_on)
        months.setdefault(key, TimelineMonth(label, key, [])).tasks.append(r)
    ordered = sorted(months.values(), key=lambda m: (m.key == "none", m.key))
    unplanned: list[ItemAssignment] = []
    if unit is not None and kind in ("", TaskKind.ASSIGNMENT):
        unplanned = list(
            ItemAssignment.objects.filter(responsible_unit=unit, workplan_task__isnull=True)
            .select_related("item")
            .order_by("item__number")
        )
    units = [] if is_member_unit(user) else list(ResponsibleUnit.objects.order_by("name"))
    return Timeline(
        on=on,
        unit=unit,
        months=ordered,
        summaries=sorted(summaries.values(), key=lambda s: (-s.overdue, s.unit.name)),
        counts=counts,
        unplanned=unplanned,
        units=units,
        kind=kind,
        status=status,
    )


@dataclass
class TaskPage:
    task: Task
    row: DueRow
    phone: str
    milestones: list[DueRow]
    people: list[Person]


def task_page(*, task: Task, user: Any, on: date) -> TaskPage:
    calendar = current_calendar()
    milestones = [due_row(task, m, on, calendar) for m in task.milestones.order_by("due_on", "id")]
    people = list(Person.objects.filter(unit_id=task.owner_unit_id, active=True).order_by("name"))
    return TaskPage(
        task, due_row(task, None, on, calendar), phone_for(task.person, user), milestones, people
    )


@dataclass
class PersonRow:
    person: Person
    phone: str
    open_tasks: int


def people_rows(*, user: Any, unit: ResponsibleUnit | None) -> list[PersonRow]:
    """The responsible people ``user`` may see (a member unit its own; the office every unit
    or ``unit``), with their phone as ``user`` may see it and their open tasks."""
    rows = scope_to_unit(Person.objects.all(), user, "unit").select_related("unit", "user")
    if unit is not None:
        rows = rows.filter(unit=unit)
    rows = rows.annotate(open_tasks=Count("tasks", filter=Q(tasks__done_on__isnull=True)))
    return [
        PersonRow(p, phone_for(p, user), p.open_tasks)  # type: ignore[attr-defined]
        for p in rows.order_by("unit__name", "name")
    ]
