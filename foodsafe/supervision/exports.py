"""The supervision tables as .xlsx downloads (XlsxWriter, in memory): 逾期督办 (overdue
rectification items by owner unit) and 成员单位整改绩效 (the units' performance table).

Each holds what its page shows, for the same user, day and filter, in the page's order: the
views pass the selector results the page renders. The pages show no personal data (rectification
titles, units, dates and counts), so neither do these. Layout as the 问题清单 export
(``foodsafe.rectification.exports``): row 1 the title, row 2 the date and scope, row 3 the
header, then the rows, with an autofilter; dates are real dates, counts real numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from foodsafe.lib.spreadsheets import TEXT_CELLS

from .selectors import UnitOverdue, UnitPerformance

if TYPE_CHECKING:
    import xlsxwriter

OVERDUE_TITLE = "逾期督办"
OVERDUE_HEADERS = (
    "序号", "责任单位", "编号", "问题", "关联任务", "状态", "整改期限", "期限暂定", "逾期（工作日）", "最近提醒",
)  # fmt: skip
_OVERDUE_WIDTHS = (6, 18, 14, 40, 30, 10, 12, 9, 14, 12)

PERFORMANCE_TITLE = "成员单位整改绩效"
PERFORMANCE_HEADERS = (
    "责任单位", "整改事项", "已销号", "按期销号", "按期销号率（%）", "未销号", "逾期事项", "材料退回",
)  # fmt: skip
_PERFORMANCE_WIDTHS = (22, 10, 10, 10, 16, 10, 10, 10)
#: The page's explanation of the columns, repeated under the table.
PERFORMANCE_NOTE = (
    "按期销号率 = 按期销号数 ÷ 已销号数（无已销号事项时为“—”）；逾期事项为截至导出日超过整改期限、"
    "尚未销号的事项；材料退回数为被评审退回过的佐证材料份数。"
)


class _Sheet:
    """A worksheet with the shared title / subtitle / header rows and cell formats."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, headers: Sequence[str]) -> None:
        self.book, self.headers = book, headers
        self.ws = book.add_worksheet(name)
        border = {"border": 1, "valign": "top"}
        self.title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
        self.header = book.add_format(
            {**border, "bold": True, "bg_color": "#D9E1F2", "align": "center", "text_wrap": True}
        )
        self.text = book.add_format({**border, "text_wrap": True})
        self.number = book.add_format(border)
        self.rate = book.add_format({**border, "num_format": "0.0"})
        self.day = book.add_format({**border, "num_format": "yyyy-mm-dd"})
        self.late = book.add_format({**border, "font_color": "#9C0006", "bold": True})

    def top(self, title: str, subtitle: str, widths: Sequence[int]) -> None:
        self.ws.merge_range(0, 0, 0, len(self.headers) - 1, title, self.title)
        self.ws.write_string(1, 0, subtitle)
        for col, (name, width) in enumerate(zip(self.headers, widths, strict=True)):
            self.ws.write_string(2, col, name, self.header)
            self.ws.set_column(col, col, width)
        self.ws.freeze_panes(3, 0)

    def filter(self, last_row: int) -> None:
        if last_row >= 3:
            self.ws.autofilter(2, 0, last_row, len(self.headers) - 1)


def _book() -> tuple[io.BytesIO, xlsxwriter.Workbook]:
    buffer = io.BytesIO()
    import xlsxwriter  # loaded when a file is asked for, not at start-up (issue 11 §2)

    return buffer, xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_CELLS})


def overdue_to_xlsx(units: Sequence[UnitOverdue], *, on: date, scope: str) -> bytes:
    """逾期督办 as a workbook: one row per overdue item, grouped by owner unit as on the page.

    ``units``: ``selectors.overdue_by_unit`` for the user; ``on``: the day overdue is judged on;
    ``scope``: who the table covers (``各责任单位`` or the member unit's name), written in row 2.
    """
    buffer, book = _book()
    sheet = _Sheet(book, OVERDUE_TITLE, OVERDUE_HEADERS)
    total = sum(u.count for u in units)
    sheet.top(
        OVERDUE_TITLE,
        f"截至 {on.isoformat()}　范围：{scope}　逾期事项 {total} 项"
        "　逾期天数按工作日计（法定节假日不计，调休上班日计入）",
        _OVERDUE_WIDTHS,
    )
    ws, row = sheet.ws, 3
    for unit in units:
        for item in unit.items:
            r = item.rectification
            ws.write_number(row, 0, row - 2, sheet.number)
            ws.write_string(row, 1, unit.unit.name, sheet.text)
            ws.write_string(row, 2, r.number, sheet.text)
            ws.write_string(row, 3, r.title, sheet.text)
            ws.write_string(row, 4, str(r.item) if r.item else "", sheet.text)
            ws.write_string(row, 5, r.get_state_display(), sheet.text)
            ws.write_datetime(row, 6, r.deadline, sheet.day)
            ws.write_string(row, 7, "是" if r.deadline_provisional else "否", sheet.text)
            ws.write_number(row, 8, item.working_days_late, sheet.late)
            if item.last_reminded_on:
                ws.write_datetime(row, 9, item.last_reminded_on, sheet.day)
            else:
                ws.write_blank(row, 9, None, sheet.text)
            row += 1
    sheet.filter(row - 1)
    book.close()
    return buffer.getvalue()


def performance_to_xlsx(rows: Sequence[UnitPerformance], *, on: date, year: int | None) -> bytes:
    """成员单位整改绩效 as a workbook: one row per responsible unit, as on the page.

    ``rows``: ``selectors.unit_performance(on=on, year=year)``. A unit with nothing closed has
    no on-time rate: its cell holds "—" (as the page), never 0.
    """
    buffer, book = _book()
    sheet = _Sheet(book, "整改绩效", PERFORMANCE_HEADERS)
    years = f"{year} 年销号与退回" if year else "全部年度"
    sheet.top(PERFORMANCE_TITLE, f"截至 {on.isoformat()}　{years}", _PERFORMANCE_WIDTHS)
    ws, row = sheet.ws, 3
    for p in rows:
        ws.write_string(row, 0, p.unit.name, sheet.text)
        for col, value in enumerate((p.total, p.closed, p.closed_on_time), start=1):
            ws.write_number(row, col, value, sheet.number)
        if p.on_time_rate is None:
            ws.write_string(row, 4, "—", sheet.text)
        else:
            ws.write_number(row, 4, float(p.on_time_rate), sheet.rate)
        ws.write_number(row, 5, p.open, sheet.number)
        ws.write_number(row, 6, p.overdue, sheet.late if p.overdue else sheet.number)
        ws.write_number(row, 7, p.evidence_rejected, sheet.number)
        row += 1
    sheet.filter(row - 1)
    ws.write_string(row + 1, 0, PERFORMANCE_NOTE)
    book.close()
    return buffer.getvalue()
