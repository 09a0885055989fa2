"""不合格 核查处置 as a workflow (食品安全抽样检验管理办法, RULES.md §3).

A failed batch (检验结论 不合格 with a report date) is opened as a :class:`Disposal`: the
department serves the report on the operator within the spec's working days (about 第二十九条
[M]); from service each step gets its deadline in Chinese working days (复检 and 异议 windows,
the operator's 封存 / 停止经营 / 通知 / 召回 / 整改 / 报告, the department's 溯源 / 立案 / 通报);
the whole 核查处置 is due 90 days after the report (第四十五条 [M]) unless an extension is
approved in writing; it is closed with evidence, which writes the batch's
``disposal_completed_on`` in the same transaction. Deadlines come from
:mod:`foodsafe.workdays`; a deadline counted through a year with no holiday arrangement loaded
is marked provisional (暂定).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from foodsafe.sampling.models import Conclusion, SamplingBatch
from foodsafe.workdays.calendar import Calendar, current_calendar

from .in_force import closing_limit
from .models import Disposal, DisposalState, DisposalStep
from .spec import SamplingPlanSpec


class DisposalError(ValueError):
    """A disposal change that cannot be made; the message says why (in Chinese)."""


def _saved(obj: Any, actor: Any, **kwargs: Any) -> None:
    obj._history_user = actor
    obj.save(**kwargs)


def close_due(spec: SamplingPlanSpec, reported_on: date, calendar: Calendar) -> tuple[date, bool]:
    """The 核查处置 deadline: the closing limit's calendar days after the report (第四十五条,
    90 日 [M]; one source, ``in_force.closing_limit``), or its working days when a programme
    without the indicator leaves the sampling-plan spec's ``close.workdays``. Raises
    ``SamplingPlanSpecError`` when the two specs disagree."""
    limit = closing_limit(spec)
    if limit.workdays is not None:
        d = calendar.add_workdays(reported_on, limit.workdays)
        return d.date, d.provisional
    return reported_on + timedelta(days=limit.days or 0), False


def disposal_open(*, batch: SamplingBatch, spec: SamplingPlanSpec, actor: Any) -> Disposal:
    """Open the 核查处置 of a failed batch: the service deadline is ``serve.workdays`` working
    days after the report date, the closing deadline ``close`` after it.

    Raises :class:`DisposalError` for a batch that is not 不合格, has no report date, or is
    already open.
    """
    if batch.conclusion != Conclusion.NONCONFORMING:
        raise DisposalError(f"{batch.sample_number} 的检验结论不是不合格，无需核查处置")
    if batch.reported_on is None:
        raise DisposalError(f"{batch.sample_number} 没有报告日期，无法计算送达期限")
    if Disposal.objects.filter(batch=batch).exists():
        raise DisposalError(f"{batch.sample_number} 已在核查处置中")
    calendar = current_calendar()
    serve = calendar.add_workdays(batch.reported_on, spec.disposal.serve.workdays or 0)
    close_on, close_provisional = close_due(spec, batch.reported_on, calendar)
    with transaction.atomic():
        disposal = Disposal(
            batch=batch,
            business_id=batch.business_id,
            org_unit_id=batch.org_unit_id,
            reported_on=batch.reported_on,
            serve_due_on=serve.date,
            close_due_on=close_on,
            provisional=serve.provisional or close_provisional,
            spec_label=spec.label[:60],
            created_at=timezone.now(),
        )
        _saved(disposal, actor)
    return disposal


def disposal_serve(
    *, disposal: Disposal, served_on: date, spec: SamplingPlanSpec, actor: Any
) -> list[DisposalStep]:
    """Record that the 不合格 report and 结果通知书 were served on ``served_on`` and create the
    steps, each due ``workdays`` working days after service (复检申请 7 个工作日, 食品安全法
    第八十八条; the others as the spec says, tagged there).

    Raises :class:`DisposalError` when already served, before the report, or in the future.
    """
    if disposal.served_on is not None:
        raise DisposalError("已登记送达")
    if served_on < disposal.reported_on:
        raise DisposalError("送达日期不能早于报告日期")
    if served_on > timezone.localdate():
        raise DisposalError("送达日期不能晚于今天")
    calendar = current_calendar()
    steps = []
    provisional = disposal.provisional
    for position, step in enumerate(spec.disposal.steps, start=1):
        due = calendar.add_workdays(served_on, step.workdays)
        provisional = provisional or due.provisional
        steps.append(
            DisposalStep(
                disposal=disposal,
                code=step.code,
                title=step.title,
                party=step.party,
                kind=step.kind,
                position=position,
                due_on=due.date,
                provisional=due.provisional,
            )
        )
    with transaction.atomic():
        disposal.served_on = served_on
        disposal.provisional = provisional
        _saved(disposal, actor, update_fields=["served_on", "provisional"])
        for row in steps:
            _saved(row, actor)
    return steps


def disposal_step_complete(
    *, step: DisposalStep, done_on: date, outcome: str, actor: Any
) -> DisposalStep:
    """Record a step done on ``done_on`` with its outcome (for a 复检/异议 window: "未申请" or
    what was applied for and decided).

    Raises :class:`DisposalError` when the disposal is closed, the step already done, the
    date before service or in the future, or the outcome empty.
    """
    disposal = step.disposal
    if disposal.state == DisposalState.CLOSED:
        raise DisposalError("核查处置已办结，不能再修改")
    if step.done_on is not None:
        raise DisposalError(f"“{step.title}”已于 {step.done_on} 完成")
    if disposal.served_on is None or done_on < disposal.served_on:
        raise DisposalError("完成日期不能早于送达日期")
    if done_on > timezone.localdate():
        raise DisposalError("完成日期不能晚于今天")
    if not outcome.strip():
        raise DisposalError("请填写结果（如“已封存 120 件”“未申请复检”）")
    with transaction.atomic():
        step.done_on = done_on
        step.outcome = outcome.strip()[:400]
        _saved(step, actor, update_fields=["done_on", "outcome"])
    return step


def disposal_extend(*, disposal: Disposal, until: date, reason: str, actor: Any) -> Disposal:
    """Record a written approval extending the 核查处置 deadline (第四十五条: 延期须书面批准).

    Raises :class:`DisposalError` for a closed disposal, no reason, or a date not after the
    current deadline.
    """
    if disposal.state == DisposalState.CLOSED:
        raise DisposalError("核查处置已办结")
    current = disposal.extended_to or disposal.close_due_on
    if current is not None and until <= current:
        raise DisposalError(f"延期后的期限应晚于现期限 {current}")
    if not reason.strip():
        raise DisposalError("请填写延期理由和批准文书")
    with transaction.atomic():
        disposal.extended_to = until
        disposal.extension_reason = reason.strip()[:400]
        _saved(disposal, actor, update_fields=["extended_to", "extension_reason"])
    return disposal


def disposal_close(*, disposal: Disposal, closed_on: date, evidence: str, actor: Any) -> Disposal:
    """Close (办结) a disposal with its evidence, and write the batch's 核查处置完成日期 in the
    same transaction (the sampling ledger and the scorecard read it there).

    Raises :class:`DisposalError` when not served, a task step is not done, a window is still
    open on ``closed_on`` and not recorded, no evidence, or a date before service or in the
    future.
    """
    if disposal.state == DisposalState.CLOSED:
        raise DisposalError("核查处置已办结")
    if disposal.served_on is None or closed_on < disposal.served_on:
        raise DisposalError("尚未送达，或办结日期早于送达日期")
    if closed_on > timezone.localdate():
        raise DisposalError("办结日期不能晚于今天")
    if not evidence.strip():
        raise DisposalError("办结须附证明材料（处置报告、封存记录、召回记录、立案文书等）")
    open_steps = [
        s.title
        for s in disposal.steps.all()
        if s.done_on is None and (s.kind == "task" or s.due_on >= closed_on)
    ]
    if open_steps:
        raise DisposalError(f"以下步骤尚未完成：{'、'.join(open_steps)}")
    with transaction.atomic():
        disposal.state = DisposalState.CLOSED
        disposal.closed_on = closed_on
        disposal.evidence = evidence.strip()
        _saved(disposal, actor, update_fields=["state", "closed_on", "evidence"])
        batch = SamplingBatch.objects.select_for_update().get(pk=disposal.batch_id)
        batch.disposal_completed_on = closed_on
        _saved(batch, actor, update_fields=["disposal_completed_on"])
    return disposal
