"""Risk grading reads for the pages: who sees which operator, the year's gradings, the
operator file (企业档案)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet
from django.http import Http404

from foodsafe.accounts.models import Role
from foodsafe.accounts.permissions import REGULATOR_UNIT as _REGULATOR_UNIT
from foodsafe.accounts.permissions import user_role, user_unit_id
from foodsafe.complaints.models import Complaint
from foodsafe.enforcement.models import Case
from foodsafe.inspections.models import Inspection
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.rectification.models import Rectification, State
from foodsafe.rectification.selectors import rectification_is_overdue, visible_rectifications
from foodsafe.registry.models import BusinessFormat, FoodBusiness, RiskGrade
from foodsafe.sampling.models import SamplingBatch

from .models import AdjustmentFact, Checklist, Grading, GradingRun, StaticFactors
from .spec import GradingSpec

#: The member unit that regulates every food business (区市场监管局) sees every operator file;
#: the education bureau (区教育局) only school canteens; other member units none.
REGULATOR_UNIT = _REGULATOR_UNIT
SCHOOL_UNIT = "education"


def visible_businesses(user: Any) -> QuerySet[FoodBusiness]:
    """The operators ``user`` may open (企业档案): the office, inspectors and reviewers every
    one; a member unit as ``REGULATOR_UNIT`` / ``SCHOOL_UNIT`` say; anyone else none."""
    role = user_role(user)
    everything = FoodBusiness.objects.all()
    if role in (Role.OFFICE_ADMIN, Role.INSPECTOR, Role.REVIEWER):
        return everything
    unit_id = user_unit_id(user)
    if role == Role.MEMBER_UNIT and unit_id is not None:
        code = ResponsibleUnit.objects.filter(pk=unit_id).values_list("code", flat=True).first()
        if code == REGULATOR_UNIT:
            return everything
        if code == SCHOOL_UNIT:
            return everything.filter(business_format=BusinessFormat.SCHOOL_CANTEEN)
    return everything.none()


def business_for(user: Any, pk: int) -> FoodBusiness:
    """The operator ``pk`` if ``user`` may see it, else 404 (its existence does not leak)."""
    business = visible_businesses(user).select_related("org_unit").filter(pk=pk).first()
    if business is None:
        raise Http404
    return business


@dataclass(frozen=True)
class YearSummary:
    year: int
    operators: int
    by_grade: dict[str, int]
    recorded: int
    pending: int
    confirmed: int
    next_confirmed: int
    adjusted: int
    runs: list[GradingRun]


def year_summary(year: int) -> YearSummary:
    """Counts for the grading page: gradings by score grade, those lacking the data a score
    needs (recorded grade kept / 待评定), how many confirmed, adjusted."""
    rows = Grading.objects.filter(year=year)
    by_grade = Counter(
        dict(rows.values("score_grade").annotate(n=Count("id")).values_list("score_grade", "n"))
    )
    by_basis = Counter(dict(rows.values("basis").annotate(n=Count("id")).values_list("basis", "n")))
    return YearSummary(
        year=year,
        operators=sum(by_grade.values()),
        by_grade={g: by_grade.get(g, 0) for g in "ABCD"},
        recorded=by_basis.get(Grading.Basis.RECORDED, 0),
        pending=by_basis.get(Grading.Basis.PENDING, 0),
        confirmed=rows.exclude(grade="").count(),
        next_confirmed=rows.exclude(next_grade="").count(),
        adjusted=rows.exclude(proposed_next_grade="").count(),
        runs=list(GradingRun.objects.filter(year=year).select_related("actor")[:10]),
    )


def gradings_page(
    *, year: int, grade: str = "", pending: bool = False, limit: int = 200
) -> list[Grading]:
    """The year's gradings for the list (highest score first, then those with no score), optionally
    one score grade, ``grade="pending"`` the 待评定 ones, or only those whose proposal is not yet
    confirmed."""
    rows = Grading.objects.filter(year=year).select_related("business")
    if grade == Grading.Basis.PENDING:
        rows = rows.filter(basis=Grading.Basis.PENDING)
    elif grade:
        rows = rows.filter(score_grade=grade)
    if pending:
        rows = rows.filter(grade="")
    # NULL scores last on both databases (PostgreSQL puts them first in a descending order).
    order = F("total_score").desc(nulls_last=True)
    return list(rows.order_by(order, "business__registry_number")[:limit])


@dataclass(frozen=True)
class OperatorFile:
    """Everything the 企业档案 shows for one operator."""

    business: FoodBusiness
    static: StaticFactors | None
    grades: list[RiskGrade]
    gradings: list[Grading]
    inspections: list[Inspection]
    checklists: dict[int, Checklist]
    batches: list[SamplingBatch]
    cases: list[Case]
    complaints: list[Complaint]
    facts: list[AdjustmentFact]
    rectifications: list[Rectification]


def operator_file(business: FoodBusiness) -> OperatorFile:
    """One query per section; lists newest first (capped at 50 rows each)."""
    inspections = list(business.inspections.all().prefetch_related("findings")[:50])
    checklists = {
        c.inspection_id: c
        for c in Checklist.objects.filter(
            inspection__in=[i.pk for i in inspections]
        ).prefetch_related("photos")
    }
    return OperatorFile(
        business=business,
        static=StaticFactors.objects.filter(business=business).first(),
        grades=list(RiskGrade.objects.filter(business=business).order_by("-year")),
        gradings=list(
            Grading.objects.filter(business=business)
            .select_related("grade_confirmed_by", "next_confirmed_by", "checklist__inspection")
            .order_by("-year")
        ),
        inspections=inspections,
        checklists=checklists,
        batches=list(SamplingBatch.objects.filter(business=business).order_by("-sampled_on")[:50]),
        cases=list(Case.objects.filter(business=business).order_by("-lead_received_on")[:50]),
        complaints=list(
            Complaint.objects.filter(business=business)
            .only("complaint_number", "kind", "received_on", "closed_on")
            .order_by("-received_on")[:50]
        ),
        facts=list(AdjustmentFact.objects.filter(business=business)[:50]),
        rectifications=list(
            Rectification.objects.filter(business=business)
            .select_related("owner_unit", "inspection")
            .order_by("-created_on", "-number")[:50]
        ),
    )


def rectification_rows(user: Any, file: OperatorFile) -> list[dict[str, Any]]:
    """The operator's rectifications (open first, then closed), each with whether it is overdue
    today and whether ``user`` may open it on the rectification ledger (the office, reviewers
    and the owner unit); the row itself (number, problem, unit, state, deadline) is shown to
    whoever may open the operator file."""
    openable = set(
        visible_rectifications(user)
        .filter(pk__in=[r.pk for r in file.rectifications])
        .values_list("pk", flat=True)
    )
    ordered = sorted(file.rectifications, key=lambda r: r.state == State.CLOSED)
    return [
        {"r": r, "overdue": rectification_is_overdue(r), "may_open": r.pk in openable}
        for r in ordered
    ]


def static_history(record: StaticFactors | None, limit: int = 10) -> list[Any]:
    """The static record's history rows (who changed it when), newest first."""
    if record is None:
        return []
    return list(record.history.select_related("history_user").order_by("-history_date")[:limit])


