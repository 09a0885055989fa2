"""绩效考核 pages: the month's ranking (the office all units, a member unit its own row), its
Excel export, and the office's comment per unit and month."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from foodsafe.accounts.permissions import is_office, require_may_open
from foodsafe.lib.downloads import XLSX, attachment
from foodsafe.lib.params import month_param
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.in_force import programme_spec

from . import selectors, services
from .exports import ranking_to_xlsx
from .in_force import assessment_spec


def _month(raw: str, today: date) -> date:
    """``YYYY-MM`` (absent: this month). A malformed month or one outside 2000–2100
    (``0000-01``, ``2021-13``) is a 400 saying so (``lib.params.month_param``); a month after
    this month is a 404 (no assessment yet)."""
    month = month_param(raw)
    if month is None:
        return today.replace(day=1)
    if month > today:
        raise Http404
    return month


def month_choices(today: date) -> list[date]:
    """Every month from January of the programme's year to this month, newest first."""
    first = date(programme_spec().programme.year, 1, 1)
    out, month = [], today.replace(day=1)
    while month >= first:
        out.append(month)
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return out or [today.replace(day=1)]


@login_required
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "performance:ranking")
    today = timezone.localdate()
    asked = request.GET.get("month", "")
    month = _month(asked, today)
    spec = assessment_spec()
    rows = selectors.assessment(spec=spec, month=month, today=today, user=request.user)
    latest = None
    if not selectors.has_data(rows):
        # New-user test: the page opened on this month, all 无数据, when the data (the example
        # district's) is of 2021. Without ?month= it opens on the latest month with data;
        # a month asked for says it has none and links to that one.
        latest = selectors.latest_month_with_data(
            spec=spec,
            today=today,
            first=date(programme_spec().programme.year, 1, 1),
            user=request.user,
        )
        if latest is not None and not asked:
            month = latest
            rows = selectors.assessment(spec=spec, month=month, today=today, user=request.user)
    context = {
        "spec": spec,
        "month": month,
        "empty": not selectors.has_data(rows),
        "moved_from": today.replace(day=1) if month != today.replace(day=1) and not asked else None,
        "latest": latest,
        "as_of": selectors.month_window(month, today)[1],
        "months": month_choices(today),
        "rows": rows,
        "office": is_office(request.user),
    }
    return render(request, "performance/ranking.html", context)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "performance:export")
    today = timezone.localdate()
    month = _month(request.GET.get("month", ""), today)
    spec = assessment_spec()
    rows = selectors.assessment(spec=spec, month=month, today=today)
    as_of = selectors.month_window(month, today)[1]
    return attachment(
        ranking_to_xlsx(rows, spec=spec, month=month, as_of=as_of),
        content_type=XLSX,
        filename=f"绩效考核排名-{month:%Y%m}.xlsx",
        fallback=f"performance-assessment-{month:%Y%m}.xlsx",
    )


@login_required
@require_POST
def comment(request: HttpRequest) -> HttpResponse:
    """考核评语: the office writes (or clears) its comment on a unit's month."""
    require_may_open(request.user, "performance:comment")
    today = timezone.localdate()
    month = _month(request.POST.get("month", ""), today)
    unit = get_object_or_404(ResponsibleUnit, pk=request.POST.get("unit") or 0)
    services.assessment_comment_set(
        unit=unit, month=month, text=request.POST.get("text", "")[:2000], actor=request.user
    )
    messages.success(request, f"已保存 {unit.name} 的考核评语")
    return redirect(f"{reverse('performance:ranking')}?month={month:%Y-%m}#unit-{unit.pk}")
