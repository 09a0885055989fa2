"""Writes of credit supervision: the monthly classes (assess, confirm, override) and the
严重违法失信名单. Each write and its history rows (django-simple-history, with the acting user)
in one transaction; the credit files themselves are refreshed by :mod:`.refresh`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from foodsafe.lib.changes import announce_after_commit
from foodsafe.registry.models import BusinessStatus, FoodBusiness

from .grading import credit_class, window_start
from .models import (
    CreditEntry,
    CreditGrade,
    CreditLevel,
    CreditPublication,
    GradeStatus,
    SeriousViolationListing,
)
from .spec import CreditSpec


class CreditError(ValueError):
    """A class or listing that cannot be recorded; the message says why (in Chinese)."""


@dataclass(frozen=True)
class AssessResult:
    month: date
    assessed: int
    kept: int
    by_level: dict[str, int]


def month_first(day: date) -> date:
    return day.replace(day=1)


def window_counts(month: date, spec: CreditSpec) -> dict[int, dict[str, int]]:
    """business id → rule key → records counted for ``month`` (a month's first day): entries
    dated in the window before the month, and ``listing.listed`` 1 for an operator on the
    名单 on the month's first day."""
    start = window_start(month, spec.window.months)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        CreditEntry.objects.filter(occurred_on__gte=start, occurred_on__lt=month)
        .exclude(kind="listing")
        .values_list("business_id", "kind", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    for bid, kind, outcome, n in rows:
        counts[bid][f"{kind}.{outcome}"] = n
    listed = (
        CreditEntry.objects.filter(kind="listing", occurred_on__lte=month)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=month))
        .values_list("business_id", flat=True)
        .distinct()
    )
    for bid in listed:
        counts[bid]["listing.listed"] = 1
    return counts


def credit_grades_assess(*, month: date, spec: CreditSpec, actor: Any) -> AssessResult:
    """Class every operating operator for ``month`` (企业信用风险分类, monthly; 国市监信发〔2022〕
    6号) from its credit file (refresh the files first: :func:`.refresh.credit_files_refresh`).

    Operators: status 在营 and opened (or no opening date) by the month's first day. A class
    already confirmed or overridden for the month is kept (the office decided on it); proposed
    ones are replaced. Returns counts; ``actor`` is recorded nowhere (a computation, not a
    decision: the rules are the spec's, named on each row by ``spec_label``)."""
    month = month_first(month)
    counts = window_counts(month, spec)
    operating = FoodBusiness.objects.filter(status=BusinessStatus.ACTIVE).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=month)
    )
    with transaction.atomic():
        decided = set(
            CreditGrade.objects.filter(month=month)
            .exclude(status=GradeStatus.PROPOSED)
            .values_list("business_id", flat=True)
        )
        # Proposed classes are computed rows, written without history rows (bulk_create) and
        # replaced here by the re-run. ``QuerySet.delete()`` would load every one and write a
        # history row for each through simple-history's post_delete signal: 145 s of CPU for
        # the 10 M city's 136,579 operators against 16 s for the classing itself
        # (docs/credit.md). A plain DELETE keeps them as they were written: without history.
        proposed = CreditGrade.objects.filter(month=month, status=GradeStatus.PROPOSED)
        proposed._raw_delete(proposed.db)
        rows: list[CreditGrade] = []
        by_level: dict[str, int] = dict.fromkeys(CreditLevel.values, 0)
        for bid in operating.values_list("id", flat=True).iterator(chunk_size=20_000):
            if bid in decided:
                continue
            c = credit_class(counts.get(bid, {}), spec)
            by_level[c.level] += 1
            rows.append(
                CreditGrade(
                    business_id=bid,
                    month=month,
                    computed=c.level,
                    score=c.score,
                    reasons="；".join(c.reasons)[:2000],
                    spec_label=spec.label[:120],
                    level=c.level,
                    status=GradeStatus.PROPOSED,
                )
            )
        CreditGrade.objects.bulk_create(rows, batch_size=2000)
    return AssessResult(month=month, assessed=len(rows), kept=len(decided), by_level=by_level)


