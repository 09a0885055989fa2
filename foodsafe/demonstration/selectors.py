"""Reads of 示范引领项目 and 现场检查点位 for the pages and the export.

Who sees what: the office and reviewers every unit's; a member unit its own (another unit's is
a 404, ``get_scoped_or_404``). A site shows its operator's latest inspection (the inspections
ledger), its latest risk grade (the registry's grade history) and its open rectifications (the
rectification ledger), read here as annotations: one query for a page of sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from foodsafe.accounts.permissions import is_member_unit, is_office, scope_to_unit, user_unit_id
from foodsafe.inspections.models import Inspection
from foodsafe.lib.masking import mask_phone
from foodsafe.rectification.models import Rectification, State
from foodsafe.registry.models import FoodBusiness, RiskGrade
from foodsafe.riskgrading.selectors import visible_businesses

from .models import DemonstrationProject, FieldCheckSite, ReviewStatus


def visible_projects(user: Any) -> QuerySet[DemonstrationProject]:
    return scope_to_unit(DemonstrationProject.objects.all(), user, "unit")


def projects_page(
    user: Any, *, q: str = "", status: str = "", category: str = ""
) -> QuerySet[DemonstrationProject]:
    """The list's rows: ``q`` in the name or the unit's name, one status, one category."""
    rows = visible_projects(user).select_related("unit")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(unit__name__icontains=q))
    if status:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    return rows.order_by("-submitted_on", "-id")


def approved_projects() -> list[DemonstrationProject]:
    """The approved applications, for the list sent to 国食办 (by unit, then name)."""
    return list(
        DemonstrationProject.objects.filter(status=ReviewStatus.APPROVED)
        .select_related("unit")
        .order_by("unit__name", "name", "id")
    )


def may_edit(user: Any, obj: Any) -> bool:
    """The office, or a user of the object's own unit."""
    return is_office(user) or (is_member_unit(user) and user_unit_id(user) == obj.unit_id)


def shown_phone(user: Any, project: DemonstrationProject) -> str:
    """The contact phone in full for the office and the applying unit, masked for others
    (reviewers): 个人信息保护法, the least a role needs."""
    return project.contact_phone if may_edit(user, project) else mask_phone(project.contact_phone)


def _latest(model: Any, field: str, order: tuple[str, ...]) -> Subquery:
    rows = model.objects.filter(business=OuterRef("business")).order_by(*order)
    return Subquery(rows.values(field)[:1])


def visible_sites(user: Any) -> QuerySet[FieldCheckSite]:
    return scope_to_unit(FieldCheckSite.objects.all(), user, "unit")


def sites_page(user: Any, *, q: str = "", status: str = "") -> QuerySet[FieldCheckSite]:
    """The sites ``user`` may see, each with ``last_inspected_on``, ``last_result`` (the
    latest inspection's date and result code), ``grade_year``/``grade_level`` (the latest
    risk grade) and ``open_rectifications`` (not closed, of that operator, any unit)."""
    open_count = (
        Rectification.objects.filter(business=OuterRef("business"))
        .exclude(state=State.CLOSED)
        .order_by()
        .values("business")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    newest_inspection = ("-inspected_on", "-id")
    rows = (
        visible_sites(user)
        .select_related("unit", "business")
        .annotate(
            last_inspected_on=_latest(Inspection, "inspected_on", newest_inspection),
            last_result=_latest(Inspection, "result", newest_inspection),
            grade_year=_latest(RiskGrade, "year", ("-year",)),
            grade_level=_latest(RiskGrade, "level", ("-year",)),
            open_rectifications=Coalesce(
                Subquery(open_count, output_field=IntegerField()), Value(0)
            ),
        )
    )
    if q:
        rows = rows.filter(
            Q(business__name__icontains=q)
            | Q(address__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(business__licence_number__icontains=q)
        )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-proposed_on", "-id")


@dataclass(frozen=True)
class SiteFile:
    """What the site page shows beside the site: the operator's recent inspections, grades and
    rectifications (open first), newest first."""

    site: FieldCheckSite
    inspections: list[Inspection]
    grades: list[RiskGrade]
    rectifications: list[Rectification]


def site_file(site: FieldCheckSite) -> SiteFile:
    business = site.business
    rectifications = list(
        Rectification.objects.filter(business=business)
        .select_related("owner_unit")
        .order_by("-created_on", "-number")[:50]
    )
    rectifications.sort(key=lambda r: r.state == State.CLOSED)
    return SiteFile(
        site=site,
        inspections=list(
            Inspection.objects.filter(business=business).order_by("-inspected_on", "-id")[:10]
        ),
        grades=list(RiskGrade.objects.filter(business=business).order_by("-year")[:5]),
        rectifications=rectifications,
    )


def proposable_businesses(user: Any) -> QuerySet[FoodBusiness]:
    """The operators ``user`` may propose as a site (and find in the search): those it may
    open in the registry (企业档案, ``riskgrading.selectors.visible_businesses``). 实施方案
    §四.2 has each department propose sites "结合各部门重点工作": 区市场监管局 licenses every
    operator, 区教育局 answers for school canteens; the office proposes for any unit, so a
    unit with no operators of its own asks the office."""
    return visible_businesses(user)


def business_search(
    q: str, businesses: QuerySet[FoodBusiness], limit: int = 20
) -> list[FoodBusiness]:
    """Operators among ``businesses`` (the user's :func:`proposable_businesses`) matching
    ``q`` (name, licence number, registry number or USCC), for picking a site's operator: only
    what the public licence register shows (name, licence, format, address)."""
    q = q.strip()
    if len(q) < 2:
        return []
    return list(
        businesses.filter(
            Q(name__icontains=q)
            | Q(licence_number__icontains=q)
            | Q(registry_number__iexact=q)
            | Q(uscc__iexact=q)
        )
        .only("pk", "name", "licence_number", "business_format", "address", "registry_number")
        .order_by("name", "pk")[:limit]
    )


def openable_rectifications(user: Any, site: FieldCheckSite) -> set[int]:
    """Which of the operator's rectifications ``user`` may open on the ledger (the office,
    reviewers, the owner unit); the rows themselves show to whoever sees the site."""
    return set(
        scope_to_unit(
            Rectification.objects.filter(business_id=site.business_id), user, "owner_unit"
        ).values_list("pk", flat=True)
    )
