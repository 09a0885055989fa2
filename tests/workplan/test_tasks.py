"""Tasks with people and dates (issue 17 point 3): status, the unit's period, who may change.

Dates are in 2021, whose holiday arrangement is seeded: National Day 10-01..10-07 off, with
make-up working days on Sunday 09-26 and Saturday 10-09.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.in_force import programme_spec
from foodsafe.workplan import services
from foodsafe.workplan.models import Task, TaskKind
from foodsafe.workplan.selectors import (
    DueStatus,
    due_status,
    milestones_for_unit,
    tasks_for_unit,
)
from tests.tasks.board_data import assignment, load_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2021-10-11 10:00 +0800", tick=False):
        yield


def test_due_status_by_hand():
    on = date(2021, 9, 15)
    # done on the deadline: on time; a day after: late
    assert due_status(due_on=date(2021, 9, 10), done_on=date(2021, 9, 10), on=on) == "done_on_time"
    assert due_status(due_on=date(2021, 9, 10), done_on=date(2021, 9, 11), on=on) == "done_late"
    # not done, deadline yesterday: overdue; deadline today: still open
    assert due_status(due_on=date(2021, 9, 14), done_on=None, on=on) == "overdue"
    assert due_status(due_on=date(2021, 9, 15), done_on=None, on=on) == "open"
    # done after the day we look from: not done yet as of then (overdue on 09-15)
    assert due_status(due_on=date(2021, 9, 10), done_on=date(2021, 9, 20), on=on) == "overdue"
    # no deadline: done counts as on time, not done is open
    assert due_status(due_on=None, done_on=date(2021, 9, 1), on=on) == "done_on_time"
    assert due_status(due_on=None, done_on=None, on=on) == "open"


def test_tasks_for_unit_period_status_and_working_days_late(market_user, office_admin):
    load_programme(items=5)
    market = ResponsibleUnit.objects.get(code="market-regulation")
    task = services.assignment_task(
        assignment=assignment(5, "market-regulation"), actor=market_user
    )
    assert task.kind == TaskKind.ASSIGNMENT and task.owner_unit == market
    person = services.person_save(
        unit=market, name="王示例", post="科长", phone="13812345678", actor=market_user
    )
    services.task_plan(
        task=task,
        person=person,
        start_on=date(2021, 9, 1),
        due_on=date(2021, 9, 30),
        actor=market_user,
    )
    services.milestone_add(task=task, title="制定方案", due_on=date(2021, 9, 10), actor=market_user)
    late = services.milestone_add(
        task=task, title="完成检查", due_on=date(2021, 9, 24), actor=market_user
    )
    services.milestone_done(
        milestone=late, done_on=date(2021, 10, 8), evidence_url="/evidence/1/", actor=market_user
    )

    rows = tasks_for_unit(market, date(2021, 9, 1), date(2021, 9, 30), on=date(2021, 10, 11))
    assert [r.task for r in rows] == [task]
    # not done, due Thursday 09-30, seen Monday 10-11: the working days after 09-30 up to
    # 10-11 are 10-08 (Fri), 10-09 (make-up Sat) and 10-11 (Mon) = 3 (10-01..10-07 holiday)
    assert rows[0].status == DueStatus.OVERDUE and rows[0].on_time is False
    assert rows[0].working_days_late == 3

    ms = milestones_for_unit(market.pk, date(2021, 9, 1), date(2021, 9, 30), on=date(2021, 10, 11))
    assert [(m.title, m.status) for m in ms] == [
        ("制定方案", DueStatus.OVERDUE),
        ("完成检查", DueStatus.DONE_LATE),
    ]
    # 完成检查 due Fri 09-24, done Fri 10-08: working days 09-26 (make-up Sun), 09-27..09-30
    # (4) and 10-08 = 6
    assert ms[1].working_days_late == 6
    # a period that ends before the deadline leaves the task out
    assert tasks_for_unit(market, date(2021, 8, 1), date(2021, 8, 31)) == []


def test_a_unit_changes_only_its_own(market_user, education_user, office_admin, reviewer):
    load_programme(items=5)
    task = services.assignment_task(
        assignment=assignment(5, "market-regulation"), actor=market_user
    )
    for other in (education_user, reviewer):
        with pytest.raises(PermissionDenied):
            services.milestone_add(task=task, title="x", due_on=date(2021, 9, 1), actor=other)
        with pytest.raises(PermissionDenied):
            services.task_done(task=task, done_on=date(2021, 9, 1), actor=other)
    education = ResponsibleUnit.objects.get(code="education")
    with pytest.raises(PermissionDenied):
        services.person_save(unit=education, name="李", post="科员", actor=market_user)
    # a person of another unit cannot be the task's 责任人, even when the office asks
    teacher = services.person_save(unit=education, name="李示例", post="科员", actor=education_user)
    with pytest.raises(services.WorkplanError):
        services.task_plan(
            task=task, person=teacher, start_on=None, due_on=None, actor=office_admin
        )
    # the office may change any unit's task; the history records who did
    services.task_done(task=task, done_on=date(2021, 9, 1), actor=office_admin)
    assert task.history.first().history_user == office_admin


def test_phase_tasks_from_the_spec_once(office_admin, market_user):
    load_programme(items=1)
    spec = programme_spec()
    work = [(p.code, w) for p in spec.phases for w in p.work]
    created, updated = services.phase_tasks_sync(spec=spec, actor=office_admin)
    assert (created, updated) == (len(work), 0)
    assert services.phase_tasks_sync(spec=spec, actor=office_admin) == (0, 0)
    survey = Task.objects.get(spec_key="launch.satisfaction-survey")
    # 启动阶段 is "2021年上半年": the plan gives no date, the spec takes the phase's last day
    assert survey.due_on == date(2021, 6, 30) and "[I]" in survey.due_basis
    selfeval = Task.objects.get(spec_key="full_push.self-evaluation")
    assert selfeval.due_on == date(2021, 8, 10) and selfeval.due_basis == "方案：8月上旬"
    with pytest.raises(PermissionDenied):
        services.phase_tasks_sync(spec=spec, actor=market_user)
    # the unit cannot move a phase task's deadline, only the office can
    small = Task.objects.get(spec_key="launch.small-eatery-upgrade")
    with pytest.raises(services.WorkplanError):
        services.task_plan(
            task=small,
            person=None,
            start_on=small.start_on,
            due_on=date(2021, 7, 31),
            actor=market_user,
        )


def test_evidence_link_must_be_a_link(market_user):
    load_programme(items=5)
    task = services.assignment_task(
        assignment=assignment(5, "market-regulation"), actor=market_user
    )
    m = services.milestone_add(task=task, title="节点", due_on=date(2021, 9, 1), actor=market_user)
    for bad in ("javascript:alert(1)", "//evil.example/x"):
        with pytest.raises(services.WorkplanError):
            services.milestone_done(
                milestone=m, done_on=date(2021, 9, 1), evidence_url=bad, actor=market_user
            )
