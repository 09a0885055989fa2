"""Writes for the rectification ledger (问题清单/整改台账): create, one click from a failed
indicator, move through the state machine (:mod:`foodsafe.rectification.rules`), measures.

Every write, its RectificationEvent and its audit row (django-simple-history, ``history_user``
= the actor) happen in one transaction. Refusals raise ``PermissionDenied`` (the actor may not
do this) or ``ValidationError`` (missing evidence, note, bad input), with Chinese messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from foodsafe.accounts.models import Profile
from foodsafe.accounts.permissions import (
    in_user_division,
    is_inspector,
    is_member_unit,
    is_office,
    is_reviewer,
    member_unit,
    user_division,
)
from foodsafe.evidence.models import Evidence, ReviewStatus
from foodsafe.evidence.services import evidence_store, evidence_title_clean
from foodsafe.inspections.models import Inspection
from foodsafe.orgunits.models import OrgUnit, ResponsibleUnit, subtree_prefix
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import TaskItem
from foodsafe.programme.spec import ProgrammeSpec
from foodsafe.registry.models import FoodBusiness
from foodsafe.scorecard.results import Scorecard, Status
from foodsafe.workdays.calendar import Calendar, Deadline, add_workdays
from foodsafe.workdays.registry import DeadlineChange

from . import rules
from .models import Rectification, RectificationEvent, Source, State

#: Working days a rectification made from a failed indicator gets unless told otherwise
#: (about one calendar month; the plan sets no general time limit).
DEFAULT_WORKING_DAYS = 20
MAX_WORKING_DAYS = 250


def _next_number(year: int) -> str:
    """``ZG-<year>-<sequence, at least 4 digits>``: one more than the year's highest."""
    prefix = f"ZG-{year}-"
    taken = Rectification.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    sequence = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{sequence + 1:04d}"


def _event(rectification: Rectification, *, from_state: str, actor: Any, note: str = "") -> None:
    RectificationEvent.objects.create(
        rectification=rectification,
        from_state=from_state,
        to_state=rectification.state,
        actor=actor,
        note=note,
    )


def rectification_create(
    *,
    title: str,
    owner_unit: ResponsibleUnit,
    source: str,
    working_days: int,
    actor: Any,
    item: TaskItem | None = None,
    indicator_code: str = "",
    org_unit: OrgUnit | None = None,
    description: str = "",
    created_on: date | None = None,
    business: FoodBusiness | None = None,
) -> Rectification:
    """Put a problem on the ledger, state 待整改 (open), owned by ``owner_unit``; ``business``
    names the operator it was found at, if any (shown on the operator file).

    ``number``: ``ZG-<year of created_on>-<4-digit sequence>``. ``deadline``:
    ``add_workdays(created_on, working_days)`` in Chinese working days from the office's
    calendar (statutory holidays off, make-up working days on; the day of creation is not
    counted), so a problem recorded on 2021-09-30 with 10 working days is due 2021-10-20. A
    deadline counted through a year whose holiday arrangement is not loaded is stored as
    provisional (暂定) and recomputed when the arrangement is loaded. ``created_on`` defaults to today and may
    not lie in the future. A reviewer's findings always have ``source`` = ``review``.

    A member unit keeps its own 排查台账 (实施方案 四（二）4: "各责任单位……制定排查台账，实施销号管理"):
    its user may register findings of its own unit only, always with ``source`` = 自查
    (self_check); closing them (销号) still needs a verifier outside the unit
    (:mod:`foodsafe.rectification.rules`).

    Writes the rectification, its first event (→ open) and its history in one transaction.
    Raises ``PermissionDenied`` unless ``actor`` is the office, a reviewer or a member unit
    registering for its own unit; ``ValidationError`` for an empty title, an unknown source
    or working days outside 1–250.
    """
    if is_member_unit(actor):
        own = member_unit(actor)
        if own is None or owner_unit.pk != own.pk:
            raise PermissionDenied("成员单位只能登记本单位的排查问题")
        division = user_division(actor)
        if division:
            # A 街道 user's finding is its 街道's (blank: the 街道 itself), N7.
            org_unit = org_unit or OrgUnit.objects.get(code=division)
            if not in_user_division(actor, org_unit.code):
                raise PermissionDenied(gettext("街道用户只能登记本街道的排查问题"))
        source = Source.SELF_CHECK
    elif not (is_office(actor) or is_reviewer(actor)):
        raise PermissionDenied("只有创城办、评审专家和成员单位（本单位自查）可以登记整改事项")
    if is_reviewer(actor) and not is_office(actor):
        source = Source.REVIEW
    _check_indicator_and_division(item=item, indicator_code=indicator_code, org_unit=org_unit)
    return _create(
        title=title,
        owner_unit=owner_unit,
        source=source,
        working_days=working_days,
        actor=actor,
        item=item,
        indicator_code=indicator_code,
        org_unit=org_unit,
        description=description,
        created_on=created_on,
        business=business,
    )


