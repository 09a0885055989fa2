"""Workplan pages as each role uses them, the supervision page's overdue tasks, and the
reminders that chase overdue milestones (issue 17 point 3)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.supervision.models import Notification, Reminder
from foodsafe.supervision.services import reminders_send
from foodsafe.workplan import services
from foodsafe.workplan.models import Meeting, Task
from tests.tasks.board_data import assignment, load_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    # Monday 2021-09-13, a working day
    with time_machine.travel("2021-09-13 10:00 +0800", tick=False):
        yield


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def planned(market_user, office_admin):
    """区市场监管局's share of item 5 with a person, a deadline and two milestones: one overdue
    (due Friday 09-10), one ahead (due 09-24)."""
    load_programme(items=5)
    market = ResponsibleUnit.objects.get(code="market-regulation")
    task = services.assignment_task(
        assignment=assignment(5, "market-regulation"), actor=market_user
    )
    person = services.person_save(
        unit=market, name="王示例", post="科长", phone="13812345678", actor=market_user
    )
    services.task_plan(
        task=task, person=person, start_on=date(2021, 9, 1), due_on=date(2021, 9, 30),
        actor=market_user,
    )  # fmt: skip
    late = services.milestone_add(
        task=task, title="制定工作方案", due_on=date(2021, 9, 10), actor=market_user
    )
    services.milestone_add(task=task, title="完成检查", due_on=date(2021, 9, 24), actor=market_user)
    return task, late


def test_timeline_unit_sees_own_with_phone_office_sees_it_masked(
    planned, market_user, education_user, office_admin
):
    task, _late = planned
    page = _client(market_user).get("/workplan/").content.decode()
    assert task.title in page and "13812345678" in page
    assert "制定工作方案" in page and 'id="count-overdue">0<' in page  # the task itself is not late
    office = _client(office_admin).get("/workplan/?unit=market-regulation").content.decode()
    # the office is outside the unit: 138****5678 (PIPL)
    assert "138****5678" in office and "13812345678" not in office
    other = _client(education_user).get("/workplan/").content.decode()
    assert task.title not in other
    assert _client(education_user).get(f"/workplan/tasks/{task.pk}/").status_code == 404
    # POSTing to another unit's task is a 404 too, never a change
    r = _client(education_user).post(f"/workplan/tasks/{task.pk}/", {"action": "reopen"})
    assert r.status_code == 404


def test_unit_works_its_task_on_the_page(planned, market_user):
    task, late = planned
    c = _client(market_user)
    r = c.post(
        f"/workplan/tasks/{task.pk}/",
        {"action": "milestone_done", "milestone": late.pk, "done_on": "2021-09-13",
         "evidence_url": "/evidence/1/"},
    )  # fmt: skip
    assert r.status_code == 302
    late.refresh_from_db()
    assert late.done_on == date(2021, 9, 13) and late.evidence_url == "/evidence/1/"
    r = c.post(
        f"/workplan/tasks/{task.pk}/",
        {"action": "milestone_add", "title": "总结", "due_on": "2021-09-28"},
    )
    assert task.milestones.count() == 3
    # A day after today (09-13) is refused (a task is recorded done once done): the field
    # says so and nothing changes; today's is taken.
    r = c.post(f"/workplan/tasks/{task.pk}/", {"action": "done", "done_on": "2021-09-29"})
    task.refresh_from_db()
    assert task.done_on is None
    r = c.post(f"/workplan/tasks/{task.pk}/", {"action": "done", "done_on": "2021-09-13"})
    task.refresh_from_db()
    assert task.done_on == date(2021, 9, 13)
    page = c.get(f"/workplan/tasks/{task.pk}/").content.decode()
    assert "market_user" in page  # the history names who did it


def test_overdue_milestone_on_the_supervision_page_and_reminded(planned, market_user, office_admin):
    task, late = planned
    page = _client(office_admin).get("/supervision/overdue/").content.decode()
    assert "制定工作方案" in page and 'id="overdue-tasks-total">1<' in page
    # send-reminders on Monday 09-13: the milestone due Friday 09-10 is 1 working day late;
    # nothing else is within 3 working days (09-24 and 09-30 are further)
    run = reminders_send(on=date(2021, 9, 13))
    reminders = [r for r in run.sent if r.task_id]
    assert [(r.milestone, r.kind) for r in reminders] == [(late, "overdue")]
    assert "已逾期 1 个工作日" in reminders[0].message
    # the same day again: nothing new
    assert [r for r in reminders_send(on=date(2021, 9, 13)).sent if r.task_id] == []
    from foodsafe.supervision.notifications import notifications_from_reminders

    notes = notifications_from_reminders(reminders=Reminder.objects.filter(task=task))
    assert [(n.recipient, n.url) for n in notes] == [(market_user, f"/workplan/tasks/{task.pk}/")]
    assert Notification.objects.get().title == "任务督办提醒（已逾期）"


def test_office_records_a_meeting_and_a_unit_sees_its_decision(
    office_admin, market_user, education_user
):
    market = ResponsibleUnit.objects.get(code="market-regulation")
    education = ResponsibleUnit.objects.get(code="education")
    c = _client(office_admin)
    r = c.post(
        "/workplan/meetings/",
        {
            "kind": "promotion", "title": "创城推动会", "held_on": "2021-07-20", "place": "区政府",
            "chair": "张区长", "minutes": "部署迎检任务。",
            f"att-{market.pk}": "present", f"who-{market.pk}": "王示例",
            f"att-{education.pk}": "absent",
        },
    )  # fmt: skip
    meeting = Meeting.objects.get()
    assert r.status_code == 302 and meeting.attendance.count() == 2
    c.post(
        f"/workplan/meetings/{meeting.pk}/",
        {
            "action": "decision",
            "text": "完成小餐饮整改",
            "owner_unit": market.pk,
            "due_on": "2021-08-31",
        },
    )
    decision = Task.objects.get(meeting=meeting)
    assert decision.owner_unit == market and decision.due_on == date(2021, 8, 31)
    health = ResponsibleUnit.objects.create(code="health", name="区卫生健康委")
    services.decision_add(
        meeting=meeting, text="病例监测月报", owner_unit=health, due_on=date(2021, 8, 31),
        actor=office_admin,
    )  # fmt: skip
    # the list counts the decisions the reader may see: 2 for the office, 1 for the unit
    assert '<td class="num">2</td>' in c.get("/workplan/meetings/").content.decode()
    mine = _client(market_user).get("/workplan/meetings/").content.decode()
    assert '<td class="num">1</td>' in mine and "病例监测月报" not in mine
    # 区市场监管局 was there and owns the decision; 区教育局 was absent and owns nothing: 404
    page = _client(market_user).get(f"/workplan/meetings/{meeting.pk}/").content.decode()
    assert "完成小餐饮整改" in page and "部署迎检任务" in page
    assert _client(education_user).get(f"/workplan/meetings/{meeting.pk}/").status_code == 404
    # units cannot record meetings
    assert _client(market_user).post("/workplan/meetings/", {"kind": "topical"}).status_code == 403
    # the list follows up the decision: overdue on 09-13 (due 08-31)
    listing = c.get("/workplan/meetings/").content.decode()
    assert "完成小餐饮整改" in listing and 'data-status="overdue"' in listing


def test_timeline_links_only_pages_the_user_may_open(office_admin, market_user, reviewer):
    """New-user N10: a reviewer reads the 任务时间轴 but not 责任人 and 会议 (PAGE_ROLES give
    those to the office and member units), so the timeline must not link them; the office and
    a unit still get both links, and the reviewer's 403 on the pages stays."""
    load_programme(items=5)
    for user, linked in ((office_admin, True), (market_user, True), (reviewer, False)):
        page = _client(user).get("/workplan/").content.decode()
        assert ('href="/workplan/people/"' in page) is linked, user
        assert ('href="/workplan/meetings/"' in page) is linked, user
    assert _client(reviewer).get("/workplan/people/").status_code == 403
    assert _client(reviewer).get("/workplan/meetings/").status_code == 403
