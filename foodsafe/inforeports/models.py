"""信息报送 (implementation plan 五（三）): units send work information to the office on a
schedule; the office compiles a 工作简报 from chosen reports.

"各责任单位要及时总结工作中的经验和成果，按照时间要求，定期将创建工作情况报送区创城办": the
schedule (报送安排) says how often and by which working day; a report (工作信息) belongs to the
period it reports on; whether it was on time is derived (never stored) from the schedule and
the working-day calendar.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from foodsafe.evidence.models import private_storage_callable


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class ReportSchedule(models.Model):
    """报送安排: every non-collective responsible unit reports each period (month or quarter)
    by the ``due_workday``-th working day after the period ends (e.g. the 5th working day of
    the next month), from the period containing ``starts_on`` to the one containing
    ``ends_on`` (open-ended when blank)."""

    name = models.CharField(_("名称"), max_length=100)
    frequency = models.CharField(
        _("频次"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    due_workday = models.PositiveSmallIntegerField(
        _("截止（下一期第几个工作日）"), default=5, help_text=_("如 5：次月第 5 个工作日前报送")
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-active", "starts_on", "pk"]
        verbose_name = _("信息报送安排")
        verbose_name_plural = _("信息报送安排")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_workday__gte=1) & Q(due_workday__lte=23),
                name="reportschedule_due_workday_range",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="reportschedule_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InfoReport(models.Model):
    """工作信息: one report of a unit for one period of a schedule (a unit may send several)."""

    schedule = models.ForeignKey(
        ReportSchedule, on_delete=models.PROTECT, related_name="reports", verbose_name=_("报送安排")
    )
    period_start = models.DateField(_("所属期间（首日）"))
    responsible_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="info_reports",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("工作信息")
        verbose_name_plural = _("工作信息")
        indexes = [models.Index(fields=["schedule", "period_start", "responsible_unit"])]

    def __str__(self) -> str:
        return self.title


class InfoAttachment(models.Model):
    """A file sent with a report (checked by content like evidence, stored privately)."""

    report = models.ForeignKey(InfoReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("文件"),
        storage=private_storage_callable,  # type: ignore[arg-type]  # returns a LazyObject
        upload_to="inforeports/%Y/%m/",
    )
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("工作信息附件")
        verbose_name_plural = _("工作信息附件")

    def __str__(self) -> str:
        return self.original_name


class Bulletin(models.Model):
    """工作简报: an issue (期号 per year) compiled by the office from chosen reports."""

    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("期号"))
    issued_on = models.DateField(_("印发日期"))
    title = models.CharField(
        _("简报名称"), max_length=100, default="创建国家食品安全示范城市工作简报"
    )
    issuer = models.CharField(_("编发单位"), max_length=100, default="区创城办")
    reports = models.ManyToManyField(InfoReport, through="BulletinItem", related_name="bulletins")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("工作简报")
        verbose_name_plural = _("工作简报")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="bulletin_number_per_year"),
            models.CheckConstraint(condition=Q(number__gte=1), name="bulletin_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}期"


class BulletinItem(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    report = models.ForeignKey(InfoReport, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        ordering = ["bulletin", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "report"], name="bulletinitem_once"),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id}:{self.position}"


class InfoReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将截止")
    LATE = "late", _("逾期未报")


class InfoReminder(models.Model):
    """A reminder about one unit's report for one period: once per kind, so delivering the
    day's reminders twice notifies nobody twice."""

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("所属期间（首日）"))
    responsible_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=InfoReminderKind.choices)
    due_on = models.DateField(_("截止日期"))
    sent_on = models.DateField(_("发送日期"))

    class Meta:
        ordering = ["-sent_on", "pk"]
        verbose_name = _("信息报送提醒")
        verbose_name_plural = _("信息报送提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_start", "responsible_unit", "kind"],
                name="inforeminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.responsible_unit_id} {self.period_start}"
