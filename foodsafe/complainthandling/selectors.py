"""Reads for complaint handling: the public status lookup, a unit's own complaints, the
deadline a complaint is waiting on, overdue ones, and the monthly statistics (第三十四条)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foodsafe.accounts.models import Role
from foodsafe.accounts.permissions import scope_to_unit, user_role
from foodsafe.complaints.models import (
    CaseDecision,
    Category,
    Complaint,
    ComplaintKind,
    Decision,
)
from foodsafe.complaints.selectors import may_see_reporter


def may_handle_all(user: Any) -> bool:
    """The office and complaint handlers (投诉举报处理人员) see every complaint."""
    return user_role(user) == Role.OFFICE_ADMIN or bool(
        getattr(user, "is_authenticated", False) and user.has_perm("complaints.view_personal_data")
    )


def handling_queryset(user: Any) -> QuerySet[Complaint]:
    """The complaints ``user`` handles: all for the office and complaint handlers; for a member
    unit only those assigned to it (承办单位), for a 街道 user of it only those of its 街道
    (``Complaint.org_unit``); nothing for anyone else."""
    rows = Complaint.objects.select_related("org_unit", "handling_unit", "business")
    if may_handle_all(user):
        return rows
    if user_role(user) == Role.MEMBER_UNIT:
        # Its unit's, and a 街道 user only those in its 街道 (N7): the one scope function.
        return scope_to_unit(rows, user, "handling_unit")
    return rows.none()


def may_see_identity(user: Any, complaint: Complaint) -> bool:
    """Whether ``user`` may see who filed ``complaint`` even masked: a reporter's identity
    (举报人) is confidential (第三十三条) and shown only to complaint handlers
    (``complaints.selectors.may_see_reporter``, whose docstring gives the reading)."""
    return may_see_reporter(user, complaint)


#: The statutory steps a complaint or report waits on (code → label), in the order they come.
STEPS = {
    "acceptance": gettext_lazy("受理决定"),
    "closing": gettext_lazy("调解办结"),
    "end_notice": gettext_lazy("告知终止"),
    # 举报 (RULES.md §4.1–§4.2)
    "verification": gettext_lazy("核查（决定是否立案）"),
    "reporter_notice": gettext_lazy("告知举报人"),
    "case": gettext_lazy("案件处理决定"),
    "done": gettext_lazy("已办结"),
}


@dataclass(frozen=True)
class Waiting:
    """A step a complaint waits on (``code`` a key of ``STEPS``, ``step`` its label) and its
    deadline (``None`` when nothing is due)."""

    step: str
    due_on: date | None
    code: str = ""


def _waiting(code: str, due_on: date | None) -> Waiting:
    return Waiting(str(STEPS[code]), due_on, code)


def pending_steps(c: Complaint) -> list[Waiting]:
    """Every statutory step still due, earliest deadline first: the acceptance decision (7
    working days, 第十四条), the end of mediation (45, 第二十一条(五)), the notice of the end
    (7, 第二十一条); for a 举报 its own limits instead (``report_steps``). Empty when nothing
    is due."""
    if c.kind == ComplaintKind.REPORT:
        return report_steps(c)
    if c.decision == Decision.PENDING:
        return [_waiting("acceptance", c.acceptance_due_on)]
    if c.decision == Decision.ACCEPTED and c.closed_on is None:
        return [_waiting("closing", c.closing_due_on)]
    if c.decision == Decision.ACCEPTED and c.end_notified_on is None:
        return [_waiting("end_notice", c.end_notice_due_on)]
    return []


def report_steps(c: Complaint) -> list[Waiting]:
    """A 举报's steps still due, earliest first (limits: ``complaints.report_limits``):
    verification and the decision whether to open a case (核查, 15 working days [M], +15 if
    extended); telling a real-name reporter of that decision (5 working days, 第三十一条); the
    decision on a case opened (90 days [S])."""
    if not c.case_decision:
        return [_waiting("verification", c.verification_due_on)]
    steps = []
    if c.real_name and c.reporter_notified_on is None:
        steps.append(_waiting("reporter_notice", c.reporter_notice_due_on))
    if c.case_decision == CaseDecision.FILED and c.closed_on is None:
        steps.append(_waiting("case", c.case_due_on))
    return sorted(steps, key=lambda w: (w.due_on is None, w.due_on or date.min))


def waiting_on(c: Complaint) -> Waiting:
    """The next statutory step (the earliest of ``pending_steps``), or 已办结."""
    steps = pending_steps(c)
    return steps[0] if steps else _waiting("done", None)


def is_overdue(c: Complaint, on: date) -> bool:
    return any(w.due_on is not None and w.due_on < on for w in pending_steps(c))


def open_complaints(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Complaints with a step still due: a 投诉 not refused and not notified of the end; a 举报
    without its case decision, its reporter not yet told, or its case not decided."""
    complaint_open = (
        Q(kind=ComplaintKind.COMPLAINT)
        & ~Q(decision=Decision.REFUSED)
        & Q(end_notified_on__isnull=True)
    )
    report_open = Q(kind=ComplaintKind.REPORT) & (
        Q(case_decision="")
        | Q(real_name=True, reporter_notified_on__isnull=True)
        | Q(case_decision=CaseDecision.FILED, closed_on__isnull=True)
    )
    return queryset.filter(complaint_open | report_open)


