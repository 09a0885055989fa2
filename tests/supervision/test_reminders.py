"""``foodsafe send-reminders``: due-soon and overdue reminders in Chinese working days, with
time frozen across the 2021 National Day and Spring Festival holidays; idempotent; locked."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, connections

from foodsafe.lib.locks import _advisory_key, job_lock
from foodsafe.supervision.models import Reminder
from foodsafe.workdays.calendar import workdays_between

from .helpers import rectification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def run_on(day: date, *args: str) -> str:
    """Run the command with the clock frozen at 07:00 Beijing time on ``day`` (no ``--on``)."""
    out = io.StringIO()
    with time_machine.travel(
        datetime(day.year, day.month, day.day, 7, tzinfo=SHANGHAI), tick=False
    ):
        call_command("send-reminders", *args, stdout=out)
    return out.getvalue()


def kinds(rect) -> list[tuple[str, date]]:
    return sorted(
        (r.kind, r.sent_on) for r in Reminder.objects.filter(rectification=rect).order_by()
    )


@pytest.fixture(autouse=True)
def lock_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_working_days_between_across_holidays(db):
    def working_days_between(a: date, b: date) -> int:
        return workdays_between(a, b).days

    assert working_days_between(date(2021, 9, 30), date(2021, 10, 8)) == 1
    assert working_days_between(date(2021, 9, 30), date(2021, 10, 9)) == 2  # make-up Saturday
    assert working_days_between(date(2021, 2, 10), date(2021, 2, 18)) == 1  # Spring Festival
    assert working_days_between(date(2021, 10, 8), date(2021, 9, 30)) == 0


def test_national_day_2021(office_admin):
    # Created Fri 24 Sep, 5 working days: Sun 26 Sep (make-up), 27, 28, 29, 30 → due Thu 30 Sep.
    rect = rectification(
        owner="education", created_on=date(2021, 9, 24), working_days=5, creator=office_admin
    )
    assert rect.deadline == date(2021, 9, 30)

    out = run_on(date(2021, 9, 24), "--due-within", "3")
    assert "新发送 0 条" in out and kinds(rect) == []
    out = run_on(date(2021, 9, 25), "--due-within", "3")  # Saturday: no work, no reminders
    assert "不是工作日" in out and kinds(rect) == []
    run_on(date(2021, 9, 26), "--due-within", "3")  # make-up Sunday: 27, 28, 29 — not yet
    assert kinds(rect) == []

    out = run_on(date(2021, 9, 27), "--due-within", "3")  # 28, 29, 30: the deadline is in reach
    assert kinds(rect) == [("due_soon", date(2021, 9, 27))]
    assert "已发送 即将到期" in out and rect.number in out and "区教育局" in out
    reminder = Reminder.objects.get(rectification=rect)
    assert "剩余 3 个工作日" in reminder.message and reminder.deadline == date(2021, 9, 30)
    assert reminder.responsible_unit == rect.owner_unit

    out = run_on(date(2021, 9, 27), "--due-within", "3")  # the same day again: nothing new
    assert "新发送 0 条" in out and "此前已发送 1 条" in out
    run_on(date(2021, 9, 28), "--due-within", "3")  # due soon goes once per deadline
    run_on(date(2021, 9, 30), "--due-within", "3")  # due today: not overdue yet
    assert kinds(rect) == [("due_soon", date(2021, 9, 27))]

    for day in range(1, 8):  # 1–7 October: National Day holiday
        assert "不是工作日" in run_on(date(2021, 10, day))
    assert len(kinds(rect)) == 1

    out = run_on(date(2021, 10, 8))  # first working day after: overdue by 1 working day
    assert "已发送 已逾期" in out
    run_on(date(2021, 10, 8))
    run_on(date(2021, 10, 9))  # Saturday 9 October is a make-up working day
    run_on(date(2021, 10, 10))  # Sunday
    assert kinds(rect) == [
        ("due_soon", date(2021, 9, 27)),
        ("overdue", date(2021, 10, 8)),
        ("overdue", date(2021, 10, 9)),
    ]
    messages = list(Reminder.objects.filter(kind="overdue").order_by("sent_on"))
    assert "已逾期 1 个工作日" in messages[0].message
    assert "已逾期 2 个工作日" in messages[1].message


def test_spring_festival_2021(office_admin, reviewer):
    # Created Fri 5 Feb, 5 working days: Sun 7 Feb (make-up), 8, 9, 10, then 11–17 off → 18 Feb.
    rect = rectification(
        owner="market-regulation", created_on=date(2021, 2, 5), working_days=5, creator=office_admin
    )
    assert rect.deadline == date(2021, 2, 18)
    # Closed in time: never reminded.
    done = rectification(
        owner="market-regulation",
        created_on=date(2021, 2, 5),
        working_days=5,
        creator=office_admin,
        state="closed",
        closed_on=date(2021, 2, 8),
        verifier=reviewer,
    )
    for day in (date(2021, 2, 7), date(2021, 2, 8)):
        run_on(day, "--due-within", "2")
    assert kinds(rect) == []
    run_on(date(2021, 2, 9), "--due-within", "2")  # 10 Feb, then 18 Feb: in reach
    assert kinds(rect) == [("due_soon", date(2021, 2, 9))]
    assert "剩余 2 个工作日" in Reminder.objects.get(rectification=rect).message
    for day in range(10, 19):  # 10 Feb, the holiday, the deadline day itself
        run_on(date(2021, 2, day), "--due-within", "2")
    assert kinds(rect) == [("due_soon", date(2021, 2, 9))]
    run_on(date(2021, 2, 19), "--due-within", "2")
    run_on(date(2021, 2, 20), "--due-within", "2")  # make-up Saturday
    run_on(date(2021, 2, 21), "--due-within", "2")
    assert kinds(rect) == [
        ("due_soon", date(2021, 2, 9)),
        ("overdue", date(2021, 2, 19)),
        ("overdue", date(2021, 2, 20)),
    ]
    assert kinds(done) == []

    # Closed at last: the reminders stop.
    rect.state, rect.closed_on, rect.verified_by = "closed", date(2021, 2, 22), reviewer
    rect.save()
    run_on(date(2021, 2, 23), "--due-within", "2")
    assert len(kinds(rect)) == 3


def test_on_option_and_due_soon_created_inside_the_window(office_admin):
    # Created with a deadline already inside the window: due soon on the first run.
    rect = rectification(
        owner="health", created_on=date(2021, 9, 29), working_days=1, creator=office_admin
    )
    assert rect.deadline == date(2021, 9, 30)
    out = io.StringIO()
    call_command("send-reminders", "--on", "2021-09-29", stdout=out)
    assert kinds(rect) == [("due_soon", date(2021, 9, 29))]
    assert "剩余 1 个工作日" in Reminder.objects.get().message
    assert "send-reminders 2021-09-29" in out.getvalue()
    call_command("send-reminders", "--on", "2021-09-30", "--due-within", "0", stdout=out)
    assert len(kinds(rect)) == 1


def test_bad_arguments(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send-reminders", "--on", "30/09/2021")
    with pytest.raises(CommandError, match="负数"):
        call_command("send-reminders", "--on", "2021-09-30", "--due-within", "-1")


def test_year_without_arrangement_runs_provisionally(db):
    # 1999 predates the seeded arrangements (2004 on): Tuesday 1 June 1999 is no statutory
    # holiday, so it is a (provisional) working day and the run says so instead of failing.
    out = io.StringIO()
    call_command("send-reminders", "--on", "1999-06-01", stdout=out)
    assert "尚未载入" in out.getvalue()
    assert "不是工作日" not in out.getvalue()


def test_a_second_run_while_one_holds_the_lock_refuses(office_admin):
    rectification(owner="health", created_on=date(2021, 9, 1), working_days=3, creator=office_admin)
    if connection.vendor == "postgresql":
        # Advisory locks are re-entrant within one session: hold it from another connection.
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [_advisory_key("send-reminders")])
            with pytest.raises(CommandError, match="正在运行"):
                call_command("send-reminders", "--on", "2021-10-08")
            # Unlock before closing: the server releases a closed session's locks only when it
            # has noticed the disconnect, which under load can come after the next line runs.
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_advisory_key("send-reminders")])
        finally:
            other.close()
    else:
        with job_lock("send-reminders") as where:
            assert where.endswith("locks/send-reminders.lock")
            with pytest.raises(CommandError, match="正在运行"):
                call_command("send-reminders", "--on", "2021-10-08")
    assert Reminder.objects.count() == 0
    out = io.StringIO()
    call_command("send-reminders", "--on", "2021-10-08", stdout=out)  # released: runs
    assert Reminder.objects.count() == 1


def test_help_names_the_lock_and_the_rules():
    from django.core.management import load_command_class

    command = load_command_class("foodsafe.supervision", "send-reminders")
    assert "Idempotent" in command.help and "lock" in command.help
    assert "即将到期" in command.help and "已逾期" in command.help
