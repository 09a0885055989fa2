"""Zero reports (零报告): a unit's record that it had nothing to enter in a ledger for a period.

Without rows or a zero report a ledger has no data for a unit and period (issue 10 §2; DHIS2's
data-set completeness): an incident veto then reads 无数据, not 未触发.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ZeroReport(models.Model):
    """``org_unit`` had no row to report in ``ledger`` (an import ledger name) in ``period``."""

    ledger = models.CharField(_("台账"), max_length=40)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        related_name="+",
    )
    period = models.CharField(_("期间"), max_length=7)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ledger", "org_unit", "period"]
        verbose_name = _("零报告")
        verbose_name_plural = _("零报告")
        constraints = [
            models.UniqueConstraint(
                fields=["ledger", "org_unit", "period"], name="zeroreport_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ledger} {self.org_unit_id} {self.period}"
