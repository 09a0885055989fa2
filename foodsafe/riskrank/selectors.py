"""Reads for the risk-ranked order: operators' histories from the ledgers, before a date.

Every query stops at ``before``: inspections done, grades decided, complaints received and
sampling failures reported before it. ``features.snapshot`` filters again, so a record dated
later can never reach a feature even if a query here changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from foodsafe.complaints.models import Complaint
from foodsafe.inspections.models import Finding, Inspection, InspectionType
from foodsafe.registry.models import FoodBusiness, RiskGrade
from foodsafe.sampling.models import Conclusion, SamplingBatch

from .history import OperatorHistory, PastInspection
from .severity import severity_spec


def operator_histories(
    *,
    before: date,
    operator_ids: Iterable[int] | None = None,
    org_unit_prefix: str | None = None,
    open_on: date | None = None,
    since: date | None = None,
) -> list[OperatorHistory]:
    """Histories of the operators with ``operator_ids`` or under ``org_unit_prefix`` (opened
    before and not closed by ``open_on`` when given), with records from ``since`` (default: all)
    up to the day before ``before``. Follow-up visits (复查) are left out: they look at earlier
    findings, not the operator as a whole. Order: registry number."""
    ops = FoodBusiness.objects.all()
    if operator_ids is not None:
        ops = ops.filter(pk__in=list(operator_ids))
    if org_unit_prefix is not None:
        ops = ops.filter(org_unit__code__startswith=org_unit_prefix)
    if open_on is not None:
        ops = ops.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=open_on)).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=open_on)
        )
    rows = list(
        ops.order_by("registry_number").values_list(
            "pk", "name", "business_format", "org_unit_id", "opened_on"
        )
    )
    # Subqueries, not lists of ids: a district's inspections outnumber SQLite's bound variables.
    ids = ops.values("pk")
    lo = {"gte": since} if since else {}

    def window(field: str) -> dict[str, date]:
        return {f"{field}__lt": before, **{f"{field}__{k}": v for k, v in lo.items()}}

    grades: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for b, on, level in RiskGrade.objects.filter(
        business_id__in=ids, decided_on__lt=before
    ).values_list("business_id", "decided_on", "level"):
        grades[b].append((on, level))

    done = Inspection.objects.filter(business_id__in=ids, **window("inspected_on")).exclude(
        inspection_type=InspectionType.FOLLOW_UP
    )
    inspections = list(
        done.order_by("inspected_on", "pk").values_list(
            "pk", "business_id", "inspected_on", "result", "score", "full_checklist"
        )
    )
    spec = severity_spec()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"high": 0, "moderate": 0, "low": 0})
    for insp, text, category in Finding.objects.filter(
        inspection_id__in=done.values("pk")
    ).values_list("inspection_id", "description", "risk_category"):
        counts[insp][spec.classify(text, category)] += 1
    past: dict[int, list[PastInspection]] = defaultdict(list)
    for pk, b, on, result, score, full in inspections:
        c = counts.get(pk, {})
        past[b].append(
            PastInspection(
                on=on,
                result=result,
                score=score,
                high=c.get("high", 0),
                moderate=c.get("moderate", 0),
                low=c.get("low", 0),
                full_checklist=full,
            )
        )

    complaints: dict[int, list[date]] = defaultdict(list)
    for b, on in Complaint.objects.filter(
        business_id__in=ids, is_food=True, **window("received_on")
    ).values_list("business_id", "received_on"):
        complaints[b].append(on)

    # A failed batch is known when its report is out (报告日期); without one, from sampling.
    failed: dict[int, list[date]] = defaultdict(list)
    for b, sampled, reported in SamplingBatch.objects.filter(
        business_id__in=ids, conclusion=Conclusion.NONCONFORMING, **window("sampled_on")
    ).values_list("business_id", "sampled_on", "reported_on"):
        known = reported or sampled
        if known < before:
            failed[b].append(known)

    return [
        OperatorHistory(
            operator_id=pk,
            name=name,
            business_format=fmt,
            org_unit=str(unit),
            opened_on=opened,
            grades=tuple(sorted(grades.get(pk, ()))),
            inspections=tuple(past.get(pk, ())),
            complaints=tuple(sorted(complaints.get(pk, ()))),
            failed_sampling=tuple(sorted(failed.get(pk, ()))),
        )
        for pk, name, fmt, unit, opened in rows
    ]
