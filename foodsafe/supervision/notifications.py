"""Notifications that arrive (站内通知 and e-mail): the reminders ``send-reminders`` records,
delivered to the people who must act on them.

A reminder (督办提醒) is about one rectification item, task or complaint of one responsible
unit; every active member-unit user of that unit gets it in their notification list (menu
**通知**), a task's 责任人 through the login linked to them (whatever its role: the plan holds
the person responsible, "责任到人"), and the office (创城办, which 督办s) when no member-unit
login acts for the unit — its own 区食药安办's tasks (office users belong to no unit), a
collective unit's (各街道办事处, 各成员单位) or an unassigned item's — so that no reminder reaches
nobody. When the
organisation's SMTP server is configured (``FOODSAFE_EMAIL_HOST``; Django's SMTP backend, nothing
outside the intranet), by e-mail too. Delivery is idempotent (one notification per user and
reminder) and mail failures never undo the in-app notifications: they stay un-mailed and the
next run tries them again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from foodsafe.accounts.models import Role
from foodsafe.workplan.models import Task

from .models import Notification, Reminder, ReminderKind

log = logging.getLogger(__name__)

#: E-mails sent per SMTP connection batch, and the most tried in one run (the rest wait for
#: the next run, so a broken server cannot hold the cron job for hours).
MAIL_BATCH = 50
MAIL_MAX_PER_RUN = 2000


@dataclass
class Delivery:
    """What one delivery did."""

    notified: list[Notification] = field(default_factory=list)
    emailed: int = 0
    mail_failed: int = 0
    mail_skipped_no_address: int = 0
    mail_off: bool = False


def _link(reminder: Reminder) -> str:
    try:
        if reminder.task_id is not None:
            return reverse("workplan:task", args=[reminder.task_id])
        if reminder.complaint_id is not None:
            return reverse("complainthandling:detail", args=[reminder.complaint_id])
        return reverse("rectification:detail", args=[reminder.rectification_id])
    except NoReverseMatch:
        return ""


def _title(reminder: Reminder) -> str:
    kind = "已逾期" if reminder.kind == ReminderKind.OVERDUE else "即将到期"
    if reminder.complaint_id is not None:
        return f"投诉举报办理提醒（{kind}）"
    what = "任务" if reminder.task_id is not None else "整改"
    return f"{what}督办提醒（{kind}）"


def _complaint_staff() -> tuple[list[int], list[int]]:
    """``(handlers, office)``: active complaint handlers (投诉举报处理人员, who hold
    ``complaints.view_personal_data`` through their group or themselves) and office admins.
    Handlers are told of every complaint step; the office of those not yet assigned (it
    assigns them)."""
    users = get_user_model().objects.filter(is_active=True)
    perm = Q(
        groups__permissions__codename="view_personal_data",
        groups__permissions__content_type__app_label="complaints",
    ) | Q(
        user_permissions__codename="view_personal_data",
        user_permissions__content_type__app_label="complaints",
    )
    handlers = sorted(set(users.filter(perm).values_list("pk", flat=True)))
    return handlers, _office_users()


def _office_users() -> list[int]:
    """Active office admins (创城办), in id order."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.OFFICE_ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _person_users(reminders: list[Reminder]) -> dict[int, int]:
    """task id → the active login linked to its 责任人 (``workplan.Person.user``)."""
    task_ids = {r.task_id for r in reminders if r.task_id is not None}
    if not task_ids:
        return {}
    return dict(
        Task.objects.filter(
            pk__in=task_ids, person__user__isnull=False, person__user__is_active=True
        ).values_list("pk", "person__user_id")
    )


