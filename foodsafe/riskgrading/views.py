"""Risk grading pages: the year's grading (office), the checklist on a phone (inspectors), the
operator file (企业档案) and the 风险等级确定表 export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from foodsafe.accounts.permissions import is_office, may_open, require_may_open
from foodsafe.inspections.models import Inspection, InspectionType
from foodsafe.lib.params import BadDate, posted_date, year_param
from foodsafe.lib.sizes import size_text
from foodsafe.rectification.services import INSPECTION_WORKING_DAYS

from . import selectors
from .adjustment import adjustments_propose
from .exports import grading_table_xlsx
from .grading import gradings_assess
from .in_force import grading_spec
from .models import ChecklistPhoto, Grading
from .photos import MAX_PER_CHECKLIST, MAX_PER_ITEM, max_photo_bytes, max_request_bytes
from .rectify import inspection_rectify
from .scoring import ANSWERS
from .services import GradingError, checklist_record, grading_confirm, gradings_confirm_all
from .spec import GRADES


def _year(request: HttpRequest) -> int:
    """``year`` (GET or POST; blank: this year); 400 saying so for anything but a year from
    2000 to 2100 (``lib.params.year_param``)."""
    year = year_param(request.GET.get("year") or request.POST.get("year"))
    return timezone.localdate().year if year is None else year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The year's grading: counts by grade, the list (highest risk first), the scheme's
    readings ([M]/[I]); the office runs grading, the adjustment and confirmation here."""
    require_may_open(request.user, "riskgrading:index")
    year = _year(request)
    grade = request.GET.get("grade", "")
    if grade and grade not in (*GRADES, "pending"):
        raise Http404
    spec = grading_spec()
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        found = list(
            selectors.visible_businesses(request.user)
            .filter(name__icontains=query)
            .order_by("registry_number")[:20]
        ) + list(
            selectors.visible_businesses(request.user)
            .filter(registry_number=query)
            .order_by("registry_number")[:1]
        )
    return render(
        request,
        "riskgrading/index.html",
        {
            "year": year,
            "years": list(range(timezone.localdate().year, 2019, -1)),
            "grade": grade,
            "summary": selectors.year_summary(year),
            "gradings": selectors.gradings_page(year=year, grade=grade),
            "spec": spec,
            "open_parts": spec.open_parts(),
            "may_run": is_office(request.user),
            "query": query,
            "found": found,
        },
    )


RUN_ACTIONS = ("assess", "adjust", "confirm_grade", "confirm_next")


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    """The office grades the year, proposes the adjustment or confirms every proposal."""
    if not is_office(request.user):
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action not in RUN_ACTIONS:
        return HttpResponseBadRequest(_("未知的操作"))
    year = _year(request)
    spec = grading_spec()
    if action == "assess":
        done = gradings_assess(spec=spec, year=year, actor=request.user)
    elif action == "adjust":
        done = adjustments_propose(spec=spec, year=year, actor=request.user)
    else:
        part = "grade" if action == "confirm_grade" else "next"
        done = gradings_confirm_all(spec=spec, year=year, part=part, actor=request.user)
    messages.success(
        request,
        _("%(kind)s完成：%(rows)s 家经营者。")
        % {"kind": done.get_kind_display(), "rows": done.rows},
    )
    return redirect(f"{reverse('riskgrading:index')}?year={year}")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The year's 风险等级确定表 as .xlsx."""
    require_may_open(request.user, "riskgrading:index")
    year = _year(request)
    gradings = (
        Grading.objects.filter(year=year)
        .select_related("business", "grade_confirmed_by", "next_confirmed_by")
        .order_by("business__registry_number")
    )
    body = grading_table_xlsx(grading_spec(), year, gradings.iterator(chunk_size=2000))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="risk-grades-{year}.xlsx"'
    return response


