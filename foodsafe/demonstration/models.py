"""Demonstration projects (示范引领项目) and field-check sites (现场检查点位).

实施方案 §四.2 材料报送: "结合各部门重点工作，积极申报示范引领项目，确定现场检查点位"; §四.3:
"8月底前 … 向国食办报送示范引领项目申请表". A member unit applies and proposes; the programme
office (创城办) approves or returns an application with its reason, and confirms or returns a
proposed site. Every change is kept by simple_history (who, when, from → to).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ProjectCategory(models.TextChoices):
    """The plan's 示范引领 group (实施方案 §三(五), items 25–28), plus 其他."""

    CREDIT = "credit", _("信用监管")
    SMART = "smart", _("智慧监管")
    MECHANISM = "mechanism", _("机制创新")
    THREE_SMALLS = "three_smalls", _("“三小”治理")
    OTHER = "other", _("其他")


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")


class DemonstrationProject(models.Model):
    """示范引领项目申请表: one unit's application, with the office's review."""

    name = models.CharField(_("项目名称"), max_length=200)
    unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        related_name="demonstration_projects",
        verbose_name=_("申报单位"),
    )
    category = models.CharField(_("项目类别"), max_length=20, choices=ProjectCategory.choices)
    description = models.TextField(_("项目简介"))
    achievements = models.TextField(_("取得成效"))
    contact_name = models.CharField(_("联系人"), max_length=60)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    status = models.CharField(
        _("审核状态"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    submitted_on = models.DateField(_("申报日期"))
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("示范引领项目")
        verbose_name_plural = _("示范引领项目")
        constraints = [
            # a decided application names who decided and when; a returned one says why
            models.CheckConstraint(
                condition=Q(status="submitted")
                | (Q(reviewed_by__isnull=False) & Q(reviewed_on__isnull=False)),
                name="demonstration_project_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="demonstration_project_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SiteStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    RETURNED = "returned", _("已退回")


class FieldCheckSite(models.Model):
    """现场检查点位: an operator from the registry a unit proposes for the reviewers' field
    check, with the address the reviewers go to; the office confirms it or returns it."""

    unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        related_name="field_check_sites",
        verbose_name=_("推荐单位"),
    )
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="field_check_sites",
        verbose_name=_("经营者"),
    )
    address = models.CharField(_("点位地址"), max_length=300)
    reason = models.TextField(_("推荐理由"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=SiteStatus.choices, default=SiteStatus.PROPOSED
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    proposed_on = models.DateField(_("推荐日期"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("确认日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = _("现场检查点位")
        verbose_name_plural = _("现场检查点位")
        constraints = [
            # an operator is one site at most, unless an earlier proposal was returned
            models.UniqueConstraint(
                fields=["business"],
                condition=~Q(status="returned"),
                name="field_check_site_one_per_business",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed")
                | (Q(decided_by__isnull=False) & Q(decided_on__isnull=False)),
                name="field_check_site_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="field_check_site_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business} · {self.address}"
