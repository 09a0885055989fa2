"""Reads for the inspection-plan pages: who may plan where, operators' facts and due dates,
plans and their progress (from the inspections ledger), and the publication list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from foodsafe.accounts.models import Role
from foodsafe.accounts.permissions import user_role
from foodsafe.inspections.models import Inspection
from foodsafe.orgunits.models import OrgUnit, subtree_prefix
from foodsafe.registry.models import FoodBusiness, RiskGrade
from foodsafe.riskgrading.grading import operating_filter
from foodsafe.riskgrading.in_force import grading_spec
from foodsafe.riskgrading.models import StaticFactors
from foodsafe.workdays.calendar import add_workdays
from foodsafe.workforce.models import StaffMember

from .due import Due, OperatorFacts, baseline_order_key, due_for, frequency_months, month_end
from .models import InspectionPlan, InspectorAccount, ItemSource, PlanItem
from .spec import PlanSpec

#: Separators between names in the inspections ledger's 检查人员 column.
NAME_SEPARATORS = ("、", "，", ",", "；", ";", "/", " ")

# -- who plans where ------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """Where a user plans: ``everywhere`` (the office) or the subtrees of ``codes``."""

    everywhere: bool
    codes: tuple[str, ...] = ()

    @property
    def prefixes(self) -> tuple[str, ...]:
        return tuple(subtree_prefix(c) for c in self.codes)

    def covers(self, code: str) -> bool:
        return self.everywhere or any(code.startswith(p) for p in self.prefixes)

    def contains_unit(self, code: str) -> bool:
        """Whether a planning unit ``code`` lies inside the area (its subtree is inside)."""
        return self.everywhere or any(subtree_prefix(code).startswith(p) for p in self.prefixes)

    @property
    def empty(self) -> bool:
        return not self.everywhere and not self.codes


def planning_area(user: Any, spec: PlanSpec) -> Area:
    """The office plans everywhere; a member unit the subtrees the plan spec's
    ``planning_units`` gives its code (none if not listed); anyone else nowhere."""
    role = user_role(user)
    if role == Role.OFFICE_ADMIN:
        return Area(everywhere=True)
    if role == Role.MEMBER_UNIT:
        profile = user.profile
        if profile.division_id:
            # A 街道 user does not plan (the plans are the whole unit's, N7): nowhere.
            return Area(everywhere=False)
        code = profile.responsible_unit.code if profile.responsible_unit_id else ""
        return Area(everywhere=False, codes=tuple(spec.planning_units.units.get(code, ())))
    return Area(everywhere=False)


def inspector_staff(user: Any) -> StaffMember | None:
    """The roster entry of an inspector login (``InspectorAccount``), else ``None``."""
    if user_role(user) != Role.INSPECTOR:
        return None
    account = InspectorAccount.objects.filter(user=user).select_related("staff").first()
    return account.staff if account else None


def _in_area(queryset: QuerySet[Any], area: Area, field_name: str) -> QuerySet[Any]:
    if area.everywhere:
        return queryset
    if not area.codes:
        return queryset.none()
    q = Q()
    for prefix in area.prefixes:
        q |= Q(**{f"{field_name}__startswith": prefix})
    return queryset.filter(q)


# -- operators' facts and due dates -----------------------------------------------------------


def split_names(text: str) -> tuple[str, ...]:
    """The names in a 检查人员 cell ("张三、李四" → ("张三", "李四"))."""
    for sep in NAME_SEPARATORS[1:]:
        text = text.replace(sep, NAME_SEPARATORS[0])
    return tuple(n.strip() for n in text.split(NAME_SEPARATORS[0]) if n.strip())


def operator_facts(
    *, spec: PlanSpec, area: Area, on: date, until: date | None = None, org_code: str = ""
) -> list[OperatorFacts]:
    """Facts of every operator open on ``on`` in ``area`` (and under ``org_code`` if given),
    from inspections up to ``until`` inclusive (default ``on``). The grade is the latest
    ``registry.RiskGrade`` of a year up to ``on``'s year, else the registry's grade field."""
    until = until or on
    counted = spec.frequency.counted_types
    before = Q(inspections__inspected_on__lte=until)
    last = (
        Inspection.objects.filter(business=OuterRef("pk"), inspected_on__lte=until)
        .order_by("-inspected_on", "-inspection_number")
        .values("inspectors")[:1]
    )
    qs = _in_area(FoodBusiness.objects.filter(operating_filter(on)), area, "org_unit__code")
    if org_code:
        qs = qs.filter(org_unit__code__startswith=subtree_prefix(org_code))
    rows = list(
        qs.annotate(
            last_counted=Max(
                "inspections__inspected_on",
                filter=before & Q(inspections__inspection_type__in=counted),
            ),
            last_full=Max(
                "inspections__inspected_on",
                filter=before & Q(inspections__full_checklist=True),
            ),
            last_inspectors=Subquery(last),
        )
        .order_by("registry_number")
        .values(
            "id",
            "registry_number",
            "name",
            "org_unit_id",
            "sector",
            "business_format",
            "opened_on",
            "risk_level",
            "last_counted",
            "last_full",
            "last_inspectors",
        )
    )
    ids = [r["id"] for r in rows]
    grades: dict[int, tuple[int, str]] = {}
    for business_id, year, level in (
        RiskGrade.objects.filter(business_id__in=ids, year__lte=on.year)
        .order_by("year")
        .values_list("business_id", "year", "level")
    ):
        grades[business_id] = (year, level)
    tables = dict(
        StaticFactors.objects.filter(business_id__in=ids).values_list("business_id", "table")
    )
    out = []
    for r in rows:
        year_level = grades.get(r["id"])
        if year_level:
            grade, source = year_level[1], f"{year_level[0]} 年风险等级记录"
        elif r["risk_level"]:
            grade, source = r["risk_level"], "登记的风险等级"
        else:
            grade, source = "", ""
        out.append(
            OperatorFacts(
                business_id=r["id"],
                registry_number=r["registry_number"],
                name=r["name"],
                org_unit_code=r["org_unit_id"],
                sector=r["sector"],
                business_format=r["business_format"],
                opened_on=r["opened_on"],
                grade=grade,
                grade_source=source,
                last_counted=r["last_counted"],
                last_full=r["last_full"],
                static_table=tables.get(r["id"], ""),
                last_inspectors=split_names(r["last_inspectors"] or ""),
            )
        )
    return out


def months_by_grade(spec: PlanSpec) -> dict[str, int | None]:
    per_year: dict[str, int] = {g: f.min for g, f in grading_spec().frequencies.per_year.items()}
    return frequency_months(spec, per_year)


def dues(
    *, spec: PlanSpec, area: Area, on: date, until: date | None = None, org_code: str = ""
) -> list[Due]:
    """Every open operator's next due date in ``area`` (see :mod:`.due`)."""
    months = months_by_grade(spec)
    return [
        due_for(spec, months, facts, on)
        for facts in operator_facts(spec=spec, area=area, on=on, until=until, org_code=org_code)
    ]


