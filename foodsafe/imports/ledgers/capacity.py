"""Ledgers of capacity and outcomes: staff, training, school canteens, grain, surveys."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from foodsafe.orgunits.models import division_level
from foodsafe.schools.models import SchoolType
from foodsafe.surveys.models import AgeBand, Sex, UrbanRural

from .base import (
    BOOL,
    DATE,
    OLD_DATE,
    TEXT,
    Column,
    Dec,
    Int,
    Ledger,
    Lookup,
    Ref,
    enum,
    not_before,
)
from .places import BUSINESS, BUSINESS_SYNONYMS, ORG_UNIT, ORG_UNIT_SYNONYMS

STAFF_NUMBER_SYNONYMS = ("人员编码", "工号", "执法证号")
DEPOT_SYNONYMS = ("库点代码", "粮库编号")

STAFF = Ledger(
    name="staff",
    title="监管人员",
    model="workforce.StaffMember",
    columns=(
        Column(
            "人员编号",
            "staff_number",
            required=True,
            synonyms=STAFF_NUMBER_SYNONYMS,
            help="人员的唯一编号（如执法证号或工号）；重复导入时按它更新",
            example="R0001",
        ),
        Column(
            "姓名",
            "name",
            required=True,
            synonyms=("人员姓名",),
            help="人员姓名",
            example="张三",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="人员所在单位对应的区或街道（乡镇）的区划代码",
            example="120101000000",
        ),
        Column(
            "所在单位",
            "agency",
            synonyms=("工作单位", "单位", "所在部门"),
            help="所在单位或科室、市场监管所的名称",
            example="和平区市场监督管理局",
        ),
        Column(
            "从事食品安全监管",
            "is_food_inspector",
            BOOL,
            synonyms=("是否从事食品安全监管",),
            help="是否从事食品安全监管执法工作；不填为“是”",
        ),
        Column(
            "具有专业背景",
            "is_professional",
            BOOL,
            synonyms=("是否具有专业背景", "专业背景"),
            help="是否具有食品、医学、药学、化学等相关专业背景；不填为“否”",
        ),
        Column(
            "入职日期",
            "joined_on",
            OLD_DATE,
            synonyms=("入职时间", "到岗日期"),
            help="开始从事监管工作的日期",
            example=date(2015, 7, 1),
        ),
        Column(
            "离岗日期",
            "left_on",
            DATE,
            synonyms=("离岗时间", "调离日期"),
            help="离开监管岗位的日期；在岗的不填",
            example="",
        ),
    ),
    key=("staff_number",),
    rules=(not_before("left_on", "joined_on"),),
)


def _positive_hours(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    hours = values.get("class_hours")
    if hours is not None and hours <= 0:
        return [("class_hours", "学时应大于0")]
    return []


TRAININGS = Ledger(
    name="trainings",
    title="培训记录",
    model="workforce.TrainingRecord",
    columns=(
        Column(
            "人员编号",
            "staff",
            Ref(model="workforce.StaffMember", key="staff_number"),
            required=True,
            synonyms=STAFF_NUMBER_SYNONYMS,
            help="参训人员在“监管人员”台账中的人员编号",
            example="R0001",
        ),
        Column(
            "培训日期",
            "trained_on",
            DATE,
            required=True,
            synonyms=("培训时间",),
            help="培训的日期（多日培训填开始日期）",
        ),
        Column(
            "培训内容",
            "course",
            required=True,
            synonyms=("培训名称", "培训主题", "课程名称"),
            help="培训班或课程的名称",
            example="食品安全抽检监测业务培训",
        ),
        Column(
            "学时",
            "class_hours",
            Dec(),
            required=True,
            synonyms=("培训学时", "课时"),
            help="本次培训的学时数，大于0",
            example=8,
        ),
    ),
    key=("staff", "trained_on", "course"),
    rules=(_positive_hours,),
)

SCHOOL_CANTEENS = Ledger(
    name="school_canteens",
    title="学校食堂",
    model="schools.SchoolCanteen",
    columns=(
        Column(
            "登记编号",
            "business",
            BUSINESS,
            required=True,
            synonyms=("食堂登记编号", *BUSINESS_SYNONYMS),
            help="食堂在“食品生产经营者”台账中的登记编号（业态为学校食堂）",
            example="B0002",
        ),
        Column(
            "学校名称",
            "school_name",
            required=True,
            synonyms=("学校", "学校全称"),
            help="食堂所属学校的名称",
            example="和平区示例小学",
        ),
        Column(
            "学校类型",
            "school_type",
            enum(SchoolType),
            required=True,
            synonyms=("学校类别", "学段"),
            help="幼儿园、小学、中学、职业学校或其他",
            example="小学",
        ),
        Column(
            "互联网+明厨亮灶上线日期",
            "bright_kitchen_on",
            DATE,
            synonyms=("明厨亮灶上线日期", "互联网+明厨亮灶日期", "明厨亮灶日期"),
            help="“互联网+明厨亮灶”视频接入上线的日期；未上线的不填",
            example=date(2020, 9, 1),
        ),
        Column(
            "校长负责制",
            "principal_responsibility",
            BOOL,
            synonyms=("是否落实校长负责制", "落实校长负责制"),
            help="是否落实校长（园长）食品安全第一责任人制度；不填为“是”",
        ),
        Column(
            "陪餐制",
            "accompanied_meal",
            BOOL,
            synonyms=("是否落实陪餐制", "落实陪餐制", "校领导陪餐"),
            help="是否落实学校负责人陪餐制度；不填为“是”",
        ),
    ),
    key=("business",),
)

GRAIN_STOCKS = Ledger(
    name="grain_stocks",
    title="库存粮食",
    model="grain.GrainStock",
    columns=(
        Column(
            "库点编号",
            "depot_code",
            required=True,
            synonyms=DEPOT_SYNONYMS,
            help="粮库库点的编号；与年度一起唯一，重复导入时按它们更新",
            example="G01",
        ),
        Column(
            "库点名称",
            "depot_name",
            required=True,
            synonyms=("库点", "粮库名称"),
            help="粮库库点的名称",
            example="和平区示例粮库",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="库点所在街道（乡镇）的区划代码",
        ),
        Column(
            "年度",
            "year",
            Int(min_value=1949, max_value=2100),
            required=True,
            synonyms=("库存年度", "年份"),
            help="库存数量对应的年度",
        ),
        Column(
            "库存数量（吨）",
            "stock_tonnes",
            Dec(min_value=Decimal(0)),
            required=True,
            synonyms=("库存数量", "库存量（吨）", "库存量"),
            help="年度库存粮食数量，单位：吨，最多3位小数",
            example=12000.5,
        ),
    ),
    key=("depot_code", "year"),
)


def _handled_needs_problem(
    values: Mapping[str, Any], headers: Mapping[str, str]
) -> list[tuple[str, str]]:
    if values.get("problem_handled_on") is not None and not values.get("problem_found"):
        return [("problem_handled_on", "未发现问题时不应填写问题处置完成日期")]
    return []


GRAIN_MONITORING = Ledger(
    name="grain_monitoring",
    title="粮食质量监测",
    model="grain.GrainMonitoring",
    columns=(
        Column(
            "监测编号",
            "monitoring_number",
            required=True,
            synonyms=("扦样编号", "样品编号"),
            help="一次质量监测（扦样）的唯一编号；重复导入时按它更新",
            example="LS2021-0001",
        ),
        Column(
            "库点编号",
            "_depot_code",
            TEXT,
            required=True,
            synonyms=DEPOT_SYNONYMS,
            help="被监测库存在“库存粮食”台账中的库点编号",
            example="G01",
        ),
        Column(
            "库存年度",
            "_stock_year",
            Int(min_value=1949, max_value=2100),
            required=True,
            synonyms=("年度",),
            help="被监测库存在“库存粮食”台账中的年度",
        ),
        Column(
            "扦样日期",
            "sampled_on",
            DATE,
            required=True,
            synonyms=("扦样时间", "抽样日期"),
            help="扦样的日期",
        ),
        Column(
            "监测代表数量（吨）",
            "monitored_tonnes",
            Dec(min_value=Decimal(0)),
            required=True,
            synonyms=("监测代表数量", "代表数量（吨）", "代表数量"),
            help="样品代表的粮食数量，单位：吨",
            example=3000,
        ),
        Column(
            "发现问题",
            "problem_found",
            BOOL,
            synonyms=("是否发现问题", "是否超标"),
            help="监测是否发现质量安全问题；不填为“否”",
            example="否",
        ),
        Column(
            "问题处置完成日期",
            "problem_handled_on",
            DATE,
            synonyms=("处置完成日期", "问题处置日期"),
            help="问题粮食处置完成的日期；未发现问题的不填",
            example="",
        ),
    ),
    key=("monitoring_number",),
    lookups=(
        Lookup(
            field="stock",
            model="grain.GrainStock",
            keys=("depot_code", "year"),
            sources=("_depot_code", "_stock_year"),
        ),
    ),
    rules=(not_before("problem_handled_on", "sampled_on"), _handled_needs_problem),
)


def _score_range(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    score = values.get("satisfaction_score")
    if score is not None and not (0 <= score <= 100):
        return [("satisfaction_score", "满意度得分应在0到100之间")]
    return []


SURVEYS = Ledger(
    name="surveys",
    title="满意度和知晓率问卷",
    model="surveys.SurveyResponse",
    columns=(
        Column(
            "问卷编号",
            "response_number",
            required=True,
            synonyms=("答卷编号", "样本编号"),
            help="一份答卷的唯一编号；重复导入时按它更新",
            example="WJ2021-0001",
        ),
        Column(
            "调查批次",
            "survey_code",
            required=True,
            synonyms=("调查编号", "批次"),
            help="这次调查的批次代码，同一次调查的答卷填同一个",
            example="2021-1",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="受访者所在街道（乡镇）的区划代码",
        ),
        Column(
            "答卷日期",
            "responded_on",
            DATE,
            required=True,
            synonyms=("调查日期", "答题日期"),
            help="填写答卷的日期",
        ),
        Column(
            "满意度得分",
            "satisfaction_score",
            Dec(),
            synonyms=("满意度", "满意度（分）"),
            help="本份答卷的满意度得分，0至100分",
            example=88.5,
        ),
        Column(
            "知晓创建工作",
            "aware_of_programme",
            BOOL,
            synonyms=("是否知晓创建工作", "知晓"),
            help="受访者是否知晓创建国家食品安全示范城市工作；没有问的不填",
        ),
        # RULES-supervision.md §3.3: the fields post-stratification needs (census cells).
        Column(
            "城乡",
            "urban_rural",
            enum(UrbanRural),
            synonyms=("城乡属性", "城镇乡村"),
            help="受访者住在城镇还是乡村；用于按城乡后分层加权，没有的不填",
            example="城镇",
        ),
        Column(
            "性别",
            "sex",
            enum(Sex),
            synonyms=("受访者性别",),
            help="男或女；用于按性别后分层加权，没有的不填",
            example="女",
        ),
        Column(
            "年龄段",
            "age_band",
            enum(AgeBand),
            synonyms=("年龄组", "受访者年龄段"),
            help="18-29、30-39、40-49、50-59 或 60岁及以上；用于按年龄段后分层加权，没有的不填",
            example="30-39",
        ),
        # 网络自愿填答 (SurveyResponse.self_selected): an office importing the public web form's
        # open answers must be able to say so, else they would count as the sample in items
        # 22, 23 and veto 4 (RULES-supervision.md §3.1: the evaluation survey is a random
        # sample; the spec's self_selected option decides whether they count).
        Column(
            "网络自愿填答",
            "self_selected",
            BOOL,
            synonyms=("是否网络自愿填答", "自愿填答", "网络自愿填写"),
            help=(
                "“是”：受访者在公众网页上自愿填写的答卷（未被抽中，没有邀请码），不是抽样样本，"
                "按方案设置不计入第22、23项和否决项四；抽样调查的答卷（电话、入户、拦截、"
                "凭邀请码网上作答）填“否”或不填（不填即“否”）"
            ),
            example="否",
        ),
    ),
    key=("response_number",),
    rules=(_score_range,),
)


def _subdistrict(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    # The cells are 街道 × 城乡 × 性别 × 年龄段: a district's figure would be a cell of its own.
    code = values.get("org_unit")
    if code and division_level(str(code)) != 4:
        return [("org_unit", "须为街道（乡镇）的区划代码：后分层的格按街道划分")]
    return []


CENSUS_CELLS = Ledger(
    name="census_cells",
    title="分城乡性别年龄段常住人口",
    model="surveys.CensusCell",
    columns=(
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="街道（乡镇）的区划代码",
        ),
        Column(
            "年度",
            "year",
            Int(min_value=1949, max_value=2100),
            required=True,
            synonyms=("年份", "统计年度", "普查年度"),
            help="人口数对应的年度（加权时选择这一年）",
            example=2020,
        ),
        Column(
            "城乡",
            "urban_rural",
            enum(UrbanRural),
            required=True,
            synonyms=("城乡属性",),
            help="城镇或乡村",
            example="城镇",
        ),
        Column("性别", "sex", enum(Sex), required=True, help="男或女", example="女"),
        Column(
            "年龄段",
            "age_band",
            enum(AgeBand),
            required=True,
            synonyms=("年龄组",),
            help="18-29、30-39、40-49、50-59 或 60岁及以上（只计18岁及以上常住人口）",
            example="30-39",
        ),
        Column(
            "常住人口",
            "population",
            Int(min_value=0),
            required=True,
            synonyms=("常住人口数", "人口数", "人数"),
            help="这一格的常住人口，单位：人（不是万人）；没有人的格填0或不列",
            example=5320,
        ),
        Column(
            "来源",
            "source",
            required=True,
            synonyms=("数据来源", "出处"),
            help="人口数的出处，如第七次全国人口普查分街道汇总、统计年鉴",
            example="第七次全国人口普查（分街道汇总）",
        ),
    ),
    key=("org_unit", "year", "urban_rural", "sex", "age_band"),
    rules=(_subdistrict,),
)
