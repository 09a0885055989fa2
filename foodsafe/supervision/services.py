"""Supervision writes: the reminders that chase rectification items (督办提醒).

``reminders_send`` is what the cron job ``foodsafe send-reminders`` runs once a day. It is
idempotent: the ``Reminder`` table's unique constraint (one per item, kind and day) and the
"once per deadline" rule for due-soon reminders mean a second run on the same day sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q

from foodsafe.rectification.models import Rectification, State
from foodsafe.workdays.calendar import Calendar, current_calendar

from .complaint_reminders import complaint_reminders_collect
from .models import Reminder, ReminderKind
from .task_reminders import task_reminders_send

#: Default look-ahead of the due-soon reminder, in working days before the deadline.
DUE_SOON_WORKING_DAYS = 3


@dataclass
class ReminderRun:
    """What one run did: the reminders it recorded and those it found already recorded."""

    on: date
    due_within: int
    working_day: bool
    #: ``on``'s year has no holiday arrangement loaded: working days are provisional (暂定)
    provisional_calendar: bool = False
    sent: list[Reminder] = field(default_factory=list)
    already_sent: list[Reminder] = field(default_factory=list)


def _deadline_text(rect: Rectification) -> str:
    """The deadline as a reminder shows it: ``2027-02-18（暂定）`` when counted in a year whose
    holiday arrangement is not loaded yet."""
    return f"{rect.deadline:%Y-%m-%d}" + ("（暂定）" if rect.deadline_provisional else "")


def _due_soon_message(rect: Rectification, left: int) -> str:
    when = "今日到期" if left == 0 else f"剩余 {left} 个工作日"
    return (
        f"【即将到期】{rect.number} {rect.title}：整改期限 {_deadline_text(rect)}，"
        f"{when}，请按期完成整改并提交销号。"
    )


def _overdue_message(rect: Rectification, late: int) -> str:
    return (
        f"【已逾期】{rect.number} {rect.title}：整改期限 {_deadline_text(rect)}，"
        f"已逾期 {late} 个工作日，请尽快完成整改并提交销号。"
    )


@transaction.atomic
def reminders_send(
    *, on: date, due_within: int = DUE_SOON_WORKING_DAYS, calendar: Calendar | None = None
) -> ReminderRun:
    """Record today's reminders for every open rectification item (not closed, 销号 pending),
    for every workplan task and milestone not done (:mod:`.task_reminders`, same rule), and for
    every complaint or report step not done (:mod:`.complaint_reminders`, same rule).

    - **due soon** (``due_soon``): the deadline is today or within ``due_within`` working days
      (``deadline <= add_workdays(on, due_within)``); sent once per item and deadline.
    - **overdue** (``overdue``): the deadline has passed; sent on every working day until the
      item is closed.

    Nothing is sent on a day that is not a working day (weekends, statutory holidays): the
    first working day after picks the work up. Run it again the same day and it records
    nothing new (the reminders it finds are returned in ``already_sent``).

    Working days come from the office's calendar (:mod:`foodsafe.workdays.calendar`); in a
    year without a loaded arrangement they are counted from the statutory holidays (暂定).
    Raises ``ValueError`` if ``due_within`` is negative.
    """
    if due_within < 0:
        raise ValueError(
            f"提前提醒的工作日数不能为负数 / due_within must not be negative: {due_within}"
        )
    calendar = calendar or current_calendar()
    run = ReminderRun(
        on=on,
        due_within=due_within,
        working_day=calendar.is_workday(on).workday,
        provisional_calendar=calendar.provisional(on),
    )
    if not run.working_day:
        return run
    horizon = calendar.add_workdays(on, due_within).date
    candidates = list(
        Rectification.objects.exclude(state=State.CLOSED)
        .filter(deadline__lte=horizon)
        .select_related("owner_unit")
        .order_by("deadline", "number")
    )
    ids = [r.pk for r in candidates]
    existing = Reminder.objects.filter(
        Q(sent_on=on) | Q(kind=ReminderKind.DUE_SOON), rectification_id__in=ids
    )
    by_key: dict[tuple[int, str, date], Reminder] = {}
    due_soon_for: dict[tuple[int, date], Reminder] = {}
    for reminder in existing:
        rect_id = reminder.rectification_id or 0  # always set here: filtered by rectification
        by_key[(rect_id, reminder.kind, reminder.sent_on)] = reminder
        if reminder.kind == ReminderKind.DUE_SOON:
            due_soon_for[(rect_id, reminder.deadline)] = reminder
    new: list[Reminder] = []
    for rect in candidates:
        if rect.deadline < on:
            kind, message = (
                ReminderKind.OVERDUE,
                _overdue_message(rect, calendar.workdays_between(rect.deadline, on).days),
            )
            found = by_key.get((rect.pk, kind, on))
        else:
            kind, message = (
                ReminderKind.DUE_SOON,
                _due_soon_message(rect, calendar.workdays_between(on, rect.deadline).days),
            )
            found = due_soon_for.get((rect.pk, rect.deadline)) or by_key.get((rect.pk, kind, on))
        if found is not None:
            run.already_sent.append(found)
            continue
        new.append(
            Reminder(
                rectification=rect,
                responsible_unit=rect.owner_unit,
                kind=kind,
                sent_on=on,
                deadline=rect.deadline,
                message=message,
            )
        )
    complaint_new, complaint_found = complaint_reminders_collect(
        on=on, horizon=horizon, calendar=calendar
    )
    run.sent = Reminder.objects.bulk_create([*new, *complaint_new])
    run.already_sent += complaint_found
    tasks_new, tasks_found = task_reminders_send(on=on, horizon=horizon, calendar=calendar)
    run.sent += tasks_new
    run.already_sent += tasks_found
    return run
