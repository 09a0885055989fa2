"""Supervisory inspections (监督检查) and their findings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class InspectionType(models.TextChoices):
    ROUTINE = "routine", _("日常监督检查")
    SPECIAL = "special", _("专项检查")
    RANDOM = "random", _("双随机检查")
    TERM_START = "term_start", _("开学检查")
    COMPLAINT = "complaint", _("投诉举报检查")
    FOLLOW_UP = "follow_up", _("复查")


class InspectionResult(models.TextChoices):
    COMPLIANT = "compliant", _("符合")
    RECTIFY = "rectify", _("基本符合（限期整改）")
    NONCOMPLIANT = "noncompliant", _("不符合")
    NOT_SCORED = "not_scored", _("未评定")


class Inspection(models.Model):
    """One supervisory inspection (监督检查) of a food business on a date.

    ``full_checklist`` marks an inspection that covered every checklist point (全项目检查); the
    two-year coverage rule (监督检查管理办法 第二十二条) counts only those by default.
    """

    inspection_number = models.CharField(_("检查编号"), max_length=40, unique=True)
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("被检查单位"),
    )
    inspected_on = models.DateField(_("检查日期"))
    inspection_type = models.CharField(_("检查类型"), max_length=20, choices=InspectionType.choices)
    full_checklist = models.BooleanField(_("全项目检查"), default=True)
    result = models.CharField(
        _("检查结果"),
        max_length=20,
        choices=InspectionResult.choices,
        default=InspectionResult.COMPLIANT,
    )
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    inspectors = models.CharField(_("检查人员"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-inspected_on", "inspection_number"]
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        indexes = [models.Index(fields=["inspected_on", "inspection_type"])]

    def __str__(self) -> str:
        return self.inspection_number


class Finding(models.Model):
    """A problem found in an inspection (检查发现问题)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    description = models.TextField(_("问题描述"))
    risk_category = models.CharField(_("风险类别"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")

    def __str__(self) -> str:
        return str(self.description[:40])
