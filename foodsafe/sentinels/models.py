"""Foodborne-disease surveillance (食源性疾病监测, 实施方案 第3条), kept by 区卫生健康委: the
sentinel medical institutions (食源性疾病监测医疗机构), their monthly reports, and the
foodborne-disease events they report (食源性疾病事件)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SentinelInstitution(models.Model):
    """A medical institution designated to report foodborne disease (监测医疗机构), from
    ``designated_on`` (unknown: always) until ``withdrawn_on`` (exclusive; none: still)."""

    code = models.CharField(_("机构编号"), max_length=40, unique=True)
    name = models.CharField(_("机构名称"), max_length=200)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("所在区划"),
        related_name="+",
    )
    designated_on = models.DateField(_("确定为监测机构日期"), null=True, blank=True)
    withdrawn_on = models.DateField(_("退出日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("食源性疾病监测医疗机构")
        verbose_name_plural = _("食源性疾病监测医疗机构")

    def __str__(self) -> str:
        return str(self.name)


class SentinelReport(models.Model):
    """An institution's report (病例报送) for a month (``month`` = its first day)."""

    institution = models.ForeignKey(
        SentinelInstitution,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("监测医疗机构"),
    )
    month = models.DateField(_("报告月份"))
    reported_on = models.DateField(_("报送日期"))
    cases = models.PositiveIntegerField(_("报告病例数"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["institution", "month"]
        verbose_name = _("食源性疾病病例月报")
        verbose_name_plural = _("食源性疾病病例月报")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "month"], name="sentinel_report_monthly"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="sentinel_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.month:%Y-%m}"


class DiseaseEvent(models.Model):
    """A foodborne-disease event (食源性疾病事件, e.g. a cluster of cases) found by a medical
    institution, with the day it was found and the day it was reported; the time limit is the
    indicator's configuration."""

    event_number = models.CharField(_("事件编号"), max_length=40, unique=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("发生地区划"),
        related_name="+",
    )
    institution = models.ForeignKey(
        SentinelInstitution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("报告机构"),
    )
    found_on = models.DateField(_("发现日期"))
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    cases = models.PositiveIntegerField(_("病例数"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-found_on"]
        verbose_name = _("食源性疾病事件")
        verbose_name_plural = _("食源性疾病事件")
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True) | Q(reported_on__gte=F("found_on")),
                name="disease_event_reported_after_found",
            )
        ]

    def __str__(self) -> str:
        return str(self.event_number)
