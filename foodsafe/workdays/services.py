"""Writes to the working-day calendar: load a year's holiday arrangement, seed from
``chinese_calendar``.

Loading a year replaces its days, bumps the :class:`CalendarRevision` and recomputes every stored
deadline the change affects through the registered deadline holders (:mod:`.registry`), all in
one transaction with its audit rows (the revision itself says who, when, what; the arrangement
keeps its history).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import calendar as cal
from .models import CalendarRevision, DayKind, HolidayArrangement, SpecialDay
from .registry import DeadlineChange, deadline_holders, deadline_previews


@dataclass(frozen=True)
class ArrangementSource:
    """The State Council notice a year's arrangement comes from."""

    title: str
    number: str = ""
    published_on: date | None = None


@dataclass(frozen=True)
class ArrangedDay:
    date: date
    kind: str  # DayKind value
    name: str = ""


@dataclass(frozen=True)
class LoadResult:
    year: int
    revision: int
    holidays: int
    workdays: int
    recomputed: int
    changed: int
    by_holder: dict[str, tuple[int, int]]


def arrangement_validate(*, year: int, days: Iterable[ArrangedDay]) -> list[ArrangedDay]:
    """Check a year's days; raise ``ValidationError`` naming each bad day.

    Every day must lie in ``year``, appear once, be a holiday or a make-up working day; a make-up
    working day must be a Saturday or Sunday (调休上班 moves work onto a weekend) and a holiday
    should not be a plain weekday make-up. At least one holiday is required.
    """
    errors: list[str] = []
    seen: dict[date, ArrangedDay] = {}
    out = []
    for d in days:
        if d.kind not in DayKind.values:
            errors.append(f"{d.date.isoformat()}：类别应为“放假”或“调休上班”")
            continue
        if d.date.year != year:
            errors.append(f"{d.date.isoformat()}：不在 {year} 年内")
            continue
        if d.date in seen:
            errors.append(f"{d.date.isoformat()}：重复")
            continue
        if d.kind == DayKind.WORKDAY and d.date.weekday() < 5:
            errors.append(f"{d.date.isoformat()}：调休上班日应为周六或周日（这天本来就是工作日）")
            continue
        seen[d.date] = d
        out.append(d)
    if not any(d.kind == DayKind.HOLIDAY for d in out) and not errors:
        errors.append(f"{year} 年的安排中没有放假日")
    if errors:
        raise ValidationError(errors)
    return sorted(out, key=lambda d: d.date)


@dataclass(frozen=True)
class ArrangementPreview:
    year: int
    days: list[ArrangedDay]
    #: the stored deadlines whose date or 暂定 mark loading the year would change
    changes: list[DeadlineChange]
    #: whether the year already has an arrangement (loading replaces it)
    replaces: bool


def arrangement_preview(*, year: int, days: Iterable[ArrangedDay]) -> ArrangementPreview:
    """What loading ``year``'s arrangement would do, writing nothing: the checked days and every
    stored deadline that would change (old → new), from each registered holder's preview.

    Raises ``ValidationError`` for bad days, as :func:`arrangement_load` would.
    """
    checked = arrangement_validate(year=year, days=days)
    calendar = cal.current_calendar().with_year(
        year, {d.date: d.kind == DayKind.WORKDAY for d in checked}
    )
    changes = [
        change
        for _name, preview in sorted(deadline_previews().items())
        for change in preview(calendar=calendar, year=year)
    ]
    return ArrangementPreview(
        year=year,
        days=checked,
        changes=changes,
        replaces=HolidayArrangement.objects.filter(year=year).exists(),
    )


def _bump(*, actor: Any, summary: str) -> CalendarRevision:
    latest = CalendarRevision.objects.select_for_update().order_by("-version").first()
    return CalendarRevision.objects.create(
        version=(latest.version if latest else 0) + 1,
        changed_by=actor,
        changed_at=timezone.now(),
        summary=summary,
    )


