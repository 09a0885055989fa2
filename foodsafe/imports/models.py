"""The import log (导入日志): who imported which file, when, with what effect, and what it
takes to undo it (撤销导入): the ids of the rows it created and the previous values of the rows
it changed (``ImportChange``)."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportLog(models.Model):
    ledger = models.CharField(_("台账"), max_length=40)
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    rows_added = models.PositiveIntegerField(_("新增"), default=0)
    rows_updated = models.PositiveIntegerField(_("更新"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("未变"), default=0)
    #: The responsible unit the import was made for (None: the programme office / system).
    unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("导入单位"),
    )
    #: The ids of the rows this import created, as [first, last] ranges (contiguous ids are
    #: the rule, so a 100,000-row first import is one pair).
    created_ranges = models.JSONField(_("新增记录"), default=list, blank=True)
    rolled_back_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("撤销人"),
    )

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("导入日志")
        verbose_name_plural = _("导入日志")

    def __str__(self) -> str:
        return str(f"{self.ledger} {self.file_name}")

    @property
    def created_count(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.created_ranges or [])


class ImportChange(models.Model):
    """A row an import changed, with the values it had before (for 撤销导入)."""

    log = models.ForeignKey(ImportLog, on_delete=models.CASCADE, related_name="changes")
    row_id = models.BigIntegerField(_("记录ID"))
    #: Field name → the value before the import (JSON: dates and decimals as text).
    previous = models.JSONField(_("原值"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("导入修改")
        verbose_name_plural = _("导入修改")
        indexes = [models.Index(fields=["row_id"])]

    def __str__(self) -> str:
        return str(f"{self.log_id}:{self.row_id}")
