"""Inspection plans (监督检查计划), their items and the inspectors' logins.

A plan is made once, by :func:`foodsafe.inspectionplan.services.plan_create`, and never
recomputed: its ``draw`` keeps the seed, the inputs and the result of the 双随机 draw, so anyone
can re-run it and get the same list (:func:`foodsafe.inspectionplan.draw.draw_run`). Progress
is not stored: it is read from the inspections ledger as inspections arrive.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class InspectionPlan(models.Model):
    """A month's or quarter's inspection plan (检查计划) of an org unit's subtree."""

    number = models.CharField(_("计划编号"), max_length=60, unique=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        related_name="+",
        verbose_name=_("计划范围"),
    )
    period = models.CharField(_("计划期"), max_length=8)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    spec_label = models.CharField(_("计划规则"), max_length=60)
    grading_label = models.CharField(_("分级规则"), max_length=60)
    seed = models.BigIntegerField(_("随机种子"))
    #: {"inputs": {...}, "result": {...}} of the draw (see draw.py); kept as made.
    draw = models.JSONField(_("抽取记录"))
    order_method = models.CharField(_("排序方法"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("制定人"),
    )
    created_at = models.DateTimeField(_("制定时间"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "number"]
        verbose_name = _("监督检查计划")
        verbose_name_plural = _("监督检查计划")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ItemSource(models.TextChoices):
    DUE = "due", _("到期应检")
    RANDOM = "random", _("双随机抽取")


class PlanItem(models.Model):
    """One operator in a plan: why it is there, its place in the order, its inspector pair,
    and when its result was published (双随机、一公开, 第三十九条)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="items")
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("食品生产经营者"),
    )
    source = models.CharField(_("列入方式"), max_length=10, choices=ItemSource.choices)
    position = models.PositiveIntegerField(_("顺序"))
    grade = models.CharField(_("风险等级"), max_length=1, blank=True)
    due_on = models.DateField(_("应检日期"), null=True, blank=True)
    reason = models.CharField(_("列入理由"), max_length=400)
    rank_reasons = models.CharField(_("排序理由"), max_length=400, blank=True)
    inspectors = models.ManyToManyField(
        "workforce.StaffMember", related_name="+", verbose_name=_("检查人员"), blank=True
    )
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[inspectors])

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("计划检查对象")
        verbose_name_plural = _("计划检查对象")
        constraints = [
            models.UniqueConstraint(fields=["plan", "business"], name="plan_item_once"),
            models.UniqueConstraint(fields=["plan", "position"], name="plan_item_position"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.position}"


class InspectorAccount(models.Model):
    """Which roster entry (监管人员, workforce ledger) an inspector login is: the inspector sees
    the plan items they are assigned to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inspector_account",
        verbose_name=_("用户"),
    )
    staff = models.OneToOneField(
        "workforce.StaffMember",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("监管人员"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查人员账号")
        verbose_name_plural = _("检查人员账号")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.staff_id}"
