"""Evidence still missing at the filing phase's end is on 逾期督办 (issue 17 point 1), counted
in working days from the phase's last day, like overdue rectifications."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from foodsafe.materials.selectors import missing_evidence
from tests.scorecard.conftest import full_spec

from .helpers import approved

SPEC = full_spec()


def at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


def test_missing_after_full_push(
    client, assignment, market_user, education_user, reviewer, settings
):
    settings.FOODSAFE_MATERIALS_DUE_PHASE = "full_push"  # 全面推动阶段, 2021-07-01 – 2021-08-31
    approved(assignment(6, "market-regulation"), by=market_user, reviewer=reviewer, title="计划")
    # Waiting for review is still missing; rejected too.
    approved(
        assignment(8, "market-regulation"),
        by=market_user,
        reviewer=reviewer,
        title="待审",
        approve=None,
    )
    # Spec: 区市场监管局 is assigned to these items; only item 6 has an approved file.
    market_items = sorted(
        i.number for i in SPEC.items if any(u.unit == "market-regulation" for u in i.units)
    )
    with at(date(2021, 8, 31)):
        assert missing_evidence(user=market_user, on=date(2021, 8, 31), spec=SPEC).units == []
    # From 31 Aug to 22 Sep 2021: 1–3, 6–10, 13–17 Sep (13), the make-up Saturday 18 Sep (14),
    # 22 Sep (15); 20–21 Sep were the Mid-Autumn holiday: 15 working days.
    report = missing_evidence(user=market_user, on=date(2021, 9, 22), spec=SPEC)
    assert [u.unit.code for u in report.units] == ["market-regulation"]  # its own only
    items = report.units[0].items
    assert [m.assignment.item.number for m in items] == [n for n in market_items if n != 6]
    assert {m.working_days_late for m in items} == {15}
    assert next(m.pending for m in items if m.assignment.item.number == 8) == 1
    with at(date(2021, 9, 22)):
        client.force_login(education_user)
        page = client.get(reverse("supervision:overdue")).content.decode()
    assert "阶段结束仍缺的佐证材料" in page and "区教育局" in page and "区市场监管局" not in page


def test_office_sees_every_unit(office_admin, programme):
    report = missing_evidence(user=office_admin, on=date(2021, 9, 1), spec=SPEC)
    # Nothing approved: every assignment of the spec is missing, 1 working day after 31 Aug.
    assert report.total == sum(len(i.units) for i in SPEC.items)
    assert {m.working_days_late for u in report.units for m in u.items} == {1}
