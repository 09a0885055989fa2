"""举报 time limits (RULES.md §4.1–§4.2), worked by hand on the 2021 calendar, time frozen.

Calendar (国务院办公厅 2021): National Day Fri 1 – Thu 7 Oct off, Sat 9 Oct a make-up working day;
no holiday or make-up day from mid-October to the end of 2021.

A real-name report filed on the public page on Thu 30 Sep 2021:
- 核查 (decide whether to open a case), 15 working days [M]: Fri 8 Oct (1), Sat 9 Oct (2),
  11–15 Oct (3–7), 18–22 Oct (8–12), 25, 26, 27 Oct (13–15) → Wed 27 Oct.
  Extended by 15: 28, 29 Oct (16, 17), 1–5 Nov (18–22), 8–12 Nov (23–27), 15, 16, 17 Nov
  (28–30) → Wed 17 Nov.
- 立案 on Mon 25 Oct: tell the reporter within 5 working days (第三十一条): 26, 27, 28, 29 Oct,
  Mon 1 Nov → Mon 1 Nov; the case decided within 90 days [S]: 25 Oct + 90 days = Sun 23 Jan 2022
  (6 days to 31 Oct, 30 in November, 31 in December, 23 in January).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from foodsafe.complainthandling import selectors, services
from foodsafe.complainthandling.services import HandlingError, Submission
from foodsafe.complaints.models import Complaint, ComplaintKind
from foodsafe.complaints.report_limits import ReportLimitsError, report_limits
from foodsafe.supervision.models import Reminder
from tests.conftest import SUB_A

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def report(district) -> Complaint:
    sub = Submission(
        name="李举报",
        phone="13900001111",
        address="和平区某路3号",
        respondent="某餐馆，和平区某路4号",
        claim="",
        facts="后厨使用过期原料",
        org_unit_code=SUB_A,
        category="hygiene",
        is_complaint=False,
        is_report=True,
    )
    with at(date(2021, 9, 30)):
        (made,) = services.complaint_submit(submission=sub, submission_key="r1")
    return made


def test_verification_limit_and_its_extension(report, office_admin):
    assert report.kind == ComplaintKind.REPORT and report.real_name
    assert report.verification_due_on == date(2021, 10, 27)  # module docstring
    w = selectors.waiting_on(report)
    assert (w.code, w.due_on) == ("verification", date(2021, 10, 27))
    with at(date(2021, 10, 27)):
        assert not selectors.is_overdue(report, date(2021, 10, 27))  # due today
    assert selectors.is_overdue(report, date(2021, 10, 28))
    services.report_extend_verification(complaint=report, actor=office_admin)
    assert report.verification_due_on == date(2021, 11, 17)  # 30 working days
    with pytest.raises(HandlingError):
        services.report_extend_verification(complaint=report, actor=office_admin)  # once


def test_case_opened_reporter_told_and_case_limit(report, office_admin):
    services.report_decide_case(
        complaint=report, filed=True, decided_on=date(2021, 10, 25), actor=office_admin
    )
    assert report.reporter_notice_due_on == date(2021, 11, 1)
    assert report.case_due_on == date(2022, 1, 23)
    steps = [(w.code, w.due_on) for w in selectors.pending_steps(report)]
    assert steps == [("reporter_notice", date(2021, 11, 1)), ("case", date(2022, 1, 23))]
    services.report_notify_reporter(
        complaint=report, notified_on=date(2021, 10, 29), actor=office_admin
    )
    assert [w.code for w in selectors.pending_steps(report)] == ["case"]
    services.report_close_case(
        complaint=report, closed_on=date(2022, 1, 10), reply="已立案查处", actor=office_admin
    )
    assert selectors.pending_steps(report) == []
    assert not selectors.open_complaints(Complaint.objects.filter(pk=report.pk)).exists()


def test_no_case_ends_it_and_an_anonymous_reporter_is_not_told(district, office_admin):
    """A report entered by staff without a real name: no reporter-notice deadline (第三十一条
    is about real-name reporters); not opening a case ends it that day."""
    from foodsafe.complaints.services import complaint_save

    with at(date(2021, 10, 11)):
        c = complaint_save(
            complaint=Complaint(
                complaint_number="JB-ANON-1",
                kind=ComplaintKind.REPORT,
                org_unit_id=SUB_A,
                received_on=date(2021, 10, 11),
            ),
            actor=office_admin,
        )
    # 15 working days after Mon 11 Oct: 12–15 Oct (4), 18–22 (9), 25–29 (14), Mon 1 Nov (15).
    assert c.verification_due_on == date(2021, 11, 1)
    services.report_decide_case(
        complaint=c, filed=False, decided_on=date(2021, 10, 20), actor=office_admin
    )
    assert c.reporter_notice_due_on is None and c.case_due_on is None
    assert c.closed_on == date(2021, 10, 20)
    assert selectors.pending_steps(c) == []


def test_report_deadlines_are_reminded(report, office_admin, settings, tmp_path):
    settings.VAR_DIR = tmp_path

    def run(day: date) -> None:
        with time_machine.travel(datetime(day.year, day.month, day.day, 7, tzinfo=SHANGHAI)):
            call_command("send-reminders", "--due-within", "3", stdout=io.StringIO())

    run(date(2021, 10, 21))  # Thu: 22, 25, 26 → the 27th not yet in reach
    assert not Reminder.objects.filter(complaint=report).exists()
    run(date(2021, 10, 22))  # Fri: 25, 26, 27
    (r,) = Reminder.objects.filter(complaint=report)
    assert (r.step, r.kind, r.deadline) == ("verification", "due_soon", date(2021, 10, 27))
    assert "李举报" not in r.message and "13900001111" not in r.message  # 第三十三条
    run(date(2021, 10, 28))
    assert Reminder.objects.filter(complaint=report, kind="overdue").count() == 1


def test_limits_are_configuration_with_their_tags(report, settings, tmp_path):
    limits = report_limits()
    assert (limits.verification.certainty, limits.verification.working_days) == ("M", 15)
    assert (limits.reporter_notice.certainty, limits.reporter_notice.working_days) == ("P", 5)
    assert (limits.case_decision.certainty, limits.case_decision.days) == ("S", 90)

    other = tmp_path / "limits.yaml"
    other.write_text(
        "verification: {working_days: 10, extension_working_days: 15, certainty: M}\n"
        "reporter_notice: {working_days: 5, certainty: P}\n"
        "case_decision: {days: 90, certainty: S}\n",
        encoding="utf-8",
    )
    settings.FOODSAFE_REPORT_LIMITS = str(other)
    report.verification_extended = False
    from foodsafe.complaints.services import complaint_save

    complaint_save(complaint=report, actor=None)
    # 10 working days after Thu 30 Sep: 8, 9 Oct (2), 11–15 (7), 18, 19, 20 (10) → Wed 20 Oct.
    assert report.verification_due_on == date(2021, 10, 20)

    bad = tmp_path / "bad.yaml"
    bad.write_text(other.read_text().replace("working_days: 10", "working_days: 0"), "utf-8")
    settings.FOODSAFE_REPORT_LIMITS = str(bad)
    with pytest.raises(ReportLimitsError) as err:
        report_limits()
    assert str(bad) in str(err.value) and "verification.working_days" in str(err.value)


def test_the_page_shows_the_limits_and_records_the_case_decision(report, complaint_handler, client):
    client.force_login(complaint_handler)
    url = reverse("complainthandling:detail", args=[report.pk])
    with at(date(2021, 10, 12)):
        html = client.get(url).content.decode()
    assert "核查期限（决定是否立案）" in html and "2021-10-27" in html
    assert "[M] 核查（决定是否立案）" in html and "[P] 告知实名举报人是否立案" in html
    assert 'value="case"' in html and 'value="decide"' not in html  # no 投诉 acceptance form
    with at(date(2021, 10, 25)):
        response = client.post(url, {"action": "case", "filed": "1", "decided_on": "2021-10-25"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.case_decision == "filed" and report.reporter_notice_due_on == date(2021, 11, 1)
    status = selectors.public_status(report.complaint_number, "13900001111")
    assert status is not None and status.status == "已立案，正在处理"
    assert status.due_on == date(2021, 11, 1)  # the earliest step still due
