"""Complaint services: statutory deadlines in Chinese working days (工作日).

Working days follow the State Council's public-holiday calendar as published in the
``chinese_calendar`` package: statutory holidays are off and make-up working days (调休上班,
e.g. Saturday 2021-10-09) are on. The package covers a fixed range of years; a date outside it
raises ``ValueError`` instead of silently treating every weekday as a working day.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from .models import Decision

#: 投诉举报处理暂行办法 第十四条: decide whether to accept within 7 working days of receipt.
ACCEPTANCE_WORKING_DAYS = 7
#: 投诉举报处理暂行办法 第二十一条(五): mediation ends within 45 working days of acceptance.
MEDIATION_WORKING_DAYS = 45


@lru_cache(maxsize=8192)
def is_working_day(day: date) -> bool:
    """Whether ``day`` is a Chinese working day (工作日), make-up working days included.

    Raises ``ValueError`` (Chinese + English) when the holiday calendar does not cover the year.
    """
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        raise ValueError(
            f"节假日日历未覆盖 {day.isoformat()} 所在年份，无法计算工作日 / "
            f"the holiday calendar does not cover {day.year}; cannot count working days ({exc})"
        ) from exc


def add_working_days(start: date, days: int) -> date:
    """The date that is ``days`` Chinese working days after ``start``.

    ``start`` itself is not counted (the period runs from the next day, as statutory time limits
    do), so ``add_working_days(Thursday 2021-09-30, 7)`` is Friday 2021-10-15: 1–7 October is the
    National Day holiday and Saturday 9 October was a make-up working day. A start on a holiday
    or weekend is fine: counting begins with the next working day. ``days == 0`` returns
    ``start`` unchanged.

    Raises ``ValueError`` if ``days`` is negative or a date on the way lies in a year the holiday
    calendar does not cover.
    """
    if days < 0:
        raise ValueError(f"工作日天数不能为负数 / working days must not be negative: {days}")
    current, remaining = start, days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def complaint_deadlines(
    *,
    received_on: date,
    decision: str,
    decided_on: date | None,
    suspended_working_days: int = 0,
) -> tuple[date, date | None]:
    """Statutory deadlines of a complaint (投诉): ``(acceptance_due_on, closing_due_on)``.

    - Acceptance decision (受理决定): 7 working days after ``received_on``
      (《市场监督管理投诉举报处理暂行办法》第十四条).
    - Mediation closing (调解终止/办结): only when ``decision`` is ``accepted``: 45 working days
      after the acceptance date ``decided_on`` (第二十一条(五)), extended by
      ``suspended_working_days``, the working days spent on 检定、检验、检测、鉴定, which are not
      counted (第二十条). For any other decision it is ``None``.

    Raises ``ValueError`` if the decision is ``accepted`` without ``decided_on``, if
    ``suspended_working_days`` is negative, or if the holiday calendar does not cover a date.
    """
    acceptance_due_on = add_working_days(received_on, ACCEPTANCE_WORKING_DAYS)
    if decision != Decision.ACCEPTED:
        return acceptance_due_on, None
    if decided_on is None:
        raise ValueError("已受理的投诉须有决定日期 / an accepted complaint needs decided_on")
    if suspended_working_days < 0:
        raise ValueError(
            "不计入的工作日不能为负数 / suspended working days must not be negative: "
            f"{suspended_working_days}"
        )
    closing_due_on = add_working_days(decided_on, MEDIATION_WORKING_DAYS + suspended_working_days)
    return acceptance_due_on, closing_due_on
