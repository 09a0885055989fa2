"""Sampling-plan pages: the yearly plan (generate, preview, save as a version, special lines,
Excel plan table), its progress, the 不合格 核查处置 workflow and the monthly publication lists.

Who: the office and inspectors (区市场监管局 staff, who keep the sampling ledger) make plans
and work everything; 区市场监管局's member-unit login reads the plans, their progress and the
lists and works the 核查处置 of the batches its department sampled (``Department``
市场监管部门; a batch of 农业农村部门 is that department's, read-only here); every other
member unit and role 403 (``accounts.permissions.may_open``). Views parse input, call one
service or selector, and render.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foodsafe.accounts.permissions import may_run_sampling, require_may_open
from foodsafe.lib.params import BadDate, date_param, month_param, posted_date, year_param
from foodsafe.orgunits.models import OrgUnit
from foodsafe.registry.models import BusinessFormat
from foodsafe.sampling.categories import category_tree
from foodsafe.sampling.models import Department, SamplingBatch, Stage

from . import disposal as flow
from . import publication as pub
from . import selectors
from .exports import plan_workbook
from .in_force import publication_within_days, sampling_plan_spec
from .models import Disposal, PublicationKind, SamplingPlan
from .services import PlanError, plan_line_add, plan_preview, plan_save
from .spec import SamplingPlanSpecError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = "samplingplan:plans"


def _xlsx(body: bytes, name: str, ascii_name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _date(raw: str, default: date) -> date:
    """``?on=YYYY-MM-DD`` (blank: ``default``); a malformed date or one outside 2000–2100 is a
    400 saying so (``lib.params.date_param``)."""
    return date_param(raw) or default


def _int(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 6 else None


def _names() -> dict[str, dict[str, str]]:
    return {
        "stage": {k: str(v) for k, v in Stage.choices},
        "format": {k: str(v) for k, v in BusinessFormat.choices},
    }


def _label(kind: str, code: str) -> str:
    return str(_names()[kind].get(code, code))


def _units() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(level__in=(2, 3, 4)).order_by("code"))


def _require_planner(request: HttpRequest) -> None:
    """Plans are made (and publication recorded) by the office and inspectors only."""
    require_may_open(request.user, PAGE)
    if not may_run_sampling(request.user):
        raise PermissionDenied


def _own_department(request: HttpRequest) -> str | None:
    """The batches whose 核查处置 ``request.user`` works: ``"*"`` every batch (office,
    inspectors), else 区市场监管局's member-unit login the batches its department sampled."""
    return "*" if may_run_sampling(request.user) else Department.MARKET_REGULATION


def _require_owner(request: HttpRequest, batch: SamplingBatch) -> None:
    require_may_open(request.user, PAGE)
    own = _own_department(request)
    if own != "*" and batch.department != own:
        raise PermissionDenied


def _readings() -> list[tuple[str, str, str]]:
    return [
        (key, part.certainty, part.note or part.source)
        for key, part in sampling_plan_spec().readings()
    ]


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, PAGE)
    rows = SamplingPlan.objects.select_related("org_unit", "created_by").order_by(
        "-year", "org_unit_id", "-version"
    )
    return render(
        request,
        "samplingplan/plans.html",
        {
            "plans": rows,
            "units": _units(),
            "next_year": timezone.localdate().year + 1,
            "can_plan": may_run_sampling(request.user),
            "readings": _readings(),
            "label": sampling_plan_spec().label,
        },
    )


