"""The notification list (站内通知): every signed-in user's own notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from foodsafe.accounts.permissions import require_may_open

from . import selectors
from .notifications import notification_mark_read

PAGE_SIZE = 50


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "supervision:notifications")
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.notifications_for(user=request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/notifications.html",
        {"page": page, "unread_only": unread_only, "query": query.urlencode()},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of the user's unread ones read."""
    require_may_open(request.user, "supervision:notifications")
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    changed = notification_mark_read(notification_ids=ids, actor=request.user)
    if ids is None:
        messages.success(request, _("已全部标为已读（%(n)s 条）。") % {"n": changed})
    return redirect("supervision:notifications")
