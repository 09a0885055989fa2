"""Supervision reads (督查督办): overdue work by unit, and each unit's performance.

Overdue is derived, never stored: an item is overdue on day ``on`` when it is not closed (销号)
and its deadline is before ``on``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce

from foodsafe.accounts.permissions import scope_to_unit
from foodsafe.evidence.models import Evidence, ReviewStatus
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.rectification.models import Rectification, State
from foodsafe.workdays.calendar import current_calendar
from foodsafe.workplan.selectors import DueRow, due_row, overdue_milestones, overdue_tasks

from .models import Notification, Reminder


def overdue_queryset(*, on: date) -> QuerySet[Rectification]:
    """Rectification items overdue on ``on``: not closed, deadline before ``on``."""
    return Rectification.objects.exclude(state=State.CLOSED).filter(deadline__lt=on)


@dataclass
class OverdueItem:
    rectification: Rectification
    working_days_late: int
    last_reminded_on: date | None
    url: str | None = None  # the item's page, filled in by the view


@dataclass(frozen=True)
class UnitOverdue:
    unit: ResponsibleUnit
    items: tuple[OverdueItem, ...]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def most_late(self) -> int:
        return max((i.working_days_late for i in self.items), default=0)


def overdue_by_unit(*, user: Any, on: date, q: str = "") -> list[UnitOverdue]:
    """The items overdue on ``on`` that ``user`` may see, grouped by owner unit; ``q`` keeps
    the items whose number, problem or owner unit's name contains it.

    Office admins and reviewers see every unit; a member-unit user sees only their own unit;
    anyone else sees nothing (the view refuses them first). Units are ordered by the number of
    overdue items, most first; items by deadline. One query.
    """
    rows = scope_to_unit(overdue_queryset(on=on), user, "owner_unit")
    if q:
        rows = rows.filter(
            Q(number__icontains=q) | Q(title__icontains=q) | Q(owner_unit__name__icontains=q)
        )
    rows = (
        rows.select_related("owner_unit", "item")
        .annotate(last_reminded_on=Max("reminders__sent_on"))
        .order_by("owner_unit__name", "deadline", "number")
    )
    grouped: dict[int, list[OverdueItem]] = {}
    units: dict[int, ResponsibleUnit] = {}
    calendar = current_calendar()
    for rect in rows:
        units[rect.owner_unit_id] = rect.owner_unit
        grouped.setdefault(rect.owner_unit_id, []).append(
            OverdueItem(
                rectification=rect,
                working_days_late=calendar.workdays_between(rect.deadline, on).days,
                last_reminded_on=rect.last_reminded_on,  # type: ignore[attr-defined]
            )
        )
    out = [UnitOverdue(units[uid], tuple(items)) for uid, items in grouped.items()]
    out.sort(key=lambda u: (-u.count, u.unit.name))
    return out


@dataclass(frozen=True)
class UnitPerformance:
    """One responsible unit's record: ``on_time ÷ closed`` is its on-time close rate."""

    unit: ResponsibleUnit
    total: int
    closed: int
    closed_on_time: int
    open: int
    overdue: int
    evidence_rejected: int

    @property
    def on_time_rate(self) -> Decimal | None:
        """Closed on or before the deadline ÷ closed, in %, 1 place; ``None`` if none closed."""
        if not self.closed:
            return None
        rate = Decimal(100 * self.closed_on_time) / Decimal(self.closed)
        return rate.quantize(Decimal("0.1"), ROUND_HALF_UP)


