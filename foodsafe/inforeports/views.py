"""信息报送 pages (plan 五（三）): thin views over ``selectors`` and ``services``.

- ``inforeports:index``: a member unit's periods (due dates, status) and its reports, with the
  form to send one; the office's schedules, every unit's status, every report and the 工作简报
  it compiles; reviewers read the reports and bulletins.
- POSTs: ``submit`` (member units), ``schedule_create`` and ``bulletin_create`` (office).
- ``report`` / ``attachment``: one report and its files (another unit's: 404).
- ``bulletin_docx``: the 工作简报 in Word (office, reviewers and member units: it is sent to them).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from foodsafe.accounts.permissions import require_may_open
from foodsafe.evidence.views import size_checked
from foodsafe.lib.downloads import DOCX, content_disposition
from foodsafe.lib.downloads import attachment as attachment_response

from . import selectors, services
from .bulletin import bulletin_docx
from .forms import BulletinForm, ReportForm, ScheduleForm
from .models import Bulletin, InfoAttachment, ReportSchedule

PAGE_SIZE = 30


def _period_choices(on: date) -> list[tuple[str, str]]:
    """``schedule:YYYY-MM-DD`` for the last 3 periods (begun by ``on``) of each schedule."""
    out = []
    for schedule in ReportSchedule.objects.filter(active=True, starts_on__lte=on):
        for period in reversed(selectors.schedule_periods(schedule, through=on)[-3:]):
            due = selectors.due_on(schedule, period)
            out.append(
                (
                    f"{schedule.pk}:{period.start:%Y-%m-%d}",
                    f"{schedule.name} · {period.label}（{due:%m-%d} 截止）",
                )
            )
    return out


def _page(request: HttpRequest, *, report_form: ReportForm | None = None, status: int = 200,
          schedule_form: ScheduleForm | None = None, bulletin_form: BulletinForm | None = None) -> HttpResponse:  # fmt: skip
    user = request.user
    on = timezone.localdate()
    statuses = selectors.report_statuses(user=user, on=on)
    if not selectors.may_report(user):
        # The office's table: every unit for the two latest periods of each schedule.
        latest: dict[int, list[date]] = {}
        for row in statuses:
            starts = latest.setdefault(row.schedule.pk, [])
            if row.period.start not in starts:
                starts.append(row.period.start)
        statuses = [r for r in statuses if r.period.start in latest[r.schedule.pk][-2:]]
    statuses.sort(key=lambda r: (r.schedule.pk, -r.period.start.toordinal(), r.unit.name))
    reports = Paginator(selectors.visible_reports(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "on": on,
        "statuses": statuses,
        "page": reports,
        "schedules": ReportSchedule.objects.all(),
        "bulletins": selectors.bulletins(),
        "may_report": selectors.may_report(user),
        "may_manage": selectors.may_manage(user),
    }
    if context["may_report"]:
        context["report_form"] = report_form or ReportForm(periods=_period_choices(on))
    if context["may_manage"]:
        context["schedule_form"] = schedule_form or ScheduleForm(
            initial={"starts_on": on.replace(day=1)}
        )
        context["bulletin_form"] = bulletin_form or BulletinForm(initial={"issued_on": on})
    return render(request, "inforeports/index.html", context, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "inforeports:index")
    return _page(request)


@size_checked
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "inforeports:index")
    if not selectors.may_report(request.user):
        raise PermissionDenied
    on = timezone.localdate()
    form = ReportForm(request.POST, request.FILES, periods=_period_choices(on))
    if form.is_valid():
        schedule_id, _, start = form.cleaned_data["period"].partition(":")
        try:
            report = services.info_report_submit(
                schedule=get_object_or_404(ReportSchedule, pk=int(schedule_id)),
                period_start=date.fromisoformat(start),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(
                "attachments" if exc.code in {"too_large", "empty", "unsupported"} else None, exc
            )
        else:
            messages.success(request, f"已报送“{report.title}”。")
            return redirect("inforeports:index")
    return _page(request, report_form=form, status=400)


@login_required
@require_POST
def schedule_create(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "inforeports:index")
    if not selectors.may_manage(request.user):
        raise PermissionDenied
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.report_schedule_create(**form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已设置报送安排。")
            return redirect("inforeports:index")
    return _page(request, schedule_form=form, status=400)


@login_required
@require_POST
def bulletin_create(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "inforeports:index")
    if not selectors.may_manage(request.user):
        raise PermissionDenied
    form = BulletinForm(request.POST)
    if form.is_valid():
        ids = [int(v) for v in request.POST.getlist("report") if v.isdigit()]
        try:
            bulletin = services.bulletin_compile(
                issued_on=form.cleaned_data["issued_on"],
                number=form.cleaned_data["number"],
                report_ids=ids,
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已编制工作简报 {bulletin}。")
            return redirect("inforeports:index")
    return _page(request, bulletin_form=form, status=400)


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    require_may_open(request.user, "inforeports:index")
    item = selectors.report_get_or_404(user=request.user, pk=pk)
    period = selectors.period_containing(item.schedule.frequency, item.period_start)
    return render(request, "inforeports/report.html", {"report": item, "period": period})


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    require_may_open(request.user, "inforeports:index")
    file = get_object_or_404(InfoAttachment.objects.select_related("report"), pk=pk)
    selectors.report_get_or_404(user=request.user, pk=file.report_id)  # scope: 404 for others
    try:
        handle = file.file.storage.open(file.file.name or "", "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition(file.original_name, "attachment")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def bulletin_download(request: HttpRequest, pk: int) -> HttpResponse:
    require_may_open(request.user, "inforeports:index")
    bulletin = get_object_or_404(Bulletin, pk=pk)
    content = bulletin_docx(bulletin, selectors.bulletin_items(bulletin))
    return attachment_response(
        content,
        content_type=DOCX,
        filename=f"{bulletin.title}{bulletin.year}年第{bulletin.number}期.docx",
        fallback=f"bulletin-{bulletin.year}-{bulletin.number}.docx",
    )