def subdistrict_code(code: str) -> str:
    """The subdistrict (level 4) a division code lies in; a district-level code is itself."""
    return code[:9] + "000" if code[6:9] != "000" else code


@dataclass
class DueRow:
    due: Due
    overdue: bool
    days_late: int
    subdistrict: str
    inspectors: list[str] = field(default_factory=list)


@dataclass
class DueGroup:
    code: str
    name: str
    overdue: list[DueRow] = field(default_factory=list)
    this_month: list[DueRow] = field(default_factory=list)


@dataclass
class DueLists:
    on: date
    month_end: date
    groups: list[DueGroup]
    graded: int
    operators: int

    @property
    def overdue_count(self) -> int:
        return sum(len(g.overdue) for g in self.groups)

    @property
    def this_month_count(self) -> int:
        return sum(len(g.this_month) for g in self.groups)

    def rows(self) -> list[DueRow]:
        return [row for g in self.groups for row in (*g.overdue, *g.this_month)]


def current_assignments(on: date, business_ids: list[int] | None = None) -> dict[int, list[str]]:
    """business id → names of the inspectors assigned to it in plans running on ``on``."""
    items = PlanItem.objects.filter(plan__starts_on__lte=on, plan__ends_on__gte=on)
    if business_ids is not None:
        items = items.filter(business_id__in=business_ids)
    out: dict[int, list[str]] = defaultdict(list)
    for business_id, name in items.values_list("business_id", "inspectors__name").order_by(
        "business_id", "inspectors__staff_number"
    ):
        if name and name not in out[business_id]:
            out[business_id].append(name)
    return out


