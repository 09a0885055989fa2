"""The rectification ledger as an .xlsx 问题清单 (XlsxWriter).

Layout: row 1 the title, row 2 the export date and filters, row 3 the header, then one row per
rectification: 序号, 问题, 问题来源, 责任单位, 整改措施, 整改期限, 整改状态, 销号日期, 核验人,
是否逾期, 期限暂定. 整改期限 and 销号日期 are real dates (yyyy-mm-dd); a provisional deadline (its
year's holiday arrangement not loaded yet) shows as ``2027-02-17（暂定）`` by its number format
and says 是 in 期限暂定, so it stays a date to sort and filter by. 是否逾期 is 是 (not closed after
its deadline), 否, or 是（逾期销号） for one closed after its deadline.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from foodsafe.lib.spreadsheets import TEXT_CELLS

from .models import Rectification
from .selectors import rectification_closed_late, rectification_is_overdue

HEADERS = (
    "序号", "问题", "问题来源", "责任单位", "整改措施", "整改期限", "整改状态", "销号日期", "核验人", "是否逾期",
    "期限暂定",
)  # fmt: skip
_WIDTHS = (6, 44, 12, 18, 40, 18, 12, 12, 12, 14, 10)
TITLE = "问题清单（整改台账）"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def overdue_text(rectification: Rectification, on: date) -> str:
    if rectification_is_overdue(rectification, on):
        return "是"
    if rectification_closed_late(rectification):
        return "是（逾期销号）"
    return "否"


def _person(user: object | None) -> str:
    if user is None:
        return ""
    full = user.get_full_name()  # type: ignore[attr-defined]
    return str(full or user.get_username())  # type: ignore[attr-defined]


def rectifications_to_xlsx(
    rectifications: Iterable[Rectification], *, on: date, subtitle: str = ""
) -> bytes:
    """The workbook's bytes; ``rectifications`` with ``owner_unit`` and ``verified_by`` joined;
    ``on``: the day overdue is judged on (today)."""
    buffer = io.BytesIO()
    import xlsxwriter  # loaded when a file is asked for, not at start-up (issue 11 §2)

    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_CELLS})
    sheet = book.add_worksheet("问题清单")
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    header = book.add_format(
        {"bold": True, "bg_color": "#D9E1F2", "border": 1, "align": "center", "valign": "vcenter"}
    )
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    day = book.add_format({"border": 1, "valign": "top", "num_format": "yyyy-mm-dd"})
    provisional_day = book.add_format(
        {
            "border": 1,
            "valign": "top",
            "num_format": 'yyyy-mm-dd"（暂定）"',
            "font_color": "#7F6000",
        }
    )
    late = book.add_format({"border": 1, "valign": "top", "font_color": "#9C0006", "bold": True})
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, TITLE, title)
    sheet.write(1, 0, f"导出日期：{on.isoformat()}" + (f"　{subtitle}" if subtitle else ""))
    for col, (name, width) in enumerate(zip(HEADERS, _WIDTHS, strict=True)):
        sheet.write(2, col, name, header)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(3, 0)
    row = 3
    for n, r in enumerate(rectifications, start=1):
        overdue = overdue_text(r, on)
        sheet.write_number(row, 0, n, cell)
        sheet.write_string(row, 1, f"{r.title}（{r.number}）", cell)
        sheet.write_string(row, 2, r.get_source_display(), cell)
        sheet.write_string(row, 3, r.owner_unit.name, cell)
        sheet.write_string(row, 4, r.measures, cell)
        sheet.write_datetime(row, 5, r.deadline, provisional_day if r.deadline_provisional else day)
        sheet.write_string(row, 6, r.get_state_display(), cell)
        if r.closed_on:
            sheet.write_datetime(row, 7, r.closed_on, day)
        else:
            sheet.write_blank(row, 7, None, cell)
        sheet.write_string(row, 8, _person(r.verified_by), cell)
        sheet.write_string(row, 9, overdue, late if overdue != "否" else cell)
        sheet.write_string(row, 10, "是" if r.deadline_provisional else "否", cell)
        row += 1
    if row > 3:
        sheet.autofilter(2, 0, row - 1, len(HEADERS) - 1)
    book.close()
    return buffer.getvalue()
