"""Notifications that arrive (issue 17 point 8): ``send-reminders`` turns each reminder into an
in-app notification for every user of the responsible unit, and an e-mail through Django's mail
backend when an SMTP server is configured; each user sees and marks only their own."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from foodsafe.supervision.models import Notification
from foodsafe.supervision.notifications import notifications_email

from .helpers import rectification

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST = reverse("supervision:notifications")
READ = reverse("supervision:notifications_read")


@pytest.fixture(autouse=True)
def lock_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def run_on(day: date) -> str:
    out = io.StringIO()
    with time_machine.travel(
        datetime(day.year, day.month, day.day, 7, tzinfo=SHANGHAI), tick=False
    ):
        call_command("send-reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def overdue_item(office_admin):
    # Created Fri 24 Sep 2021 with 5 working days: Sun 26 Sep (make-up working day), 27, 28,
    # 29, 30 → due Thu 30 Sep; on Fri 8 Oct (first working day after National Day) it is
    # 1 working day overdue, so send-reminders records one "overdue" reminder that day.
    return rectification(
        owner="market-regulation",
        created_on=date(2021, 9, 24),
        working_days=5,
        creator=office_admin,
    )


def test_unit_users_get_one_notification_per_reminder(overdue_item, market_user, education_user):
    out = run_on(date(2021, 10, 8))
    # One reminder, one market-regulation user → one notification; education gets none.
    notes = list(Notification.objects.all())
    assert [(n.recipient, n.title) for n in notes] == [(market_user, "整改督办提醒（已逾期）")]
    assert "已逾期 1 个工作日" in notes[0].body and overdue_item.number in notes[0].body
    assert notes[0].url == reverse("rectification:detail", args=[overdue_item.pk])
    assert "站内通知 1 条" in out and "邮件未配置" in out
    run_on(date(2021, 10, 8))  # the same day again: the reminder exists, no second notification
    assert Notification.objects.count() == 1
    run_on(date(2021, 10, 9))  # make-up Saturday: a new overdue reminder, a new notification
    assert Notification.objects.filter(recipient=market_user).count() == 2


def test_email_through_the_configured_backend(settings, overdue_item, market_user, education_user):
    settings.FOODSAFE_EMAIL_NOTIFICATIONS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.FOODSAFE_SITE_URL = "https://foodsafe.example.gov.cn"
    market_user.email = "market@example.gov.cn"
    market_user.save()
    out = run_on(date(2021, 10, 8))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["market@example.gov.cn"]
    assert message.subject == "[foodsafe] 整改督办提醒（已逾期）"
    assert f"https://foodsafe.example.gov.cn/rectifications/{overdue_item.pk}/" in message.body
    assert "邮件 1 封" in out
    assert Notification.objects.get().emailed_at is not None
    run_on(date(2021, 10, 8))  # mailed once only
    assert len(mail.outbox) == 1


def test_email_failure_keeps_the_notification_for_the_next_run(
    settings, overdue_item, market_user, monkeypatch
):
    settings.FOODSAFE_EMAIL_NOTIFICATIONS = True
    market_user.email = "market@example.gov.cn"
    market_user.save()

    class Broken:
        def __enter__(self):
            raise ConnectionRefusedError("SMTP server down")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr("django.core.mail.get_connection", lambda *a, **k: Broken())
    out = run_on(date(2021, 10, 8))
    assert "失败 1" in out
    note = Notification.objects.get()
    assert note.emailed_at is None  # the in-app notification stays; mail is tried again
    monkeypatch.undo()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_email().emailed == 1 and len(mail.outbox) == 1


def test_user_without_address_is_skipped(settings, overdue_item, market_user):
    settings.FOODSAFE_EMAIL_NOTIFICATIONS = True
    out = run_on(date(2021, 10, 8))
    assert len(mail.outbox) == 0 and "无邮箱跳过 1" in out


def test_list_shows_own_notifications_and_marks_read(
    client, overdue_item, market_user, education_user
):
    run_on(date(2021, 10, 8))
    client.force_login(market_user)
    page = client.get(LIST).content.decode()
    assert overdue_item.number in page and 'id="nav-unread"' in page
    note = Notification.objects.get()
    # Another user cannot mark it read: their ids are ignored, and their list is empty.
    client.force_login(education_user)
    assert overdue_item.number not in client.get(LIST).content.decode()
    client.post(READ, {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is None
    client.force_login(market_user)
    client.post(READ, {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'id="nav-unread"' not in client.get(LIST).content.decode()


def test_read_needs_post(client, market_user):
    client.force_login(market_user)
    assert client.get(READ).status_code == 405
