"""The import log (导入日志): who imported which file, when, with what effect."""

from __future__ import annotations

from django.conf import settings
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

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("导入日志")
        verbose_name_plural = _("导入日志")

    def __str__(self) -> str:
        return str(f"{self.ledger} {self.file_name}")
