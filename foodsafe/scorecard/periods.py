"""Period identifiers as in DHIS2: ``2021``, ``2021S1``, ``2021Q3``, ``202108``."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})S([12])$"), "half"),
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"), "month"),
)


class PeriodError(ValueError):
    """A period identifier that is not one of ``YYYY``, ``YYYYS1|2``, ``YYYYQ1–4``, ``YYYYMM``."""


@dataclass(frozen=True)
class Period:
    """A calendar period: ``start`` and ``end`` are both inclusive dates."""

    code: str
    kind: str  # year | half | quarter | month
    start: date
    end: date

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def months(self) -> int:
        """Length in whole months: 12, 6, 3 or 1."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def fraction_of_year(self) -> float:
        """Share of a year the period spans, by months: 1, 0.5, 0.25 or 1/12."""
        return self.months / 12

    def label_zh(self) -> str:
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.start.month == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{self.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.year}年{self.start.month}月"

    def __str__(self) -> str:
        return self.code


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(code: str) -> Period:
    """Parse a DHIS2-style period identifier.

    ``"2021"`` → 2021-01-01..2021-12-31; ``"2021S1"`` → Jan–Jun; ``"2021Q3"`` → Jul–Sep;
    ``"202108"`` → August 2021. Raises :class:`PeriodError` for anything else (e.g. ``"2021Q5"``).
    """
    text = (code or "").strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2999:
            break
        if kind == "year":
            return Period(text, kind, date(year, 1, 1), date(year, 12, 31))
        part = int(match.group(2))
        if kind == "half":
            first = 1 if part == 1 else 7
            return Period(text, kind, date(year, first, 1), _month_end(year, first + 5))
        if kind == "quarter":
            first = 3 * (part - 1) + 1
            return Period(text, kind, date(year, first, 1), _month_end(year, first + 2))
        return Period(text, kind, date(year, part, 1), _month_end(year, part))
    raise PeriodError(
        f"无效的期间 {code!r}：应为 2021、2021S1、2021Q3 或 202108 形式 "
        f"(invalid period; use YYYY, YYYYS1, YYYYQ3 or YYYYMM)"
    )


def month_ends(year: int, through: date) -> list[date]:
    """The as-of dates of a year's monthly trend: each month end of ``year`` up to
    ``through``; the month of ``through`` ends at ``through`` itself. Empty when ``through``
    is before the year."""
    out = []
    for month in range(1, 13):
        if date(year, month, 1) > through:
            break
        out.append(min(date(year, month, calendar.monthrange(year, month)[1]), through))
    return out


def default_as_of(period: Period, today: date | None = None) -> date:
    """The as-of date: the period's end, or today if the period is not over yet."""
    today = today or timezone.localdate()
    return min(period.end, today)