def _check_indicator_and_division(
    *, item: TaskItem | None, indicator_code: str, org_unit: OrgUnit | None
) -> None:
    """Refuse an indicator that is not the programme's or not of ``item``, and a division
    (区划) outside the programme's district (new-user N8: a unit's 自查 stored item 29 with
    item 13's ``sampling_per_thousand``, and a finding placed in 天津市 120000000000).

    The district is the spec's ``programme.org_unit`` (实施方案: 和平区 120101000000); a
    division belongs to it when its code starts with the district's subtree prefix, as a
    ledger row does (``orgunits.subtree_prefix``). Raises ``ValidationError``.
    """
    spec = programme_spec()
    if indicator_code:
        indicator = next((i for i in spec.indicators if i.code == indicator_code), None)
        if indicator is None:
            raise ValidationError(
                gettext("没有指标 %(code)s。") % {"code": indicator_code}, code="indicator"
            )
        if item is not None and indicator.item != item.number:
            raise ValidationError(
                gettext("指标“%(name)s”属于第 %(own)s 项，不属于第 %(item)s 项。")
                % {"name": indicator.name, "own": indicator.item, "item": item.number},
                code="indicator",
            )
    if org_unit is not None:
        district = spec.programme.org_unit
        if not org_unit.code.startswith(subtree_prefix(district)):
            raise ValidationError(
                gettext("区划 %(name)s（%(code)s）不在本区（%(district)s）范围内。")
                % {"name": org_unit.name, "code": org_unit.code, "district": district},
                code="org_unit",
            )


def earliest_record_day() -> date:
    """The earliest 登记日期 a record typed in by hand may have: 1 January of the programme's
    year (the spec's ``programme.year``) minus ``FOODSAFE_RECORD_LOOKBACK_YEARS`` (default 3,
    the look-back of 否决项 2 and 3 in the spec): 2018-01-01 for the 2021 programme. The
    programme has no closed period (no self-evaluation or report is stored as issued, no
    period is locked), so this bound, today as the latest day and the 补登往期 mark in the
    history are the guard against backdating."""
    year = programme_spec().programme.year - settings.FOODSAFE_RECORD_LOOKBACK_YEARS
    return date(year, 1, 1)


def _create(
    *,
    title: str,
    owner_unit: ResponsibleUnit,
    source: str,
    working_days: int,
    actor: Any,
    item: TaskItem | None = None,
    indicator_code: str = "",
    org_unit: OrgUnit | None = None,
    description: str = "",
    created_on: date | None = None,
    business: FoodBusiness | None = None,
    inspection: Inspection | None = None,
) -> Rectification:
    """The checks and the write of a new rectification (the caller checked the actor)."""
    if source not in Source.values:
        raise ValidationError(f"未知的问题来源 {source!r}", code="source")
    title = (title or "").strip()
    if not title:
        raise ValidationError("请填写问题。", code="title")
    if not 1 <= int(working_days) <= MAX_WORKING_DAYS:
        raise ValidationError(
            f"整改期限应为 1 至 {MAX_WORKING_DAYS} 个工作日。", code="working_days"
        )
    today = timezone.localdate()
    created_on = created_on or today
    if created_on > today:
        raise ValidationError("登记日期不能晚于今天。", code="created_on")
    earliest = earliest_record_day()
    if created_on < earliest:
        raise ValidationError(
            f"登记日期不能早于 {earliest:%Y-%m-%d}（方案年度前 "
            f"{settings.FOODSAFE_RECORD_LOOKBACK_YEARS} 年，与否决项的追溯期相同）。",
            code="created_on",
        )
    try:
        deadline = add_workdays(created_on, int(working_days))
    except ValueError as exc:
        raise ValidationError(str(exc), code="calendar") from exc
    for _attempt in range(5):
        number = _next_number(created_on.year)
        try:
            with transaction.atomic():
                rectification = Rectification(
                    number=number,
                    title=title[:300],
                    description=(description or "").strip(),
                    owner_unit=owner_unit,
                    item=item,
                    indicator_code=indicator_code,
                    org_unit=org_unit,
                    source=source,
                    business=business,
                    inspection=inspection,
                    created_by=actor,
                    created_on=created_on,
                    working_days=int(working_days),
                    deadline=deadline.date,
                    deadline_provisional=deadline.provisional,
                    deadline_calendar_revision=deadline.revision,
                    state=State.OPEN,
                )
                rectification._history_user = actor  # type: ignore[attr-defined]
                if created_on < today.replace(day=1):
                    # Dated in an earlier month: it changes a past period's figures, so the
                    # history says who entered it for that period, and when.
                    rectification._change_reason = (  # type: ignore[attr-defined]
                        f"补登往期：登记日期 {created_on:%Y-%m-%d}，录入于 {today:%Y-%m-%d}"
                    )
                rectification.save()
                _event(rectification, from_state="", actor=actor, note="登记")
                return rectification
        except IntegrityError:
            # Another request took the same number meanwhile: take the next one.
            if Rectification.objects.filter(number=number).exists():
                continue
            raise
    raise ValidationError("编号分配冲突，请重试。", code="number")


