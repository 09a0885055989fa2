"""材料报送 pages (plan 四（二）2): thin views over ``selectors`` and ``services``.

- ``materials:index``: every unit × module with its filing status (a member unit: its own);
  the office and reviewers download the archive of a module or of the whole district.
- ``materials:filing``: one unit's filing for one module: its 自查说明, the 资料清单目录 made
  from its approved evidence, notes per line; only the unit's own users save or file it.
- ``materials:filing_file``: the 自查说明's attachment.
- ``materials:archive``: the zip (office and reviewers), streamed from a temporary file.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from foodsafe.accounts.permissions import require_may_open
from foodsafe.evidence.views import size_checked
from foodsafe.lib.downloads import content_disposition
from foodsafe.programme.in_force import programme_spec

from . import selectors, services
from .archive import archive_tempfile
from .forms import FilingForm


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_may_open(request.user, "materials:index")
    spec = programme_spec()
    return render(
        request,
        "materials/index.html",
        {
            "rows": selectors.filing_rows(spec=spec, user=request.user),
            "modules": sorted(spec.groups, key=lambda g: g.number),
            "may_download": selectors.may_download_archive(request.user),
            "due_phase": selectors.due_phase(spec),
        },
    )


@size_checked
@require_http_methods(["GET", "POST"])
def filing(request: HttpRequest, group: str, unit: str) -> HttpResponse:
    require_may_open(request.user, "materials:index")
    spec = programme_spec()
    module = selectors.module_or_404(spec, group)
    owner = selectors.unit_for_filing_or_404(user=request.user, unit_code=unit)
    record = selectors.filing_for(spec=spec, group=module, unit=owner)
    may_edit = selectors.may_edit_filing(request.user, owner)
    lines = selectors.catalogue_lines(spec=spec, group=module, user=request.user, unit=owner)
    form = FilingForm(initial={"self_check_text": record.self_check_text})
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = FilingForm(request.POST, request.FILES)
        if form.is_valid():
            notes = {
                key.removeprefix("note-"): str(request.POST.get(key, ""))
                for key in request.POST
                if key.startswith("note-")
            }
            try:
                record = services.material_filing_save(
                    spec=spec,
                    group=module,
                    unit=owner,
                    text=form.cleaned_data["self_check_text"],
                    notes=notes,
                    uploaded_file=form.cleaned_data["self_check_file"],
                    submit=request.POST.get("action") == "submit",
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, "已报送区创城办。" if record.status == "submitted" else "已暂存。"
                )
                return redirect("materials:filing", group=module.code, unit=owner.code)
        status = 400
    return render(
        request,
        "materials/filing.html",
        {
            "module": module,
            "module_name": selectors.module_folder(module),
            "unit": owner,
            "record": record,
            "lines": lines,
            "form": form,
            "may_edit": may_edit,
        },
        status=status,
    )


@login_required
@require_GET
def filing_file(request: HttpRequest, group: str, unit: str) -> HttpResponseBase:
    require_may_open(request.user, "materials:index")
    spec = programme_spec()
    module = selectors.module_or_404(spec, group)
    owner = selectors.unit_for_filing_or_404(user=request.user, unit_code=unit)
    record = selectors.filing_for(spec=spec, group=module, unit=owner)
    if record.pk is None or not record.self_check_file:
        raise Http404
    try:
        handle = record.self_check_file.storage.open(record.self_check_file.name or "", "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=record.self_check_file_type)
    response["Content-Disposition"] = content_disposition(
        record.self_check_file_name or "自查说明附件", "self-check"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def archive(request: HttpRequest) -> HttpResponseBase:
    """The zip of ``?module=<group code>`` (blank: the whole district). The office and
    reviewers; a member unit gets 403 (it sees its own files on its filing page)."""
    require_may_open(request.user, "materials:index")
    if not selectors.may_download_archive(request.user):
        raise PermissionDenied
    spec = programme_spec()
    code = request.GET.get("module", "").strip()
    module = selectors.module_or_404(spec, code) if code else None
    handle = archive_tempfile(spec=spec, group=module, user=request.user)
    scope = selectors.module_folder(module) if module else "全区"
    day = timezone.localdate()
    response = FileResponse(handle, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(
        f"材料报送-{scope}-{day:%Y%m%d}.zip", f"materials-{code or 'all'}-{day:%Y%m%d}.zip"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
