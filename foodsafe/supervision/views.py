"""Supervision pages (督查督办): overdue work by unit, and the units' performance table."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from foodsafe.accounts.permissions import (
    is_member_unit,
    is_office,
    member_unit,
    require_may_open,
)
from foodsafe.inforeports.selectors import overdue_reports
from foodsafe.lib.downloads import XLSX, attachment
from foodsafe.lib.listing import search_text
from foodsafe.lib.params import year_param
from foodsafe.materials.selectors import missing_evidence
from foodsafe.programme.in_force import programme_spec

from . import selectors
from .exports import overdue_to_xlsx, performance_to_xlsx


def rectification_url(pk: int) -> str | None:
    """The rectification item's own page, if the rectification app has one."""
    try:
        return reverse("rectification:detail", args=[pk])
    except NoReverseMatch:
        return None


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Overdue rectification items by owner unit: office and reviewers see every unit, a
    member unit only its own; inspectors and users without a role get 403."""
    require_may_open(request.user, "supervision:overdue")
    on = timezone.localdate()
    q = search_text(request)
    units = selectors.overdue_by_unit(user=request.user, on=on, q=q)
    for unit in units:
        for item in unit.items:
            item.url = rectification_url(item.rectification.pk)
    task_units = selectors.overdue_tasks_by_unit(user=request.user, on=on)
    return render(
        request,
        "supervision/overdue.html",
        {
            "on": on,
            "q": q,
            "units": units,
            "task_units": task_units,
            "tasks_total": sum(len(items) for _unit, items in task_units),
            "total": sum(u.count for u in units),
            "own_unit_only": is_member_unit(request.user),
            "may_see_performance": is_office(request.user),
            # 材料报送 (issue 17 point 1): evidence still missing after the filing phase
            "missing": missing_evidence(user=request.user, on=on),
            # 信息报送 (issue 17 point 7): late and missing work information
            "late_reports": overdue_reports(user=request.user, on=on),
        },
    )


@login_required
def overdue_export(request: HttpRequest) -> HttpResponse:
    """逾期督办 as Excel: the page's table for the same user and day (a member unit gets only
    its own unit's items, and the file says so); the page's permission."""
    require_may_open(request.user, "supervision:overdue")
    on = timezone.localdate()
    q = search_text(request)
    units = selectors.overdue_by_unit(user=request.user, on=on, q=q)
    scope, suffix = "各责任单位", ""
    own = member_unit(request.user)  # a member unit's, whole or one 街道
    if own is not None:
        scope, suffix = own.name, f"-{own.name}"
    return attachment(
        overdue_to_xlsx(units, on=on, scope=f"{scope}（搜索：{q}）" if q else scope),
        content_type=XLSX,
        filename=f"逾期督办{suffix}-{on:%Y%m%d}.xlsx",
        fallback=f"overdue-{on:%Y%m%d}.xlsx",
    )


def year_choices(on: date) -> list[int]:
    """The year selector's choices, newest first: every year from the programme's year
    (``spec.programme.year``, e.g. 2021) to ``on``'s year (the programme year alone when the
    clock is earlier)."""
    first = programme_spec().programme.year
    return list(range(max(on.year, first), first - 1, -1))


def _year_filter(request: HttpRequest) -> int | None:
    """``?year=YYYY`` of the performance page and its export (absent or empty: all years); any
    other value, or a year outside 2000–2100, is a 400 saying so (``lib.params.year_param``)."""
    return year_param(request.GET.get("year", ""))


@login_required
def performance(request: HttpRequest) -> HttpResponse:
    """The units' performance table (office only): on-time close rate, overdue items now,
    evidence rejected. ``?year=YYYY`` limits closing and rejections to that year."""
    require_may_open(request.user, "supervision:performance")
    on = timezone.localdate()
    year = _year_filter(request)
    rows = selectors.unit_performance(on=on, year=year)
    return render(
        request,
        "supervision/performance.html",
        {
            "on": on,
            "year": year,
            "rows": rows,
            "years": year_choices(on),
        },
    )


@login_required
def performance_export(request: HttpRequest) -> HttpResponse:
    """成员单位整改绩效 as Excel, with the page's ``?year=`` filter and permission (office)."""
    require_may_open(request.user, "supervision:performance")
    on = timezone.localdate()
    year = _year_filter(request)
    rows = selectors.unit_performance(on=on, year=year)
    years = f"{year}年" if year else "全部年度"
    return attachment(
        performance_to_xlsx(rows, on=on, year=year),
        content_type=XLSX,
        filename=f"成员单位整改绩效-{years}-{on:%Y%m%d}.xlsx",
        fallback=f"performance-{year or 'all'}-{on:%Y%m%d}.xlsx",
    )
