"""Account changes: the demo login of the programme office."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

PROGRAMME_OFFICE_GROUP = "创城办"
DEMO_USERNAME = "office"


@dataclass(frozen=True)
class DemoLogin:
    user: AbstractBaseUser
    password: str
    created: bool


@transaction.atomic
def demo_user_reset(*, username: str = DEMO_USERNAME) -> DemoLogin:
    """Create the demo user ``username`` or reset it: a new random password, active, in the
    programme-office group 创城办, any login lockout (django-axes) cleared. Idempotent.

    Returns the user and the new password in clear text (shown once, never stored).
    """
    user_model = get_user_model()
    lookup: dict[str, Any] = {user_model.USERNAME_FIELD: username}
    user, created = user_model.objects.get_or_create(**lookup)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.is_active = True
    user.save()
    group, _ = Group.objects.get_or_create(name=PROGRAMME_OFFICE_GROUP)
    user.groups.add(group)  # type: ignore[attr-defined]
    from axes.utils import reset as axes_reset

    axes_reset(username=username)
    return DemoLogin(user=user, password=password, created=created)
