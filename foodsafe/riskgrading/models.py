"""Risk grading records: static factors, inspection checklists, recorded adjustment facts and
the 风险等级确定表 (one grading per operator per year, with every input it used)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from foodsafe.evidence.models import private_storage_callable

GRADE_CHOICES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]


class StaticFactors(models.Model):
    """An operator's static risk factors (静态风险因素): which static table of the grading spec
    applies and the value of each factor (code → number, option code(s) or yes/no), as read
    from its licence file (许可档案)."""

    business = models.OneToOneField(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="static_factors",
        verbose_name=_("食品生产经营者"),
    )
    table = models.CharField(_("静态风险因素量化分值表"), max_length=40)
    values = models.JSONField(_("各因素取值"), default=dict)
    recorded_on = models.DateField(_("登记日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    # The static score of ``values`` under the scheme whose sha256 is ``scored_under`` (a
    # cache, so that grading a city does not re-score every record each run): written when the
    # record is saved and by a grading that had to score it; stale as soon as the scheme
    # in force has another sha256. Not part of the audit trail (derived from the fields above).
    score = models.DecimalField(
        _("静态风险分值（缓存）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score_inputs = models.JSONField(_("计分明细（缓存）"), default=dict, blank=True)
    scored_under = models.CharField(_("计分方案 SHA-256"), max_length=64, blank=True)
    history = HistoricalRecords(excluded_fields=["score", "score_inputs", "scored_under"])

    class Meta:
        verbose_name = _("静态风险因素")
        verbose_name_plural = _("静态风险因素")

    def __str__(self) -> str:
        return f"{self.business_id} {self.table}"


class Checklist(models.Model):
    """The checklist (监督检查要点表) of one inspection: every item's answer and note, the
    dynamic risk score it gives, the two inspectors (第二十三条) and the operator's signature or
    its refusal. The inspection itself is a row of the inspections ledger, as imports write it,
    so the scorecard counts both alike."""

    inspection = models.OneToOneField(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        related_name="checklist",
        verbose_name=_("监督检查"),
    )
    checklist = models.CharField(_("检查要点表"), max_length=40)
    scheme = models.CharField(_("分级方案"), max_length=80)
    answers = models.JSONField(_("检查结论"), default=dict)
    dynamic_score = models.DecimalField(_("动态风险分值"), max_digits=5, decimal_places=2)
    key_failed = models.PositiveSmallIntegerField(_("不符合重点项数"), default=0)
    general_failed = models.PositiveSmallIntegerField(_("不符合一般项数"), default=0)
    inspector_1 = models.CharField(_("检查人员一"), max_length=40)
    inspector_1_badge = models.CharField(_("执法证号一"), max_length=40)
    inspector_2 = models.CharField(_("检查人员二"), max_length=40)
    inspector_2_badge = models.CharField(_("执法证号二"), max_length=40)
    signed_by = models.CharField(_("被检查单位签字人"), max_length=40, blank=True)
    refused = models.BooleanField(_("拒绝签字"), default=False)
    refusal_note = models.CharField(_("拒签情况说明"), max_length=300, blank=True)
    obstructed = models.BooleanField(_("拒绝、逃避、阻挠检查"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监督检查要点记录")
        verbose_name_plural = _("监督检查要点记录")
        constraints = [
            # signature or refusal, never both, never neither
            models.CheckConstraint(
                condition=(Q(refused=False) & ~Q(signed_by=""))
                | (Q(refused=True) & Q(signed_by="") & ~Q(refusal_note="")),
                name="checklist_signed_or_refused",
            ),
            models.CheckConstraint(
                condition=~Q(inspector_1="")
                & ~Q(inspector_2="")
                & ~Q(inspector_1=models.F("inspector_2")),
                name="checklist_two_inspectors",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.checklist}"


class ChecklistPhoto(models.Model):
    """A photo taken for one item of an inspection's checklist (检查要点照片, issue 12 point 2).

    Checked by content (PNG or JPEG only) and size (``FOODSAFE_MAX_PHOTO_BYTES``) and stored
    under a random name in the evidence files' private storage (``PRIVATE_MEDIA_ROOT``, outside
    the web root, no URL); served only through a view that checks the operator's scope."""

    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.PROTECT,
        related_name="photos",
        verbose_name=_("监督检查要点记录"),
    )
    item = models.CharField(_("检查项"), max_length=20)
    file = models.FileField(
        _("照片"),
        storage=private_storage_callable,  # type: ignore[arg-type]  # returns a LazyObject
        upload_to="checklist-photos/%Y/%m/",
    )
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["checklist", "item", "id"]
        verbose_name = _("检查要点照片")
        verbose_name_plural = _("检查要点照片")

    def __str__(self) -> str:
        return f"{self.checklist_id} {self.item} {self.original_name}"


