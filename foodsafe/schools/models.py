"""School canteens (学校食堂) with their bright-kitchen status (互联网+明厨亮灶)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SchoolType(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    SECONDARY = "secondary", _("中学")
    VOCATIONAL = "vocational", _("职业学校")
    OTHER = "other", _("其他")


class SchoolCanteen(models.Model):
    """The canteen of a school; the canteen itself is a food business (业态: 学校食堂).

    Term-start inspections (开学检查) are inspections of ``business`` with type ``term_start``.
    ``bright_kitchen_on`` is the date the canteen went live with 互联网+明厨亮灶 (null: not yet).
    """

    business = models.OneToOneField(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="school_canteen",
        verbose_name=_("食堂（经营者）"),
    )
    school_name = models.CharField(_("学校名称"), max_length=200)
    school_type = models.CharField(_("学校类型"), max_length=20, choices=SchoolType.choices)
    bright_kitchen_on = models.DateField(_("互联网+明厨亮灶上线日期"), null=True, blank=True)
    principal_responsibility = models.BooleanField(_("校长负责制"), default=True)
    accompanied_meal = models.BooleanField(_("陪餐制"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school_name"]
        verbose_name = _("学校食堂")
        verbose_name_plural = _("学校食堂")

    def __str__(self) -> str:
        return self.school_name
