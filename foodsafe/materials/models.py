"""材料报送 (implementation plan 四（二）2): each responsible unit's filing per module.

"各责任单位……分模块形成自查说明、资料清单目录报送区创城办": a module is one of the programme
spec's groups (基础工作, 能力建设 …). A unit's filing for a module is its 自查说明 (text and,
optionally, one file) and its 资料清单目录, which is generated from its approved evidence of the
module's items whenever it is shown (so it never goes stale); only the unit's notes on each line
are stored here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from foodsafe.evidence.models import private_storage_callable


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("暂存")
    SUBMITTED = "submitted", _("已报送")


class MaterialFiling(models.Model):
    """One responsible unit's 材料报送 for one module (``group_code``) of a programme."""

    programme_code = models.SlugField(_("方案代码"), max_length=60)
    group_code = models.CharField(_("模块"), max_length=40)
    responsible_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="material_filings",
    )
    self_check_text = models.TextField(_("自查说明"), blank=True)
    self_check_file = models.FileField(
        _("自查说明附件"),
        storage=private_storage_callable,  # type: ignore[arg-type]  # returns a LazyObject
        upload_to="materials/%Y/%m/",
        blank=True,
    )
    self_check_file_name = models.CharField(_("附件原文件名"), max_length=255, blank=True)
    self_check_file_type = models.CharField(_("附件类型"), max_length=100, blank=True)
    #: ``{"<evidence id>": "note"}``: the unit's 备注 on lines of its catalogue.
    catalogue_notes = models.JSONField(_("清单备注"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group_code", "responsible_unit__name"]
        verbose_name = _("材料报送")
        verbose_name_plural = _("材料报送")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_code", "group_code", "responsible_unit"],
                name="materialfiling_once_per_module",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | models.Q(submitted_at__isnull=False),
                name="materialfiling_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_code} {self.responsible_unit_id}"
