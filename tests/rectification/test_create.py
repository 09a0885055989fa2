"""rectification_create: numbers ZG-<year>-<sequence>, deadlines in Chinese working days
(across National Day and Spring Festival 2021, time frozen), who may create, the audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from foodsafe.rectification.models import Rectification
from foodsafe.rectification.services import rectification_create
from tests.rectification.helpers import frozen, unit


def create(actor, **kw):
    defaults = {
        "title": "学校食堂未落实陪餐制",
        "owner_unit": unit("education"),
        "source": "self_check",
        "working_days": 10,
    }
    return rectification_create(actor=actor, **{**defaults, **kw})


@pytest.mark.parametrize(
    ("created_on", "working_days", "deadline"),
    [
        # National Day 2021: Oct 1–7 off, Sat Oct 9 a make-up working day. From Thu Sep 30:
        # Oct 8 (1), Sat Oct 9 (2), Oct 11–15 (3–7), Oct 18 (8), 19 (9), 20 (10).
        (date(2021, 9, 30), 10, date(2021, 10, 20)),
        (date(2021, 9, 30), 1, date(2021, 10, 8)),
        (date(2021, 9, 30), 2, date(2021, 10, 9)),  # the make-up Saturday counts
        (date(2021, 10, 3), 1, date(2021, 10, 8)),  # created on a holiday
        # Spring Festival 2021: Feb 11–17 off, Sun Feb 7 and Sat Feb 20 make-up working days.
        # From Wed Feb 3: Feb 4 (1), 5 (2), Sun 7 (3), 8 (4), 9 (5), 10 (6), 18 (7), 19 (8),
        # Sat 20 (9), Mon 22 (10).
        (date(2021, 2, 3), 10, date(2021, 2, 22)),
        (date(2021, 2, 3), 3, date(2021, 2, 7)),  # the make-up Sunday counts
        (date(2021, 2, 10), 1, date(2021, 2, 18)),  # the whole holiday skipped
        (date(2021, 2, 10), 3, date(2021, 2, 20)),  # the make-up Saturday counts
        (date(2021, 2, 19), 2, date(2021, 2, 22)),  # Sat 20 (1), Mon 22 (2): Sun 21 off
    ],
)
def test_deadline_in_working_days(office_admin, created_on, working_days, deadline):
    with frozen(date(2021, 12, 31)):
        r = create(office_admin, created_on=created_on, working_days=working_days)
    assert r.deadline == deadline
    assert r.created_on == created_on and r.working_days == working_days


def test_created_today_by_default(office_admin):
    with frozen(date(2021, 9, 30), hour=23):  # 23:00 in Beijing is still the 30th
        r = create(office_admin)
    assert r.created_on == date(2021, 9, 30) and r.deadline == date(2021, 10, 20)


def test_numbers_run_per_year(office_admin):
    with frozen(date(2022, 1, 5)):
        numbers = [
            create(office_admin, created_on=date(2021, 12, 1)).number,
            create(office_admin, created_on=date(2021, 12, 2)).number,
            create(office_admin).number,
            create(office_admin, created_on=date(2021, 12, 3)).number,
        ]
    assert numbers == ["ZG-2021-0001", "ZG-2021-0002", "ZG-2022-0001", "ZG-2021-0003"]


def test_open_with_a_first_event_and_history(office_admin):
    with frozen(date(2021, 9, 30)):
        r = create(office_admin, description="抽查发现")
    assert r.state == "open" and r.closed_on is None and r.created_by == office_admin
    [event] = r.events.all()
    assert (event.from_state, event.to_state, event.actor) == ("", "open", office_admin)
    [record] = r.history.all()
    assert record.history_user == office_admin and record.history_type == "+"


def test_reviewer_findings_are_review(reviewer):
    with frozen(date(2021, 9, 30)):
        r = create(reviewer, source="self_check")
    assert r.source == "review"


@pytest.mark.parametrize("persona", ["inspector", "outsider"])
def test_who_may_not_create(persona, request):
    with frozen(date(2021, 9, 30)), pytest.raises(PermissionDenied):
        create(request.getfixturevalue(persona))
    assert not Rectification.objects.exists()


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"working_days": 0}, "1 至 250 个工作日"),
        ({"working_days": 251}, "1 至 250 个工作日"),
        ({"title": "  "}, "请填写问题"),
        ({"source": "rumour"}, "未知的问题来源"),
        ({"created_on": date(2021, 10, 1)}, "不能晚于今天"),
    ],
)
def test_refused_input(office_admin, kw, message):
    with frozen(date(2021, 9, 30)), pytest.raises(ValidationError, match=message):
        create(office_admin, **kw)
    assert not Rectification.objects.exists()
