"""Operators' food handlers and management-system certificates (实施方案 第18条).

- ``FoodHandler``: the staff roster (从业人员健康证明台账) of a food business: who handles food
  that goes straight into the mouth (接触直接入口食品), with their health certificate (健康证明)
  and its validity. Names are personal data: masked on screen (``foodsafe.lib.masking``).
- ``SystemCertificate``: GMP / HACCP (and similar) certificates of producers
  (良好生产规范、危害分析与关键控制点体系认证).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FoodHandler(models.Model):
    """One person on a food business's staff roster.

    On the roster from ``started_on`` (unknown: always) until ``left_on`` (exclusive; none:
    still there). 《食品安全法》第四十五条 and 实施方案 第18条: a handler in contact with
    ready-to-eat food works only with a valid health certificate; the scorecard counts those
    whose certificate is valid (``valid_until``) on the period's last day.
    """

    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="food_handlers",
        verbose_name=_("经营者"),
    )
    staff_number = models.CharField(_("人员编号"), max_length=40)
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("岗位"), max_length=50, blank=True)
    direct_contact = models.BooleanField(_("接触直接入口食品"), default=True)
    certificate_number = models.CharField(_("健康证明编号"), max_length=60, blank=True)
    valid_until = models.DateField(_("健康证明有效期至"), null=True, blank=True)
    started_on = models.DateField(_("上岗日期"), null=True, blank=True)
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["business", "staff_number"]
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "staff_number"], name="handler_number_per_business"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(left_on__gte=F("started_on")),
                name="handler_left_after_started",
            ),
        ]

    def __str__(self) -> str:
        return str(self.staff_number)


class CertificateScheme(models.TextChoices):
    GMP = "gmp", _("良好生产规范（GMP）")
    HACCP = "haccp", _("危害分析与关键控制点体系（HACCP）")
    ISO22000 = "iso22000", _("食品安全管理体系（ISO 22000）")
    OTHER = "other", _("其他")


class SystemCertificate(models.Model):
    """A management-system certificate of a food business, valid ``issued_on``–``valid_until``
    (both inclusive)."""

    certificate_number = models.CharField(_("证书编号"), max_length=60, unique=True)
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="system_certificates",
        verbose_name=_("经营者"),
    )
    scheme = models.CharField(_("体系"), max_length=20, choices=CertificateScheme.choices)
    certifier = models.CharField(_("认证机构"), max_length=200, blank=True)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["business", "-issued_on"]
        verbose_name = _("管理体系认证证书")
        verbose_name_plural = _("管理体系认证证书")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("issued_on")), name="certificate_valid_after_issue"
            )
        ]

    def __str__(self) -> str:
        return str(self.certificate_number)
