"""The scorecard as an Excel workbook (XlsxWriter).

Sheets: 指标 (one row per indicator, frozen header, status cells coloured), 否决项, 任务 (the key
task items, with what each is missing), 上报情况 (who has reported each ledger) and 说明 (programme, version, org unit, period, as-of date, example-data notice).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from foodsafe.lib.spreadsheets import TEXT_CELLS
from foodsafe.reports.formatting import (
    EXAMPLE_NOTICE_ZH,
    definition_notes,
    format_target,
    gap_text,
    group_title,
    item_title,
    overall_zh,
    summary_zh,
    units_text,
)
from foodsafe.scorecard.results import STATUS_ZH, Scorecard, Status, VetoStatus

INDICATOR_HEADERS = (
    "序号", "类别", "任务", "指标", "分子", "分母", "数值", "单位", "目标", "状态", "差距", "责任单位", "依据",
    "口径与另列",
)  # fmt: skip
_WIDTHS = (6, 12, 14, 30, 11, 11, 10, 12, 18, 11, 32, 30, 24, 40)

# Status colours: (fill, font), as in Excel's "good / bad / neutral" cell styles; grey for no data.
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.MET: ("#C6EFCE", "#006100"),
    Status.NOT_MET: ("#FFC7CE", "#9C0006"),
    Status.NO_DATA: ("#D9D9D9", "#404040"),
    Status.EVIDENCE_NEEDED: ("#FFEB9C", "#9C5700"),
    Status.INFO: ("#DDEBF7", "#1F4E78"),
    Status.INCOMPLETE: ("#FFEB9C", "#9C5700"),
    Status.NOT_APPLICABLE: ("#DDEBF7", "#1F4E78"),
    Status.ANNUAL: ("#DDEBF7", "#1F4E78"),
}
VETO_COLOURS: dict[VetoStatus, tuple[str, str]] = {
    VetoStatus.CLEAR: STATUS_COLOURS[Status.MET],
    VetoStatus.VETOED: STATUS_COLOURS[Status.NOT_MET],
    VetoStatus.NO_DATA: STATUS_COLOURS[Status.NO_DATA],
    VetoStatus.EVIDENCE_NEEDED: STATUS_COLOURS[Status.EVIDENCE_NEEDED],
    VetoStatus.INCOMPLETE: STATUS_COLOURS[Status.INCOMPLETE],
    VetoStatus.ANNUAL: STATUS_COLOURS[Status.INFO],
}

_FONT = "宋体"


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def scorecard_to_xlsx(scorecard: Scorecard, path: str | Path) -> Path:
    """Write ``scorecard`` to an .xlsx file at ``path`` and return the path.

    Numbers are stored as numbers (value with two decimals, counts as integers); a missing value
    is an empty cell with status 无数据. Overwrites an existing file.
    """
    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), TEXT_CELLS)
    try:
        _write(workbook, scorecard)
    finally:
        workbook.close()
    return path


def scorecard_xlsx_bytes(scorecard: Scorecard) -> bytes:
    """The same workbook as :func:`scorecard_to_xlsx`, built in memory (``in_memory``: no
    temporary files either) for a download from the web."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_CELLS})
    try:
        _write(workbook, scorecard)
    finally:
        workbook.close()
    return buffer.getvalue()


def scorecard_xlsx_title(scorecard: Scorecard) -> str:
    """``和平区2021年指标评价表``: the workbook's title (its properties and download name)."""
    return f"{scorecard.org_unit.name}{scorecard.period.label}指标评价表"


