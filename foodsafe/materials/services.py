"""Writes for 材料报送 (plan 四（二）2): a unit saves or files its 自查说明 and catalogue notes.

Every write and its audit row (django-simple-history, ``history_user`` = the actor) happen in
one transaction; a replaced attachment is deleted from storage only after the commit.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from foodsafe.evidence.models import private_storage
from foodsafe.evidence.services import checked_upload, clean_original_name
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.spec import GroupSpec, ProgrammeSpec

from . import selectors
from .models import FilingStatus, MaterialFiling

MAX_TEXT = 20000
MAX_NOTE = 500


def material_filing_save(
    *,
    spec: ProgrammeSpec,
    group: GroupSpec,
    unit: ResponsibleUnit,
    text: str,
    notes: dict[str, str],
    uploaded_file: UploadedFile | None,
    submit: bool,
    actor: Any,
) -> MaterialFiling:
    """Save the unit's 自查说明 (``text``, optionally a new attachment) and its notes on the
    catalogue's lines (``{"<evidence id>": note}``; ids not among the unit's approved files of
    the module are refused) for module ``group``; ``submit`` files it (已报送). A change after
    filing puts it back to 暂存 until filed again, so the office never reads a filed version
    that is not the current one.

    Raises ``PermissionDenied`` unless ``actor`` is a user of ``unit``; ``ValidationError``
    for a bad file, text over 20,000 characters, a note over 500, or filing with no text.
    """
    if not selectors.may_edit_filing(actor, unit):
        raise PermissionDenied("只能填报本单位的材料")
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(f"自查说明不能超过 {MAX_TEXT} 个字。", code="text")
    if submit and not text:
        raise ValidationError("报送前请填写自查说明。", code="text")
    allowed = {
        str(line.evidence.pk)
        for line in selectors.catalogue_lines(spec=spec, group=group, user=actor, unit=unit)
    }
    clean_notes: dict[str, str] = {}
    for key, note in notes.items():
        note = (note or "").strip()
        if key not in allowed:
            raise ValidationError("清单中没有这份材料。", code="notes")
        if len(note) > MAX_NOTE:
            raise ValidationError(f"备注不能超过 {MAX_NOTE} 个字。", code="notes")
        if note:
            clean_notes[key] = note
    stored = ""
    kind = None
    if uploaded_file is not None:
        kind, _sha = checked_upload(uploaded_file)
        # Nothing of the user's file name reaches the file system: a random name, our extension.
        stored = private_storage.save(
            f"materials/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{kind.extension}",
            uploaded_file,
        )
    try:
        with transaction.atomic():
            filing = _write(
                spec=spec, group=group, unit=unit, text=text, notes=clean_notes,
                stored=stored, kind=kind, uploaded_file=uploaded_file, submit=submit, actor=actor,
            )  # fmt: skip
    except BaseException:
        if stored:
            private_storage.delete(stored)
        raise
    return filing


def _write(
    *,
    spec: ProgrammeSpec,
    group: GroupSpec,
    unit: ResponsibleUnit,
    text: str,
    notes: dict[str, str],
    stored: str,
    kind: Any,
    uploaded_file: UploadedFile | None,
    submit: bool,
    actor: Any,
) -> MaterialFiling:
    key = {"programme_code": spec.programme.code, "group_code": group.code}
    filing = MaterialFiling.objects.select_for_update().filter(
        **key, responsible_unit=unit
    ).first() or MaterialFiling(**key, responsible_unit=unit)
    changed = (
        filing.self_check_text != text or (filing.catalogue_notes or {}) != notes or bool(stored)
    )
    filing.self_check_text = text
    filing.catalogue_notes = notes
    if stored and uploaded_file is not None:
        old = filing.self_check_file.name or ""
        filing.self_check_file.name = stored
        filing.self_check_file_name = clean_original_name(uploaded_file.name)
        filing.self_check_file_type = kind.content_type
        if old:
            transaction.on_commit(lambda: private_storage.delete(old))
    if submit:
        filing.status = FilingStatus.SUBMITTED
        filing.submitted_at = timezone.now()
        filing.submitted_by = actor
    elif changed:
        filing.status = FilingStatus.DRAFT
    filing._history_user = actor  # type: ignore[attr-defined]
    filing.save()
    return filing
