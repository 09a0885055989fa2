"""Who a task reminder reaches (the trust fix): before, only the owner unit's member-unit users,
so the office's own tasks (区食药安办 owns most 阶段工作 in heping-2021.yaml; office users are
office admins, in no unit) and a 责任人 who logs in under another role were never told.

The rule, from the plan: "确保每一项任务有落实部门和责任人" and "责任到人" — the owner unit's users
and the named person; and the office (区创城办, which 督办s every task) whenever no member-unit
login acts for the owner unit, so that no reminder reaches nobody. Time frozen on Monday
2021-09-13 (a working day): a task due Friday 09-10 is 1 working day overdue.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.supervision.models import Notification
from foodsafe.workplan import services
from foodsafe.workplan.models import Task
from tests.tasks.board_data import load_programme

pytestmark = pytest.mark.django_db
DUE = date(2021, 9, 10)  # Friday; Monday 09-13 is the next working day


def _task(code: str, title: str, **extra) -> Task:
    unit = ResponsibleUnit.objects.get(code=code)
    return Task.objects.create(
        kind="phase", title=title, owner_unit=unit, start_on=date(2021, 9, 1), due_on=DUE,
        **extra,
    )  # fmt: skip


def _recipients(task: Task) -> set:
    return {n.recipient for n in Notification.objects.filter(reminder__task=task)}


@time_machine.travel("2021-09-13 10:00 +0800", tick=False)
def test_the_office_the_unit_and_the_named_person_are_told(
    office_admin, market_user, education_user, inspector, reviewer
):
    load_programme(items=5)
    office_task = _task("committee-office", "8月底前报送分模块自查说明和资料清单目录")
    market = ResponsibleUnit.objects.get(code="market-regulation")
    # 区市场监管局's 责任人 logs in as an inspector (监管人员), not as the unit's member login.
    person = services.person_save(
        unit=market, name="王示例", post="科长", phone="13812345678", actor=market_user
    )
    person.user = inspector
    person.save()
    market_task = _task("market-regulation", "完成全区小餐饮整改提升", person=person)
    school_task = _task("education", "学校食堂“互联网+明厨亮灶”全覆盖")

    call_command("send-reminders", stdout=io.StringIO())

    # 区食药安办 has no member-unit login: the office is told (before: nobody).
    assert _recipients(office_task) == {office_admin}
    # The unit's login and the named person's (before: only the unit's).
    assert _recipients(market_task) == {market_user, inspector}
    # A unit with its own login: only it; the office reads the overdue page, no flood.
    assert _recipients(school_task) == {education_user}
    assert not Notification.objects.filter(recipient=reviewer).exists()
    # Each is the overdue reminder, once per person (the same run again adds nothing).
    assert {n.title for n in Notification.objects.all()} == {"任务督办提醒（已逾期）"}
    count = Notification.objects.count()
    call_command("send-reminders", stdout=io.StringIO())
    assert Notification.objects.count() == count == 4
