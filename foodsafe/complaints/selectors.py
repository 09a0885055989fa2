"""Reads of the complaints ledger for pages: personal data masked unless revealed; a
reporter's identity (举报人) hidden from all but complaint handlers (:func:`may_see_reporter`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

from foodsafe.lib.masking import mask_name, mask_phone

from .models import Complaint, ComplaintKind, Decision, PersonalDataReveal

#: What a page shows for a reporter's name to those who may not see it.
REPORTER_CONFIDENTIAL = gettext_lazy("（举报人信息保密）")

#: The permission of the group 投诉举报处理人员 (``create-user --complaint-handler``).
HANDLER_PERMISSION = "complaints.view_personal_data"


def may_see_reporter(user: Any, complaint: Complaint) -> bool:
    """Whether ``user`` may see who filed ``complaint``, even masked, and which other record
    came from the same submission.

    A 投诉: anyone who may open the page (masked; a complaint handler reveals one record, audited).

    A 举报: only complaint handlers (投诉举报处理人员, ``HANDLER_PERMISSION``). The reading:
    《市场监督管理投诉举报处理暂行办法》第三十三条 (RULES.md §4.1 "Reporter identity stays
    confidential") — the department keeps the reporter's information confidential and may not
    disclose the reporter's personal information or how the report is handled to the reported
    party "或者与办理举报工作无关的人员", unless the reporter agreed beforehand. Those who handle
    reports are the complaint handlers; they need the identity to tell a real-name reporter
    whether a case was opened (第三十一条, 5 working days) and for a reward for a report found
    true (食品安全法 第一百一十五条, 实施条例 第六十五条), and they reach it masked here and whole
    only through the audited reveal (``services.personal_data_reveal``). Nobody else needs it:
    the office (创城办) assigns and supervises and the handling unit verifies the facts, neither
    by contacting the reporter; the reply reaches the reporter through the public status
    lookup (number and phone), with no identity shown. So the office, inspectors and member
    units see 举报人信息保密 — even a masked name and phone tail (王** · 138****5678) identify a
    person in a district — and not the number of the 投诉 filed with it (第七条), whose masked
    complainant is the same person."""
    if complaint.kind != ComplaintKind.REPORT:
        return True
    return bool(user.has_perm(HANDLER_PERMISSION))


def shown_identity(user: Any, complaint: Complaint) -> tuple[str, str]:
    """``(name, phone)`` as ``user`` sees them on a page or export: masked, or
    ``("（举报人信息保密）", "—")`` for a reporter ``user`` may not see (:func:`may_see_reporter`)."""
    if not may_see_reporter(user, complaint):
        return str(REPORTER_CONFIDENTIAL), "—"
    return mask_name(complaint.complainant_name), mask_phone(complaint.complainant_phone)


def shown_related_number(user: Any, complaint: Complaint) -> str:
    """The number of the record filed in the same submission (第七条: a 投诉 and a 举报), or ""
    when there is none or it would tie a reporter to a complainant's masked identity for a
    user who may not see the reporter."""
    if not complaint.related_number or user.has_perm(HANDLER_PERMISSION):
        return complaint.related_number
    related_kind = (
        Complaint.objects.filter(complaint_number=complaint.related_number)
        .values_list("kind", flat=True)
        .first()
    )
    if ComplaintKind.REPORT in (complaint.kind, related_kind):
        return ""
    return complaint.related_number


@dataclass(frozen=True)
class ComplaintRow:
    """A complaint as a page shows it: ``complainant`` and ``phone`` already masked."""

    complaint: Complaint
    complainant: str
    phone: str


def complaint_rows(complaints: list[Complaint], user: Any) -> list[ComplaintRow]:
    """Rows for a page of complaints as ``user`` sees them (:func:`shown_identity`: 投诉人
    张** · 电话 138****5678, or 举报人信息保密)."""
    return [ComplaintRow(c, *shown_identity(user, c)) for c in complaints]


def complaint_list(*, q: str = "", kind: str = "", state: str = "") -> QuerySet[Complaint]:
    """Every complaint, newest first, with what the list shows; ``q`` in the complaint number,
    the division's name or the operator's name (never in the complainant's name or phone,
    which the list masks: a search would reveal them), ``kind`` one ``ComplaintKind``,
    ``state`` ``open`` (not closed) or ``closed``."""
    rows = Complaint.objects.select_related("org_unit", "business")
    if q:
        rows = rows.filter(
            Q(complaint_number__icontains=q)
            | Q(org_unit__name__icontains=q)
            | Q(business__name__icontains=q)
        )
    if kind:
        rows = rows.filter(kind=kind)
    if state == "open":
        rows = rows.filter(closed_on__isnull=True)
    elif state == "closed":
        rows = rows.filter(closed_on__isnull=False)
    return rows.order_by("-received_on", "complaint_number")


def reveal_log() -> QuerySet[PersonalDataReveal]:
    """Every reveal of personal data, newest first (for the office)."""
    return PersonalDataReveal.objects.select_related("complaint", "revealed_by")


def may_reveal(user: Any) -> bool:
    return bool(user.has_perm(HANDLER_PERMISSION))


def end_notice_absent_reason(complaint: Complaint) -> str:
    """Why a complaint has no 告知终止期限 (第二十一条), in Chinese; "" when it has one.

    The deadline follows from the end of mediation: an accepted 投诉 with its 办结日期. A refusal
    is told with the decision (第十四条, within the acceptance deadline); a 举报 is not mediated;
    an accepted complaint not closed has no end yet."""
    if complaint.end_notice_due_on is not None:
        return ""
    if complaint.kind == ComplaintKind.REPORT:
        return gettext("举报不经调解，没有告知终止环节（第二十一条只适用于投诉）")
    if complaint.decision == Decision.REFUSED:
        return gettext("不予受理的投诉在受理决定期限内随决定告知（第十四条），没有告知终止环节")
    if complaint.decision != Decision.ACCEPTED:
        return gettext("尚未受理，没有调解终止")
    if complaint.closed_on is None:
        return gettext("尚未办结：办结后7个工作日内告知终止（第二十一条），期限从办结日期起算")
    return gettext("期限尚未计算：请重新保存或载入节假日安排后重算")
