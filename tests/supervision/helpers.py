"""Rectification items for supervision tests, written straight to the models (the
rectification services have their own tests); deadlines in Chinese working days."""

from __future__ import annotations

import itertools
from datetime import date

from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.rectification.models import Rectification
from foodsafe.workdays.calendar import add_workdays

_numbers = itertools.count(1)

UNIT_NAMES = {
    "market-regulation": "区市场监管局",
    "education": "区教育局",
    "health": "区卫生健康委",
    "commerce": "区商务局",
}


def unit(code: str) -> ResponsibleUnit:
    found, _ = ResponsibleUnit.objects.get_or_create(
        code=code, defaults={"name": UNIT_NAMES.get(code, code)}
    )
    return found


def rectification(
    *,
    owner: str | ResponsibleUnit,
    created_on: date,
    working_days: int,
    creator,
    state: str = "open",
    closed_on: date | None = None,
    verifier=None,
    title: str = "",
) -> Rectification:
    """An item created on ``created_on`` due ``working_days`` working days later."""
    owner_unit = owner if isinstance(owner, ResponsibleUnit) else unit(owner)
    n = next(_numbers)
    deadline = add_workdays(created_on, working_days)
    return Rectification.objects.create(
        number=f"ZG-T-{n:05d}",
        title=title or f"测试整改问题{n}",
        owner_unit=owner_unit,
        source="self_check",
        created_by=creator,
        created_on=created_on,
        working_days=working_days,
        deadline=deadline.date,
        deadline_provisional=deadline.provisional,
        deadline_calendar_revision=deadline.revision,
        state=state,
        closed_on=closed_on,
        verified_by=verifier if state == "closed" else None,
    )
