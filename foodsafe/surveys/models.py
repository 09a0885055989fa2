"""Survey responses: public satisfaction (满意度) and awareness (知晓率)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    """How the interview was made (RULES-supervision.md §3.3)."""

    PHONE = "phone", _("电话")
    ONLINE = "online", _("网络")
    HOUSEHOLD = "household", _("入户")
    INTERCEPT = "intercept", _("拦截")


class UrbanRural(models.TextChoices):
    URBAN = "urban", _("城镇")
    RURAL = "rural", _("乡村")


class Sex(models.TextChoices):
    MALE = "m", _("男")
    FEMALE = "f", _("女")


class AgeBand(models.TextChoices):
    A18 = "18-29", _("18–29岁")
    A30 = "30-39", _("30–39岁")
    A40 = "40-49", _("40–49岁")
    A50 = "50-59", _("50–59岁")
    A60 = "60+", _("60岁及以上")


class SurveyResponse(models.Model):
    """One respondent's answers in a satisfaction and awareness survey (满意度测评).

    ``satisfaction_score`` is on a 0–100 scale (实施方案 第22条: ≥ 80 分);
    ``aware_of_programme`` is whether the respondent knows of the drive (第23条: ≥ 85%).
    """

    response_number = models.CharField(_("问卷编号"), max_length=40, unique=True)
    survey_code = models.CharField(_("调查批次"), max_length=40)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("所属区划"),
        related_name="+",
    )
    responded_on = models.DateField(_("答卷日期"))
    satisfaction_score = models.DecimalField(
        _("满意度得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    aware_of_programme = models.BooleanField(_("知晓创建工作"), null=True, blank=True)
    # Per respondent (RULES-supervision.md §3.3); ``survey_code`` is the wave (调查批次).
    mode = models.CharField(_("调查方式"), max_length=10, choices=Mode.choices, blank=True)
    interviewer = models.CharField(_("访问员或平台"), max_length=60, blank=True)
    #: sha256 of the respondent's phone number with the site's key, never the number itself.
    phone_hash = models.CharField(_("电话号码摘要"), max_length=64, blank=True)
    urban_rural = models.CharField(_("城乡"), max_length=5, choices=UrbanRural.choices, blank=True)
    age_band = models.CharField(_("年龄段"), max_length=5, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    resident_6m = models.BooleanField(_("常住满6个月"), null=True, blank=True)
    valid = models.BooleanField(_("有效问卷"), default=True)
    #: 网络自愿填答: answered on the public web form by whoever chose to, not drawn in a sample.
    #: Kept (the public's voice, shown apart on the survey page) and left out of the 满意度测评
    #: unless the programme spec counts them (metric option ``self_selected``): the evaluation
    #: survey is a third party's random telephone sample (RULES-supervision.md §3.1).
    self_selected = models.BooleanField(_("网络自愿填答"), default=False)
    weight = models.DecimalField(_("权重"), max_digits=10, decimal_places=4, default=1)

    class Meta:
        ordering = ["-responded_on"]
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction_score__isnull=True)
                | (Q(satisfaction_score__gte=0) & Q(satisfaction_score__lte=100)),
                name="survey_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.response_number)


class SurveyAnswer(models.Model):
    """One coded answer (答案代码) of a respondent to one question of the questionnaire, kept
    raw so that either scoring convention can be recomputed (``surveys.questionnaire``)."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("问卷")
    )
    question_code = models.CharField(_("题号"), max_length=20)
    answer_code = models.CharField(_("答案代码"), max_length=10)

    class Meta:
        verbose_name = _("答案")
        verbose_name_plural = _("答案")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_code"], name="survey_answer_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.question_code}={self.answer_code}"


class CensusCell(models.Model):
    """常住人口 of one post-stratification cell (后分层人口格): a subdistrict's residents aged 18
    and over of one urban/rural class, sex and age band in a year, from the census or the
    statistical yearbook (RULES-supervision.md §3.3: "Post-stratify respondents to 常住人口 by
    街道, urban/rural, sex and age band (census or 统计年鉴 numbers)"). Entered by the office
    (admin) or imported (ledger ``census_cells``); ``source`` says where each figure is from."""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("街道（乡镇）"),
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    urban_rural = models.CharField(_("城乡"), max_length=5, choices=UrbanRural.choices)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("年龄段"), max_length=5, choices=AgeBand.choices)
    population = models.PositiveIntegerField(_("常住人口"))
    source = models.CharField(_("来源"), max_length=200)

    class Meta:
        ordering = ["year", "org_unit_id", "urban_rural", "sex", "age_band"]
        verbose_name = _("分城乡性别年龄段常住人口")
        verbose_name_plural = _("分城乡性别年龄段常住人口")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "urban_rural", "sex", "age_band"],
                name="census_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.org_unit_id} {self.year} {self.urban_rural} {self.sex} {self.age_band}: "
            f"{self.population}"
        )


class SurveyInvitation(models.Model):
    """问卷邀请码: one code per respondent drawn in the sample, sent by SMS or given on the
    phone, so that a sampled respondent may answer on the public web form and be counted as
    one of the sample (items 22, 23, veto 4), unlike the form's open answers (网络自愿填答,
    ``SurveyResponse.self_selected``), which anyone may give again and again
    (RULES-supervision.md §3.1: the evaluation survey is a random sample; §3.2: 唐山 2017's
    "mobile e-questionnaire, random sample"). A code answers once, between ``valid_from`` and
    ``valid_until``, and counts in its own 街道 whatever the respondent picks on the form."""

    code = models.CharField(_("邀请码"), max_length=16, unique=True)
    survey_code = models.CharField(_("调查批次"), max_length=40)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="org_unit_code",
        verbose_name=_("抽样街道（乡镇）"),
        related_name="+",
    )
    issued_on = models.DateField(_("发放日期"))
    #: 调查期间: the code answers only on these days, so the answer (dated the day it is given)
    #: falls in the year whose items 22 and 23 it counts for; within one year.
    valid_from = models.DateField(_("调查开始日期"))
    valid_until = models.DateField(_("调查结束日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("发放人"),
        related_name="+",
    )
    response = models.OneToOneField(
        SurveyResponse,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("答卷"),
        related_name="invitation",
    )

    class Meta:
        ordering = ["survey_code", "org_unit_id", "code"]
        verbose_name = _("问卷邀请码")
        verbose_name_plural = _("问卷邀请码")

    def __str__(self) -> str:
        return str(self.code)


class SurveyWeighting(models.Model):
    """The weighting in force for a wave (调查批次): which year's 常住人口 its post-stratification
    weights were last computed to, how and when. The weights are derived data: they are
    recomputed, to the same year, whenever the wave's answers or the population figures change
    (``surveys.services.survey_weights_refresh``), so an estimate labelled 后分层加权 is never
    the unweighted mean of rows that still carry the default weight 1."""

    survey_code = models.CharField(_("调查批次"), max_length=40, unique=True)
    population_year = models.PositiveSmallIntegerField(_("常住人口年度"))
    #: Chosen on the weighting page (按常住人口加权); else the default year (the latest figures
    #: up to the wave's year), which follows newer figures as they are loaded.
    chosen = models.BooleanField(_("人工选定年度"), default=False)
    method = models.CharField(_("加权方法"), max_length=200, blank=True)
    weighted_at = models.DateTimeField(_("加权时间"))

    class Meta:
        ordering = ["survey_code"]
        verbose_name = _("问卷加权")
        verbose_name_plural = _("问卷加权")

    def __str__(self) -> str:
        return f"{self.survey_code} → {self.population_year}"
