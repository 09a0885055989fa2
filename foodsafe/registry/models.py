"""Food business operators (食品生产经营者)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Sector(models.TextChoices):
    """食品生产 / 食品销售 / 餐饮服务."""

    PRODUCTION = "production", _("食品生产")
    SALES = "sales", _("食品销售")
    CATERING = "catering", _("餐饮服务")


class BusinessFormat(models.TextChoices):
    """业态."""

    MANUFACTURER = "manufacturer", _("食品生产企业")
    SMALL_WORKSHOP = "small_workshop", _("食品小作坊")
    SUPERMARKET = "supermarket", _("超市")
    GROCERY = "grocery", _("食杂店")
    CHAIN_HQ = "chain_hq", _("食品销售连锁企业总部")
    LARGE_WHOLESALER = "large_wholesaler", _("大型食品批发企业")
    WHOLESALE_MARKET = "wholesale_market", _("食品批发市场")
    PRODUCE_MARKET = "produce_market", _("食用农产品集中交易市场")
    FOOD_STALL = "food_stall", _("食品摊贩")
    RESTAURANT = "restaurant", _("餐馆")
    SMALL_EATERY = "small_eatery", _("小餐饮")
    SCHOOL_CANTEEN = "school_canteen", _("学校食堂")
    WORKPLACE_CANTEEN = "workplace_canteen", _("单位食堂")
    CENTRAL_KITCHEN = "central_kitchen", _("中央厨房")
    GROUP_MEAL_DISTRIBUTOR = "group_meal_distributor", _("集体用餐配送单位")
    ONLINE_PLATFORM = "ordering_platform", _("网络订餐第三方平台")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    """风险等级 A (lowest) – D (highest)."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class BusinessStatus(models.TextChoices):
    ACTIVE = "active", _("在营")
    CLOSED = "closed", _("注销/停业")


class FoodBusiness(models.Model):
    """A food business operator (食品生产经营者) in the registry.

    Natural keys: the unified social credit code (统一社会信用代码, ``uscc``) when the operator has
    one, else the licence number (许可证编号); a small stall may have neither and is keyed by
    ``registry_number`` (备案/登记号), which every row has.
    """

    registry_number = models.CharField(_("登记编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True)
    licence_number = models.CharField(_("许可证编号"), max_length=20, null=True, blank=True)
    sector = models.CharField(_("类别"), max_length=20, choices=Sector.choices)
    business_format = models.CharField(_("业态"), max_length=30, choices=BusinessFormat.choices)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("所属区划"),
        related_name="+",
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BusinessStatus.choices, default=BusinessStatus.ACTIVE
    )
    opened_on = models.DateField(_("开业日期"), null=True, blank=True)
    closed_on = models.DateField(_("注销日期"), null=True, blank=True)
    #: The date of the licence, or for the "three smalls" of their registration or filing
    #: (登记/备案), whose number is ``licence_number`` (实施方案 第17条 依法登记建档或备案).
    registered_on = models.DateField(_("发证（登记、备案）日期"), null=True, blank=True)
    risk_level = models.CharField(
        _("风险等级"), max_length=1, choices=RiskLevel.choices, blank=True, default=""
    )
    #: 规模以上食品生产企业 and 婴幼儿配方乳粉生产企业: the producers 实施方案 第18条 asks to apply
    #: GMP / HACCP (the 管理体系认证证书 ledger holds their certificates).
    above_designated_size = models.BooleanField(_("规模以上企业"), default=False)
    infant_formula = models.BooleanField(_("婴幼儿配方乳粉生产企业"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["registry_number"]
        verbose_name = _("食品生产经营者")
        verbose_name_plural = _("食品生产经营者")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=Q(uscc__isnull=False), name="business_uscc_unique"
            ),
            models.UniqueConstraint(
                fields=["licence_number"],
                condition=Q(licence_number__isnull=False),
                name="business_licence_unique",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="business_closed_after_opened",
            ),
        ]
        indexes = [models.Index(fields=["org_unit", "business_format"])]

    def __str__(self) -> str:
        return self.name


class RiskGrade(models.Model):
    """The risk grade (风险等级) in force for a food business in a year: the registry's grade
    history (DESIGN.md), one row per business and year.

    Written only when the office confirms a grade (risk grading, 风险等级确定表): the grade of
    the year from its scores, the recorded grade kept for an operator lacking the data a score
    needs (``recorded``: the registry's 风险等级, never a presumed grade), or next year's grade
    from the year-end adjustment (第二十七条). ``basis`` says which, and whether the office
    overrode the proposal. The scorecard reads this
    ledger (item 5: 全面实行风险分级管理, inspection frequency by grade).
    """

    class Basis(models.TextChoices):
        ASSESSMENT = "assessment", _("评定")
        ADJUSTMENT = "adjustment", _("年度调整")
        OVERRIDE = "override", _("调整确认（改定）")
        RECORDED = "recorded", _("沿用登记等级")

    business = models.ForeignKey(
        FoodBusiness,
        on_delete=models.PROTECT,
        related_name="risk_grades",
        verbose_name=_("食品生产经营者"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("风险等级"), max_length=1, choices=RiskLevel.choices)
    basis = models.CharField(_("依据"), max_length=12, choices=Basis.choices)
    decided_on = models.DateField(_("确定日期"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["business", "-year"]
        verbose_name = _("风险等级记录")
        verbose_name_plural = _("风险等级记录")
        constraints = [
            models.UniqueConstraint(fields=["business", "year"], name="risk_grade_once_a_year"),
            models.CheckConstraint(
                condition=Q(level__in=["A", "B", "C", "D"]), name="risk_grade_level_a_to_d"
            ),
        ]
        indexes = [models.Index(fields=["year", "level"])]

    def __str__(self) -> str:
        return f"{self.business_id} {self.year} {self.level}"