def _write(workbook: xlsxwriter.Workbook, scorecard: Scorecard) -> None:
    org, period = scorecard.org_unit, scorecard.period
    workbook.set_properties(
        {
            "title": scorecard_xlsx_title(scorecard),
            "subject": scorecard.programme_name,
            "author": "foodsafe",
            "keywords": "示例数据" if org.is_example else "",
            "comments": EXAMPLE_NOTICE_ZH if org.is_example else "",
        }
    )
    base = {"font_name": _FONT, "font_size": 10, "valign": "vcenter", "border": 1}
    fmt = {
        "header": workbook.add_format(
            {**base, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True}
        ),
        "text": workbook.add_format(base),
        "wrap": workbook.add_format({**base, "text_wrap": True}),
        "center": workbook.add_format({**base, "align": "center"}),
        "int": workbook.add_format({**base, "num_format": "#,##0"}),
        "dec": workbook.add_format({**base, "num_format": "#,##0.00"}),
        "title": workbook.add_format({"font_name": _FONT, "bold": True, "font_size": 14}),
        "label": workbook.add_format({"font_name": _FONT, "bold": True, "valign": "top"}),
        "plain": workbook.add_format({"font_name": _FONT, "text_wrap": True, "valign": "top"}),
        "notice": workbook.add_format(
            {"font_name": _FONT, "bold": True, "font_color": "#C00000", "text_wrap": True}
        ),
    }
    status_fmt = {
        status: workbook.add_format(
            {**base, "align": "center", "bg_color": fill, "font_color": font, "pattern": 1}
        )
        for status, (fill, font) in STATUS_COLOURS.items()
    }
    veto_fmt = {
        status: workbook.add_format(
            {**base, "align": "center", "bg_color": fill, "font_color": font, "pattern": 1}
        )
        for status, (fill, font) in VETO_COLOURS.items()
    }
    # Printed pages carry the example-data notice in their header.
    page_header = '&C&"宋体,Bold"&KC00000示例数据 仅供演示' if org.is_example else ""

    def setup(ws, widths: tuple[int, ...], landscape: bool = True) -> None:  # noqa: ANN001
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.set_paper(9)  # A4
        if landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_header(page_header)
        ws.set_footer("&C第 &P 页 共 &N 页")

    # 指标
    ws = workbook.add_worksheet("指标")
    setup(ws, _WIDTHS)
    ws.set_row(0, 24)
    ws.write_row(0, 0, INDICATOR_HEADERS, fmt["header"])
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    for row, ind in enumerate(sorted(scorecard.indicators, key=lambda i: i.item), start=1):
        ws.write_number(row, 0, ind.item, fmt["center"])
        ws.write_string(row, 1, group_title(scorecard, ind.item), fmt["text"])
        ws.write_string(row, 2, item_title(scorecard, ind.item), fmt["text"])
        ws.write_string(row, 3, ind.name, fmt["wrap"])
        for col, value in ((4, ind.numerator), (5, ind.denominator)):
            number = _number(value)
            if number is None:
                ws.write_blank(row, col, None, fmt["int"])
            else:
                ws.write_number(row, col, number, fmt["int" if isinstance(number, int) else "dec"])
        if ind.value is None:
            ws.write_blank(row, 6, None, fmt["dec"])
        else:
            ws.write_number(row, 6, float(ind.value), fmt["dec"])
        ws.write_string(row, 7, ind.unit_zh, fmt["center"])
        ws.write_string(row, 8, format_target(ind), fmt["text"])
        ws.write_string(row, 9, ind.status_zh, status_fmt[ind.status])
        ws.write_string(row, 10, "" if ind.status is Status.MET else gap_text(ind), fmt["wrap"])
        ws.write_string(row, 11, units_text(ind.responsible_units), fmt["wrap"])
        ws.write_string(row, 12, ind.source, fmt["wrap"])
        # The counts set apart and the readings of an open rule (issue 10 §3).
        ws.write_string(row, 13, "\n".join(definition_notes(ind)), fmt["wrap"])
    if scorecard.indicators:
        ws.autofilter(0, 0, len(scorecard.indicators), len(INDICATOR_HEADERS) - 1)

    # 否决项
    ws = workbook.add_worksheet("否决项")
    setup(ws, (6, 70, 12, 50))
    ws.write_row(0, 0, ("序号", "否决项", "状态", "依据"), fmt["header"])
    ws.freeze_panes(1, 0)
    for row, veto in enumerate(sorted(scorecard.vetoes, key=lambda v: v.number), start=1):
        ws.write_number(row, 0, veto.number, fmt["center"])
        ws.write_string(row, 1, veto.text, fmt["wrap"])
        ws.write_string(row, 2, veto.status_zh, veto_fmt[veto.status])
        ws.write_string(row, 3, veto.basis, fmt["wrap"])

    # 任务
    ws = workbook.add_worksheet("任务")
    setup(ws, (6, 12, 24, 11, 36, 40, 40, 40))
    ws.write_row(
        0,
        0,
        ("序号", "类别", "任务", "状态", "指标", "责任单位", "佐证材料", "缺项"),
        fmt["header"],
    )
    ws.freeze_panes(1, 0)
    names = {ind.code: ind.name for ind in scorecard.indicators}
    for row, item in enumerate(sorted(scorecard.items, key=lambda i: i.number), start=1):
        ws.write_number(row, 0, item.number, fmt["center"])
        ws.write_string(row, 1, group_title(scorecard, item.number), fmt["text"])
        ws.write_string(row, 2, item.title, fmt["wrap"])
        ws.write_string(row, 3, STATUS_ZH[item.status], status_fmt[item.status])
        ws.write_string(row, 4, "、".join(names.get(c, c) for c in item.indicators), fmt["wrap"])
        ws.write_string(row, 5, units_text(item.responsible_units), fmt["wrap"])
        ws.write_string(row, 6, "；".join(item.evidence), fmt["wrap"])
        ws.write_string(row, 7, item.missing_zh, fmt["wrap"])

    # 上报情况 (issue 10 §2: which units have reported each ledger, and what reads it)
    ws = workbook.add_worksheet("上报情况")
    setup(ws, (20, 30, 14, 44, 50))
    ws.write_row(0, 0, ("台账", "上报单位", "已上报/应上报", "各单位", "用于"), fmt["header"])
    ws.freeze_panes(1, 0)
    for row, report in enumerate(scorecard.reporting, start=1):
        ws.write_string(row, 0, report.name, fmt["text"])
        reporters = "各街道" if report.level == "township" else units_text(report.reporters)
        ws.write_string(row, 1, reporters, fmt["wrap"])
        ws.write_string(
            row,
            2,
            f"{report.reported}/{len(report.units)}",
            status_fmt[Status.MET if report.complete else Status.NO_DATA],
        )
        ws.write_string(
            row, 3, "；".join(f"{u.name}：{u.how_zh}" for u in report.units), fmt["wrap"]
        )
        ws.write_string(row, 4, "、".join(report.needed_by), fmt["wrap"])

    # 说明
    ws = workbook.add_worksheet("说明")
    setup(ws, (14, 90), landscape=False)
    ws.write_string(0, 0, f"{org.name}{period.label}指标评价表", fmt["title"])
    rows = [
        ("方案", scorecard.programme_name),
        ("方案代码", scorecard.programme_code),
        ("方案版本", scorecard.programme_version),
        ("区划", f"{org.name}（{org.code}）"),
        (
            "期间",
            f"{period.label}（{period.code}，{period.start.isoformat()} 至 {period.end.isoformat()}）",
        ),
        (
            "数据截至",
            scorecard.as_of.isoformat()
            + (
                f"（台账数据只到 {scorecard.data_through.isoformat()}）"
                if scorecard.data_through_zh and scorecard.data_through
                else ""
            ),
        ),
        ("总体结果", overall_zh(scorecard)),
        ("统计", summary_zh(scorecard)),
        (
            "口径",
            "数值 = 系数 × 分子 ÷ 分母（百分比系数100，批次/千人系数1000）；分母为0时记为无数据。",
        ),
        ("状态颜色", "绿色 达标；红色 未达标；灰色 无数据；黄色 待核验材料。"),
    ]
    row = 2
    if org.is_example:
        ws.write_string(row, 0, "示例数据", fmt["notice"])
        ws.write_string(row, 1, EXAMPLE_NOTICE_ZH, fmt["notice"])
        row += 1
    for label, text in rows:
        ws.write_string(row, 0, label, fmt["label"])
        ws.write_string(row, 1, text, fmt["plain"])
        row += 1