#: Working days to put right what an inspection found, unless told otherwise [I]: the 2021
#: 监督检查管理办法 says 责令限期改正 without a general time limit; 10 working days is this
#: code's reading (about two calendar weeks), stated on the checklist page.
INSPECTION_WORKING_DAYS = 10


def rectification_from_inspection(
    *,
    inspection: Inspection,
    owner_unit: ResponsibleUnit,
    title: str,
    description: str,
    actor: Any,
    working_days: int = INSPECTION_WORKING_DAYS,
) -> Rectification:
    """What an inspection found at a food business put on the ledger (source 监督检查): linked
    to the inspection and its operator (so the operator file lists it), owned by
    ``owner_unit`` (the unit that regulates the operator and checks the correction), counted
    from the inspection's date. The office and inspectors may do this (inspectors record the
    inspections); one rectification per inspection.

    Raises ``PermissionDenied`` for anyone else; ``ValidationError`` when the inspection has
    one already, or for the checks of :func:`rectification_create`.
    """
    if not (is_office(actor) or is_inspector(actor)):
        raise PermissionDenied("只有创城办和监管人员可以为监督检查发现的问题登记整改")
    if Rectification.objects.filter(inspection=inspection).exists():
        raise ValidationError(
            f"检查 {inspection.inspection_number} 已登记整改事项。", code="duplicate"
        )
    return _create(
        title=title,
        owner_unit=owner_unit,
        source=Source.INSPECTION,
        working_days=working_days,
        actor=actor,
        description=description,
        created_on=inspection.inspected_on,
        business=inspection.business,
        inspection=inspection,
    )


def _owner_and_partners(
    spec: ProgrammeSpec, item_number: int, indicator_code: str = ""
) -> tuple[str, list[str]]:
    """The owner unit code of a failed indicator and the other units' codes of its item.

    Owner: the indicator's own ``lead_unit`` if the spec names one (区市场监管局 for the
    term-start school checks of item 5), else the item's lead unit (牵头) if the plan names
    one, else the first unit the plan lists that is not a collective entry (各街道办事处,
    各成员单位), else the first unit.
    """
    units = spec.item(item_number).units
    own = [i.lead_unit for i in spec.indicators if i.code == indicator_code and i.lead_unit]
    if own:
        return own[0], [u.unit for u in units if u.unit != own[0]]
    lead = [u.unit for u in units if u.role == "lead"]
    individual = [u.unit for u in units if not spec.unit(u.unit).collective]
    owner = (lead or individual or [units[0].unit])[0]
    return owner, [u.unit for u in units if u.unit != owner]