def overdue(queryset: QuerySet[Complaint], on: date) -> list[Complaint]:
    """Open complaints with a step past its deadline on ``on`` (逾期督办)."""
    return [c for c in open_complaints(queryset).order_by("received_on") if is_overdue(c, on)]


def due_by(on: date) -> list[tuple[Complaint, Waiting]]:
    """Every (complaint, step) whose deadline is on or before ``on`` and not done: what the
    daily reminders chase (``supervision.complaint_reminders``), earliest deadline first."""
    rows = open_complaints(Complaint.objects.select_related("handling_unit")).filter(
        Q(decision=Decision.PENDING, acceptance_due_on__lte=on)
        | Q(closed_on__isnull=True, closing_due_on__lte=on)
        | Q(end_notified_on__isnull=True, end_notice_due_on__lte=on)
        | Q(case_decision="", verification_due_on__lte=on)
        | Q(reporter_notified_on__isnull=True, reporter_notice_due_on__lte=on)
        | Q(closed_on__isnull=True, case_due_on__lte=on)
    )
    found = [
        (c, w)
        for c in rows.order_by("received_on", "complaint_number")
        for w in pending_steps(c)
        if w.due_on is not None and w.due_on <= on
    ]
    return sorted(found, key=lambda cw: (cw[1].due_on, cw[0].complaint_number))


@dataclass(frozen=True)
class PublicStatus:
    """What the status lookup tells the person who filed (no one else's data)."""

    number: str
    kind: str
    received_on: date
    status: str
    due_on: date | None
    decided_on: date | None
    closed_on: date | None
    refusal_ground: str
    reply: str


def public_status(number: str, phone: str) -> PublicStatus | None:
    """The status of complaint ``number`` if ``phone`` is the phone it was filed with (digits
    compared, spaces and dashes ignored); ``None`` otherwise, the same for a wrong number and a
    wrong phone, so that the lookup does not tell which one exists."""
    c = Complaint.objects.filter(complaint_number=number.strip().upper()).first()
    if c is None or not phone or _digits(c.complainant_phone) != _digits(phone):
        return None
    if c.kind == ComplaintKind.REPORT:
        status = _report_status(c)
    elif c.decision == Decision.PENDING:
        status = _("已登记，待作出受理决定")
    elif c.decision == Decision.REFUSED:
        status = _("不予受理")
    elif c.closed_on is None:
        status = _("已受理，正在处理") if c.kind == ComplaintKind.REPORT else _("已受理，调解中")
    else:
        status = _("已办结")
    return PublicStatus(
        number=c.complaint_number,
        kind=c.get_kind_display(),
        received_on=c.received_on,
        status=status,
        due_on=waiting_on(c).due_on,
        decided_on=c.decided_on,
        closed_on=c.closed_on,
        refusal_ground=c.get_refusal_ground_display() if c.refusal_ground else "",
        reply=c.reply if c.closed_on else "",
    )


def _report_status(c: Complaint) -> str:
    if not c.case_decision:
        return _("已登记，正在核查")
    if c.case_decision == CaseDecision.NOT_FILED:
        return _("经核查不予立案")
    return _("已立案，正在处理") if c.closed_on is None else _("已办结")


def _digits(text: str) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


# -- statistics (第三十四条) --------------------------------------------------------------------


