"""Workplan writes: people (责任人), tasks and milestones (节点), the phases' work from the spec,
meetings with attendance and decisions. Each write is one transaction with its history row
(django-simple-history: who, when, from what to what).

Who may change what (:func:`require_may_change`): the office (创城办) everything; a member
unit only its own unit's people, tasks and milestones; nobody else anything. Meetings and
their decisions are the office's. A refusal raises ``PermissionDenied``; a step that may not
happen raises :class:`WorkplanError` with the reason in Chinese.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from foodsafe.accounts.permissions import is_member_unit, is_office, user_unit_id
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.models import ItemAssignment
from foodsafe.programme.spec import ProgrammeSpec

from .models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    Milestone,
    Person,
    Task,
    TaskKind,
)


class WorkplanError(ValueError):
    """A step that may not happen; the message says why, in Chinese."""


def may_change_unit(actor: Any, unit_id: int | None) -> bool:
    """May ``actor`` change the people, tasks and milestones of unit ``unit_id``? The office
    any unit's; a member unit only its own."""
    if is_office(actor):
        return True
    return is_member_unit(actor) and unit_id is not None and user_unit_id(actor) == unit_id


def require_may_change(actor: Any, unit_id: int | None) -> None:
    if not may_change_unit(actor, unit_id):
        raise PermissionDenied


def _require_office(actor: Any) -> None:
    if not is_office(actor):
        raise PermissionDenied


def _save(obj: Any, actor: Any, **kwargs: Any) -> None:
    obj._history_user = actor
    obj.save(**kwargs)


def _check_evidence_url(url: str) -> str:
    url = url.strip()
    # a path of this site or a web address; never a script or a protocol-relative "//host"
    local = url.startswith("/") and not url.startswith("//")
    if url and not (url.startswith(("https://", "http://")) or local):
        raise WorkplanError("佐证链接应以 http://、https:// 或 / 开头")
    return url


# -- people --------------------------------------------------------------------------------


def person_save(
    *,
    unit: ResponsibleUnit,
    name: str,
    post: str,
    phone: str = "",
    user: Any = None,
    person: Person | None = None,
    actor: Any,
) -> Person:
    """Add a responsible person (责任人) to ``unit``, or change ``person``."""
    require_may_change(actor, unit.pk)
    name, post, phone = name.strip(), post.strip(), phone.strip()
    if not name or not post:
        raise WorkplanError("请填写责任人的姓名和职务")
    if phone and not phone.replace("-", "").replace(" ", "").isdigit():
        raise WorkplanError(f"联系电话只能包含数字：{phone!r}")
    if person is not None and person.unit_id != unit.pk:
        raise PermissionDenied
    clash = Person.objects.filter(unit=unit, name=name)
    if person is not None:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise WorkplanError(f"本单位已有责任人 {name}")
    person = person or Person(unit=unit)
    person.name, person.post, person.phone, person.user = name, post, phone, user
    with transaction.atomic():
        _save(person, actor)
    return person


# -- tasks ---------------------------------------------------------------------------------


def assignment_task(*, assignment: ItemAssignment, actor: Any) -> Task:
    """The task of a responsible unit's share of a key task (重点任务分工), made on first use.

    Its deadline is left empty until the unit or the office sets it (the plan gives the key
    tasks no dates of their own)."""
    require_may_change(actor, assignment.responsible_unit_id)
    found = Task.objects.filter(assignment=assignment).first()
    if found is not None:
        return found
    item = assignment.item
    task = Task(
        kind=TaskKind.ASSIGNMENT,
        title=f"第{item.number}项 {item.title}（{assignment.get_role_display()}）",
        detail=item.text,
        owner_unit_id=assignment.responsible_unit_id,
        assignment=assignment,
        created_by=actor,
    )
    with transaction.atomic():
        _save(task, actor)
    return task


def task_plan(
    *,
    task: Task,
    person: Person | None,
    start_on: date | None,
    due_on: date | None,
    actor: Any,
) -> Task:
    """Set a task's responsible person (责任人) and dates (开始日期, 完成期限).

    The person must belong to the task's unit. A decision's deadline was set by its meeting
    and only the office changes it; a phase task's dates come from the spec (the office may
    still move them: the spec is then no longer what the page shows, and the history says
    who moved them)."""
    require_may_change(actor, task.owner_unit_id)
    if person is not None and person.unit_id != task.owner_unit_id:
        raise WorkplanError("责任人须为本任务落实部门的人员")
    if task.kind in (TaskKind.DECISION, TaskKind.PHASE) and not is_office(actor):
        if (start_on, due_on) != (task.start_on, task.due_on):
            raise WorkplanError("会议议定事项和阶段工作的期限由区创城办调整")
    if task.kind == TaskKind.DECISION and due_on is None:
        raise WorkplanError("会议议定事项须有完成期限")
    if start_on and due_on and due_on < start_on:
        raise WorkplanError("完成期限不能早于开始日期")
    task.person, task.start_on, task.due_on = person, start_on, due_on
    with transaction.atomic():
        _save(task, actor)
    return task


def task_done(*, task: Task, done_on: date | None, note: str = "", actor: Any) -> Task:
    """Mark a task done on ``done_on`` with a note on what was done (完成情况); ``None``
    reopens it."""
    require_may_change(actor, task.owner_unit_id)
    task.done_on, task.done_note = done_on, note.strip()
    with transaction.atomic():
        _save(task, actor)
    return task


def milestone_add(*, task: Task, title: str, due_on: date, actor: Any) -> Milestone:
    """A milestone (节点) of ``task``: what is due by when (倒排工期)."""
    require_may_change(actor, task.owner_unit_id)
    if not title.strip():
        raise WorkplanError("请填写节点名称")
    milestone = Milestone(task=task, title=title.strip(), due_on=due_on)
    with transaction.atomic():
        _save(milestone, actor)
    return milestone


