"""The factors of the performance assessment (绩效考核), each worked out per unit for one
window: from ``start`` (the month's first day) to ``as_of`` (its last day, or today within the
current month).

Each factor returns ``{unit_id: Tally}`` for the units with data; a unit absent from it has no
data for that factor (无数据, never 0). The task and meeting factors read the work plan
(``workplan``: tasks, milestones, meeting decisions) with its own rule of what is on time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from foodsafe.evidence.models import Evidence, ReviewStatus
from foodsafe.rectification.models import Rectification, State
from foodsafe.workdays.calendar import current_calendar
from foodsafe.workplan.models import Milestone, Task, TaskKind
from foodsafe.workplan.selectors import DueStatus, due_status


@dataclass(frozen=True)
class Tally:
    """``numerator`` of ``denominator`` (a rate factor), or ``numerator`` working days overdue
    over ``denominator`` items (the overdue factor)."""

    numerator: int
    denominator: int


Tallies = dict[int, Tally]


def _due_tallies(
    rows: Iterable[tuple[int, date | None, date | None]], as_of: date, *, done: set[str]
) -> Tallies:
    """Count ``(unit, due_on, done_on)`` rows by their status on ``as_of``
    (``workplan.selectors.due_status``): statuses in ``done`` count as met; a row still open
    (due on ``as_of`` itself and not done yet) is not judged yet and is left out."""
    out: dict[int, list[int]] = {}
    for unit, due_on, done_on in rows:
        status = due_status(due_on=due_on, done_on=done_on, on=as_of)
        if status == DueStatus.OPEN:
            continue
        tally = out.setdefault(unit, [0, 0])
        tally[0] += status in done
        tally[1] += 1
    return {unit: Tally(ok, n) for unit, (ok, n) in out.items()}


def tasks_on_time(units: Iterable[int], start: date, as_of: date) -> Tallies:
    """任务按期完成率: tasks (other than meeting decisions: 分工 of key tasks, the phases' work)
    and their milestones (节点) due from ``start`` to ``as_of``; met when done on or before the
    due day (实施方案 §四（二）1 "明确节点、倒排工期")."""
    ids = list(units)
    window = {"due_on__gte": start, "due_on__lte": as_of}
    tasks = (
        Task.objects.filter(owner_unit_id__in=ids, **window)
        .exclude(kind=TaskKind.DECISION)
        .values_list("owner_unit_id", "due_on", "done_on")
    )
    marks = (
        Milestone.objects.filter(task__owner_unit_id__in=ids, **window)
        .exclude(task__kind=TaskKind.DECISION)
        .values_list("task__owner_unit_id", "due_on", "done_on")
    )
    return _due_tallies([*tasks, *marks], as_of, done={DueStatus.DONE_ON_TIME})


def decisions_done(units: Iterable[int], start: date, as_of: date) -> Tallies:
    """会议议定事项完成率: meeting decisions (议定事项) due from ``start`` to ``as_of``, met
    when done by ``as_of``, late or not (实施方案 §四（一）2: followed up at the next meeting)."""
    rows = Task.objects.filter(
        kind=TaskKind.DECISION, owner_unit_id__in=list(units), due_on__gte=start, due_on__lte=as_of
    ).values_list("owner_unit_id", "due_on", "done_on")
    return _due_tallies(rows, as_of, done={DueStatus.DONE_ON_TIME, DueStatus.DONE_LATE})


def evidence_first_pass(units: Iterable[int], start: date, as_of: date) -> Tallies:
    """佐证材料一次通过率: evidence files whose first review (审核) fell from ``start`` to
    ``as_of``; passed first time when that first decision was 审核通过. A file rejected and
    later approved counts as not passed. Read from the evidence history (simple_history), so a
    withdrawn or replaced file's first decision still counts."""
    wanted = set(units)
    history = Evidence.history.model.objects.filter(  # type: ignore[attr-defined]
        status__in=(ReviewStatus.APPROVED, ReviewStatus.REJECTED),
        history_date__date__lte=as_of,
    )
    rows = (
        history.annotate(
            unit=Coalesce("assignment__responsible_unit_id", "rectification__owner_unit_id")
        )
        .values_list("id", "unit", "status", "history_date")
        .order_by("id", "history_date", "history_id")
    )
    first: dict[int, tuple[int, str, date]] = {}
    for evidence_id, unit, status, at in rows:
        if evidence_id not in first:
            first[evidence_id] = (unit, status, at.date())
    out: dict[int, list[int]] = {}
    for unit, status, day in first.values():
        if unit in wanted and start <= day <= as_of:
            tally = out.setdefault(unit, [0, 0])
            tally[0] += status == ReviewStatus.APPROVED
            tally[1] += 1
    return {unit: Tally(ok, n) for unit, (ok, n) in out.items()}


def rectifications_on_time(units: Iterable[int], start: date, as_of: date) -> Tallies:
    """整改按期销号率: items closed (销号) from ``start`` to ``as_of``; on time when closed on or
    before the deadline."""
    rows = (
        Rectification.objects.filter(
            owner_unit_id__in=list(units),
            state=State.CLOSED,
            closed_on__gte=start,
            closed_on__lte=as_of,
        )
        .values("owner_unit_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(closed_on__lte=F("deadline"))))
    )
    return {row["owner_unit_id"]: Tally(row["ok"], row["n"]) for row in rows}


def overdue_days(units: Iterable[int], start: date, as_of: date) -> Tallies:
    """整改逾期天数: on ``as_of``, the working days late (法定节假日不计, 调休上班日计入) summed
    over the unit's items past their deadline and not closed by then; ``denominator`` is the
    number of such items. A unit with no item registered by ``as_of`` has no data."""
    calendar = current_calendar()
    rows = Rectification.objects.filter(
        owner_unit_id__in=list(units), created_on__lte=as_of
    ).values_list("owner_unit_id", "deadline", "closed_on")
    out: dict[int, list[int]] = {}
    for unit, deadline, closed_on in rows:
        tally = out.setdefault(unit, [0, 0])
        still_open = closed_on is None or closed_on > as_of
        if still_open and deadline < as_of:
            tally[0] += calendar.workdays_between(deadline, as_of).days
            tally[1] += 1
    return {unit: Tally(days, n) for unit, (days, n) in out.items()}


def _latest(dates: Iterable[date | None]) -> date | None:
    return max((d for d in dates if d is not None), default=None)


def _latest_due(units: list[int], today: date, *, decisions: bool) -> date | None:
    tasks = Task.objects.filter(owner_unit_id__in=units, due_on__lte=today)
    marks = Milestone.objects.filter(task__owner_unit_id__in=units, due_on__lte=today)
    if decisions:
        tasks, marks = tasks.filter(kind=TaskKind.DECISION), marks.none()
    else:
        tasks = tasks.exclude(kind=TaskKind.DECISION)
        marks = marks.exclude(task__kind=TaskKind.DECISION)
    return _latest(
        [
            tasks.aggregate(d=Max("due_on"))["d"],
            marks.aggregate(d=Max("due_on"))["d"],
        ]
    )


def _latest_review(units: list[int], today: date) -> date | None:
    latest = Evidence.history.model.objects.filter(  # type: ignore[attr-defined]
        Q(assignment__responsible_unit_id__in=units) | Q(rectification__owner_unit_id__in=units),
        status__in=(ReviewStatus.APPROVED, ReviewStatus.REJECTED),
        history_date__date__lte=today,
    ).aggregate(d=Max("history_date"))["d"]
    return timezone.localdate(latest) if latest is not None else None


#: Per factor, the latest day up to ``today`` on which one of ``units`` has a row the factor
#: reads (a due day, a first review, a closing, a registered item): where the month with data
#: closest to today is looked for (the 绩效考核 page opens there, not on an empty month).
LATEST_DAY: dict[str, Callable[[list[int], date], date | None]] = {
    "tasks_on_time": lambda units, today: _latest_due(units, today, decisions=False),
    "decisions_done": lambda units, today: _latest_due(units, today, decisions=True),
    "evidence_first_pass": _latest_review,
    "rectifications_on_time": lambda units, today: Rectification.objects.filter(
        owner_unit_id__in=units, state=State.CLOSED, closed_on__lte=today
    ).aggregate(d=Max("closed_on"))["d"],
    "overdue_days": lambda units, today: (
        today
        if Rectification.objects.filter(owner_unit_id__in=units, created_on__lte=today).exists()
        else None
    ),
}


FACTORS: dict[str, Callable[[Iterable[int], date, date], Tallies]] = {
    "tasks_on_time": tasks_on_time,
    "evidence_first_pass": evidence_first_pass,
    "rectifications_on_time": rectifications_on_time,
    "overdue_days": overdue_days,
    "decisions_done": decisions_done,
}
