"""The factors of the performance assessment (绩效考核), each worked out per unit for one
window: from ``start`` (the month's first day) to ``as_of`` (its last day, or today within the
current month).

Each factor returns ``{unit_id: Tally}`` for the units with data; a unit absent from it has no
data for that factor (无数据, never 0). The task and meeting factors read the work-plan tables
(``workplan.Task``, ``workplan.Milestone``) by their app label through the app registry, so that
until those tables exist in this installation they have no data rather than failing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from foodsafe.evidence.models import Evidence, ReviewStatus
from foodsafe.rectification.models import Rectification, State
from foodsafe.workdays.calendar import current_calendar


@dataclass(frozen=True)
class Tally:
    """``numerator`` of ``denominator`` (a rate factor), or ``numerator`` working days overdue
    over ``denominator`` items (the overdue factor)."""

    numerator: int
    denominator: int


Tallies = dict[int, Tally]


def _workplan_model(name: str) -> Any:
    """The work-plan model ``name`` if that app is installed, else ``None`` (no data)."""
    try:
        return apps.get_model("workplan", name)
    except LookupError:
        return None


def tasks_on_time(units: Iterable[int], start: date, as_of: date) -> Tallies:
    """任务按期完成率: tasks (other than meeting decisions) and their milestones (节点) due from
    ``start`` to ``as_of``; on time when done on or before the due day (实施方案 §四（二）1
    "明确节点、倒排工期")."""
    task, milestone = _workplan_model("Task"), _workplan_model("Milestone")
    if task is None or milestone is None:
        return {}
    on_time = Q(done_on__isnull=False, done_on__lte=F("due_on"))
    due = Q(due_on__gte=start, due_on__lte=as_of)
    out: dict[int, list[int]] = {}
    tasks = (
        task.objects.filter(due, owner_unit_id__in=list(units))
        .exclude(kind="decision")
        .values("owner_unit_id")
        .annotate(n=Count("id"), ok=Count("id", filter=on_time))
    )
    marks = (
        milestone.objects.filter(due, task__owner_unit_id__in=list(units))
        .exclude(task__kind="decision")
        .values("task__owner_unit_id")
        .annotate(n=Count("id"), ok=Count("id", filter=on_time))
    )
    for row in tasks:
        out.setdefault(row["owner_unit_id"], [0, 0])
        out[row["owner_unit_id"]][0] += row["ok"]
        out[row["owner_unit_id"]][1] += row["n"]
    for row in marks:
        out.setdefault(row["task__owner_unit_id"], [0, 0])
        out[row["task__owner_unit_id"]][0] += row["ok"]
        out[row["task__owner_unit_id"]][1] += row["n"]
    return {unit: Tally(ok, n) for unit, (ok, n) in out.items()}


def decisions_done(units: Iterable[int], start: date, as_of: date) -> Tallies:
    """会议议定事项完成率: meeting decisions due from ``start`` to ``as_of``, done by ``as_of``
    (实施方案 §四（一）2: decisions followed up at the next meeting)."""
    task = _workplan_model("Task")
    if task is None:
        return {}
    rows = (
        task.objects.filter(
            kind="decision", owner_unit_id__in=list(units), due_on__gte=start, due_on__lte=as_of
        )
        .values("owner_unit_id")
        .annotate(
            n=Count("id"), ok=Count("id", filter=Q(done_on__isnull=False, done_on__lte=as_of))
        )
    )
    return {row["owner_unit_id"]: Tally(row["ok"], row["n"]) for row in rows}


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


FACTORS: dict[str, Callable[[Iterable[int], date, date], Tallies]] = {
    "tasks_on_time": tasks_on_time,
    "evidence_first_pass": evidence_first_pass,
    "rectifications_on_time": rectifications_on_time,
    "overdue_days": overdue_days,
    "decisions_done": decisions_done,
}
