"""Import pages: upload a ledger file, preview and check it, confirm, and the import log.

Flow: the upload form (size and content checked) stores the file outside the web root under a
random token (``uploads``) and remembers it in the session → the preview page runs a dry run
(first rows, matched columns, every error, counts, a link to the marked-up error workbook) →
"确认导入" (POST) imports it in one transaction as the user → the log entry's page.

Office admins, member units and inspectors may import, and so may staff and holders of
``imports.add_importlog`` (``accounts.permissions.can_import_ledgers``); reviewers and users
without a role get 403. A request whose
body is larger than the limit is refused from its Content-Length, before the body is read.
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from foodsafe.accounts.permissions import can_import_ledgers, is_office
from foodsafe.lib.listing import search_text
from foodsafe.lib.sizes import size_text

from . import profile_views, selectors, uploads
from .error_groups import group_errors
from .errors import ImportValidationError, UnknownLedgerError
from .forms import UploadForm
from .ledgers import LEDGERS
from .rollback import RollbackRefusedError, import_rollback, import_rollback_plan
from .services import ledger_import, ledger_preview, max_upload_bytes, too_large_reason

SESSION_KEY = "imports_uploads"
#: What a multipart body may carry beyond the file itself (the other fields, boundaries).
FORM_OVERHEAD = 64 * 1024
#: Errors listed one per row on the preview page; all of them are grouped above the list and
#: listed in the error report (a file with 9,000 bad rows must not make a 9,000-row page).
ERRORS_ON_PAGE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_permission_required(view):
    """Login required (anonymous → login page); then
    :func:`~foodsafe.accounts.permissions.can_import_ledgers`."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not can_import_ledgers(request.user):
            raise PermissionDenied("没有导入台账的权限")
        return view(request, *args, **kwargs)

    return wrapped


def _page(
    request: HttpRequest, form: UploadForm, *, status: int = 200, refused: str = ""
) -> HttpResponse:
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "ledgers": selectors.ledger_entries(),
            "templates_available": selectors.templates_available(),
            "limit": size_text(max_upload_bytes()),
            "refused": refused,
        },
        status=status,
    )


@csrf_exempt  # the CSRF check runs in _upload, after the size check below
@import_permission_required
def upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: check the file, keep it, go to its preview."""
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > max_upload_bytes() + FORM_OVERHEAD:
            # Refused before the body is read: request.POST and FILES are never touched.
            return _page(request, UploadForm(), status=413, refused=too_large_reason(length))
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    # A mapping profile of one's own (YAML) may be uploaded by the office only.
    office = is_office(request.user)
    if request.method != "POST":
        initial = {"ledger": request.GET.get("ledger")}
        return _page(request, UploadForm(initial=initial, allow_profile_upload=office))
    form = UploadForm(request.POST, request.FILES, allow_profile_upload=office)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    token = uploads.upload_store(upload.chunks())
    stored = request.session.get(SESSION_KEY, {})
    stored[token] = {
        "ledger": form.cleaned_data["ledger"],
        "name": Path(upload.name or "上传文件").name[:200],
        "sheet": form.cleaned_data["sheet"] or None,
        "kind": form.kind,
        "user": request.user.pk,
        "profile": form.cleaned_data.get("profile") or "",
        "params": form.cleaned_data.get("params") or {},
    }
    if form.profile_bytes:
        profile_upload = form.cleaned_data["profile_file"]
        stored[token]["profile_token"] = uploads.upload_store([form.profile_bytes])
        stored[token]["profile_name"] = Path(profile_upload.name or "profile.yaml").name[:200]
    request.session[SESSION_KEY] = stored
    return redirect("imports:preview", token=token)


def _stored(request: HttpRequest, token: str) -> tuple[dict, Path]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    # A preview belongs to the user who uploaded it: another user (another unit) gets a 404.
    if entry is None or entry.get("user") != request.user.pk:
        raise Http404("找不到该上传文件（可能已导入或已过期），请重新上传")
    path = uploads.upload_path(token)
    if not path.exists():
        raise Http404("上传的文件已过期，请重新上传")
    return entry, path


def _error_report_available() -> bool:
    try:
        from .error_report import error_workbook  # noqa: F401
    except ImportError:
        return False
    return True


def _preview_page(
    request: HttpRequest, token: str, entry: dict, path: Path, *, status: int = 200
) -> HttpResponse:
    if profile_views.has_profile(entry):
        found = profile_views.profile_preview(entry, path, request.user)
        return render(
            request,
            "imports/profile_preview.html",
            {
                "token": token,
                "entry": entry,
                "preview": found,
                "title": LEDGERS[entry["ledger"]].title,
                "errors_shown": found.errors[:ERRORS_ON_PAGE],
                "error_report": _error_report_available(),
            },
            status=status,
        )
    preview = ledger_preview(
        ledger=entry["ledger"],
        path=path,
        sheet=entry["sheet"],
        file_name=entry["name"],
        actor=request.user,
    )
    return render(
        request,
        "imports/preview.html",
        {
            "token": token,
            "entry": entry,
            "preview": preview,
            "error_report": bool(preview.errors) and _error_report_available(),
            "error_groups": group_errors(preview.errors),
            "errors_shown": preview.errors[:ERRORS_ON_PAGE],
        },
        status=status,
    )


@require_GET
@import_permission_required
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """A dry run of the stored upload: columns, first rows, every error, or the counts."""
    entry, path = _stored(request, token)
    return _preview_page(request, token, entry, path)


@require_POST
@import_permission_required
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Import the stored upload as the user, all rows or none; then show its log entry."""
    entry, path = _stored(request, token)
    try:
        if profile_views.has_profile(entry):
            done = profile_views.run_profile(entry, path, request.user, dry_run=False)
            summary, log_id = done.summary(), done.results[0].log_id
        else:
            result = ledger_import(
                ledger=entry["ledger"],
                path=path,
                sheet=entry["sheet"],
                actor=request.user,
                file_name=entry["name"],
            )
            summary, log_id = result.summary(), result.log_id
    except ImportValidationError:
        messages.error(request, "导入失败，未写入任何数据。请按下面的错误清单改正后重新上传。")
        return _preview_page(request, token, entry, path, status=400)
    uploads.upload_delete(token)
    profile_views.discard_profile(entry)
    stored = request.session.get(SESSION_KEY, {})
    stored.pop(token, None)
    request.session[SESSION_KEY] = stored
    messages.success(request, f"导入完成：{summary}")
    return redirect("imports:log_entry", pk=log_id)


