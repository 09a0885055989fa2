"""Stored grain (库存粮食) and its quality monitoring (质量监测)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class GrainStock(models.Model):
    """Stored grain in a depot (粮库) in a year, in tonnes."""

    depot_code = models.CharField(_("库点编号"), max_length=40)
    depot_name = models.CharField(_("库点名称"), max_length=200)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("所属区划"),
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    stock_tonnes = models.DecimalField(_("库存数量（吨）"), max_digits=14, decimal_places=3)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "depot_code"]
        verbose_name = _("库存粮食")
        verbose_name_plural = _("库存粮食")
        constraints = [
            models.UniqueConstraint(
                fields=["depot_code", "year"], name="grainstock_depot_year_unique"
            ),
            models.CheckConstraint(condition=Q(stock_tonnes__gte=0), name="grainstock_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.depot_name} {self.year}"


class GrainMonitoring(models.Model):
    """One quality-monitoring test of stored grain: quantity covered and any problem found."""

    monitoring_number = models.CharField(_("监测编号"), max_length=40, unique=True)
    stock = models.ForeignKey(GrainStock, on_delete=models.PROTECT, related_name="monitorings")
    sampled_on = models.DateField(_("扦样日期"))
    monitored_tonnes = models.DecimalField(_("监测代表数量（吨）"), max_digits=14, decimal_places=3)
    problem_found = models.BooleanField(_("发现问题"), default=False)
    problem_handled_on = models.DateField(_("问题处置完成日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sampled_on"]
        verbose_name = _("粮食质量监测")
        verbose_name_plural = _("粮食质量监测")
        constraints = [
            models.CheckConstraint(
                condition=Q(monitored_tonnes__gte=0), name="grainmon_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return str(self.monitoring_number)
