"""Ledgers of regulatory work: inspections and their findings, sampling and test items, cases."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from foodsafe.inspections.models import InspectionResult, InspectionType
from foodsafe.registry.models import BusinessFormat
from foodsafe.sampling.categories import UnknownCategory, category_tree
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
    FUTURE_DATE,
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


def _category_code(values: Mapping[str, Any]) -> dict[str, Any]:
    """The food category tree's code for the row's 食品大类 (a name at any level of the tree),
    refined to the 细类 the 样品名称 names when it lies below (RULES-supervision.md §2.1)."""
    try:
        node = category_tree().resolve(values["food_category"], values.get("food_name") or "")
    except UnknownCategory as exc:
        raise RuleError("food_category", str(exc)) from None
    return {"category_code": node.code}


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
            help="食品分类中的名称：大类（如 食用农产品）、亚类（如 蔬菜）、品种或细类（如 韭菜）",
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
    derive=_category_code,
    derived=("category_code",),
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
            FUTURE_DATE,
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