@require_GET
@import_permission_required
def error_report(request: HttpRequest, token: str) -> HttpResponse:
    """The uploaded file with its bad cells highlighted and commented, and a 错误清单 sheet."""
    entry, path = _stored(request, token)
    if not _error_report_available():
        raise Http404("错误报告暂不可用")
    from .error_report import error_workbook

    if profile_views.has_profile(entry):
        found = profile_views.profile_preview(entry, path, request.user)
        result = found.result
        data = error_workbook(
            path,
            found.errors,
            set_aside=result.rejected if result is not None else (),
            steps=result.step_lines() if result is not None else (),
        )
        return _xlsx(data, entry)
    preview = ledger_preview(
        ledger=entry["ledger"],
        path=path,
        sheet=entry["sheet"],
        file_name=entry["name"],
        actor=request.user,
    )
    data = error_workbook(path, preview.errors, ledger=entry["ledger"])
    return _xlsx(data, entry)


def _xlsx(data: bytes, entry: dict) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    stem = Path(entry["name"]).stem or "导入文件"
    response["Content-Disposition"] = _attachment(f"{stem}（错误标注）.xlsx")
    return response


@require_GET
@login_required
def template(request: HttpRequest, ledger: str) -> HttpResponse:
    """The .xlsx template of ``ledger`` (headers, drop-downs, example, 说明)."""
    if ledger not in LEDGERS or not selectors.templates_available():
        raise Http404("未知台账")
    from .templates import ledger_template, template_filename

    try:
        data = ledger_template(ledger)
    except UnknownLedgerError as exc:
        raise Http404("未知台账") from exc
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = _attachment(template_filename(ledger))
    return response


@require_GET
@import_permission_required
def log(request: HttpRequest) -> HttpResponse:
    """The import log: who imported which file, when, with what effect."""
    q = search_text(request)
    ledger = request.GET.get("ledger", "")
    ledger = ledger if ledger in LEDGERS else ""
    page = selectors.import_log_page(
        user=request.user, page=request.GET.get("page"), q=q, ledger=ledger
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "titles": _titles(),
        "q": q,
        "ledger": ledger,
        "query": query.urlencode(),
    }
    return render(request, "imports/log.html", context)


@require_GET
@import_permission_required
def log_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(selectors.import_logs_for(request.user), pk=pk)
    return render(
        request,
        "imports/log_entry.html",
        {
            "entry": entry,
            "title": selectors.ledger_title(entry.ledger),
            "can_roll_back": is_office(request.user) and entry.rolled_back_at is None,
        },
    )


@require_http_methods(["GET", "POST"])
@import_permission_required
def rollback(request: HttpRequest, pk: int) -> HttpResponse:
    """撤销导入: GET shows what would be removed and restored (or why it is refused); POST
    (CSRF) rolls the import back. The office only: another unit's entry is a 404, the unit's
    own entry a 403."""
    entry = get_object_or_404(selectors.import_logs_for(request.user), pk=pk)
    if not is_office(request.user):
        raise PermissionDenied("只有创城办可以撤销导入")
    if request.method == "POST":
        try:
            done = import_rollback(log=entry, actor=request.user)
        except RollbackRefusedError:
            pass  # the page below lists the reasons, from the plan
        else:
            messages.success(
                request,
                f"已撤销导入 #{entry.pk}：删除新增记录 {done.remove} 条，恢复原值 {done.restore} 条",
            )
            return redirect("imports:log_entry", pk=entry.pk)
    plan = import_rollback_plan(log=entry)
    return render(
        request,
        "imports/rollback.html",
        {"entry": entry, "title": selectors.ledger_title(entry.ledger), "plan": plan},
        status=200 if request.method == "GET" else 409,
    )


def _titles() -> dict[str, str]:
    return {name: ledger.title for name, ledger in LEDGERS.items()}


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"download.xlsx\"; filename*=UTF-8''{quote(name)}"