def arrangement_load(
    *, year: int, days: Iterable[ArrangedDay], source: ArrangementSource, actor: Any
) -> LoadResult:
    """Load (or replace) ``year``'s holiday arrangement (节假日安排) and recompute deadlines.

    One transaction: the year's old days are replaced, the revision bumped (its summary names
    the notice and the days), every registered deadline holder recomputes what the year
    touches, and the counts are stored on the revision. Raises ``ValidationError`` for bad days.
    """
    checked = arrangement_validate(year=year, days=days)
    if not source.title.strip():
        raise ValidationError("请填写通知标题（如《国务院办公厅关于2027年部分节假日安排的通知》）")
    with transaction.atomic():
        arrangement = HolidayArrangement.objects.filter(year=year).first() or HolidayArrangement(
            year=year
        )
        arrangement.source_title = source.title.strip()[:200]
        arrangement.source_number = source.number.strip()[:60]
        arrangement.source_date = source.published_on
        arrangement.loaded_by = actor
        arrangement.loaded_at = timezone.now()
        arrangement._history_user = actor  # type: ignore[attr-defined]
        arrangement.save()
        SpecialDay.objects.filter(date__year=year).delete()
        SpecialDay.objects.bulk_create(
            SpecialDay(date=d.date, kind=d.kind, name=d.name[:40], arrangement=arrangement)
            for d in checked
        )
        holidays = sum(d.kind == DayKind.HOLIDAY for d in checked)
        workdays = len(checked) - holidays
        revision = _bump(
            actor=actor,
            summary=(
                f"载入 {year} 年节假日安排：{source.title.strip()}"
                + (f"（{source.number.strip()}）" if source.number.strip() else "")
                + f"，放假 {holidays} 天，调休上班 {workdays} 天"
            ),
        )
        cal.forget()
        calendar = cal.current_calendar()
        by_holder = {
            name: recompute(calendar=calendar, year=year, actor=actor)
            for name, recompute in sorted(deadline_holders().items())
        }
        revision.deadlines_recomputed = sum(r for r, _c in by_holder.values())
        revision.deadlines_changed = sum(c for _r, c in by_holder.values())
        revision.summary += f"；重算期限 {revision.deadlines_recomputed} 项，其中变化 {revision.deadlines_changed} 项"
        revision.save(update_fields=["deadlines_recomputed", "deadlines_changed", "summary"])
        transaction.on_commit(cal.forget)
    return LoadResult(
        year=year,
        revision=revision.version,
        holidays=holidays,
        workdays=workdays,
        recomputed=revision.deadlines_recomputed,
        changed=revision.deadlines_changed,
        by_holder=by_holder,
    )


_SEED_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def seed_days() -> dict[int, list[ArrangedDay]]:
    """The arrangements ``chinese_calendar`` knows (2004 up to its last year), year → days.

    Only the seed source: the project counts working days from the stored calendar.
    """
    from chinese_calendar import constants

    years: dict[int, list[ArrangedDay]] = {}
    for day, name in constants.holidays.items():
        years.setdefault(day.year, []).append(
            ArrangedDay(day, DayKind.HOLIDAY, _SEED_NAMES.get(name, name))
        )
    for day, name in constants.workdays.items():
        years.setdefault(day.year, []).append(
            ArrangedDay(day, DayKind.WORKDAY, _SEED_NAMES.get(name, name))
        )
    return years


def calendar_seed(*, actor: Any = None, only_missing: bool = True) -> list[LoadResult]:
    """Load every year ``chinese_calendar`` covers (by default only years not yet arranged)."""
    have = set(HolidayArrangement.objects.values_list("year", flat=True))
    results = []
    for year, days in sorted(seed_days().items()):
        if only_missing and year in have:
            continue
        results.append(
            arrangement_load(
                year=year,
                days=days,
                source=ArrangementSource(
                    title=f"国务院办公厅关于{year}年部分节假日安排的通知（据 chinesecalendar 软件包）"
                ),
                actor=actor,
            )
        )
    return results
