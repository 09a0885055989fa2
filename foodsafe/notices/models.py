"""Public notices (公示) with objections (异议): the city review's 15-day notice of the
self-evaluation (实施方案 §四, "通过网站、新闻媒体等向社会公示"), or any document."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Notice(models.Model):
    """A notice: its text, the first and last day of the notice period, and at the end the
    result for the report to the city ("无异议", or the objections and their outcomes)."""

    title = models.CharField(_("公示标题"), max_length=200)
    body = models.TextField(_("公示内容"))
    days = models.PositiveSmallIntegerField(_("公示天数"), default=15)
    starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    closed_on = models.DateField(_("公示结束日期"), null=True, blank=True)
    result = models.TextField(_("公示结果"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发布人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")

    def __str__(self) -> str:
        return self.title


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("异议成立")
    PARTLY = "partly", _("部分成立")
    REJECTED = "rejected", _("异议不成立")


class Objection(models.Model):
    """An objection (异议) filed on the public page, with contact details (personal data:
    masked except to its handler), a handler, a reply and a deadline in working days."""

    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="objections", verbose_name=_("公示")
    )
    number = models.CharField(_("异议编号"), max_length=40, unique=True)
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("联系电话"), max_length=20)
    contact = models.CharField(_("其他联系方式"), max_length=200, blank=True)
    content = models.TextField(_("异议内容"))
    received_on = models.DateField(_("收到日期"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办人"),
    )
    due_on = models.DateField(_("答复期限"))
    reply = models.TextField(_("答复"), blank=True)
    outcome = models.CharField(_("核实结论"), max_length=10, choices=Outcome.choices, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["name", "phone", "contact"])

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self) -> str:
        return self.number
