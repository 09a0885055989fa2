"""Ledgers of capacity and outcomes: staff, training, school canteens, grain, surveys."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from foodsafe.schools.models import SchoolType

from .base import (
    BOOL,
    DATE,
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
from .places import BUSINESS, ORG_UNIT

STAFF = Ledger(
    name="staff",
    title="监管人员",
    model="workforce.StaffMember",
    columns=(
        Column("人员编号", "staff_number", required=True),
        Column("姓名", "name", required=True),
        Column("区划代码", "org_unit", ORG_UNIT, required=True),
        Column("所在单位", "agency"),
        Column("从事食品安全监管", "is_food_inspector", BOOL),
        Column("具有专业背景", "is_professional", BOOL),
        Column("入职日期", "joined_on", DATE),
        Column("离岗日期", "left_on", DATE),
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
        ),
        Column("培训日期", "trained_on", DATE, required=True),
        Column("培训内容", "course", required=True),
        Column("学时", "class_hours", Dec(), required=True),
    ),
    key=("staff", "trained_on", "course"),
    rules=(_positive_hours,),
)

SCHOOL_CANTEENS = Ledger(
    name="school_canteens",
    title="学校食堂",
    model="schools.SchoolCanteen",
    columns=(
        Column("登记编号", "business", BUSINESS, required=True),
        Column("学校名称", "school_name", required=True),
        Column("学校类型", "school_type", enum(SchoolType), required=True),
        Column("互联网+明厨亮灶上线日期", "bright_kitchen_on", DATE),
        Column("校长负责制", "principal_responsibility", BOOL),
        Column("陪餐制", "accompanied_meal", BOOL),
    ),
    key=("business",),
)

GRAIN_STOCKS = Ledger(
    name="grain_stocks",
    title="库存粮食",
    model="grain.GrainStock",
    columns=(
        Column("库点编号", "depot_code", required=True),
        Column("库点名称", "depot_name", required=True),
        Column("区划代码", "org_unit", ORG_UNIT, required=True),
        Column("年度", "year", Int(min_value=1949, max_value=2100), required=True),
        Column("库存数量（吨）", "stock_tonnes", Dec(min_value=Decimal(0)), required=True),
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
        Column("监测编号", "monitoring_number", required=True),
        Column("库点编号", "_depot_code", TEXT, required=True),
        Column("库存年度", "_stock_year", Int(min_value=1949, max_value=2100), required=True),
        Column("扦样日期", "sampled_on", DATE, required=True),
        Column("监测代表数量（吨）", "monitored_tonnes", Dec(min_value=Decimal(0)), required=True),
        Column("发现问题", "problem_found", BOOL),
        Column("问题处置完成日期", "problem_handled_on", DATE),
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
        Column("问卷编号", "response_number", required=True),
        Column("调查批次", "survey_code", required=True),
        Column("区划代码", "org_unit", ORG_UNIT, required=True),
        Column("答卷日期", "responded_on", DATE, required=True),
        Column("满意度得分", "satisfaction_score", Dec()),
        Column("知晓创建工作", "aware_of_programme", BOOL),
    ),
    key=("response_number",),
    rules=(_score_range,),
)