def unit_performance(*, on: date, year: int | None = None) -> list[UnitPerformance]:
    """Every responsible unit with work on the rectification ledger or evidence to review.

    - closed / closed on time: items closed (销号) by ``on`` — in ``year`` if given — and of
      those the ones closed on or before their deadline;
    - overdue: items overdue on ``on`` (not closed, deadline passed); open: not closed;
    - evidence rejected: evidence files of the unit (its task assignments or its
      rectification items) rejected by a reviewer at least once, from the audit history, so a
      file rejected and later approved still counts.

    Four queries, whatever the number of units. Ordered by overdue items (most first), then
    rejected evidence, then name.
    """
    closed_filter = Q(state=State.CLOSED, closed_on__lte=on)
    if year is not None:
        closed_filter &= Q(closed_on__year=year)
    stats: dict[int, dict[str, Any]] = {
        row["owner_unit"]: dict(row)
        for row in Rectification.objects.values("owner_unit").annotate(
            total=Count("id"),
            closed=Count("id", filter=closed_filter),
            closed_on_time=Count("id", filter=closed_filter & Q(closed_on__lte=F("deadline"))),
            open=Count("id", filter=~Q(state=State.CLOSED)),
            overdue=Count("id", filter=~Q(state=State.CLOSED) & Q(deadline__lt=on)),
        )
    }
    history = Evidence.history.model.objects.filter(  # type: ignore[attr-defined]
        status=ReviewStatus.REJECTED, history_date__date__lte=on
    )
    if year is not None:
        history = history.filter(history_date__year=year)
    rejected = {
        row["unit"]: row["n"]
        for row in history.annotate(
            unit=Coalesce("assignment__responsible_unit_id", "rectification__owner_unit_id")
        )
        .values("unit")
        .annotate(n=Count("id", distinct=True))
    }
    unit_ids = set(stats) | set(rejected)
    units = ResponsibleUnit.objects.filter(pk__in=unit_ids)
    out = []
    for unit in units:
        row = stats.get(unit.pk, {})
        out.append(
            UnitPerformance(
                unit=unit,
                total=row.get("total", 0),
                closed=row.get("closed", 0),
                closed_on_time=row.get("closed_on_time", 0),
                open=row.get("open", 0),
                overdue=row.get("overdue", 0),
                evidence_rejected=rejected.get(unit.pk, 0),
            )
        )
    out.sort(key=lambda p: (-p.overdue, -p.evidence_rejected, p.unit.name))
    return out


@dataclass(frozen=True)
class OverdueTask:
    """A workplan task or one of its milestones past its date and not done (issue 17 point 3)."""

    row: DueRow
    last_reminded_on: date | None


def overdue_tasks_by_unit(
    *, user: Any, on: date
) -> list[tuple[ResponsibleUnit, list[OverdueTask]]]:
    """Workplan tasks and milestones overdue on ``on`` that ``user`` may see, by owner unit
    (most first), each with the working days late and the last reminder. Three queries.

    The page has just checked the calendar's revision for its rectifications: a check less
    than 5 s old is reused rather than asked again."""
    calendar = current_calendar(max_age=5.0)
    tasks = scope_to_unit(overdue_tasks(on=on), user, "owner_unit").select_related(
        "owner_unit", "person"
    )
    milestones = scope_to_unit(
        overdue_milestones(on=on).filter(task__done_on__isnull=True), user, "task__owner_unit"
    ).select_related("task", "task__owner_unit", "task__person")
    rows = [due_row(t, None, on, calendar) for t in tasks] + [
        due_row(m.task, m, on, calendar) for m in milestones
    ]
    last: dict[tuple[int, int | None], date] = {}
    for task_id, milestone_id, sent_on in (
        Reminder.objects.filter(task__in={r.task.pk for r in rows})
        .values("task_id", "milestone_id")
        .annotate(last=Max("sent_on"))
        .values_list("task_id", "milestone_id", "last")
    ):
        last[(task_id, milestone_id)] = sent_on
    grouped: dict[int, list[OverdueTask]] = {}
    units: dict[int, ResponsibleUnit] = {}
    for r in sorted(rows, key=lambda r: (r.due_on or on, r.task.pk)):
        units[r.task.owner_unit_id] = r.task.owner_unit
        key = (r.task.pk, r.milestone.pk if r.milestone else None)
        grouped.setdefault(r.task.owner_unit_id, []).append(OverdueTask(r, last.get(key)))
    out = [(units[uid], items) for uid, items in grouped.items()]
    out.sort(key=lambda u: (-len(u[1]), u[0].name))
    return out


def notifications_for(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """``user``'s own notifications (站内通知), newest first; nobody sees another's."""
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def notifications_unread_count(*, user: Any) -> int:
    """How many of ``user``'s notifications are unread (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
