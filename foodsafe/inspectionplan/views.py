"""Inspection-plan pages (监督检查计划): due and overdue lists, plans with their recorded draw,
the printable 检查计划表, and the publication of 双随机 results.

Scope: the office plans everything; a member unit plans the subtrees the plan spec gives it
(another unit's plan is a 404); an inspector sees only the items assigned to them; reviewers
and users without a role get 403 (``PAGE_ROLES``).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foodsafe.accounts.permissions import is_inspector, require_may_open
from foodsafe.lib.listing import paged, search_text
from foodsafe.lib.params import BadDate, BadParameter, date_param, posted_date
from foodsafe.orgunits.models import OrgUnit

from . import exports, selectors
from .draw import draw_replay, strata_order
from .in_force import plan_spec
from .models import InspectionPlan
from .services import PlanError, plan_create, plan_results_publish

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(body: bytes, name: str, ascii_name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _on(request: HttpRequest) -> tuple[date, str]:
    """The page's 截至 date (``?on=YYYY-MM-DD``, the form's date field; blank: today) and, for a
    value that is not a date from 2000 to 2100, the message saying so (the page then shows
    today)."""
    raw = request.GET.get("on", "").strip()
    today = timezone.localdate()
    if not raw:
        return today, ""
    try:
        on = date_param(raw)
    except BadParameter:
        on = None
    if on is None:
        return today, _(
            "截至日期 %(raw)s 无效，应为 2000 至 2100 年间的日期（YYYY-MM-DD）；已按今天计算。"
        ) % {"raw": raw[:20]}
    return on, ""


def _due_context(request: HttpRequest) -> dict:
    require_may_open(request.user, "inspectionplan:due")
    spec = plan_spec()
    on, on_error = _on(request)
    staff = selectors.inspector_staff(request.user)
    if is_inspector(request.user):
        area = selectors.Area(everywhere=True)  # limited to their assignments below
    else:
        area = selectors.planning_area(request.user, spec)
    org = request.GET.get("org", "").strip()
    if org and (not org.isdigit() or len(org) != 12 or not area.covers(org)):
        raise Http404
    lists = None
    if not area.empty and not (is_inspector(request.user) and staff is None):
        lists = selectors.due_lists(
            spec=spec,
            area=area,
            on=on,
            org_code=org,
            staff=staff if is_inspector(request.user) else None,
        )
    units = [
        u
        for u in OrgUnit.objects.filter(level=4).order_by("code")
        if area.covers(u.code) and not is_inspector(request.user)
    ]
    return {
        "spec": spec,
        "on": on,
        "on_error": on_error,
        "today": timezone.localdate(),
        "lists": lists,
        "org": org,
        "units": units,
        "staff": staff,
        "no_area": area.empty,
        "inspector": is_inspector(request.user),
    }


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """Overdue and due-this-month operators per subdistrict as of the page's date (today unless
    the date field says otherwise), with the reason for each."""
    ctx = _due_context(request)
    return render(request, "inspectionplan/due.html", ctx, status=400 if ctx["on_error"] else 200)


@login_required
def due_export(request: HttpRequest) -> HttpResponse:
    ctx = _due_context(request)
    if ctx["lists"] is None:
        raise Http404
    on = ctx["on"]
    return _xlsx(exports.due_lists_xlsx(ctx["lists"]), f"应检清单-{on}.xlsx", f"due-{on}.xlsx")


PLANS_PAGE_SIZE = 30


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    """The plans the user may see, and (for planners) the form to make one."""
    require_may_open(request.user, "inspectionplan:plans")
    spec = plan_spec()
    area = selectors.planning_area(request.user, spec)
    units = [
        u for u in OrgUnit.objects.filter(level__in=(3, 4)).order_by("code") if area.covers(u.code)
    ]
    plans = selectors.plans_visible(user=request.user, spec=spec).order_by("-starts_on", "number")
    q = search_text(request)
    if q:
        plans = plans.filter(
            Q(number__icontains=q) | Q(org_unit__name__icontains=q) | Q(period__icontains=q)
        )
    return render(
        request,
        "inspectionplan/plans.html",
        {
            **paged(request, plans, PLANS_PAGE_SIZE),
            "q": q,
            "units": units,
            "may_plan": not area.empty,
            "open_parts": spec.open_parts(),
            "spec": spec,
        },
    )


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    """Make a plan (POST: org, period, optional seed) and show it."""
    require_may_open(request.user, "inspectionplan:plans")
    spec = plan_spec()
    if selectors.planning_area(request.user, spec).empty:
        raise PermissionDenied
    org = request.POST.get("org", "").strip()
    period = request.POST.get("period", "").strip()
    raw_seed = request.POST.get("seed", "").strip()
    if not org or not period or (raw_seed and not raw_seed.isdigit()) or len(raw_seed) > 12:
        return HttpResponse(
            _("请选择范围并填写计划期（如 2021Q4 或 202110）；随机种子须为数字。"), status=400
        )
    try:
        plan = plan_create(
            spec=spec,
            org_code=org,
            period_code=period,
            actor=request.user,
            seed=int(raw_seed) if raw_seed else None,
        )
    except PlanError as exc:
        messages.error(request, str(exc))
        return redirect("inspectionplan:plans")
    messages.success(request, _("已制定计划 %(number)s。") % {"number": plan.number})
    return redirect("inspectionplan:detail", pk=plan.pk)


def _plan(request: HttpRequest, pk: int) -> InspectionPlan:
    require_may_open(request.user, "inspectionplan:plans")
    plan = selectors.plans_visible(user=request.user, spec=plan_spec()).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: its draw (seed, inputs, result, re-run check), its items in order with their
    inspectors and progress; printable as the 检查计划表 (print stylesheet)."""
    plan = _plan(request, pk)
    spec = plan_spec()
    staff = selectors.inspector_staff(request.user)
    progress = selectors.plan_progress(plan, spec=spec, staff=staff)
    inputs, result = plan.draw["inputs"], plan.draw["result"]
    return render(
        request,
        "inspectionplan/detail.html",
        {
            "plan": plan,
            "progress": progress,
            "summary": selectors.plan_summary(progress),
            "inputs": inputs,
            "result": result,
            "strata": [
                (
                    k,
                    len(inputs["strata"].get(k, [])),
                    inputs["ratios"].get(k),
                    result["counts"].get(k),
                )
                for k in strata_order(inputs["strata"])
            ],
            "replay_ok": draw_replay(inputs, plan.seed, result),
            "unassigned": result.get("unassigned", {}),
            "own_only": staff is not None,
            "spec": spec,
        },
    )


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    staff = selectors.inspector_staff(request.user)
    progress = selectors.plan_progress(plan, spec=plan_spec(), staff=staff)
    return _xlsx(
        exports.plan_xlsx(plan, progress), f"检查计划表-{plan.number}.xlsx", f"{plan.number}.xlsx"
    )


