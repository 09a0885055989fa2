"""Statutory public holidays (法定节假日) of 《全国年节及纪念日放假办法》, 2024 revision
(国务院令第795号, in force 2025-01-01), 第二条 — the days off every citizen has by law:

- 元旦 1 day (1 January);
- 春节 4 days (农历除夕、正月初一至初三);
- 清明节 1 day (the day of the 清明 solar term);
- 劳动节 2 days (1–2 May);
- 端午节 1 day (农历五月初五);
- 中秋节 1 day (农历八月十五);
- 国庆节 3 days (1–3 October).

This is what is known of a year before the State Council publishes its arrangement (usually in
November of the year before): the days are fixed, but the bridging days (调休) and make-up working
days are not, so deadlines counted with these alone are provisional (暂定). Lunar dates come from
``lunar-python`` (a kept lunar-calendar library), not from a table of our own.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from django.utils.translation import gettext_noop
from lunar_python import Lunar, Solar

#: The statutory holidays' names, marked for the English catalogue: the calendar pages show a
#: stored day's name translated when the catalogue has it (a name typed in by the office stays
#: as typed).
HOLIDAY_NAMES = (
    gettext_noop("元旦"),
    gettext_noop("春节"),
    gettext_noop("清明节"),
    gettext_noop("劳动节"),
    gettext_noop("端午节"),
    gettext_noop("中秋节"),
    gettext_noop("国庆节"),
)


def _lunar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    """The day of the 清明 solar term: 4, 5 or 6 April."""
    for day in range(3, 7):
        if Solar.fromYmd(year, 4, day).getLunar().getJieQi() == "清明":
            return date(year, 4, day)
    raise ValueError(f"no 清明 found in April {year}")  # pragma: no cover - astronomy


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays falling in the Gregorian ``year``, date → name.

    春节 of ``year`` is the lunar new year that starts in ``year``; its 除夕 is the day before
    正月初一 (the last day of the twelfth month, 29th or 30th). E.g. 2028: 正月初一 is Wednesday
    2028-01-26, so 春节 is Tue 25 – Fri 28 January.
    """
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = _lunar(year, 1, 1)
    for offset in range(-1, 3):
        days[new_year + timedelta(days=offset)] = "春节"
    days[_qingming(year)] = "清明节"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "劳动节"
    days[_lunar(year, 5, 5)] = "端午节"
    zhongqiu = _lunar(year, 8, 15)
    for day in (1, 2, 3):
        days[date(year, 10, day)] = "国庆节"
    # 中秋 can fall on 1–3 October (2028: 3 October): the day stays one holiday, 国庆 by name
    # first; the State Council's arrangement then decides the bridging.
    days.setdefault(zhongqiu, "中秋节")
    return days
