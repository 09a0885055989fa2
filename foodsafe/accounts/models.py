"""Users' roles (角色) and the responsible unit a member-unit user acts for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who a user is in the programme (DESIGN.md "Who uses it")."""

    OFFICE_ADMIN = "office_admin", _("创城办管理员")
    MEMBER_UNIT = "member_unit", _("成员单位用户")
    INSPECTOR = "inspector", _("监管人员")
    REVIEWER = "reviewer", _("评审专家")


class Profile(models.Model):
    """A user's role; a member-unit user is bound to exactly one responsible unit (责任单位)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    responsible_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("所属责任单位"),
    )

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="member_unit") | Q(responsible_unit__isnull=False),
                name="profile_member_unit_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
