"""Meetings (issue 17 point 4): attendance, decisions as tasks, follow-up at the next meeting,
and who sees which meeting."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.workplan import services
from foodsafe.workplan.models import MeetingKind, Task, TaskKind
from foodsafe.workplan.selectors import (
    DueStatus,
    decisions_for_unit,
    meeting_page,
    meetings_visible,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2021-08-20 10:00 +0800", tick=False):
        yield


def _units():
    market, _ = ResponsibleUnit.objects.get_or_create(
        code="market-regulation", defaults={"name": "区市场监管局"}
    )
    education, _ = ResponsibleUnit.objects.get_or_create(
        code="education", defaults={"name": "区教育局"}
    )
    health = ResponsibleUnit.objects.create(code="health", name="区卫生健康委")
    return market, education, health


def _meeting(office, held_on, attendance, kind=MeetingKind.SCHEDULING):
    return services.meeting_record(
        kind=kind,
        title=f"调度会 {held_on}",
        held_on=held_on,
        place="区政府第一会议室",
        chair="张主任",
        minutes="通报进展，部署下一步工作。",
        attendance=attendance,
        actor=office,
    )


def test_decisions_become_tasks_and_the_next_meeting_follows_them_up(
    office_admin, market_user, education_user
):
    market, education, health = _units()
    first = _meeting(
        office_admin,
        date(2021, 7, 15),
        {
            market.pk: ("present", "王示例"),
            education.pk: ("deputy", "赵示例"),
            health.pk: ("absent", ""),
        },
        kind=MeetingKind.PROMOTION,
    )
    d1 = services.decision_add(
        meeting=first,
        text="完成小餐饮整改台账",
        owner_unit=market,
        due_on=date(2021, 7, 31),
        actor=office_admin,
    )
    d2 = services.decision_add(
        meeting=first,
        text="学校食堂明厨亮灶全覆盖",
        owner_unit=education,
        due_on=date(2021, 8, 10),
        actor=office_admin,
    )
    d3 = services.decision_add(
        meeting=first,
        text="报送病例监测月报",
        owner_unit=market,
        due_on=date(2021, 8, 31),
        actor=office_admin,
    )
    assert d1.kind == TaskKind.DECISION and d1.start_on == date(2021, 7, 15)
    # d1 done on 07-30 (on time), d2 done 08-12 after the second meeting (late), d3 open
    services.task_done(task=d1, done_on=date(2021, 7, 30), actor=market_user)
    services.task_done(task=d2, done_on=date(2021, 8, 12), actor=education_user)
    second = _meeting(office_admin, date(2021, 8, 11), {market.pk: ("present", "")})

    page = meeting_page(meeting=second, user=office_admin, on=date(2021, 8, 20))
    # follow-up at 08-11: d1 was done before (left out); d2 (due 08-10, not done on 08-11) was
    # overdue then and is done late now; d3 (due 08-31) was and is open
    assert [(r.decision, r.status_then, r.status) for r in page.follow_up] == [
        (d2, DueStatus.OVERDUE, DueStatus.DONE_LATE),
        (d3, DueStatus.OPEN, DueStatus.OPEN),
    ]
    first_page = meeting_page(meeting=first, user=office_admin, on=date(2021, 8, 20))
    assert first_page.counts == {"present": 1, "deputy": 1, "absent": 1}

    # the assessment's read: market's decisions due in July–August, seen on 08-31: d1 on
    # time; d3 is due that very day, so not late yet (None), and late seen a day after
    rows = decisions_for_unit(market, date(2021, 7, 1), date(2021, 8, 31))
    assert [(r.task, r.on_time) for r in rows] == [(d1, True), (d3, None)]
    later = decisions_for_unit(market, date(2021, 7, 1), date(2021, 8, 31), on=date(2021, 9, 1))
    assert [(r.task, r.on_time) for r in later] == [(d1, True), (d3, False)]

    # a unit sees the meetings it attended or that gave it a decision, and only its own
    # decisions on them
    assert set(meetings_visible(user=market_user)) == {first, second}
    assert set(meetings_visible(user=education_user)) == {first}  # sent a deputy
    edu_page = meeting_page(meeting=first, user=education_user, on=date(2021, 8, 20))
    assert [r.decision for r in edu_page.decisions] == [d2]


def test_only_the_office_records_meetings(office_admin, market_user, reviewer):
    market, _education, _health = _units()
    for actor in (market_user, reviewer):
        with pytest.raises(PermissionDenied):
            _meeting(actor, date(2021, 7, 15), {market.pk: ("present", "")})
    meeting = _meeting(office_admin, date(2021, 7, 15), {market.pk: ("present", "")})
    with pytest.raises(PermissionDenied):
        services.decision_add(
            meeting=meeting, text="x", owner_unit=market, due_on=date(2021, 8, 1), actor=market_user
        )
    with pytest.raises(services.WorkplanError):
        services.decision_add(
            meeting=meeting,
            text="x",
            owner_unit=market,
            due_on=date(2021, 7, 1),
            actor=office_admin,
        )
    # a unit may not move its decision's deadline
    decision = services.decision_add(
        meeting=meeting, text="整改", owner_unit=market, due_on=date(2021, 8, 1), actor=office_admin
    )
    with pytest.raises(services.WorkplanError):
        services.task_plan(
            task=decision,
            person=None,
            start_on=decision.start_on,
            due_on=date(2021, 9, 1),
            actor=market_user,
        )
    # changing the attendance list removes a unit left out, with history
    services.meeting_record(
        kind="scheduling",
        title="调度会",
        held_on=date(2021, 7, 15),
        place="会议室",
        chair="张",
        minutes="",
        attendance={},
        meeting=meeting,
        actor=office_admin,
    )
    assert meeting.attendance.count() == 0
    assert Task.objects.filter(meeting=meeting).count() == 1
