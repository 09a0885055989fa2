"""Ledgers of what operators hold: liability insurance policies (食品安全责任保险, 第20条), the
food-handler roster with health certificates (从业人员健康证明, 第18条) and management-system
certificates (GMP/HACCP, 第18条)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from foodsafe.handlers.models import CertificateScheme

from .base import BOOL, DATE, FUTURE_DATE, OLD_DATE, Column, Ledger, enum, not_before
from .places import BUSINESS, BUSINESS_SYNONYMS

INSURANCE_POLICIES = Ledger(
    name="insurance_policies",
    title="食品安全责任保险",
    model="insurance.LiabilityPolicy",
    columns=(
        Column(
            "保单号",
            "policy_number",
            required=True,
            synonyms=("保险单号", "保单编号"),
            help="保险单的编号；重复导入时按它更新",
            example="PZA2021120100001",
        ),
        Column(
            "登记编号",
            "business",
            BUSINESS,
            required=True,
            synonyms=("被保险人登记编号", *BUSINESS_SYNONYMS),
            help="被保险经营者在“食品生产经营者”台账中的登记编号",
            example="B0002",
        ),
        Column(
            "承保机构",
            "insurer",
            required=True,
            synonyms=("保险公司", "承保公司", "保险人"),
            help="承保的保险公司（分支机构）名称",
            example="示例财产保险股份有限公司天津分公司",
        ),
        Column(
            "保险起期",
            "starts_on",
            FUTURE_DATE,
            required=True,
            synonyms=("保险起始日期", "起保日期", "保险期间起"),
            help="保险责任开始的日期",
            example=date(2021, 1, 1),
        ),
        Column(
            "保险止期",
            "ends_on",
            FUTURE_DATE,
            required=True,
            synonyms=("保险终止日期", "终保日期", "保险期间止"),
            help="保险责任终止的日期（含当日），不能早于保险起期",
            example=date(2021, 12, 31),
        ),
    ),
    key=("policy_number",),
    rules=(not_before("ends_on", "starts_on"),),
)


def _certificate_with_number(
    values: Mapping[str, Any], headers: Mapping[str, str]
) -> list[tuple[str, str]]:
    """A validity date belongs to a certificate: 有效期至 needs 健康证明编号 (a blank text cell
    is "", not None, so ``requires`` would not see it)."""
    if values.get("valid_until") is not None and not values.get("certificate_number"):
        return [
            (
                "valid_until",
                f"填写了{headers['valid_until']}，{headers['certificate_number']}不能为空",
            )
        ]
    return []


FOOD_HANDLERS = Ledger(
    name="food_handlers",
    title="从业人员健康证明",
    model="handlers.FoodHandler",
    columns=(
        Column(
            "登记编号",
            "business",
            BUSINESS,
            required=True,
            synonyms=BUSINESS_SYNONYMS,
            help="从业人员所在经营者在“食品生产经营者”台账中的登记编号",
            example="B0001",
        ),
        Column(
            "人员编号",
            "staff_number",
            required=True,
            synonyms=("员工编号", "工号", "序号"),
            help="经营者内部的人员编号；与登记编号一起唯一，重复导入时按它们更新",
            example="001",
        ),
        Column(
            "姓名",
            "name",
            required=True,
            synonyms=("从业人员姓名", "人员姓名"),
            help="从业人员姓名（个人信息，页面和导出中会打码）",
            example="李某",
            personal=True,
        ),
        Column(
            "岗位",
            "role",
            synonyms=("工作岗位", "职务"),
            help="如 厨师、面点、切配、服务员、收银",
            example="厨师",
        ),
        Column(
            "接触直接入口食品",
            "direct_contact",
            BOOL,
            synonyms=("是否接触直接入口食品", "直接接触入口食品"),
            help="是否从事接触直接入口食品的工作；不填为“是”",
        ),
        Column(
            "健康证明编号",
            "certificate_number",
            synonyms=("健康证编号", "健康证号", "健康证明号"),
            help="健康证明（健康证）的编号；没有的不填",
            example="JKZ2021000123",
        ),
        Column(
            "健康证明有效期至",
            "valid_until",
            FUTURE_DATE,
            synonyms=("健康证有效期至", "有效期至", "健康证到期日期"),
            help="健康证明有效期的最后一天；填写时须有健康证明编号",
            example=date(2022, 3, 31),
        ),
        Column(
            "上岗日期",
            "started_on",
            OLD_DATE,
            synonyms=("入职日期", "到岗日期"),
            help="开始在本经营者工作的日期；不详的不填",
            example=date(2020, 4, 1),
        ),
        Column(
            "离岗日期",
            "left_on",
            DATE,
            synonyms=("离职日期",),
            help="离开本经营者的日期；仍在岗的不填",
            example="",
        ),
    ),
    key=("business", "staff_number"),
    rules=(not_before("left_on", "started_on"), _certificate_with_number),
)

SYSTEM_CERTIFICATES = Ledger(
    name="system_certificates",
    title="管理体系认证证书",
    model="handlers.SystemCertificate",
    columns=(
        Column(
            "证书编号",
            "certificate_number",
            required=True,
            synonyms=("认证证书编号", "证书号"),
            help="认证证书的编号；重复导入时按它更新",
            example="CQC21HACCP0001",
        ),
        Column(
            "登记编号",
            "business",
            BUSINESS,
            required=True,
            synonyms=("获证企业登记编号", *BUSINESS_SYNONYMS),
            help="获证经营者在“食品生产经营者”台账中的登记编号",
            example="B0001",
        ),
        Column(
            "体系",
            "scheme",
            enum(CertificateScheme),
            required=True,
            synonyms=("认证体系", "管理体系", "认证类型"),
            help="良好生产规范（GMP）、危害分析与关键控制点体系（HACCP）、ISO 22000 或其他",
            example="危害分析与关键控制点体系（HACCP）",
        ),
        Column(
            "认证机构",
            "certifier",
            synonyms=("发证机构", "认证单位"),
            help="颁发证书的认证机构",
            example="示例认证中心",
        ),
        Column(
            "发证日期",
            "issued_on",
            OLD_DATE,
            required=True,
            synonyms=("颁证日期", "证书日期"),
            help="证书的颁发日期",
            example=date(2020, 6, 1),
        ),
        Column(
            "有效期至",
            "valid_until",
            FUTURE_DATE,
            required=True,
            synonyms=("证书有效期至", "到期日期"),
            help="证书有效期的最后一天，不能早于发证日期",
            example=date(2023, 5, 31),
        ),
    ),
    key=("certificate_number",),
    rules=(not_before("valid_until", "issued_on"),),
)
