"""Notice pages for the office (公示管理): create and publish a notice, assign and answer
objections, close it with its result; and 我承办的异议 for an objection's handler (承办人),
whatever their role: the objections assigned to them, each with the objector's contact
details and the reply form. Another user's objection is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from foodsafe.accounts.permissions import is_office, require_may_open
from foodsafe.lib.listing import paged, search_text
from foodsafe.lib.params import validate_year_range

from . import selectors, services
from .models import Notice, Outcome

PAGE_SIZE = 30


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200)
    body = forms.CharField(label=_("公示内容"), widget=forms.Textarea(attrs={"rows": 8}))
    days = forms.IntegerField(label=_("公示天数"), max_value=90, initial=15)

    def clean_days(self) -> int:
        days: int = self.cleaned_data["days"]
        least = settings.FOODSAFE_NOTICE_MIN_DAYS
        if days < least:
            raise forms.ValidationError(
                _("公示天数不能少于 %(days)s 天（创建结果公示15天）") % {"days": least}
            )
        return days


@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "notices:list")
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        notice = services.notice_create(
            title=d["title"], body=d["body"], days=d["days"], actor=request.user
        )
        return redirect("notices:detail", pk=notice.pk)
    q = search_text(request)
    notices = Notice.objects.annotate(objection_count=Count("objections")).order_by(
        "-starts_on", "-id"
    )
    if q:
        notices = notices.filter(title__icontains=q)
    listing = paged(request, notices, PAGE_SIZE)
    return render(request, "notices/list.html", {**listing, "q": q, "form": form})


def _act(request: HttpRequest, notice: Notice) -> None:
    action, user, today = request.POST.get("action"), request.user, timezone.localdate()
    if action == "publish":
        starts = forms.DateField(validators=[validate_year_range]).clean(
            request.POST.get("starts_on") or str(today)
        )
        services.notice_publish(notice=notice, starts_on=starts, on=today, actor=user)
    elif action == "close":
        services.notice_close(notice=notice, on=today, actor=user)
    elif action in ("assign", "reply"):
        objection = get_object_or_404(notice.objections, pk=request.POST.get("objection") or 0)
        if action == "assign":
            handler = get_object_or_404(get_user_model(), pk=request.POST.get("handler") or 0)
            services.objection_assign(objection=objection, handler=handler, actor=user)
        else:
            services.objection_reply(
                objection=objection,
                reply=request.POST.get("reply", ""),
                outcome=request.POST.get("outcome", ""),
                on=today,
                actor=user,
            )
    else:
        raise services.NoticeError("未知操作")


@login_required
@require_http_methods(["GET", "POST"])
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_may_open(request.user, "notices:list")
    notice = get_object_or_404(Notice, pk=pk)
    if request.method == "POST":
        try:
            _act(request, notice)
        except (services.NoticeError, forms.ValidationError) as exc:
            messages.error(request, str(getattr(exc, "message", exc)))
        else:
            messages.success(request, "已保存")
        return redirect("notices:detail", pk=pk)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "notice": notice,
        "rows": selectors.objection_rows(notice, request.user, today),
        "outcomes": Outcome.choices,
        "staff": selectors.handler_candidates(),
        "today": today,
        "is_open": services.is_open(notice, today),
    }
    return render(request, "notices/detail.html", context)


@login_required
@require_GET
def objection_list(request: HttpRequest) -> HttpResponse:
    """我承办的异议: the objections the user is the handler of, unanswered first."""
    require_may_open(request.user, "notices:objections")
    today = timezone.localdate()
    rows = [
        selectors.objection_row(o, request.user, today)
        for o in selectors.objections_handled_by(request.user)
    ]
    return render(request, "notices/objections.html", {"rows": rows, "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One objection for its handler (and the office): the notice, the objection, the
    objector's contact details (in full for the handler only) and the reply form. POST
    ``reply`` answers it (``services.objection_reply``: only the handler, once assigned)."""
    require_may_open(request.user, "notices:objections")
    objection = get_object_or_404(selectors.visible_objections(request.user), pk=pk)
    today = timezone.localdate()
    may_reply = objection.replied_on is None and (
        objection.handler_id == request.user.pk
        or (objection.handler_id is None and is_office(request.user))
    )
    if request.method == "POST":
        if not may_reply:
            raise PermissionDenied
        try:
            services.objection_reply(
                objection=objection,
                reply=request.POST.get("reply", "")[:5000],
                outcome=request.POST.get("outcome", ""),
                on=today,
                actor=request.user,
            )
        except services.NoticeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已答复")
        return redirect("notices:objection", pk=pk)
    return render(
        request,
        "notices/objection.html",
        {
            "row": selectors.objection_row(objection, request.user, today),
            "notice": objection.notice,
            "outcomes": Outcome.choices,
            "may_reply": may_reply,
            "office": is_office(request.user),
        },
    )