def _publication_plan(request: HttpRequest, pk: int) -> InspectionPlan:
    if is_inspector(request.user):
        raise PermissionDenied
    return _plan(request, pk)


@login_required
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    """The 双随机 results to publish, each with its 20-working-day deadline (第三十九条);
    POST records the publication date of the ticked items."""
    plan = _publication_plan(request, pk)
    spec = plan_spec()
    on = timezone.localdate()
    if request.method == "POST":
        try:
            ids = [int(x) for x in request.POST.getlist("item")]
        except ValueError:
            return HttpResponse(_("请勾选检查对象并填写公开日期。"), status=400)
        try:
            when = posted_date(request.POST.get("published_on"), label=_("公开日期"))
        except BadDate as exc:
            return HttpResponse(str(exc), status=400)
        assert when is not None  # noqa: S101 - required
        if not ids:
            return HttpResponse(_("请勾选检查对象并填写公开日期。"), status=400)
        try:
            count = plan_results_publish(
                plan=plan, item_ids=ids, on=when, spec=spec, actor=request.user
            )
        except PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已记录 %(n)s 项结果的公开日期。") % {"n": count})
        return redirect("inspectionplan:publication", pk=plan.pk)
    rows, waiting = selectors.publication_rows(plan, spec=spec, on=on)
    return render(
        request,
        "inspectionplan/publication.html",
        {"plan": plan, "rows": rows, "waiting": waiting, "on": on, "spec": spec},
    )


@login_required
def publication_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _publication_plan(request, pk)
    rows, _waiting = selectors.publication_rows(plan, spec=plan_spec(), on=timezone.localdate())
    return _xlsx(
        exports.publication_xlsx(plan, rows),
        f"双随机抽查结果公示-{plan.number}.xlsx",
        f"results-{plan.number}.xlsx",
    )
