"""The example district's sampling year, made through the real services: the year's plan,
one failure disposed of step by step, and the month's publication lists (示例数据). Run by
``foodsafe sampling-example`` from the demo script; running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from foodsafe.sampling.models import Conclusion, SamplingBatch
from foodsafe.workdays.calendar import current_calendar

from . import disposal as flow
from .models import Disposal, Publication, PublicationKind, SamplingPlan
from .publication import month_bounds, publication_record
from .selectors import plan_in_force
from .services import plan_preview, plan_save
from .spec import SamplingPlanSpec


@dataclass
class ExampleYear:
    plan: SamplingPlan
    disposal: Disposal | None
    publications: list[Publication]


def example_year(*, spec: SamplingPlanSpec, org_code: str, year: int, actor: Any) -> ExampleYear:
    """The plan of ``year`` (saved once), the earliest 不合格 batch reported in the year
    disposed of through the workflow (served 2 working days after the report, each step done
    on its deadline, closed the day after the last), and that month's results and disposal
    lists recorded as published 10 days after the month's end."""
    plan = plan_in_force(org_code, year) or plan_save(
        spec=spec,
        preview=plan_preview(spec=spec, org_code=org_code, year=year),
        actor=actor,
        note="示例数据：按规则生成",
    )
    batch = (
        SamplingBatch.objects.filter(
            org_unit__code__startswith=org_code[:6],
            conclusion=Conclusion.NONCONFORMING,
            reported_on__year=year,
            sampling_type="surveillance",
        )
        .order_by("reported_on", "sample_number")
        .first()
    )
    if batch is None:
        return ExampleYear(plan, None, [])
    disposal = Disposal.objects.filter(batch=batch).first()
    if disposal is None:
        disposal = flow.disposal_open(batch=batch, spec=spec, actor=actor)
    if disposal.served_on is None:
        assert batch.reported_on is not None
        served = current_calendar().add_workdays(batch.reported_on, 2).date
        flow.disposal_serve(disposal=disposal, served_on=served, spec=spec, actor=actor)
    last = disposal.served_on
    for step in disposal.steps.all():
        if step.done_on is None:
            outcome = "未申请" if step.kind == "window" else f"示例：{step.title}已完成"
            flow.disposal_step_complete(
                step=step, done_on=step.due_on, outcome=outcome, actor=actor
            )
        last = max(last or step.due_on, step.due_on)
    if disposal.state == "open" and last is not None:
        flow.disposal_close(
            disposal=disposal,
            closed_on=last + timedelta(days=1),
            evidence="示例：核查处置报告、封存和召回记录、立案审批表",
            actor=actor,
        )
    assert batch.reported_on is not None
    start, end = month_bounds(batch.reported_on)
    records = []
    for kind in (PublicationKind.RESULTS, PublicationKind.DISPOSAL):
        found = Publication.objects.filter(org_unit__code=org_code, month=start, kind=kind).first()
        records.append(
            found
            or publication_record(
                org_code=org_code,
                month=start,
                kind=kind,
                published_on=end + timedelta(days=10),
                where="示例：区市场监管局政府网站“抽检信息”栏目",
                actor=actor,
            )
        )
    disposal.refresh_from_db()
    return ExampleYear(plan, disposal, records)