class FactKind(models.TextChoices):
    """Facts the adjustment rules need that no ledger holds against an operator."""

    BAD_SOCIAL_IMPACT = "bad_social_impact", _("违法行为造成不良社会影响")
    INCIDENT = "incident", _("发生食品安全事故")
    RECALL_FAILURE = "recall_failure", _("不按规定召回或停止生产经营")
    OBSTRUCTION = "obstruction", _("拒绝、逃避、阻挠检查或拒不配合调查")
    OTHER_UP = "other_up", _("其他可上调情形")
    CERTIFICATION = "certification", _("获得 GMP/HACCP 认证")
    QUALITY_AWARD = "quality_award", _("获得地市级以上人民政府质量奖")
    OTHER_DOWN = "other_down", _("其他可下调情形")


class AdjustmentFact(models.Model):
    """A recorded fact for the year-end adjustment (调整事实), e.g. an incident at this operator
    or a HACCP certificate, with the date it happened (a certificate: the date it was issued,
    and ``valid_until``)."""

    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="adjustment_facts",
        verbose_name=_("食品生产经营者"),
    )
    kind = models.CharField(_("情形"), max_length=20, choices=FactKind.choices)
    occurred_on = models.DateField(_("发生（取得）日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    description = models.CharField(_("情况说明"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("风险等级调整事实")
        verbose_name_plural = _("风险等级调整事实")
        indexes = [models.Index(fields=["kind", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.business_id} {self.kind} {self.occurred_on}"


class Suggestion(models.TextChoices):
    """风险等级建议 as the 确定表 codes it: 1 上调, 2 不调, 3 下调."""

    UP = "up", _("上调")
    KEEP = "keep", _("不调")
    DOWN = "down", _("下调")


class Grading(models.Model):
    """One row of the 风险等级确定表 (RULES-supervision.md §1.2): an operator's grading for a
    year.

    Assessment: ``static_score`` + ``dynamic_score`` = ``total_score`` → ``score_grade`` by the
    bands; ``inputs`` keeps everything it used (static table and factors, the checklist and its
    failed items, the scheme's label and sha256). The office confirms it as ``grade`` (or
    overrides it with ``grade_reason``).
    Year-end adjustment (第二十七条–第三十条): ``up_cases`` / ``down_cases`` with their reasons,
    ``suggestion`` and ``proposed_next_grade``; the office confirms it as ``next_grade``.
    The score grade and the adjusted grade are separate fields (§1.2 design point).
    No score without its data (无数据不下结论): an operator missing its static record or
    (opened before the year) a checklist has no scores (NULL) and no score grade; it keeps its
    recorded grade (``recorded``, ``inputs["recorded_grade"]``) or is 待评定 (``pending``), and
    ``inputs["missing"]`` names what is missing. ``no_checklist`` is a grade presumed under the
    scheme's explicit ``presumption`` setting (``inputs["presumed"]``).
    """

    class Basis(models.TextChoices):
        SCORED = "scored", _("静态 + 动态")
        NEW_OPERATOR = "new_operator", _("新开办，仅静态（第二十四条）")
        NO_CHECKLIST = "no_checklist", _("无检查要点记录，仅静态")
        RECORDED = "recorded", _("缺少评定数据，沿用登记等级")
        PENDING = "pending", _("缺少评定数据，待评定")

    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="gradings",
        verbose_name=_("食品生产经营者"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    scheme = models.CharField(_("分级方案"), max_length=80)
    previous_grade = models.CharField(_("上年度风险等级"), max_length=1, blank=True)
    static_score = models.DecimalField(
        _("静态风险因素量化风险分值"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    dynamic_score = models.DecimalField(
        _("动态风险因素量化风险分值"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    total_score = models.DecimalField(
        _("风险等级得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score_grade = models.CharField(
        _("风险等级（按分值）"), max_length=1, choices=GRADE_CHOICES, blank=True
    )
    basis = models.CharField(_("评定依据"), max_length=20, choices=Basis.choices)
    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所依据的检查要点记录"),
    )
    inputs = models.JSONField(_("评定依据数据"), default=dict)
    graded_at = models.DateTimeField(_("评定时间"))
    grade = models.CharField(_("风险等级"), max_length=1, choices=GRADE_CHOICES, blank=True)
    grade_reason = models.CharField(_("改定理由"), max_length=300, blank=True)
    grade_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    grade_confirmed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    up_cases = models.JSONField(_("上调情形"), default=list)
    down_cases = models.JSONField(_("下调情形"), default=list)
    suggestion = models.CharField(
        _("风险等级建议"), max_length=4, choices=Suggestion.choices, blank=True
    )
    proposed_next_grade = models.CharField(
        _("建议下一年度风险等级"), max_length=1, choices=GRADE_CHOICES, blank=True
    )
    adjusted_at = models.DateTimeField(_("调整评定时间"), null=True, blank=True)
    next_grade = models.CharField(
        _("下一年度风险等级"), max_length=1, choices=GRADE_CHOICES, blank=True
    )
    next_reason = models.CharField(_("调整改定理由"), max_length=300, blank=True)
    next_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调整审核人"),
    )
    next_confirmed_at = models.DateTimeField(_("调整审核时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "business"]
        verbose_name = _("风险等级确定表")
        verbose_name_plural = _("风险等级确定表")
        constraints = [
            models.UniqueConstraint(fields=["business", "year"], name="grading_once_a_year"),
            models.CheckConstraint(
                condition=Q(total_score=models.F("static_score") + models.F("dynamic_score")),
                name="grading_total_is_static_plus_dynamic",
            ),
        ]
        indexes = [models.Index(fields=["year", "score_grade"])]

    def __str__(self) -> str:
        return f"{self.business_id} {self.year} {self.score_grade or self.basis}"

    @property
    def proposal(self) -> str:
        """The grade a confirmation takes without an override: the score grade, or the recorded
        grade kept when a score could not be made; empty for 待评定."""
        return self.score_grade or str(self.inputs.get("recorded_grade", ""))

    @property
    def missing(self) -> list[str]:
        """The data a score needed and did not have (named for the page and the 确定表)."""
        return list(self.inputs.get("missing", []))

    @property
    def presumed(self) -> bool:
        """A grade presumed under the scheme's ``presumption`` setting (推定), not scored."""
        return bool(self.inputs.get("presumed"))


class GradingRun(models.Model):
    """One grading or year-end adjustment of many operators at once: who ran it, when, under
    which scheme (label and sha256) and how many rows it wrote. The audit row of a bulk run."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("评定")
        ADJUSTMENT = "adjustment", _("年度调整")
        CONFIRM = "confirm", _("批量确认")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    scheme = models.CharField(_("分级方案"), max_length=80)
    scheme_sha256 = models.CharField(_("方案文件 SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"))

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("分级批次")
        verbose_name_plural = _("分级批次")

    def __str__(self) -> str:
        return f"{self.kind} {self.year} ({self.rows})"
