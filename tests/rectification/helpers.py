"""Helpers for the rectification tests: frozen days, units, rectifications in any state."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.rectification.models import Rectification
from foodsafe.workdays.calendar import add_workdays

SHANGHAI = ZoneInfo("Asia/Shanghai")


def frozen(day: date, hour: int = 10) -> time_machine.travel:
    """Freeze the clock at ``hour`` o'clock Beijing time on ``day`` (use as a context manager
    or decorator)."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def unit(code: str) -> ResponsibleUnit:
    names = {"market-regulation": "区市场监管局", "education": "区教育局", "health": "区卫生健康委"}
    found, _ = ResponsibleUnit.objects.get_or_create(code=code, defaults={"name": names[code]})
    return found


_counter = iter(range(1, 100000))


def rectification_in(
    state: str,
    *,
    creator,
    owner: str = "market-regulation",
    created_on: date = date(2021, 9, 30),
    working_days: int = 10,
    verifier=None,
    closed_on: date | None = None,
    title: str = "",
) -> Rectification:
    """A rectification written straight in ``state`` (to test one transition from it)."""
    n = next(_counter)
    closed = state == "closed"
    deadline = add_workdays(created_on, working_days)
    return Rectification.objects.create(
        number=f"ZG-T-{n:05d}",
        title=title or f"测试问题{n}",
        owner_unit=unit(owner),
        source="self_check",
        created_by=creator,
        created_on=created_on,
        working_days=working_days,
        deadline=deadline.date,
        deadline_provisional=deadline.provisional,
        deadline_calendar_revision=deadline.revision,
        state=state,
        closed_on=(closed_on or date(2021, 10, 15)) if closed else None,
        verified_by=(verifier or creator) if closed else None,
    )
