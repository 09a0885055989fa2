"""Complaints and reports (投诉举报) with their statutory deadlines in working days."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


class Decision(models.TextChoices):
    PENDING = "pending", _("待决定")
    ACCEPTED = "accepted", _("受理")
    REFUSED = "refused", _("不予受理")


class Channel(models.TextChoices):
    """Where a complaint came in (来源渠道)."""

    IMPORT = "import", _("台账导入（含12315导出）")
    PUBLIC = "public", _("网上投诉（公众页面）")
    STAFF = "staff", _("窗口、电话登记")


class Category(models.TextChoices):
    """Complaint category for the published statistics (第三十四条 定期公布投诉举报统计).

    The list is this system's reading [I] (12315's own food categories were not found): the
    usual subjects of food complaints in district statistics.
    """

    QUALITY = "quality", _("食品质量安全")
    EXPIRED = "expired", _("过期变质")
    LABELLING = "labelling", _("标签标识")
    HYGIENE = "hygiene", _("餐饮卫生")
    ADVERTISING = "advertising", _("虚假宣传")
    PRICE = "price", _("价格计量")
    OTHER = "other", _("其他")


class RefusalGround(models.TextChoices):
    """Grounds for not accepting a 投诉 (《市场监督管理投诉举报处理暂行办法》第十五条)."""

    NOT_DUTIES = "not_duties", _("不属于市场监督管理部门职责或本行政机关管辖（第十五条第一项）")
    HANDLED = "handled", _("法院、仲裁机构、其他行政机关等已受理或处理（第十五条第二项）")
    NOT_CONSUMPTION = (
        "not_consumption",
        _("不是为生活消费需要购买、使用商品或接受服务（第十五条第三项）"),
    )
    TIME_BARRED = "time_barred", _("知道或应当知道权益受到侵害之日起超过三年（第十五条第四项）")
    MISSING = "missing", _("未提供第九条规定的材料（第十五条第五项）")
    OTHER = "other", _("法律、法规、规章规定不予受理的其他情形（第十五条第六项）")


class Outcome(models.TextChoices):
    """How an accepted 投诉 ended (第二十一条)."""

    AGREED = "agreed", _("调解达成协议")
    ENDED = "ended", _("终止调解")
    WITHDRAWN = "withdrawn", _("投诉人撤回投诉")


class CaseDecision(models.TextChoices):
    """Whether a 举报 led to a case (立案), decided after verification (核查)."""

    FILED = "filed", _("立案")
    NOT_FILED = "not_filed", _("不予立案")


class Complaint(models.Model):
    """A complaint or report (投诉举报), keyed by its number.

    ``acceptance_due_on`` and ``closing_due_on`` are computed by
    ``foodsafe.complaints.services.complaint_deadlines`` in Chinese working days
    (投诉举报处理暂行办法 第十四条: 7 working days; 第二十一条: 45 working days) whenever the row
    is written (``complaint_save``, imports) and again when a year's holiday arrangement is
    loaded, so that the scorecard compares plain dates. ``deadline_provisional`` says a deadline
    was counted in a year without an arrangement (暂定); ``deadline_calendar_revision`` which
    calendar revision computed it.
    """

    complaint_number = models.CharField(_("投诉举报编号"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=ComplaintKind.choices)
    is_food = models.BooleanField(_("食品类"), default=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("所属区划"),
        related_name="+",
    )
    business = models.ForeignKey(
        "registry.FoodBusiness",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("被投诉单位"),
    )
    complainant_name = models.CharField(_("投诉人"), max_length=60, blank=True)
    complainant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    complainant_address = models.CharField(_("联系地址"), max_length=200, blank=True)
    respondent_name = models.CharField(
        _("被投诉人（名称、地址）"),
        max_length=200,
        blank=True,
        help_text=_("投诉人填写的被投诉人；登记时可另关联经营者档案"),
    )
    claim = models.TextField(_("投诉请求"), blank=True)
    summary = models.TextField(_("投诉内容"), blank=True)
    channel = models.CharField(
        _("来源渠道"), max_length=10, choices=Channel.choices, default=Channel.IMPORT
    )
    category = models.CharField(
        _("投诉类别"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    #: The public form's single-use challenge nonce: a resubmitted form stores nothing twice.
    submission_key = models.CharField(
        _("提交标识"), max_length=40, null=True, blank=True, unique=True, editable=False
    )
    #: 第七条: a submission that is both 投诉 and 举报 becomes two records, linked here.
    related_number = models.CharField(_("关联编号"), max_length=40, blank=True)
    handling_unit = models.ForeignKey(
        "orgunits.ResponsibleUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办单位"),
    )
    refusal_ground = models.CharField(
        _("不予受理理由"), max_length=20, choices=RefusalGround.choices, blank=True
    )
    outcome = models.CharField(_("办结方式"), max_length=10, choices=Outcome.choices, blank=True)
    end_notice_due_on = models.DateField(_("告知终止期限"), null=True, blank=True)
    end_notified_on = models.DateField(_("告知终止日期"), null=True, blank=True)
    reply = models.TextField(_("处理结果（可告知投诉人）"), blank=True)
    # 举报 only (RULES.md §4.1–§4.2; limits in ``report_limits``): verification before the
    # decision whether to open a case, telling a real-name reporter of it, deciding the case.
    real_name = models.BooleanField(_("实名举报"), default=False)
    verification_extended = models.BooleanField(_("核查期限已延长"), default=False)
    verification_due_on = models.DateField(_("核查期限"), null=True, blank=True)
    case_decision = models.CharField(
        _("立案决定"), max_length=10, choices=CaseDecision.choices, blank=True
    )
    case_decided_on = models.DateField(_("立案决定日期"), null=True, blank=True)
    reporter_notice_due_on = models.DateField(_("告知举报人期限"), null=True, blank=True)
    reporter_notified_on = models.DateField(_("告知举报人日期"), null=True, blank=True)
    case_due_on = models.DateField(_("案件处理期限"), null=True, blank=True)
    received_on = models.DateField(_("登记日期"))
    decision = models.CharField(
        _("受理决定"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    suspended_working_days = models.PositiveSmallIntegerField(
        _("检验鉴定等不计入工作日"), default=0
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    acceptance_due_on = models.DateField(_("受理决定期限"))
    closing_due_on = models.DateField(_("办结期限"), null=True, blank=True)
    deadline_provisional = models.BooleanField(
        _("期限暂定"),
        default=False,
        help_text=_("期限落在尚未载入节假日安排的年份，按法定节假日暂算"),
    )
    deadline_calendar_revision = models.PositiveIntegerField(
        _("计算期限的日历版本"), null=True, blank=True
    )
    history = HistoricalRecords(
        excluded_fields=["complainant_phone", "complainant_address", "submission_key"]
    )

    class Meta:
        ordering = ["-received_on", "complaint_number"]
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        # Held by the group 投诉举报处理人员 (``create-user --complaint-handler``): may reveal
        # one record's complainant name and phone, each reveal audited (PersonalDataReveal).
        permissions = [("view_personal_data", _("可查看投诉人个人信息（逐条、留痕）"))]
        indexes = [models.Index(fields=["received_on", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("received_on")),
                name="complaint_decided_after_received",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("received_on")),
                name="complaint_closed_after_received",
            ),
        ]

    def __str__(self) -> str:
        return self.complaint_number


class PersonalDataReveal(models.Model):
    """One reveal of a complaint's personal data (投诉人姓名、电话) by a complaint handler: who,
    when, which record and why (《个人信息保护法》第五十一条: access controls and records of
    processing). Written only by ``services.personal_data_reveal``; never edited."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="reveals", verbose_name=_("投诉举报")
    )
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("查看人"),
    )
    revealed_at = models.DateTimeField(_("查看时间"), auto_now_add=True)
    reason = models.CharField(_("查看事由"), max_length=200)

    class Meta:
        ordering = ["-revealed_at", "-id"]
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.revealed_by_id} {self.revealed_at:%Y-%m-%d %H:%M}"
