"""Chinese working days (工作日) from the office's calendar: the one module every app counts with.

A day is a working day when:
- its year has a holiday arrangement (:class:`~foodsafe.workdays.models.HolidayArrangement`):
  it is a make-up working day (调休上班), or a Monday–Friday that is not a holiday of the
  arrangement;
- its year has none (the State Council has not published it yet, or nobody loaded it): it is a
  Monday–Friday that is not a statutory holiday (:mod:`foodsafe.workdays.statutory`). Such an
  answer is *provisional* (暂定): the arrangement will add bridging days and make-up days.

Every answer carries ``provisional`` and the calendar ``revision`` it was computed with, so a
stored deadline records both and can be recomputed when the year's arrangement is loaded.

Statutory time limits count from the day after the start (the start day is not counted).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from .statutory import statutory_holidays

#: A deadline further than this from its start is refused (about 8 years): a typo, not a rule.
MAX_WORKDAYS = 2000


@dataclass(frozen=True)
class DayAnswer:
    """Whether a day is a working day; truthy when it is."""

    day: date
    workday: bool
    provisional: bool
    revision: int

    def __bool__(self) -> bool:
        return self.workday


@dataclass(frozen=True)
class Deadline:
    """A date reached by counting working days, with how sure it is."""

    date: date
    provisional: bool
    revision: int


@dataclass(frozen=True)
class WorkdayCount:
    """A number of working days between two dates, with how sure it is."""

    days: int
    provisional: bool
    revision: int


@dataclass(frozen=True)
class Calendar:
    """One revision of the calendar, held in memory: arranged years and their special days."""

    revision: int
    token: str = ""
    #: date → True for a make-up working day, False for a holiday (arranged years only)
    special: dict[date, bool] = field(default_factory=dict)
    arranged_years: frozenset[int] = frozenset()

    def provisional(self, day: date) -> bool:
        """Whether ``day``'s year has no arrangement (its answer is 暂定)."""
        return day.year not in self.arranged_years

    def _workday(self, day: date) -> bool:
        if day.year in self.arranged_years:
            special = self.special.get(day)
            if special is not None:
                return special
            return day.weekday() < 5
        return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def is_workday(self, day: date) -> DayAnswer:
        """Whether ``day`` is a working day (make-up working days included)."""
        return DayAnswer(day, self._workday(day), self.provisional(day), self.revision)

    def add_workdays(self, start: date, days: int) -> Deadline:
        """The ``days``-th working day after ``start`` (``start`` not counted; 0 gives ``start``).

        ``add_workdays(Thu 2021-09-30, 7)`` is Fri 2021-10-15: 1–7 October is the National Day
        holiday and Saturday 9 October was a make-up working day. Provisional when any day
        counted lies in a year without an arrangement.
        """
        if days < 0:
            raise ValueError(f"工作日天数不能为负数 / working days must not be negative: {days}")
        if days > MAX_WORKDAYS:
            raise ValueError(f"工作日天数过大 / too many working days: {days}")
        current, remaining = start, days
        years = set()
        while remaining:
            current += timedelta(days=1)
            years.add(current.year)
            if self._workday(current):
                remaining -= 1
        provisional = any(y not in self.arranged_years for y in years)
        return Deadline(current, provisional, self.revision)

    def workdays_between(self, start: date, end: date) -> WorkdayCount:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

        ``workdays_between(2021-09-30, 2021-10-08)`` is 1: 1–7 October is the National Day
        holiday.
        """
        count, day, years = 0, start, set()
        while day < end:
            day += timedelta(days=1)
            years.add(day.year)
            if self._workday(day):
                count += 1
        provisional = any(y not in self.arranged_years for y in years)
        return WorkdayCount(count, provisional, self.revision)

    @property
    def last_arranged_year(self) -> int | None:
        return max(self.arranged_years, default=None)

    def with_year(self, year: int, special: dict[date, bool]) -> Calendar:
        """This calendar with ``year``'s arrangement replaced by ``special`` (date → True for a
        make-up working day, False for a holiday), as the next revision: what loading the year
        would give, for a preview that writes nothing."""
        kept = {d: w for d, w in self.special.items() if d.year != year}
        kept.update(special)
        return Calendar(
            revision=self.revision + 1,
            token="preview",  # noqa: S106 - not a secret: marks a calendar never stored
            special=kept,
            arranged_years=self.arranged_years | {year},
        )


_lock = threading.Lock()
_cached: Calendar | None = None
_checked_at = 0.0


def _latest_key() -> tuple[int, str]:
    from .models import CalendarRevision

    row = CalendarRevision.objects.order_by("-version").values_list("version", "token").first()
    return (row[0], str(row[1])) if row else (0, "")


def _load(version: int, token: str) -> Calendar:
    from .models import HolidayArrangement, SpecialDay

    years = frozenset(HolidayArrangement.objects.values_list("year", flat=True))
    special = {d: kind == "workday" for d, kind in SpecialDay.objects.values_list("date", "kind")}
    return Calendar(revision=version, token=token, special=special, arranged_years=years)


def current_calendar(*, max_age: float = 0.0) -> Calendar:
    """The calendar as last committed (one small query to check the revision).

    ``max_age`` (seconds) lets a loop over many rows (an import) skip the check for a while;
    a page or command asks with the default and always sees the latest revision.
    """
    global _cached, _checked_at
    now = time.monotonic()
    cached = _cached
    if cached is not None and max_age and now - _checked_at < max_age:
        return cached
    version, token = _latest_key()
    with _lock:
        if _cached is None or (_cached.revision, _cached.token) != (version, token):
            _cached = _load(version, token)
        _checked_at = now
        return _cached


def forget() -> None:
    """Drop the calendar held in memory (after a change, or between tests)."""
    global _cached, _checked_at
    with _lock:
        _cached, _checked_at = None, 0.0


def is_workday(day: date, *, calendar: Calendar | None = None) -> DayAnswer:
    """Whether ``day`` is a Chinese working day; see :meth:`Calendar.is_workday`."""
    return (calendar or current_calendar()).is_workday(day)


def add_workdays(start: date, days: int, *, calendar: Calendar | None = None) -> Deadline:
    """The ``days``-th working day after ``start``; see :meth:`Calendar.add_workdays`."""
    return (calendar or current_calendar()).add_workdays(start, days)


def workdays_between(start: date, end: date, *, calendar: Calendar | None = None) -> WorkdayCount:
    """Working days after ``start`` up to ``end``; see :meth:`Calendar.workdays_between`."""
    return (calendar or current_calendar()).workdays_between(start, end)


def seed_calendar() -> Calendar:
    """The calendar of the seed source alone (the years chinese-calendar covers), without the
    database: for generators of made-up data (example district, synthetic) that run before or
    without a database. Its revision is 0; anything stored counts with :func:`current_calendar`.
    """
    from .services import seed_days

    years = seed_days()
    special = {d.date: d.kind == "workday" for days in years.values() for d in days}
    return Calendar(revision=0, token="seed", special=special, arranged_years=frozenset(years))  # noqa: S106
