"""The scorecard as a Chinese plain-text table for a terminal (``foodsafe assess``).

Columns are aligned by display width (CJK characters take two columns, see
:func:`~foodsafe.reports.formatting.display_width`) and kept aligned across groups.
"""

from __future__ import annotations

from foodsafe.reports.formatting import (
    EXAMPLE_NOTICE_ZH,
    cn_number,
    date_zh,
    display_width,
    format_ratio,
    format_target,
    format_value,
    gap_with_notes,
    grouped,
    overall_zh,
    pad,
    reporting_sentence,
    summary_zh,
    units_text,
    wrap,
)
from foodsafe.scorecard.results import Scorecard, VetoStatus

HEADERS = ("序号", "指标", "分子/分母", "数值", "目标", "状态", "差距", "责任单位")
_RIGHT = {0, 2, 3}  # numbers align right
_SEP = "  "
# Long names, gaps and unit lists wrap onto more lines instead of widening the table.
_MAX_WIDTH = (None, 32, None, None, None, None, 36, 40)


def scorecard_to_text(scorecard: Scorecard) -> str:
    """Render the whole scorecard: header, overall result, groups, veto items, summary line."""
    groups = grouped(scorecard)
    rows_by_group = [
        [
            (
                str(ind.item),
                ind.name,
                format_ratio(ind),
                format_value(ind),
                format_target(ind),
                ind.status_zh,
                gap_with_notes(ind),
                units_text(ind.responsible_units),
            )
            for ind in view.indicators
        ]
        for view in groups
    ]
    widths = [display_width(h) for h in HEADERS]
    for rows in rows_by_group:
        for row in rows:
            widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]
    widths = [min(w, cap) if cap else w for w, cap in zip(widths, _MAX_WIDTH, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        wrapped = [wrap(cell, widths[i]) for i, cell in enumerate(cells)]
        lines = []
        for n in range(max(len(parts) for parts in wrapped)):
            out = [
                pad(
                    parts[n] if n < len(parts) else "",
                    widths[i],
                    align="right" if i in _RIGHT else "left",
                )
                for i, parts in enumerate(wrapped)
            ]
            lines.append(("  " + _SEP.join(out)).rstrip())
        return "\n".join(lines)

    rule = "  " + "─" * (sum(widths) + len(_SEP) * (len(widths) - 1))
    org = scorecard.org_unit
    out: list[str] = []
    if org.is_example:
        out += [EXAMPLE_NOTICE_ZH, ""]
    out += [
        f"{scorecard.programme_name}（{scorecard.programme_code} 版本 {scorecard.programme_version}）",
        f"区划：{org.name}（{org.code}）    期间：{scorecard.period.label}"
        f"（{scorecard.period.code}，{scorecard.period.start.isoformat()} 至 "
        f"{scorecard.period.end.isoformat()}）    数据截至：{date_zh(scorecard.as_of)}"
        + (
            f"（台账数据只到 {date_zh(scorecard.data_through)}）"
            if scorecard.data_through_zh and scorecard.data_through
            else ""
        ),
        "",
        f"总体结果：{overall_zh(scorecard)}{_pending_vetoes_note(scorecard)}",
        "",
    ]
    for view, rows in zip(groups, rows_by_group, strict=True):
        out.append(f"{cn_number(view.group.number)}、{view.group.title}")
        if rows:
            out += [line(HEADERS), rule, *(line(row) for row in rows)]
        else:
            out.append("  （本类别无量化指标）")
        others = view.items_without_indicators
        if others:
            out.append(
                "  无量化指标的任务："
                + "；".join(f"{it.number}.{it.title}（{it.status_zh}）" for it in others)
            )
        out.append("")
    out.append("否决项")
    veto_width = max((display_width(v.status_zh) for v in scorecard.vetoes), default=0)
    for veto in sorted(scorecard.vetoes, key=lambda v: v.number):
        basis = f"（{veto.basis}）" if veto.basis else ""
        out.append(f"  {veto.number}. {pad(veto.status_zh, veto_width)}  {veto.text}{basis}")
    if not scorecard.vetoes:
        out.append("  （无）")
    out += ["", summary_zh(scorecard)]
    if scorecard.reporting:
        out.append(reporting_sentence(scorecard))
    return "\n".join(out) + "\n"


def _pending_vetoes_note(scorecard: Scorecard) -> str:
    if scorecard.vetoed:
        names = "、".join(
            f"第{v.number}项" for v in scorecard.vetoes if v.status is VetoStatus.VETOED
        )
        return f"（触发否决：{names}）"
    if scorecard.vetoes and all(v.status is VetoStatus.ANNUAL for v in scorecard.vetoes):
        return f"（否决项按全年判定，见{scorecard.period.start.year}年评价）"
    pending = [v for v in scorecard.vetoes if v.status not in (VetoStatus.CLEAR, VetoStatus.ANNUAL)]
    return f"（另有 {len(pending)} 项否决项待认定或无数据）" if pending else ""
