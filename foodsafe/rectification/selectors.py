"""Reads for the rectification ledger: what a user may see, overdue (derived, never stored),
the list with its filters, one rectification's page.

Overdue (逾期): a rectification that is not closed (销号) after its deadline day. The deadline
day itself is still on time. A closed rectification is never overdue; whether it was closed
late is :func:`rectification_closed_late`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from foodsafe.accounts.permissions import get_scoped_or_404, member_unit, scope_to_unit
from foodsafe.evidence.history import HistoryRow, history_rows
from foodsafe.evidence.models import Evidence
from foodsafe.orgunits.models import ResponsibleUnit

from . import rules
from .models import Rectification, State


def rectification_is_overdue(rectification: Rectification, on: date | None = None) -> bool:
    """True when ``rectification`` is not closed and ``on`` (default today) is after its
    deadline."""
    on = on or timezone.localdate()
    return rectification.state != State.CLOSED and on > rectification.deadline


def rectification_closed_late(rectification: Rectification) -> bool:
    """True when ``rectification`` was closed (销号) after its deadline."""
    return (
        rectification.state == State.CLOSED
        and rectification.closed_on is not None
        and rectification.closed_on > rectification.deadline
    )


def _overdue_q(on: date) -> Q:
    return Q(deadline__lt=on) & ~Q(state=State.CLOSED)


def overdue_rectifications(
    *, unit: ResponsibleUnit | int | None = None, on: date
) -> QuerySet[Rectification]:
    """Rectifications overdue on ``on`` (not closed, deadline before ``on``), of ``unit`` (a
    ResponsibleUnit or its id) or of every unit, oldest deadline first."""
    queryset = Rectification.objects.filter(_overdue_q(on)).select_related("owner_unit")
    if unit is not None:
        queryset = queryset.filter(owner_unit=unit)
    return queryset.order_by("deadline", "number")


def visible_rectifications(user: Any) -> QuerySet[Rectification]:
    """Rectifications ``user`` may see: all for the office and reviewers, a member unit's own,
    none for anyone else."""
    return scope_to_unit(Rectification.objects.all(), user, "owner_unit")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    state: str = ""
    unit: int | None = None
    overdue: bool = False


def rectification_list(*, user: Any, filters: Filters, on: date) -> QuerySet[Rectification]:
    """The ledger as ``user`` may see it, filtered; in deadline order; owner unit, verifier
    and item joined so that rows need no further query."""
    queryset = visible_rectifications(user).select_related("owner_unit", "verified_by", "item")
    if filters.q:
        # Within what the user may see: the search never widens the scope.
        queryset = queryset.filter(
            Q(number__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
        )
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.unit:
        queryset = queryset.filter(owner_unit_id=filters.unit)
    if filters.overdue:
        queryset = queryset.filter(_overdue_q(on))
    return queryset.order_by("deadline", "number")


def rectification_get_or_404(*, user: Any, pk: int) -> Rectification:
    """One rectification ``user`` may see (a member unit: its own only), else 404."""
    return get_scoped_or_404(  # type: ignore[no-any-return]
        Rectification.objects.select_related(
            "owner_unit", "item", "org_unit", "created_by", "verified_by", "business", "inspection"
        ),
        user,
        "owner_unit",
        pk=pk,
    )


def rectification_events(rectification: Rectification) -> QuerySet[Any]:
    return rectification.events.select_related("actor").order_by("at", "id")


def rectification_evidence(rectification: Rectification) -> QuerySet[Evidence]:
    return rectification.evidence.select_related("uploaded_by", "reviewed_by").order_by(
        "-uploaded_at", "-pk"
    )


HISTORY_FIELDS = ("title", "description", "measures", "deadline", "state", "closed_on")


def rectification_history(rectification: Rectification) -> list[HistoryRow]:
    """The audit trail: who, when, old → new, newest first (one query)."""
    records = rectification.history.select_related("history_user")  # type: ignore[attr-defined]
    return history_rows(records, model=Rectification, fields=HISTORY_FIELDS)


def own_unit(user: Any) -> ResponsibleUnit | None:
    """The responsible unit a member-unit user acts for, whole or one 街道 (None for other
    roles)."""
    unit: ResponsibleUnit | None = member_unit(user)
    return unit


def unit_choices(user: Any) -> QuerySet[ResponsibleUnit]:
    """Units for the list's unit filter: those owning a visible rectification (one query)."""
    ids = visible_rectifications(user).values("owner_unit_id")
    return ResponsibleUnit.objects.filter(pk__in=ids).order_by("code")


def allowed_actions(user: Any, rectification: Rectification) -> list[tuple[str, str]]:
    """``[(to_state, button label)]`` the user may press on this rectification."""
    return [
        (s, str(rules.ACTION_LABELS[State(s)]))
        for s in rules.allowed_transitions(user, rectification)
    ]
