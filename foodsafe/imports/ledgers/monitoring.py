"""Ledgers of risk monitoring and emergency response: foodborne-disease surveillance
(食源性疾病监测医疗机构、病例月报、事件, 第3条), revisions of the emergency plan and drills
(应急预案修订、应急演练, 第14条)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from foodsafe.emergency.models import DrillKind, DrillOrganiser

from .base import (
    DATE,
    OLD_DATE,
    CellError,
    Column,
    DateType,
    Int,
    Ledger,
    Noted,
    Ref,
    enum,
    not_before,
)
from .places import ORG_UNIT, ORG_UNIT_SYNONYMS

_MONTH = re.compile(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))")


@dataclass(frozen=True)
class MonthType(DateType):
    """A month, stored as its first day: 2021-08, 2021/8, 2021年8月, 202108, or any date in it."""

    label: str = "月份"

    def parse(self, raw: Any) -> Any:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 190001 <= raw <= 210012:
            raw = str(int(raw))  # 202108 typed as a number, not an Excel serial
        if isinstance(raw, str):
            text = "".join(raw.split())
            m = _MONTH.fullmatch(text)
            if m:
                year, month = int(m.group(1)), int(m.group(2) or m.group(3))
                if not 1 <= month <= 12:
                    raise CellError("月份应为1至12")
                first = date(year, month, 1)
                if first < self.min_date:
                    raise CellError(f"月份{year}-{month:02d}早于{self.min_date.year}年")
                if self.past:
                    self.check_not_future(first)
                return first
        value = super().parse(raw)
        day = value.value if isinstance(value, Noted) else value
        if not isinstance(day, (date, datetime)):
            raise CellError("应为月份，如 2021-08")
        return date(day.year, day.month, 1)

    def describe(self) -> str:
        return "月份，如 2021-08；也可写 2021年8月、202108 或该月的任一日期"

    def example(self) -> Any:
        return "2021-08"


MONTH = MonthType()
INSTITUTION = Ref(model="sentinels.SentinelInstitution", key="code")

SENTINEL_INSTITUTIONS = Ledger(
    name="sentinel_institutions",
    title="食源性疾病监测医疗机构",
    model="sentinels.SentinelInstitution",
    columns=(
        Column(
            "机构编号",
            "code",
            required=True,
            synonyms=("医疗机构编号", "机构代码"),
            help="监测医疗机构的编号；其他台账用它引用机构，重复导入时按它更新",
            example="YY01",
        ),
        Column(
            "机构名称",
            "name",
            required=True,
            synonyms=("医疗机构名称", "医院名称"),
            help="医疗机构的名称",
            example="和平区示例医院",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="机构所在街道的区划代码",
        ),
        Column(
            "确定为监测机构日期",
            "designated_on",
            OLD_DATE,
            synonyms=("确定日期", "纳入监测日期"),
            help="被确定为食源性疾病监测医疗机构的日期；不详的不填",
            example=date(2019, 1, 1),
        ),
        Column(
            "退出日期",
            "withdrawn_on",
            DATE,
            synonyms=("退出监测日期",),
            help="不再承担监测报告的日期；仍在监测的不填",
            example="",
        ),
    ),
    key=("code",),
    rules=(not_before("withdrawn_on", "designated_on"),),
)

SENTINEL_REPORTS = Ledger(
    name="sentinel_reports",
    title="食源性疾病病例月报",
    model="sentinels.SentinelReport",
    columns=(
        Column(
            "机构编号",
            "institution",
            INSTITUTION,
            required=True,
            synonyms=("医疗机构编号",),
            help="报送机构在“食源性疾病监测医疗机构”台账中的编号",
            example="YY01",
        ),
        Column(
            "报告月份",
            "month",
            MONTH,
            required=True,
            synonyms=("月份", "报送月份"),
            help="报告所属的月份；与机构编号一起唯一，重复导入时按它们更新",
        ),
        Column(
            "报送日期",
            "reported_on",
            DATE,
            required=True,
            synonyms=("报告日期", "上报日期"),
            help="报送该月病例（含零病例）的日期",
            example=date(2021, 9, 3),
        ),
        Column(
            "报告病例数",
            "cases",
            Int(min_value=0),
            synonyms=("病例数",),
            help="该月报告的食源性疾病病例数；零报告填0",
            example=0,
        ),
    ),
    key=("institution", "month"),
    rules=(not_before("reported_on", "month"),),
)

DISEASE_EVENTS = Ledger(
    name="disease_events",
    title="食源性疾病事件",
    model="sentinels.DiseaseEvent",
    columns=(
        Column(
            "事件编号",
            "event_number",
            required=True,
            synonyms=("编号",),
            help="事件的唯一编号；重复导入时按它更新",
            example="SYX2021-001",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="事件发生地所在街道的区划代码",
        ),
        Column(
            "报告机构编号",
            "institution",
            INSTITUTION,
            synonyms=("机构编号", "医疗机构编号"),
            help="发现并报告事件的监测医疗机构编号；不是监测机构报告的可不填",
            example="YY01",
        ),
        Column(
            "发现日期",
            "found_on",
            DATE,
            required=True,
            synonyms=("发现时间", "诊断日期"),
            help="医疗机构发现（诊断）事件的日期",
        ),
        Column(
            "报告日期",
            "reported_on",
            DATE,
            synonyms=("报告时间", "网络直报日期"),
            help="向卫生健康部门报告事件的日期；尚未报告的不填",
        ),
        Column(
            "病例数",
            "cases",
            Int(min_value=1),
            synonyms=("发病人数",),
            help="事件涉及的病例数；不填为1",
            example=3,
        ),
    ),
    key=("event_number",),
    rules=(not_before("reported_on", "found_on"),),
)

PLAN_REVISIONS = Ledger(
    name="plan_revisions",
    title="应急预案修订",
    model="emergency.PlanRevision",
    columns=(
        Column(
            "预案编号",
            "plan_code",
            required=True,
            synonyms=("预案代码",),
            help="预案的编号，各次修订相同；与修订印发日期一起唯一，重复导入时按它们更新",
            example="YA-SPAQ",
        ),
        Column(
            "预案名称",
            "plan_name",
            required=True,
            synonyms=("预案",),
            help="预案全称",
            example="和平区食品安全事故应急预案",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="制定预案的区（或街道）的区划代码",
            example="120101000000",
        ),
        Column(
            "修订印发日期",
            "revised_on",
            DATE,
            required=True,
            synonyms=("修订日期", "印发日期", "发布日期"),
            help="本次修订印发的日期",
            example=date(2020, 6, 30),
        ),
        Column(
            "印发文号",
            "document_number",
            synonyms=("文号", "发文字号"),
            help="印发预案的文件文号",
            example="和平政办发〔2020〕12号",
        ),
    ),
    key=("plan_code", "revised_on"),
)

DRILLS = Ledger(
    name="drills",
    title="应急演练",
    model="emergency.Drill",
    columns=(
        Column(
            "演练编号",
            "drill_number",
            required=True,
            synonyms=("编号",),
            help="演练的唯一编号；重复导入时按它更新",
            example="YL2021-01",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=ORG_UNIT_SYNONYMS,
            help="组织演练的区（或街道）的区划代码",
            example="120101000000",
        ),
        Column(
            "演练日期",
            "held_on",
            DATE,
            required=True,
            synonyms=("日期", "演练时间"),
            help="演练举行的日期",
        ),
        Column(
            "组织名义",
            "organiser",
            enum(DrillOrganiser),
            required=True,
            synonyms=("组织单位", "主办单位", "以何名义"),
            help="以区政府、区食药安办、部门或其他名义组织",
            example="区食药安办",
        ),
        Column(
            "演练形式",
            "kind",
            enum(DrillKind),
            synonyms=("形式", "演练类型"),
            help="实战演练或桌面推演；不填为“实战演练”",
            example="实战演练",
        ),
        Column(
            "演练情景",
            "scenario",
            required=True,
            synonyms=("演练科目", "演练内容", "情景"),
            help="演练设定的事件情景",
            example="学校食堂疑似食物中毒事件处置",
        ),
        Column(
            "参演单位",
            "participants",
            synonyms=("参加单位", "参与单位"),
            help="参加演练的单位，用顿号分隔",
            example="区市场监管局、区卫生健康委、区教育局",
        ),
    ),
    key=("drill_number",),
)
