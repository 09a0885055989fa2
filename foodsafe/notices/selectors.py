"""Notice reads: published notices for the public page; objections with contact details
masked except to their handler."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

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


def objection_rows(notice: Notice, user: Any, today: Any) -> list[ObjectionRow]:
    """The notice's objections; name, phone and contact in full only for the objection's
    handler (who has to answer them), masked for everyone else."""
    rows = []
    for o in notice.objections.select_related("handler").order_by("received_on", "id"):
        mine = o.handler_id is not None and o.handler_id == user.pk
        rows.append(
            ObjectionRow(
                o,
                o.name if mine else mask_name(o.name),
                o.phone if mine else mask_phone(o.phone),
                o.contact if mine else ("***" if o.contact else ""),
                o.replied_on is None and o.due_on < today,
            )
        )
    return rows
