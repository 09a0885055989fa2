"""Reminders (督办提醒) for complaints and reports (投诉举报) nearing or past a statutory time limit.

The steps and their deadlines are the handling's (``complainthandling.selectors.pending_steps``:
受理决定 7 working days, 第十四条; 调解办结 45, 第二十一条(五); 告知终止 7, 第二十一条; and a
report's own limits). ``send-reminders`` records, on each working day, one "due soon" reminder
per step and deadline once the deadline is within ``due_within`` working days, and an "overdue"
one every working day the step stays undone — the same rules as for rectification items
(``services.reminders_send``). A reminder names the complaint's number and the step, never the
complainant or reporter (第三十三条; PIPL): whoever opens it sees what their role allows.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from foodsafe.complainthandling.selectors import Waiting, due_by
from foodsafe.complaints.models import Complaint
from foodsafe.workdays.calendar import Calendar

from .models import Reminder, ReminderKind


def _what(c: Complaint) -> str:
    return f"{c.get_kind_display()} {c.complaint_number}"


def _message(c: Complaint, w: Waiting, kind: str, days: int) -> str:
    deadline = f"{w.due_on:%Y-%m-%d}" + ("（暂定）" if c.deadline_provisional else "")
    if kind == ReminderKind.OVERDUE:
        return (
            f"【已逾期】{_what(c)}：{w.step}期限 {deadline}，已逾期 {days} 个工作日，"
            f"请尽快办理并在系统中登记。"
        )
    when = "今日到期" if days == 0 else f"剩余 {days} 个工作日"
    return f"【即将到期】{_what(c)}：{w.step}期限 {deadline}，{when}，请按期办理。"


def complaint_reminders_collect(
    *, on: date, horizon: date, calendar: Calendar
) -> tuple[list[Reminder], list[Reminder]]:
    """``(new, already_recorded)``: the reminders due on working day ``on`` for complaint steps
    due by ``horizon`` (``on`` plus the due-soon look-ahead in working days). The new ones are
    not saved: the caller writes them with the rest of the run in one transaction."""
    due = due_by(horizon)
    if not due:
        return [], []
    existing = Reminder.objects.filter(
        Q(sent_on=on) | Q(kind=ReminderKind.DUE_SOON),
        complaint_id__in={c.pk for c, _ in due},
    )
    today: dict[tuple[int | None, str, str], Reminder] = {}
    due_soon_for: dict[tuple[int | None, str, date], Reminder] = {}
    for r in existing:
        if r.sent_on == on:
            today[(r.complaint_id, r.step, r.kind)] = r
        if r.kind == ReminderKind.DUE_SOON:
            due_soon_for[(r.complaint_id, r.step, r.deadline)] = r
    new: list[Reminder] = []
    already: list[Reminder] = []
    for c, w in due:
        assert w.due_on is not None
        if w.due_on < on:
            kind = ReminderKind.OVERDUE
            days = calendar.workdays_between(w.due_on, on).days
            found = today.get((c.pk, w.code, kind))
        else:
            kind = ReminderKind.DUE_SOON
            days = calendar.workdays_between(on, w.due_on).days
            found = due_soon_for.get((c.pk, w.code, w.due_on)) or today.get((c.pk, w.code, kind))
        if found is not None:
            already.append(found)
            continue
        new.append(
            Reminder(
                complaint=c,
                step=w.code,
                responsible_unit=c.handling_unit,
                kind=kind,
                sent_on=on,
                deadline=w.due_on,
                message=_message(c, w, kind, days),
            )
        )
    return new, already
