"""Food-safety liability insurance (食品安全责任保险): the policies operators hold (item 20)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LiabilityPolicy(models.Model):
    """A food-safety liability insurance policy (食品安全责任保险保单) of one food business.

    In force from ``starts_on`` to ``ends_on``, both inclusive. 实施方案 第20条 asks school
    canteens, group-meal distributors and central kitchens to hold one; the scorecard counts
    those with a policy in force on the period's last day.
    """

    policy_number = models.CharField(_("保单号"), max_length=60, unique=True)
    insurer = models.CharField(_("承保机构"), max_length=200)
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="liability_policies",
        verbose_name=_("被保险经营者"),
    )
    starts_on = models.DateField(_("保险起期"))
    ends_on = models.DateField(_("保险止期"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["business", "-starts_on"]
        verbose_name = _("食品安全责任保险")
        verbose_name_plural = _("食品安全责任保险")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="policy_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return str(self.policy_number)
