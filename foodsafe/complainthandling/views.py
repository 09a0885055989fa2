"""Complaint handling pages (投诉举报办理): the list of a user's complaints (a member unit only
those assigned to it), one complaint with its next step, and the monthly statistics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from foodsafe.accounts.permissions import is_office, may_open
from foodsafe.complaints.models import Complaint, ComplaintKind
from foodsafe.complaints.report_limits import report_limits
from foodsafe.complaints.selectors import (
    end_notice_absent_reason,
    shown_identity,
    shown_related_number,
)
from foodsafe.lib.listing import paged, search_text

from . import forms, selectors, services

PAGE_SIZE = 50


def _require_handler(user: Any) -> None:
    if not may_open(user, "complainthandling:list"):
        raise PermissionDenied


def _identity(user: Any, c: Complaint) -> tuple[str, str]:
    """Name and phone as ``user`` sees them: masked, or 保密 for a reporter (第三十三条;
    ``complaints.selectors.may_see_reporter``)."""
    return shown_identity(user, c)


@login_required
@require_GET
def handling_list(request: HttpRequest) -> HttpResponse:
    """投诉举报办理: open (default), overdue or all complaints the user handles."""
    _require_handler(request.user)
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    rows = selectors.handling_queryset(request.user)
    # search: number, division or operator, never the complainant (masked or confidential)
    q = search_text(request)
    if q:
        rows = rows.filter(
            Q(complaint_number__icontains=q)
            | Q(org_unit__name__icontains=q)
            | Q(business__name__icontains=q)
        )
    if show == "reports":
        rows = rows.filter(kind=ComplaintKind.REPORT)
    items: list[Complaint]
    if show == "overdue":
        items = selectors.overdue(rows, today)
    elif show == "all" or show == "reports":
        items = list(rows.order_by("-received_on", "complaint_number")[:2000])
    else:
        show = "open"
        items = list(
            selectors.open_complaints(rows).order_by("received_on", "complaint_number")[:2000]
        )
    listing = paged(request, items, PAGE_SIZE)
    page = listing["page"]
    table = [
        {
            "c": c,
            "who": _identity(request.user, c),
            "waiting": selectors.waiting_on(c),
            "overdue": selectors.is_overdue(c, today),
        }
        for c in page.object_list
    ]
    return render(
        request,
        "complainthandling/list.html",
        {
            **listing,
            "rows": table,
            "show": show,
            "q": q,
            "may_see_statistics": is_office(request.user),
        },
    )


def _actions(user: Any) -> dict[str, tuple[type[Any], Callable[..., Complaint]]]:
    def assign(c: Complaint, d: dict[str, Any]) -> Complaint:
        if not is_office(user):
            raise PermissionDenied
        return services.complaint_assign(complaint=c, unit=d["unit"], actor=user)

    return {
        "assign": (forms.AssignForm, assign),
        "decide": (
            forms.DecideForm,
            lambda c, d: services.complaint_decide(
                complaint=c,
                accept=d["accept"],
                decided_on=d["decided_on"],
                ground=d["ground"],
                reply=d["reply"],
                actor=user,
            ),
        ),
        "suspend": (
            forms.SuspendForm,
            lambda c, d: services.complaint_suspend(
                complaint=c, working_days=d["working_days"], actor=user
            ),
        ),
        "close": (
            forms.CloseForm,
            lambda c, d: services.complaint_close(
                complaint=c,
                outcome=d["outcome"],
                closed_on=d["closed_on"],
                reply=d["reply"],
                actor=user,
            ),
        ),
        "notify": (
            forms.NotifyForm,
            lambda c, d: services.complaint_notify_end(
                complaint=c, notified_on=d["notified_on"], actor=user
            ),
        ),
        # 举报 (RULES.md §4.1–§4.2)
        "extend": (
            forms.ExtendForm,
            lambda c, d: services.report_extend_verification(complaint=c, actor=user),
        ),
        "case": (
            forms.CaseDecisionForm,
            lambda c, d: services.report_decide_case(
                complaint=c, filed=d["filed"], decided_on=d["decided_on"], actor=user
            ),
        ),
        "tell_reporter": (
            forms.ReporterNoticeForm,
            lambda c, d: services.report_notify_reporter(
                complaint=c, notified_on=d["notified_on"], actor=user
            ),
        ),
        "close_case": (
            forms.CaseCloseForm,
            lambda c, d: services.report_close_case(
                complaint=c, closed_on=d["closed_on"], reply=d["reply"], actor=user
            ),
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def handling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One complaint: its facts, deadlines and the form of its next step. Another unit's
    complaint is a 404."""
    _require_handler(request.user)
    c = get_object_or_404(selectors.handling_queryset(request.user), pk=pk)
    actions = _actions(request.user)
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in actions:
            messages.error(request, "未知操作")
            return redirect("complainthandling:detail", pk=pk)
        if name == "assign" and not is_office(request.user):
            raise PermissionDenied  # only the office assigns, whatever the form holds
        form_class, run = actions[name]
        form = form_class(request.POST)
        if form.is_valid():
            try:
                run(c, form.cleaned_data)
            except services.HandlingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "已保存")
        else:
            messages.error(
                request,
                "；".join(
                    f"{form.fields[k].label if k in form.fields else k}: {' '.join(v)}"
                    for k, v in form.errors.items()
                ),
            )
        return redirect("complainthandling:detail", pk=pk)
    return render(
        request,
        "complainthandling/detail.html",
        {
            "c": c,
            "who": _identity(request.user, c),
            "related_number": shown_related_number(request.user, c),
            "waiting": selectors.waiting_on(c),
            "overdue": selectors.is_overdue(c, timezone.localdate()),
            "end_notice_absent": end_notice_absent_reason(c),
            "may_assign": is_office(request.user),
            "forms": {name: cls() for name, (cls, _run) in actions.items()},
            "report_limits": report_limits().tagged(),
        },
    )


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """投诉举报统计 of a month (第三十四条), as published on the public page."""
    if not is_office(request.user):
        raise PermissionDenied
    chosen = selectors.statistics_month(request.GET.get("month"))
    stats = selectors.monthly_statistics(chosen.year, chosen.month)
    return render(request, "complainthandling/statistics.html", {"stats": stats, "chosen": chosen})
