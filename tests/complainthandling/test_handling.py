"""Complaint intake and handling (SAMR Order 20), worked by hand on the 2021–2022 calendar.

Calendar facts used (国务院办公厅 notices for 2021 and 2022): National Day Fri 1 – Thu 7 Oct 2021
off, Sat 9 Oct 2021 a make-up working day; no holiday or make-up day from mid-October to the end
of December 2021; New Year 2022 Sat 1 – Mon 3 Jan off, no make-up day. Time is frozen in every
test that depends on "today".
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from foodsafe.complainthandling import selectors, services
from foodsafe.complainthandling.services import HandlingError, Submission
from foodsafe.complaints.models import Channel, Complaint, Decision
from foodsafe.orgunits.models import ResponsibleUnit
from tests.conftest import SUB_A
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Thu 30 Sep 2021, 10:00 in Beijing: the eve of the National Day holiday.
NATIONAL_DAY_EVE = datetime(2021, 9, 30, 10, 0, tzinfo=SHANGHAI)


def submission(**changes) -> Submission:
    values = dict(
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
    values.update(changes)
    return Submission(**values)


@pytest.fixture
def filed(district):
    with time_machine.travel(NATIONAL_DAY_EVE, tick=False):
        return services.complaint_submit(submission=submission(), submission_key="k1")[0]


def test_public_complaint_gets_its_deadline_across_national_day(filed):
    # Received Thu 30 Sep: Fri 8 Oct (1), Sat 9 Oct make-up (2), Mon 11 – Fri 15 Oct (3–7).
    assert filed.received_on == date(2021, 9, 30)
    assert filed.acceptance_due_on == date(2021, 10, 15)
    assert filed.channel == Channel.PUBLIC
    assert filed.decision == Decision.PENDING
    assert filed.complaint_number.startswith("TS20210930-")


def test_complaint_and_report_in_one_submission_are_two_records(district):
    with time_machine.travel(NATIONAL_DAY_EVE, tick=False):
        made = services.complaint_submit(
            submission=submission(is_report=True), submission_key="both"
        )
    assert [c.kind for c in made] == ["complaint", "report"]  # 第七条: handled separately
    assert made[0].related_number == made[1].complaint_number
    assert made[1].related_number == made[0].complaint_number
    assert made[1].claim == ""  # a report asks for no mediation
    assert made[1].complaint_number.startswith("JB")


def test_same_form_submitted_twice_is_stored_once(district):
    with time_machine.travel(NATIONAL_DAY_EVE, tick=False):
        first = services.complaint_submit(submission=submission(), submission_key="dup")
        again = services.complaint_submit(submission=submission(), submission_key="dup")
    assert [c.pk for c in first] == [c.pk for c in again]
    assert Complaint.objects.count() == 1


def test_missing_materials_are_refused_with_the_article(district):
    with pytest.raises(HandlingError, match="第九条"):
        services.complaint_submit(submission=submission(address=" "), submission_key="x")
    with pytest.raises(HandlingError, match="投诉请求"):
        services.complaint_submit(submission=submission(claim=""), submission_key="y")
    assert Complaint.objects.count() == 0


def test_accept_suspend_close_notify_across_holidays(filed, office_admin):
    # Accepted Fri 8 Oct: Sat 9 Oct (1), 11–15 Oct (2–6), 18–22 (7–11), 25–29 (12–16),
    # 1–5 Nov (17–21), 8–12 (22–26), 15–19 (27–31), 22–26 (32–36), 29 Nov – 3 Dec (37–41),
    # Mon 6 – Thu 9 Dec (42–45) → 9 Dec.
    c = services.complaint_decide(
        complaint=filed, accept=True, decided_on=date(2021, 10, 8), actor=office_admin
    )
    assert c.closing_due_on == date(2021, 12, 9)
    # 5 working days of testing (第二十条) not counted: Fri 10 (1), 13–16 Dec (2–5) → 16 Dec.
    c = services.complaint_suspend(complaint=c, working_days=5, actor=office_admin)
    assert c.closing_due_on == date(2021, 12, 16)
    # Mediation ended Thu 30 Dec; tell both within 7 working days (第二十一条): Fri 31 Dec (1),
    # 1–3 Jan 2022 off, Tue 4 – Fri 7 Jan (2–5), Mon 10 (6), Tue 11 Jan (7) → 11 Jan 2022.
    c = services.complaint_close(
        complaint=c,
        outcome="ended",
        closed_on=date(2021, 12, 30),
        reply="调解未达成协议",
        actor=office_admin,
    )
    assert c.end_notice_due_on == date(2022, 1, 11)
    assert selectors.waiting_on(c).due_on == date(2022, 1, 11)
    assert selectors.is_overdue(c, date(2022, 1, 12))
    assert not selectors.is_overdue(c, date(2022, 1, 11))
    c = services.complaint_notify_end(
        complaint=c, notified_on=date(2022, 1, 10), actor=office_admin
    )
    assert selectors.waiting_on(c).due_on is None
    assert c.history.count() == 5  # filed + 4 steps, each with its audit row
    assert c.history.first().history_user == office_admin


def test_refusal_needs_a_ground_of_article_15(filed, office_admin):
    with pytest.raises(HandlingError, match="第十五条"):
        services.complaint_decide(
            complaint=filed, accept=False, decided_on=date(2021, 10, 8), actor=office_admin
        )
    c = services.complaint_decide(
        complaint=filed,
        accept=False,
        decided_on=date(2021, 10, 8),
        ground="time_barred",
        actor=office_admin,
    )
    assert c.decision == Decision.REFUSED
    assert "超过三年" in c.get_refusal_ground_display()
    with pytest.raises(HandlingError):
        services.complaint_decide(
            complaint=c, accept=True, decided_on=date(2021, 10, 9), actor=office_admin
        )


def test_overdue_after_the_acceptance_deadline(filed):
    # Due Fri 15 Oct: not overdue that day, overdue on Mon 18 Oct.
    assert selectors.overdue(Complaint.objects.all(), date(2021, 10, 15)) == []
    assert selectors.overdue(Complaint.objects.all(), date(2021, 10, 18)) == [filed]


def test_status_lookup_needs_the_right_phone(filed):
    found = selectors.public_status(filed.complaint_number, "138-1234-5678")
    assert found is not None
    assert found.status == "已登记，待作出受理决定"
    assert found.due_on == date(2021, 10, 15)
    assert selectors.public_status(filed.complaint_number, "13812345679") is None
    assert selectors.public_status("TS20210930-XXXXXXXX", "13812345678") is None
    assert selectors.public_status(filed.complaint_number, "") is None


def test_a_unit_sees_only_complaints_assigned_to_it(
    filed, office_admin, market_user, education_user
):
    market = ResponsibleUnit.objects.get(code="market-regulation")
    services.complaint_assign(complaint=filed, unit=market, actor=office_admin)
    other = ComplaintFactory(received_on=date(2021, 10, 8), org_unit__code=SUB_A)
    assert set(selectors.handling_queryset(office_admin)) == {filed, other}
    assert list(selectors.handling_queryset(market_user)) == [filed]
    assert list(selectors.handling_queryset(education_user)) == []


def test_monthly_statistics_by_category_and_unit(district, office_admin):
    market = ResponsibleUnit.objects.get_or_create(
        code="market-regulation", defaults={"name": "区市场监管局"}
    )[0]
    with time_machine.travel(NATIONAL_DAY_EVE, tick=False):
        a = services.complaint_submit(submission=submission(), submission_key="s1")[0]
        b = services.complaint_submit(
            submission=submission(category="hygiene", is_report=True), submission_key="s2"
        )
    services.complaint_assign(complaint=a, unit=market, actor=office_admin)
    # a: refused in time (due 15 Oct) → on time. b's complaint: accepted late (18 Oct) and closed.
    services.complaint_decide(
        complaint=a,
        accept=False,
        decided_on=date(2021, 10, 15),
        ground="handled",
        actor=office_admin,
    )
    services.complaint_decide(
        complaint=b[0], accept=True, decided_on=date(2021, 10, 18), actor=office_admin
    )
    services.complaint_close(
        complaint=b[0], outcome="agreed", closed_on=date(2021, 10, 20), reply="", actor=office_admin
    )
    # An imported complaint of another month is not counted.
    ComplaintFactory(received_on=date(2021, 10, 8), org_unit__code=SUB_A)
    stats = selectors.monthly_statistics(2021, 9)
    assert stats.received == {
        "complaint": 2,
        "report": 1,
        "refused": 1,
        "on_time": 1,
        "accepted": 1,
        "closed": 1,
        "done": 2,  # 办结: a refused and b ended
    }
    assert stats.by_category["expired"] == {
        "complaint": 1,
        "refused": 1,
        "done": 1,
        "on_time": 1,
    }
    assert stats.by_category["hygiene"] == {
        "complaint": 1,
        "accepted": 1,
        "closed": 1,
        "done": 1,
        "report": 1,
    }
    assert stats.by_unit["区市场监管局"] == {"complaint": 1, "refused": 1, "done": 1, "on_time": 1}
    assert stats.by_unit["未分派"]["report"] == 1
