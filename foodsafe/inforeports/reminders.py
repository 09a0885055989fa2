"""Reminders about work information (信息报送) through the notification system (站内通知 and,
when the SMTP server is configured, e-mail): run daily by ``foodsafe info-reminders``.

On a working day, for each active schedule and each reporting unit with no report yet for a
period: "即将截止" once when the due date is at most ``DUE_SOON_WORKING_DAYS`` working days away,
"逾期未报" once when it has passed (the 逾期督办 page keeps showing it every day after). Each
reminder is recorded once per unit, period and kind (``InfoReminder``), and every active user of
the unit gets one notification per reminder, so running twice sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from foodsafe.accounts.models import Role
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.supervision.models import Notification
from foodsafe.supervision.notifications import Delivery, notifications_email
from foodsafe.workdays.calendar import current_calendar

from . import selectors
from .models import InfoReminder, InfoReminderKind, ReportSchedule

DUE_SOON_WORKING_DAYS = 2


@dataclass
class InfoReminderRun:
    working_day: bool = True
    sent: list[InfoReminder] = field(default_factory=list)
    notified: int = 0
    delivery: Delivery | None = None


def info_reminders_send(*, on: date) -> InfoReminderRun:
    """Record and deliver the day's reminders (see the module docstring)."""
    run = InfoReminderRun()
    calendar = current_calendar()
    if not calendar.is_workday(on):
        run.working_day = False
        return run
    schedules = list(ReportSchedule.objects.filter(active=True, starts_on__lte=on))
    units = list(ResponsibleUnit.objects.filter(is_collective=False))
    for row in selectors.report_statuses(user=None, on=on, schedules=schedules, units=units):
        if row.status == "missing":
            kind = InfoReminderKind.LATE
        elif row.status == "open" and calendar.workdays_between(on, row.due).days <= (
            DUE_SOON_WORKING_DAYS
        ):
            kind = InfoReminderKind.DUE_SOON
        else:
            continue
        reminder = _record(row, kind, on)
        if reminder is not None:
            run.sent.append(reminder)
    run.notified = _notify(run.sent)
    run.delivery = notifications_email()
    return run


def _record(row: selectors.ReportStatus, kind: str, on: date) -> InfoReminder | None:
    try:
        with transaction.atomic():
            return InfoReminder.objects.create(
                schedule=row.schedule,
                period_start=row.period.start,
                responsible_unit=row.unit,
                kind=kind,
                due_on=row.due,
                sent_on=on,
            )
    except IntegrityError:
        return None  # sent on an earlier run


def _message(reminder: InfoReminder) -> tuple[str, str]:
    period = selectors.period_containing(reminder.schedule.frequency, reminder.period_start)
    if reminder.kind == InfoReminderKind.LATE:
        return (
            "信息报送提醒（逾期未报）",
            f"{reminder.schedule.name}：{period.label}的工作信息应于 {reminder.due_on:%Y-%m-%d} 前"
            "报送区创城办，至今未报，请尽快报送。",
        )
    return (
        "信息报送提醒（即将截止）",
        f"{reminder.schedule.name}：{period.label}的工作信息请于 {reminder.due_on:%Y-%m-%d} 前"
        "报送区创城办。",
    )


@transaction.atomic
def _notify(reminders: list[InfoReminder]) -> int:
    if not reminders:
        return 0
    users: dict[int, list[int]] = {}
    for user_id, unit_id in (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__role=Role.MEMBER_UNIT,
            profile__responsible_unit_id__in={r.responsible_unit_id for r in reminders},
            # The unit's reports are the whole unit's, not a 街道 user's (N7).
            profile__division__isnull=True,
        )
        .values_list("pk", "profile__responsible_unit_id")
    ):
        users.setdefault(unit_id, []).append(user_id)
    url = reverse("inforeports:index")
    notes = []
    for reminder in reminders:
        title, body = _message(reminder)
        notes += [
            Notification(recipient_id=user_id, title=title, body=body, url=url)
            for user_id in users.get(reminder.responsible_unit_id, [])
        ]
    Notification.objects.bulk_create(notes)
    return len(notes)