@dataclass
class MonthlyStatistics:
    """One month's complaints and reports by category and by handling unit, counts only (no
    personal data, no business names): fit for publication (第三十四条 定期公布统计).

    ``rows``: how many complaints and reports were received in the month; 0 means the month
    has no rows at all, shown as 无数据 rather than as a table of zeros."""

    year: int
    month: int
    received: Counter[str] = field(default_factory=Counter)
    by_category: dict[str, Counter[str]] = field(default_factory=dict)
    by_unit: dict[str, Counter[str]] = field(default_factory=dict)
    rows: int = 0

    @property
    def category_rows(self) -> list[tuple[str, Counter[str]]]:
        labels = dict(Category.choices)
        return [(str(labels[k]), v) for k, v in self.by_category.items()]

    @property
    def unit_rows(self) -> list[tuple[str, Counter[str]]]:
        return sorted(self.by_unit.items())


def monthly_statistics(year: int, month: int) -> MonthlyStatistics:
    """Complaints and reports received in ``year``-``month`` (all channels alike): per category
    and per handling unit, how many 投诉 and 举报 came in, and of the 投诉 how many were
    accepted (受理), refused (不予受理), ended after acceptance (调解结束), 办结 (refused or
    ended: the two ways a 投诉 is finished, RULES.md §4.3), and of the 办结 those on time
    (按时办结: decision by its deadline, and, if accepted, the end by its deadline and the end
    told by its own; the numerator of item 9's reading, RULES.md §4.3), so that
    按时办结 ≤ 办结 ≤ 投诉."""
    stats = MonthlyStatistics(year, month)
    for key in Category.values:
        stats.by_category[key] = Counter()
    rows = Complaint.objects.filter(received_on__year=year, received_on__month=month)
    for c in rows.select_related("handling_unit"):
        stats.rows += 1
        keys = _counts(c)
        stats.received.update(keys)
        stats.by_category[c.category].update(keys)
        unit = c.handling_unit.name if c.handling_unit else _("未分派")
        stats.by_unit.setdefault(str(unit), Counter()).update(keys)
    return stats


def _counts(c: Complaint) -> list[str]:
    if c.kind == ComplaintKind.REPORT:
        return ["report"]
    keys = ["complaint"]
    decided_in_time = c.decided_on is not None and c.decided_on <= c.acceptance_due_on
    if c.decision == Decision.REFUSED:
        keys += ["refused", "done"]
        if decided_in_time:
            keys.append("on_time")
    elif c.decision == Decision.ACCEPTED:
        keys.append("accepted")
        if c.closed_on is not None:
            keys += ["closed", "done"]
            # Item 9's reading (RULES.md §4.3, heping-2021.yaml): the end told by its
            # deadline too, where one was computed.
            told = c.end_notice_due_on is None or (
                c.end_notified_on is not None and c.end_notified_on <= c.end_notice_due_on
            )
            if decided_in_time and c.closing_due_on and c.closed_on <= c.closing_due_on and told:
                keys.append("on_time")
    return keys


@dataclass(frozen=True)
class StatisticsMonth:
    """The month a statistics page shows: the one asked for, or (``defaulted``) the latest
    month with complaints received; ``not_understood``: the text typed when it was not a
    month, so that the page says so instead of quietly showing another month."""

    year: int
    month: int
    defaulted: bool = False
    not_understood: str = ""


def parse_month(text: str | None) -> tuple[int, int] | None:
    """The forms people type for a month: ``2021-10``, ``2021-1``, ``2021/10``, ``2021.10``,
    ``202110``, ``2021年10月``; ``None`` for anything else (a year outside 2000–2100 too)."""
    raw = (text or "").strip().replace("年", "-").removesuffix("月")
    for sep in "/.":
        raw = raw.replace(sep, "-")
    if raw.isdigit() and len(raw) == 6:
        raw = f"{raw[:4]}-{raw[4:]}"
    parts = raw.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    y, m = int(parts[0]), int(parts[1])
    return (y, m) if 2000 <= y <= 2100 and 1 <= m <= 12 else None


def statistics_month(text: str | None) -> StatisticsMonth:
    """The month for ``?month=``: as typed when understood (``parse_month``); otherwise the
    latest month with a complaint or report received (no rows behind a month → 无数据, so
    the page does not open on an empty month), or this month when there are none at all."""
    parsed = parse_month(text)
    if parsed:
        return StatisticsMonth(*parsed)
    latest = Complaint.objects.aggregate(m=Max("received_on"))["m"] or timezone.localdate()
    typed = (text or "").strip()
    return StatisticsMonth(latest.year, latest.month, defaulted=True, not_understood=typed)