def facts_with_history(business: FoodBusiness, limit: int = 50) -> list[dict[str, Any]]:
    """The operator's adjustment facts, newest first, each with who recorded it and when (its
    first history row)."""
    facts = list(
        AdjustmentFact.objects.filter(business=business).select_related("recorded_by")[:limit]
    )
    first: dict[int, Any] = {}
    for row in AdjustmentFact.history.filter(
        id__in=[f.pk for f in facts], history_type="+"
    ).order_by("history_date"):
        first.setdefault(row.id, row.history_date)
    return [{"fact": f, "recorded_at": first.get(f.pk)} for f in facts]


def checklist_rows(spec: GradingSpec, checklist: Checklist) -> list[dict[str, Any]]:
    """The checklist's items with their answers and photos, for the operator file (spec order; an item no
    longer in the spec is shown by its code)."""
    try:
        items = {i.code: i for i in spec.checklist(checklist.checklist).items}
    except KeyError:
        items = {}
    photos: dict[str, list[Any]] = {}
    for photo in checklist.photos.all():
        photos.setdefault(photo.item, []).append(photo)
    rows = []
    for code, answer in checklist.answers.items():
        item = items.get(code)
        rows.append(
            {
                "code": code,
                "text": item.text if item else "",
                "key": bool(item and item.key),
                "points": item.points if item else None,
                "answer": answer.get("answer"),
                "note": answer.get("note", ""),
                "photos": photos.get(code, []),
            }
        )
    return rows
