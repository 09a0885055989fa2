"""Emergency response (应急处置, 实施方案 第14条): revisions of the food-safety incident emergency
plan (食品安全事故应急预案) and emergency drills (应急演练)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PlanRevision(models.Model):
    """One issued revision of an emergency plan of an org unit (a district's 食品安全事故应急
    预案 is revised every few years). ``plan_code`` names the plan across its revisions."""

    plan_code = models.CharField(_("预案编号"), max_length=40)
    plan_name = models.CharField(_("预案名称"), max_length=200)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("制定单位区划"),
        related_name="+",
    )
    revised_on = models.DateField(_("修订印发日期"))
    document_number = models.CharField(_("印发文号"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_code", "-revised_on"]
        verbose_name = _("应急预案修订")
        verbose_name_plural = _("应急预案修订")
        constraints = [
            models.UniqueConstraint(
                fields=["plan_code", "revised_on"], name="plan_revision_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_name} {self.revised_on}"


class DrillOrganiser(models.TextChoices):
    """In whose name the drill was held: 第14条 counts the district government's or the food
    and drug safety office's (区政府或区食药安办名义)."""

    GOVERNMENT = "government", _("区政府")
    OFFICE = "office", _("区食药安办")
    DEPARTMENT = "department", _("部门")
    OTHER = "other", _("其他")


class DrillKind(models.TextChoices):
    LIVE = "live", _("实战演练")
    TABLETOP = "tabletop", _("桌面推演")


class Drill(models.Model):
    """A food-safety emergency drill (食品安全应急演练) held in an org unit."""

    drill_number = models.CharField(_("演练编号"), max_length=40, unique=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("组织单位区划"),
        related_name="+",
    )
    held_on = models.DateField(_("演练日期"))
    organiser = models.CharField(_("组织名义"), max_length=20, choices=DrillOrganiser.choices)
    kind = models.CharField(
        _("演练形式"), max_length=20, choices=DrillKind.choices, default=DrillKind.LIVE
    )
    scenario = models.CharField(_("演练情景"), max_length=300)
    participants = models.CharField(_("参演单位"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")

    def __str__(self) -> str:
        return str(self.drill_number)
