"""信息报送 (issue 17 point 7): a monthly schedule due on the 5th working day of the next month,
counted in Chinese working days; each unit's status per period (on time, late, missing), late
and missing reports on 逾期督办, reminders through the notification system."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from foodsafe.inforeports import selectors
from foodsafe.inforeports.models import InfoReminder, InfoReport
from foodsafe.inforeports.reminders import info_reminders_send
from foodsafe.inforeports.services import info_report_submit, report_schedule_create
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.supervision.models import Notification
from tests.evidence import files

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING), tick=False
    )


@pytest.fixture
def schedule(office_admin, market_user, education_user):
    """Monthly from July 2021, due on the 5th working day of the next month, set up on
    1 July 2021 (before any of its due days)."""
    with at(date(2021, 7, 1)):
        return report_schedule_create(
            name="创建工作信息月报", frequency="monthly", due_workday=5,
            starts_on=date(2021, 7, 1), ends_on=None, actor=office_admin,
        )  # fmt: skip


def send(user, schedule, start: date, day: date, title: str = "工作信息", files_=()):
    with at(day):
        return info_report_submit(
            schedule=schedule, period_start=start, title=title, body="本月开展检查 12 次。",
            files=list(files_), actor=user,
        )  # fmt: skip


def test_due_dates_count_working_days(schedule):
    july = selectors.period_containing("monthly", date(2021, 7, 15))
    # August 2021: Mon 2 (1st), 3, 4, 5, Fri 6 (5th working day).
    assert selectors.due_on(schedule, july) == date(2021, 8, 6)
    september = selectors.period_containing("monthly", date(2021, 9, 1))
    # October 2021: 1–7 National Day holiday; Fri 8 (1st), Sat 9 make-up day (2nd), Mon 11,
    # Tue 12, Wed 13 (5th).
    assert selectors.due_on(schedule, september) == date(2021, 10, 13)
    q3 = selectors.period_containing("quarterly", date(2021, 8, 20))
    assert (q3.start, q3.end, q3.label) == (date(2021, 7, 1), date(2021, 9, 30), "2021年第3季度")


def test_statuses_on_time_late_missing(schedule, market_user, education_user, office_admin):
    send(market_user, schedule, date(2021, 9, 1), date(2021, 10, 13))  # on the due day: on time
    send(education_user, schedule, date(2021, 9, 1), date(2021, 10, 15))  # Fri 15: 2 days late
    rows = {
        (r.unit.code, r.period.start): r
        for r in selectors.report_statuses(user=office_admin, on=date(2021, 10, 18))
        if r.unit.code in ("market-regulation", "education")
    }
    sept = date(2021, 9, 1)
    assert rows[("market-regulation", sept)].status == "on_time"
    assert (rows[("education", sept)].status, rows[("education", sept)].working_days_late) == (
        "late",
        2,
    )
    # August, due Tue 7 Sep (1–3, 6, 7), nothing sent: missing; on Mon 18 Oct that is
    # Sep 8–10 (3), 13–17 (8), Sat 18 (9), 22–24 (12), Sun 26 (13), 27–30 (17), Oct 8, 9 (19),
    # 11–15 (24), 18 (25) working days late.
    aug = rows[("market-regulation", date(2021, 8, 1))]
    assert (aug.due, aug.status, aug.working_days_late) == (date(2021, 9, 7), "missing", 25)
    # October is not due yet (5th working day of November): open.
    assert rows[("market-regulation", date(2021, 10, 1))].status == "open"
    # A member unit sees only its own rows.
    own = selectors.report_statuses(user=market_user, on=date(2021, 10, 18))
    assert {r.unit.code for r in own} == {"market-regulation"}


def test_supervision_page_lists_late_and_missing(client, schedule, market_user, education_user):
    send(market_user, schedule, date(2021, 9, 1), date(2021, 10, 15))
    with at(date(2021, 10, 18)):
        client.force_login(market_user)
        page = client.get(reverse("supervision:overdue")).content.decode()
    assert "信息报送" in page and "迟报" in page and "逾期未报" in page
    assert "区教育局" not in page  # only its own unit
    # The section is in the page once, and not in the tab's title (a merge once copied it
    # into the title block, where it showed as raw markup).
    assert page.count('id="late-reports"') == 1
    title = page[page.index("<title>") : page.index("</title>")]
    assert "<section" not in title and "信息报送" not in title


def test_submit_rules(schedule, market_user, office_admin, reviewer):
    with pytest.raises(PermissionDenied):
        send(office_admin, schedule, date(2021, 9, 1), date(2021, 10, 8))
    with pytest.raises(ValidationError, match="没有这一期"):
        send(market_user, schedule, date(2021, 9, 2), date(2021, 10, 8))  # not a period start
    with pytest.raises(ValidationError, match="没有这一期"):
        send(market_user, schedule, date(2021, 11, 1), date(2021, 10, 8))  # not begun yet
    with pytest.raises(ValidationError, match="不是可接受的类型"):
        send(
            market_user,
            schedule,
            date(2021, 9, 1),
            date(2021, 10, 8),
            files_=[files.upload(b"MZ..", "a.pdf")],
        )
    assert not InfoReport.objects.exists()
    with pytest.raises(PermissionDenied):
        report_schedule_create(
            name="x", frequency="monthly", due_workday=5, starts_on=date(2021, 7, 1),
            ends_on=None, actor=market_user,
        )  # fmt: skip


def test_report_with_attachment_and_audit(client, schedule, market_user, education_user, reviewer):
    report = send(market_user, schedule, date(2021, 9, 1), date(2021, 10, 8), title="九月工作信息",
                  files_=[files.upload(files.pdf(), "九月.pdf")])  # fmt: skip
    assert [h.history_user for h in report.history.all()] == [market_user]
    att = report.attachments.get()
    assert [h.history_user for h in att.history.all()] == [market_user]
    client.force_login(education_user)
    assert client.get(reverse("inforeports:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("inforeports:attachment", args=[att.pk])).status_code == 404
    client.force_login(reviewer)
    assert (
        "九月工作信息"
        in client.get(reverse("inforeports:report", args=[report.pk])).content.decode()
    )
    response = client.get(reverse("inforeports:attachment", args=[att.pk]))
    assert b"".join(response.streaming_content) == files.pdf()


def test_reminders_once_each(schedule, market_user, education_user):
    send(market_user, schedule, date(2021, 9, 1), date(2021, 10, 11))
    # Mon 11 Oct: September is due Wed 13 Oct, 2 working days away: "due soon" for every unit
    # that has not sent it (not 区市场监管局); August (due 7 Sep) is missing for both: "late".
    run = info_reminders_send(on=date(2021, 10, 11))
    kinds = {(r.responsible_unit.code, r.period_start, r.kind) for r in run.sent}
    assert ("education", date(2021, 9, 1), "due_soon") in kinds
    assert ("market-regulation", date(2021, 9, 1), "due_soon") not in kinds
    assert {
        ("education", date(2021, 8, 1), "late"),
        ("market-regulation", date(2021, 8, 1), "late"),
    } <= kinds
    education_notes = Notification.objects.filter(recipient=education_user)
    assert education_notes.count() == sum(k[0] == "education" for k in kinds)
    assert education_notes.filter(
        title="信息报送提醒（即将截止）", body__contains="2021-10-13"
    ).exists()
    # Again the same day, or the next: nothing twice.
    again = info_reminders_send(on=date(2021, 10, 12))
    assert not [r for r in again.sent if r.period_start <= date(2021, 9, 1)]
    assert Notification.objects.filter(recipient=education_user).count() == education_notes.count()
    # Not on a holiday.
    assert info_reminders_send(on=date(2021, 10, 2)).working_day is False
    assert (
        InfoReminder.objects.filter(
            responsible_unit=ResponsibleUnit.objects.get(code="education")
        ).count()
        >= 3
    )


def test_command(schedule, market_user, capsys):
    call_command("info-reminders", "--on", "2021-10-11")
    assert "新提醒" in capsys.readouterr().out


def test_periods_due_before_the_schedule_was_set_up_are_not_assessed(
    office_admin, market_user, education_user
):
    """New-user finding N6: a schedule set up on Mon 18 Oct 2021 to start on 1 July made July
    (due Fri 6 Aug) and August (due Tue 7 Sep) 逾期未报 at once, 48 and 29 working days late.
    A unit cannot be late for a duty announced after the due day: those periods are 不考核 when
    nothing was sent, and a report sent for one is on time. September, due Wed 13 Oct (see
    test_due_dates_count_working_days), is also before the 18th: 不考核 too. October, due on
    the 5th working day of November (Mon 1 – Fri 5 Nov), is after it: open on the 18th."""
    with at(date(2021, 10, 18)):
        late_schedule = report_schedule_create(
            name="补设的月报", frequency="monthly", due_workday=5,
            starts_on=date(2021, 7, 1), ends_on=None, actor=office_admin,
        )  # fmt: skip
    send(market_user, late_schedule, date(2021, 8, 1), date(2021, 10, 19))
    rows = {
        (r.unit.code, r.period.start): r
        for r in selectors.report_statuses(
            user=office_admin, on=date(2021, 11, 10), schedules=[late_schedule]
        )
        if r.unit.code in ("market-regulation", "education")
    }
    for month in (7, 8, 9):
        row = rows[("education", date(2021, month, 1))]
        assert (row.status, row.working_days_late) == ("exempt", 0), month
    # Sent on 19 Oct for August (due 7 Sep, before the schedule existed): on time, 0 days.
    sent = rows[("market-regulation", date(2021, 8, 1))]
    assert (sent.status, sent.working_days_late) == ("on_time", 0)
    # October: due Fri 5 Nov, after the set-up day; nothing sent by Wed 10 Nov (8, 9, 10):
    # missing, 3 working days late.
    october = rows[("education", date(2021, 10, 1))]
    assert (october.due, october.status, october.working_days_late) == (
        date(2021, 11, 5), "missing", 3,
    )  # fmt: skip
    overdue = selectors.overdue_reports(user=office_admin, on=date(2021, 11, 10))
    assert [r.period.start for r in overdue["区教育局"] if r.schedule == late_schedule] == [
        date(2021, 10, 1)
    ]
