"""The example district's workplan: loaded through the services, idempotent, and with work in
every state so the pages are not empty (issue 17 points 3, 4)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from foodsafe.workplan.models import Meeting, Milestone, Person, Task, TaskKind
from foodsafe.workplan.selectors import DueStatus, decisions_for_unit, due_status
from tests.tasks.board_data import load_programme

pytestmark = pytest.mark.django_db


@time_machine.travel("2021-10-11 10:00 +0800", tick=False)
def test_example_workplan_once_and_in_every_state(office_admin):
    spec, _ = load_programme()
    call_command("workplan-example", "--as", office_admin.username)
    counts = (Task.objects.count(), Milestone.objects.count(), Meeting.objects.count())
    phase_work = sum(len(p.work) for p in spec.phases)
    # 15 phase tasks from the spec (6 + 6 + 2 + 1), 3 key-task shares with 3 + 2 + 2 = 7
    # milestones, 1 + 3 + 2 + 1 = 7 decisions of 4 meetings, 6 people
    assert Task.objects.filter(kind=TaskKind.PHASE).count() == phase_work == 15
    assert Task.objects.filter(kind=TaskKind.ASSIGNMENT).count() == 3
    assert Task.objects.filter(kind=TaskKind.DECISION).count() == 7
    assert counts[1:] == (7, 4)
    assert Person.objects.count() == 6
    call_command("workplan-example", "--as", office_admin.username)
    assert (Task.objects.count(), Milestone.objects.count(), Meeting.objects.count()) == counts

    on = date(2021, 10, 11)

    def status(task: Task) -> str:
        return due_status(due_on=task.due_on, done_on=task.done_on, on=on)

    # 智慧监管 due 06-30, done 07-20: late; 国家验收 due 11-30: still open on 10-11
    assert status(Task.objects.get(spec_key="launch.smart-supervision")) == DueStatus.DONE_LATE
    assert status(Task.objects.get(spec_key="national_acceptance.national-acceptance")) == "open"
    # 区教育局's decision (明厨亮灶, due 08-25) is not done: overdue; 区商务局's too (09-10)
    education = Task.objects.get(kind=TaskKind.DECISION, owner_unit__code="education")
    assert status(education) == DueStatus.OVERDUE
    rows = decisions_for_unit(education.owner_unit, date(2021, 7, 1), date(2021, 9, 30), on=on)
    assert [r.on_time for r in rows] == [False]
    # a unit that was absent from the promotion meeting (区商务局) still owns a decision later
    assert Task.objects.filter(kind=TaskKind.DECISION, owner_unit__code="commerce").count() == 1