def rectification_from_indicator(
    *,
    scorecard: Scorecard,
    indicator_code: str,
    spec: ProgrammeSpec,
    actor: Any,
    working_days: int = DEFAULT_WORKING_DAYS,
    created_on: date | None = None,
) -> tuple[Rectification, bool]:
    """One click from a failed (未达标) indicator of ``scorecard``: a rectification with source
    指标未达标, prefilled with the indicator, its value, target and gap text, the org unit and
    period, linked to the task item and the indicator code.

    One rectification per click, owned by one unit (see :func:`_owner_and_partners`: the lead
    unit, else the first individual unit the plan lists); the item's other responsible units
    are named in the description as cooperating units (配合单位). A second click while an
    unclosed rectification of the same indicator, org unit and owner exists creates nothing and
    returns that one: ``(rectification, created)``.

    Raises ``PermissionDenied`` unless ``actor`` is the office; ``ValidationError`` if the
    indicator is not in the scorecard, is not 未达标, or its owner unit has not been loaded
    (run ``foodsafe loadprogramme``).
    """
    if not is_office(actor):
        raise PermissionDenied("只有创城办可以从指标生成整改事项")
    try:
        indicator = scorecard.indicator(indicator_code)
    except KeyError:
        raise ValidationError(f"没有指标 {indicator_code!r}", code="indicator") from None
    if indicator.status is not Status.NOT_MET:
        raise ValidationError(
            f"指标“{indicator.name}”当前为“{indicator.status_zh}”，只有未达标的指标可以生成整改事项。",
            code="status",
        )
    owner_code, partner_codes = _owner_and_partners(spec, indicator.item, indicator.code)
    units = {u.code: u for u in ResponsibleUnit.objects.filter(code__in=[owner_code])}
    if owner_code not in units:
        raise ValidationError(
            f"责任单位 {spec.unit(owner_code).name} 尚未载入，请先运行 foodsafe loadprogramme。",
            code="unit",
        )
    owner = units[owner_code]
    org_unit = OrgUnit.objects.filter(code=scorecard.org_unit.code).first()
    existing = (
        Rectification.objects.filter(
            indicator_code=indicator.code,
            org_unit=org_unit,
            owner_unit=owner,
        )
        .exclude(state=State.CLOSED)
        .first()
    )
    if existing is not None:
        return existing, False
    item = TaskItem.objects.filter(
        programme__code=spec.programme.code,
        programme__version=spec.programme.version,
        number=indicator.item,
    ).first()
    gap = indicator.gap.text_zh if indicator.gap else ""
    value = "无数据" if indicator.value is None else f"{indicator.value.normalize():f}"
    lines = [
        f"指标：{indicator.name}（第 {indicator.item} 项任务）",
        f"区划：{scorecard.org_unit.name}（{scorecard.org_unit.code}）",
        f"期间：{scorecard.period.label}，数据截至 {scorecard.as_of.isoformat()}",
        f"数值：{value} {indicator.unit_zh}；目标：{indicator.target}",
    ]
    if gap:
        lines.append(f"差距：{gap}")
    lines.append(f"责任单位：{'、'.join(indicator.responsible_units)}")
    if partner_codes:
        lines.append(f"配合单位：{'、'.join(spec.unit(c).name for c in partner_codes)}")
    title = f"{scorecard.org_unit.name}{indicator.name}未达标" + (f"：{gap}" if gap else "")
    rectification = rectification_create(
        title=title,
        owner_unit=owner,
        source=Source.SCORECARD,
        working_days=working_days,
        actor=actor,
        item=item,
        indicator_code=indicator.code,
        org_unit=org_unit,
        description="\n".join(lines),
        created_on=created_on,
    )
    return rectification, True


def rectification_transition(
    *, rectification: Rectification, to_state: str, actor: Any, note: str = ""
) -> Rectification:
    """Move ``rectification`` to ``to_state`` along the state machine of
    :mod:`foodsafe.rectification.rules`, recording a RectificationEvent (from → to, actor,
    note) and the history row in the same transaction.

    Checks beyond the role: → submitted needs evidence on the rectification that is not
    rejected; → closed (销号) needs APPROVED evidence on the rectification and an actor who is
    not a member of the owner unit, and sets ``closed_on`` (today) and ``verified_by``;
    → sent_back needs a note.

    Raises ``ValidationError`` for a transition the state machine does not have (e.g. open →
    closed) or a missing precondition, ``PermissionDenied`` when ``actor`` may not make it.
    """
    note = (note or "").strip()
    with transaction.atomic():
        locked = (
            Rectification.objects.select_for_update()
            .select_related("owner_unit")
            .get(pk=rectification.pk)
        )
        from_state = locked.state
        if (from_state, to_state) not in rules.TRANSITIONS:
            raise ValidationError(
                f"整改事项不能从“{State(from_state).label}”变为“{_label(to_state)}”。",
                code="transition",
            )
        if not rules.may_transition(actor, locked, to_state):
            raise PermissionDenied("您没有权限执行这一步")
        evidence = locked.evidence.all()
        if (
            to_state == State.SUBMITTED
            and not evidence.exclude(status=ReviewStatus.REJECTED).exists()
        ):
            raise ValidationError("请先上传整改佐证材料，再提交销号。", code="evidence")
        if to_state == State.CLOSED:
            if Profile.objects.filter(user=actor, responsible_unit=locked.owner_unit).exists():
                raise PermissionDenied("责任单位人员不能核验本单位的整改事项")
            if not evidence.filter(status=ReviewStatus.APPROVED).exists():
                raise ValidationError(
                    "销号须有审核通过的整改佐证材料，请先审核材料。", code="evidence"
                )
            locked.closed_on = timezone.localdate()
            locked.verified_by = actor
        if to_state == State.SENT_BACK and not note:
            raise ValidationError("退回须写明理由。", code="note")
        locked.state = to_state
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["state", "closed_on", "verified_by"])
        _event(locked, from_state=from_state, actor=actor, note=note)
    return locked


