"""Ledgers of regulatory work: inspections, sampling, cases, complaints, reports, incidents."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from foodsafe.complaints.models import ComplaintKind, Decision
from foodsafe.complaints.services import complaint_deadlines
from foodsafe.incidents.models import IncidentKind, Severity
from foodsafe.inspections.models import InspectionResult, InspectionType
from foodsafe.registry.models import BusinessFormat
from foodsafe.sampling.models import (
    Conclusion,
    Department,
    SamplingType,
    Stage,
    TestItemCategory,
)

from .base import (
    BOOL,
    DATE,
    Column,
    Dec,
    Int,
    Ledger,
    Ref,
    RuleError,
    enum,
    not_before,
    requires,
)
from .places import BUSINESS, ORG_UNIT

INSPECTIONS = Ledger(
    name="inspections",
    title="监督检查",
    model="inspections.Inspection",
    columns=(
        Column("检查编号", "inspection_number", required=True),
        Column("登记编号", "business", BUSINESS, required=True),
        Column("检查日期", "inspected_on", DATE, required=True),
        Column("检查类型", "inspection_type", enum(InspectionType), required=True),
        Column("全项目检查", "full_checklist", BOOL),
        Column("检查结果", "result", enum(InspectionResult)),
        Column("得分", "score", Int(min_value=0, max_value=100)),
        Column("检查人员", "inspectors"),
    ),
    key=("inspection_number",),
)

FINDINGS = Ledger(
    name="findings",
    title="检查发现问题",
    model="inspections.Finding",
    columns=(
        Column(
            "检查编号",
            "inspection",
            Ref(model="inspections.Inspection", key="inspection_number"),
            required=True,
        ),
        Column("问题描述", "description", required=True),
        Column("风险类别", "risk_category"),
    ),
    # The model has no number of its own: a finding is its inspection and its wording.
    key=("inspection", "description"),
)

SAMPLING = Ledger(
    name="sampling",
    title="抽检批次",
    model="sampling.SamplingBatch",
    columns=(
        Column("抽样单编号", "sample_number", required=True),
        Column("抽样日期", "sampled_on", DATE, required=True),
        Column("区划代码", "org_unit", ORG_UNIT, required=True),
        Column("登记编号", "business", BUSINESS),
        Column("抽检类型", "sampling_type", enum(SamplingType), required=True),
        Column("环节", "stage", enum(Stage), required=True),
        Column("业态", "business_format", enum(BusinessFormat), required=True),
        Column("食品大类", "food_category", required=True),
        Column("样品名称", "food_name"),
        Column("组织部门", "department", enum(Department)),
        Column("检验结论", "conclusion", enum(Conclusion), required=True),
        Column("报告日期", "reported_on", DATE),
        Column("公开日期", "published_on", DATE),
        Column("核查处置完成日期", "disposal_completed_on", DATE),
    ),
    key=("sample_number",),
    rules=(
        not_before("reported_on", "sampled_on"),
        not_before("published_on", "sampled_on"),
        not_before("disposal_completed_on", "sampled_on"),
    ),
)

TEST_ITEMS = Ledger(
    name="test_items",
    title="检验项目",
    model="sampling.TestItem",
    columns=(
        Column(
            "抽样单编号",
            "batch",
            Ref(model="sampling.SamplingBatch", key="sample_number"),
            required=True,
        ),
        Column("检验项目", "name", required=True),
        Column("项目类别", "category", enum(TestItemCategory)),
        Column("检验结果", "result_value"),
        Column("标准值", "standard_value"),
        Column("是否合格", "conforming", BOOL),
    ),
    key=("batch", "name"),
)

CASES = Ledger(
    name="cases",
    title="执法案件",
    model="enforcement.Case",
    columns=(
        Column("案件编号", "case_number", required=True),
        Column("区划代码", "org_unit", ORG_UNIT, required=True),
        Column("登记编号", "business", BUSINESS),
        Column("线索接收日期", "lead_received_on", DATE, required=True),
        Column("应立案", "should_file", BOOL),
        Column("立案日期", "filed_on", DATE),
        Column("办结日期", "closed_on", DATE),
        Column("罚没金额（元）", "penalty_amount", Dec(min_value=Decimal(0))),
        Column("处罚到人", "individual_penalty", BOOL),
        Column("移送公安", "criminal_referral", BOOL),
    ),
    key=("case_number",),
    rules=(
        not_before("filed_on", "lead_received_on"),
        requires("closed_on", "filed_on"),
        not_before("closed_on", "filed_on"),
    ),
)


def _decision_dates(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    decision = values.get("decision") or Decision.PENDING
    decided_on = values.get("decided_on")
    if decision != Decision.PENDING and decided_on is None:
        label = Decision(decision).label
        return [("decided_on", f"受理决定为“{label}”时，{headers['decided_on']}不能为空")]
    if decision == Decision.PENDING and decided_on is not None:
        return [("decided_on", "受理决定为“待决定”时不应填写决定日期")]
    if decision == Decision.REFUSED and values.get("suspended_working_days"):
        return [("suspended_working_days", "不予受理的投诉不应有不计入的工作日")]
    return []


def _complaint_deadlines(values: Mapping[str, Any]) -> dict[str, Any]:
    try:
        acceptance_due_on, closing_due_on = complaint_deadlines(
            received_on=values["received_on"],
            decision=values.get("decision") or Decision.PENDING,
            decided_on=values.get("decided_on"),
            suspended_working_days=values.get("suspended_working_days") or 0,
        )
    except ValueError as exc:
        raise RuleError("received_on", f"无法计算办理期限：{exc}") from exc
    return {"acceptance_due_on": acceptance_due_on, "closing_due_on": closing_due_on}


COMPLAINTS = Ledger(
    name="complaints",
    title="投诉举报",
    model="complaints.Complaint",
    columns=(
        Column("投诉举报编号", "complaint_number", required=True),
        Column("类型", "kind", enum(ComplaintKind), required=True),
        Column("食品类", "is_food", BOOL),
        Column("区划代码", "org_unit", ORG_UNIT, required=True),
        Column("登记编号", "business", BUSINESS),
        Column("投诉人", "complainant_name"),
        Column("联系电话", "complainant_phone"),
        Column("投诉内容", "summary"),
        Column("登记日期", "received_on", DATE, required=True),
        Column("受理决定", "decision", enum(Decision)),
        Column("决定日期", "decided_on", DATE),
        Column("检验鉴定等不计入工作日", "suspended_working_days", Int(min_value=0, max_value=999)),
        Column("办结日期", "closed_on", DATE),
    ),
    key=("complaint_number",),
    rules=(
        not_before("decided_on", "received_on"),
        not_before("closed_on", "received_on"),
        _decision_dates,
        requires("closed_on", "decided_on"),
        not_before("closed_on", "decided_on"),
    ),
    # 投诉举报处理暂行办法 第十四条、第二十条、第二十一条: computed at import, in working days.
    derive=_complaint_deadlines,
    derived=("acceptance_due_on", "closing_due_on"),
)

SELF_INSPECTIONS = Ledger(
    name="self_inspections",
    title="自查报告",
    model="selfinspections.SelfInspectionReport",
    columns=(
        Column("登记编号", "business", BUSINESS, required=True),
        Column("报告日期", "submitted_on", DATE, required=True),
        Column("发现问题数", "problems_found", Int(min_value=0)),
    ),
    key=("business", "submitted_on"),
)

INCIDENTS = Ledger(
    name="incidents",
    title="食品安全事件",
    model="incidents.Incident",
    columns=(
        Column("事件编号", "incident_number", required=True),
        Column("区划代码", "org_unit", ORG_UNIT, required=True),
        Column("发生日期", "occurred_on", DATE, required=True),
        Column("事故等级", "severity", enum(Severity), required=True),
        Column("事件类型", "kind", enum(IncidentKind), required=True),
        Column("造成严重不良社会影响", "serious_social_impact", BOOL),
        Column("事件概述", "description"),
    ),
    key=("incident_number",),
)
