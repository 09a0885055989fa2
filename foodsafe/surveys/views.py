"""Survey pages for the office (满意度测评): results of a wave by subdistrict with intervals,
the wave's public web answers (网络自愿填答) apart, the sample plan, post-stratification
weights, and a phone interviewer's entry."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from foodsafe.accounts.permissions import require_may_open

from . import selectors
from .forms import InvitationForm, PhoneInterviewForm, PlanForm
from .invitations import invitation_tallies, invitations_to_xlsx, survey_invitations_issue
from .models import Mode
from .questionnaire import questionnaire
from .services import SurveyError, current_wave, survey_response_record, survey_weights_apply


@login_required
@require_http_methods(["GET"])
def results(request: HttpRequest) -> HttpResponse:
    """满意度和知晓率: a wave's results by subdistrict with 95 % intervals, its public web
    answers apart (count and plain means, 不计入满意度测评), and the plan."""
    require_may_open(request.user, "surveys:results")
    today = timezone.localdate()
    waves = selectors.waves()
    wave = request.GET.get("wave") or (waves[0] if waves else "")
    by_unit, total = selectors.wave_results(wave) if wave else ([], None)
    self_selected = selectors.self_selected_summary(wave) if wave else None
    plan_form = PlanForm(
        request.GET if "margin" in request.GET else None,
        initial={"year": timezone.localdate().year - 1},
    )
    plan = None
    if plan_form.is_bound and plan_form.is_valid():
        d = plan_form.cleaned_data
        plan = selectors.sample_plan(
            margin=float(d["margin"]) / 100, allowance=float(d["allowance"]) / 100, year=d["year"]
        )
    return render(
        request,
        "surveys/results.html",
        {
            "waves": waves,
            "wave": wave,
            "rows": by_unit,
            "total": total,
            "self_selected": self_selected,
            "questionnaire": questionnaire(),
            "plan_form": plan_form,
            "plan": plan,
            "invitation_form": InvitationForm(
                initial={
                    "wave": current_wave(today),
                    "valid_from": today,
                    "valid_until": min(today + timedelta(days=30), date(today.year, 12, 31)),
                }
            ),
            "invitations": invitation_tallies(wave) if wave else [],
        },
    )


@login_required
@require_POST
def weights(request: HttpRequest) -> HttpResponse:
    """按常住人口加权: store the post-stratification weights of a wave."""
    require_may_open(request.user, "surveys:results")
    wave = request.POST.get("wave", "")
    try:
        year = int(request.POST.get("year", ""))
        result = survey_weights_apply(
            wave=wave, population_year=year, actor=request.user, chosen=True
        )
    except (ValueError, SurveyError) as exc:
        messages.error(request, str(exc) or "请填写常住人口年度")
    else:
        parts = [f"已按{year}年常住人口加权：{result.method}，{result.cells} 个加权格"]
        if result.source:
            parts.append(f"人口数来源：{result.source}")
        if result.merged:
            parts.append(f"合并的格：{'、'.join(result.merged)}")
        if result.uncovered:
            parts.append(f"无受访者、未能代表：{'、'.join(result.uncovered)}")
        messages.success(request, "；".join([*parts, *result.notes]))
    return redirect(f"{reverse('surveys:results')}?{urlencode({'wave': wave})}")


@login_required
@require_http_methods(["GET", "POST"])
def phone_entry(request: HttpRequest) -> HttpResponse:
    """电话访问录入: a phone interviewer enters one respondent's answers."""
    require_may_open(request.user, "surveys:results")
    form = PhoneInterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        on = timezone.localdate()
        try:
            response = survey_response_record(
                number=f"DH-{secrets.token_hex(8)}",
                answers=form.answers(),
                respondent=form.respondent(),
                mode=Mode.PHONE,
                on=on,
                wave=current_wave(on),
                interviewer=request.user.get_username(),
                phone=form.cleaned_data.get("phone") or "",
            )
        except SurveyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已录入 {response.response_number}")
            return redirect("surveys:phone")
    return render(request, "surveys/phone.html", {"form": form})


@login_required
@require_POST
def invitations(request: HttpRequest) -> HttpResponse:
    """问卷邀请码发放: issue codes for the respondents drawn in a 街道 and download them as
    .xlsx for the SMS sender; a bad request goes back to the page with the reason."""
    require_may_open(request.user, "surveys:results")
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
        return redirect("surveys:results")
    d = form.cleaned_data
    try:
        issued = survey_invitations_issue(
            wave=d["wave"],
            org_unit_code=d["org_unit_code"],
            count=d["count"],
            on=timezone.localdate(),
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
            actor=request.user,
        )
    except SurveyError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:results")
    body = invitations_to_xlsx(
        issued, form_url=request.build_absolute_uri(reverse("public:survey"))
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"invitations-{d['org_unit_code']}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
