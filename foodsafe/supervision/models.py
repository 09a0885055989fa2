"""Supervision (督查督办): the reminders sent about overdue or nearly due work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")


class Reminder(models.Model):
    """A reminder recorded by ``foodsafe send-reminders``; unique per item, kind and day.

    The item is a rectification, a workplan task or milestone (``task`` always set for those,
    so the link and the unit come from the task), or one statutory step of a complaint or report
    (``complaint`` and ``step``, e.g. the acceptance decision of 第十四条): exactly one of
    rectification, task, complaint. ``deadline`` is the deadline the reminder was about: a "due
    soon" reminder is sent once per deadline, an "overdue" one on every working day the item
    stays overdue. ``responsible_unit`` is the unit that must act (empty for a complaint not yet
    assigned: the office assigns it).
    """

    #: What the reminder chases: a rectification item, or a workplan task (its own deadline,
    #: ``milestone`` empty) or one of its milestones (节点, issue 17 point 3).
    rectification = models.ForeignKey(
        "rectification.Rectification",
        on_delete=models.CASCADE,
        related_name="reminders",
        null=True,
        blank=True,
    )
    task = models.ForeignKey(
        "workplan.Task", on_delete=models.CASCADE, related_name="reminders", null=True, blank=True
    )
    milestone = models.ForeignKey(
        "workplan.Milestone",
        on_delete=models.CASCADE,
        related_name="reminders",
        null=True,
        blank=True,
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="reminders",
        null=True,
        blank=True,
        verbose_name=_("投诉举报"),
    )
    #: The complaint's step the deadline belongs to (``complainthandling.selectors.Step``).
    step = models.CharField(_("办理环节"), max_length=20, blank=True)
    responsible_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        related_name="reminders",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField(_("发送日期"))
    deadline = models.DateField(_("期限"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    message = models.TextField(_("内容"))

    class Meta:
        ordering = ["-sent_on", "rectification_id", "kind"]
        verbose_name = _("督办提醒")
        verbose_name_plural = _("督办提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["rectification", "kind", "sent_on"], name="reminder_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["task", "kind", "sent_on"],
                condition=Q(milestone__isnull=True, task__isnull=False),
                name="reminder_task_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["milestone", "kind", "sent_on"],
                condition=Q(milestone__isnull=False),
                name="reminder_milestone_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["complaint", "step", "kind", "sent_on"],
                condition=Q(complaint__isnull=False),
                name="complaint_reminder_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(rectification__isnull=False, task__isnull=True, complaint__isnull=True)
                | Q(rectification__isnull=True, task__isnull=False, complaint__isnull=True)
                | Q(rectification__isnull=True, task__isnull=True, complaint__isnull=False),
                name="reminder_about_one_thing",
            ),
        ]

    def __str__(self) -> str:
        about = self.rectification_id or self.task_id or f"complaint {self.complaint_id}"
        return f"{self.sent_on} {self.kind} {about}"


class Notification(models.Model):
    """A message in one user's in-app notification list (站内通知), and its e-mail copy.

    Made from a :class:`Reminder` for every active user of the reminder's responsible unit
    (``supervision.notifications``); unique per user and reminder, so delivering the same
    reminders twice adds nothing. ``url`` is a path inside this site (the item to act on).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("通知时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reminder"], name="notification_once_per_reminder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"
