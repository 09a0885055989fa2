"""Writes of the sampling plan: generating (preview), saving a new version, adding special
lines by hand. Each write and its history rows (django-simple-history, with the acting user)
happen in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from foodsafe.orgunits.models import OrgUnit
from foodsafe.sampling.categories import category_tree
from foodsafe.sampling.models import Stage

from .allocate import Floor, Line, Totals, allocate_with_floor, targets, totals
from .inputs import PlanInputError, plan_inputs
from .models import PlanLine, SamplingPlan
from .spec import SamplingPlanSpec


class PlanError(ValueError):
    """A plan that cannot be generated or changed; the message says why (in Chinese)."""


@dataclass(frozen=True)
class Preview:
    """A generated plan before it is saved: its lines, the totals they reach, the targets."""

    org: OrgUnit
    year: int
    lines: list[Line]
    totals: Totals
    target_total: int
    target_residue: int
    inputs: dict[str, Any]
    #: Why the total is above ``target_total`` when the cell minimum forces it.
    floor: Floor


def plan_preview(*, spec: SamplingPlanSpec, org_code: str, year: int) -> Preview:
    """Generate ``org_code``'s plan for ``year`` without saving it (:mod:`.allocate`).

    Raises :class:`PlanError` for an unknown unit, or no population or operators.
    """
    org = OrgUnit.objects.filter(code=org_code).first()
    if org is None:
        raise PlanError(f"未知的区划代码 {org_code!r}")
    try:
        inputs, record = plan_inputs(spec, org_code, year)
    except PlanInputError as exc:
        raise PlanError(str(exc)) from None
    lines, floor = allocate_with_floor(spec, category_tree(), inputs)
    n_total, n_residue = targets(spec, inputs.population)
    return Preview(
        org,
        year,
        lines,
        totals(lines, inputs.population, inputs.cells),
        n_total,
        n_residue,
        record,
        floor,
    )


def plan_save(
    *, spec: SamplingPlanSpec, preview: Preview, actor: Any, note: str = ""
) -> SamplingPlan:
    """Save ``preview`` as the next version of its unit's plan for its year (the version in
    force from now on); earlier versions stay as they were."""
    with transaction.atomic():
        last = (
            SamplingPlan.objects.select_for_update()
            .filter(org_unit=preview.org, year=preview.year)
            .aggregate(v=Max("version"))["v"]
            or 0
        )
        version = last + 1
        plan = SamplingPlan(
            number=f"CJ-{preview.org.code}-{preview.year}-v{version}",
            org_unit=preview.org,
            year=preview.year,
            version=version,
            spec_label=spec.label[:60],
            spec_sha256=spec.sha256,
            inputs=preview.inputs,
            population=preview.inputs["population"],
            note=note[:400],
            created_by=actor,
            created_at=timezone.now(),
        )
        plan._history_user = actor  # type: ignore[attr-defined]
        plan.save()
        bulk_create_with_history(
            [
                PlanLine(
                    plan=plan,
                    category_code=line.category_code,
                    stage=line.stage,
                    business_format=line.business_format,
                    month_from=line.month_from,
                    month_to=line.month_to,
                    batches=line.batches,
                    residue=line.residue,
                    special=line.special,
                )
                for line in preview.lines
            ],
            PlanLine,
            default_user=actor,
        )
    return plan


def plan_line_add(
    *,
    plan: SamplingPlan,
    special: str,
    category_code: str,
    stage: str,
    business_format: str,
    month_from: int,
    month_to: int,
    batches: int,
    residue: bool = False,
    actor: Any,
) -> PlanLine:
    """Add a special line by hand (两节, 校园周边…) to a saved plan.

    Raises :class:`PlanError` for an unknown category or stage, bad months, no batches, a
    residue line outside the residue-bearing categories, or a plan that is not the latest
    version (edit the plan in force).
    """
    tree = category_tree()
    if not special.strip():
        raise PlanError("专项名称不能为空")
    if category_code not in tree.nodes:
        raise PlanError(f"食品分类中没有编码 {category_code}")
    if stage not in Stage.values:
        raise PlanError(f"未知的环节 {stage}")
    if not 1 <= month_from <= month_to <= 12:
        raise PlanError("月份应在 1–12 之间，且起始月不晚于截止月")
    if batches < 1:
        raise PlanError("批次应至少为 1")
    if residue and not tree.residue_bearing(category_code):
        raise PlanError(f"{tree.name_of(category_code)} 下没有带农药兽药残留项目的细类")
    latest = (
        SamplingPlan.objects.filter(org_unit__code=plan.org_unit_id, year=plan.year)
        .order_by("-version")
        .first()
    )
    if latest is None or latest.pk != plan.pk:
        raise PlanError("只能修改现行版本的计划")
    with transaction.atomic():
        line = PlanLine(
            plan=plan,
            category_code=category_code,
            stage=stage,
            business_format=business_format,
            month_from=month_from,
            month_to=month_to,
            batches=batches,
            residue=residue,
            special=special.strip()[:60],
        )
        line._history_user = actor  # type: ignore[attr-defined]
        line.save()
    return line
