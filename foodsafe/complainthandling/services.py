"""投诉举报办理 (SAMR Order 20, 《市场监督管理投诉举报处理暂行办法》): a submission from the
public page, assignment to the responsible unit, the acceptance decision, the suspension for
testing, the end of mediation and the notice of it.

Every write goes through :func:`foodsafe.complaints.services.complaint_save`, which recomputes
the statutory deadlines in Chinese working days and writes the history row (the audit trail,
``actor`` as its user) in the same transaction. The complaints ledger is the one the scorecard
reads (item 9), so a complaint filed here counts exactly as an imported one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from foodsafe.complaints.models import (
    CaseDecision,
    Category,
    Channel,
    Complaint,
    ComplaintKind,
    Decision,
    Outcome,
    RefusalGround,
)
from foodsafe.complaints.services import complaint_save
from foodsafe.orgunits.models import Level, OrgUnit, ResponsibleUnit

#: Letters of a tracking number after the date: no 0/O or 1/I/L, so it can be read aloud.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class HandlingError(ValueError):
    """A handling step that may not happen; the message says why, in Chinese."""


@dataclass(frozen=True)
class Submission:
    """What the public form sends (第九条: name, phone, address, respondent, claim and facts)."""

    name: str
    phone: str
    address: str
    respondent: str
    claim: str
    facts: str
    org_unit_code: str
    category: str
    is_complaint: bool
    is_report: bool
    is_food: bool = True


def tracking_number(kind: str, on: date) -> str:
    """A new tracking number (受理编号): ``TS`` (投诉) or ``JB`` (举报), the date and eight
    random letters, e.g. ``TS20211008-7KQ2M9XA``. Random, so that a number cannot be guessed
    from another one; the status lookup also needs the phone number."""
    prefix = "JB" if kind == ComplaintKind.REPORT else "TS"
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{prefix}{on:%Y%m%d}-{tail}"


def submission_problems(sub: Submission) -> dict[str, str]:
    """Missing materials (第九条 / 第十五条第五项), field → message; empty when complete."""
    problems: dict[str, str] = {}
    for field, label in (
        ("name", "姓名"),
        ("phone", "联系电话"),
        ("address", "联系地址"),
        ("respondent", "被投诉人（名称、地址）"),
        ("facts", "事实和理由"),
    ):
        if not getattr(sub, field).strip():
            problems[field] = f"请填写{label}（第九条）"
    if sub.is_complaint and not sub.claim.strip():
        problems["claim"] = "投诉须写明具体的投诉请求（第九条）"
    if not (sub.is_complaint or sub.is_report):
        problems["kind"] = "请选择投诉、举报或两者"
    digits = "".join(ch for ch in sub.phone if ch.isdigit())
    if sub.phone.strip() and not 7 <= len(digits) <= 15:
        problems["phone"] = "联系电话应为 7–15 位数字"
    if sub.category not in Category.values:
        problems["category"] = "请选择投诉类别"
    # The public form leaves this check to here (foodsafe/public/forms.py SubdistrictField).
    if not OrgUnit.objects.filter(code=sub.org_unit_code, level=Level.TOWNSHIP).exists():
        problems["org_unit_code"] = "请选择所在街道"
    return problems


def complaint_submit(
    *, submission: Submission, submission_key: str, received_on: date | None = None
) -> list[Complaint]:
    """File a submission from the public page: one record per kind (第七条: 投诉 and 举报 in one
    submission are handled separately), linked by ``related_number``; received today (the
    deadlines count from here). Returns the records, 投诉 first.

    ``submission_key`` is the form's single-use challenge nonce: submitting the same form again
    returns the records it made the first time and stores nothing (unique in the ledger, so two
    racing requests cannot both store it). Raises :class:`HandlingError` for missing materials.
    """
    # No look-up of the key first: the public form's challenge already refuses a used nonce,
    # and a repeat that gets here anyway (another caller, a race) fails on the unique key below
    # and returns what the first one stored. One query less on every submission (docs/public.md).
    problems = submission_problems(submission)
    if problems:
        raise HandlingError("；".join(problems.values()))
    on = received_on or timezone.localdate()
    kinds = [
        kind
        for kind, wanted in (
            (ComplaintKind.COMPLAINT, submission.is_complaint),
            (ComplaintKind.REPORT, submission.is_report),
        )
        if wanted
    ]
    numbers = [tracking_number(kind, on) for kind in kinds]
    made: list[Complaint] = []
    try:
        with transaction.atomic():
            for i, kind in enumerate(kinds):
                complaint = Complaint(
                    complaint_number=numbers[i],
                    kind=kind,
                    is_food=submission.is_food,
                    org_unit_id=submission.org_unit_code,
                    complainant_name=submission.name.strip(),
                    complainant_phone=submission.phone.strip(),
                    complainant_address=submission.address.strip(),
                    respondent_name=submission.respondent.strip(),
                    claim=submission.claim.strip() if kind == ComplaintKind.COMPLAINT else "",
                    summary=submission.facts.strip(),
                    category=submission.category,
                    channel=Channel.PUBLIC,
                    received_on=on,
                    submission_key=submission_key if i == 0 else f"{submission_key}-R",
                    related_number=numbers[1 - i] if len(kinds) == 2 else "",
                    # The form requires name and phone: a report filed there is real-name
                    # (第三十一条: such a reporter is told whether a case was opened).
                    real_name=kind == ComplaintKind.REPORT,
                )
                made.append(complaint_save(complaint=complaint, actor=None))
    except IntegrityError:
        existing = _submitted(submission_key)
        if existing:
            return existing
        raise
    return made


def _submitted(key: str) -> list[Complaint]:
    return list(
        Complaint.objects.filter(submission_key__in=[key, f"{key}-R"]).order_by("submission_key")
    )


def complaint_assign(*, complaint: Complaint, unit: ResponsibleUnit, actor: Any) -> Complaint:
    """分派: give ``complaint`` to the unit that handles it (承办单位); it then sees it on its
    list, and no other unit does."""
    complaint.handling_unit = unit
    return complaint_save(complaint=complaint, actor=actor)


def complaint_decide(
    *,
    complaint: Complaint,
    accept: bool,
    decided_on: date,
    ground: str = "",
    reply: str = "",
    actor: Any,
) -> Complaint:
    """受理 or 不予受理 a complaint on ``decided_on`` (第十四条: within 7 working days of
    receipt; the deadline is stored, a late decision is recorded as late, not refused).
    A refusal needs one of the grounds of 第十五条 (:class:`RefusalGround`). A decision dated
    before the complaint was received (登记日期) is refused: the 7 working days run from
    receipt, so nothing can be decided before it (the table's check constraint
    ``complaint_decided_after_received`` says the same)."""
    if complaint.decision != Decision.PENDING:
        raise HandlingError("已作出受理决定，不能再次决定")
    if decided_on < complaint.received_on:
        raise HandlingError(
            f"决定日期 {decided_on:%Y-%m-%d} 早于登记（收到）日期 "
            f"{complaint.received_on:%Y-%m-%d}：受理决定不能早于收到投诉之日"
        )
    if accept:
        ground = ""
    elif ground not in RefusalGround.values:
        raise HandlingError("不予受理须选择第十五条规定的理由")
    complaint.decision = Decision.ACCEPTED if accept else Decision.REFUSED
    complaint.decided_on = decided_on
    complaint.refusal_ground = ground
    if not accept:
        # A refusal ends the matter: it is closed on the day it is decided.
        complaint.closed_on = decided_on
        complaint.reply = reply.strip()
    return complaint_save(complaint=complaint, actor=actor)


def complaint_suspend(*, complaint: Complaint, working_days: int, actor: Any) -> Complaint:
    """Record the working days spent on 检定、检验、检测、鉴定 (第二十条: not counted in the 45):
    the closing deadline moves by as many working days."""
    if complaint.decision != Decision.ACCEPTED or complaint.closed_on is not None:
        raise HandlingError("只有已受理、尚未办结的投诉可以登记不计入的检验鉴定时间")
    if working_days < 0:
        raise HandlingError("不计入的工作日不能为负数")
    complaint.suspended_working_days = working_days
    return complaint_save(complaint=complaint, actor=actor)


def complaint_close(
    *, complaint: Complaint, outcome: str, closed_on: date, reply: str, actor: Any
) -> Complaint:
    """办结 an accepted complaint: mediation agreed, ended without agreement, or withdrawn
    (第二十一条), on ``closed_on``; the 7-working-day notice deadline follows from it."""
    if complaint.decision != Decision.ACCEPTED:
        raise HandlingError("只有已受理的投诉可以办结")
    if complaint.closed_on is not None:
        raise HandlingError("该投诉已办结")
    if outcome not in Outcome.values:
        raise HandlingError("请选择办结方式")
    if complaint.decided_on and closed_on < complaint.decided_on:
        raise HandlingError("办结日期不能早于受理日期")
    if closed_on < complaint.received_on:
        raise HandlingError("办结日期不能早于登记（收到）日期")
    complaint.outcome = outcome
    complaint.closed_on = closed_on
    complaint.reply = reply.strip()
    return complaint_save(complaint=complaint, actor=actor)


def complaint_notify_end(*, complaint: Complaint, notified_on: date, actor: Any) -> Complaint:
    """Record that both parties were told mediation ended (第二十一条: within 7 working days)."""
    if complaint.closed_on is None or complaint.decision != Decision.ACCEPTED:
        raise HandlingError("投诉办结后才能登记告知终止")
    if notified_on < complaint.closed_on:
        raise HandlingError("告知日期不能早于办结日期")
    complaint.end_notified_on = notified_on
    return complaint_save(complaint=complaint, actor=actor)


# -- 举报 (RULES.md §4.1–§4.2; limits in complaints.report_limits) ------------------------------


def _report(complaint: Complaint) -> None:
    if complaint.kind != ComplaintKind.REPORT:
        raise HandlingError("只有举报有核查、立案和告知举报人环节")


def report_extend_verification(*, complaint: Complaint, actor: Any) -> Complaint:
    """Extend the verification before the 立案 decision (特殊情况经批准延长; by the configured
    extension, 15 working days [M])."""
    _report(complaint)
    if complaint.case_decision:
        raise HandlingError("已作出立案决定，不能再延长核查期限")
    if complaint.verification_extended:
        raise HandlingError("核查期限已延长过一次")
    complaint.verification_extended = True
    return complaint_save(complaint=complaint, actor=actor)


def report_decide_case(
    *, complaint: Complaint, filed: bool, decided_on: date, actor: Any
) -> Complaint:
    """Record the decision whether to open a case (立案/不予立案) on ``decided_on``; a real-name
    reporter is then to be told within 5 working days (第三十一条). Not opening a case ends the
    report on that day."""
    _report(complaint)
    if complaint.case_decision:
        raise HandlingError("已作出立案决定")
    if decided_on < complaint.received_on:
        raise HandlingError("立案决定日期不能早于登记日期")
    complaint.case_decision = CaseDecision.FILED if filed else CaseDecision.NOT_FILED
    complaint.case_decided_on = decided_on
    if not filed:
        complaint.closed_on = decided_on
    return complaint_save(complaint=complaint, actor=actor)


def report_notify_reporter(*, complaint: Complaint, notified_on: date, actor: Any) -> Complaint:
    """Record that the real-name reporter was told whether a case was opened (第三十一条)."""
    _report(complaint)
    if not complaint.case_decision or complaint.case_decided_on is None:
        raise HandlingError("作出立案决定后才能登记告知举报人")
    if notified_on < complaint.case_decided_on:
        raise HandlingError("告知日期不能早于立案决定日期")
    complaint.reporter_notified_on = notified_on
    return complaint_save(complaint=complaint, actor=actor)


def report_close_case(
    *, complaint: Complaint, closed_on: date, reply: str, actor: Any
) -> Complaint:
    """The case opened on the report is decided (作出处理决定) on ``closed_on``."""
    _report(complaint)
    if complaint.case_decision != CaseDecision.FILED or complaint.case_decided_on is None:
        raise HandlingError("只有已立案的举报可以登记处理决定")
    if complaint.closed_on is not None:
        raise HandlingError("该举报已办结")
    if closed_on < complaint.case_decided_on:
        raise HandlingError("处理决定日期不能早于立案日期")
    complaint.closed_on = closed_on
    complaint.reply = reply.strip()
    return complaint_save(complaint=complaint, actor=actor)
