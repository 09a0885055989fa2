"""Rectification ledger pages: thin views over ``selectors`` and ``services``.

Who may use them (``foodsafe.accounts.permissions``):

- list, export: the office, reviewers, member units (their own unit's only); others 403;
- create: the office, reviewers (a reviewer's findings are 评审发现) and member units (their
  own 排查台账: own unit, source 自查); others 403;
- from_indicator (the scorecard's one-click button): the office; others 403;
- detail, transition, evidence upload, measures: whoever may see the rectification (a member
  unit: its own; another unit's is a 404); each action then checks its rule (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from foodsafe.accounts.models import Role
from foodsafe.accounts.permissions import (
    is_member_unit,
    is_office,
    is_reviewer,
    may_open,
    require_may_open,
    require_role,
    user_division,
)
from foodsafe.evidence.forms import RectificationEvidenceForm
from foodsafe.evidence.views import size_checked
from foodsafe.lib.downloads import DOCX, attachment
from foodsafe.programme.in_force import programme_spec
from foodsafe.scorecard.errors import UnknownOrgUnit
from foodsafe.scorecard.periods import PeriodError, parse_period

from . import rules, selectors, services
from .exports import CONTENT_TYPE, rectifications_to_xlsx
from .forms import (
    FromIndicatorForm,
    ListFilterForm,
    MeasuresForm,
    RectificationForm,
    SelfCheckForm,
    TransitionForm,
)
from .models import Rectification

READERS = (Role.OFFICE_ADMIN, Role.REVIEWER, Role.MEMBER_UNIT)
PAGE_SIZE = 100


def _filters(request: HttpRequest) -> tuple[ListFilterForm, selectors.Filters]:
    units = None if is_member_unit(request.user) else selectors.unit_choices(request.user)
    form = ListFilterForm(request.GET or None, units=units)
    if not form.is_valid():
        return form, selectors.Filters()
    unit = form.cleaned_data.get("unit")
    return form, selectors.Filters(
        q=form.cleaned_data["q"].strip(),
        state=form.cleaned_data["state"],
        unit=unit.pk if unit is not None else None,
        overdue=form.cleaned_data["overdue"],
    )


def _current_phase(today: Any) -> dict[str, str]:
    """The phase ``today`` falls in (else the last one), as the statement form's initial."""
    phases = programme_spec().phases
    current = [p for p in phases if p.start <= today <= p.end] or phases[-1:]
    return {"phase": current[0].code} if current else {}


