"""Thin views: read the request, call a selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from foodsafe.accounts.permissions import is_member_unit, is_office, require_may_open, user_role
from foodsafe.lib.downloads import DOCX, XLSX, attachment
from foodsafe.lib.params import BadParameter
from foodsafe.orgunits.models import OrgUnit
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.services import veto_finding_record
from foodsafe.scorecard.errors import UnknownOrgUnit
from foodsafe.scorecard.periods import PeriodError, parse_period
from foodsafe.tasks import views as task_views

from . import selectors
from .page_cache import cached_page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A member-unit user: its open work (``foodsafe.programme.views.unit_home``); anyone else:
    the scorecard of the programme's own unit for the programme year."""
    if is_member_unit(request.user):
        return task_views.unit_home(request)
    org_code, period = selectors.home_scorecard_args()
    return redirect("web:scorecard", org_code=org_code, period=period)


@login_required
def scorecard(request: HttpRequest, org_code: str, period: str) -> HttpResponse:
    """The scorecard of one org unit and period, with a drill-down to its child units.

    ``?period=…`` (the period selector) redirects to that period's page (malformed: 400 saying
    so); ``?cols=all`` shows every indicator in the drill-down table. Unknown unit or malformed
    period in the path → 404. A user
    without a role (no profile) gets 403: the scorecard is for the programme's own people.
    """
    if user_role(request.user) is None:
        raise PermissionDenied
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
        return redirect("web:scorecard", org_code=org_code, period=wanted)

    def render_page() -> HttpResponse:
        try:
            page = selectors.scorecard_page(
                org_code=org_code,
                period_code=period,
                all_indicators=request.GET.get("cols") == "all",
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

    return cached_page(request, "web:scorecard", render_page)


#: The two files the scorecard page offers: (content type, ASCII fallback name pattern).
REPORT_KINDS = {
    "xlsx": (XLSX, "scorecard-{org}-{period}.xlsx"),
    "docx": (DOCX, "self-evaluation-{org}-{period}.docx"),
}


@login_required
def scorecard_download(request: HttpRequest, org_code: str, period: str, kind: str) -> HttpResponse:
    """下载: the Excel scorecard (指标评价表, ``kind`` ``xlsx``) or the Word self-evaluation
    report (自查自评报告, ``docx``) of the unit and period of the scorecard page, generated on
    request in memory (nothing is written to disk) from the same engine run as the page.

    The page's permission: any role (a user without one 403); an unknown unit or malformed
    period 404. The name is Chinese (``和平区2021年指标评价表.xlsx``) with the ASCII name the
    ``foodsafe assess --out`` files have as fallback (``scorecard-120101000000-2021.xlsx``).
    """
    require_may_open(request.user, "web:scorecard")
    try:
        scorecard, spec = selectors.scorecard_for_report(org_code=org_code, period_code=period)
    except PeriodError as exc:
        raise Http404(_("无效的期间")) from exc
    except UnknownOrgUnit as exc:
        raise Http404(_("未知的区划代码")) from exc
    content_type, fallback = REPORT_KINDS[kind]
    # The writers pull in python-docx and XlsxWriter: imported by the request that needs them.
    if kind == "xlsx":
        from foodsafe.reports.xlsx import scorecard_xlsx_bytes, scorecard_xlsx_title

        content = scorecard_xlsx_bytes(scorecard)
        filename = scorecard_xlsx_title(scorecard) + ".xlsx"
    else:
        from foodsafe.reports.docx import report_title, scorecard_docx_bytes

        content = scorecard_docx_bytes(scorecard, spec)
        filename = report_title(scorecard) + ".docx"
    return attachment(
        content,
        content_type=content_type,
        filename=filename,
        fallback=fallback.format(org=scorecard.org_unit.code, period=scorecard.period.code),
    )


@require_http_methods(["GET", "POST"])
@login_required
def veto_finding(request: HttpRequest, org_code: str, period: str, veto_code: str) -> HttpResponse:
    """认定否决项: the office records its finding on a veto item the office decides (rule
    ``finding``) for the unit and the period's year, then goes back to the scorecard.

    A GET (a bookmarked or shared link to this URL) is sent to the scorecard's veto section,
    the page that owns the form, instead of a bare 405.

    Office admins only (others 403); an unknown unit, malformed period or a veto that is not
    the office's to decide → 404. The form: ``vetoed`` (``yes`` / ``no``) and ``basis`` (依据,
    required); a form missing either is refused with a message on the scorecard.
    """
    if request.method == "GET":
        back = reverse("web:scorecard", kwargs={"org_code": org_code, "period": period})
        return redirect(back + "#vetoes-title")
    if not is_office(request.user):
        raise PermissionDenied
    unit = OrgUnit.objects.filter(code=org_code).first()
    if unit is None:
        raise Http404(_("未知的区划代码"))
    try:
        parsed = parse_period(period)
    except PeriodError as exc:
        raise Http404(_("无效的期间")) from exc
    spec = programme_spec()
    veto = next((v for v in spec.vetoes if v.code == veto_code and v.rule == "finding"), None)
    if veto is None:
        raise Http404(_("未知的否决项"))
    back = reverse("web:scorecard", kwargs={"org_code": unit.code, "period": parsed.code})
    back += "#vetoes-title"
    choice = request.POST.get("vetoed", "")
    basis = request.POST.get("basis", "").strip()
    if choice not in ("yes", "no") or not basis:
        messages.error(request, _("认定未保存：请选择是否触发否决并填写认定依据。"))
        return redirect(back)
    veto_finding_record(
        programme_code=spec.programme.code,
        veto_code=veto.code,
        org_unit=unit,
        year=parsed.year,
        vetoed=choice == "yes",
        basis=basis,
        actor=request.user,
    )
    messages.success(
        request,
        _("已记录否决项 %(number)s 的认定（%(year)s 年）。")
        % {"number": veto.number, "year": parsed.year},
    )
    return redirect(back)
