"""Ledgers of what the public and operators report: complaints and reports (投诉举报),
operators' self-inspections (自查) and incidents (食品安全事故)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from foodsafe.complaints.models import ComplaintKind, Decision
from foodsafe.complaints.services import complaint_deadlines_all
from foodsafe.incidents.models import IncidentKind, Severity
from foodsafe.workdays.calendar import current_calendar

from .base import (
    BOOL,
    DATE,
    Column,
    Int,
    Ledger,
    RuleError,
    enum,
    not_before,
    requires,
)
from .places import BUSINESS, BUSINESS_SYNONYMS, ORG_UNIT, ORG_UNIT_SYNONYMS


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
        # The same computation as a complaint filed on the public form (complaint_save):
        # acceptance, closing and — from 办结日期 — the end notice (第二十一条); a 举报's
        # verification. The file has no case decision or real-name column, so a 举报's later
        # limits (告知举报人, 案件办理) are left to the handling pages.
        deadlines = complaint_deadlines_all(
            kind=values.get("kind") or ComplaintKind.COMPLAINT,
            received_on=values["received_on"],
            decision=values.get("decision") or Decision.PENDING,
            decided_on=values.get("decided_on"),
            suspended_working_days=values.get("suspended_working_days") or 0,
            closed_on=values.get("closed_on"),
            calendar=current_calendar(max_age=5.0),
        )
    except ValueError as exc:
        raise RuleError("received_on", f"无法计算办理期限：{exc}") from exc
    derived = deadlines.values()
    return {name: derived[name] for name in _DERIVED}


def _end_notice(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    # 告知终止 follows the end of mediation (第二十一条): only an accepted 投诉 that closed has one.
    if values.get("end_notified_on") is None:
        return []
    if values.get("kind") == ComplaintKind.REPORT:
        return [("end_notified_on", "举报不经调解，不应填写告知终止日期")]
    if (values.get("decision") or Decision.PENDING) != Decision.ACCEPTED:
        return [("end_notified_on", "只有已受理的投诉有告知终止日期（不予受理随决定告知）")]
    return []


#: Deadlines the import writes (``complaint_deadlines_all``); a 举报's 告知举报人 and 案件办理
#: limits need columns the file does not have and are not written (not erased either).
_DERIVED = (
    "acceptance_due_on",
    "closing_due_on",
    "end_notice_due_on",
    "verification_due_on",
    "deadline_provisional",
    "deadline_calendar_revision",
)


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
            help="办结日期；填写时须有决定日期。已受理的投诉从这天起算7个工作日的告知终止期限",
            example=date(2021, 9, 10),
        ),
        Column(
            "告知终止日期",
            "end_notified_on",
            DATE,
            synonyms=("告知日期", "终止调解告知日期", "告知双方日期"),
            help="已受理的投诉办结后告知投诉人和被投诉人的日期（第二十一条：7个工作日内）；"
            "不填则按未告知计，逾期后不计为按时办结",
            example=date(2021, 9, 13),
        ),
    ),
    key=("complaint_number",),
    rules=(
        not_before("decided_on", "received_on"),
        not_before("closed_on", "received_on"),
        _decision_dates,
        requires("closed_on", "decided_on"),
        not_before("closed_on", "decided_on"),
        requires("end_notified_on", "closed_on"),
        not_before("end_notified_on", "closed_on"),
        _end_notice,
    ),
    # 投诉举报处理暂行办法 第十四条、第二十条、第二十一条: computed at import, in working days,
    # by the function the public form's complaints go through.
    derive=_complaint_deadlines,
    derived=_DERIVED,
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
