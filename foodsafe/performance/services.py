"""The office's comment (考核评语) on a unit's month: written, changed or cleared, each with its
history row in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from foodsafe.accounts.permissions import is_office
from foodsafe.orgunits.models import ResponsibleUnit

from .models import AssessmentComment


def assessment_comment_set(
    *, unit: ResponsibleUnit, month: date, text: str, actor: Any
) -> AssessmentComment | None:
    """Write the office's comment on ``unit`` for ``month`` (any day of it); empty text
    deletes it (the history keeps it). Only the office writes comments."""
    if not is_office(actor):
        raise PermissionDenied
    month = month.replace(day=1)
    text = (text or "").strip()
    with transaction.atomic():
        found = AssessmentComment.objects.select_for_update().filter(unit=unit, month=month).first()
        if not text:
            if found is not None:
                found._history_user = actor  # type: ignore[attr-defined]
                found.delete()
            return None
        comment = found or AssessmentComment(unit=unit, month=month)
        comment.text, comment.author = text, actor
        comment._history_user = actor  # type: ignore[attr-defined]
        comment.save()
    return comment
