"""Ledgers of regulatory work: inspections, sampling, cases, complaints, reports, incidents."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from foodsafe.complaints.models import ComplaintKind, Decision
from foodsafe.complaints.services import complaint_deadlines_compute
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
from foodsafe.workdays.calendar import current_calendar

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
from .places import BUSINESS, BUSINESS_SYNONYMS, ORG_UNIT, ORG_UNIT_SYNONYMS

#: 抽样单编号 as other systems and hand-kept sheets call it.
SAMPLE_NUMBER_SYNONYMS = ("抽样编号", "样品编号", "抽样单号", "抽样单编码")

INSPECTIONS = Ledger(
    name="inspections",
    title="监督检查",
    model="inspections.Inspection",
    columns=(
        Column(
            "检查编号",
            "inspection_number",
            required=True,
            synonyms=("检查记录编号", "检查单编号", "检查表编号"),
            help="一次检查的唯一编号；重复导入时按它更新",
            example="JC2021-0001",
        ),
        Column(
            "登记编号",
            "business",
            BUSINESS,
            required=True,
            synonyms=BUSINESS_SYNONYMS,
            help="被检查经营者在“食品生产经营者”台账中的登记编号",
            example="B0001",
        ),
        Column(
            "检查日期",
            "inspected_on",
            DATE,
            required=True,
            synonyms=("检查时间",),
            help="现场检查的日期",
        ),
        Column(
            "检查类型",
            "inspection_type",
            enum(InspectionType),
            required=True,
            synonyms=("检查种类", "检查方式"),
            help="日常监督检查、专项检查、双随机检查等",
        ),
        Column(
            "全项目检查",
            "full_checklist",
            BOOL,
            synonyms=("是否全项目检查",),
            help="是否按检查要点表全部项目检查；不填为“是”",
        ),
        Column(
            "检查结果",
            "result",
            enum(InspectionResult),
            synonyms=("检查结论", "结果判定"),
            help="符合、基本符合（限期整改）、不符合或未评定",
        ),
        Column(
            "得分",
            "score",
            Int(min_value=0, max_value=100),
            synonyms=("检查得分", "评分"),
            help="检查表得分（百分制），没有评分的不填",
            example=92,
        ),
        Column(
            "检查人员",
            "inspectors",
            synonyms=("执法人员", "检查人"),
            help="参加检查的执法人员姓名，多人用顿号分隔",
            example="张三、李四",
        ),
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
            synonyms=("检查记录编号", "检查单编号"),
            help="发现问题的那次检查在“监督检查”台账中的检查编号",
            example="JC2021-0001",
        ),
        Column(
            "问题描述",
            "description",
            required=True,
            synonyms=("发现问题", "存在问题", "问题内容"),
            help="检查发现的一个问题，一行一个；同一次检查的同一问题只写一次",
            example="部分从业人员健康证明过期",
        ),
        Column(
            "风险类别",
            "risk_category",
            synonyms=("问题类别", "问题分类"),
            help="问题所属的检查项目类别",
            example="人员管理",
        ),
    ),
    # The model has no number of its own: a finding is its inspection and its wording.
    key=("inspection", "description"),
)

SAMPLING = Ledger(
    name="sampling",
    title="抽检批次",
    model="sampling.SamplingBatch",
    columns=(
        Column(
            "抽样单编号",
            "sample_number",
            required=True,
            synonyms=SAMPLE_NUMBER_SYNONYMS,
            help="抽样单上的编号，一个批次一个；重复导入时按它更新",
            example="DC21120101000001",
        ),
        Column(
            "抽样日期",
            "sampled_on",
            DATE,
            required=True,
            synonyms=("抽样时间", "采样日期"),
            help="现场抽样的日期",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="抽样地点所在街道（乡镇）的区划代码",
        ),
        Column(
            "登记编号",
            "business",
            BUSINESS,
            synonyms=("被抽样单位登记编号",),
            help="被抽样单位在“食品生产经营者”台账中的登记编号；网络抽样等没有的可不填",
            example="B0001",
        ),
        Column(
            "抽检类型",
            "sampling_type",
            enum(SamplingType),
            required=True,
            synonyms=("抽检类别", "任务类别", "抽样类型"),
            help="监督抽检、评价性抽检、风险监测或快检",
        ),
        Column(
            "环节",
            "stage",
            enum(Stage),
            required=True,
            synonyms=("抽样环节",),
            help="生产、流通、餐饮或网络",
            example="流通",
        ),
        Column(
            "业态",
            "business_format",
            enum(BusinessFormat),
            required=True,
            synonyms=("被抽样单位业态", "抽样场所"),
            help="被抽样单位的业态",
            example="超市",
        ),
        Column(
            "食品大类",
            "food_category",
            required=True,
            synonyms=("食品类别", "食品分类"),
            help="抽检食品分类中的大类",
            example="蔬菜",
        ),
        Column(
            "样品名称",
            "food_name",
            synonyms=("食品名称", "产品名称"),
            help="抽样单上的样品名称",
            example="普通白菜",
        ),
        Column(
            "组织部门",
            "department",
            enum(Department),
            synonyms=("组织抽检部门", "任务来源部门"),
            help="组织这次抽检的部门",
        ),
        Column(
            "检验结论",
            "conclusion",
            enum(Conclusion),
            required=True,
            synonyms=("结论", "判定结论", "检验结果判定"),
            help="合格、不合格，报告未出的填“待检”",
        ),
        Column(
            "报告日期",
            "reported_on",
            DATE,
            synonyms=("检验报告日期", "报告签发日期"),
            help="检验报告签发日期",
            example=date(2021, 8, 27),
        ),
        Column(
            "公开日期",
            "published_on",
            DATE,
            synonyms=("信息公开日期", "公布日期"),
            help="抽检结果向社会公布的日期",
            example=date(2021, 9, 10),
        ),
        Column(
            "核查处置完成日期",
            "disposal_completed_on",
            DATE,
            synonyms=("核查处置日期", "处置完成日期"),
            help="不合格食品核查处置完成的日期；合格的不填",
            example="",
        ),
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
            synonyms=SAMPLE_NUMBER_SYNONYMS,
            help="该项目所属批次在“抽检批次”台账中的抽样单编号",
            example="DC21120101000001",
        ),
        Column(
            "检验项目",
            "name",
            required=True,
            synonyms=("项目名称", "检测项目"),
            help="一个检验项目，一行一个",
            example="毒死蜱",
        ),
        Column(
            "项目类别",
            "category",
            enum(TestItemCategory),
            synonyms=("检验项目类别",),
            help="农药残留、兽药残留或其他",
        ),
        Column(
            "检验结果",
            "result_value",
            synonyms=("检测结果", "检测值", "实测值"),
            help="检验结果原文，如“未检出”“0.05mg/kg”",
            example="未检出",
        ),
        Column(
            "标准值",
            "standard_value",
            synonyms=("标准要求", "限量值", "标准规定值"),
            help="标准规定的限量，原文照录",
            example="≤0.1mg/kg",
        ),
        Column(
            "是否合格",
            "conforming",
            BOOL,
            synonyms=("合格", "单项判定", "项目判定"),
            help="该项目是否合格；不填为“是”",
        ),
    ),
    key=("batch", "name"),
)

CASES = Ledger(
    name="cases",
    title="执法案件",
    model="enforcement.Case",
    columns=(
        Column(
            "案件编号",
            "case_number",
            required=True,
            synonyms=("案号", "案件号"),
            help="案件的唯一编号；重复导入时按它更新",
            example="AJ2021-0001",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="案发地所在街道（乡镇）的区划代码",
        ),
        Column(
            "登记编号",
            "business",
            BUSINESS,
            synonyms=("当事人登记编号",),
            help="当事人在“食品生产经营者”台账中的登记编号；无证经营等没有的可不填",
            example="B0001",
        ),
        Column(
            "线索接收日期",
            "lead_received_on",
            DATE,
            required=True,
            synonyms=("线索受理日期", "案源登记日期", "线索日期"),
            help="收到案件线索的日期",
        ),
        Column(
            "应立案",
            "should_file",
            BOOL,
            synonyms=("是否应立案",),
            help="经核查是否符合立案条件；不填为“是”",
        ),
        Column(
            "立案日期",
            "filed_on",
            DATE,
            synonyms=("立案时间",),
            help="立案审批日期；不早于线索接收日期",
            example=date(2021, 8, 20),
        ),
        Column(
            "办结日期",
            "closed_on",
            DATE,
            synonyms=("结案日期", "结案时间"),
            help="案件办结日期；填写时须有立案日期",
            example=date(2021, 10, 15),
        ),
        Column(
            "延期后办案期限",
            "extended_due_on",
            DATE,
            synonyms=("延期至", "延长办案期限至"),
            help="经批准延期的，填写延期后的办案期限（普通程序自立案之日起90日，经批准可延长）；"
            "未延期的留空",
            example=date(2021, 12, 18),
        ),
        Column(
            "罚没金额（元）",
            "penalty_amount",
            Dec(min_value=Decimal(0)),
            synonyms=("罚没金额", "罚没款（元）", "罚没款"),
            help="罚款和没收违法所得合计，单位：元",
            example=5000,
        ),
        Column(
            "处罚到人",
            "individual_penalty",
            BOOL,
            synonyms=("是否处罚到人",),
            help="是否对单位的法定代表人、主要负责人等个人处罚；不填为“否”",
            example="否",
        ),
        Column(
            "移送公安",
            "criminal_referral",
            BOOL,
            synonyms=("是否移送公安", "移送司法机关"),
            help="是否移送公安机关（行刑衔接）；不填为“否”",
            example="否",
        ),
    ),
    key=("case_number",),
    rules=(
        not_before("filed_on", "lead_received_on"),
        requires("closed_on", "filed_on"),
        not_before("closed_on", "filed_on"),
        requires("extended_due_on", "filed_on"),
        not_before("extended_due_on", "filed_on"),
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
    # The calendar is checked at most every few seconds: one revision query per row would
    # dominate a large import, and a holiday arrangement loaded meanwhile recomputes these
    # rows anyway once they are committed.
    try:
        deadlines = complaint_deadlines_compute(
            received_on=values["received_on"],
            decision=values.get("decision") or Decision.PENDING,
            decided_on=values.get("decided_on"),
            suspended_working_days=values.get("suspended_working_days") or 0,
            calendar=current_calendar(max_age=5.0),
        )
    except ValueError as exc:
        raise RuleError("received_on", f"无法计算办理期限：{exc}") from exc
    return deadlines.values()


COMPLAINTS = Ledger(
    name="complaints",
    title="投诉举报",
    model="complaints.Complaint",
    columns=(
        Column(
            "投诉举报编号",
            "complaint_number",
            required=True,
            synonyms=("投诉编号", "举报编号", "工单编号", "投诉举报单号"),
            help="投诉举报的唯一编号（如12315工单号）；重复导入时按它更新",
            example="TS2021-0001",
        ),
        Column(
            "类型",
            "kind",
            enum(ComplaintKind),
            required=True,
            synonyms=("投诉举报类型", "诉求类型"),
            help="投诉或举报",
        ),
        Column(
            "食品类",
            "is_food",
            BOOL,
            synonyms=("是否食品类", "涉及食品"),
            help="是否涉及食品安全；不填为“是”",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="承办的街道（乡镇）的区划代码",
        ),
        Column(
            "登记编号",
            "business",
            BUSINESS,
            synonyms=("被投诉单位登记编号",),
            help="被投诉单位在“食品生产经营者”台账中的登记编号；没有的可不填",
            example="B0001",
        ),
        Column(
            "投诉人",
            "complainant_name",
            synonyms=("投诉人姓名", "举报人"),
            help="投诉人姓名（个人信息，页面和导出中会打码）",
            example="王某",
            personal=True,
        ),
        Column(
            "联系电话",
            "complainant_phone",
            synonyms=("投诉人电话", "电话"),
            help="投诉人联系电话（个人信息，页面和导出中会打码）",
            example="13800000000",
            personal=True,
        ),
        Column(
            "投诉内容",
            "summary",
            synonyms=("诉求内容", "举报内容", "内容摘要"),
            help="投诉举报内容摘要",
            example="购买的面包超过保质期",
        ),
        Column(
            "登记日期",
            "received_on",
            DATE,
            required=True,
            synonyms=("接收日期", "登记时间", "受理登记日期"),
            help="收到投诉举报的日期，办理期限从这天起算",
        ),
        Column(
            "受理决定",
            "decision",
            enum(Decision),
            synonyms=("是否受理", "受理情况"),
            help="受理、不予受理，尚未决定的填“待决定”或不填",
            example="受理",
        ),
        Column(
            "决定日期",
            "decided_on",
            DATE,
            synonyms=("受理决定日期", "受理日期"),
            help="作出受理或不予受理决定的日期",
            example=date(2021, 8, 20),
        ),
        Column(
            "检验鉴定等不计入工作日",
            "suspended_working_days",
            Int(min_value=0, max_value=999),
            synonyms=("不计入工作日", "中止工作日"),
            help="检验、检测、鉴定等不计入办理期限的工作日数；没有的填0或不填",
            example=0,
        ),
        Column(
            "办结日期",
            "closed_on",
            DATE,
            synonyms=("办结时间", "结案日期"),
            help="办结日期；填写时须有决定日期",
            example=date(2021, 9, 10),
        ),
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
    derived=(
        "acceptance_due_on",
        "closing_due_on",
        "deadline_provisional",
        "deadline_calendar_revision",
    ),
)

SELF_INSPECTIONS = Ledger(
    name="self_inspections",
    title="自查报告",
    model="selfinspections.SelfInspectionReport",
    columns=(
        Column(
            "登记编号",
            "business",
            BUSINESS,
            required=True,
            synonyms=BUSINESS_SYNONYMS,
            help="提交自查报告的经营者在“食品生产经营者”台账中的登记编号",
            example="B0001",
        ),
        Column(
            "报告日期",
            "submitted_on",
            DATE,
            required=True,
            synonyms=("提交日期", "自查日期", "自查报告日期"),
            help="自查报告提交的日期",
        ),
        Column(
            "发现问题数",
            "problems_found",
            Int(min_value=0),
            synonyms=("问题数", "自查发现问题数"),
            help="自查发现的问题个数；不填为0",
            example=0,
        ),
    ),
    key=("business", "submitted_on"),
)

INCIDENTS = Ledger(
    name="incidents",
    title="食品安全事件",
    model="incidents.Incident",
    columns=(
        Column(
            "事件编号",
            "incident_number",
            required=True,
            synonyms=("事故编号",),
            help="事件的唯一编号；重复导入时按它更新",
            example="SJ2021-0001",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="事件发生地所在街道（乡镇）的区划代码",
        ),
        Column(
            "发生日期",
            "occurred_on",
            DATE,
            required=True,
            synonyms=("发生时间", "事发日期"),
            help="事件发生的日期",
        ),
        Column(
            "事故等级",
            "severity",
            enum(Severity),
            required=True,
            synonyms=("事件等级", "事故级别"),
            help="按国家食品安全事故应急预案分级：特别重大、重大、较大、一般",
            example="一般",
        ),
        Column(
            "事件类型",
            "kind",
            enum(IncidentKind),
            required=True,
            synonyms=("事件类别", "事故类型"),
            help="事件的类别",
            example="食物中毒",
        ),
        Column(
            "造成严重不良社会影响",
            "serious_social_impact",
            BOOL,
            synonyms=("严重不良社会影响", "是否造成严重不良社会影响"),
            help="是否引发广泛关注、造成严重不良社会影响（否决项）；不填为“否”",
            example="否",
        ),
        Column(
            "事件概述",
            "description",
            synonyms=("事件描述", "基本情况", "简要情况"),
            help="事件经过和处置的简要说明",
            example="某单位食堂午餐后多人出现腹泻症状，已送医并封存留样",
        ),
    ),
    key=("incident_number",),
)
