"""Years, months and days typed into a URL or a form (``?year=``, ``?month=``, ``?on=``).

Every page that takes one parses it here, so that ``?year=10000``, ``?month=0000-01``,
``?month=2021-13`` or ``?on=9999-12-31`` is one clear 400 (the message names the parameter and
the form it takes) instead of a 500 from ``date(0, 1, 1)``, from a year lookup or from
working-day arithmetic past year 9999. Dates are taken from 2000 to 2100 (``YEAR_MIN`` …
``YEAR_MAX``): the programme and its ledgers start in the 2000s, and the working-day calendar
knows the statutory holidays of no year far outside that.

A ``BadParameter`` is a ``django.core.exceptions.BadRequest`` (Django answers 400 through
``handler400``, which shows its message) and a ``ValueError`` (code that already catches
``ValueError`` from ``date.fromisoformat`` keeps working when it calls these instead).
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import BadRequest, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

YEAR_MIN = 2000
YEAR_MAX = 2100

#: Longest raw value quoted back in a message.
_QUOTE_MAX = 20


class BadParameter(BadRequest, ValueError):
    """A year, month or date parameter that is malformed or outside 2000–2100; ``str()`` is
    the message for the user (Chinese, translated), naming the parameter."""

    def __init__(self, message: str, *, name: str = "") -> None:
        super().__init__(message)
        self.name = name


def _quoted(raw: str) -> str:
    return raw[:_QUOTE_MAX]


def _out_of_range(name: str, raw: str, form: str) -> BadParameter:
    return BadParameter(
        _("参数 %(name)s 的值“%(raw)s”无效：应为 %(form)s，年份在 %(lo)s 至 %(hi)s 之间。")
        % {"name": name, "raw": _quoted(raw), "form": form, "lo": YEAR_MIN, "hi": YEAR_MAX},
        name=name,
    )


def year_param(raw: str | None, *, name: str = "year") -> int | None:
    """``YYYY`` from 2000 to 2100 as an int; ``None`` when blank.

    Raises ``BadParameter`` for anything else (``0``, ``10000``, ``abc``)."""
    text = (raw or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise _out_of_range(name, text, _("四位年份（如 2021）"))
    year = int(text)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise _out_of_range(name, text, _("四位年份（如 2021）"))
    return year


_MONTH = re.compile(r"(\d{4})-?(\d{2})")


def month_param(raw: str | None, *, name: str = "month") -> date | None:
    """``YYYY-MM`` or ``YYYYMM`` as the month's first day; ``None`` when blank.

    Raises ``BadParameter`` for a malformed value, month 0 or 13, or a year outside
    2000–2100 (``0000-01``, ``10000-01``)."""
    text = (raw or "").strip()
    if not text:
        return None
    match = _MONTH.fullmatch(text) if text.isascii() else None
    if match is None:
        raise _out_of_range(name, text, _("年月（如 2021-09）"))
    year, month = int(match[1]), int(match[2])
    if not (YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12):
        raise _out_of_range(name, text, _("年月（如 2021-09）"))
    return date(year, month, 1)


def date_param(raw: str | None, *, name: str = "on") -> date | None:
    """``YYYY-MM-DD`` from 2000-01-01 to 2100-12-31; ``None`` when blank.

    Raises ``BadParameter`` for a malformed or impossible date (``2021-02-30``) or one outside
    those years (``0001-01-01``, ``9999-12-31``)."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text) if text.isascii() and len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or not YEAR_MIN <= day.year <= YEAR_MAX:
        raise _out_of_range(name, text, _("日期（如 2021-09-30）"))
    return day


def validate_year_range(value: date) -> None:
    """A form field validator: a date from 2000 to 2100, else ``ValidationError`` saying so
    (``0001-01-01`` or ``9999-12-31`` typed into a date field)."""
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(
            _("日期 %(day)s 超出范围：年份应在 %(lo)s 至 %(hi)s 之间。"),
            code="year_range",
            params={"day": value.isoformat(), "lo": YEAR_MIN, "hi": YEAR_MAX},
        )


def validate_not_future(value: date) -> None:
    """A form field validator for a day something happened (a checklist, a listing, a
    publication, a meeting held): not after today, else ``ValidationError`` saying so.
    Dates still to come (deadlines, a survey's field period) take ``validate_year_range``
    only."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            _("日期 %(day)s 晚于今天（%(today)s）：此处应填已发生的日期。"),
            code="future",
            params={"day": value.isoformat(), "today": today.isoformat()},
        )


#: The validators of a form date field for a day that has happened: 2000 to today.
PAST_DATE = [validate_year_range, validate_not_future]


class BadDate(ValueError):
    """A posted date that is malformed, outside 2000–2100, or (for a past event) after today;
    ``str()`` names the field (its Chinese label) and says which."""


def posted_date(
    raw: str | None, *, label: str, required: bool = True, future: bool = False
) -> date | None:
    """A date typed into a form field that a view reads by hand (``request.POST``):
    ``YYYY-MM-DD`` from 2000-01-01 to today (to 2100-12-31 when ``future``); ``None`` when blank
    and not ``required``.

    Raises ``BadDate`` naming ``label`` for a blank required value, a malformed or impossible
    date, a year outside 2000–2100, or a future day where only a past one makes sense."""
    text = (raw or "").strip()
    if not text:
        if required:
            raise BadDate(_("请填写%(label)s（如 2021-09-30）。") % {"label": label})
        return None
    try:
        day = date_param(text, name=label)
    except BadParameter:
        raise BadDate(
            _("%(label)s“%(raw)s”无效：应为日期（如 2021-09-30），年份在 %(lo)s 至 %(hi)s 之间。")
            % {"label": label, "raw": _quoted(text), "lo": YEAR_MIN, "hi": YEAR_MAX}
        ) from None
    assert day is not None  # noqa: S101 - text is not blank
    if not future:
        try:
            validate_not_future(day)
        except ValidationError:
            raise BadDate(
                _("%(label)s %(day)s 晚于今天（%(today)s）：应填已发生的日期。")
                % {
                    "label": label,
                    "day": day.isoformat(),
                    "today": timezone.localdate().isoformat(),
                }
            ) from None
    return day
