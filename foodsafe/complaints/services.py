"""Complaint services: statutory deadlines in Chinese working days (工作日), and saving a
complaint wherever it comes from (admin, import) with its deadlines computed.

Working days come from the office's calendar (:mod:`foodsafe.workdays.calendar`): statutory
holidays off, make-up working days (调休上班) on; in a year without a loaded arrangement the
deadline is counted from the statutory holidays alone and marked provisional (暂定).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from foodsafe.workdays.calendar import Calendar, add_workdays, current_calendar
from foodsafe.workdays.registry import DeadlineChange

from .models import CaseDecision, Complaint, ComplaintKind, Decision, PersonalDataReveal
from .report_limits import report_limits

#: 投诉举报处理暂行办法 第十四条: decide whether to accept within 7 working days of receipt.
ACCEPTANCE_WORKING_DAYS = 7
#: 投诉举报处理暂行办法 第二十一条(五): mediation ends within 45 working days of acceptance.
MEDIATION_WORKING_DAYS = 45
#: 投诉举报处理暂行办法 第二十一条: tell both parties within 7 working days that mediation ended.
END_NOTICE_WORKING_DAYS = 7


@dataclass(frozen=True)
class ComplaintDeadlines:
    acceptance_due_on: date
    closing_due_on: date | None
    provisional: bool
    revision: int
    end_notice_due_on: date | None = None
    verification_due_on: date | None = None
    reporter_notice_due_on: date | None = None
    case_due_on: date | None = None

    def values(self) -> dict[str, Any]:
        """The model fields these deadlines fill."""
        return {
            "acceptance_due_on": self.acceptance_due_on,
            "closing_due_on": self.closing_due_on,
            "deadline_provisional": self.provisional,
            "deadline_calendar_revision": self.revision,
            "end_notice_due_on": self.end_notice_due_on,
            "verification_due_on": self.verification_due_on,
            "reporter_notice_due_on": self.reporter_notice_due_on,
            "case_due_on": self.case_due_on,
        }


@dataclass(frozen=True)
class ReportDeadlines:
    verification_due_on: date
    reporter_notice_due_on: date | None
    case_due_on: date | None
    provisional: bool


def report_deadlines_compute(
    *,
    received_on: date,
    extended: bool = False,
    case_decision: str = "",
    case_decided_on: date | None = None,
    real_name: bool = False,
    calendar: Calendar | None = None,
) -> ReportDeadlines:
    """Time limits of a 举报 (RULES.md §4.1–§4.2), from ``report_limits()`` (configuration:
    the verification limit is [M], the case limit [S]):

    - 核查 (verify, then decide whether to open a case): ``verification.working_days`` (15)
      working days after ``received_on``, plus ``extension_working_days`` (15) when
      ``extended`` (特殊情况经批准延长).
    - 告知举报人 (a real-name reporter is told whether a case was opened): once decided,
      ``reporter_notice.working_days`` (5) working days after ``case_decided_on`` (第三十一条);
      none for an anonymous report.
    - 案件处理 (a case opened is decided): ``case_decision.days`` (90) calendar days after
      ``case_decided_on`` when the decision is 立案.
    """
    limits = report_limits()
    calendar = calendar or current_calendar()
    days = limits.verification.working_days
    if extended:
        days += limits.verification.extension_working_days
    verification = add_workdays(received_on, days, calendar=calendar)
    provisional = verification.provisional
    notice_due = case_due = None
    if case_decision and case_decided_on is not None:
        if real_name:
            notice = add_workdays(
                case_decided_on, limits.reporter_notice.working_days, calendar=calendar
            )
            notice_due, provisional = notice.date, provisional or notice.provisional
        if case_decision == CaseDecision.FILED:
            case_due = case_decided_on + timedelta(days=limits.case_decision.days)
    return ReportDeadlines(verification.date, notice_due, case_due, provisional)


def complaint_deadlines_compute(
    *,
    received_on: date,
    decision: str,
    decided_on: date | None,
    suspended_working_days: int = 0,
    calendar: Calendar | None = None,
    closed_on: date | None = None,
) -> ComplaintDeadlines:
    """Statutory deadlines of a complaint (投诉), with whether they are provisional.

    - Acceptance decision (受理决定): 7 working days after ``received_on``
      (《市场监督管理投诉举报处理暂行办法》第十四条).
    - Mediation closing (调解终止/办结): only when ``decision`` is ``accepted``: 45 working days
      after the acceptance date ``decided_on`` (第二十一条(五)), extended by
      ``suspended_working_days``, the working days spent on 检定、检验、检测、鉴定, which are not
      counted (第二十条). For any other decision it is ``None``.
    - Notice of the end (告知终止): when accepted and ``closed_on`` is given, 7 working days
      after it (第二十一条: 自作出终止调解决定之日起七个工作日内告知双方); else ``None``.

    Raises ``ValueError`` if the decision is ``accepted`` without ``decided_on`` or if
    ``suspended_working_days`` is negative.
    """
    calendar = calendar or current_calendar()
    acceptance = add_workdays(received_on, ACCEPTANCE_WORKING_DAYS, calendar=calendar)
    if decision != Decision.ACCEPTED:
        return ComplaintDeadlines(acceptance.date, None, acceptance.provisional, calendar.revision)
    if decided_on is None:
        raise ValueError("已受理的投诉须有决定日期 / an accepted complaint needs decided_on")
    if suspended_working_days < 0:
        raise ValueError(
            "不计入的工作日不能为负数 / suspended working days must not be negative: "
            f"{suspended_working_days}"
        )
    closing = add_workdays(
        decided_on, MEDIATION_WORKING_DAYS + suspended_working_days, calendar=calendar
    )
    provisional = acceptance.provisional or closing.provisional
    end_notice = None
    if closed_on is not None:
        notice = add_workdays(closed_on, END_NOTICE_WORKING_DAYS, calendar=calendar)
        end_notice = notice.date
        provisional = provisional or notice.provisional
    return ComplaintDeadlines(
        acceptance.date, closing.date, provisional, calendar.revision, end_notice
    )


def complaint_deadlines(
    *,
    received_on: date,
    decision: str,
    decided_on: date | None,
    suspended_working_days: int = 0,
    calendar: Calendar | None = None,
) -> tuple[date, date | None]:
    """``(acceptance_due_on, closing_due_on)`` of :func:`complaint_deadlines_compute`."""
    result = complaint_deadlines_compute(
        received_on=received_on,
        decision=decision,
        decided_on=decided_on,
        suspended_working_days=suspended_working_days,
        calendar=calendar,
    )
    return result.acceptance_due_on, result.closing_due_on


def complaint_deadlines_all(
    *,
    kind: str,
    received_on: date,
    decision: str,
    decided_on: date | None,
    suspended_working_days: int = 0,
    closed_on: date | None = None,
    verification_extended: bool = False,
    case_decision: str = "",
    case_decided_on: date | None = None,
    real_name: bool = False,
    calendar: Calendar | None = None,
) -> ComplaintDeadlines:
    """Every deadline of a complaint or report from its dates: :func:`complaint_deadlines_compute`
    (acceptance, closing, end notice) and, for a 举报, :func:`report_deadlines_compute`. The one
    computation for a row from any source — the public form and the handling pages through
    :func:`complaint_save`, the import (12315 exports) through its derived fields — so the
    same dates give the same deadlines wherever the complaint came from."""
    deadlines = complaint_deadlines_compute(
        received_on=received_on,
        decision=decision,
        decided_on=decided_on,
        suspended_working_days=suspended_working_days,
        calendar=calendar,
        closed_on=closed_on,
    )
    if kind != ComplaintKind.REPORT:
        return deadlines
    report = report_deadlines_compute(
        received_on=received_on,
        extended=verification_extended,
        case_decision=case_decision,
        case_decided_on=case_decided_on,
        real_name=real_name,
        calendar=calendar,
    )
    return dataclasses.replace(
        deadlines,
        verification_due_on=report.verification_due_on,
        reporter_notice_due_on=report.reporter_notice_due_on,
        case_due_on=report.case_due_on,
        provisional=deadlines.provisional or report.provisional,
    )


def _deadlines_of(complaint: Complaint, calendar: Calendar | None = None) -> ComplaintDeadlines:
    return complaint_deadlines_all(
        kind=complaint.kind,
        received_on=complaint.received_on,
        decision=complaint.decision,
        decided_on=complaint.decided_on,
        suspended_working_days=complaint.suspended_working_days or 0,
        closed_on=complaint.closed_on,
        verification_extended=complaint.verification_extended,
        case_decision=complaint.case_decision,
        case_decided_on=complaint.case_decided_on,
        real_name=complaint.real_name,
        calendar=calendar,
    )


def complaint_check(complaint: Complaint) -> dict[str, str]:
    """What is wrong with a complaint's decision and dates, field → Chinese message (empty: fine).

    A decision (受理/不予受理) needs its date and a pending one has none; decision and closing
    dates are not before the receipt; only an accepted complaint has suspended working days.
    """
    errors: dict[str, str] = {}
    if complaint.decision != Decision.PENDING and complaint.decided_on is None:
        errors["decided_on"] = "已作出受理决定的投诉须填写决定日期。"
    if complaint.decision == Decision.PENDING and complaint.decided_on is not None:
        errors["decided_on"] = "受理决定为“待决定”时不应填写决定日期。"
    if complaint.decision == Decision.REFUSED and complaint.suspended_working_days:
        errors["suspended_working_days"] = "不予受理的投诉不应有不计入的工作日。"
    for field in ("decided_on", "closed_on"):
        value = getattr(complaint, field)
        if value is not None and complaint.received_on and value < complaint.received_on:
            errors.setdefault(field, "不能早于登记日期。")
    return errors


def complaint_save(*, complaint: Complaint, actor: Any) -> Complaint:
    """Save a new or changed complaint with its deadlines computed from its dates and decision.

    Used by the admin (and by anything else that writes one complaint); the import computes the
    same deadlines with :func:`complaint_deadlines_compute`. The row and its history (as
    ``actor``) are written in one transaction. Raises ``ValidationError`` (field → message) for
    an accepted/refused complaint without a decision date, a pending one with a date, or dates
    before the receipt.
    """
    errors = complaint_check(complaint)
    if errors:
        raise ValidationError(errors)
    deadlines = _deadlines_of(complaint)
    for name, value in deadlines.values().items():
        setattr(complaint, name, value)
    # savepoint=False: inside a caller's transaction (complaint_submit files one or two records
    # in one) a failure here rolls that whole transaction back, which every caller wants; the
    # savepoint cost two more round trips on each public form post (docs/public.md, "Load").
    with transaction.atomic(savepoint=False):
        complaint._history_user = actor  # type: ignore[attr-defined]
        complaint.save()
    return complaint


def _deadlines_touching(
    calendar: Calendar, year: int
) -> Iterator[tuple[Complaint, dict[str, Any]]]:
    """The complaints whose counting may touch ``year`` (a deadline on or after its 1 January,
    received by its 31 December: a count that ended before the year never looked at it), with
    their deadline fields as ``calendar`` counts them."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = Complaint.objects.filter(
        Q(acceptance_due_on__gte=first)
        | Q(closing_due_on__gte=first)
        | Q(verification_due_on__gte=first)
        | Q(reporter_notice_due_on__gte=first),
        received_on__lte=last,
    ).order_by("pk")
    for complaint in rows.iterator(chunk_size=500):
        yield complaint, _deadlines_of(complaint, calendar).values()


