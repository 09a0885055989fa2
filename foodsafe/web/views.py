"""Thin views: read the request, call a selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from foodsafe.accounts.permissions import is_member_unit, user_role
from foodsafe.programme import views as programme_views
from foodsafe.scorecard.engine import UnknownOrgUnit
from foodsafe.scorecard.periods import PeriodError, parse_period

from . import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A member-unit user: its open work (``foodsafe.programme.views.unit_home``); anyone else:
    the scorecard of the programme's own unit for the programme year."""
    if is_member_unit(request.user):
        return programme_views.unit_home(request)
    org_code, period = selectors.home_scorecard_args()
    return redirect("web:scorecard", org_code=org_code, period=period)


@login_required
def scorecard(request: HttpRequest, org_code: str, period: str) -> HttpResponse:
    """The scorecard of one org unit and period, with a drill-down to its child units.

    ``?period=…`` (the period selector) redirects to that period's page; ``?cols=all`` shows
    every indicator in the drill-down table. Unknown unit or malformed period → 404. A user
    without a role (no profile) gets 403: the scorecard is for the programme's own people.
    """
    if user_role(request.user) is None:
        raise PermissionDenied
    wanted = request.GET.get("period", "").strip()
    if wanted and wanted != period:
        try:
            wanted = parse_period(wanted).code
        except PeriodError as exc:
            raise Http404(_("无效的期间")) from exc
        return redirect("web:scorecard", org_code=org_code, period=wanted)
    try:
        page = selectors.scorecard_page(
            org_code=org_code, period_code=period, all_indicators=request.GET.get("cols") == "all"
        )
    except PeriodError as exc:
        raise Http404(_("无效的期间")) from exc
    except UnknownOrgUnit as exc:
        raise Http404(_("未知的区划代码")) from exc
    return render(
        request,
        "web/scorecard.html",
        {
            "page": page,
            "scorecard": page.scorecard,
            "is_example": page.scorecard.org_unit.is_example,
        },
    )
