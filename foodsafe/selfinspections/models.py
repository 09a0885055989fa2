"""Self-inspection reports (自查报告) of food businesses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SelfInspectionReport(models.Model):
    """A self-inspection report (食品安全自查报告) a business submitted on a date.

    The report rate (自查报告率, 实施方案 第18条) counts, among the formats that must report
    (chain HQs, large wholesalers, wholesale markets), the businesses with a report in the period.
    """

    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="self_inspection_reports",
        verbose_name=_("经营者"),
    )
    submitted_on = models.DateField(_("报告日期"))
    problems_found = models.PositiveIntegerField(_("发现问题数"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_on"]
        verbose_name = _("自查报告")
        verbose_name_plural = _("自查报告")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "submitted_on"], name="selfreport_business_day_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(f"{self.business_id}@{self.submitted_on}")
