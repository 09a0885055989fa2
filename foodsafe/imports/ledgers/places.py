"""Ledgers of places and parties: org units, resident population, food businesses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stdnum.cn import uscc as uscc_number

from foodsafe.orgunits.models import division_level, subtree_prefix
from foodsafe.registry.models import BusinessFormat, BusinessStatus, RiskLevel, Sector

from .base import (
    BOOL,
    DATE,
    CellError,
    Column,
    Int,
    Ledger,
    Ref,
    Text,
    enum,
    not_before,
)


def _division_code(text: str) -> None:
    try:
        division_level(text)
    except ValueError as exc:
        raise CellError("区划代码应为12位数字（统计用区划代码），且不能全为0") from exc


def _uscc(text: str) -> None:
    if not uscc_number.is_valid(text):
        raise CellError("统一社会信用代码格式或校验位不正确（GB 32100-2015）")


DIVISION_CODE = Text(validator=_division_code)

#: An org unit referenced by its 12-digit code (the FK's target is the code itself).
ORG_UNIT = Ref(model="orgunits.OrgUnit", key="code", key_type=DIVISION_CODE)
#: A food business referenced by its registry number (登记编号).
BUSINESS = Ref(model="registry.FoodBusiness", key="registry_number")


def _derive_level(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"level": division_level(values["code"])}


def _parent_above(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    code, parent = values.get("code"), values.get("parent")
    if not code or not parent:
        return []
    if parent == code:
        return [("parent", "上级区划代码不能是本单位")]
    if division_level(parent) >= division_level(code) or not code.startswith(
        subtree_prefix(parent)
    ):
        return [("parent", f"上级区划代码不是{code}的上级区划")]
    return []


ORGUNITS = Ledger(
    name="orgunits",
    title="行政区划单位",
    model="orgunits.OrgUnit",
    columns=(
        Column("区划代码", "code", DIVISION_CODE, required=True),
        Column("名称", "name", required=True),
        Column("上级区划代码", "parent", ORG_UNIT),
        Column("示例数据", "is_example", BOOL),
    ),
    key=("code",),
    rules=(_parent_above,),
    derive=_derive_level,
    derived=("level",),
    sort=lambda values: division_level(values["code"]),
)

POPULATION = Ledger(
    name="population",
    title="常住人口",
    model="orgunits.Population",
    columns=(
        Column("区划代码", "org_unit", ORG_UNIT, required=True),
        Column("年度", "year", Int(min_value=1949, max_value=2100), required=True),
        Column("常住人口", "resident_population", Int(min_value=1), required=True),
        Column("来源", "source"),
    ),
    key=("org_unit", "year"),
)


def _closed_status(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    if values.get("closed_on") is not None and values.get("status") == BusinessStatus.ACTIVE:
        return [("status", "填写了注销日期，状态应为“注销/停业”")]
    return []


BUSINESSES = Ledger(
    name="businesses",
    title="食品生产经营者",
    model="registry.FoodBusiness",
    columns=(
        Column("登记编号", "registry_number", required=True),
        Column("名称", "name", required=True),
        Column("统一社会信用代码", "uscc", Text(validator=_uscc), unique=True),
        Column("许可证编号", "licence_number", unique=True),
        Column("类别", "sector", enum(Sector), required=True),
        Column("业态", "business_format", enum(BusinessFormat), required=True),
        Column("区划代码", "org_unit", ORG_UNIT, required=True),
        Column("地址", "address"),
        Column("状态", "status", enum(BusinessStatus)),
        Column("开业日期", "opened_on", DATE),
        Column("注销日期", "closed_on", DATE),
        Column("风险等级", "risk_level", enum(RiskLevel)),
    ),
    key=("registry_number",),
    rules=(not_before("closed_on", "opened_on"), _closed_status),
)
