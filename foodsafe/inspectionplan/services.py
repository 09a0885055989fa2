"""Writes of the inspection plan: making a plan (with its recorded 双随机 draw), recording the
publication of results, linking an inspector login to the roster.

Each write and its history rows (django-simple-history, with the acting user) happen in one
transaction.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from foodsafe.credit.selectors import credit_levels_in_force
from foodsafe.credit.services import credit_grades_mark_applied
from foodsafe.orgunits.models import OrgUnit, subtree_prefix
from foodsafe.riskgrading.in_force import grading_spec
from foodsafe.scorecard.periods import PeriodError, parse_period
from foodsafe.workforce.models import StaffMember

from .draw import draw_run, stratum_key
from .models import InspectionPlan, InspectorAccount, ItemSource, PlanItem
from .ordering import order_due
from .selectors import Area, dues, plan_progress, planning_area
from .spec import GRADES, UNGRADED, PlanSpec


class PlanError(ValueError):
    """A plan that cannot be made or a change that cannot be recorded; the message says why."""


def _roster(org_code: str, on: date) -> list[StaffMember]:
    """Food inspectors (从事食品安全监管) in post on ``on`` under ``org_code``."""
    return list(
        StaffMember.objects.filter(
            org_unit__code__startswith=subtree_prefix(org_code), is_food_inspector=True
        )
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=on))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .order_by("staff_number")
    )


def plan_create(
    *,
    spec: PlanSpec,
    org_code: str,
    period_code: str,
    actor: Any,
    seed: int | None = None,
) -> InspectionPlan:
    """Make the plan of ``org_code``'s subtree for a month or quarter (``202110``, ``2021Q4``).

    Everyone due by the period's end (from the inspections before its first day) is in, in the
    risk order (:mod:`.ordering`); then a 双随机 draw from the rest at the configured ratios
    (监督检查管理办法 第五条、第二十一条) and an inspector pair per operator (第二十三条), by
    :func:`.draw.draw_run` with ``seed`` (a random one when ``None``). Seed, inputs and result
    are stored on the plan. ``actor`` ``None`` is the command line (office scope).

    Raises :class:`PlanError` (bad period, unknown unit, a plan already made for the unit and
    period) and ``PermissionDenied`` when the actor may not plan for ``org_code``.
    """
    try:
        period = parse_period(period_code)
    except PeriodError as exc:
        raise PlanError(str(exc)) from None
    if period.kind not in ("quarter", "month"):
        raise PlanError(f"计划期应为一个月（202110）或一个季度（2021Q4），而不是 {period_code!r}")
    org = OrgUnit.objects.filter(code=org_code).first()
    if org is None:
        raise PlanError(f"未知的区划代码 {org_code!r}")
    area = Area(everywhere=True) if actor is None else planning_area(actor, spec)
    if not area.contains_unit(org_code):
        raise PermissionDenied
    existing = InspectionPlan.objects.filter(org_unit=org, period=period.code).first()
    if existing is not None:
        raise PlanError(f"{org.name} {period.code} 已有计划 {existing.number}")

    until = period.start - timedelta(days=1)
    everyone = dues(
        spec=spec, area=Area(everywhere=False, codes=(org_code,)), on=period.start, until=until
    )
    due_in = [d for d in everyone if d.due_on <= period.end]
    ordered, rank_reasons, method = order_due(due_in, on=period.start)
    rest = [d for d in everyone if d.due_on > period.end]
    credit = spec.random_inspection.credit
    # 分类监管 (国市监信发〔2022〕6号): with credit applied, each grade's stratum is split by the
    # credit class in force at the period's start, each part drawn at the grade's ratio × the
    # class's factor; operators never classed stay in the grade's own stratum.
    # The classes of everyone the plan covers are its input (those due are all in, the rest
    # drawn by class), so all of them are marked as applied (scorecard item 25).
    credit_of = (
        credit_levels_in_force(
            business_ids=[d.facts.business_id for d in everyone], on=period.start
        )
        if credit.applied
        else {}
    )
    strata: dict[str, list[str]] = {g: [] for g in (*GRADES, UNGRADED)}
    for d in rest:
        key = stratum_key(d.facts.grade or UNGRADED, credit_of.get(d.facts.business_id))
        strata.setdefault(key, []).append(d.facts.registry_number)
    roster = _roster(org_code, period.start)
    by_name: dict[str, list[str]] = {}
    for staff in roster:
        by_name.setdefault(staff.name, []).append(staff.staff_number)
    exclude: dict[str, list[str]] = {}
    if spec.inspectors.exclude_last:
        for d in everyone:
            barred = sorted({n for name in d.facts.last_inspectors for n in by_name.get(name, ())})
            if barred:
                exclude[d.facts.registry_number] = barred
    ratios = {k: str(v) for k, v in spec.random_inspection.annual_ratio.items()}
    for key in strata:
        if ":" in key:
            grade, level = key.split(":")
            factor = next(v for k, v in credit.factor.items() if k == level)
            ratio = spec.random_inspection.annual_ratio[grade] * factor
            ratios[key] = str(min(ratio, Decimal(1)))
    inputs: dict[str, Any] = {
        "period": period.code,
        "months": period.months,
        "as_of": period.start.isoformat(),
        "history_until": until.isoformat(),
        "due": [d.facts.registry_number for d in ordered],
        "strata": {k: sorted(v) for k, v in strata.items()},
        "ratios": ratios,
        "credit_applied": credit.applied,
        "roster": [s.staff_number for s in roster],
        "exclude": exclude,
        "per_inspection": spec.inspectors.per_inspection,
    }
    seed = secrets.randbelow(2**31) if seed is None else seed
    result = draw_run(inputs, seed)

    by_number = {d.facts.registry_number: d for d in everyone}
    staff_by_number = {s.staff_number: s for s in roster}
    now = timezone.now()
    with transaction.atomic():
        plan = InspectionPlan(
            number=f"JH-{org_code}-{period.code}",
            org_unit=org,
            period=period.code,
            starts_on=period.start,
            ends_on=period.end,
            spec_label=spec.label,
            grading_label=grading_spec().label,
            seed=seed,
            draw={"inputs": inputs, "result": result},
            order_method=method[:200],
            created_by=actor,
            created_at=now,
        )
        plan._history_user = actor  # type: ignore[attr-defined]
        plan.save()
        items = []
        for position, number in enumerate([*inputs["due"], *result["random"]], start=1):
            d = by_number[number]
            random_pick = position > len(inputs["due"])
            items.append(
                PlanItem(
                    plan=plan,
                    business_id=d.facts.business_id,
                    source=ItemSource.RANDOM if random_pick else ItemSource.DUE,
                    position=position,
                    grade=d.facts.grade,
                    due_on=d.due_on,
                    reason=(
                        f"双随机抽取（{d.facts.grade or '未定级'}"
                        + (
                            f"，信用 {credit_of[d.facts.business_id]} 类）"
                            if d.facts.business_id in credit_of
                            else "）"
                        )
                        if random_pick
                        else d.reason.text
                    )[:400],
                    rank_reasons=rank_reasons.get(d.facts.business_id, "")[:400],
                )
            )
        if credit_of:
            credit_grades_mark_applied(
                levels_of=credit_of, on=period.start, plan_number=plan.number
            )
        created = bulk_create_with_history(items, PlanItem, default_user=actor)
        if not all(i.pk for i in created):  # SQLite before 3.35 gives no ids back
            created = list(plan.items.order_by("position"))
        ids = {i.business_id: i for i in created}
        for number, staff_numbers in result["pairs"].items():
            item = ids[by_number[number].facts.business_id]
            item._history_user = actor  # type: ignore[attr-defined]
            item.inspectors.set([staff_by_number[s] for s in staff_numbers])
    return plan


def plan_results_publish(
    *, plan: InspectionPlan, item_ids: list[int], on: date, spec: PlanSpec, actor: Any
) -> int:
    """Record that the results of ``item_ids`` were published (公开) on ``on``
    (监督检查管理办法 第三十九条). Only items to be published whose inspection is done and not yet
    recorded as published are changed; returns how many. ``on`` may not be in the future.

    Raises :class:`PlanError` for a future date or an item that cannot be published.
    """
    if on > timezone.localdate():
        raise PlanError("公开日期不能晚于今天")
    progress = {p.item.pk: p for p in plan_progress(plan, spec=spec)}
    chosen = []
    for pk in item_ids:
        p = progress.get(pk)
        if p is None or p.item.source not in spec.publication.sources:
            raise PlanError(f"第 {pk} 项不在本计划的公开范围内")
        if not p.done:
            raise PlanError(f"{p.item.business.name} 尚未检查，不能公开结果")
        assert p.inspection is not None
        if on < p.inspection.inspected_on:
            raise PlanError(f"{p.item.business.name} 的公开日期早于检查日期")
        if p.item.published_on is None:
            chosen.append(p.item)
    with transaction.atomic():
        for item in chosen:
            item.published_on = on
            item._history_user = actor  # type: ignore[attr-defined]
            item.save(update_fields=["published_on"])
    return len(chosen)


def inspector_account_link(*, user: Any, staff: StaffMember, actor: Any) -> InspectorAccount:
    """Link an inspector login to its roster entry (监管人员), replacing an earlier link."""
    with transaction.atomic():
        account = InspectorAccount.objects.filter(user=user).first() or InspectorAccount(user=user)
        account.staff = staff
        account._history_user = actor  # type: ignore[attr-defined]
        account.save()
    return account