def milestone_done(
    *, milestone: Milestone, done_on: date | None, evidence_url: str = "", actor: Any
) -> Milestone:
    """Record when a milestone was done and, optionally, the link to its evidence; ``None``
    reopens it."""
    require_may_change(actor, milestone.task.owner_unit_id)
    milestone.done_on = done_on
    milestone.evidence_url = _check_evidence_url(evidence_url)
    with transaction.atomic():
        _save(milestone, actor)
    return milestone


def milestone_delete(*, milestone: Milestone, actor: Any) -> None:
    """Remove a milestone not yet done (the history keeps it)."""
    require_may_change(actor, milestone.task.owner_unit_id)
    if milestone.done_on is not None:
        raise WorkplanError("已完成的节点不能删除")
    milestone._history_user = actor  # type: ignore[attr-defined]
    with transaction.atomic():
        milestone.delete()


def phase_tasks_sync(*, spec: ProgrammeSpec, actor: Any) -> tuple[int, int]:
    """Make or update one task per phase work entry of the spec (``phases[].work``).

    Keyed by ``<phase>.<work>`` (``spec_key``): loading again updates title, unit and dates
    and adds nothing twice; people, milestones and completion set in the app are kept.
    Returns (created, updated). The units must have been loaded (``foodsafe loadprogramme``).
    """
    _require_office(actor)
    units = {u.code: u for u in ResponsibleUnit.objects.all()}
    existing = {t.spec_key: t for t in Task.objects.filter(kind=TaskKind.PHASE)}
    created = updated = 0
    with transaction.atomic():
        for phase in spec.phases:
            for work in phase.work:
                unit = units.get(work.unit)
                if unit is None:
                    raise WorkplanError(
                        f"责任单位 {work.unit} 尚未载入（先运行 foodsafe loadprogramme）"
                    )
                key = f"{phase.code}.{work.code}"
                task = existing.get(key) or Task(
                    kind=TaskKind.PHASE, spec_key=key, created_by=actor
                )
                values = {
                    "title": work.title,
                    "owner_unit_id": unit.pk,
                    "phase_code": phase.code,
                    "start_on": work.start,
                    "due_on": work.due,
                    "due_basis": work.due_basis,
                }
                if task.pk is not None and all(getattr(task, k) == v for k, v in values.items()):
                    continue
                if task.person is not None and task.person.unit_id != unit.pk:
                    task.person = None  # the owner moved: the old unit's person no longer fits
                for k, v in values.items():
                    setattr(task, k, v)
                created += task.pk is None
                updated += task.pk is not None
                _save(task, actor)
    return created, updated


# -- meetings ------------------------------------------------------------------------------


def meeting_record(
    *,
    kind: str,
    title: str,
    held_on: date,
    place: str,
    chair: str,
    minutes: str,
    attendance: dict[int, tuple[str, str]],
    meeting: Meeting | None = None,
    actor: Any,
) -> Meeting:
    """Record a meeting (or change it) with its attendance by unit.

    ``attendance`` maps a unit id to (status, attendee): 出席 / 委派代表 / 缺席, and who came
    (for a deputy, the deputy's name). Units left out are removed from the list."""
    _require_office(actor)
    if kind not in MeetingKind.values:
        raise WorkplanError(f"未知的会议类型 {kind!r}")
    if not title.strip() or not place.strip() or not chair.strip():
        raise WorkplanError("请填写会议名称、地点和主持人")
    for unit_id, (status, _attendee) in attendance.items():
        if status not in AttendanceStatus.values:
            raise WorkplanError(f"单位 {unit_id} 的参会情况无效：{status!r}")
    known = set(ResponsibleUnit.objects.filter(pk__in=attendance).values_list("pk", flat=True))
    if set(attendance) - known:
        raise WorkplanError("参会单位不存在")
    meeting = meeting or Meeting(created_by=actor)
    meeting.kind, meeting.title, meeting.held_on = kind, title.strip(), held_on
    meeting.place, meeting.chair, meeting.minutes = place.strip(), chair.strip(), minutes.strip()
    with transaction.atomic():
        _save(meeting, actor)
        rows = {a.unit_id: a for a in meeting.attendance.all()}
        for unit_id, row in rows.items():
            if unit_id not in attendance:
                row._history_user = actor  # type: ignore[attr-defined]
                row.delete()
        for unit_id, (status, attendee) in attendance.items():
            row = rows.get(unit_id) or Attendance(meeting=meeting, unit_id=unit_id)
            if row.pk is not None and (row.status, row.attendee) == (status, attendee.strip()):
                continue
            row.status, row.attendee = status, attendee.strip()
            _save(row, actor)
    return meeting


def decision_add(
    *, meeting: Meeting, text: str, owner_unit: ResponsibleUnit, due_on: date, actor: Any
) -> Task:
    """A decision of the meeting (议定事项) as a task of ``owner_unit`` due on ``due_on``."""
    _require_office(actor)
    text = text.strip()
    if not text:
        raise WorkplanError("请填写议定事项")
    if due_on < meeting.held_on:
        raise WorkplanError("议定事项的完成期限不能早于会议日期")
    title = text if len(text) <= 200 else text[:199] + "…"
    task = Task(
        kind=TaskKind.DECISION,
        title=title,
        detail=text,
        owner_unit=owner_unit,
        meeting=meeting,
        start_on=meeting.held_on,
        due_on=due_on,
        created_by=actor,
    )
    with transaction.atomic():
        _save(task, actor)
    return task
