"""Sampling plans (抽检计划), the 不合格 核查处置 records and the publication of results.

A plan is generated from the registry, the population and last year's ledger, previewed, and
saved as a new **version** (the latest version of a unit and year is the plan in force); its
inputs and totals are stored with it. Progress is never stored: it is read from the sampling
ledger. Disposal records (``samplingplan_disposal`` and ``samplingplan_disposalstep``) follow
one failed batch (``sampling_samplingbatch``) each; closing one writes the batch's
``disposal_completed_on`` in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SamplingPlan(models.Model):
    """One version of a unit's yearly sampling plan (年度抽检计划)."""

    number = models.CharField(_("计划编号"), max_length=60, unique=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        related_name="+",
        verbose_name=_("计划范围"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"))
    spec_label = models.CharField(_("计划规则"), max_length=60)
    spec_sha256 = models.CharField(_("规则校验值"), max_length=64)
    #: What the generator read (population, cells with operator counts, last year's rates).
    inputs = models.JSONField(_("生成依据"))
    population = models.PositiveIntegerField(_("常住人口"))
    note = models.CharField(_("说明"), max_length=400, blank=True)
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
        ordering = ["-year", "org_unit", "-version"]
        verbose_name = _("年度抽检计划")
        verbose_name_plural = _("年度抽检计划")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "version"], name="samplingplan_version_once"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PlanLine(models.Model):
    """Batches planned for one 食品分类 × 环节 × 业态 over months ``month_from``–``month_to``.

    ``category_code`` is a 大类, or the 亚类 a residue reserve line is for (``residue``).
    ``special`` names a line added by hand (两节, 校园周边…)."""

    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="lines")
    category_code = models.CharField(_("食品分类编码"), max_length=8)
    stage = models.CharField(_("环节"), max_length=20)
    business_format = models.CharField(_("业态"), max_length=30)
    month_from = models.PositiveSmallIntegerField(_("起始月"))
    month_to = models.PositiveSmallIntegerField(_("截止月"))
    batches = models.PositiveIntegerField(_("批次"))
    residue = models.BooleanField(_("农药兽药残留"), default=False)
    special = models.CharField(_("专项"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "month_from", "category_code", "stage", "business_format"]
        verbose_name = _("计划批次")
        verbose_name_plural = _("计划批次")
        constraints = [
            models.CheckConstraint(
                condition=Q(month_from__gte=1)
                & Q(month_to__lte=12)
                & Q(month_to__gte=models.F("month_from")),
                name="planline_months",
            ),
            models.CheckConstraint(condition=Q(batches__gte=1), name="planline_batches"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.category_code} {self.stage}/{self.business_format}"


class DisposalState(models.TextChoices):
    OPEN = "open", _("处置中")
    CLOSED = "closed", _("已办结")


class Disposal(models.Model):
    """核查处置 of one failed batch (不合格): served on the operator, worked step by step, closed
    with evidence within the statutory period (办法 第四十五条)."""

    batch = models.OneToOneField(
        "sampling.SamplingBatch",
        on_delete=models.PROTECT,
        related_name="disposal",
        verbose_name=_("抽检批次"),
    )
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sampling_disposals",
        verbose_name=_("被抽样单位"),
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        related_name="+",
        verbose_name=_("区划"),
    )
    reported_on = models.DateField(_("报告日期"))
    serve_due_on = models.DateField(_("送达期限"))
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    close_due_on = models.DateField(_("处置期限"), null=True, blank=True)
    extended_to = models.DateField(_("批准延期至"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=400, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=DisposalState.choices, default=DisposalState.OPEN
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    evidence = models.TextField(_("办结证明材料"), blank=True)
    provisional = models.BooleanField(_("期限暂定"), default=False)
    spec_label = models.CharField(_("规则"), max_length=60)
    created_at = models.DateTimeField(_("立项时间"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "batch"]
        verbose_name = _("不合格核查处置")
        verbose_name_plural = _("不合格核查处置")
        constraints = [
            models.CheckConstraint(
                condition=Q(served_on__isnull=True) | Q(served_on__gte=models.F("reported_on")),
                name="disposal_served_after_report",
            ),
            models.CheckConstraint(
                condition=Q(state="open") | (Q(closed_on__isnull=False) & ~Q(evidence="")),
                name="disposal_closed_with_evidence",
            ),
        ]
        indexes = [models.Index(fields=["state", "close_due_on"])]

    def __str__(self) -> str:
        return f"{self.batch_id}"


class Party(models.TextChoices):
    OPERATOR = "operator", _("经营者")
    DEPARTMENT = "department", _("监管部门")


class DisposalStep(models.Model):
    """One step of a disposal with its deadline counted in working days from service."""

    disposal = models.ForeignKey(Disposal, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("步骤"), max_length=20)
    title = models.CharField(_("名称"), max_length=100)
    party = models.CharField(_("责任方"), max_length=12, choices=Party.choices)
    kind = models.CharField(_("类型"), max_length=10)
    position = models.PositiveSmallIntegerField(_("顺序"))
    due_on = models.DateField(_("期限"))
    provisional = models.BooleanField(_("期限暂定"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=400, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["disposal", "position"]
        verbose_name = _("核查处置步骤")
        verbose_name_plural = _("核查处置步骤")
        constraints = [
            models.UniqueConstraint(fields=["disposal", "code"], name="disposal_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.disposal_id}:{self.code}"


class PublicationKind(models.TextChoices):
    RESULTS = "results", _("抽检结果")
    DISPOSAL = "disposal", _("不合格核查处置")


class Publication(models.Model):
    """A month's 抽检结果 or 核查处置 list as published on the government website."""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        related_name="+",
        verbose_name=_("区划"),
    )
    month = models.DateField(_("月份"))
    kind = models.CharField(_("类型"), max_length=10, choices=PublicationKind.choices)
    published_on = models.DateField(_("公开日期"))
    where = models.CharField(_("公开网址或载体"), max_length=300, blank=True)
    rows = models.PositiveIntegerField(_("条数"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "kind"]
        verbose_name = _("抽检信息公开")
        verbose_name_plural = _("抽检信息公开")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "month", "kind"], name="publication_once_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.month:%Y-%m} {self.kind}"
