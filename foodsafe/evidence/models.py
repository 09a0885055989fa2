"""Evidence materials (档案资料): files archived against a task item or a rectification."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PrivateStorage(LazyObject):
    """Uploads live under ``settings.PRIVATE_MEDIA_ROOT``, outside the web root, with no URL:
    they are served only through a view that checks permissions."""

    def _setup(self) -> None:
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def private_storage_callable() -> PrivateStorage:
    """The storage of evidence files, as a callable: migrations then record this function,
    not the machine's absolute path of ``PRIVATE_MEDIA_ROOT``."""
    return private_storage


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("退回")


class Evidence(models.Model):
    """One evidence file for a task item × responsible unit (``assignment``) or for a
    rectification item (``rectification``) — exactly one of the two."""

    assignment = models.ForeignKey(
        "programme.ItemAssignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    rectification = models.ForeignKey(
        "rectification.Rectification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    requirement = models.CharField(_("对应材料要求"), max_length=200, blank=True)
    # The period and org unit the file is evidence for (issue 10 §1): it counts towards an
    # item's status only for evaluations of periods that contain ``period`` and of subtrees
    # that contain ``org_unit``, as a ledger row does. Blank / null: the programme's year and
    # the programme's own org unit (the district), the defaults the spec states.
    period = models.CharField(
        _("所属期间"), max_length=7, blank=True, help_text=_("如 2021、2021S1、2021Q3、202108")
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(
        _("文件"),
        storage=private_storage_callable,  # type: ignore[arg-type]  # returns a LazyObject
        upload_to="evidence/%Y/%m/",
    )
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    status = models.CharField(
        _("审核状态"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_reason = models.TextField(_("审核意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        constraints = [
            models.CheckConstraint(
                condition=(Q(assignment__isnull=False) & Q(rectification__isnull=True))
                | (Q(assignment__isnull=True) & Q(rectification__isnull=False)),
                name="evidence_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_reason=""),
                name="evidence_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title
