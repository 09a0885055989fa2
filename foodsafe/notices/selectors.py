"""Notice reads: published notices for the public page; objections with contact details
masked except to their handler; who sees which objection (the office every one, anyone else
only those they are the handler of) and who may be made a handler."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet

from foodsafe.accounts.permissions import is_office
from foodsafe.lib.masking import mask_name, mask_phone

from .models import Notice, Objection


def published() -> QuerySet[Notice]:
    return Notice.objects.filter(starts_on__isnull=False).order_by("-starts_on", "-id")


@dataclass(frozen=True)
class ObjectionRow:
    objection: Objection
    name: str
    phone: str
    contact: str
    overdue: bool


def objection_row(o: Objection, user: Any, today: Any) -> ObjectionRow:
    """One objection as ``user`` sees it: name, phone and contact in full only for its
    handler (who has to answer the objector), masked for everyone else, the office included."""
    mine = o.handler_id is not None and o.handler_id == user.pk
    return ObjectionRow(
        o,
        o.name if mine else mask_name(o.name),
        o.phone if mine else mask_phone(o.phone),
        o.contact if mine else ("***" if o.contact else ""),
        o.replied_on is None and o.due_on < today,
    )


def objection_rows(notice: Notice, user: Any, today: Any) -> list[ObjectionRow]:
    """The notice's objections (``objection_row`` each)."""
    return [
        objection_row(o, user, today)
        for o in notice.objections.select_related("handler").order_by("received_on", "id")
    ]


def visible_objections(user: Any) -> QuerySet[Objection]:
    """The objections ``user`` may open: every one for the office (it publishes the notice and
    assigns the handlers); for anyone else only those they are the handler (承办人) of — not
    their unit's colleagues', not another unit's."""
    rows = Objection.objects.select_related("notice", "handler")
    return rows if is_office(user) else rows.filter(handler_id=user.pk)


def objections_handled_by(user: Any) -> QuerySet[Objection]:
    """The objections assigned to ``user``, unanswered first, then by deadline."""
    return (
        Objection.objects.filter(handler_id=user.pk)
        .select_related("notice")
        .order_by(F("replied_on").asc(nulls_first=True), "due_on", "id")
    )


def handler_candidates() -> QuerySet[Any]:
    """Who may be made an objection's handler: active users with a role (a login without
    one could not open the objection's page)."""
    return (
        get_user_model()
        .objects.filter(Q(profile__isnull=False) | Q(is_superuser=True), is_active=True)
        .select_related("profile", "profile__responsible_unit")
        .order_by("username")
    )