@login_required
@require_GET
def rectification_list(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "rectification:list")
    today = timezone.localdate()
    form, filters = _filters(request)
    own_unit = selectors.own_unit(request.user)
    queryset = selectors.rectification_list(user=request.user, filters=filters, on=today)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, selectors.rectification_is_overdue(r, today)) for r in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rectification/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "query": query.urlencode(),
            "own_unit": own_unit,
            # The whole unit's 自查说明: not offered to a 街道 user (N7), who may not open it.
            "may_self_check": may_open(request.user, "rectification:self_check"),
            "self_check_form": SelfCheckForm(own_unit=own_unit, initial=_current_phase(today)),
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "rectification:export")
    today = timezone.localdate()
    _form, filters = _filters(request)
    queryset = selectors.rectification_list(user=request.user, filters=filters, on=today)
    content = rectifications_to_xlsx(queryset, on=today)
    return attachment(
        content,
        content_type=CONTENT_TYPE,
        filename=f"问题清单-{today:%Y%m%d}.xlsx",
        fallback=f"wentiqingdan-{today:%Y%m%d}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.OFFICE_ADMIN, Role.REVIEWER, Role.MEMBER_UNIT)
    reviewer = is_reviewer(request.user)
    own_unit = selectors.own_unit(request.user)
    form = RectificationForm(
        request.POST or None,
        reviewer=reviewer,
        own_unit=own_unit,
        division=user_division(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rectification = services.rectification_create(
                title=data["title"],
                owner_unit=data["owner_unit"],
                source=data["source"],
                working_days=data["working_days"],
                actor=request.user,
                item=data["item"],
                indicator_code=data["indicator_code"],
                org_unit=data["org_unit"],
                description=data["description"],
                created_on=data["created_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"已登记 {rectification.number}，整改期限 {rectification.deadline:%Y-%m-%d}"
                + ("（暂定）。" if rectification.deadline_provisional else "。"),
            )
            return redirect("rectification:detail", pk=rectification.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rectification/create.html", {"form": form}, status=status)


@login_required
@require_POST
def from_indicator(request: HttpRequest) -> HttpResponse:
    """The scorecard's "生成整改事项" button on a failed indicator: the scorecard is evaluated
    again here (nothing the browser sends about values or gaps is trusted)."""
    require_role(request.user, Role.OFFICE_ADMIN)
    form = FromIndicatorForm(request.POST)
    if not form.is_valid():
        raise Http404("无效的指标")

    # The engine loads Ibis and pandas: imported here, not when the URL conf loads (§2).
    from foodsafe.scorecard import engine

    spec = programme_spec()
    data = form.cleaned_data
    try:
        period = parse_period(data["period"])
        scorecard = engine.evaluate_scorecard(spec=spec, org_unit=data["org_code"], period=period)
    except (PeriodError, UnknownOrgUnit) as exc:
        raise Http404(str(exc)) from exc
    try:
        rectification, created = services.rectification_from_indicator(
            scorecard=scorecard, indicator_code=data["indicator"], spec=spec, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, "未生成整改事项：" + "；".join(exc.messages))
        return redirect("rectification:list")
    if created:
        messages.success(request, f"已生成整改事项 {rectification.number}。")
    else:
        messages.info(request, f"该指标已有未销号的整改事项 {rectification.number}，未重复生成。")
    return redirect("rectification:detail", pk=rectification.pk)


def _detail(request: HttpRequest, rectification: Rectification, **forms: Any) -> HttpResponse:
    user = request.user
    owner = rules.is_owner(user, rectification)
    office = is_office(user)
    context = {
        "r": rectification,
        "overdue": selectors.rectification_is_overdue(rectification),
        "closed_late": selectors.rectification_closed_late(rectification),
        "events": selectors.rectification_events(rectification),
        "evidence_list": selectors.rectification_evidence(rectification),
        "history": selectors.rectification_history(rectification),
        "actions": selectors.allowed_actions(user, rectification),
        "may_upload": (owner or office) and rectification.state in services.UPLOAD_STATES,
        "may_edit_measures": (owner or office) and rectification.state != "closed",
        "upload_form": forms.get("upload_form") or RectificationEvidenceForm(),
        "measures_form": forms.get("measures_form")
        or MeasuresForm(initial={"measures": rectification.measures}),
        "transition_form": forms.get("transition_form"),
    }
    return render(request, "rectification/detail.html", context, status=400 if forms else 200)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.rectification_get_or_404(user=request.user, pk=pk))


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = selectors.rectification_get_or_404(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _detail(request, rectification, transition_form=form)
    try:
        services.rectification_transition(
            rectification=rectification,
            to_state=form.cleaned_data["to_state"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _detail(request, rectification, transition_form=form)
    messages.success(request, "状态已更新。")
    return redirect("rectification:detail", pk=rectification.pk)


@size_checked
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = selectors.rectification_get_or_404(user=request.user, pk=pk)
    if not (rules.is_owner(request.user, rectification) or is_office(request.user)):
        raise PermissionDenied
    form = RectificationEvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = services.rectification_evidence_upload(
                rectification=rectification,
                title=form.cleaned_data["title"],
                uploaded_file=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("file" if exc.code != "state" else None, exc)
        else:
            messages.success(request, f"已上传“{evidence.title}”，等待审核。")
            return redirect("rectification:detail", pk=rectification.pk)
    return _detail(request, rectification, upload_form=form)


@login_required
@require_POST
def measures(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = selectors.rectification_get_or_404(user=request.user, pk=pk)
    form = MeasuresForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_update_measures(
                rectification=rectification,
                measures=form.cleaned_data["measures"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "整改措施已保存。")
            return redirect("rectification:detail", pk=rectification.pk)
    return _detail(request, rectification, measures_form=form)


@login_required
@require_GET
def self_check(request: HttpRequest) -> HttpResponse:
    """阶段性自查说明（Word） of one unit and phase: a member unit gets its own (whatever unit the
    URL names); the office and reviewers pick the unit."""
    require_may_open(request.user, "rectification:self_check")
    form = SelfCheckForm(request.GET, own_unit=selectors.own_unit(request.user))
    if not form.is_valid():
        raise Http404("；".join(str(e) for errors in form.errors.values() for e in errors))
    from .self_check import self_check_docx, self_check_summary

    spec = programme_spec()
    phase = next(p for p in spec.phases if p.code == form.cleaned_data["phase"])
    unit = form.chosen_unit()
    summary = self_check_summary(unit=unit, phase=phase, today=timezone.localdate())
    content = self_check_docx(summary, programme_name=spec.programme.name)
    return attachment(
        content,
        content_type=DOCX,
        filename=f"{unit.name}{phase.name}自查说明.docx",
        fallback=f"self-check-{unit.code}-{phase.code}.docx",
    )