@transaction.atomic
def notifications_from_reminders(*, reminders: Iterable[Reminder]) -> list[Notification]:
    """In-app notifications for ``reminders``: one per active member-unit user of each
    reminder's responsible unit (the people who do the rectification or handle the complaint),
    none twice. A complaint's reminder also goes to the complaint handlers, and, while the
    complaint has no handling unit, to the office (``_complaint_staff``). A task's also goes
    to its 责任人's linked login; any other reminder whose unit has no active member-unit
    login (the office's own tasks, a collective unit's, an unassigned rectification's) goes
    to the office instead of to nobody."""
    reminders = list(reminders)
    if not reminders:
        return []
    handlers: list[int] = []
    office: list[int] = []
    if any(r.complaint_id is not None for r in reminders):
        handlers, office = _complaint_staff()
    named = _person_users(reminders)
    units = {r.responsible_unit_id for r in reminders if r.responsible_unit_id}
    users_by_unit: dict[int, list[int]] = {}
    for user_id, unit_id in (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__role=Role.MEMBER_UNIT,
            profile__responsible_unit_id__in=units,
            # A 街道 user is not told of the whole unit's work (it may not open it, N7).
            profile__division__isnull=True,
        )
        .values_list("pk", "profile__responsible_unit_id")
    ):
        users_by_unit.setdefault(unit_id, []).append(user_id)
    if not office and any(
        r.complaint_id is None and not users_by_unit.get(r.responsible_unit_id or 0)
        for r in reminders
    ):
        office = _office_users()
    taken = set(
        Notification.objects.filter(reminder__in=reminders).values_list(
            "recipient_id", "reminder_id"
        )
    )
    new = [
        Notification(
            recipient_id=user_id,
            reminder=reminder,
            title=_title(reminder),
            body=reminder.message,
            url=_link(reminder),
        )
        for reminder in reminders
        for user_id in _recipients(reminder, users_by_unit, handlers, office, named)
        if (user_id, reminder.pk) not in taken
    ]
    return Notification.objects.bulk_create(new)


def _recipients(
    reminder: Reminder,
    users_by_unit: dict[int, list[int]],
    handlers: list[int],
    office: list[int],
    named: dict[int, int],
) -> list[int]:
    unit_users = users_by_unit.get(reminder.responsible_unit_id or 0, [])
    if reminder.complaint_id is not None:
        others = handlers if reminder.responsible_unit_id else [*handlers, *office]
        return list(dict.fromkeys([*unit_users, *others]))
    person = [named[reminder.task_id]] if reminder.task_id in named else []
    # No member-unit login acts for the unit: the office, which supervises every item.
    fallback = office if not unit_users else []
    return list(dict.fromkeys([*unit_users, *person, *fallback]))


def _absolute(url: str) -> str:
    base = getattr(settings, "FOODSAFE_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if (base and url) else url


def notifications_email(*, now: Any = None) -> Delivery:
    """E-mail every notification not mailed yet to its recipient's address, through
    Django's mail backend (the SMTP server in ``FOODSAFE_EMAIL_*``). Does nothing when no
    server is configured. A notification is marked ``emailed_at`` only once its message was
    accepted; users without an address are skipped (and counted)."""
    run = Delivery()
    if not settings.FOODSAFE_EMAIL_NOTIFICATIONS:
        run.mail_off = True
        return run
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("id")[:MAIL_MAX_PER_RUN]
    )
    with_address = [n for n in pending if n.recipient.email]
    run.mail_skipped_no_address = len(pending) - len(with_address)
    for start in range(0, len(with_address), MAIL_BATCH):
        batch = with_address[start : start + MAIL_BATCH]
        sent_ids: list[int] = []
        try:
            with mail.get_connection() as connection:
                for note in batch:
                    body = note.body
                    if note.url:
                        body += f"\n\n{_absolute(note.url)}"
                    message = mail.EmailMessage(
                        subject=f"[foodsafe] {note.title}",
                        body=body,
                        to=[note.recipient.email],
                        connection=connection,
                    )
                    if message.send():
                        sent_ids.append(note.pk)
        except (OSError, mail.BadHeaderError) as exc:
            # smtplib errors are OSError subclasses: keep what went out, retry the rest later.
            log.warning("notification e-mail failed: %s", exc)
            run.mail_failed += len(batch) - len(sent_ids)
        if sent_ids:
            Notification.objects.filter(pk__in=sent_ids).update(emailed_at=now)
            run.emailed += len(sent_ids)
    return run


def notifications_deliver(*, reminders: Iterable[Reminder]) -> Delivery:
    """Notify the users of ``reminders`` in the app, then e-mail what is not mailed yet."""
    notified = notifications_from_reminders(reminders=reminders)
    run = notifications_email()
    run.notified = notified
    return run


def notification_mark_read(*, notification_ids: Iterable[int] | None, actor: Any) -> int:
    """Mark ``actor``'s own notifications read (all unread ones when ``notification_ids`` is
    None); another user's ids are ignored. Returns how many changed."""
    rows = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
