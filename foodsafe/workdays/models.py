"""The working-day calendar as data the office owns (工作日日历).

Only the days that differ from Monday–Friday are stored: holidays (放假) and make-up working
days (调休上班), each tied to the State Council notice that arranged them. A year with a
:class:`HolidayArrangement` is *arranged*; any other year is counted from weekends and the
statutory holidays alone (:mod:`foodsafe.workdays.statutory`) and its deadlines are provisional
(暂定). Every change bumps :class:`CalendarRevision`, whose ``version`` each stored deadline
records.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class HolidayArrangement(models.Model):
    """One year's holiday arrangement (节假日安排) as published by the State Council."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source_title = models.CharField(_("通知标题"), max_length=200)
    source_number = models.CharField(_("文号"), max_length=60, blank=True)
    source_date = models.DateField(_("发布日期"), null=True, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("载入人"),
    )
    loaded_at = models.DateTimeField(_("载入时间"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return f"{self.year} {self.source_title}"


class SpecialDay(models.Model):
    """A day that differs from Monday–Friday: a holiday, or a make-up working day."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=40, blank=True)
    arrangement = models.ForeignKey(
        HolidayArrangement,
        on_delete=models.CASCADE,
        related_name="days",
        verbose_name=_("节假日安排"),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("特殊日期")
        verbose_name_plural = _("特殊日期")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}"


class CalendarRevision(models.Model):
    """One change of the calendar: who, when, what. ``version`` only grows.

    ``token`` tells two revisions with the same version apart (one rolled back, one kept), so a
    process never answers from a calendar that was never committed.
    """

    version = models.PositiveIntegerField(_("版本"), unique=True)
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    changed_at = models.DateTimeField(_("修改时间"))
    summary = models.TextField(_("修改内容"))
    deadlines_recomputed = models.PositiveIntegerField(_("重算期限数"), default=0)
    deadlines_changed = models.PositiveIntegerField(_("期限变化数"), default=0)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return f"v{self.version} {self.summary[:40]}"
