"""不合格 核查处置: deadlines worked by hand across 2021's Mid-Autumn and National Day holidays
(time frozen), the steps, reminders, overdue supervision and closing with evidence.

2021 arrangement (国办发明电〔2020〕27号): 中秋 19–21 September off, Saturday 18 September
worked; 国庆 1–7 October off, Sunday 26 September and Saturday 9 October worked.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from foodsafe.samplingplan.disposal import (
    DisposalError,
    disposal_close,
    disposal_extend,
    disposal_open,
    disposal_serve,
    disposal_step_complete,
)
from foodsafe.samplingplan.in_force import sampling_plan_spec
from foodsafe.samplingplan.models import Disposal
from foodsafe.samplingplan.selectors import disposal_reminders
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory, SamplingBatchFactory

SPEC = sampling_plan_spec()


@pytest.fixture
def failed(district):
    business = FoodBusinessFactory(org_unit_id=SUB_A, sector="sales", business_format="supermarket")
    return SamplingBatchFactory(
        org_unit_id=SUB_A,
        business=business,
        conclusion="nonconforming",
        sampled_on=date(2021, 9, 1),
        reported_on=date(2021, 9, 23),  # Thursday
    )


@time_machine.travel("2021-10-20 10:00 +0800", tick=False)
def test_deadlines_across_the_holidays(failed, office_admin):
    disposal = disposal_open(batch=failed, spec=SPEC, actor=office_admin)
    # Serve within 5 working days of Thu 23 Sep: Fri 24 (1), Sun 26 worked (2), Mon 27 (3),
    # Tue 28 (4), Wed 29 (5).
    assert disposal.serve_due_on == date(2021, 9, 29)
    # 核查处置 within 90 days of the report: 23 Sep + 90 days = 22 Dec (7 + 31 + 30 + 22).
    assert disposal.close_due_on == date(2021, 12, 22)
    assert not disposal.provisional

    steps = {s.code: s for s in disposal_serve(
        disposal=disposal, served_on=date(2021, 9, 30), spec=SPEC, actor=office_admin
    )}  # fmt: skip
    # Served Thu 30 Sep; 1–7 Oct off: Fri 8 (1), Sat 9 worked (2), Mon 11 (3), 12 (4), 13 (5),
    # 14 (6), 15 (7), 18 (8), 19 (9), 20 (10), 21 (11), 22 (12), 25 (13), 26 (14), 27 (15).
    assert steps["seal"].due_on == date(2021, 10, 8)  # 1 working day
    assert steps["notify"].due_on == date(2021, 10, 11)  # 3
    assert steps["inform"].due_on == date(2021, 10, 13)  # 5
    assert steps["retest"].due_on == date(2021, 10, 15)  # 复检 7 (食品安全法 第八十八条)
    assert steps["recall"].due_on == date(2021, 10, 20)  # 10
    assert steps["case"].due_on == date(2021, 10, 27)  # 立案 15
    assert [s.party for s in steps.values()].count("department") == 3


@time_machine.travel("2021-10-20 10:00 +0800", tick=False)
def test_reminders_and_overdue(failed, office_admin):
    disposal = disposal_open(batch=failed, spec=SPEC, actor=office_admin)
    disposal_serve(disposal=disposal, served_on=date(2021, 9, 30), spec=SPEC, actor=office_admin)
    for code in ("seal", "stop", "notify", "inform"):
        step = disposal.steps.get(code=code)
        disposal_step_complete(step=step, done_on=date(2021, 10, 8), outcome="已完成", actor=None)
    reminders = disposal_reminders(spec=SPEC, on=date(2021, 10, 20))
    # On Wed 20 Oct, reminding 2 working days ahead (to Fri 22): 溯源 and 召回 are due today
    # (not overdue yet); nothing is past its deadline; windows (复检 15 Oct) are not tasks.
    assert [(r.title, r.due_on, r.overdue) for r in reminders] == [
        ("召回已上市销售的不合格食品", date(2021, 10, 20), False),
        ("溯源和流向核查", date(2021, 10, 20), False),
    ]
    later = disposal_reminders(spec=SPEC, on=date(2021, 10, 21))
    assert {r.title for r in later if r.overdue} == {"召回已上市销售的不合格食品", "溯源和流向核查"}


@time_machine.travel("2021-12-01 10:00 +0800", tick=False)
def test_close_needs_every_task_and_evidence_and_writes_the_ledger(failed, office_admin):
    disposal = disposal_open(batch=failed, spec=SPEC, actor=office_admin)
    disposal_serve(disposal=disposal, served_on=date(2021, 9, 30), spec=SPEC, actor=office_admin)
    with pytest.raises(DisposalError, match="尚未完成：.*封存不合格食品"):
        disposal_close(disposal=disposal, closed_on=date(2021, 11, 30), evidence="报告", actor=None)
    for step in disposal.steps.all():
        outcome = "未申请" if step.kind == "window" else "已完成"
        disposal_step_complete(step=step, done_on=date(2021, 11, 1), outcome=outcome, actor=None)
    with pytest.raises(DisposalError, match="证明材料"):
        disposal_close(disposal=disposal, closed_on=date(2021, 11, 30), evidence=" ", actor=None)
    disposal_close(
        disposal=disposal, closed_on=date(2021, 11, 30), evidence="处置报告、召回记录", actor=office_admin
    )  # fmt: skip
    failed.refresh_from_db()
    assert failed.disposal_completed_on == date(2021, 11, 30)
    # The ledger change is audited with the acting user.
    changed = failed.history.get(disposal_completed_on=date(2021, 11, 30))
    assert changed.history_user == office_admin
    assert Disposal.objects.get().state == "closed"
    with pytest.raises(DisposalError, match="已办结"):
        disposal_close(disposal=disposal, closed_on=date(2021, 11, 30), evidence="x", actor=None)


@time_machine.travel("2021-10-20 10:00 +0800", tick=False)
def test_refusals(failed, office_admin):
    ok = SamplingBatchFactory(org_unit_id=SUB_A, conclusion="conforming")
    with pytest.raises(DisposalError, match="不是不合格"):
        disposal_open(batch=ok, spec=SPEC, actor=None)
    disposal = disposal_open(batch=failed, spec=SPEC, actor=None)
    with pytest.raises(DisposalError, match="已在核查处置中"):
        disposal_open(batch=failed, spec=SPEC, actor=None)
    with pytest.raises(DisposalError, match="晚于今天"):
        disposal_serve(disposal=disposal, served_on=date(2021, 10, 21), spec=SPEC, actor=None)
    with pytest.raises(DisposalError, match="早于报告日期"):
        disposal_serve(disposal=disposal, served_on=date(2021, 9, 22), spec=SPEC, actor=None)
    with pytest.raises(DisposalError, match="应晚于现期限 2021-12-22"):
        disposal_extend(disposal=disposal, until=date(2021, 12, 1), reason="x", actor=None)
    disposal_extend(disposal=disposal, until=date(2022, 1, 31), reason="批准文书 第1号", actor=None)
    assert Disposal.objects.get().extended_to == date(2022, 1, 31)
