"""Food sampling and testing (食品抽检): batches and their test items."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SamplingType(models.TextChoices):
    """抽检类型; drives which batches each indicator counts (RULES.md §1.6, §3)."""

    SURVEILLANCE = "surveillance", _("监督抽检")
    EVALUATION = "evaluation", _("评价性抽检")
    RISK_MONITORING = "risk_monitoring", _("风险监测")
    RAPID_TEST = "rapid_test", _("快检")


class Stage(models.TextChoices):
    """环节."""

    PRODUCTION = "production", _("生产")
    CIRCULATION = "circulation", _("流通")
    CATERING = "catering", _("餐饮")
    ONLINE = "online", _("网络")


class Conclusion(models.TextChoices):
    CONFORMING = "conforming", _("合格")
    NONCONFORMING = "nonconforming", _("不合格")
    PENDING = "pending", _("待检")


class Department(models.TextChoices):
    MARKET_REGULATION = "market_regulation", _("市场监管部门")
    AGRICULTURE = "agriculture", _("农业农村部门")
    OTHER = "other", _("其他")


class SamplingBatch(models.Model):
    """One sampling batch (抽检批次), keyed by its sample number (抽样单编号)."""

    sample_number = models.CharField(_("抽样单编号"), max_length=40, unique=True)
    sampled_on = models.DateField(_("抽样日期"))
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("抽样地区划"),
        related_name="+",
    )
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sampling_batches",
        verbose_name=_("被抽样单位"),
    )
    sampling_type = models.CharField(_("抽检类型"), max_length=20, choices=SamplingType.choices)
    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    business_format = models.CharField(_("业态"), max_length=30)
    food_category = models.CharField(_("食品大类"), max_length=60)
    #: The node of the food category tree (``categories.py``) ``food_category`` (and the sample
    #: name, when it names a 细类 below it) stands for; NULL for rows written before the tree.
    category_code = models.CharField(
        _("食品分类编码"), max_length=8, null=True, blank=True, db_index=True
    )
    food_name = models.CharField(_("样品名称"), max_length=200, blank=True)
    department = models.CharField(
        _("组织部门"),
        max_length=30,
        choices=Department.choices,
        default=Department.MARKET_REGULATION,
    )
    conclusion = models.CharField(_("检验结论"), max_length=20, choices=Conclusion.choices)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    disposal_completed_on = models.DateField(_("核查处置完成日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sampled_on", "sample_number"]
        verbose_name = _("抽检批次")
        verbose_name_plural = _("抽检批次")
        indexes = [models.Index(fields=["sampled_on", "sampling_type"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True) | Q(reported_on__gte=models.F("sampled_on")),
                name="batch_reported_after_sampled",
            ),
        ]

    def __str__(self) -> str:
        return self.sample_number


class TestItemCategory(models.TextChoices):
    PESTICIDE_RESIDUE = "pesticide_residue", _("农药残留")
    VET_DRUG_RESIDUE = "vet_drug_residue", _("兽药残留")
    OTHER = "other", _("其他")


class TestItem(models.Model):
    """A test item (检验项目) of a batch; residue items make the batch a residue test."""

    batch = models.ForeignKey(SamplingBatch, on_delete=models.CASCADE, related_name="test_items")
    name = models.CharField(_("检验项目"), max_length=100)
    category = models.CharField(
        _("项目类别"),
        max_length=20,
        choices=TestItemCategory.choices,
        default=TestItemCategory.OTHER,
    )
    result_value = models.CharField(_("检验结果"), max_length=60, blank=True)
    standard_value = models.CharField(_("标准值"), max_length=60, blank=True)
    conforming = models.BooleanField(_("合格"), default=True)

    class Meta:
        verbose_name = _("检验项目")
        verbose_name_plural = _("检验项目")
        constraints = [
            models.UniqueConstraint(fields=["batch", "name"], name="testitem_batch_name_unique"),
        ]

    def __str__(self) -> str:
        return str(f"{self.batch_id}:{self.name}")
