"""Enforcement: leads and cases (案件线索与立案)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Case(models.Model):
    """A food-safety violation lead and, once filed, its case (食品安全违法案件).

    ``should_file`` is the decision that the lead meets the filing criteria (应立案); the filing
    rate (立案率) is filed ÷ should-file leads, the closing rate (办结率) closed ÷ filed.
    """

    case_number = models.CharField(_("案件编号"), max_length=40, unique=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("所属区划"),
        related_name="+",
    )
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("当事人"),
    )
    lead_received_on = models.DateField(_("线索接收日期"))
    should_file = models.BooleanField(_("应立案"), default=True)
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # 《市场监督管理行政处罚程序规定》: decided within 90 days of 立案, extendable (负责人批准
    # 30 days, then by collective decision). Blank: the plain limit from the spec applies.
    extended_due_on = models.DateField(_("延期后办案期限"), null=True, blank=True)
    penalty_amount = models.DecimalField(
        _("罚没金额（元）"), max_digits=14, decimal_places=2, default=0
    )
    individual_penalty = models.BooleanField(_("处罚到人"), default=False)
    criminal_referral = models.BooleanField(_("移送公安"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-lead_received_on", "case_number"]
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        constraints = [
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | Q(filed_on__gte=models.F("lead_received_on")),
                name="case_filed_after_lead",
            ),
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True)
                | (Q(filed_on__isnull=False) & Q(extended_due_on__gt=models.F("filed_on"))),
                name="case_extension_after_filed",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | (Q(filed_on__isnull=False) & Q(closed_on__gte=models.F("filed_on"))),
                name="case_closed_after_filed",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number
