"""Reads for 材料报送 (plan 四（二）2): modules, each unit's catalogue, who may see what, and the
evidence still missing at the end of the filing phase (for 逾期督办).

Who may see what (``accounts.permissions``): the office and reviewers see every unit's filing;
a member unit sees and changes only its own (another unit's filing is a 404); inspectors and
users without a role see nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Subquery, When
from django.http import Http404

from foodsafe.accounts.permissions import (
    is_member_unit,
    is_office,
    is_reviewer,
    scope_to_unit,
    user_unit_id,
)
from foodsafe.evidence.models import Evidence, ReviewStatus
from foodsafe.evidence.selectors import download_name
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import ItemAssignment, Programme
from foodsafe.programme.spec import GroupSpec, PhaseSpec, ProgrammeSpec
from foodsafe.workdays.calendar import current_calendar

from .models import MaterialFiling


def current_programme_id(spec: ProgrammeSpec) -> Subquery:
    """The loaded programme row of ``spec`` (same version, else the latest loaded of the
    code), as a subquery: the assignments' query needs no query of its own to find it."""
    same_version = Case(When(version=spec.programme.version, then=0), default=1)
    rows = Programme.objects.filter(code=spec.programme.code)
    return Subquery(rows.order_by(same_version, "-loaded_at").values("pk")[:1])


def module_or_404(spec: ProgrammeSpec, code: str) -> GroupSpec:
    """The module (one of the spec's ``groups``) named ``code``; else 404."""
    for group in spec.groups:
        if group.code == code:
            return group
    raise Http404


def module_folder(group: GroupSpec) -> str:
    """The module's name as a folder and in lists: ``1-基础工作``."""
    return f"{group.number}-{group.title}"


def module_assignments(
    *, spec: ProgrammeSpec, group: GroupSpec | None, user: Any
) -> QuerySet[ItemAssignment]:
    """Assignments of the module's items (all modules when ``group`` is None) that ``user``
    may see, in the plan's order."""
    rows = ItemAssignment.objects.filter(item__programme=current_programme_id(spec)).select_related(
        "item", "responsible_unit"
    )
    if group is not None:
        rows = rows.filter(item__group_code=group.code)
    return scope_to_unit(rows, user, "responsible_unit").order_by("item__number", "position")


@dataclass
class CatalogueLine:
    """One line of a 资料清单目录: an approved evidence file of a unit for an item."""

    evidence: Evidence
    group: GroupSpec
    item_number: int
    item_title: str
    unit: ResponsibleUnit
    note: str = ""
    #: the file's path inside the archive (module / item / unit / file), set by the archive
    archive_path: str = ""

    @property
    def file_name(self) -> str:
        """``第06项-区市场监管局-抽检计划.pdf``: named by item and unit (the archive cleans it)."""
        title = self.evidence.title
        ext = download_name(self.evidence).rpartition(".")[2]
        return f"第{self.item_number:02d}项-{self.unit.name}-{title}.{ext}"


def catalogue_lines(
    *,
    spec: ProgrammeSpec,
    group: GroupSpec | None,
    user: Any,
    unit: ResponsibleUnit | None = None,
) -> list[CatalogueLine]:
    """The 资料清单目录: every APPROVED evidence file of the module's assignments (all modules
    when ``group`` is None; one unit when ``unit`` is given) that ``user`` may see, ordered by
    item, unit, requirement and upload time, with the units' notes. Two queries."""
    groups = {g.code: g for g in spec.groups}
    assignments = module_assignments(spec=spec, group=group, user=user)
    if unit is not None:
        assignments = assignments.filter(responsible_unit=unit)
    files = (
        Evidence.objects.filter(
            status=ReviewStatus.APPROVED, assignment__in=assignments.values("pk")
        )
        .select_related("assignment__item", "assignment__responsible_unit")
        .order_by(
            "assignment__item__number",
            "assignment__position",
            "requirement",
            "uploaded_at",
            "pk",
        )
    )
    notes: dict[tuple[str, int], dict[str, str]] = {
        (f.group_code, f.responsible_unit_id): f.catalogue_notes or {}
        for f in MaterialFiling.objects.filter(programme_code=spec.programme.code)
    }
    lines = []
    for evidence in files:
        item = evidence.assignment.item  # type: ignore[union-attr]
        owner = evidence.assignment.responsible_unit  # type: ignore[union-attr]
        if item.group_code not in groups:
            continue
        note = notes.get((item.group_code, owner.pk), {}).get(str(evidence.pk), "")
        lines.append(
            CatalogueLine(
                evidence=evidence,
                group=groups[item.group_code],
                item_number=item.number,
                item_title=item.title,
                unit=owner,
                note=note,
            )
        )
    return lines


@dataclass
class FilingRow:
    """One unit × module on the 材料报送 page."""

    group: GroupSpec
    unit: ResponsibleUnit
    filing: MaterialFiling | None
    approved: int
    assignments: int
    missing: int  # assignments with no approved file yet

    @property
    def status_label(self) -> str:
        if self.filing is None:
            return "未填报"
        return str(self.filing.get_status_display())