def due_lists(
    *, spec: PlanSpec, area: Area, on: date, org_code: str = "", staff: StaffMember | None = None
) -> DueLists:
    """Overdue (due before ``on``) and due-this-month (``on`` to the month's end) operators per
    subdistrict, each in the baseline order (grade, then longest since the last inspection).
    With ``staff``, only operators assigned to that inspector in a plan running on ``on``."""
    end = month_end(on)
    every = dues(spec=spec, area=area, on=on, org_code=org_code)
    assigned = current_assignments(on)
    if staff is not None:
        mine = set(
            PlanItem.objects.filter(
                plan__starts_on__lte=on, plan__ends_on__gte=on, inspectors=staff
            ).values_list("business_id", flat=True)
        )
        every = [d for d in every if d.facts.business_id in mine]
    names = dict(OrgUnit.objects.values_list("code", "name"))
    groups: dict[str, DueGroup] = {}
    for due in sorted(every, key=lambda d: baseline_order_key(d, on)):
        if due.due_on > end:
            continue
        code = subdistrict_code(due.facts.org_unit_code)
        group = groups.setdefault(code, DueGroup(code=code, name=names.get(code, code)))
        row = DueRow(
            due=due,
            overdue=due.overdue(on),
            days_late=max(0, (on - due.due_on).days),
            subdistrict=group.name,
            inspectors=assigned.get(due.facts.business_id, []),
        )
        (group.overdue if row.overdue else group.this_month).append(row)
    return DueLists(
        on=on,
        month_end=end,
        groups=[groups[c] for c in sorted(groups)],
        graded=sum(1 for d in every if d.facts.grade),
        operators=len(every),
    )


# -- plans ---------------------------------------------------------------------------------------


def plans_visible(*, user: Any, spec: PlanSpec) -> QuerySet[InspectionPlan]:
    """Plans the user may open: the office all; a member unit those inside its area; an
    inspector those with an item assigned to them; anyone else none."""
    qs = InspectionPlan.objects.select_related("org_unit", "created_by")
    staff = inspector_staff(user)
    if staff is not None:
        return qs.filter(items__inspectors=staff).distinct()
    area = planning_area(user, spec)
    if area.everywhere:
        return qs
    if area.empty:
        return qs.none()
    q = Q()
    for prefix in area.prefixes:
        q |= Q(org_unit__code__startswith=prefix)
    return qs.filter(q)


@dataclass
class ItemProgress:
    item: PlanItem
    inspectors: list[StaffMember]
    inspection: Inspection | None
    publish_by: date | None = None
    publish_provisional: bool = False

    @property
    def done(self) -> bool:
        return self.inspection is not None


def plan_progress(
    plan: InspectionPlan, *, spec: PlanSpec, staff: StaffMember | None = None
) -> list[ItemProgress]:
    """Each item with its inspectors and the first inspection of the operator within the
    plan's period, read from the inspections ledger (so progress follows the ledger's imports).
    With ``staff``, only that inspector's items. Each done item carries its publication
    deadline: ``publication.working_days`` working days after the inspection (第三十九条)."""
    items = plan.items.select_related("business", "business__org_unit").prefetch_related(
        "inspectors"
    )
    if staff is not None:
        items = items.filter(inspectors=staff)
    items_list = list(items)
    first: dict[int, Inspection] = {}
    for found in Inspection.objects.filter(
        business_id__in=[i.business_id for i in items_list],
        inspected_on__gte=plan.starts_on,
        inspected_on__lte=plan.ends_on,
    ).order_by("inspected_on", "inspection_number"):
        first.setdefault(found.business_id, found)
    days = spec.publication.working_days
    out = []
    for item in items_list:
        inspection = first.get(item.business_id)
        progress = ItemProgress(
            item=item,
            inspectors=sorted(item.inspectors.all(), key=lambda s: s.staff_number),
            inspection=inspection,
        )
        if inspection is not None:
            deadline = add_workdays(inspection.inspected_on, days)
            progress.publish_by = deadline.date
            progress.publish_provisional = deadline.provisional
        out.append(progress)
    return out


@dataclass
class PublicationRow:
    progress: ItemProgress
    status: str  # published | published_late | pending | overdue


def publication_rows(
    plan: InspectionPlan, *, spec: PlanSpec, on: date
) -> tuple[list[PublicationRow], int]:
    """The items whose results are to be published (the plan spec's ``publication.sources``,
    the 双随机 draw by default) with an inspection done, each with its deadline: 20 working days
    after the inspection (第三十九条) and its state on ``on``; and how many such items are not
    inspected yet."""
    rows, waiting = [], 0
    for progress in plan_progress(plan, spec=spec):
        if progress.item.source not in spec.publication.sources:
            continue
        if not progress.done:
            waiting += 1
            continue
        published = progress.item.published_on
        deadline = progress.publish_by
        assert deadline is not None
        if published is not None:
            status = "published" if published <= deadline else "published_late"
        else:
            status = "pending" if on <= deadline else "overdue"
        rows.append(PublicationRow(progress=progress, status=status))
    return rows, waiting


def plan_summary(progress: list[ItemProgress]) -> dict[str, int]:
    total = len(progress)
    done = sum(1 for p in progress if p.done)
    return {
        "total": total,
        "done": done,
        "due": sum(1 for p in progress if p.item.source == ItemSource.DUE),
        "random": sum(1 for p in progress if p.item.source == ItemSource.RANDOM),
        "percent": round(100 * done / total) if total else 0,
    }