@login_required
def operator(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator file (企业档案): licence, grade history with reasons, inspections with their
    checklists, sampling, cases, complaints (no personal data), adjustment facts."""
    business = selectors.business_for(request.user, pk)
    spec = grading_spec()
    file = selectors.operator_file(business)
    inspections = [
        {
            "inspection": i,
            "checklist": file.checklists.get(i.pk),
            "rows": selectors.checklist_rows(spec, file.checklists[i.pk])
            if i.pk in file.checklists
            else [],
        }
        for i in file.inspections
    ]
    for g in file.gradings:
        g.factor_rows = _factor_rows(spec, g.inputs.get("static", {}))  # type: ignore[attr-defined]
    return render(
        request,
        "riskgrading/operator.html",
        {
            "file": file,
            "b": business,
            "inspections": inspections,
            "may_confirm": is_office(request.user),
            "may_inspect": _may_inspect(request.user),
            "may_record": may_open(request.user, "riskgrading:records"),
            "rectifications": selectors.rectification_rows(request.user, file),
            "rectified": {r.inspection_id for r in file.rectifications},
            "rectify_days": INSPECTION_WORKING_DAYS,
            "grades": GRADES,
            "spec": spec,
        },
    )


def _factor_rows(spec: Any, static: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """``(name, value, points)`` of a grading's stored static factors, named from the spec
    (by code when the table is no longer in it)."""
    try:
        names = {i.code: i.name for i in spec.static_table(static.get("table", "")).items}
    except KeyError:
        names = {}
    return [
        (names.get(code, code), value, points)
        for code, (value, points) in static.get("factors", {}).items()
    ]


def _may_inspect(user: Any) -> bool:
    from foodsafe.accounts.permissions import may_open

    return may_open(user, "riskgrading:checklist")


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The office confirms (or overrides with a reason) a grading's grade or next year's."""
    if not is_office(request.user):
        raise PermissionDenied
    grading = get_object_or_404(Grading, pk=pk)
    part = request.POST.get("part", "")
    if part not in ("grade", "next"):
        return HttpResponseBadRequest(_("请选择确认本年度等级或下一年度等级"))
    try:
        grading_confirm(
            grading=grading,
            part=part,
            grade=request.POST.get("grade", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except GradingError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("riskgrading:operator", pk=grading.business_id)
    messages.success(request, _("已确认。"))
    return redirect("riskgrading:operator", pk=grading.business_id)


def _rectify_days(raw: str) -> int | None:
    """The checklist form's 整改期限: blank → none ordered; not a number → 0, refused."""
    raw = raw.strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() and len(raw) <= 4 else 0


@login_required
@require_POST
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an inspection's findings on the rectification ledger (责令整改), linked to the
    operator: the office and inspectors, for an operator they may open."""
    require_may_open(request.user, "riskgrading:checklist")
    inspection = get_object_or_404(Inspection, pk=pk)
    selectors.business_for(request.user, inspection.business_id)
    days = _rectify_days(request.POST.get("working_days", "")) or 0
    try:
        done = inspection_rectify(inspection=inspection, working_days=days, actor=request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("已登记整改事项 %(number)s，整改期限 %(deadline)s。")
            % {"number": done.number, "deadline": done.deadline.isoformat()},
        )
    return redirect("riskgrading:operator", pk=inspection.business_id)


def _too_large(request: HttpRequest) -> bool:
    return int(request.META.get("CONTENT_LENGTH") or 0) > max_request_bytes()


def _size_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; an oversized POST reaches the view unread (it answers 400 with the form
    empty); any other request gets the CSRF check first, as usual."""
    protected = csrf_protect(view)

    @csrf_exempt
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and _too_large(request):
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    return wrapped


@_size_checked
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an inspection with the operator's sector checklist (监督检查要点表), on a phone.

    GET: the form. POST: saved through ``checklist_record`` (two inspectors, every item answered,
    a 不符合 with its note, signature or refusal), then back to the operator file; otherwise the
    form again with every problem listed and the answers kept."""
    require_may_open(request.user, "riskgrading:checklist")
    business = selectors.business_for(request.user, pk)
    spec = grading_spec()
    items = spec.checklist_for(business.sector)
    if items is None:
        raise Http404
    errors: list[str] = []
    posted: dict[str, Any] = {}
    photos_sent = False
    if request.method == "POST" and _too_large(request):
        # Refused before the body (or its CSRF token) is read: photos beyond every limit.
        errors.append(
            _("提交的内容过大（照片合计超过 %(size)s），未保存。请减少或压缩照片后重试。")
            % {"size": size_text(max_request_bytes())}
        )
    elif request.method == "POST":
        posted = request.POST.dict()
        photos = {i.code: request.FILES.getlist(f"p-{i.code}") for i in items.items}
        photos_sent = any(photos.values())
        answers = {
            i.code: {
                "answer": request.POST.get(f"a-{i.code}", ""),
                "note": request.POST.get(f"n-{i.code}", ""),
            }
            for i in items.items
            if request.POST.get(f"a-{i.code}", "") in ANSWERS or request.POST.get(f"n-{i.code}")
        }
        inspected_on: date | None
        try:
            inspected_on = posted_date(request.POST.get("inspected_on"), label=_("检查日期"))
        except BadDate as exc:
            errors.append(str(exc))
            inspected_on = None
        if inspected_on is not None:
            try:
                saved = checklist_record(
                    business=business,
                    spec=spec,
                    inspected_on=inspected_on,
                    inspection_type=request.POST.get("inspection_type", ""),
                    answers=answers,
                    inspectors=(
                        (request.POST.get("inspector_1", ""), request.POST.get("badge_1", "")),
                        (request.POST.get("inspector_2", ""), request.POST.get("badge_2", "")),
                    ),
                    signed_by=request.POST.get("signed_by", ""),
                    refused=request.POST.get("refused") == "1",
                    refusal_note=request.POST.get("refusal_note", ""),
                    obstructed=request.POST.get("obstructed") == "1",
                    actor=request.user,
                    photos=photos,
                    rectify_days=_rectify_days(request.POST.get("rectify_days", "")),
                )
            except GradingError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request,
                    _("已保存检查 %(number)s：检查结果 %(result)s，动态风险分值 %(score)s。")
                    % {
                        "number": saved.inspection.inspection_number,
                        "result": saved.inspection.get_result_display(),
                        "score": saved.dynamic_score,
                    },
                )
                return redirect("riskgrading:operator", pk=business.pk)
    groups: list[dict[str, Any]] = []
    for item in items.items:
        if not groups or groups[-1]["name"] != item.group:
            groups.append({"name": item.group, "items": []})
        groups[-1]["items"].append(
            {
                "item": item,
                "answer": posted.get(f"a-{item.code}", ""),
                "note": posted.get(f"n-{item.code}", ""),
            }
        )
    return render(
        request,
        "riskgrading/checklist.html",
        {
            "b": business,
            "checklist": items,
            "groups": groups,
            "errors": errors,
            "posted": posted,
            "today": timezone.localdate().isoformat(),
            "types": InspectionType.choices,
            "rule": spec.result_rule,
            "status": 400 if errors else 200,
            "photo_limits": {
                "per_item": MAX_PER_ITEM,
                "per_checklist": MAX_PER_CHECKLIST,
                "size": size_text(max_photo_bytes()),
            },
            "photos_dropped": bool(errors) and photos_sent,
            "rectify_days": posted.get("rectify_days", INSPECTION_WORKING_DAYS),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A checklist photo, to whoever may open its operator's file (404 otherwise, so its
    existence does not leak): the type found by content at upload, ``nosniff``, a sandbox
    policy, never cached by a shared cache. ``?download=1`` sends it as an attachment."""
    found = ChecklistPhoto.objects.select_related("checklist__inspection").filter(pk=pk).first()
    if found is None:
        raise Http404
    selectors.business_for(request.user, found.checklist.inspection.business_id)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=request.GET.get("download") == "1",
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