def _lines_by_top(lines: list) -> list[tuple[str, int, int]]:
    tree = category_tree()
    acc: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        acc[line.category_code[:2]][0] += line.batches
        acc[line.category_code[:2]][1] += line.batches if line.residue else 0
    return [(tree.name_of(top), n, r) for top, (n, r) in sorted(acc.items())]


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    """A generated plan before it is saved: totals reached against the targets."""
    _require_planner(request)
    org = request.GET.get("org", "").strip()
    year = year_param(request.GET.get("year", ""))
    if not org or year is None:
        return HttpResponse("请选择范围并填写年度", status=400)
    spec = sampling_plan_spec()
    try:
        result = plan_preview(spec=spec, org_code=org, year=year)
    except PlanError as exc:
        messages.error(request, str(exc))
        return redirect("samplingplan:plans")
    return render(
        request,
        "samplingplan/preview.html",
        {
            "p": result,
            "spec": spec,
            "by_top": _lines_by_top(result.lines),
            "cells": [
                (_label("stage", c[0]), _label("format", c[1]), c[2], c[3])
                for c in result.inputs["cells"]
            ],
            "readings": _readings(),
        },
    )


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    _require_planner(request)
    org = request.POST.get("org", "").strip()
    year = year_param(request.POST.get("year", ""))
    if not org or year is None:
        return HttpResponse("请选择范围并填写年度", status=400)
    spec = sampling_plan_spec()
    try:
        result = plan_preview(spec=spec, org_code=org, year=year)
    except PlanError as exc:
        messages.error(request, str(exc))
        return redirect("samplingplan:plans")
    plan = plan_save(
        spec=spec, preview=result, actor=request.user, note=request.POST.get("note", "")
    )
    messages.success(request, f"已保存 {plan.number}（第 {plan.version} 版）")
    return redirect("samplingplan:detail", pk=plan.pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A saved plan: totals recomputed from its lines, progress on a day, units, needs."""
    require_may_open(request.user, PAGE)
    plan = get_object_or_404(SamplingPlan.objects.select_related("org_unit"), pk=pk)
    spec = sampling_plan_spec()
    on = _date(request.GET.get("on", ""), min(timezone.localdate(), date(plan.year, 12, 31)))
    progress = selectors.plan_progress(plan=plan, spec=spec, on=on)
    tree = category_tree()
    latest = selectors.plan_in_force(plan.org_unit_id, plan.year)
    return render(
        request,
        "samplingplan/detail.html",
        {
            "plan": plan,
            "totals": selectors.plan_totals(plan),
            "progress": progress,
            "units": selectors.units_progress(plan=plan, spec=spec, on=on),
            "cells": [
                (_label("stage", c.stage), _label("format", c.business_format), c)
                for c in progress.cells
            ],
            "needs": [(tree.name_of(n.code), n) for n in progress.needs],
            "by_top": _lines_by_top(selectors.plan_lines(plan)),
            "special": [
                (
                    line,
                    tree.name_of(line.category_code),
                    _label("stage", line.stage),
                    _label("format", line.business_format),
                )
                for line in plan.lines.exclude(special="")
            ],
            "in_force": latest is not None and latest.pk == plan.pk,
            "can_plan": may_run_sampling(request.user),
            "names": _names(),
            "tops": tree.tops(),
            "spec": spec,
            "readings": _readings(),
        },
    )


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    require_may_open(request.user, PAGE)
    plan = get_object_or_404(SamplingPlan.objects.select_related("org_unit"), pk=pk)
    title = f"{plan.org_unit.name}{plan.year}年食品安全抽检计划（第{plan.version}版）"
    notes = [f"{key} [{tag}]：{note}" for key, tag, note in _readings()]
    body = plan_workbook(
        title=title,
        lines=selectors.plan_lines(plan),
        plan_totals=selectors.plan_totals(plan),
        notes=notes,
    )
    return _xlsx(
        body, f"{title}.xlsx", f"sampling-plan-{plan.org_unit_id}-{plan.year}-v{plan.version}.xlsx"
    )


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_planner(request)
    plan = get_object_or_404(SamplingPlan, pk=pk)
    data = request.POST
    numbers = [_int(data.get(k, "")) for k in ("month_from", "month_to", "batches")]
    if any(n is None for n in numbers):
        return HttpResponse("月份和批次须为数字", status=400)
    try:
        plan_line_add(
            plan=plan,
            special=data.get("special", ""),
            category_code=data.get("category_code", "").strip(),
            stage=data.get("stage", "").strip(),
            business_format=data.get("business_format", "").strip(),
            month_from=numbers[0] or 0,
            month_to=numbers[1] or 0,
            batches=numbers[2] or 0,
            residue=data.get("residue") == "on",
            actor=request.user,
        )
    except PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已添加专项批次")
    return redirect("samplingplan:detail", pk=plan.pk)


@login_required
def disposals(request: HttpRequest) -> HttpResponse:
    """Disposals, failed batches not yet opened, and the reminders and overdue steps."""
    require_may_open(request.user, PAGE)
    spec = sampling_plan_spec()
    on = _date(request.GET.get("on", ""), timezone.localdate())
    return render(
        request,
        "samplingplan/disposals.html",
        {
            "on": on,
            "reminders": selectors.disposal_reminders(spec=spec, on=on),
            "rows": selectors.disposals_list(),
            "waiting": selectors.failed_without_disposal(),
            "readings": _readings(),
            "label": spec.label,
            "own": _own_department(request),
        },
    )


@login_required
@require_POST
def disposal_open_view(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, PAGE)
    batch_id = _int(request.POST.get("batch", ""))
    if batch_id is None:
        return HttpResponse("缺少抽检批次", status=400)
    batch = get_object_or_404(SamplingBatch, pk=batch_id)
    _require_owner(request, batch)
    try:
        opened = flow.disposal_open(batch=batch, spec=sampling_plan_spec(), actor=request.user)
    except (flow.DisposalError, SamplingPlanSpecError) as exc:
        # A spec error: the two places that set the closing limit disagree; no deadline is
        # counted with either, and the message names the file, the key and both figures.
        messages.error(request, str(exc))
        return redirect("samplingplan:disposals")
    return redirect("samplingplan:disposal", pk=opened.pk)


@login_required
def disposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_may_open(request.user, PAGE)
    d = get_object_or_404(Disposal.objects.select_related("batch", "business", "org_unit"), pk=pk)
    own = _own_department(request)
    return render(
        request,
        "samplingplan/disposal.html",
        {
            "d": d,
            "steps": d.steps.all(),
            "today": timezone.localdate(),
            "readings": _readings(),
            "can_act": own in ("*", d.batch.department),
        },
    )


@login_required
@require_POST
def disposal_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One action on a disposal: serve, step, extend or close (POST ``action``)."""
    d = get_object_or_404(Disposal.objects.select_related("batch"), pk=pk)
    _require_owner(request, d.batch)
    data = request.POST
    action = data.get("action", "")
    spec = sampling_plan_spec()
    when = date_param(data.get("on", ""))  # out of range: 400 saying so (handler400)
    if when is None:
        return HttpResponse("日期格式应为 2021-10-08", status=400)
    try:
        if action == "serve":
            flow.disposal_serve(disposal=d, served_on=when, spec=spec, actor=request.user)
        elif action == "step":
            step = get_object_or_404(d.steps, pk=_int(data.get("step", "")) or 0)
            flow.disposal_step_complete(
                step=step, done_on=when, outcome=data.get("outcome", ""), actor=request.user
            )
        elif action == "extend":
            flow.disposal_extend(
                disposal=d, until=when, reason=data.get("reason", ""), actor=request.user
            )
        elif action == "close":
            flow.disposal_close(
                disposal=d, closed_on=when, evidence=data.get("evidence", ""), actor=request.user
            )
        else:
            return HttpResponse("未知的操作", status=400)
    except flow.DisposalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已登记")
    return redirect("samplingplan:disposal", pk=d.pk)


def _publication_args(request: HttpRequest) -> tuple[str, date, str]:
    org = request.GET.get("org", "").strip() or (_units()[0].code if _units() else "")
    month = month_param(request.GET.get("month", "")) or timezone.localdate().replace(day=1)
    kind = request.GET.get("kind", PublicationKind.RESULTS)
    if kind not in PublicationKind.values:
        raise Http404
    return org, month, kind


@login_required
def publication(request: HttpRequest) -> HttpResponse:
    """The month's 抽检结果 or 核查处置 list as a government website publishes it."""
    require_may_open(request.user, PAGE)
    org, month, kind = _publication_args(request)
    unit = OrgUnit.objects.filter(code=org).first()
    if unit is None:
        raise Http404
    records = pub.Publication.objects.filter(org_unit=unit).order_by("-month", "kind")[:24]
    try:
        within_days: int | str = publication_within_days()
    except SamplingPlanSpecError as exc:
        # The two places that set the limit disagree: say so rather than count with either.
        messages.error(request, str(exc))
        within_days = "—"
    return render(
        request,
        "samplingplan/publication.html",
        {
            "unit": unit,
            "units": _units(),
            "month": month,
            "kind": kind,
            "kinds": PublicationKind.choices,
            "rows": pub.publication_rows(org_code=org, month=month, kind=kind),
            "records": records,
            "names": _names(),
            "within_days": within_days,
            "can_plan": may_run_sampling(request.user),
        },
    )


@login_required
def publication_export(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, PAGE)
    org, month, kind = _publication_args(request)
    unit = get_object_or_404(OrgUnit, code=org)
    label = dict(PublicationKind.choices)[kind]
    title = f"{unit.name}{month:%Y年%m月}食品安全监督{label}信息"
    body = pub.publication_workbook(
        title=title, kind=kind, rows=pub.publication_rows(org_code=org, month=month, kind=kind)
    )
    return _xlsx(body, f"{title}.xlsx", f"sampling-{kind}-{org}-{month:%Y%m}.xlsx")


@login_required
@require_POST
def publication_record(request: HttpRequest) -> HttpResponse:
    _require_planner(request)
    data = request.POST
    month = month_param(data.get("month", ""))
    try:
        published_on = posted_date(data.get("published_on"), label=_("公开日期"), required=False)
    except BadDate as exc:
        return HttpResponse(str(exc), status=400)
    if month is None or published_on is None:
        return HttpResponse("月份应为 2021-08，日期应为 2021-09-10", status=400)
    org, kind = data.get("org", "").strip(), data.get("kind", "")
    try:
        pub.publication_record(
            org_code=org,
            month=month,
            kind=kind,
            published_on=published_on,
            where=data.get("where", ""),
            actor=request.user,
        )
    except pub.PublicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已登记公开")
    return redirect(
        f"{request.path.rsplit('record/', 1)[0]}?org={org}&month={month:%Y-%m}&kind={kind}"
    )
