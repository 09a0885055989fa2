"""The rectification ledger (问题清单/整改台账) and its close-out (销号).

State machine: open → in progress → submitted → closed (销号: needs approved evidence and a
verifier who is not of the owner unit), or submitted → sent back → in progress → … .
Overdue is derived from the deadline and today, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Source(models.TextChoices):
    SELF_CHECK = "self_check", _("自查")
    REVIEW = "review", _("评审发现")
    INSPECTION = "inspection", _("监督检查")
    SCORECARD = "scorecard", _("指标未达标")
    SUPERVISION = "supervision", _("督查督办")


class State(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    SUBMITTED = "submitted", _("已提交销号")
    SENT_BACK = "sent_back", _("退回重改")
    CLOSED = "closed", _("已销号")


class Rectification(models.Model):
    """One problem on the rectification ledger, owned by a responsible unit."""

    number = models.CharField(_("编号"), max_length=30, unique=True)
    title = models.CharField(_("问题"), max_length=300)
    description = models.TextField(_("问题描述"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    owner_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("责任单位"),
    )
    item = models.ForeignKey(
        "programme.TaskItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("对应任务"),
    )
    indicator_code = models.CharField(_("对应指标"), max_length=60, blank=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区划"),
    )
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    # The operator a problem was found at (监督检查 of a food business), so that the operator
    # file (企业档案) lists its open and closed rectifications; blank for the programme's own
    # problems (indicators, reviews, supervision).
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("食品生产经营者"),
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("所依据的监督检查"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_on = models.DateField(_("登记日期"))
    working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"))
    deadline = models.DateField(_("整改期限"))
    deadline_provisional = models.BooleanField(
        _("期限暂定"),
        default=False,
        help_text=_("期限落在尚未载入节假日安排的年份，按法定节假日暂算"),
    )
    deadline_calendar_revision = models.PositiveIntegerField(
        _("计算期限的日历版本"), null=True, blank=True
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.OPEN)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核验人"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "number"]
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        indexes = [models.Index(fields=["owner_unit", "state", "deadline"])]
        constraints = [
            # an inspection's rectification names the inspected operator
            models.CheckConstraint(
                condition=Q(inspection__isnull=True) | Q(business__isnull=False),
                name="rectification_inspection_names_business",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("created_on")),
                name="rectification_deadline_after_created",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="closed") & Q(closed_on__isnull=False) & Q(verified_by__isnull=False)
                )
                | (~Q(state="closed") & Q(closed_on__isnull=True)),
                name="rectification_closed_has_date_and_verifier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RectificationEvent(models.Model):
    """A state change of a rectification: who, when, from → to, and why."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification_id}: {self.from_state} → {self.to_state}"
