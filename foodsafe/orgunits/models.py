"""Org units (行政区划/统计用区划), resident population and responsible units (责任单位)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Widths of the five levels of a 12-digit statistical division code (统计用区划代码):
# province 2, city 2, county 2, township 3, village 3.
LEVEL_WIDTHS = (2, 2, 2, 3, 3)


class Level(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    CITY = 2, _("地市级")
    COUNTY = 3, _("县区级")
    TOWNSHIP = 4, _("乡镇街道级")
    VILLAGE = 5, _("村居社区级")


def division_level(code: str) -> int:
    """Level (1–5) of a 12-digit statistical division code: the last level with a non-zero part.

    ``120101000000`` (a district) → 3; ``120101001000`` (a subdistrict) → 4.
    Raises ``ValueError`` if ``code`` is not 12 digits or is all zeros.
    """
    if len(code) != 12 or not code.isdigit():
        raise ValueError(f"区划代码应为12位数字: {code!r}")
    level, pos = 0, 0
    for i, width in enumerate(LEVEL_WIDTHS, start=1):
        if int(code[pos : pos + width]) != 0:
            level = i
        pos += width
    if level == 0:
        raise ValueError(f"区划代码不能全为0: {code!r}")
    return level


def subtree_prefix(code: str) -> str:
    """The code prefix shared by a unit and every unit below it.

    ``120101000000`` → ``"120101"``; ``120101001000`` → ``"120101001"``. A ledger row belongs to
    the subtree of a unit when its org-unit code starts with this prefix.
    """
    level = division_level(code)
    return code[: sum(LEVEL_WIDTHS[:level])]


class OrgUnit(models.Model):
    """An org unit (行政区划单位) keyed by its 12-digit statistical division code."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        to_field="code",
        db_column="parent_code",
    )
    is_example = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划单位")
        verbose_name_plural = _("行政区划单位")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def prefix(self) -> str:
        return subtree_prefix(self.code)


class Population(models.Model):
    """Resident population (常住人口) of an org unit in a year, in persons."""

    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        to_field="code",
        db_column="org_unit_code",
        related_name="populations",
        verbose_name=_("区划"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    resident_population = models.PositiveIntegerField(_("常住人口"))
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year"], name="population_unit_year_unique"
            ),
        ]
        verbose_name = _("常住人口")
        verbose_name_plural = _("常住人口")

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.year}: {self.resident_population}"


class ResponsibleUnit(models.Model):
    """A responsible unit (责任单位): a party or government body named in the plan.

    Collective entries such as 各街道办事处 and 区食药安委各成员单位 are units too
    (``is_collective``), because the plan assigns work to them as one.
    """

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    is_collective = models.BooleanField(_("集合单位"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")

    def __str__(self) -> str:
        return self.name
