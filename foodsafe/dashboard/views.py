"""Dashboard views: read the request, call the selector, render; the charts draw from JSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from foodsafe.accounts.models import Role
from foodsafe.accounts.permissions import may_open, require_may_open
from foodsafe.lib.params import BadParameter
from foodsafe.samplingplan.selectors import sampling_card
from foodsafe.scorecard.errors import UnknownOrgUnit
from foodsafe.scorecard.periods import PeriodError, parse_period
from foodsafe.web.page_cache import cached_page
from foodsafe.web.selectors import home_scorecard_args

from . import selectors

#: Every role may see the dashboard (it shows the programme's aggregate figures only).
ROLES = (Role.OFFICE_ADMIN, Role.MEMBER_UNIT, Role.INSPECTOR, Role.REVIEWER)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The programme's own unit for the programme year."""
    require_may_open(request.user, "dashboard:home")
    org_code, period = home_scorecard_args()
    return redirect("dashboard:dashboard", org_code=org_code, period=period)


@login_required
def dashboard(request: HttpRequest, org_code: str, period: str) -> HttpResponse:
    """Charts of one org unit and period: item status by group, each indicator's monthly
    trend with target and year-end forecast, the direct child units side by side.

    Any role; users without one get 403. ``?period=…`` redirects to that period's page
    (malformed: 400 saying so). Unknown unit or malformed period in the path → 404.
    """
    require_may_open(request.user, "dashboard:dashboard")
    wanted = request.GET.get("period", "").strip()
    if wanted and wanted != period:
        try:
            wanted = parse_period(wanted).code
        except PeriodError as exc:
            raise BadParameter(
                _("参数 period 的值“%(raw)s”无效：应为 2021、2021S1、2021Q3 或 202108 形式。")
                % {"raw": wanted[:20]},
                name="period",
            ) from exc
        return redirect("dashboard:dashboard", org_code=org_code, period=wanted)

    def render_page() -> HttpResponse:
        try:
            page = selectors.dashboard_page(org_code=org_code, period_code=period)
        except PeriodError as exc:
            raise Http404(_("无效的期间")) from exc
        except UnknownOrgUnit as exc:
            raise Http404(_("未知的区划代码")) from exc
        return render(
            request,
            "web/dashboard.html",
            {
                "page": page,
                "scorecard": page.scorecard,
                "is_example": page.scorecard.org_unit.is_example,
                "sampling": sampling_card(
                    org_code=org_code,
                    year=page.scorecard.period.start.year,
                    on=page.scorecard.as_of,
                    may_open=may_open(request.user, "samplingplan:plans"),
                ),
            },
        )

    return cached_page(request, "dashboard:dashboard", render_page)
