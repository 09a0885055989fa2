"""Reads of credit supervision for pages, the inspection plan and exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet

from foodsafe.registry.models import FoodBusiness

from .grading import RULE_NAMES
from .models import CreditEntry, CreditFile, CreditGrade, EntryKind, GradeStatus, PendingRefresh


def credit_levels_in_force(*, business_ids: Iterable[int], on: date) -> dict[int, str]:
    """business id → the credit class in force on ``on``: the class (as confirmed or
    overridden, else as computed) of the latest month starting on or before ``on``. Operators
    never classed are absent."""
    ids = list(business_ids)
    out: dict[int, str] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        latest = (
            CreditGrade.objects.filter(business_id__in=chunk, month__lte=on)
            .values("business_id")
            .annotate(m=Max("month"))
            .order_by()
        )
        months = {r["business_id"]: r["m"] for r in latest}
        rows = CreditGrade.objects.filter(
            business_id__in=list(months), month__in=set(months.values())
        ).values_list("business_id", "month", "level")
        for bid, month, level in rows:
            if months.get(bid) == month:
                out[bid] = level
    return out


def entry_text(e: CreditEntry) -> str:
    """What an entry says, in Chinese (outcome and amount; never a person's name: the ledgers
    hold none for cases, and complaints' personal data are not copied into the file)."""
    text = RULE_NAMES.get(f"{e.kind}.{e.outcome}", e.outcome)
    if e.kind == EntryKind.CASE and e.amount:
        text += f"，罚没 {e.amount:,.2f} 元"
    if e.kind == EntryKind.LISTING and e.ends_on:
        text += f"（{e.ends_on:%Y-%m-%d} 移出）"
    return text


@dataclass(frozen=True)
class FileView:
    business: FoodBusiness
    file: CreditFile | None
    entries: list[CreditEntry]
    grades: list[CreditGrade]


def credit_file_view(business: FoodBusiness) -> FileView:
    """An operator's credit file page: the file (None before the first refresh), its entries
    (newest first) and its monthly classes (newest first, the last 24)."""
    file = CreditFile.objects.filter(business=business).first()
    entries = list(CreditEntry.objects.filter(business=business).order_by("-occurred_on", "kind"))
    for e in entries:
        e.text = entry_text(e)  # type: ignore[attr-defined]
    grades = list(CreditGrade.objects.filter(business=business).select_related("decided_by")[:24])
    return FileView(business=business, file=file, entries=entries, grades=grades)


def month_summary(*, month: date, businesses: QuerySet[FoodBusiness]) -> dict[str, Any]:
    """Counts of a month's classes among ``businesses``: by level and by status."""
    grades = CreditGrade.objects.filter(month=month, business__in=businesses)
    by_level = dict(grades.values_list("level").annotate(n=Count("id")).order_by())
    by_status = dict(grades.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "by_level": {k: by_level.get(k, 0) for k in "ABCD"},
        "total": sum(by_level.values()),
        "proposed": by_status.get(GradeStatus.PROPOSED, 0),
        "overridden": by_status.get(GradeStatus.OVERRIDDEN, 0),
        "files": CreditFile.objects.filter(business__in=businesses).count(),
        "last_refresh": CreditFile.objects.filter(business__in=businesses).aggregate(
            m=Max("refreshed_on")
        )["m"],
    }


def graded_months(*, businesses: QuerySet[FoodBusiness]) -> list[date]:
    """The months (first days, newest first) in which any of ``businesses`` has a class."""
    months = CreditGrade.objects.filter(business__in=businesses).values_list("month", flat=True)
    return sorted(set(months.order_by().distinct()), reverse=True)


def month_grades(
    *, month: date, businesses: QuerySet[FoodBusiness], level: str = "", q: str = ""
) -> QuerySet[CreditGrade]:
    """A month's classes among ``businesses`` (highest risk first), optionally one level and
    ``q`` in the operator's name, licence number or USCC."""
    qs = CreditGrade.objects.filter(month=month, business__in=businesses).select_related(
        "business", "business__org_unit"
    )
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(
            Q(business__name__icontains=q)
            | Q(business__licence_number__icontains=q)
            | Q(business__uscc__icontains=q)
        )
    return qs.order_by("-level", "-score", "business__registry_number")


def pending_refreshes() -> dict[str, Any]:
    """The refreshes imports queued while another credit run held the lock and that no run
    has caught up yet (``refresh.credit_job``): how many, and the earliest queued."""
    return PendingRefresh.objects.aggregate(count=Count("id"), earliest=Min("queued_at"))