def _label(state: str) -> str:
    try:
        return str(State(state).label)
    except ValueError:
        return state


def rectification_update_measures(
    *, rectification: Rectification, measures: str, actor: Any
) -> Rectification:
    """Write the rectification measures (整改措施) as the owner unit or the office, while the
    rectification is not closed. History row in the same transaction.

    Raises ``PermissionDenied`` for anyone else, ``ValidationError`` once it is closed.
    """
    if not (rules.is_owner(actor, rectification) or is_office(actor)):
        raise PermissionDenied("只有责任单位和创城办可以填写整改措施")
    with transaction.atomic():
        locked = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if locked.state == State.CLOSED:
            raise ValidationError("已销号的整改事项不能再修改。", code="closed")
        locked.measures = (measures or "").strip()
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["measures"])
    return locked


def _deadlines_touching(calendar: Calendar, year: int) -> Iterator[tuple[Rectification, Deadline]]:
    """Every rectification whose count may touch ``year`` (deadline on or after its 1 January,
    created by its 31 December), closed ones too (whether they closed in time depends on it),
    with its deadline counted by ``calendar``."""
    rows = Rectification.objects.filter(
        deadline__gte=date(year, 1, 1), created_on__lte=date(year, 12, 31)
    ).order_by("pk")
    for rect in rows.iterator(chunk_size=500):
        yield rect, calendar.add_workdays(rect.created_on, rect.working_days)


def rectifications_recompute_deadlines(
    *, calendar: Calendar, year: int, actor: Any
) -> tuple[int, int]:
    """Deadline holder for :mod:`foodsafe.workdays.registry`: recompute the deadline
    (``created_on`` + ``working_days`` working days) of every rectification whose count may
    touch ``year``. Returns ``(recomputed, changed)``.
    """
    recomputed = changed = 0
    for rect, new in _deadlines_touching(calendar, year):
        recomputed += 1
        if (new.date, new.provisional) != (rect.deadline, rect.deadline_provisional):
            changed += 1
        rect.deadline = new.date
        rect.deadline_provisional = new.provisional
        rect.deadline_calendar_revision = new.revision
        rect._history_user = actor  # type: ignore[attr-defined]
        rect.save(update_fields=["deadline", "deadline_provisional", "deadline_calendar_revision"])
    return recomputed, changed


def rectifications_preview_deadlines(*, calendar: Calendar, year: int) -> list[DeadlineChange]:
    """The dry run of :func:`rectifications_recompute_deadlines`: the deadlines that would
    change (date or 暂定 mark), old → new; writes nothing."""
    return [
        DeadlineChange(
            kind=gettext("整改事项"),
            number=rect.number,
            deadline=gettext("整改期限"),
            old=rect.deadline,
            old_provisional=rect.deadline_provisional,
            new=new.date,
            new_provisional=new.provisional,
        )
        for rect, new in _deadlines_touching(calendar, year)
        if (new.date, new.provisional) != (rect.deadline, rect.deadline_provisional)
    ]


#: Rectification states in which the owner unit may still add evidence.
UPLOAD_STATES = (State.OPEN, State.IN_PROGRESS, State.SENT_BACK)


def rectification_evidence_upload(
    *, rectification: Rectification, title: str, uploaded_file: UploadedFile, actor: Any
) -> Evidence:
    """Archive ``uploaded_file`` as evidence that ``rectification`` was put right (整改佐证).

    Same file checks as :func:`foodsafe.evidence.services.evidence_upload`. Allowed for the owner unit's users and the
    office while the rectification is open, in progress or sent back.

    Raises ``PermissionDenied`` for anyone else; ``ValidationError`` for a bad file or title or
    a rectification that is submitted or closed.
    """
    owner = rules.is_owner(actor, rectification)
    if not (owner or is_office(actor)):
        raise PermissionDenied("只有责任单位和创城办可以上传整改佐证材料")
    if rectification.state not in UPLOAD_STATES:
        raise ValidationError(
            f"整改事项处于“{rectification.get_state_display()}”状态，不能再上传材料。", code="state"
        )
    evidence = Evidence(
        rectification=rectification, requirement="", title=evidence_title_clean(title)
    )
    return evidence_store(evidence, uploaded_file, actor=actor)
