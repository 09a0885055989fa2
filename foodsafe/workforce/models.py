"""Regulatory staff (监管人员) and their training records (培训记录)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StaffMember(models.Model):
    """A member of the regulatory staff; ``is_food_inspector`` marks 从事食品安全监管人员."""

    staff_number = models.CharField(_("人员编号"), max_length=40, unique=True)
    name = models.CharField(_("姓名"), max_length=60)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("所属区划"),
        related_name="+",
    )
    agency = models.CharField(_("所在单位"), max_length=100, blank=True)
    is_food_inspector = models.BooleanField(_("从事食品安全监管"), default=True)
    is_professional = models.BooleanField(_("具有专业背景"), default=False)
    joined_on = models.DateField(_("入职日期"), null=True, blank=True)
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["staff_number"]
        verbose_name = _("监管人员")
        verbose_name_plural = _("监管人员")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="staff_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_number} {self.name}"


class TrainingRecord(models.Model):
    """One training attended by a staff member, in class hours (学时)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="trainings")
    trained_on = models.DateField(_("培训日期"))
    course = models.CharField(_("培训内容"), max_length=200)
    class_hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["-trained_on"]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        constraints = [
            models.CheckConstraint(condition=Q(class_hours__gt=0), name="training_hours_positive"),
            models.UniqueConstraint(
                fields=["staff", "trained_on", "course"], name="training_staff_day_course_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(f"{self.staff_id} {self.trained_on} {self.course}")
