"""Reads of the working-day calendar for the office's calendar page (工作日日历)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import CalendarRevision, DayKind, HolidayArrangement, SpecialDay
from .statutory import statutory_holidays

WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
#: Years shown beyond today's as 暂定 (statutory holidays only) when nobody has loaded them.
YEARS_AHEAD = 2


@dataclass(frozen=True)
class YearRow:
    year: int
    provisional: bool  # no arrangement: weekends and statutory holidays only (暂定)
    holidays: int
    workdays: int
    source_title: str = ""
    source_number: str = ""
    source_date: date | None = None
    loaded_by: str = ""
    loaded_at: datetime | None = None


@dataclass(frozen=True)
class DayRow:
    day: date
    weekday: str
    kind: str  # DayKind value
    kind_label: str
    name: str


def calendar_years(*, on: date) -> list[YearRow]:
    """Every arranged year (newest first) with its notice, who loaded it and its counts, then
    the years after the last arranged one up to ``on``'s year + 2 that count from the statutory
    holidays alone (暂定). Two queries."""
    rows = (
        HolidayArrangement.objects.select_related("loaded_by")
        .annotate(
            n_holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            n_workdays=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
        )
        .order_by("-year")
    )
    arranged = [
        YearRow(
            year=a.year,
            provisional=False,
            holidays=a.n_holidays,
            workdays=a.n_workdays,
            source_title=a.source_title,
            source_number=a.source_number,
            source_date=a.source_date,
            loaded_by=a.loaded_by.get_username() if a.loaded_by else "",
            loaded_at=a.loaded_at,
        )
        for a in rows
    ]
    have = {r.year for r in arranged}
    start = max(have, default=on.year - 1) + 1
    ahead = [
        YearRow(year=y, provisional=True, holidays=len(statutory_holidays(y)), workdays=0)
        for y in range(on.year + YEARS_AHEAD, start - 1, -1)
        if y not in have
    ]
    return ahead + arranged


def calendar_year_days(*, year: int) -> tuple[HolidayArrangement | None, list[DayRow]]:
    """A year's arrangement (``None`` if it has none) and its days that differ from
    Monday–Friday; for a year without one, its statutory holidays (暂定)."""
    arrangement = HolidayArrangement.objects.filter(year=year).select_related("loaded_by").first()
    labels = dict(DayKind.choices)
    if arrangement is None:
        days = [
            DayRow(
                d, str(WEEKDAYS[d.weekday()]), DayKind.HOLIDAY, str(labels[DayKind.HOLIDAY]), name
            )
            for d, name in sorted(statutory_holidays(year).items())
        ]
        return None, days
    return arrangement, [
        DayRow(s.date, str(WEEKDAYS[s.date.weekday()]), s.kind, str(labels[s.kind]), s.name)
        for s in SpecialDay.objects.filter(date__year=year).order_by("date")
    ]


def calendar_revisions(*, limit: int = 10) -> list[CalendarRevision]:
    """The latest calendar revisions, newest first (who, when, what, deadlines recomputed)."""
    return list(CalendarRevision.objects.select_related("changed_by").order_by("-version")[:limit])
