"""``send-reminders`` chases complaint time limits too (issue 16 §2), worked by hand on the 2021
calendar with the clock frozen (国务院办公厅 2021: National Day Fri 1 – Thu 7 Oct off, Sat 9 Oct a
make-up working day).

A complaint filed on the public page on Thu 30 Sep 2021 must be accepted or refused within 7
working days (第十四条): Fri 8 Oct (1), Sat 9 Oct (2, make-up), Mon 11 – Fri 15 Oct (3–7) → due
Fri 15 Oct. With ``--due-within 3`` the due-soon reminder comes when the deadline is within 3
working days: on Tue 12 Oct (13, 14, 15), not on Mon 11 Oct (12, 13, 14).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from foodsafe.complainthandling import services
from foodsafe.complainthandling.services import Submission
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.supervision.models import Notification, Reminder
from tests.conftest import SUB_A

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def lock_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def run_on(day: date) -> str:
    out = io.StringIO()
    with time_machine.travel(
        datetime(day.year, day.month, day.day, 7, tzinfo=SHANGHAI), tick=False
    ):
        call_command("send-reminders", "--due-within", "3", stdout=out)
    return out.getvalue()


def sent(complaint) -> list[tuple[str, str, date]]:
    return sorted((r.step, r.kind, r.sent_on) for r in Reminder.objects.filter(complaint=complaint))


@pytest.fixture
def filed(district):
    sub = Submission(
        name="王小明",
        phone="13812345678",
        address="和平区某路1号",
        respondent="示例面包店，和平区某路2号",
        claim="退还货款 20 元",
        facts="9月29日购买的面包已过保质期",
        org_unit_code=SUB_A,
        category="expired",
        is_complaint=True,
        is_report=False,
    )
    with time_machine.travel(datetime(2021, 9, 30, 10, tzinfo=SHANGHAI), tick=False):
        (complaint,) = services.complaint_submit(submission=sub, submission_key="k1")
    assert complaint.acceptance_due_on == date(2021, 10, 15)  # module docstring
    return complaint


def test_acceptance_due_soon_then_overdue_across_national_day(
    filed, office_admin, complaint_handler, market_user
):
    for day in (date(2021, 9, 30), date(2021, 10, 4), date(2021, 10, 9), date(2021, 10, 11)):
        run_on(day)  # eve, holiday (not a working day), make-up Saturday, Monday: not yet
    assert sent(filed) == []

    out = run_on(date(2021, 10, 12))  # Tue: 13, 14, 15 → in reach
    assert sent(filed) == [("acceptance", "due_soon", date(2021, 10, 12))]
    assert filed.complaint_number in out and "未分派" in out and "受理决定" in out
    reminder = Reminder.objects.get(complaint=filed)
    assert reminder.deadline == date(2021, 10, 15)
    assert "剩余 3 个工作日" in reminder.message
    # No personal data in what is sent: the number and the step only.
    assert "王小明" not in reminder.message and "13812345678" not in reminder.message
    # Not assigned yet: the office (it assigns) and the complaint handlers are told; no unit.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "office_admin",
        "complaint_handler",
    }
    note = Notification.objects.filter(recipient=office_admin).get()
    assert note.title == "投诉举报办理提醒（即将到期）"
    assert note.url == f"/complaint-handling/{filed.pk}/"

    run_on(date(2021, 10, 13))  # due soon goes once per deadline
    run_on(date(2021, 10, 15))  # due today: not overdue yet
    assert len(sent(filed)) == 1

    run_on(date(2021, 10, 16))  # Saturday, no make-up: nothing
    out = run_on(date(2021, 10, 18))  # Mon: past Fri 15 Oct, 1 working day late
    assert sent(filed)[-1] == ("acceptance", "overdue", date(2021, 10, 18))
    late = Reminder.objects.get(complaint=filed, kind="overdue")
    assert "已逾期 1 个工作日" in late.message
    assert "新发送 1 条" in out
    out = run_on(date(2021, 10, 18))  # again the same day: nothing new
    assert "新发送 0 条" in out


def test_assigned_complaint_goes_to_its_unit_and_stops_when_decided(
    filed, office_admin, complaint_handler, market_user, education_user
):
    market = ResponsibleUnit.objects.get(code="market-regulation")
    services.complaint_assign(complaint=filed, unit=market, actor=office_admin)
    run_on(date(2021, 10, 18))  # overdue since Fri 15 Oct
    (reminder,) = Reminder.objects.filter(complaint=filed)
    assert reminder.responsible_unit == market
    # The unit that handles it and the complaint handlers; not the office, not another unit.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "market_user",
        "complaint_handler",
    }
    filed.refresh_from_db()
    services.complaint_decide(
        complaint=filed, accept=True, decided_on=date(2021, 10, 18), actor=office_admin
    )
    # Accepted on Mon 18 Oct: mediation closes within 45 working days (第二十一条(五)): with no
    # holiday or make-up day from 19 Oct to the end of December, 45 working days after Mon 18
    # Oct is Mon 20 Dec (9 weeks = 45 working days). Nothing is due on Tue 19 Oct.
    filed.refresh_from_db()
    assert filed.closing_due_on == date(2021, 12, 20)
    out = run_on(date(2021, 10, 19))
    assert "新发送 0 条" in out
    out = run_on(date(2021, 12, 15))  # Wed: 16, 17, 20 → the closing deadline is in reach
    assert sent(filed)[-1] == ("closing", "due_soon", date(2021, 12, 15))
    assert "调解办结" in out


def test_rectification_reminders_unchanged_beside_complaints(filed, office_admin):
    """A complaint reminder and a rectification reminder in one run: both recorded."""
    from .helpers import rectification

    rect = rectification(
        owner="education", created_on=date(2021, 10, 11), working_days=3, creator=office_admin
    )
    # Created Mon 11 Oct, 3 working days: 12, 13, 14 → due Thu 14 Oct.
    assert rect.deadline == date(2021, 10, 14)
    out = run_on(date(2021, 10, 12))
    assert Reminder.objects.filter(rectification=rect, kind="due_soon").count() == 1
    assert Reminder.objects.filter(complaint=filed, kind="due_soon").count() == 1
    assert "新发送 2 条" in out
