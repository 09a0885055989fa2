"""Reads of the complaints ledger for pages: personal data masked unless revealed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from foodsafe.lib.masking import mask_name, mask_phone

from .models import Complaint, ComplaintKind, Decision, PersonalDataReveal


@dataclass(frozen=True)
class ComplaintRow:
    """A complaint as a page shows it: ``complainant`` and ``phone`` already masked."""

    complaint: Complaint
    complainant: str
    phone: str


def complaint_rows(complaints: list[Complaint]) -> list[ComplaintRow]:
    """Masked rows for a page of complaints (投诉人 张** · 电话 138****5678)."""
    return [
        ComplaintRow(c, mask_name(c.complainant_name), mask_phone(c.complainant_phone))
        for c in complaints
    ]


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
    return bool(user.has_perm("complaints.view_personal_data"))


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
