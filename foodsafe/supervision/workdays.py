"""Working-day arithmetic for supervision (督办): how long until or since a deadline.

Working days follow the State Council's holiday calendar (``chinese_calendar``) through
:func:`foodsafe.complaints.services.is_working_day`: statutory holidays are off and make-up
working days (调休上班, e.g. Sunday 2021-09-26, Saturday 2021-10-09) are on.
"""

from __future__ import annotations

from datetime import date, timedelta

from foodsafe.complaints.services import add_working_days, is_working_day

__all__ = ["add_working_days", "is_working_day", "working_days_between"]


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

    ``working_days_between(2021-09-30, 2021-10-08)`` is 1: 1–7 October is the National Day
    holiday. Raises ``ValueError`` for a year the holiday calendar does not cover.
    """
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
