"""Who may see and do what: the one place views and selectors ask.

Roles (``accounts.Role``): the programme office (创城办) sees and manages everything; a member
unit user sees and edits only its own unit's items, evidence and rectifications (another unit's
object is a 404, not a 403, so its existence does not leak); a reviewer (评审专家) reads all
evidence, reviews it and records findings; an inspector (监管人员) works the ledgers and reads
the scorecard. A superuser counts as programme office. A user without a profile has no role.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Profile, Role


def user_role(user: Any) -> str | None:
    """The user's role code, ``office_admin`` for superusers, ``None`` for anonymous users or
    users without a profile."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.OFFICE_ADMIN
    profile = _profile(user)
    return profile.role if profile else None


def user_unit_id(user: Any) -> int | None:
    """The responsible unit a member-unit user acts for (``None`` for other roles)."""
    profile = _profile(user)
    if profile is None or profile.role != Role.MEMBER_UNIT:
        return None
    return profile.responsible_unit_id


def _profile(user: Any) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_foodsafe_profile"):
        return cast(Profile | None, user._foodsafe_profile)
    profile = Profile.objects.filter(user=user).select_related("responsible_unit").first()
    user._foodsafe_profile = profile
    return profile


def is_office(user: Any) -> bool:
    return user_role(user) == Role.OFFICE_ADMIN


def is_reviewer(user: Any) -> bool:
    return user_role(user) == Role.REVIEWER


def is_member_unit(user: Any) -> bool:
    return user_role(user) == Role.MEMBER_UNIT


def is_inspector(user: Any) -> bool:
    return user_role(user) == Role.INSPECTOR


#: Roles that import ledgers: member units upload their own ledgers, inspectors keep the
#: registry, the office does both.
IMPORT_ROLES = (Role.OFFICE_ADMIN, Role.MEMBER_UNIT, Role.INSPECTOR)


def can_import_ledgers(user: Any) -> bool:
    """May ``user`` import ledger files? Office admins, member units and inspectors may;
    staff, superusers and holders of ``imports.add_importlog`` may too; reviewers and users
    without a role may not."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser or user.has_perm("imports.add_importlog"):
        return True
    return user_role(user) in IMPORT_ROLES


def require_role(user: Any, *roles: str) -> None:
    """Raise ``PermissionDenied`` (403) unless the user has one of ``roles``."""
    if user_role(user) not in roles:
        raise PermissionDenied


def scope_to_unit(queryset: QuerySet[Any], user: Any, unit_field: str) -> QuerySet[Any]:
    """Filter ``queryset`` to what ``user`` may see.

    Office admins and reviewers see everything; a member-unit user sees rows whose
    ``unit_field`` (a lookup path ending in a ResponsibleUnit FK, e.g. ``"owner_unit"`` or
    ``"assignment__responsible_unit"``) is their unit; anyone else sees nothing.
    """
    role = user_role(user)
    if role in (Role.OFFICE_ADMIN, Role.REVIEWER):
        return queryset
    if role == Role.MEMBER_UNIT:
        return queryset.filter(**{unit_field: user_unit_id(user)})
    return queryset.none()


def get_scoped_or_404(queryset: QuerySet[Any], user: Any, unit_field: str, **lookup: Any) -> Any:
    """The object matching ``lookup`` among those ``user`` may see, else 404 (never 403)."""
    obj = scope_to_unit(queryset, user, unit_field).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
