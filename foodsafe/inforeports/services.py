"""Writes for 信息报送 (plan 五（三）): the office sets a schedule and compiles 工作简报; a unit
sends its work information with attachments. Every write and its audit row (simple_history,
``history_user`` = the actor) in one transaction; stored files are removed if it fails.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from foodsafe.accounts.permissions import user_unit
from foodsafe.evidence.models import private_storage
from foodsafe.evidence.services import checked_upload, clean_original_name

from . import selectors
from .models import Bulletin, BulletinItem, InfoAttachment, InfoReport, ReportSchedule

MAX_ATTACHMENTS = 5


def report_schedule_create(
    *,
    name: str,
    frequency: str,
    due_workday: int,
    starts_on: date,
    ends_on: date | None,
    actor: Any,
) -> ReportSchedule:
    """报送安排: every non-collective unit reports each period by the ``due_workday``-th
    working day after it (1–23). Office only (``PermissionDenied``); ``ValidationError`` for
    a blank name, a day out of range or an end before the start."""
    if not selectors.may_manage(actor):
        raise PermissionDenied("只有创城办可以设置信息报送安排")
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写名称。", code="name")
    if not 1 <= due_workday <= 23:
        raise ValidationError("截止日应为下一期的第 1–23 个工作日。", code="due_workday")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError("结束日期不能早于起始日期。", code="ends_on")
    with transaction.atomic():
        schedule = ReportSchedule(
            name=name,
            frequency=frequency,
            due_workday=due_workday,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        schedule._history_user = actor  # type: ignore[attr-defined]
        schedule.full_clean()
        schedule.save()
    return schedule


def info_report_submit(
    *,
    schedule: ReportSchedule,
    period_start: date,
    title: str,
    body: str,
    files: Sequence[UploadedFile],
    actor: Any,
) -> InfoReport:
    """A unit sends work information for one period of ``schedule`` (begun by today), with up
    to 5 attachments checked by content like evidence. Member units only, for their own unit
    (``PermissionDenied``); ``ValidationError`` for an unknown period, a blank title or body,
    a bad file."""
    if not selectors.may_report(actor):
        raise PermissionDenied("只有成员单位报送工作信息")
    unit = user_unit(actor)
    today = timezone.localdate()
    if not schedule.active or selectors.period_or_none(schedule, period_start, today=today) is None:
        raise ValidationError("该报送安排没有这一期（或尚未开始）。", code="period")
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 200:
        raise ValidationError("请填写标题（不超过 200 字）。", code="title")
    if not body:
        raise ValidationError("请填写内容。", code="body")
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(f"附件最多 {MAX_ATTACHMENTS} 个。", code="files")
    checked = [(f, *checked_upload(f)) for f in files]
    stored: list[str] = []
    try:
        for uploaded, kind, _sha in checked:
            stored.append(
                private_storage.save(
                    f"inforeports/{today:%Y/%m}/{secrets.token_hex(16)}{kind.extension}", uploaded
                )
            )
        with transaction.atomic():
            report = InfoReport(
                schedule=schedule,
                period_start=period_start,
                responsible_unit=unit,
                title=title,
                body=body,
                submitted_by=actor,
                submitted_at=timezone.now(),
            )
            report._history_user = actor  # type: ignore[attr-defined]
            report.save()
            for name, (uploaded, kind, sha) in zip(stored, checked, strict=True):
                attachment = InfoAttachment(
                    report=report,
                    file=name,
                    original_name=clean_original_name(uploaded.name),
                    content_type=kind.content_type,
                    size=uploaded.size or 0,
                    sha256=sha,
                )
                attachment._history_user = actor  # type: ignore[attr-defined]
                attachment.save()
    except BaseException:
        for name in stored:
            private_storage.delete(name)
        raise
    return report


def bulletin_compile(
    *,
    issued_on: date,
    report_ids: Sequence[int],
    actor: Any,
    number: int | None = None,
    title: str = "",
    issuer: str = "",
) -> Bulletin:
    """工作简报: the office picks reports (in the order given) into the next issue of
    ``issued_on``'s year (期号 one more than the year's last, unless ``number`` is given).
    Office only; ``ValidationError`` for no reports, an unknown report or a 期号 already used."""
    if not selectors.may_manage(actor):
        raise PermissionDenied("只有创城办可以编发工作简报")
    ids = list(dict.fromkeys(int(i) for i in report_ids))
    if not ids:
        raise ValidationError("请至少选择一条工作信息。", code="reports")
    reports = {r.pk: r for r in InfoReport.objects.filter(pk__in=ids)}
    if len(reports) != len(ids):
        raise ValidationError("所选工作信息不存在。", code="reports")
    try:
        with transaction.atomic():
            bulletin = Bulletin(
                year=issued_on.year,
                number=number or selectors.next_bulletin_number(issued_on.year),
                issued_on=issued_on,
                created_by=actor,
            )
            if title.strip():
                bulletin.title = title.strip()[:100]
            if issuer.strip():
                bulletin.issuer = issuer.strip()[:100]
            bulletin._history_user = actor  # type: ignore[attr-defined]
            bulletin.save()
            BulletinItem.objects.bulk_create(
                BulletinItem(bulletin=bulletin, report=reports[pk], position=n)
                for n, pk in enumerate(ids, start=1)
            )
    except IntegrityError as exc:
        raise ValidationError(
            f"{issued_on.year}年第{number}期已编发，请换一个期号。", code="number"
        ) from exc
    return bulletin
