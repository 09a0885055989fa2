"""Supervision (督查督办): the reminders sent about overdue or nearly due work."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")


class Reminder(models.Model):
    """A reminder recorded by the cron command; unique per item, kind and day (idempotent)."""

    rectification = models.ForeignKey(
        "rectification.Rectification", on_delete=models.CASCADE, related_name="reminders"
    )
    responsible_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit", on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField(_("发送日期"))
    message = models.TextField(_("内容"))

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["rectification", "kind", "sent_on"], name="reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sent_on} {self.kind} {self.rectification_id}"
