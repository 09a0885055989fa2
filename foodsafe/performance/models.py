"""The office's written comment (考核评语) on a unit's month of the performance assessment.

Scores are never stored: they are worked out from the ledgers each time (a number with no data
behind it is 无数据). Only the comment, a person's judgement, is kept, with its history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AssessmentComment(models.Model):
    unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        related_name="assessment_comments",
        verbose_name=_("责任单位"),
    )
    #: The first day of the month assessed.
    month = models.DateField(_("考核月份"))
    text = models.TextField(_("考核评语"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("填写人"),
    )
    updated_at = models.DateTimeField(_("填写时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "unit__name"]
        verbose_name = _("考核评语")
        verbose_name_plural = _("考核评语")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="assessment_comment_once"),
            models.CheckConstraint(
                condition=Q(month__day=1), name="assessment_comment_month_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"
