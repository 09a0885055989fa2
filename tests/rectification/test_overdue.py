"""Overdue is derived from the deadline and the day, never stored (time frozen)."""

from __future__ import annotations

from datetime import date

from foodsafe.rectification.models import Rectification
from foodsafe.rectification.selectors import (
    overdue_rectifications,
    rectification_closed_late,
    rectification_is_overdue,
)
from tests.rectification.helpers import frozen, rectification_in, unit

# Created Thu 2021-09-30 with 10 working days: due Wed 2021-10-20 (National Day skipped).
DUE = date(2021, 10, 20)


def test_no_overdue_field_is_stored():
    assert "overdue" not in {f.name for f in Rectification._meta.get_fields()}


def test_overdue_from_the_day_after_the_deadline(office_admin):
    r = rectification_in("in_progress", creator=office_admin)
    assert r.deadline == DUE
    assert not rectification_is_overdue(r, on=date(2021, 10, 19))
    assert not rectification_is_overdue(r, on=DUE)  # the deadline day itself is on time
    assert rectification_is_overdue(r, on=date(2021, 10, 21))


def test_today_by_default(office_admin):
    r = rectification_in("open", creator=office_admin)
    with frozen(DUE, hour=23):
        assert not rectification_is_overdue(r)
    with frozen(date(2021, 10, 21), hour=0):
        assert rectification_is_overdue(r)


def test_every_unclosed_state_can_be_overdue(office_admin, reviewer):
    late = date(2021, 11, 1)
    for state in ("open", "in_progress", "submitted", "sent_back"):
        assert rectification_is_overdue(rectification_in(state, creator=office_admin), on=late)
    closed = rectification_in("closed", creator=office_admin, verifier=reviewer, closed_on=late)
    assert not rectification_is_overdue(closed, on=late)
    assert rectification_closed_late(closed)
    on_time = rectification_in("closed", creator=office_admin, verifier=reviewer, closed_on=DUE)
    assert not rectification_closed_late(on_time)


def test_overdue_rectifications(office_admin, reviewer):
    market = rectification_in("in_progress", creator=office_admin)
    education = rectification_in("open", creator=office_admin, owner="education")
    later = rectification_in("open", creator=office_admin, created_on=date(2021, 10, 15))
    rectification_in("closed", creator=office_admin, verifier=reviewer, closed_on=date(2021, 11, 1))
    on = date(2021, 10, 21)
    assert list(overdue_rectifications(on=on)) == [market, education]
    assert list(overdue_rectifications(unit=unit("education"), on=on)) == [education]
    assert list(overdue_rectifications(unit=unit("market-regulation").pk, on=on)) == [market]
    # 10 working days from Fri 2021-10-15: due Fri 2021-10-29.
    assert later.deadline == date(2021, 10, 29)
    assert later in overdue_rectifications(on=date(2021, 11, 1))
    assert list(overdue_rectifications(on=DUE)) == []
