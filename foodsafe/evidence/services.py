"""Writes for evidence (档案资料): upload a file, review it.

Every write and its audit row (django-simple-history, ``history_user`` = the actor) happen in
one transaction. Refusals raise ``PermissionDenied`` (the actor's role may not do this) or
``ValidationError`` (the input is wrong: file type, size, missing reason), with Chinese messages.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from foodsafe.accounts.permissions import in_user_division, user_division
from foodsafe.lib.sizes import size_text
from foodsafe.orgunits.models import OrgUnit
from foodsafe.programme.models import ItemAssignment
from foodsafe.scorecard.periods import PeriodError, parse_period

from . import selectors
from .models import Evidence, ReviewStatus
from .sniffing import UnsupportedFile, sniff


def max_evidence_bytes() -> int:
    return int(settings.FOODSAFE_MAX_EVIDENCE_BYTES)


def too_large_message(size: int) -> str:
    return (
        f"文件大小为 {size_text(size)}，超过佐证材料的上限 {size_text(max_evidence_bytes())}，"
        "未保存。请压缩或拆分后再上传。"
    )


def clean_original_name(name: str | None) -> str:
    """The user's file name without any directory part or control characters (≤ 255 chars)."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 250 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:255]
    return base or "未命名文件"


def checked_upload(uploaded_file: UploadedFile) -> tuple[Any, str]:
    """Size and content checks of an upload (the evidence rules, also used for other
    attachments such as 材料报送's 自查说明): returns ``(FileKind, sha256)``; ValidationError
    otherwise."""
    size = uploaded_file.size or 0
    if size > max_evidence_bytes():
        raise ValidationError(too_large_message(size), code="too_large")
    if size == 0:
        raise ValidationError("文件是空的（0 字节），请重新选择文件。", code="empty")
    try:
        kind = sniff(uploaded_file)  # type: ignore[arg-type]
    except UnsupportedFile as exc:
        raise ValidationError(str(exc), code="unsupported") from exc
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return kind, digest.hexdigest()


