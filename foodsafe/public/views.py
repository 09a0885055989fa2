"""Public pages (公众页面): no login, under /public/. Every view is rate-limited; every form is
CSRF-protected and carries the challenge (:mod:`.challenge`); nothing here links to or reveals
the internal site (``tests/public/test_public_pages.py`` walks every link anonymously)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from foodsafe.complainthandling.selectors import (
    monthly_statistics,
    public_status,
    statistics_month,
)
from foodsafe.complainthandling.services import HandlingError, Submission, complaint_submit
from foodsafe.notices import selectors as notice_selectors
from foodsafe.notices.services import NoticeError, is_open, objection_file
from foodsafe.surveys.invitations import survey_invited_record
from foodsafe.surveys.models import Mode
from foodsafe.surveys.services import SurveyError, survey_response_record

from .challenge import ChallengeFailed, challenge_check, challenge_new
from .forms import ChallengeForm, ComplaintForm, ObjectionForm, StatusForm, SurveyForm
from .ratelimit import rate_limited


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    response = render(request, template, context, status=status)
    # A page with a one-time token or someone's own data is never cached anywhere.
    add_never_cache_headers(response)
    return response


def _fresh(form: ChallengeForm) -> tuple[ChallengeForm, str]:
    """``form`` with a new challenge (a token is good once)."""
    challenge = challenge_new()
    data = form.data.copy() if form.is_bound else None  # type: ignore[attr-defined]
    if data is not None:
        old_errors = form.errors if form.is_bound else {}
        data["token"], data["answer"] = challenge.token, ""
        form = type(form)(data)
        form.is_valid()
        # The new question is unanswered by design: not "required" under it (a person who
        # answered the old one was told so, new-user finding); a wrong old answer is kept below.
        form.errors.pop("answer", None)
        # Keep every error shown beside its field (the challenge's too).
        for name, errors in old_errors.items():
            for error in errors:
                if error not in form.errors.get(name, []):
                    form.add_error(None if name == "__all__" else name, error)
    else:
        form.initial["token"] = challenge.token
    return form, challenge.question


def _passes(form: ChallengeForm) -> bool:
    """Form valid, honeypot empty and challenge answered (the error goes on the form)."""
    if not form.is_valid():
        return False
    if form.cleaned_data.get("website"):
        form.add_error(None, "提交未通过校验")
        return False
    try:
        form.cleaned_data["nonce"] = challenge_check(
            form.cleaned_data["token"], form.cleaned_data["answer"]
        )
    except ChallengeFailed as exc:
        form.add_error("answer", str(exc))
        return False
    return True


@require_GET
@rate_limited("index")
def index(request: HttpRequest) -> HttpResponse:
    """公众服务: the public pages."""
    return render(request, "public/index.html")


@require_http_methods(["GET", "POST"])
@rate_limited("complaint")
def complaint(request: HttpRequest) -> HttpResponse:
    """网上投诉举报: the form (第九条 fields); on success the tracking numbers."""
    form: ChallengeForm = ComplaintForm(request.POST or None)
    if request.method == "POST" and _passes(form):
        d = form.cleaned_data
        submission = Submission(
            name=d["name"],
            phone=d["phone"],
            address=d["address"],
            respondent=d["respondent"],
            claim=d.get("claim") or "",
            facts=d["facts"],
            org_unit_code=d["org_unit_code"],
            category=d["category"],
            is_complaint=bool(d.get("is_complaint")),
            is_report=bool(d.get("is_report")),
        )
        try:
            made = complaint_submit(submission=submission, submission_key=d["nonce"])
        except HandlingError as exc:
            form.add_error(None, str(exc))
        else:
            return _render(request, "public/complaint_done.html", {"complaints": made})
    form, question = _fresh(form)
    return _render(request, "public/complaint.html", {"form": form, "question": question})


@require_http_methods(["GET", "POST"])
@rate_limited("status")
def status(request: HttpRequest) -> HttpResponse:
    """办理进度查询: a tracking number and the phone it was filed with → its status. A wrong
    number and a wrong phone get the same answer."""
    form: ChallengeForm = StatusForm(request.POST or None)
    found = None
    looked_up = False
    if request.method == "POST" and _passes(form):
        looked_up = True
        found = public_status(form.cleaned_data["number"], form.cleaned_data["phone"])
        form = StatusForm()
    form, question = _fresh(form)
    return _render(
        request,
        "public/status.html",
        {"form": form, "question": question, "found": found, "looked_up": looked_up},
    )


@require_http_methods(["GET", "POST"])
@rate_limited("survey")
def survey(request: HttpRequest) -> HttpResponse:
    """群众食品安全满意度调查: the questionnaire in force, answered online (mode 网络).

    Stored as 网络自愿填答 (``self_selected``): whoever chooses to answers, so it is the
    public's voice for the office to read, not the sample of the 满意度测评 (RULES-supervision
    §3.1: a third party's random telephone survey); items 22, 23 and veto 4 leave it out
    unless the programme spec counts it. With a 问卷邀请码 (a respondent drawn in the sample,
    ``surveys.invitations``) the answers are the sample's and count; the code answers once."""
    form: ChallengeForm = SurveyForm(request.POST or None)
    if request.method == "POST" and _passes(form):
        assert isinstance(form, SurveyForm)
        try:
            if form.cleaned_data.get("invitation"):
                # a respondent drawn in the sample: counted as the sample's, the code used up
                survey_invited_record(
                    code=form.cleaned_data["invitation"],
                    answers=form.answers(),
                    respondent=form.respondent(),
                    on=timezone.localdate(),
                )
            else:
                survey_response_record(
                    number=f"WJ-{form.cleaned_data['nonce']}",
                    answers=form.answers(),
                    respondent=form.respondent(),
                    mode=Mode.ONLINE,
                    on=timezone.localdate(),
                    interviewer="public",
                    self_selected=True,
                )
        except SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            return _render(request, "public/survey_done.html", {})
    form, question = _fresh(form)
    return _render(request, "public/survey.html", {"form": form, "question": question})


@require_GET
@rate_limited("notices")
def notices(request: HttpRequest) -> HttpResponse:
    """公示: the published notices, current first."""
    return render(
        request,
        "public/notices.html",
        {"notices": notice_selectors.published(), "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
@rate_limited("objection")
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """A notice with its dates, the objection form during the period, the result after it."""
    item = get_object_or_404(notice_selectors.published(), pk=pk)
    today = timezone.localdate()
    form: ChallengeForm = ObjectionForm(request.POST or None)
    filed = None
    if request.method == "POST" and _passes(form):
        d = form.cleaned_data
        try:
            filed = objection_file(
                notice=item,
                name=d["name"],
                phone=d["phone"],
                contact=d.get("contact") or "",
                content=d["content"],
                key=d["nonce"].replace("-", "").replace("_", ""),
                on=today,
            )
        except NoticeError as exc:
            form.add_error(None, str(exc))
        else:
            form = ObjectionForm()
    form, question = _fresh(form)
    return _render(
        request,
        "public/notice.html",
        {
            "notice": item,
            "open": is_open(item, today),
            "form": form,
            "question": question,
            "filed": filed,
        },
    )


@require_GET
@rate_limited("statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    """投诉举报统计 of a month (第三十四条): counts by category and handling unit only."""
    chosen = statistics_month(request.GET.get("month"))
    stats = monthly_statistics(chosen.year, chosen.month)
    return render(request, "public/statistics.html", {"stats": stats, "chosen": chosen})
