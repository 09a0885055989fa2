"""Reminders (督办提醒) for workplan tasks and their milestones (节点, issue 17 point 3), by the
same rule as rectifications: "due soon" once per deadline within ``due_within`` working days,
"overdue" on every working day until done. ``reminders_send`` calls this on working days, so
``send-reminders`` chases both, and the notifications reach the owner unit's users."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from foodsafe.workdays.calendar import Calendar
from foodsafe.workplan.models import Milestone, Task

from .models import Reminder, ReminderKind


def _message(kind: str, what: str, title: str, deadline: date, days: int) -> str:
    if kind == ReminderKind.OVERDUE:
        return (
            f"【已逾期】{what}“{title}”：完成期限 {deadline:%Y-%m-%d}，已逾期 {days} 个工作日，"
            "请尽快完成并在任务页登记完成情况。"
        )
    when = "今日到期" if days == 0 else f"剩余 {days} 个工作日"
    return f"【即将到期】{what}“{title}”：完成期限 {deadline:%Y-%m-%d}，{when}，请按期完成。"


def task_reminders_send(
    *, on: date, horizon: date, calendar: Calendar
) -> tuple[list[Reminder], list[Reminder]]:
    """Record the day's reminders for tasks and milestones not done with a deadline on or
    before ``horizon`` (``on`` + the look-ahead in working days). Returns (new, already sent).
    Four queries and one insert."""
    tasks = list(
        Task.objects.filter(done_on__isnull=True, due_on__lte=horizon).select_related("owner_unit")
    )
    milestones = list(
        Milestone.objects.filter(
            done_on__isnull=True, due_on__lte=horizon, task__done_on__isnull=True
        ).select_related("task")
    )
    existing = Reminder.objects.filter(
        Q(sent_on=on) | Q(kind=ReminderKind.DUE_SOON),
        Q(task__in=[t.pk for t in tasks]) | Q(milestone__in=[m.pk for m in milestones]),
    )
    today: dict[tuple[int, int | None, str], Reminder] = {}
    due_soon: dict[tuple[int, int | None, date], Reminder] = {}
    for r in existing:
        assert r.task_id is not None
        if r.sent_on == on:
            today[(r.task_id, r.milestone_id, r.kind)] = r
        if r.kind == ReminderKind.DUE_SOON:
            due_soon[(r.task_id, r.milestone_id, r.deadline)] = r
    new: list[Reminder] = []
    found: list[Reminder] = []
    targets: list[tuple[Task, Milestone | None, date, str]] = [
        (t, None, t.due_on, "任务") for t in tasks if t.due_on is not None
    ] + [(m.task, m, m.due_on, f"任务“{m.task.title}”的节点") for m in milestones]
    for task, milestone, deadline, what in targets:
        key_ms = milestone.pk if milestone else None
        title = milestone.title if milestone else task.title
        if deadline < on:
            kind = ReminderKind.OVERDUE
            days = calendar.workdays_between(deadline, on).days
            hit = today.get((task.pk, key_ms, kind))
        else:
            kind = ReminderKind.DUE_SOON
            days = calendar.workdays_between(on, deadline).days
            hit = due_soon.get((task.pk, key_ms, deadline)) or today.get((task.pk, key_ms, kind))
        if hit is not None:
            found.append(hit)
            continue
        new.append(
            Reminder(
                task=task,
                milestone=milestone,
                responsible_unit_id=task.owner_unit_id,
                kind=kind,
                sent_on=on,
                deadline=deadline,
                message=_message(kind, what, title, deadline, days),
            )
        )
    return Reminder.objects.bulk_create(new), found