def evidence_title_clean(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError("请填写材料名称。", code="title")
    if len(title) > 200:
        raise ValidationError("材料名称不能超过 200 个字。", code="title")
    return title


def evidence_store(evidence: Evidence, uploaded_file: UploadedFile, *, actor: Any) -> Evidence:
    """Save the file under a random name in private storage and the row with its history."""
    kind, sha256 = checked_upload(uploaded_file)
    evidence.original_name = clean_original_name(uploaded_file.name)
    evidence.content_type = kind.content_type
    evidence.size = uploaded_file.size or 0
    evidence.sha256 = sha256
    evidence.uploaded_by = actor
    evidence.status = ReviewStatus.SUBMITTED
    # Nothing of the user's file name reaches the file system: a random name, our extension.
    evidence.file.save(f"{secrets.token_hex(16)}{kind.extension}", uploaded_file, save=False)
    stored = evidence.file.name or ""
    try:
        with transaction.atomic():
            evidence._history_user = actor  # type: ignore[attr-defined]
            evidence.save()
    except BaseException:
        evidence.file.storage.delete(stored)
        raise
    return evidence


def evidence_upload(
    *,
    assignment: ItemAssignment,
    requirement: str,
    title: str,
    uploaded_file: UploadedFile,
    actor: Any,
    period: str = "",
    org_unit: str = "",
) -> Evidence:
    """Archive ``uploaded_file`` as evidence of ``assignment`` (a task item × responsible unit)
    for ``requirement`` (one of the item's ``evidence`` entries in the programme spec, or ``""``
    for other material that counts towards no requirement).

    The file is checked by content (PDF, PNG, JPEG, .docx, .xlsx, .doc, .xls; see
    :mod:`foodsafe.evidence.sniffing`) and size (``settings.FOODSAFE_MAX_EVIDENCE_BYTES``), and
    stored in private storage under a random name; its status is 待审核 (submitted).

    Raises ``PermissionDenied`` unless ``actor`` is the office or a user of the assignment's
    unit; ``ValidationError`` for a bad file, title, requirement, period or org unit.

    ``period`` (``2021``, ``2021Q1``…; blank: the programme's year) and ``org_unit`` (a
    12-digit code; blank: the programme's district) say what the file is evidence for: it
    counts only for scorecards of periods containing it and subtrees containing the unit
    (issue 10 §1).
    """
    if not selectors.may_upload_for_assignment(actor, assignment):
        raise PermissionDenied("只能为本单位承担的任务上传佐证材料")
    requirement = (requirement or "").strip()
    if requirement and requirement not in selectors.item_requirements(assignment.item):
        raise ValidationError("该任务没有这项材料要求。", code="requirement")
    org_unit_code = _clean_org_unit(org_unit)
    division = user_division(actor)
    if division:
        # A 街道 user's file is its 街道's (blank: the 街道 itself), never another's (N7).
        org_unit_code = org_unit_code or division
        if not in_user_division(actor, org_unit_code):
            raise ValidationError(gettext("只能为本街道上传材料。"), code="org_unit")
    evidence = Evidence(
        assignment=assignment,
        requirement=requirement,
        title=evidence_title_clean(title),
        period=_clean_period(period),
        org_unit_id=org_unit_code,
    )
    return evidence_store(evidence, uploaded_file, actor=actor)


def _clean_period(period: str) -> str:
    period = (period or "").strip()
    if not period:
        return ""
    try:
        return parse_period(period).code
    except PeriodError as exc:
        raise ValidationError(str(exc), code="period") from exc


def _clean_org_unit(code: str) -> str | None:
    code = (code or "").strip()
    if not code:
        return None
    if not OrgUnit.objects.filter(code=code).exists():
        raise ValidationError(f"未知的区划代码 {code}。", code="org_unit")
    return code


def evidence_review(*, evidence: Evidence, approve: bool, reason: str, actor: Any) -> Evidence:
    """Approve (审核通过) or reject (退回) a file waiting for review, with ``reason`` (required
    for a rejection, kept for an approval). Sets ``reviewed_by`` and ``reviewed_at``.

    Raises ``PermissionDenied`` unless ``actor`` is a reviewer or the office and did not upload
    the file; ``ValidationError`` if the file was already reviewed or a rejection has no reason.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if not selectors.may_review_any(actor):
            raise PermissionDenied("只有评审专家和创城办可以审核佐证材料")
        if locked.uploaded_by_id == actor.pk:
            raise PermissionDenied("不能审核自己上传的材料")
        if locked.status != ReviewStatus.SUBMITTED:
            raise ValidationError(
                f"该材料已审核（{locked.get_status_display()}），不能重复审核。", code="reviewed"
            )
        if not approve and not reason:
            raise ValidationError("退回材料须填写理由。", code="reason")
        locked.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        locked.review_reason = reason
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    return locked


def evidence_withdraw(*, evidence: Evidence, actor: Any) -> None:
    """撤回: the uploader takes back a file nobody has reviewed yet (a wrong file, the wrong
    item). The row is deleted (its history keeps who uploaded and who withdrew it, and when)
    and the stored file removed once the transaction commits.

    Raises ``PermissionDenied`` unless ``actor`` uploaded it; ``ValidationError`` once it was
    reviewed, or while its rectification is waiting for 销号 on it (send-back first).
    """
    with transaction.atomic():
        # Lock the evidence row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join to the rectification.
        locked = (
            Evidence.objects.select_for_update(of=("self",))
            .select_related("rectification")
            .get(pk=evidence.pk)
        )
        if locked.uploaded_by_id != actor.pk:
            raise PermissionDenied("只有上传人可以撤回材料")
        if locked.status != ReviewStatus.SUBMITTED:
            raise ValidationError(
                f"该材料已审核（{locked.get_status_display()}），不能撤回。", code="reviewed"
            )
        if locked.rectification is not None and locked.rectification.state == "submitted":
            raise ValidationError(
                "整改事项已提交销号，核验期间不能撤回其材料。", code="rectification"
            )
        stored = locked.file.name or ""
        storage = locked.file.storage
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.delete()
        transaction.on_commit(lambda: storage.delete(stored) if stored else None)
