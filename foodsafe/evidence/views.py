"""Evidence pages: thin views over ``selectors`` (what the user may see) and ``services``.

- ``evidence:index``: a member unit's assignments; for reviewers and the office the review
  queue and every assignment. Office, reviewers, member units; others 403.
- ``evidence:assignment``: one item × unit, its files and the upload form. Another unit's
  assignment is a 404.
- ``evidence:detail`` / ``evidence:review``: one file, its review form and audit history.
- ``evidence:download``: the file itself, as an attachment, to those who may see it.

A POST whose body is larger than the limit is refused from its Content-Length (413) before
the body is read (the CSRF check runs after that check).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from foodsafe.accounts.models import Role
from foodsafe.accounts.permissions import require_may_open

from . import selectors, services
from .forms import EvidenceUploadForm, ReviewForm

#: What a multipart body may carry beyond the file itself (other fields, boundaries).
FORM_OVERHEAD = 64 * 1024

READERS = (Role.OFFICE_ADMIN, Role.REVIEWER, Role.MEMBER_UNIT)
#: Service refusals shown next to the file field (the others above the form).
FILE_ERRORS = {"too_large", "empty", "unsupported"}


def body_too_large(request: HttpRequest) -> str:
    """The refusal message when the request body is over the evidence limit, else ``""``."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > services.max_evidence_bytes() + FORM_OVERHEAD:
        return services.too_large_message(length)
    return ""


def size_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; a POST over the size limit → 413 before its body (or CSRF token) is
    read; then the CSRF check and the view."""
    protected = csrf_protect(view)

    @csrf_exempt
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            refused = body_too_large(request)
            if refused:
                return render(request, "evidence/too_large.html", {"reason": refused}, status=413)
        return protected(request, *args, **kwargs)

    return wrapped


INDEX_PAGE_SIZE = 30


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "evidence:index")
    q = request.GET.get("q", "")[:100]
    show = request.GET.get("show", "")
    context = selectors.evidence_index(request.user, q=q, show=show)
    page = Paginator(context["assignments"], INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(page=page, q=q, show=show, query=query.urlencode())
    return render(request, "evidence/index.html", context)


@size_checked
@require_http_methods(["GET", "POST"])
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """An item × unit: its evidence, what the spec requires, and (if allowed) the upload form."""
    target = selectors.assignment_get_or_404(user=request.user, pk=pk)
    requirements = selectors.item_requirements(target.item)
    may_upload = selectors.may_upload_for_assignment(request.user, target)
    form = EvidenceUploadForm(requirements=requirements)
    status = 200
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        form = EvidenceUploadForm(request.POST, request.FILES, requirements=requirements)
        if form.is_valid():
            try:
                evidence = services.evidence_upload(
                    assignment=target,
                    requirement=form.cleaned_data["requirement"],
                    title=form.cleaned_data["title"],
                    uploaded_file=form.cleaned_data["file"],
                    actor=request.user,
                    period=form.cleaned_data["period"],
                    org_unit=form.cleaned_data["org_unit"],
                )
            except ValidationError as exc:
                form.add_error("file" if exc.code in FILE_ERRORS else None, exc)
            else:
                messages.success(request, f"已上传“{evidence.title}”，等待审核。")
                return redirect("evidence:assignment", pk=target.pk)
        status = 400
    return render(
        request,
        "evidence/assignment.html",
        {
            "assignment": target,
            "item": target.item,
            "evidence_list": selectors.assignment_evidence(target, user=request.user),
            "coverage": selectors.requirement_coverage(target.item),
            "form": form,
            "may_upload": may_upload,
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_get_or_404(user=request.user, pk=pk)
    return _detail(request, evidence, ReviewForm())


def _detail(
    request: HttpRequest, evidence: Any, form: ReviewForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "evidence/detail.html",
        {
            "evidence": evidence,
            "may_review": selectors.may_review(request.user, evidence),
            "form": form,
            "history": selectors.evidence_history(evidence),
            "download_name": selectors.download_name(evidence),
            "may_view_inline": selectors.may_view_inline(evidence),
            "may_withdraw": selectors.may_withdraw(request.user, evidence),
        },
        status=status,
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_get_or_404(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, evidence, form, status=400)
    try:
        services.evidence_review(
            evidence=evidence,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _detail(request, evidence, form, status=400)
    messages.success(request, "审核结果已保存。")
    return redirect("evidence:detail", pk=evidence.pk)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The file as an attachment: original name (RFC 5987 for non-ASCII names), the content
    type found when it was uploaded, ``nosniff`` and a sandbox policy."""
    evidence = selectors.evidence_get_or_404(user=request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=selectors.download_name(evidence),
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


#: The inline view's policy: nothing may load or run; an image may show itself, a PDF is
#: rendered by the browser's own viewer (a CSP sandbox would stop Chromium's viewer, so PDFs
#: get ``object-src 'self'`` without it); framed only by this site.
INLINE_CSP = {
    "application/pdf": "default-src 'none'; object-src 'self'; frame-ancestors 'self'",
    "image/png": "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'self'",
    "image/jpeg": "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'self'",
}


@login_required
@require_GET
def view_inline(request: HttpRequest, pk: int) -> FileResponse:
    """在线查看: a PDF or image shown in the browser (``Content-Disposition: inline``), for
    whoever may see the evidence. Only the vetted types in ``INLINE_CSP`` (their type found from
    the bytes at upload); anything else is a 404 here and a download on the detail page."""
    evidence = selectors.evidence_get_or_404(user=request.user, pk=pk)
    policy = INLINE_CSP.get(evidence.content_type)
    if policy is None or not selectors.may_view_inline(evidence):
        raise Http404("该类型的文件只能下载")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=selectors.download_name(evidence),
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = policy
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """撤回 a file not yet reviewed (its uploader only)."""
    evidence = selectors.evidence_get_or_404(user=request.user, pk=pk)
    back = (
        reverse("rectification:detail", args=[evidence.rectification_id])
        if evidence.rectification_id
        else reverse("evidence:assignment", args=[evidence.assignment_id])
    )
    if evidence.uploaded_by_id != request.user.pk:
        raise PermissionDenied
    if request.POST.get("confirm") != "1":
        # The button sends confirm=1: a bare POST (a stray request) withdraws nothing.
        return HttpResponse("请通过“撤回材料”按钮提交。", status=400)
    try:
        services.evidence_withdraw(evidence=evidence, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("evidence:detail", pk=pk)
    messages.success(request, f"已撤回“{evidence.title}”。")
    return redirect(back)
