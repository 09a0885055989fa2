"""Supervision pages (督查督办): overdue work by unit, and the units' performance table."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from foodsafe.accounts.permissions import is_member_unit, is_office, require_may_open
from foodsafe.web.selectors import programme_spec

from . import selectors


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
    units = selectors.overdue_by_unit(user=request.user, on=on)
    for unit in units:
        for item in unit.items:
            item.url = rectification_url(item.rectification.pk)
    return render(
        request,
        "supervision/overdue.html",
        {
            "on": on,
            "units": units,
            "total": sum(u.count for u in units),
            "own_unit_only": is_member_unit(request.user),
            "may_see_performance": is_office(request.user),
        },
    )


def year_choices(on: date) -> list[int]:
    """The year selector's choices, newest first: every year from the programme's year
    (``spec.programme.year``, e.g. 2021) to ``on``'s year (the programme year alone when the
    clock is earlier)."""
    first = programme_spec().programme.year
    return list(range(max(on.year, first), first - 1, -1))


@login_required
def performance(request: HttpRequest) -> HttpResponse:
    """The units' performance table (office only): on-time close rate, overdue items now,
    evidence rejected. ``?year=YYYY`` limits closing and rejections to that year."""
    require_may_open(request.user, "supervision:performance")
    on = timezone.localdate()
    raw_year = request.GET.get("year", "").strip()
    year: int | None = None
    if raw_year:
        if not (raw_year.isdigit() and len(raw_year) == 4):
            raise Http404
        year = int(raw_year)
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
