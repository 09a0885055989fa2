"""Reads for the programme pages: the task board (任务看板), a task item's page and a member
unit's open work (its home page).

The programme spec (YAML) gives the phases (四、组织实施: four phases with dates) and each item's
evidence requirements (档案资料); the database gives the items and their responsible units as
last synced (``ItemAssignment``), the evidence uploaded and its review, and the rectifications.
Who sees what is decided by :mod:`foodsafe.accounts.permissions`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from foodsafe.accounts.permissions import is_member_unit, scope_to_unit, user_unit_id
from foodsafe.audit import Change, merged_history
from foodsafe.evidence.models import Evidence, ReviewStatus
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.models import ItemAssignment, Programme, TaskItem
from foodsafe.programme.spec import IndicatorSpec, ItemSpec, PhaseSpec, ProgrammeSpec
from foodsafe.rectification.models import Rectification, State

# -- phases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseState:
    """Where ``today`` falls among the programme's phases (阶段).

    ``current``: the phase whose dates include today (``None`` between or outside phases);
    ``next``: the first phase starting after today; ``last``: the final phase.
    """

    phases: tuple[PhaseSpec, ...]
    today: date
    current: PhaseSpec | None
    next: PhaseSpec | None

    @property
    def last(self) -> PhaseSpec | None:
        return self.phases[-1] if self.phases else None

    @property
    def deadline(self) -> date | None:
        """The date open evidence work is due: the end of the current phase, else of the next
        one; once every phase is over, the end of the last (so the work shows as overdue)."""
        phase = self.current or self.next or self.last
        return phase.end if phase else None

    @property
    def is_over(self) -> bool:
        return self.current is None and self.next is None and self.last is not None


def phase_state(spec: ProgrammeSpec, today: date) -> PhaseState:
    """The phases of ``spec`` in date order and where ``today`` falls among them."""
    phases = tuple(sorted(spec.phases, key=lambda p: (p.start, p.number)))
    current = next((p for p in phases if p.start <= today <= p.end), None)
    upcoming = next((p for p in phases if p.start > today), None)
    return PhaseState(phases=phases, today=today, current=current, next=upcoming)


# -- status of an assignment -------------------------------------------------------------------


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    RETURNED = "returned", _("有退回")


class RequirementState(models.TextChoices):
    MISSING = "missing", _("未提交")
    SUBMITTED = "submitted", _("待审核")
    REJECTED = "rejected", _("已退回")
    APPROVED = "approved", _("已通过")


@dataclass(frozen=True)
class EvidenceFact:
    """What the board needs of one evidence row."""

    assignment_id: int
    requirement: str
    status: str
    uploaded_at: datetime
    reviewed_at: datetime | None


@dataclass(frozen=True)
class Requirement:
    text: str
    state: RequirementState

    @property
    def is_met(self) -> bool:
        return self.state == RequirementState.APPROVED


def requirement_states(
    requirements: Sequence[str], evidence: Iterable[EvidenceFact]
) -> tuple[Requirement, ...]:
    """Each evidence requirement of an item with the state of one unit's evidence for it:
    approved (已通过) if any file for it is approved; else pending review (待审核) if one is
    submitted; else returned (已退回) if its files were rejected; else missing (未提交).
    A file counts for a requirement when its ``requirement`` is that text exactly."""
    by_requirement: dict[str, set[str]] = defaultdict(set)
    for fact in evidence:
        by_requirement[fact.requirement].add(fact.status)
    states = []
    for text in requirements:
        statuses = by_requirement.get(text, set())
        if ReviewStatus.APPROVED in statuses:
            state = RequirementState.APPROVED
        elif ReviewStatus.SUBMITTED in statuses:
            state = RequirementState.SUBMITTED
        elif ReviewStatus.REJECTED in statuses:
            state = RequirementState.REJECTED
        else:
            state = RequirementState.MISSING
        states.append(Requirement(text=text, state=state))
    return tuple(states)


def assignment_status(
    requirements: Sequence[Requirement], evidence: Sequence[EvidenceFact]
) -> AssignmentStatus:
    """The status of one responsible unit's work on one item (任务 × 责任单位), in this order:

    - 未开始 (``not_started``): the unit has uploaded no evidence for the item;
    - 已完成 (``done``): every evidence requirement of the item has an approved file (an item
      without listed requirements: at least one approved file);
    - 有退回 (``returned``): the latest review of the unit's files for the item (by review time)
      was a rejection, so the unit has to act;
    - 进行中 (``in_progress``): anything else — some evidence, with requirements missing or
      under review.

    ``requirements`` come from :func:`requirement_states`; ``evidence`` is every evidence row of
    the assignment, whatever its requirement.
    """
    if not evidence:
        return AssignmentStatus.NOT_STARTED
    if requirements:
        if all(r.is_met for r in requirements):
            return AssignmentStatus.DONE
    elif any(e.status == ReviewStatus.APPROVED for e in evidence):
        return AssignmentStatus.DONE
    reviewed = [e for e in evidence if e.reviewed_at is not None]
    if reviewed:
        latest = max(reviewed, key=lambda e: e.reviewed_at)  # type: ignore[arg-type, return-value]
        if latest.status == ReviewStatus.REJECTED:
            return AssignmentStatus.RETURNED
    return AssignmentStatus.IN_PROGRESS


# -- the task board ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    """One item × responsible unit on the board."""

    assignment_id: int
    item_number: int
    item_title: str
    group_code: str
    group_title: str
    unit_code: str
    unit_name: str
    role: str
    role_label: str
    status: AssignmentStatus
    requirements: tuple[Requirement, ...]
    evidence_count: int
    # The spec's English item and group titles ("" where it has none), for English pages.
    item_title_en: str = ""
    group_title_en: str = ""

    @property
    def missing(self) -> tuple[Requirement, ...]:
        """Requirements without an approved file (what the unit still owes)."""
        return tuple(r for r in self.requirements if not r.is_met)

    @property
    def status_label(self) -> str:
        return str(self.status.label)


@dataclass(frozen=True)
class Option:
    """A choice of a filter; ``count`` is the number of rows with it (statuses only)."""

    value: str
    label: str
    count: int = 0


@dataclass(frozen=True)
class TaskBoard:
    programme: Programme | None
    phases: PhaseState
    rows: tuple[BoardRow, ...]
    counts: dict[str, int]
    groups: tuple[Option, ...]
    units: tuple[Option, ...]
    statuses: tuple[Option, ...]
    filters: dict[str, str] = field(default_factory=dict)
    own_unit_only: bool = False


def current_programme(spec: ProgrammeSpec) -> Programme | None:
    """The programme row of ``spec`` (same code and version), else the latest loaded version of
    the same code, else ``None`` (the spec was never loaded: ``foodsafe loadprogramme``)."""
    rows = Programme.objects.filter(code=spec.programme.code)
    return (
        rows.filter(version=spec.programme.version).first() or rows.order_by("-loaded_at").first()
    )


def _evidence_facts(assignments: QuerySet[ItemAssignment]) -> dict[int, list[EvidenceFact]]:
    facts: dict[int, list[EvidenceFact]] = defaultdict(list)
    rows = Evidence.objects.filter(assignment__in=assignments.values("pk")).values_list(
        "assignment_id", "requirement", "status", "uploaded_at", "reviewed_at"
    )
    for assignment_id, requirement, status, uploaded_at, reviewed_at in rows.order_by():
        facts[assignment_id].append(
            EvidenceFact(assignment_id, requirement, status, uploaded_at, reviewed_at)
        )
    return facts


def _rows(
    assignments: Sequence[ItemAssignment],
    facts: dict[int, list[EvidenceFact]],
    spec: ProgrammeSpec,
) -> list[BoardRow]:
    groups = {g.code: g.title for g in spec.groups}
    groups_en = {g.code: g.title_en for g in spec.groups}
    item_specs = {i.number: i for i in spec.items}
    rows = []
    for a in assignments:
        item_spec = item_specs.get(a.item.number)
        evidence = facts.get(a.pk, [])
        requirements = requirement_states(item_spec.evidence if item_spec else [], evidence)
        rows.append(
            BoardRow(
                assignment_id=a.pk,
                item_number=a.item.number,
                item_title=a.item.title,
                group_code=a.item.group_code,
                group_title=groups.get(a.item.group_code, a.item.group_code),
                unit_code=a.responsible_unit.code,
                unit_name=a.responsible_unit.name,
                role=a.role,
                role_label=a.get_role_display(),
                status=assignment_status(requirements, evidence),
                requirements=requirements,
                evidence_count=len(evidence),
                item_title_en=item_spec.title_en if item_spec else "",
                group_title_en=groups_en.get(a.item.group_code, ""),
            )
        )
    return rows


def _assignments(user: Any, programme: Programme | None) -> QuerySet[ItemAssignment]:
    if programme is None:
        return ItemAssignment.objects.none()
    return scope_to_unit(
        ItemAssignment.objects.filter(item__programme=programme), user, "responsible_unit"
    )


def task_board(
    *,
    user: Any,
    spec: ProgrammeSpec,
    today: date,
    group: str = "",
    unit: str = "",
    status: str = "",
) -> TaskBoard:
    """Every item × responsible unit the user may see, with its status and what is missing.

    Office admins and reviewers see every assignment; a member-unit user only its own unit's
    (others see none: the view refuses them first). Filters: ``group`` (a group code of the
    spec), ``unit`` (a responsible unit code), ``status`` (an :class:`AssignmentStatus` value);
    unknown values are ignored. ``counts`` are per status before the status filter.

    A fixed number of queries whatever the number of items: programme, assignments, evidence,
    units (plus the user's profile).
    """
    programme = current_programme(spec)
    assignments = _assignments(user, programme)
    if group and group in {g.code for g in spec.groups}:
        assignments = assignments.filter(item__group_code=group)
    else:
        group = ""
    own_unit_only = is_member_unit(user)
    unit_options: tuple[Option, ...] = ()
    if not own_unit_only and programme is not None:
        units = (
            ResponsibleUnit.objects.filter(assignments__item__programme=programme)
            .distinct()
            .order_by("name")
        )
        unit_options = tuple(Option(u.code, u.name) for u in units)
        if unit and unit in {o.value for o in unit_options}:
            assignments = assignments.filter(responsible_unit__code=unit)
        else:
            unit = ""
    else:
        unit = ""
    assignment_list = list(
        assignments.select_related("item", "responsible_unit").order_by("item__number", "position")
    )
    rows = _rows(assignment_list, _evidence_facts(assignments), spec)
    counts = {s.value: 0 for s in AssignmentStatus}
    for row in rows:
        counts[row.status.value] += 1
    if status in counts:
        rows = [r for r in rows if r.status.value == status]
    else:
        status = ""
    return TaskBoard(
        programme=programme,
        phases=phase_state(spec, today),
        rows=tuple(rows),
        counts=counts,
        groups=tuple(Option(g.code, f"{g.number}. {g.title}") for g in spec.groups),
        units=unit_options,
        statuses=tuple(Option(s.value, str(s.label), counts[s.value]) for s in AssignmentStatus),
        filters={"group": group, "unit": unit, "status": status},
        own_unit_only=own_unit_only,
    )


# -- a task item's page ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitEvidence:
    """One responsible unit on an item: its board row and its evidence files (newest first)."""

    row: BoardRow
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ItemPage:
    item: TaskItem
    spec: ItemSpec | None
    group_title: str
    assignments: tuple[ItemAssignment, ...]
    units: tuple[UnitEvidence, ...]
    indicators: tuple[IndicatorSpec, ...]
    rectifications: tuple[Rectification, ...]
    phases: PhaseState
    history: tuple[Change, ...]


def item_page(*, user: Any, spec: ProgrammeSpec, number: int, today: date) -> ItemPage:
    """The page of task item ``number``: text, units and roles, evidence requirements, each
    visible unit's evidence and status, the item's rectifications and the audit history of that
    evidence and those rectifications.

    Office admins and reviewers see every unit; a member-unit user sees the item only if its
    unit is assigned to it, and then only its own unit's evidence and rectifications.
    Raises ``Http404`` for an unknown item or an item the user's unit is not assigned to.
    """
    programme = current_programme(spec)
    item = TaskItem.objects.filter(programme=programme, number=number).first()
    if programme is None or item is None:
        raise Http404
    assignments = tuple(
        ItemAssignment.objects.filter(item=item)
        .select_related("item", "responsible_unit")
        .order_by("position")
    )
    visible = scope_to_unit(ItemAssignment.objects.filter(item=item), user, "responsible_unit")
    if is_member_unit(user):
        unit_id = user_unit_id(user)
        if not any(a.responsible_unit_id == unit_id for a in assignments):
            raise Http404
    visible_ids = set(visible.values_list("pk", flat=True))
    shown = [a for a in assignments if a.pk in visible_ids]
    evidence_qs = Evidence.objects.filter(assignment__in=visible_ids)
    files = list(evidence_qs.select_related("uploaded_by", "reviewed_by").order_by("-uploaded_at"))
    facts: dict[int, list[EvidenceFact]] = defaultdict(list)
    by_assignment: dict[int, list[Evidence]] = defaultdict(list)
    for e in files:
        assert e.assignment_id is not None
        by_assignment[e.assignment_id].append(e)
        facts[e.assignment_id].append(
            EvidenceFact(e.assignment_id, e.requirement, e.status, e.uploaded_at, e.reviewed_at)
        )
    rows = _rows(shown, facts, spec)
    rectifications_qs = scope_to_unit(
        Rectification.objects.filter(item=item), user, "owner_unit"
    ).select_related("owner_unit")
    item_spec = next((i for i in spec.items if i.number == number), None)
    return ItemPage(
        item=item,
        spec=item_spec,
        group_title=next((g.title for g in spec.groups if g.code == item.group_code), ""),
        assignments=assignments,
        units=tuple(
            UnitEvidence(row=row, evidence=tuple(by_assignment.get(row.assignment_id, [])))
            for row in rows
        ),
        indicators=tuple(i for i in spec.indicators if i.item == number),
        rectifications=tuple(rectifications_qs.order_by("deadline", "number")),
        phases=phase_state(spec, today),
        history=tuple(merged_history(evidence_qs, rectifications_qs)),
    )


# -- a member unit's open work -----------------------------------------------------------------


@dataclass(frozen=True)
class WorkEntry:
    """One piece of open work on a unit's home page.

    ``kind`` is ``evidence`` (an item whose evidence is incomplete; ``row`` set) or
    ``rectification`` (a rectification not closed; ``rectification`` set).
    """

    kind: str
    deadline: date | None
    overdue: bool
    row: BoardRow | None = None
    rectification: Rectification | None = None

    @property
    def sort_key(self) -> tuple[Any, ...]:
        number = self.row.item_number if self.row else 0
        code = self.rectification.number if self.rectification else ""
        return (self.deadline or date.max, 0 if self.kind == "rectification" else 1, number, code)


@dataclass(frozen=True)
class UnitHome:
    unit: ResponsibleUnit | None
    phases: PhaseState
    entries: tuple[WorkEntry, ...]

    @property
    def overdue_count(self) -> int:
        return sum(e.overdue for e in self.entries)


def unit_open_work(*, user: Any, spec: ProgrammeSpec, today: date) -> UnitHome:
    """A member unit's open work in deadline order (earliest first, no deadline last):

    - its items whose evidence is not complete (status other than 已完成), due at the end of the
      current phase, else of the next (``PhaseState.deadline``);
    - its rectifications not closed (销号), due at their own deadline.

    Overdue means the deadline is before ``today``; it is derived here, never stored.
    A user who is not a member-unit user gets no entries.
    """
    phases = phase_state(spec, today)
    unit_id = user_unit_id(user)
    if unit_id is None:
        return UnitHome(unit=None, phases=phases, entries=())
    unit = ResponsibleUnit.objects.get(pk=unit_id)
    assignments = _assignments(user, current_programme(spec))
    assignment_list = list(
        assignments.select_related("item", "responsible_unit").order_by("item__number", "position")
    )
    rows = _rows(assignment_list, _evidence_facts(assignments), spec)
    deadline = phases.deadline
    entries = [
        WorkEntry(
            kind="evidence",
            deadline=deadline,
            overdue=deadline is not None and deadline < today,
            row=row,
        )
        for row in rows
        if row.status != AssignmentStatus.DONE
    ]
    open_rectifications = (
        Rectification.objects.filter(owner_unit_id=unit_id)
        .exclude(state=State.CLOSED)
        .select_related("item")
    )
    entries += [
        WorkEntry(
            kind="rectification", deadline=r.deadline, overdue=r.deadline < today, rectification=r
        )
        for r in open_rectifications
    ]
    entries.sort(key=lambda e: e.sort_key)
    return UnitHome(unit=unit, phases=phases, entries=tuple(entries))
