"""示范引领 pages: demonstration projects (apply, review, export for 国食办) and field-check
sites (propose from the registry, confirm). Thin: forms check input, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from foodsafe.accounts.permissions import (
    get_scoped_or_404,
    is_member_unit,
    is_office,
    require_may_open,
)
from foodsafe.inspections.models import InspectionResult
from foodsafe.lib.downloads import XLSX, attachment
from foodsafe.orgunits.models import OrgUnit
from foodsafe.programme.in_force import programme_spec

from . import selectors, services
from .exports import projects_to_xlsx
from .forms import DecisionForm, NewProjectForm, ProjectFilter, ProjectForm, SiteFilter, SiteForm
from .models import DemonstrationProject, FieldCheckSite

PAGE_SIZE = 30


def _page(request: HttpRequest, rows: Any) -> dict[str, Any]:
    """A page of ``rows`` and the query string of the filters, kept in the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }


def _filters(form: Any) -> dict[str, str]:
    return form.cleaned_data if form.is_valid() else {k: "" for k in form.fields}


# -- 示范引领项目 ---------------------------------------------------------------------------


@login_required
@require_GET
def projects(request: HttpRequest) -> HttpResponse:
    """The applications the user may see, with search, status and category in the URL."""
    require_may_open(request.user, "demonstration:projects")
    form = ProjectFilter(request.GET)
    rows = selectors.projects_page(request.user, **_filters(form))
    context = {
        "form": form,
        "may_apply": is_office(request.user) or is_member_unit(request.user),
        "may_export": is_office(request.user),
        **_page(request, rows),
    }
    return render(request, "demonstration/projects.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "demonstration:project_new")
    form = NewProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_submit(
                unit=form.cleaned_data["unit"],
                values=form.cleaned_data,
                actor=request.user,
                on=timezone.localdate(),
            )
        except services.DemonstrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已提交申报，等待创城办审核")
            return redirect("demonstration:project_detail", pk=project.pk)
    return render(request, "demonstration/project_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: the office reviews it; its unit amends it until approved."""
    project = get_scoped_or_404(
        DemonstrationProject.objects.select_related("unit", "reviewed_by"), request.user,
        "unit", pk=pk,
    )  # fmt: skip
    may_edit = selectors.may_edit(request.user, project) and project.status != "approved"
    edit_form = ProjectForm(instance=project) if may_edit else None
    if request.method == "POST":
        action, today = request.POST.get("action"), timezone.localdate()
        try:
            if action == "review":
                decision = DecisionForm(request.POST)
                if not decision.is_valid():
                    raise services.DemonstrationError("请选择通过或退回")
                services.project_review(
                    project=project,
                    approve=decision.cleaned_data["decision"] == "yes",
                    reason=decision.cleaned_data["reason"],
                    actor=request.user,
                    on=today,
                )
            elif action == "amend" and may_edit:
                edit_form = ProjectForm(request.POST, instance=DemonstrationProject())
                if not edit_form.is_valid():
                    raise services.DemonstrationError("请检查申请表中标出的字段")
                services.project_amend(
                    project=project, values=edit_form.cleaned_data, actor=request.user, on=today
                )
            else:
                raise PermissionDenied
        except services.DemonstrationError as exc:
            messages.error(request, str(exc))
            if action == "amend":
                return _project_page(request, project, edit_form, status=400)
        else:
            messages.success(request, "已保存")
        return redirect("demonstration:project_detail", pk=pk)
    return _project_page(request, project, edit_form)


def _project_page(
    request: HttpRequest, project: DemonstrationProject, edit_form: Any, status: int = 200
) -> HttpResponse:
    context = {
        "project": project,
        "phone": selectors.shown_phone(request.user, project),
        "may_review": is_office(request.user) and project.status == "submitted",
        "edit_form": edit_form,
        "history": project.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "demonstration/project_detail.html", context, status=status)


@login_required
@require_GET
def projects_export(request: HttpRequest) -> HttpResponse:
    """示范引领项目汇总表 (approved projects), the office's file for 国食办."""
    require_may_open(request.user, "demonstration:projects_export")
    on = timezone.localdate()
    code = programme_spec().programme.org_unit
    district = OrgUnit.objects.filter(code=code).values_list("name", flat=True).first() or ""
    return attachment(
        projects_to_xlsx(selectors.approved_projects(), on=on, district=district),
        content_type=XLSX,
        filename=f"示范引领项目汇总表-{on:%Y%m%d}.xlsx",
        fallback=f"demonstration-projects-{on:%Y%m%d}.xlsx",
    )


# -- 现场检查点位 ---------------------------------------------------------------------------


@login_required
@require_GET
def sites(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "demonstration:sites")
    form = SiteFilter(request.GET)
    rows = selectors.sites_page(request.user, **_filters(form))
    context = {
        "form": form,
        "may_propose": is_office(request.user) or is_member_unit(request.user),
        **_page(request, rows),
    }
    labels = dict(InspectionResult.choices)
    for site in context["page"]:
        site.last_result_label = labels.get(site.last_result, "")
    return render(request, "demonstration/sites.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def site_new(request: HttpRequest) -> HttpResponse:
    """推荐点位: find the operator in the registry (``?find=``), pick it, give the address."""
    require_may_open(request.user, "demonstration:site_new")
    find = request.GET.get("find", "")[:100]
    proposable = selectors.proposable_businesses(request.user)
    picked = None
    if request.method == "POST":
        form = SiteForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                site = services.site_propose(
                    unit=form.cleaned_data["unit"],
                    business=form.cleaned_data["business"],
                    address=form.cleaned_data["address"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    on=timezone.localdate(),
                )
            except services.DemonstrationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已推荐点位，等待创城办确认")
                return redirect("demonstration:site_detail", pk=site.pk)
        picked = form.cleaned_data.get("business") if hasattr(form, "cleaned_data") else None
    else:
        business_id = request.GET.get("business", "")
        if business_id.isdigit():
            picked = proposable.filter(pk=int(business_id)).first()
        initial = {"business": picked.pk, "address": picked.address} if picked else {}
        form = SiteForm(user=request.user, initial=initial)
    context = {
        "form": form,
        "find": find,
        # A unit with no operators of its own kind is told so, not shown an empty search.
        "none_proposable": not proposable.exists(),
        "found": selectors.business_search(find, proposable) if find else [],
        "picked": picked,
    }
    return render(request, "demonstration/site_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A site with its operator's latest inspections, risk grades and rectifications; the
    office confirms or returns it."""
    site = get_scoped_or_404(
        FieldCheckSite.objects.select_related("unit", "business", "decided_by"), request.user,
        "unit", pk=pk,
    )  # fmt: skip
    if request.method == "POST":
        decision = DecisionForm(request.POST)
        try:
            if not decision.is_valid():
                raise services.DemonstrationError("请选择确认或退回")
            services.site_decide(
                site=site,
                confirm=decision.cleaned_data["decision"] == "yes",
                reason=decision.cleaned_data["reason"],
                actor=request.user,
                on=timezone.localdate(),
            )
        except services.DemonstrationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已保存")
        return redirect("demonstration:site_detail", pk=pk)
    context = {
        "file": selectors.site_file(site),
        "site": site,
        "may_decide": is_office(request.user) and site.status == "proposed",
        "openable": selectors.openable_rectifications(request.user, site),
        "history": site.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "demonstration/site_detail.html", context)
