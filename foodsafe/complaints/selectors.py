"""Reads of the complaints ledger for pages: personal data masked unless revealed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from foodsafe.lib.masking import mask_name, mask_phone

from .models import Complaint, PersonalDataReveal


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
