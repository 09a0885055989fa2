"""Account changes: users with a role (``foodsafe create-user``) and the demo login."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from foodsafe.orgunits.models import Level, OrgUnit, ResponsibleUnit

from .models import Profile, Role

PROGRAMME_OFFICE_GROUP = "创城办"
#: Holds ``complaints.view_personal_data``: may reveal one complaint's complainant name and
#: phone at a time, each reveal recorded (foodsafe.complaints.services.personal_data_reveal).
COMPLAINT_HANDLER_GROUP = "投诉举报处理人员"
DEMO_USERNAME = "office"


class AccountError(ValueError):
    """A user that cannot be created as asked; the message says why, in Chinese."""


@dataclass(frozen=True)
class DemoLogin:
    user: AbstractBaseUser
    password: str
    created: bool


@dataclass(frozen=True)
class NewLogin:
    user: AbstractBaseUser
    profile: Profile
    password: str


def _new_password() -> str:
    """A random password of 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def _join_office_group(user: Any) -> None:
    group, _ = Group.objects.get_or_create(name=PROGRAMME_OFFICE_GROUP)
    user.groups.add(group)


def complaint_handler_join(user: Any) -> None:
    """Put ``user`` in the group 投诉举报处理人员, creating it with its one permission."""
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name=COMPLAINT_HANDLER_GROUP)
    permission = Permission.objects.get(
        content_type__app_label="complaints", codename="view_personal_data"
    )
    group.permissions.add(permission)
    user.groups.add(group)


@transaction.atomic
def complaint_handler_set(*, username: str, handler: bool) -> Any:
    """Put an existing login in the group 投诉举报处理人员 (``handler``) or take it out: the
    permission ``complaints.view_personal_data`` (may reveal a complainant's name and phone,
    one record at a time, audited; 市场监督管理投诉举报处理暂行办法 第三十三条 keeps them
    confidential otherwise), without the Django admin. Returns the user.

    Raises :class:`AccountError` for an unknown username (nothing written)."""
    user_model = get_user_model()
    user = user_model._default_manager.filter(
        **{user_model.USERNAME_FIELD: username.strip()}
    ).first()
    if user is None:
        raise AccountError(f"用户名 {username.strip()!r} 不存在（新账号须用 --role 指定角色）")
    if handler:
        complaint_handler_join(user)
    else:
        group = Group.objects.filter(name=COMPLAINT_HANDLER_GROUP).first()
        if group is not None:
            user.groups.remove(group)
    return user


def _unknown_unit_message(unit_code: str) -> str:
    """The error for an unknown unit code: the valid codes, or how to load them."""
    codes = list(ResponsibleUnit.objects.order_by("code").values_list("code", flat=True))
    if not codes:
        return f"未知的责任单位代码 {unit_code!r}：尚无责任单位（先运行 foodsafe loadprogramme 载入方案）"
    return f"未知的责任单位代码 {unit_code!r}，可选：{', '.join(codes)}"


def _division(code: str) -> OrgUnit:
    """The 街道 (乡镇街道级 org unit) of ``code``, else :class:`AccountError` naming the
    街道 that may be chosen."""
    division = OrgUnit.objects.filter(code=code.strip()).first()
    if division is None or division.level != Level.TOWNSHIP:
        choices = OrgUnit.objects.filter(level=Level.TOWNSHIP).order_by("code")
        listed = "、".join(f"{o.code} {o.name}" for o in choices[:30]) or "尚未载入区划"
        raise AccountError(f"{code!r} 不是已知的街道（乡镇街道级区划）代码，可选：{listed}")
    return division


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    unit_code: str | None = None,
    division_code: str | None = None,
    complaint_handler: bool = False,
) -> NewLogin:
    """Create an active user ``username`` with ``role`` (``accounts.Role``) and a random password.

    A member-unit user (``member_unit``) needs ``unit_code``, the code of a responsible unit
    (责任单位, e.g. ``education``); other roles take none. Office admins also join the group
    创城办. Returns the user, its profile and the password in clear text (shown once, never
    stored).

    ``division_code`` binds a member-unit user to one 街道 of its unit (a 12-digit code of
    the 乡镇街道 level, e.g. 南市街道 ``120101006000`` in ``subdistricts``): the user then
    sees and changes only that 街道's objects (new-user N7); blank = the whole unit.

    ``complaint_handler`` also puts the user in the group 投诉举报处理人员 (may reveal a
    complainant's personal data, one record at a time, audited).

    Raises :class:`AccountError` (nothing written) for an unknown role, a taken username, a
    missing, unexpected or unknown unit code, a division without a member unit, an unknown
    division or one that is not a 街道 (乡镇街道级).
    """
    username = username.strip()
    if not username:
        raise AccountError("用户名不能为空")
    if role not in Role.values:
        raise AccountError(f"未知的角色 {role!r}，可选：{'、'.join(Role.values)}")
    unit = None
    if role == Role.MEMBER_UNIT:
        if not unit_code:
            raise AccountError("成员单位用户须用 --unit 指定责任单位代码")
        unit = ResponsibleUnit.objects.filter(code=unit_code).first()
        if unit is None:
            raise AccountError(_unknown_unit_message(unit_code))
    elif unit_code:
        raise AccountError("只有成员单位用户（member_unit）才绑定责任单位")
    division = None
    if division_code:
        if role != Role.MEMBER_UNIT:
            raise AccountError("只有成员单位用户（member_unit）才绑定街道（--division）")
        division = _division(division_code)
    user_model = get_user_model()
    if user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).exists():
        raise AccountError(f"用户名 {username!r} 已存在")
    password = _new_password()
    user = user_model._default_manager.create_user(  # type: ignore[attr-defined]
        **{user_model.USERNAME_FIELD: username}, password=password
    )
    profile = Profile.objects.create(user=user, role=role, responsible_unit=unit, division=division)
    if role == Role.OFFICE_ADMIN:
        _join_office_group(user)
    if complaint_handler:
        complaint_handler_join(user)
    return NewLogin(user=user, profile=profile, password=password)


@transaction.atomic
def demo_user_reset(*, username: str = DEMO_USERNAME) -> DemoLogin:
    """Create the demo user ``username`` or reset it: a new random password, active, in the
    programme-office group 创城办 with an office-admin profile (角色 创城办管理员; an existing
    profile is switched to that role), any login lockout (django-axes) cleared. Idempotent.

    Returns the user and the new password in clear text (shown once, never stored).
    """
    user_model = get_user_model()
    lookup: dict[str, Any] = {user_model.USERNAME_FIELD: username}
    user, created = user_model.objects.get_or_create(**lookup)
    password = _new_password()
    user.set_password(password)
    user.is_active = True
    user.save()
    _join_office_group(user)
    Profile.objects.update_or_create(
        user=user, defaults={"role": Role.OFFICE_ADMIN, "responsible_unit": None}
    )
    from axes.utils import reset as axes_reset

    axes_reset(username=username)
    return DemoLogin(user=user, password=password, created=created)
