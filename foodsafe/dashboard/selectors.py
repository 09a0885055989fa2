"""Reads for the dashboard (数据看板): every number the charts draw, as one JSON-ready dict.

Cost: for a year, one pass of the engine over the year as of every month end so far
(``scorecard.months``: one grouped query per relation, months added up as running totals), for
the unit and its direct children: the page's scorecard is the last month's, the monthly trend
the unit's earlier ones. For a shorter period, one engine run for the page and that pass for
the unit alone. The dashboard evaluates without veto items (the scorecard page shows those),
which saves their per-unit look-ups.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from foodsafe.lib import i18n
from foodsafe.orgunits.selectors import child_units
from foodsafe.programme.spec import ProgrammeSpec
from foodsafe.scorecard.cache import cached_months, cached_scorecards
from foodsafe.scorecard.periods import month_ends, parse_period
from foodsafe.scorecard.results import IndicatorResult, Scorecard, Status
from foodsafe.web.selectors import (
    Crumb,
    PeriodOption,
    key_indicators,
    org_unit_breadcrumbs,
    period_options,
    programme_spec,
)

#: How many indicators the subdistrict comparison shows (veto-linked and failing first).
SUBDISTRICT_INDICATORS = 6
STATUSES = (Status.MET, Status.NOT_MET, Status.NO_DATA, Status.EVIDENCE_NEEDED, Status.ANNUAL)


@dataclass(frozen=True)
class DashboardPage:
    scorecard: Scorecard
    children: tuple[Scorecard, ...]
    trend: tuple[Scorecard, ...]  # year to date as of each month end, January first
    breadcrumbs: tuple[Crumb, ...]
    periods: tuple[PeriodOption, ...]
    chart: dict[str, Any]

    @property
    def counts(self) -> dict[str, int]:
        return self.scorecard.counts()


def _english() -> bool:
    return i18n.english()


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _status_labels() -> dict[str, str]:
    return {
        Status.MET.value: _("达标"),
        Status.NOT_MET.value: _("未达标"),
        Status.NO_DATA.value: _("无数据"),
        Status.EVIDENCE_NEEDED.value: _("待核验材料"),
        Status.INFO.value: _("仅监测"),
        Status.ANNUAL.value: _("按年度判定"),
    }


def _unit_label(unit: str) -> str:
    return {
        "%": "%",
        "batches_per_thousand": _("批次/千人"),
        "points": _("分"),
        "count": _("项"),
        "per_business": _("/家"),
    }.get(unit, unit)


def month_label(month: int, english: bool) -> str:
    """``3月`` or ``Mar``."""
    return calendar.month_abbr[month] if english else f"{month}月"


def _without_vetoes(spec: ProgrammeSpec) -> ProgrammeSpec:
    return spec.model_copy(update={"vetoes": []})


def _group_chart(card: Scorecard, spec: ProgrammeSpec, english: bool) -> dict[str, Any]:
    """Items by status in each group: the stacked bars."""
    titles = {g.code: (g.title_en if english and g.title_en else g.title) for g in spec.groups}
    series = {s.value: [] for s in STATUSES}  # type: dict[str, list[int]]
    for group in card.groups:
        statuses = [i.status for i in card.items if i.group == group.code]
        for status in STATUSES:
            series[status.value].append(sum(s is status for s in statuses))
    return {
        "categories": [titles.get(g.code, g.title) for g in card.groups],
        "series": series,
    }


def _forecast(last: IndicatorResult, as_of: date, today: date) -> float | None:
    """Year-end forecast at the current pace: the engine's pro-rated forecast for annualised
    indicators (batches per 1,000 residents a year); a rate or a score keeps its current value.
    ``None`` once the year is over (the year's own figure is known) or without a value."""
    year_end = date(as_of.year, 12, 31)
    if as_of >= year_end or today > year_end or last.value is None:
        return None
    if last.forecast is not None:
        return _num(last.forecast)
    return _num(last.value)


def _name(result: IndicatorResult, english: bool) -> str:
    return result.name_en if english and result.name_en else result.name


def _trend_chart(
    card: Scorecard, trend: list[Scorecard], english: bool, today: date
) -> list[dict[str, Any]]:
    """One entry per indicator of ``card`` (in its order): the year-to-date value at each
    month end, the year's target and the year-end forecast."""
    by_month = [{i.code: i for i in month.indicators} for month in trend]
    out = []
    for ind in card.indicators:
        series = [month.get(ind.code) for month in by_month]
        last = series[-1] if series else None
        out.append(
            {
                "code": ind.code,
                "name": _name(ind, english),
                "unit": _unit_label(ind.unit),
                "target": _num(last.target_value) if last else None,
                "values": [_num(r.value) if r else None for r in series],
                "forecast": _forecast(last, trend[-1].as_of, today) if last else None,
                "status": (last or ind).status.value,
            }
        )
    return out


def _achievement(result: IndicatorResult | None) -> float | None:
    """Value as a share of target, in % (100 = exactly on target), for ``>=``/``>`` targets
    and, inverted, for ``<=``/``<``; ``None`` without a value or a usable target."""
    if result is None or result.value is None or not result.target_value:
        return None
    if result.target.lstrip().startswith("<"):
        if not result.value:
            return None
        return round(float(result.target_value / result.value * 100), 1)
    return round(float(result.value / result.target_value * 100), 1)


def _children_chart(
    card: Scorecard, children: list[Scorecard], spec: ProgrammeSpec, english: bool
) -> dict[str, Any]:
    keys = key_indicators(card, spec, limit=SUBDISTRICT_INDICATORS)
    series = []
    for child in children:
        by_code = {i.code: i for i in child.indicators}
        series.append(
            {
                "name": child.org_unit.name,
                "code": child.org_unit.code,
                "achievement": [_achievement(by_code.get(k.code)) for k in keys],
                "values": [
                    _num(by_code[k.code].value) if k.code in by_code else None for k in keys
                ],
                "statuses": [
                    by_code[k.code].status.value if k.code in by_code else None for k in keys
                ],
            }
        )
    return {
        "indicators": [_name(k, english) for k in keys],
        "units": [_unit_label(k.unit) for k in keys],
        "series": series,
    }


def dashboard_page(*, org_code: str, period_code: str, today: date | None = None) -> DashboardPage:
    """Evaluate what the dashboard of ``org_code`` for ``period_code`` draws.

    Raises :class:`~foodsafe.scorecard.periods.PeriodError` for a malformed period and
    :class:`~foodsafe.scorecard.engine.UnknownOrgUnit` for a code not in the org-unit tree.
    """
    period = parse_period(period_code)
    today = today or timezone.localdate()
    full_spec = programme_spec()
    spec = _without_vetoes(full_spec)
    child_codes = [child.code for child in child_units(org_code)]
    year = parse_period(str(period.year))
    through = min(period.end, today)
    if period == year and month_ends(period.year, through):
        # The page's own card is the year as of ``through``: the last month of the trend.
        months = cached_months(
            spec=spec,
            org_units=[org_code, *child_codes],
            year=period.year,
            through=through,
            last_only=child_codes,
        )
        trend = [cards[0] for cards in months.values()]
        card, children = trend[-1], list(months[through][1:])
    else:
        cards = cached_scorecards(spec=spec, org_units=[org_code, *child_codes], period=period)
        card, children = cards[0], list(cards[1:])
        months = (
            cached_months(spec=spec, org_units=[org_code], year=period.year, through=through)
            if month_ends(period.year, through)
            else {}
        )
        trend = [cards[0] for cards in months.values()]

    english = _english()
    chart = {
        "labels": {
            "statuses": _status_labels(),
            "target": _("目标"),
            "actual": _("年初至今"),
            "forecast": _("预计全年"),
            "achievement": _("达成目标程度（%）"),
            "on_target": _("达到目标"),
            "no_data": _("无数据"),
            "value": _("数值"),
        },
        "months": [month_label(m, english) for m in range(1, 13)],
        "as_of": [d.isoformat() for d in (c.as_of for c in trend)],
        "groups": _group_chart(card, spec, english),
        "trend": _trend_chart(card, trend, english, today),
        "children": _children_chart(card, children, full_spec, english),
    }
    return DashboardPage(
        scorecard=card,
        children=tuple(children),
        trend=tuple(trend),
        breadcrumbs=org_unit_breadcrumbs(org_code, full_spec.programme.org_unit),
        periods=period_options(period),
        chart=chart,
    )
