"""Food-safety incidents (食品安全事故/事件), the facts behind veto items 2 and 3."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Severity(models.TextChoices):
    """Incident grade (食品安全事故分级): 特别重大 I, 重大 II, 较大 III, 一般 IV."""

    EXTREMELY_SERIOUS = "I", _("特别重大")
    SERIOUS = "II", _("重大")
    MAJOR = "III", _("较大")
    GENERAL = "IV", _("一般")


class IncidentKind(models.TextChoices):
    RESIDUE = "residue", _("农药兽药残留超标")
    ILLEGAL_ADDITIVE = "illegal_additive", _("非法添加")
    CAMPUS = "campus", _("校园食品安全")
    POISONING = "poisoning", _("食物中毒")
    OTHER = "other", _("其他")


class Incident(models.Model):
    """A food-safety incident or event in an org unit.

    Veto 2 (否决项二) fails on any incident graded 重大 or above within three years; veto 3 on a
    residue, illegal-additive or campus event with ``serious_social_impact`` within three years.
    """

    incident_number = models.CharField(_("事件编号"), max_length=40, unique=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("发生地区划"),
        related_name="+",
    )
    occurred_on = models.DateField(_("发生日期"))
    severity = models.CharField(_("事故等级"), max_length=4, choices=Severity.choices)
    kind = models.CharField(_("事件类型"), max_length=20, choices=IncidentKind.choices)
    serious_social_impact = models.BooleanField(
        _("引发广泛关注、造成严重不良社会影响"), default=False
    )
    description = models.TextField(_("事件概述"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("食品安全事件")
        verbose_name_plural = _("食品安全事件")

    def __str__(self) -> str:
        return str(self.incident_number)
