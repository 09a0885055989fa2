"""Template filters for the evidence and rectification pages (and the scorecard's one-click
button): roles from ``foodsafe.accounts.permissions`` and status badge classes."""

from __future__ import annotations

from typing import Any

from django import template

from foodsafe.accounts import permissions
from foodsafe.accounts.models import Role

register = template.Library()


@register.filter
def is_office(user: Any) -> bool:
    """True for programme-office (创城办) users: they see the "生成整改事项" button."""
    return permissions.is_office(user)


@register.filter
def uses_workflow(user: Any) -> bool:
    """True for the roles that work evidence and rectifications (office, reviewer, unit)."""
    return permissions.user_role(user) in (Role.OFFICE_ADMIN, Role.REVIEWER, Role.MEMBER_UNIT)


@register.filter
def may_create_rectification(user: Any) -> bool:
    """The office, reviewers, and member units (their own 排查台账)."""
    return (
        permissions.is_office(user)
        or permissions.is_reviewer(user)
        or permissions.is_member_unit(user)
    )


REVIEW_CLASSES = {"approved": "met", "rejected": "not-met", "submitted": "evidence"}
STATE_CLASSES = {
    "closed": "met",
    "sent_back": "not-met",
    "submitted": "evidence",
    "in_progress": "no-data",
    "open": "no-data",
}


@register.filter
def review_class(status: str) -> str:
    return REVIEW_CLASSES.get(str(status), "no-data")


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(str(state), "no-data")
