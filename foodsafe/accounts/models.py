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
    """A user's role; a member-unit user is bound to exactly one responsible unit (责任单位)
    and, optionally, to one 街道 (``division``) of it."""

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
    # A member-unit user of one 街道 within a unit that stands for several (各街道办事处,
    # new-user N7): they see and change only objects of this division's subtree
    # (accounts.permissions.scope_to_unit); blank = the whole unit (e.g. the district's
    # 街道 coordinator).
    division = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="division_code",
        null=True,
        blank=True,
        related_name="+",
        # 街道 level (orgunits.Level.TOWNSHIP = 4): the admin offers and accepts only those.
        limit_choices_to={"level": 4},
        verbose_name=_("所属街道"),
        help_text=_("只看、只办本街道（区划）的事项；留空为整个责任单位。"),
    )

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="member_unit") | Q(responsible_unit__isnull=False),
                name="profile_member_unit_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(division__isnull=True) | Q(role="member_unit"),
                name="profile_division_only_member_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