def credit_grades_confirm(*, month: date, actor: Any, ids: list[int] | None = None) -> int:
    """The office confirms the proposed classes of ``month`` (all, or ``ids``) as computed;
    returns how many. History rows name ``actor``."""
    now = timezone.now()
    grades = list(CreditGrade.objects.filter(month=month_first(month), status=GradeStatus.PROPOSED))
    if ids is not None:
        wanted = set(ids)
        grades = [g for g in grades if g.pk in wanted]
    for g in grades:
        g.status = GradeStatus.CONFIRMED
        g.decided_by = actor
        g.decided_at = now
    with transaction.atomic():
        bulk_update_with_history(
            grades,
            CreditGrade,
            ["status", "decided_by", "decided_at"],
            batch_size=2000,
            default_user=actor,
            default_change_reason="确认信用风险分类",
        )
    return len(grades)


def credit_grade_override(
    *, grade: CreditGrade, level: str, reason: str, actor: Any
) -> CreditGrade:
    """The office sets ``grade``'s class to ``level`` with ``reason`` (改定, audited: the history
    row keeps the computed class, the old and the new one and who did it).

    Raises :class:`CreditError` for an unknown level or an empty reason."""
    if level not in CreditLevel.values:
        raise CreditError(f"未知的信用风险分类 {level!r}")
    reason = reason.strip()
    if not reason:
        raise CreditError("改定须写明理由")
    with transaction.atomic():
        grade.level = level
        grade.status = GradeStatus.CONFIRMED if level == grade.computed else GradeStatus.OVERRIDDEN
        grade.override_reason = reason[:300] if level != grade.computed else ""
        grade.decided_by = actor
        grade.decided_at = timezone.now()
        grade._history_user = actor  # type: ignore[attr-defined]
        grade._change_reason = reason[:100]  # type: ignore[attr-defined]
        grade.save()
    return grade


def listing_record(
    *,
    business: FoodBusiness,
    decision_number: str,
    listed_on: date,
    reason: str,
    actor: Any,
    removed_on: date | None = None,
) -> SeriousViolationListing:
    """Record an operator's entry on the 严重违法失信名单 (实施条例 第六十六条) or its removal
    (same decision number, ``removed_on``); the credit file follows after commit.

    Raises :class:`CreditError` when the removal precedes the listing or a date is in the
    future."""
    today = timezone.localdate()
    if listed_on > today or (removed_on is not None and removed_on > today):
        raise CreditError("日期不能晚于今天")
    if removed_on is not None and removed_on < listed_on:
        raise CreditError("移出日期不能早于列入日期")
    since = timezone.now()
    with transaction.atomic():
        listing = SeriousViolationListing.objects.filter(decision_number=decision_number).first()
        if listing is None:
            listing = SeriousViolationListing(decision_number=decision_number)
        listing.business = business
        listing.listed_on = listed_on
        listing.removed_on = removed_on
        listing.reason = reason.strip()[:300]
        listing._history_user = actor  # type: ignore[attr-defined]
        listing.save()
        announce_after_commit(ledgers=["credit_listing"], since=since)
    return listing


def credit_grades_mark_applied(*, levels_of: dict[int, str], on: date, plan_number: str) -> int:
    """Record that the classes in force on ``on`` of the operators in ``levels_of`` set their
    双随机 ratio in the plan ``plan_number`` (分类监管, 国市监信发〔2022〕6号): the scorecard's
    "share under classified supervision" counts them. Returns rows marked."""
    marked = 0
    ids = list(levels_of)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        latest = list(
            CreditGrade.objects.filter(business_id__in=chunk, month__lte=on)
            .values("business_id")
            .annotate(m=Max("month"))
            .order_by()
        )
        for month in {r["m"] for r in latest}:
            wanted = [r["business_id"] for r in latest if r["m"] == month]
            marked += CreditGrade.objects.filter(business_id__in=wanted, month=month).update(
                applied_plan=plan_number[:60]
            )
    return marked


def credit_publication_record(*, businesses: Any, on: date, actor: Any) -> int:
    """Record ``on`` as the 公示日期 of every public record of ``businesses`` (a queryset) not
    yet recorded as published; returns how many. ``on`` may not be in the future."""
    if on > timezone.localdate():
        raise CreditError("公示日期不能晚于今天")
    entries = CreditEntry.objects.filter(public=True, business__in=businesses).values_list(
        "kind", "source_id"
    )
    with transaction.atomic():
        done = set(CreditPublication.objects.values_list("kind", "source_id"))
        new = [
            CreditPublication(kind=k, source_id=sid, published_on=on, recorded_by=actor)
            for k, sid in entries.distinct()
            if (k, sid) not in done
        ]
        CreditPublication.objects.bulk_create(new, batch_size=2000)
    return len(new)
