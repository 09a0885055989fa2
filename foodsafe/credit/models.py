"""The credit file (食品安全信用档案) of every operator, its entries, the 严重违法失信名单 and the
monthly credit risk classes (企业信用风险分类, A–D).

食品安全法 第一百一十三条: a credit file for every operator recording 许可, 日常监督检查结果 and
违法行为查处, kept up to date; 第一百一十四条 and 监督检查办法 第四十一条: 约谈 and 整改 too;
实施条例 第六十六条: the 严重违法生产经营者黑名单 (RULES.md §5).

Entries are derived from the ledgers (never typed in): :mod:`.refresh` rebuilds them set-wise.
The classes are computed monthly by :mod:`.grading` from the spec in force and confirmed or
overridden by the office (history rows: who, when, from what to what).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class KeyKind(models.TextChoices):
    """What the file is keyed by (归集主体标识)."""

    USCC = "uscc", _("统一社会信用代码")
    LICENCE = "licence", _("许可证编号")
    REGISTRY = "registry", _("登记编号")


class EntryKind(models.TextChoices):
    """信用档案记录类别."""

    LICENCE = "licence", _("行政许可")
    INSPECTION = "inspection", _("监督检查结果")
    SAMPLING = "sampling", _("抽检不合格")
    CASE = "case", _("违法行为查处")
    COMPLAINT = "complaint", _("投诉举报")
    LISTING = "listing", _("严重违法失信名单")


class CreditFile(models.Model):
    """One operator's credit file (食品安全信用档案), keyed by its USCC, else its licence
    number, else its registry number (``key``, ``key_kind``).

    ``changed_at``: when the file's entries last changed (the page shows it); ``refreshed_on``:
    the day the file was last gathered from the ledgers (a file refreshed on or after a
    period's end holds that period's records: item 25's "current" file). ``signature`` is a
    checksum of the entries, compared at each refresh to tell a change.
    """

    # Derived data: a business removed (an import rolled back) takes its file along.
    business = models.OneToOneField(
        "registry.FoodBusiness",
        on_delete=models.CASCADE,
        related_name="credit_file",
        verbose_name=_("食品生产经营者"),
    )
    key = models.CharField(_("归集标识"), max_length=40)
    key_kind = models.CharField(_("标识类型"), max_length=10, choices=KeyKind.choices)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("所属区划"),
        related_name="+",
    )
    entries_count = models.PositiveIntegerField(_("记录数"), default=0)
    latest_on = models.DateField(_("最近记录日期"), null=True, blank=True)
    signature = models.CharField(max_length=120, default="")
    changed_at = models.DateTimeField(_("档案更新时间"))
    refreshed_on = models.DateField(_("归集日期"))

    class Meta:
        ordering = ["key"]
        verbose_name = _("信用档案")
        verbose_name_plural = _("信用档案")
        indexes = [models.Index(fields=["org_unit", "refreshed_on"])]

    def __str__(self) -> str:
        return self.key


class CreditEntry(models.Model):
    """A record filed under an operator (归集到企业名下), derived from a ledger row.

    ``kind`` and ``outcome`` together give the rule key the class spec weighs
    (``inspection.noncompliant``, ``case.individual``…); ``source_id`` is the ledger row's id
    and ``reference`` its natural key (inspection, sample or case number); ``ends_on`` the end
    of a listing (移出名单). ``public``: a record public by law (食品安全法 第一百一十三条:
    许可, 检查结果, 违法行为查处; the 名单), shown in the 信用信息公示 export.
    """

    # Derived rows, rebuilt by every refresh: no constraint, so that rolling back an import
    # that created the business is not refused for them (imports.rollback skips DO_NOTHING
    # relations); the refresh after the rollback removes them.
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="credit_entries",
    )
    kind = models.CharField(_("类别"), max_length=12, choices=EntryKind.choices)
    outcome = models.CharField(_("结果"), max_length=20)
    source_id = models.BigIntegerField()
    reference = models.CharField(_("编号"), max_length=40, blank=True)
    occurred_on = models.DateField(_("日期"), null=True, blank=True)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    public = models.BooleanField(_("应公示"), default=False)

    class Meta:
        ordering = ["business", "-occurred_on", "kind"]
        verbose_name = _("信用档案记录")
        verbose_name_plural = _("信用档案记录")
        indexes = [
            models.Index(fields=["business", "occurred_on"]),
            models.Index(fields=["kind", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}.{self.outcome} {self.reference}"


class SeriousViolationListing(models.Model):
    """An operator's entry on the 严重违法失信名单 (实施条例 第六十六条; 市场监督管理严重违法失信
    名单管理办法), recorded by the office with the decision's number; ``removed_on`` when it is
    taken off (移出)."""

    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        related_name="serious_violation_listings",
        verbose_name=_("食品生产经营者"),
    )
    decision_number = models.CharField(_("列入决定书文号"), max_length=60, unique=True)
    listed_on = models.DateField(_("列入日期"))
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    reason = models.CharField(_("列入事由"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-listed_on"]
        verbose_name = _("严重违法失信名单")
        verbose_name_plural = _("严重违法失信名单")
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("listed_on")),
                name="listing_removed_after_listed",
            ),
        ]

    def __str__(self) -> str:
        return self.decision_number


class CreditLevel(models.TextChoices):
    """信用风险分类: A 低 B 一般 C 较高 D 高."""

    A = "A", _("A 类（信用风险低）")
    B = "B", _("B 类（信用风险一般）")
    C = "C", _("C 类（信用风险较高）")
    D = "D", _("D 类（信用风险高）")


class GradeStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    OVERRIDDEN = "overridden", _("已改定")


class CreditGrade(models.Model):
    """An operator's credit risk class (企业信用风险分类) for a month (``month``: its first day).

    ``computed`` and ``score``/``reasons`` come from the class spec (``spec_label``); ``level``
    is the class in force: the computed one, or the office's override (``override_reason``).
    ``applied_plan``: the inspection plan whose 双随机 ratios used this class (分类监管).
    """

    # As for the entries: a rolled-back business's classes are removed by the refresh that
    # follows; their history rows (the office's confirmations) stay.
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="credit_grades",
        verbose_name=_("食品生产经营者"),
    )
    month = models.DateField(_("月份"))
    computed = models.CharField(_("计算类别"), max_length=1, choices=CreditLevel.choices)
    score = models.PositiveIntegerField(_("扣分"))
    reasons = models.TextField(_("依据"), blank=True)
    spec_label = models.CharField(_("规则版本"), max_length=120)
    level = models.CharField(_("信用风险分类"), max_length=1, choices=CreditLevel.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=GradeStatus.choices, default=GradeStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    override_reason = models.CharField(_("改定理由"), max_length=300, blank=True)
    applied_plan = models.CharField(_("已用于检查计划"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "business"]
        verbose_name = _("信用风险分类")
        verbose_name_plural = _("信用风险分类")
        constraints = [
            models.UniqueConstraint(fields=["business", "month"], name="credit_grade_once_a_month"),
            models.CheckConstraint(
                condition=Q(level__in=["A", "B", "C", "D"]) & Q(computed__in=["A", "B", "C", "D"]),
                name="credit_grade_a_to_d",
            ),
            models.CheckConstraint(
                condition=~Q(status="overridden") | ~Q(override_reason=""),
                name="credit_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["month", "level"])]

    def __str__(self) -> str:
        return f"{self.business_id} {self.month:%Y%m} {self.level}"


class CreditPublication(models.Model):
    """The day a public credit record (``kind``, ``source_id`` of a :class:`CreditEntry`) was
    first made public (公示) through the 信用信息公示 export, recorded by the office; kept apart
    from the entries, which every refresh rebuilds."""

    kind = models.CharField(_("类别"), max_length=12, choices=EntryKind.choices)
    source_id = models.BigIntegerField()
    published_on = models.DateField(_("公示日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("信用信息公示记录")
        verbose_name_plural = _("信用信息公示记录")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="credit_published_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.source_id} {self.published_on}"


class PendingRefresh(models.Model):
    """待补归集: an import's refresh of the credit files that found the ``credit`` job lock
    held (a cron or page run going on) and was queued rather than run beside it. Whoever holds
    the lock runs the queued ones before letting go (``refresh.credit_job``); the credit page
    shows any left. ``since``: the import's start, as ``ledgers_changed`` gave it."""

    since = models.DateTimeField(_("变动起始时间"))
    ledgers = models.CharField(_("台账"), max_length=200, blank=True)
    queued_at = models.DateTimeField(_("排队时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待补归集")
        verbose_name_plural = _("待补归集")

    def __str__(self) -> str:
        return f"{self.ledgers} since {self.since:%Y-%m-%d %H:%M}"
