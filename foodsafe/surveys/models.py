"""Survey responses: public satisfaction (满意度) and awareness (知晓率)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SurveyResponse(models.Model):
    """One respondent's answers in a satisfaction and awareness survey (满意度测评).

    ``satisfaction_score`` is on a 0–100 scale (实施方案 第22条: ≥ 80 分);
    ``aware_of_programme`` is whether the respondent knows of the drive (第23条: ≥ 85%).
    """

    response_number = models.CharField(_("问卷编号"), max_length=40, unique=True)
    survey_code = models.CharField(_("调查批次"), max_length=40)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("所属区划"),
        related_name="+",
    )
    responded_on = models.DateField(_("答卷日期"))
    satisfaction_score = models.DecimalField(
        _("满意度得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    aware_of_programme = models.BooleanField(_("知晓创建工作"), null=True, blank=True)

    class Meta:
        ordering = ["-responded_on"]
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction_score__isnull=True)
                | (Q(satisfaction_score__gte=0) & Q(satisfaction_score__lte=100)),
                name="survey_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.response_number)
