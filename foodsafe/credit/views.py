"""Credit supervision pages (信用监管): the month's classes, an operator's credit file, the
office's runs and decisions, the 信用信息公示 export. Scoped: a user sees only the operators
``riskgrading.selectors.visible_businesses`` gives them (a member unit its own kind)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foodsafe.accounts.permissions import is_office, require_may_open
from foodsafe.lib.downloads import XLSX, content_disposition
from foodsafe.lib.listing import paged, search_text
from foodsafe.lib.locks import JobLocked
from foodsafe.lib.params import BadDate, month_param, posted_date
from foodsafe.riskgrading.selectors import business_for, visible_businesses

from . import selectors
from .in_force import credit_spec
from .models import CreditGrade, CreditLevel
from .refresh import credit_files_refresh, credit_job
from .services import (
    CreditError,
    credit_grade_override,
    credit_grades_assess,
    credit_grades_confirm,
    credit_publication_record,
    listing_record,
)


def _month(request: HttpRequest) -> date | None:
    """The month asked for (``YYYYMM``, ``YYYY-MM`` also taken), ``None`` when none was; 400
    saying so for anything else or a year outside 2000–2100 (``lib.params.month_param``)."""
    return month_param(request.GET.get("month") or request.POST.get("month"))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The month's credit classes (highest risk first, 50 a page), counts, the rules' readings;
    the office refreshes the files, classes the month and confirms here."""
    require_may_open(request.user, "credit:index")
    businesses = visible_businesses(request.user)
    # The months offered are those with classes (the demo's and past years' alike, however
    # old) and this month, the one the office classes next; with no month asked for, the
    # latest with classes, so that the page does not open on an empty month.
    this_month = timezone.localdate().replace(day=1)
    graded = selectors.graded_months(businesses=businesses)
    asked = _month(request)
    month = asked or (graded[0] if graded else this_month)
    level = request.GET.get("level", "")
    if level and level not in CreditLevel.values:
        raise Http404
    spec = credit_spec()
    q = search_text(request)
    grades = selectors.month_grades(month=month, businesses=businesses, level=level, q=q)
    listing = paged(request, grades, 50)
    return render(
        request,
        "credit/index.html",
        {
            "month": month,
            "months": sorted({*graded, this_month, month}, reverse=True),
            "defaulted": asked is None and month != this_month,
            "level": level,
            "summary": selectors.month_summary(month=month, businesses=businesses),
            **listing,
            "q": q,
            "spec": spec,
            "open_parts": spec.open_parts(),
            "may_run": is_office(request.user),
            "pending": selectors.pending_refreshes(),
        },
    )


RUN_ACTIONS = ("refresh", "assess", "confirm", "publish")


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    """The office: gather every file, class the month, confirm its proposals, or record the
    export as published today."""
    if not is_office(request.user):
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action not in RUN_ACTIONS:
        return HttpResponseBadRequest(_("未知的操作"))
    month = _month(request) or timezone.localdate().replace(day=1)
    try:
        # The same job lock as the ``credit`` command: a page run and a cron run never
        # rebuild the files or write the classes at the same time.
        with credit_job():
            _run_action(request, action, month)
    except JobLocked as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('credit:index')}?month={month:%Y%m}")


def _run_action(request: HttpRequest, action: str, month: date) -> None:
    if action == "refresh":
        r = credit_files_refresh()
        messages.success(
            request,
            _("信用档案已归集：%(n)s 家，有变动 %(c)s 家。") % {"n": r.operators, "c": r.changed},
        )
    elif action == "assess":
        a = credit_grades_assess(month=month, spec=credit_spec(), actor=request.user)
        messages.success(
            request,
            _("已分类 %(n)s 家，保留已确认 %(k)s 家。") % {"n": a.assessed, "k": a.kept},
        )
    elif action == "confirm":
        n = credit_grades_confirm(month=month, actor=request.user)
        messages.success(request, _("已确认 %(n)s 家。") % {"n": n})
    else:
        n = credit_publication_record(
            businesses=visible_businesses(request.user), on=timezone.localdate(), actor=request.user
        )
        messages.success(request, _("已记录公示 %(n)s 条。") % {"n": n})


@login_required
def file(request: HttpRequest, pk: int) -> HttpResponse:
    """An operator's credit file (食品安全信用档案): entries with dates and sources, when it
    last changed, its monthly classes with reasons; the office overrides a class here."""
    require_may_open(request.user, "credit:index")
    business = business_for(request.user, pk)
    return render(
        request,
        "credit/file.html",
        {
            "view": selectors.credit_file_view(business),
            "b": business,
            "levels": CreditLevel.choices,
            "may_decide": is_office(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    """The office confirms or changes a month's class (改定 needs a reason; audited)."""
    if not is_office(request.user):
        raise PermissionDenied
    grade = get_object_or_404(CreditGrade, pk=pk)
    try:
        credit_grade_override(
            grade=grade,
            level=request.POST.get("level", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
        messages.success(request, _("已记录。"))
    except CreditError as exc:
        messages.error(request, str(exc))
    return redirect("credit:file", pk=grade.business_id)


@login_required
@require_POST
def listing(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records an operator's 严重违法失信名单 entry (or its removal)."""
    if not is_office(request.user):
        raise PermissionDenied
    business = business_for(request.user, pk)
    try:
        listed_on = posted_date(request.POST.get("listed_on"), label=_("列入日期"))
        removed_on = posted_date(
            request.POST.get("removed_on"), label=_("移出日期"), required=False
        )
    except BadDate as exc:
        messages.error(request, str(exc))
        return redirect("credit:file", pk=pk)
    assert listed_on is not None  # noqa: S101 - required
    number = request.POST.get("decision_number", "").strip()
    if not number:
        messages.error(request, _("请填写列入决定书文号"))
        return redirect("credit:file", pk=pk)
    try:
        listing_record(
            business=business,
            decision_number=number,
            listed_on=listed_on,
            removed_on=removed_on,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
        messages.success(request, _("已记录；信用档案随之更新。"))
    except CreditError as exc:
        messages.error(request, str(exc))
    return redirect("credit:file", pk=pk)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The 信用信息公示 export (.xlsx) of the operators the user may see."""
    require_may_open(request.user, "credit:index")
    from .exports import public_credit_xlsx

    today = timezone.localdate()
    body = public_credit_xlsx(on=today, businesses=visible_businesses(request.user))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(
        f"信用信息公示{today:%Y%m%d}.xlsx", f"credit-public-{today:%Y%m%d}.xlsx"
    )
    return response
