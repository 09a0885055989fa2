"""Shared text for rendering a :class:`~foodsafe.scorecard.results.Scorecard`.

The CLI table, the Word report, the workbook and the web pages all word numbers, statuses and
the overall verdict the same way; this module is that one place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from foodsafe.programme.spec import COMPARATOR_SYMBOLS, TARGET_PATTERN
from foodsafe.scorecard.results import (
    GroupResult,
    IndicatorResult,
    ItemResult,
    Reading,
    Scorecard,
    Status,
    VetoStatus,
)

EXAMPLE_NOTICE_ZH = "【示例数据】本结果基于示例数据计算，仅供演示和测试，不代表真实工作情况。"
EXAMPLE_NOTICE_EN = "[Example data] Computed from example data, for demonstration only."

OVERALL_ZH = {
    "vetoed": "否决",
    "all_met": "全部达标",
    "gaps": "存在差距",
    "no_data": "无数据（本期没有可判定的指标）",
}
OVERALL_EN = {
    "vetoed": "Vetoed",
    "all_met": "All targets met",
    "gaps": "Gaps remain",
    "no_data": "No data (no indicator can be judged for the period)",
}

# A report has to list every indicator that is not met; these are the statuses that count as gaps.
GAP_STATUSES = (Status.NOT_MET, Status.NO_DATA, Status.INCOMPLETE, Status.EVIDENCE_NEEDED)


def format_decimal(value: Decimal | None, *, places: int = 2) -> str:
    """``Decimal`` → text: whole numbers without decimals, others rounded half-up to ``places``.

    ``None`` → ``"—"``. ``Decimal("97.534")`` → ``"97.53"``; ``Decimal("1200")`` → ``"1200"``.
    """
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return f"{value.to_integral_value():f}"
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def format_value(indicator: IndicatorResult) -> str:
    """The value with its unit: ``97.53%``, ``4.12 批次/千人``, ``82.5 分``; ``—`` when no data."""
    if indicator.value is None:
        return "—"
    text = format_decimal(indicator.value)
    if indicator.unit == "%":
        return f"{text}%"
    return f"{text} {indicator.unit_zh}"


def format_ratio(indicator: IndicatorResult) -> str:
    """``numerator/denominator`` (``—`` for a missing part)."""
    return f"{format_decimal(indicator.numerator)}/{format_decimal(indicator.denominator)}"


def format_target(indicator: IndicatorResult) -> str:
    """The target for the period as Chinese text: ``≥ 98%``, ``≥ 82.5 分``.

    When the period's value differs from the plan's (annualised targets pro-rated by months),
    the plan's target follows: ``≥ 2 批次/千人（全年 ≥ 4）``.
    """
    if indicator.target_value is None:
        return "—（仅监测）"
    match = TARGET_PATTERN.match(indicator.target)
    symbol = COMPARATOR_SYMBOLS[match.group(1)] if match else ""
    unit = "%" if indicator.unit == "%" else f" {indicator.unit_zh}"
    text = f"{symbol} {format_decimal(indicator.target_value)}{unit}".strip()
    if match and Decimal(match.group(2)) != indicator.target_value:
        text += f"（全年 {symbol} {format_decimal(Decimal(match.group(2)))}）"
    return text


def gap_text(indicator: IndicatorResult) -> str:
    """The gap in natural units (``还差 312 批次``), or a word for the status when there is none."""
    if indicator.gap is not None and indicator.gap.text_zh:
        return indicator.gap.text_zh
    if indicator.status in (Status.MET, Status.INFO, Status.NOT_APPLICABLE):
        return "—"
    if indicator.status is Status.NO_DATA:
        if indicator.note == "未上报":
            return "未上报，需补录台账或零报告"
        # A value without a verdict (too small a sample): the reason, e.g. 有效样本 12 份，少于
        # 385 份，不作判定 — the ledger is there, so "补录台账" would send them the wrong way.
        # Or reported with nothing to count (本期无应检对象): the note says why.
        return indicator.note or "无数据，需补录台账"
    if indicator.status is Status.INCOMPLETE:
        parts = [p for p in (indicator.breakdown_zh, indicator.unreported_zh) if p]
        return "；".join(parts) or "数据不完整"
    if indicator.status is Status.EVIDENCE_NEEDED:
        return "待核验佐证材料"
    if indicator.status is Status.ANNUAL:
        # A yearly target in a part of the year: the value is progress, the year decides.
        return "期内进度，目标按年度判定，见全年评价"
    return "未达到目标"


def reading_value(indicator: IndicatorResult, reading: Reading) -> str:
    """An alternative reading's value with the indicator's unit, or ``无数据``."""
    if reading.value is None:
        return "无数据"
    text = format_decimal(reading.value)
    return f"{text}%" if indicator.unit == "%" else f"{text} {indicator.unit_zh}"


def definition_notes(indicator: IndicatorResult) -> list[str]:
    """What a reader needs beside the value (issue 10 §3), in Chinese:

    the counts set apart (``依法期限内未结 2 件``), the reading the spec takes of an open rule
    (``口径：…``) and each other reading's value and verdict, flagged when the verdict flips.
    """
    notes = [f"{label} {format_decimal(n)} 件" for label, n in indicator.aside_zh]
    if indicator.reading:
        notes.append(f"口径：{indicator.reading}")
    for r in indicator.readings:
        note = f"另一口径（{r.name}）：{reading_value(indicator, r)}，{r.status_zh}"
        notes.append(note + "——结论不同" if r.flips else note)
    return notes


def gap_with_notes(indicator: IndicatorResult, *, met: str | None = None) -> str:
    """The gap (``met`` instead of it for a met indicator, when given), then the
    :func:`definition_notes`, joined by ``；``."""
    gap = met if met is not None and indicator.status is Status.MET else gap_text(indicator)
    notes = definition_notes(indicator)
    return "；".join(notes if gap in ("—", "") else [gap, *notes]) if notes else gap


def units_text(units: tuple[str, ...] | list[str], sep: str = "、") -> str:
    return sep.join(units) if units else "—"


def overall_zh(scorecard: Scorecard) -> str:
    return OVERALL_ZH[scorecard.overall]


def date_zh(value: date) -> str:
    """``date(2021, 8, 10)`` → ``2021年8月10日``."""
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass(frozen=True)
class GroupView:
    """A group with its indicators and items, in plan order, for rendering."""

    group: GroupResult
    indicators: tuple[IndicatorResult, ...]
    items: tuple[ItemResult, ...]

    @property
    def items_without_indicators(self) -> tuple[ItemResult, ...]:
        return tuple(it for it in self.items if not it.indicators)

    @property
    def items_with_indicators(self) -> tuple[ItemResult, ...]:
        """Items measured by indicators: their status also needs their evidence."""
        return tuple(it for it in self.items if it.indicators)


def grouped(scorecard: Scorecard) -> list[GroupView]:
    """Split a scorecard by group (in group-number order); indicators by item number."""
    items_by_number = {it.number: it for it in scorecard.items}
    out = []
    for group in sorted(scorecard.groups, key=lambda g: g.number):
        numbers = set(group.items)
        out.append(
            GroupView(
                group=group,
                indicators=tuple(
                    sorted(
                        (i for i in scorecard.indicators if i.item in numbers),
                        key=lambda i: i.item,
                    )
                ),
                items=tuple(items_by_number[n] for n in group.items if n in items_by_number),
            )
        )
    return out


def group_title(scorecard: Scorecard, item_number: int) -> str:
    """The title of the group an item belongs to (``""`` if none)."""
    for group in scorecard.groups:
        if item_number in group.items:
            return group.title
    return ""


def item_title(scorecard: Scorecard, item_number: int) -> str:
    for item in scorecard.items:
        if item.number == item_number:
            return item.title
    return ""


def summary_zh(scorecard: Scorecard) -> str:
    """One line: indicator counts by status and veto counts by status."""
    counts = scorecard.counts()
    vetoed = sum(v.status is VetoStatus.VETOED for v in scorecard.vetoes)
    clear = sum(v.status is VetoStatus.CLEAR for v in scorecard.vetoes)
    annual = sum(v.status is VetoStatus.ANNUAL for v in scorecard.vetoes)
    pending = len(scorecard.vetoes) - vetoed - clear - annual
    vetoes = (
        f"否决项 {len(scorecard.vetoes)} 项：按全年判定，本期不判定。"
        if annual == len(scorecard.vetoes) and annual
        else f"否决项 {len(scorecard.vetoes)} 项：触发 {vetoed} 项，未触发 {clear} 项，"
        f"待认定或无数据 {pending} 项。"
    )
    return (
        f"指标 {len(scorecard.indicators)} 项：达标 {counts[Status.MET.value]} 项，"
        f"未达标 {counts[Status.NOT_MET.value]} 项，无数据 {counts[Status.NO_DATA.value]} 项，"
        f"待核验材料 {counts[Status.EVIDENCE_NEEDED.value]} 项"
        + (
            f"，不完整 {counts[Status.INCOMPLETE.value]} 项"
            if counts[Status.INCOMPLETE.value]
            else ""
        )
        + (
            f"，不适用 {counts[Status.NOT_APPLICABLE.value]} 项"
            if counts[Status.NOT_APPLICABLE.value]
            else ""
        )
        + (f"，按年度判定 {counts[Status.ANNUAL.value]} 项" if counts[Status.ANNUAL.value] else "")
        + (f"，仅监测 {counts[Status.INFO.value]} 项" if counts[Status.INFO.value] else "")
        + "；"
        + vetoes
    )


def reporting_sentence(scorecard: Scorecard) -> str:
    """数据上报情况 in one sentence: the ledgers not (fully) reported and by whom, or that every
    ledger was reported, with how many by zero report (issue 10 §2)."""
    missing = [r for r in scorecard.reporting if not r.complete]
    zero = sum(
        1
        for r in scorecard.reporting
        if r.complete and any(u.how == "zero_report" for u in r.units)
    )
    if not missing:
        text = f"数据上报情况：{len(scorecard.reporting)}类台账均已上报"
        return text + (f"（其中{zero}类含零报告）。" if zero else "。")
    parts = "；".join(
        f"{r.name}（{'、'.join(r.missing)}）" if len(r.units) > 1 else r.name for r in missing
    )
    return (
        f"数据上报情况：{len(scorecard.reporting)}类台账中{len(missing)}类未上报或未报齐：{parts}。"
        "未上报台账的相关指标记为无数据，下级单位未报齐的汇总结果记为不完整，均不判定达标。"
    )


def creation_phrase(programme_name: str) -> str:
    """The drive's name inside a plan title: ``…创建国家食品安全示范城市工作实施方案`` →
    ``创建国家食品安全示范城市``; a fixed phrase if the name has none."""
    match = re.search(r"创建.*?示范城市", programme_name)
    return match.group(0) if match else "创建国家食品安全示范城市"


_CN_DIGITS = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (enough for group numbers)."""
    if 0 <= n <= 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + _CN_DIGITS[n - 10]
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


# --- terminal width -------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide and fullwidth (CJK) characters take two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, align: str = "left") -> str:
    """Pad ``text`` with spaces to ``width`` terminal columns."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if align == "right" else text + fill


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` terminal columns (at least one line).

    Breaks after 、，；or a space when one is near the end of a line, else anywhere (Chinese
    text has no spaces to break at).
    """
    if display_width(text) <= width:
        return [text]
    lines: list[str] = []
    current, current_width, last_break = "", 0, -1
    for ch in text:
        w = display_width(ch)
        if current_width + w > width and current:
            if last_break > 0 and last_break >= len(current) // 2:
                lines.append(current[:last_break].rstrip())
                current = current[last_break:].lstrip()
            else:
                lines.append(current)
                current = ""
            current_width, last_break = display_width(current), -1
        current += ch
        current_width += w
        if ch in "、，；, ":
            last_break = len(current)
    if current:
        lines.append(current)
    return lines
