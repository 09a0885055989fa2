"""Complaints pages: the ledger list (masked), revealing one record (audited), the reveal log.

Personal data (投诉人姓名、电话) is never on a page in full except the single record a complaint
handler reveals with a reason, on the POST's own response (``Cache-Control: no-store``). A
reporter's (举报人) not even masked, except to complaint handlers
(``selectors.may_see_reporter``, 第三十三条).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from foodsafe.accounts.permissions import may_open, require_may_open
from foodsafe.lib.listing import SEARCH_MAX, paged

from . import selectors
from .models import Complaint, ComplaintKind
from .services import RevealRefused, personal_data_reveal

PAGE_SIZE = 100


class ComplaintFilter(forms.Form):
    """The list's search and filters, kept in the URL (and the pager's links)."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=SEARCH_MAX)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *ComplaintKind.choices]
    )
    state = forms.ChoiceField(
        label=_("办理状态"),
        required=False,
        choices=[("", _("全部")), ("open", _("未办结")), ("closed", _("已办结"))],
    )


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    """投诉举报台账: every complaint with the complainant's name and phone masked."""
    require_may_open(request.user, "complaints:list")
    filters = ComplaintFilter(request.GET)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    listing = paged(request, selectors.complaint_list(**wanted), PAGE_SIZE)
    page = listing["page"]
    return render(
        request,
        "complaints/list.html",
        {
            **listing,
            "filters": filters,
            "rows": selectors.complaint_rows(list(page.object_list), request.user),
            "may_reveal": selectors.may_reveal(request.user),
            "may_see_reveals": may_open(request.user, "complaints:reveals"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """POST (CSRF) with ``reason``: show this one complaint's personal data, recorded in the
    reveal log. A GET goes back to the list (the form is there). Without the permission 403."""
    if request.method == "GET":
        return redirect("complaints:list")
    if not selectors.may_reveal(request.user):
        raise PermissionDenied
    complaint = get_object_or_404(Complaint, pk=pk)
    try:
        record = personal_data_reveal(
            complaint=complaint, reason=request.POST.get("reason", ""), actor=request.user
        )
    except RevealRefused as exc:
        messages.error(request, str(exc))
        return redirect("complaints:list")
    response = render(
        request, "complaints/revealed.html", {"complaint": complaint, "record": record}
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def reveal_log(request: HttpRequest) -> HttpResponse:
    """个人信息查看记录: who revealed which record, when and why (the office)."""
    require_may_open(request.user, "complaints:reveals")
    page = Paginator(selectors.reveal_log(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/reveals.html", {"page": page})
