"""Tasks with people and dates (任务分解) and meetings (会议), issue 17 points 3 and 4.

实施方案 §四（二）1 and §五（二）: "确保每一项任务有落实部门和责任人", "明确任务、明确标准、明确节点、
倒排工期、责任到人"; "区创城办定期召开创城调度会议和示范引领项目专题会议".

One task model serves three sources (``Task.kind``):

- ``assignment``: a responsible unit's share of a key task (``programme.ItemAssignment``);
- ``phase``: a phase's own work from the programme spec (``phases[].work``), keyed by
  ``spec_key`` so loading the spec again updates rather than duplicates;
- ``decision``: a meeting's decision (议定事项), with its meeting.

Status (on time, late, overdue) is derived from the dates, never stored
(:mod:`foodsafe.workplan.selectors`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Person(models.Model):
    """A named person responsible (责任人) in a responsible unit: name, post, phone.

    The phone is personal data (《个人信息保护法》): shown whole only to the person's own unit
    and the office, masked (138****5678) to everyone else. ``user`` optionally links the login
    the person uses, so their notifications can name them.
    """

    unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        related_name="responsible_people",
        verbose_name=_("责任单位"),
    )
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=60)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户账号"),
    )
    active = models.BooleanField(_("在岗"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__name", "name"]
        verbose_name = _("责任人")
        verbose_name_plural = _("责任人")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="workplan_person_unit_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"


class TaskKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("重点任务分工")
    PHASE = "phase", _("阶段工作")
    DECISION = "decision", _("会议议定事项")


class Task(models.Model):
    """A task (任务) with an owner unit (落实部门), a person (责任人) and dates (节点).

    ``due_on`` is the task's own deadline; its milestones (:class:`Milestone`) are the dates
    along the way (倒排工期). ``done_on`` set means done; done on or before ``due_on`` is on
    time. A decision always has a meeting and a deadline (CheckConstraint).
    """

    kind = models.CharField(_("类型"), max_length=12, choices=TaskKind.choices)
    title = models.CharField(_("任务"), max_length=200)
    detail = models.TextField(_("内容"), blank=True)
    owner_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        related_name="workplan_tasks",
        verbose_name=_("落实部门"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("责任人"),
    )
    assignment = models.OneToOneField(
        "programme.ItemAssignment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="workplan_task",
        verbose_name=_("重点任务分工"),
    )
    phase_code = models.CharField(_("阶段"), max_length=40, blank=True)
    #: ``<phase code>.<work code>`` of a phase task from the spec; "" otherwise.
    spec_key = models.CharField(_("方案条目"), max_length=100, blank=True)
    #: Where the deadline comes from, as the page shows it (e.g. "方案：8月上旬" or an [I]
    #: reading when the plan gives only a period).
    due_basis = models.CharField(_("期限依据"), max_length=200, blank=True)
    meeting = models.ForeignKey(
        "Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("会议"),
    )
    start_on = models.DateField(_("开始日期"), null=True, blank=True)
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_note = models.TextField(_("完成情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        indexes = [models.Index(fields=["owner_unit", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["spec_key"], condition=~Q(spec_key=""), name="workplan_task_spec_key"
            ),
            models.CheckConstraint(
                condition=~Q(kind="decision")
                | (Q(meeting__isnull=False) & Q(due_on__isnull=False)),
                name="workplan_decision_has_meeting_and_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(kind="assignment") | Q(assignment__isnull=False),
                name="workplan_assignment_task_has_assignment",
            ),
            models.CheckConstraint(
                condition=Q(start_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=models.F("start_on")),
                name="workplan_task_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A milestone (节点) of a task: what is due by when, when it was done, and optionally a
    link to its evidence (an evidence page of this site or the unit's own document link)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("任务")
    )
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    evidence_url = models.CharField(_("佐证链接"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.title} {self.due_on}"


class MeetingKind(models.TextChoices):
    """The meetings the plan names (实施方案 §四（一）2, （二）1)."""

    DEPLOYMENT = "deployment", _("部署会")
    PROMOTION = "promotion", _("推动会")
    SCHEDULING = "scheduling", _("调度会")
    TOPICAL = "topical", _("专题会")


class Meeting(models.Model):
    """A meeting the office holds: kind, date, place, chair and minutes (会议纪要)."""

    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=200)
    chair = models.CharField(_("主持人"), max_length=60)
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    DEPUTY = "deputy", _("委派代表")
    ABSENT = "absent", _("缺席")


class Attendance(models.Model):
    """A unit's attendance at a meeting (参会情况): present, sent a deputy, or absent."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("会议")
    )
    unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        related_name="meeting_attendance",
        verbose_name=_("单位"),
    )
    status = models.CharField(_("参会情况"), max_length=10, choices=AttendanceStatus.choices)
    attendee = models.CharField(_("参会人"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "unit__name"]
        verbose_name = _("参会情况")
        verbose_name_plural = _("参会情况")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="workplan_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.unit_id}:{self.status}"
