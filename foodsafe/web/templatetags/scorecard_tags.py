"""Template filters for scorecard pages; the wording is shared with the reports."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from foodsafe.lib import i18n
from foodsafe.reports import formatting
from foodsafe.scorecard.results import IndicatorResult, Reading, Status, VetoStatus

register = template.Library()

_STATUS_CLASS = {
    Status.MET: "met",
    Status.NOT_MET: "not-met",
    Status.NO_DATA: "no-data",
    Status.EVIDENCE_NEEDED: "evidence",
    Status.INFO: "info",
    Status.INCOMPLETE: "evidence",
    Status.NOT_APPLICABLE: "info",
    Status.ANNUAL: "info",
    VetoStatus.CLEAR: "met",
    VetoStatus.VETOED: "not-met",
    VetoStatus.NO_DATA: "no-data",
    VetoStatus.EVIDENCE_NEEDED: "evidence",
    VetoStatus.INCOMPLETE: "evidence",
    VetoStatus.ANNUAL: "info",
}


@register.filter
def status_class(status: Status | VetoStatus | str) -> str:
    """CSS modifier of a status badge: ``met``, ``not-met``, ``no-data``, ``evidence``."""
    if isinstance(status, Status | VetoStatus):
        return _STATUS_CLASS[status]
    return {"vetoed": "not-met", "all_met": "met", "gaps": "evidence"}.get(str(status), "no-data")


@register.filter
def value_text(indicator: IndicatorResult) -> str:
    return formatting.format_value(indicator)


@register.filter
def ratio_text(indicator: IndicatorResult) -> str:
    return formatting.format_ratio(indicator)


@register.filter
def target_text(indicator: IndicatorResult) -> str:
    return formatting.format_target(indicator)


@register.filter
def gap_text(indicator: IndicatorResult) -> str:
    if indicator.status is Status.MET:
        return ""
    # The spec's English gap text (``text_en``) on an English page; the words for a status
    # without a gap stay as the reports write them.
    if indicator.gap is not None and indicator.gap.text_zh:
        return i18n.in_language(indicator.gap, "text")
    return formatting.gap_text(indicator)


@register.filter
def reading_value(indicator: IndicatorResult, reading: Reading) -> str:
    """Another reading's value with the indicator's unit (``3.2 批次/千人``), or ``无数据``."""
    return formatting.reading_value(indicator, reading)


@register.filter
def forecast_text(indicator: IndicatorResult) -> str:
    """``预计全年 3.6 批次/千人`` when the engine gave a year-end forecast, else ``""``."""
    if indicator.forecast is None:
        return ""
    unit = "%" if indicator.unit == "%" else f" {indicator.unit_zh}"
    return f"{formatting.format_decimal(indicator.forecast)}{unit}"


@register.filter
def units_text(units: tuple[str, ...]) -> str:
    return formatting.units_text(units)


@register.filter
def cn_number(n: int) -> str:
    return formatting.cn_number(n)


@register.filter
def overall_text(overall: str) -> str:
    table = (
        formatting.OVERALL_EN if (get_language() or "").startswith("en") else formatting.OVERALL_ZH
    )
    return table.get(overall, overall)