def filing_rows(*, spec: ProgrammeSpec, user: Any) -> list[FilingRow]:
    """Every unit × module with work in the module that ``user`` may see (a member unit: its
    own), with its filing (if any) and its approved-file counts. Two queries."""
    groups = {g.code: g for g in spec.groups}
    per: dict[tuple[str, int], dict[str, Any]] = {}
    rows = (
        module_assignments(spec=spec, group=None, user=user)
        .annotate(n_approved=Count("evidence", filter=Q(evidence__status=ReviewStatus.APPROVED)))
        .order_by("item__number", "position")
    )
    for a in rows:
        key = (a.item.group_code, a.responsible_unit_id)
        entry = per.setdefault(
            key, {"unit": a.responsible_unit, "approved": 0, "assignments": 0, "missing": 0}
        )
        entry["assignments"] += 1
        entry["approved"] += a.n_approved  # type: ignore[attr-defined]
        entry["missing"] += 0 if a.n_approved else 1  # type: ignore[attr-defined]
    filings = {
        (f.group_code, f.responsible_unit_id): f
        for f in MaterialFiling.objects.filter(programme_code=spec.programme.code)
    }
    out = [
        FilingRow(
            group=groups[code],
            unit=entry["unit"],
            filing=filings.get((code, unit_id)),
            approved=entry["approved"],
            assignments=entry["assignments"],
            missing=entry["missing"],
        )
        for (code, unit_id), entry in per.items()
        if code in groups
    ]
    out.sort(key=lambda r: (r.group.number, r.unit.name))
    return out


def unit_for_filing_or_404(*, user: Any, unit_code: str) -> ResponsibleUnit:
    """The unit whose filing ``user`` opens: the office and reviewers any unit; a member unit
    only its own (another unit's is a 404, so its existence does not leak)."""
    unit = ResponsibleUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise Http404
    if is_office(user) or is_reviewer(user):
        return unit
    if is_member_unit(user) and user_unit_id(user) == unit.pk:
        return unit
    raise Http404


def filing_for(*, spec: ProgrammeSpec, group: GroupSpec, unit: ResponsibleUnit) -> MaterialFiling:
    """The unit's filing for the module, or an unsaved blank one."""
    return MaterialFiling.objects.filter(
        programme_code=spec.programme.code, group_code=group.code, responsible_unit=unit
    ).first() or MaterialFiling(
        programme_code=spec.programme.code, group_code=group.code, responsible_unit=unit
    )


def may_edit_filing(user: Any, unit: ResponsibleUnit) -> bool:
    """Only the unit's own users file its materials (the office and reviewers read)."""
    return is_member_unit(user) and user_unit_id(user) == unit.pk


def may_download_archive(user: Any) -> bool:
    """The office hands the archive to reviewers; both download it."""
    return is_office(user) or is_reviewer(user)


# -- missing at the phase's end (逾期督办) -------------------------------------------------------


def due_phase(spec: ProgrammeSpec) -> PhaseSpec | None:
    """The phase by whose end every assignment's evidence should be approved: the phase named
    by ``settings.FOODSAFE_MATERIALS_DUE_PHASE`` (default ``full_push``, 全面推动阶段, whose
    task 2 is 材料报送: plan 四（二）2). [M] reading: the plan gives the phase, not a day; we
    take its last day. ``None`` when the spec has no such phase."""
    code = getattr(settings, "FOODSAFE_MATERIALS_DUE_PHASE", "full_push")
    return next((p for p in spec.phases if p.code == code), None)


@dataclass
class MissingEvidence:
    """An assignment with no approved evidence file after the filing phase ended."""

    assignment: ItemAssignment
    working_days_late: int
    pending: int  # files waiting for review


@dataclass
class MissingByUnit:
    unit: ResponsibleUnit
    items: list[MissingEvidence] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass
class MissingReport:
    phase: PhaseSpec | None
    units: list[MissingByUnit]

    @property
    def total(self) -> int:
        return sum(u.count for u in self.units)


def missing_evidence(*, user: Any, on: date, spec: ProgrammeSpec | None = None) -> MissingReport:
    """Assignments ``user`` may see that still have no APPROVED evidence file on ``on``, when
    ``on`` is after the end of :func:`due_phase` (材料缺失, shown beside overdue
    rectifications). Working days late count from the phase's last day (法定节假日不计). Empty
    before the phase ends. One query."""
    spec = spec or programme_spec()
    phase = due_phase(spec)
    if phase is None or on <= phase.end:
        return MissingReport(phase, [])
    # The 逾期督办 page has just checked the calendar's revision for its rectifications: a
    # check less than 5 s old is reused rather than asked again (one query fewer per page).
    late = current_calendar(max_age=5.0).workdays_between(phase.end, on).days
    rows = (
        module_assignments(spec=spec, group=None, user=user)
        .annotate(
            n_approved=Count("evidence", filter=Q(evidence__status=ReviewStatus.APPROVED)),
            n_pending=Count("evidence", filter=Q(evidence__status=ReviewStatus.SUBMITTED)),
        )
        .filter(n_approved=0)
        .order_by("responsible_unit__name", "item__number")
    )
    grouped: dict[int, MissingByUnit] = defaultdict(lambda: MissingByUnit(unit=None))  # type: ignore[arg-type]
    for a in rows:
        entry = grouped[a.responsible_unit_id]
        entry.unit = a.responsible_unit
        entry.items.append(MissingEvidence(a, late, a.n_pending))  # type: ignore[attr-defined]
    units = sorted(grouped.values(), key=lambda u: (-u.count, u.unit.name))
    return MissingReport(phase, units)
