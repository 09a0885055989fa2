"""The office's working-day calendar page (工作日日历, issue 9 point 1).

Flow: the years stored and their days → a year's arrangement entered on the page or uploaded
from the template (``foodsafe calendar-template``) → its preview (the days, and every stored
deadline that would change, old → new) → "确认载入" (POST) calls
:func:`foodsafe.workdays.services.arrangement_load` (one transaction, revision bump, audit).

Office only (``PAGE_ROLES["supervision:calendar"]``): every other role gets 403. The parsed
arrangement waits in the user's session under a random token, never on disk; another user's
token is a 404. An upload is checked by size (from Content-Length, before the body is read)
and by content (an .xlsx, read by ``workdays.sheets``).
"""

from __future__ import annotations

import secrets
from datetime import date
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from foodsafe.accounts.permissions import require_may_open
from foodsafe.lib.params import PAST_DATE
from foodsafe.workdays import selectors
from foodsafe.workdays.models import DayKind
from foodsafe.workdays.services import (
    ArrangedDay,
    ArrangementSource,
    arrangement_load,
    arrangement_preview,
)
from foodsafe.workdays.sheets import (
    MAX_BYTES,
    ArrangementSheet,
    arrangement_parse,
    arrangement_read,
    arrangement_template,
)

SESSION_KEY = "workdays_arrangements"
FORM_OVERHEAD = 64 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def office_only(view: Any) -> Any:
    """Login required (anonymous → login page); then the office only (403 for other roles)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_may_open(request.user, "supervision:calendar")
        return view(request, *args, **kwargs)

    return wrapped


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("节假日安排表（.xlsx）"))


class EntryForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    title = forms.CharField(label=gettext_lazy("通知标题"), max_length=200)
    number = forms.CharField(label=gettext_lazy("文号"), max_length=60, required=False)
    published_on = forms.DateField(
        label=gettext_lazy("发布日期"), required=False, validators=PAST_DATE
    )
    days = forms.CharField(
        label=gettext_lazy("日期（每行一天：日期 类别 节日）"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("如“2027-02-06 放假 春节”“2027-02-20 调休上班 春节”"),
    )


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _page(
    request: HttpRequest,
    *,
    upload_form: UploadForm | None = None,
    entry_form: EntryForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    on = timezone.localdate()
    return render(
        request,
        "supervision/calendar.html",
        {
            "on": on,
            "years": selectors.calendar_years(on=on),
            "revisions": selectors.calendar_revisions(),
            "upload_form": upload_form or UploadForm(),
            "entry_form": entry_form or EntryForm(initial={"year": on.year + 1}),
            "template_years": range(on.year, on.year + 3),
            "errors": errors or [],
            "limit_mb": MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


@require_GET
@office_only
def calendar(request: HttpRequest) -> HttpResponse:
    """The years stored (notice, loaded by/at, holidays and make-up days), the years counted
    provisionally, the latest revisions, and the two ways to load a year."""
    return _page(request)


@require_GET
@office_only
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    """One year's days that differ from Monday–Friday (its statutory holidays, 暂定, when the
    year has no arrangement)."""
    arrangement, days = selectors.calendar_year_days(year=_year_or_404(year))
    return render(
        request,
        "supervision/calendar_year.html",
        {"year": year, "arrangement": arrangement, "days": days},
    )


@require_GET
@office_only
def calendar_template(request: HttpRequest, year: int) -> HttpResponse:
    """The arrangement template for ``year``, prefilled with its statutory holidays."""
    data = arrangement_template(_year_or_404(year))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="holiday-arrangement-{year}.xlsx"'
    return response


def _keep(request: HttpRequest, sheet: ArrangementSheet, *, origin: str) -> HttpResponse:
    token = secrets.token_hex(16)
    kept = request.session.get(SESSION_KEY, {})
    # One pending arrangement per user is enough; older ones are dropped.
    kept = {
        token: {
            "user": request.user.pk,
            "origin": origin[:200],
            "year": sheet.year,
            "title": sheet.source.title,
            "number": sheet.source.number,
            "published_on": (
                sheet.source.published_on.isoformat() if sheet.source.published_on else None
            ),
            "days": [[d.date.isoformat(), d.kind, d.name] for d in sheet.days],
        }
    }
    request.session[SESSION_KEY] = kept
    return redirect("supervision:calendar_preview", token=token)


@csrf_exempt  # the CSRF check runs in _submit, after the size check below
@require_POST
@office_only
def calendar_submit(request: HttpRequest) -> HttpResponse:
    """POST an uploaded sheet (``file``) or a typed arrangement (the entry form): check it and go
    to its preview; a bad one comes back with every error (sheet, row, column, why)."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BYTES + FORM_OVERHEAD:
        # Refused before the body is read: request.POST and FILES are never touched.
        return _page(
            request,
            errors=[_("文件超过 %(mb)s MB，不是节假日安排表") % {"mb": MAX_BYTES // 1024 // 1024}],
            status=413,
        )
    return _submit(request)


@csrf_protect
def _submit(request: HttpRequest) -> HttpResponse:
    if "file" in request.FILES:
        upload_form = UploadForm(request.POST, request.FILES)
        if not upload_form.is_valid():
            return _page(request, upload_form=upload_form, status=400)
        upload = upload_form.cleaned_data["file"]
        name = (upload.name or "上传文件").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        try:
            sheet = arrangement_read(upload, filename=name)
        except ValidationError as exc:
            return _page(request, errors=exc.messages, status=400)
        return _keep(request, sheet, origin=name)
    entry_form = EntryForm(request.POST)
    if not entry_form.is_valid():
        return _page(request, entry_form=entry_form, status=400)
    data = entry_form.cleaned_data
    try:
        sheet = arrangement_parse(
            year=data["year"],
            title=data["title"],
            number=data["number"],
            published_on=data["published_on"],
            lines=data["days"],
        )
    except ValidationError as exc:
        return _page(request, entry_form=entry_form, errors=exc.messages, status=400)
    return _keep(request, sheet, origin=_("页面填写"))


def _pending(request: HttpRequest, token: str) -> tuple[dict[str, Any], ArrangementSheet]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry.get("user") != request.user.pk:
        raise Http404("找不到待确认的节假日安排（可能已载入或已过期），请重新提交")
    sheet = ArrangementSheet(
        year=int(entry["year"]),
        source=ArrangementSource(
            title=entry["title"],
            number=entry["number"],
            published_on=date.fromisoformat(entry["published_on"])
            if entry["published_on"]
            else None,
        ),
        days=[ArrangedDay(date.fromisoformat(d), kind, name) for d, kind, name in entry["days"]],
    )
    return entry, sheet


@require_GET
@office_only
def calendar_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The pending arrangement's days and every stored deadline it would change (old → new),
    with the confirm button. Nothing is written."""
    entry, sheet = _pending(request, token)
    try:
        preview = arrangement_preview(year=sheet.year, days=sheet.days)
    except ValidationError as exc:
        return _page(request, errors=exc.messages, status=400)
    labels = dict(DayKind.choices)
    days = [
        {
            "date": d.date,
            "weekday": str(selectors.WEEKDAYS[d.date.weekday()]),
            "kind": d.kind,
            "kind_label": labels[d.kind],
            "name": d.name,
        }
        for d in preview.days
    ]
    return render(
        request,
        "supervision/calendar_preview.html",
        {
            "token": token,
            "origin": entry["origin"],
            "sheet": sheet,
            "preview": preview,
            "days": days,
            "holidays": sum(d.kind == DayKind.HOLIDAY for d in preview.days),
            "workdays": sum(d.kind == DayKind.WORKDAY for d in preview.days),
        },
    )


@require_POST
@office_only
def calendar_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Load the pending arrangement as the user (one transaction, revision, audit) and go to
    the year's page."""
    _entry, sheet = _pending(request, token)
    try:
        result = arrangement_load(
            year=sheet.year, days=sheet.days, source=sheet.source, actor=request.user
        )
    except ValidationError as exc:
        return _page(request, errors=exc.messages, status=400)
    kept = request.session.get(SESSION_KEY, {})
    kept.pop(token, None)
    request.session[SESSION_KEY] = kept
    messages.success(
        request,
        _(
            "已载入 %(year)s 年节假日安排：放假 %(holidays)s 天，调休上班 %(workdays)s 天；"
            "日历版本 %(revision)s；重算期限 %(recomputed)s 项，其中变化 %(changed)s 项。"
        )
        % {
            "year": result.year,
            "holidays": result.holidays,
            "workdays": result.workdays,
            "revision": result.revision,
            "recomputed": result.recomputed,
            "changed": result.changed,
        },
    )
    return redirect("supervision:calendar_year", year=result.year)
