"""The programme (创建工作) as loaded from its YAML spec, and findings on veto items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """A loaded programme spec: code and version; the YAML stays the source of truth."""

    code = models.SlugField(_("代码"), max_length=60)
    version = models.CharField(_("版本"), max_length=20)
    name = models.CharField(_("名称"), max_length=200)
    spec_sha256 = models.CharField(_("规格文件SHA-256"), max_length=64)
    loaded_at = models.DateTimeField(_("加载时间"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="programme_code_version_unique"
            ),
        ]
        verbose_name = _("创建方案")
        verbose_name_plural = _("创建方案")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class TaskItem(models.Model):
    """A key task (重点任务), one of the plan's numbered items."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"))
    group_code = models.CharField(_("类别"), max_length=40)
    title = models.CharField(_("任务"), max_length=100)
    text = models.TextField(_("内容"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="taskitem_programme_number_unique"
            ),
        ]
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Role(models.TextChoices):
    RESPONSIBLE = "responsible", _("责任")
    LEAD = "lead", _("牵头")
    COOPERATING = "cooperating", _("配合")


class ItemAssignment(models.Model):
    """A responsible unit (责任单位) on a key task, with its role as the plan writes it."""

    item = models.ForeignKey(TaskItem, on_delete=models.CASCADE, related_name="assignments")
    responsible_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["item__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "responsible_unit"], name="assignment_item_unit_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(f"{self.item_id}:{self.responsible_unit_id}:{self.role}")


class VetoFinding(models.Model):
    """The office's recorded finding on a veto item that no ledger decides (e.g. veto 1).

    ``vetoed`` True means the veto applies. Without a finding the veto shows "evidence needed".
    """

    programme_code = models.SlugField(_("方案代码"), max_length=60)
    veto_code = models.SlugField(_("否决项"), max_length=40)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    vetoed = models.BooleanField(_("触发否决"))
    basis = models.TextField(_("依据"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme_code", "veto_code", "org_unit", "year"],
                name="vetofinding_unique",
            ),
        ]
        verbose_name = _("否决项认定")
        verbose_name_plural = _("否决项认定")

    def __str__(self) -> str:
        return f"{self.veto_code} {self.org_unit_id} {self.year}"
