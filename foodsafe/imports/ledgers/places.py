"""Ledgers of places and parties: org units, resident population, food businesses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from foodsafe.orgunits.models import division_level, subtree_prefix
from foodsafe.registry.models import BusinessFormat, BusinessStatus, RiskLevel, Sector

from ..parsers import JY_FORMATS
from .base import (
    BOOL,
    OLD_DATE,
    CellError,
    Column,
    Int,
    Ledger,
    Licence,
    Ref,
    Text,
    Uscc,
    enum,
    not_before,
    requires,
)


def _division_code(text: str) -> None:
    try:
        division_level(text)
    except ValueError as exc:
        raise CellError("区划代码应为12位数字（统计用区划代码），且不能全为0") from exc


@dataclass(frozen=True)
class DivisionCode(Text):
    """A 12-digit statistical division code (统计用区划代码)."""

    def describe(self) -> str:
        return "12位统计用区划代码（数字），如 120101001000"

    def example(self) -> Any:
        return "120101001000"


DIVISION_CODE = DivisionCode(validator=_division_code)

#: An org unit referenced by its 12-digit code (the FK's target is the code itself).
ORG_UNIT = Ref(model="orgunits.OrgUnit", key="code", key_type=DIVISION_CODE)
#: A food business referenced by its registry number (登记编号).
BUSINESS = Ref(model="registry.FoodBusiness", key="registry_number")
#: Other headers for an org-unit or a business reference column.
ORG_UNIT_SYNONYMS = ("所属区划代码", "行政区划代码", "统计用区划代码")
BUSINESS_SYNONYMS = ("经营者登记编号", "登记号", "主体登记编号")


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
        Column(
            "区划代码",
            "code",
            DIVISION_CODE,
            required=True,
            synonyms=("统计用区划代码", "行政区划代码", "单位代码"),
            help="本单位的12位统计用区划代码（国家统计局），是单位的唯一编号",
        ),
        Column(
            "名称",
            "name",
            required=True,
            synonyms=("单位名称", "区划名称"),
            help="区、街道（乡镇）或社区（村）的名称",
            example="劝业场街道",
        ),
        Column(
            "上级区划代码",
            "parent",
            ORG_UNIT,
            synonyms=("上级代码", "上级单位代码"),
            help="上级单位的区划代码；上级须已在系统中或写在本文件的前面几行",
            example="120101000000",
        ),
        Column(
            "示例数据",
            "is_example",
            BOOL,
            help="演示用的虚构单位填“是”，真实单位填“否”或不填",
            example="否",
        ),
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
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=("统计用区划代码", "行政区划代码"),
            help="人口所属单位（区或街道）的区划代码",
            example="120101000000",
        ),
        Column(
            "年度",
            "year",
            Int(min_value=1949, max_value=2100),
            required=True,
            synonyms=("年份", "统计年度"),
            help="人口数对应的年度",
        ),
        Column(
            "常住人口",
            "resident_population",
            Int(min_value=1),
            required=True,
            synonyms=("常住人口数", "常住人口（人）", "人口数"),
            help="年末常住人口，单位：人（不是万人）",
            example=355000,
        ),
        Column(
            "来源",
            "source",
            synonyms=("数据来源",),
            help="人口数的出处，如统计年鉴、人口普查公报",
            example="第七次全国人口普查公报",
        ),
    ),
    key=("org_unit", "year"),
)


#: Formats whose licence may be a local registration card rather than a JY/SC licence.
LOCAL_REGISTRATION_FORMATS = frozenset(
    {BusinessFormat.SMALL_WORKSHOP, BusinessFormat.SMALL_EATERY, BusinessFormat.FOOD_STALL}
)
#: 食品经营许可证 主体业态代码 → the sector it belongs to.
JY_SECTORS = {"1": Sector.SALES, "2": Sector.CATERING, "3": Sector.CATERING}


def _licence_fits(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """The licence number is the kind the business's sector and format hold.

    食品经营许可管理办法 / 食品生产许可管理办法: production needs an SC licence, sales and
    catering a JY licence whose 主体业态 digit matches; the "three smalls" hold provincial
    registration cards (登记证、备案卡) in local formats instead.
    """
    number, sector = values.get("licence_number"), values.get("sector")
    if not number or not sector:
        return []
    label = Sector(sector).label
    if number.startswith("SC"):
        if sector != Sector.PRODUCTION:
            return [
                (
                    "licence_number",
                    f"SC开头的是食品生产许可证，类别为“{label}”的应填写食品经营许可证（JY）编号",
                )
            ]
        return []
    if number.startswith("JY"):
        if sector == Sector.PRODUCTION:
            return [
                (
                    "licence_number",
                    "JY开头的是食品经营许可证，类别为“食品生产”的应填写食品生产许可证（SC）编号",
                )
            ]
        kind = number[2]
        if JY_SECTORS[kind] != sector:
            return [
                (
                    "licence_number",
                    f"许可证第3位为{kind}（{JY_FORMATS[kind]}），与类别“{label}”不符",
                )
            ]
        return []
    if values.get("business_format") not in LOCAL_REGISTRATION_FORMATS:
        return [
            (
                "licence_number",
                "许可证编号应为JY或SC加14位数字；只有食品小作坊、小餐饮、食品摊贩可填写登记证或备案卡编号",
            )
        ]
    return []


def _producer_flags(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """规模以上 and 婴幼儿配方乳粉 mark producers (实施方案 第18条): only 类别 食品生产."""
    if values.get("sector") == Sector.PRODUCTION:
        return []
    return [
        (name, f"只有类别为“食品生产”的经营者可填{headers[name]}为“是”")
        for name in ("above_designated_size", "infant_formula")
        if values.get(name)
    ]


def _closed_status(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    if values.get("closed_on") is not None and values.get("status") == BusinessStatus.ACTIVE:
        return [("status", "填写了注销日期，状态应为“注销/停业”")]
    return []


BUSINESSES = Ledger(
    name="businesses",
    title="食品生产经营者",
    model="registry.FoodBusiness",
    columns=(
        Column(
            "登记编号",
            "registry_number",
            required=True,
            synonyms=("登记号", "主体登记编号", "经营者编号"),
            help="经营者在本系统的唯一编号（备案、登记号）；其他台账用它引用经营者，"
            "重复导入时按它更新",
            example="B0001",
        ),
        Column(
            "名称",
            "name",
            required=True,
            synonyms=("企业名称", "经营者名称", "单位名称", "主体名称", "名称（字号）"),
            help="营业执照或许可证上的名称",
            example="和平区示例超市有限公司",
        ),
        Column(
            "统一社会信用代码",
            "uscc",
            Uscc(),
            unique=True,
            synonyms=("社会信用代码", "信用代码", "统一代码", "社会统一信用代码"),
            help="营业执照上的18位统一社会信用代码；个体摊贩等没有的可不填",
        ),
        Column(
            "许可证编号",
            "licence_number",
            Licence(other_allowed=True),
            unique=True,
            synonyms=(
                "许可证号",
                "许可证号码",
                "食品经营许可证编号",
                "食品生产许可证编号",
                "许可（登记）证编号",
            ),
            help="食品经营许可证（JY）或食品生产许可证（SC）编号；“三小”填登记证或备案卡编号",
        ),
        Column(
            "类别",
            "sector",
            enum(Sector),
            required=True,
            synonyms=("主体类别", "经营者类别"),
            help="食品生产、食品销售或餐饮服务",
            example="食品销售",
        ),
        Column(
            "业态",
            "business_format",
            enum(BusinessFormat),
            required=True,
            synonyms=("主体业态", "经营业态"),
            help="经营者的具体业态，决定适用的检查频次和指标",
            example="超市",
        ),
        Column(
            "区划代码",
            "org_unit",
            ORG_UNIT,
            required=True,
            synonyms=("所属区划代码", "行政区划代码", "统计用区划代码"),
            help="经营场所所在街道（乡镇）的12位区划代码",
        ),
        Column(
            "地址",
            "address",
            synonyms=("经营地址", "经营场所", "住所"),
            help="经营场所地址",
            example="和平区示例路1号",
        ),
        Column(
            "状态",
            "status",
            enum(BusinessStatus),
            synonyms=("经营状态",),
            help="不填为“在营”",
        ),
        Column(
            "开业日期",
            "opened_on",
            OLD_DATE,
            synonyms=("开业时间",),
            help="开始经营的日期",
            example=date(2019, 3, 7),
        ),
        Column(
            "注销日期",
            "closed_on",
            OLD_DATE,
            synonyms=("注销时间", "停业日期"),
            help="注销或停业的日期；填写时状态应为“注销/停业”",
            example="",
        ),
        Column(
            "风险等级",
            "risk_level",
            enum(RiskLevel),
            synonyms=("风险分级", "风险级别"),
            help="风险分级管理评定的等级，A最低、D最高",
            example="B",
        ),
        Column(
            "发证（登记、备案）日期",
            "registered_on",
            OLD_DATE,
            synonyms=("发证日期", "登记日期", "备案日期", "登记（备案）日期", "许可日期"),
            help="许可证发证日期；“三小”填登记证或备案卡的登记、备案日期；填写时须有许可证编号",
            example=date(2019, 3, 1),
        ),
        Column(
            "规模以上企业",
            "above_designated_size",
            BOOL,
            synonyms=("是否规模以上企业", "规上企业"),
            help="是否规模以上（年主营业务收入2000万元及以上）食品生产企业；不填为“否”",
            example="否",
        ),
        Column(
            "婴幼儿配方乳粉生产企业",
            "infant_formula",
            BOOL,
            synonyms=("是否婴幼儿配方乳粉生产企业",),
            help="是否婴幼儿配方乳粉生产企业；不填为“否”",
            example="否",
        ),
    ),
    key=("registry_number",),
    rules=(
        not_before("closed_on", "opened_on"),
        _closed_status,
        _licence_fits,
        requires("registered_on", "licence_number"),
        _producer_flags,
    ),
)