def _differs(complaint: Complaint, new: dict[str, Any]) -> bool:
    return any(
        getattr(complaint, name) != value
        for name, value in new.items()
        if name != "deadline_calendar_revision"
    )


def complaints_recompute_deadlines(*, calendar: Calendar, year: int, actor: Any) -> tuple[int, int]:
    """Deadline holder for :mod:`foodsafe.workdays.registry`: recompute the complaints whose
    counting may touch ``year``.

    Returns ``(recomputed, changed)``: rows given the new revision, rows whose dates or
    provisional mark changed.
    """
    recomputed = changed = 0
    for complaint, new in _deadlines_touching(calendar, year):
        recomputed += 1
        if _differs(complaint, new):
            changed += 1
        for name, value in new.items():
            setattr(complaint, name, value)
        complaint._history_user = actor  # type: ignore[attr-defined]
        complaint.save(update_fields=list(new))
    return recomputed, changed


def complaints_preview_deadlines(*, calendar: Calendar, year: int) -> list[DeadlineChange]:
    """The dry run of :func:`complaints_recompute_deadlines`: one entry per deadline (受理决定期限,
    办结期限) whose date or 暂定 mark would change, old → new; writes nothing."""
    labels = {"acceptance_due_on": gettext("受理决定期限"), "closing_due_on": gettext("办结期限")}
    changes = []
    for complaint, new in _deadlines_touching(calendar, year):
        if not _differs(complaint, new):
            continue
        for name, label in labels.items():
            old_date, new_date = getattr(complaint, name), new[name]
            if old_date is None and new_date is None:
                continue
            if (
                old_date == new_date
                and complaint.deadline_provisional == new["deadline_provisional"]
            ):
                continue
            changes.append(
                DeadlineChange(
                    kind=gettext("投诉举报"),
                    number=complaint.complaint_number,
                    deadline=label,
                    old=old_date,
                    old_provisional=complaint.deadline_provisional,
                    new=new_date,
                    new_provisional=new["deadline_provisional"],
                )
            )
    return changes


# -- personal data (个人信息) -------------------------------------------------------------------


class RevealRefused(ValueError):
    """A reveal that may not happen; the message says why, in Chinese."""


def personal_data_reveal(*, complaint: Any, reason: str, actor: Any) -> PersonalDataReveal:
    """查看投诉人个人信息: record that ``actor`` sees the complainant's name and phone of
    ``complaint`` for ``reason``, and return the record (the caller shows the values once).

    Only holders of ``complaints.view_personal_data`` (the group 投诉举报处理人员) may; a
    reason is required (《个人信息保护法》第五十一条: processing is access-controlled and
    recorded). Raises :class:`RevealRefused` otherwise, writing nothing.
    """
    reason = (reason or "").strip()
    if not actor.has_perm("complaints.view_personal_data"):
        raise RevealRefused("没有查看投诉人个人信息的权限（须为投诉举报处理人员）")
    if not reason:
        raise RevealRefused("请填写查看事由")
    if len(reason) > 200:
        raise RevealRefused("查看事由不超过 200 字")
    with transaction.atomic():
        return PersonalDataReveal.objects.create(
            complaint=complaint, revealed_by=actor, reason=reason
        )
