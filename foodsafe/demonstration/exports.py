"""示范引领项目汇总表 as .xlsx (XlsxWriter, in memory): the approved applications, the list the
office sends to 国食办 with the 申请表 (实施方案 §四.3).

It is the office's file (the page's export is office-only), so the contact phone is written in
full: 国食办 needs a contact for each project."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from foodsafe.lib.spreadsheets import TEXT_CELLS

from .models import DemonstrationProject

TITLE = "示范引领项目汇总表"
HEADERS = (
    "序号", "项目名称", "申报单位", "项目类别", "项目简介", "取得成效", "联系人", "联系电话", "审核通过日期",
)  # fmt: skip
WIDTHS = (6, 28, 18, 12, 50, 50, 10, 14, 14)


def projects_to_xlsx(projects: Sequence[DemonstrationProject], *, on: date, district: str) -> bytes:
    """One row per approved project (``selectors.approved_projects()``), in its order."""
    import xlsxwriter  # loaded when a file is asked for, not at start-up

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_CELLS})
    ws = book.add_worksheet(TITLE)
    border = {"border": 1, "valign": "top"}
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    header = book.add_format({**border, "bold": True, "bg_color": "#D9E1F2", "text_wrap": True})
    text = book.add_format({**border, "text_wrap": True})
    day = book.add_format({**border, "num_format": "yyyy-mm-dd"})
    ws.merge_range(0, 0, 0, len(HEADERS) - 1, f"{district}{TITLE}", title)
    ws.write_string(1, 0, f"截至 {on.isoformat()}　审核通过的项目 {len(projects)} 个")
    for col, (name, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        ws.write_string(2, col, name, header)
        ws.set_column(col, col, width)
    ws.freeze_panes(3, 0)
    for i, p in enumerate(projects):
        row = 3 + i
        ws.write_number(row, 0, i + 1, text)
        values = (
            p.name, p.unit.name, p.get_category_display(), p.description, p.achievements,
            p.contact_name, p.contact_phone,
        )  # fmt: skip
        for col, value in enumerate(values, start=1):
            ws.write_string(row, col, str(value), text)
        if p.reviewed_on:
            ws.write_datetime(row, 8, p.reviewed_on, day)
        else:
            ws.write_blank(row, 8, None, text)
    if projects:
        ws.autofilter(2, 0, 2 + len(projects), len(HEADERS) - 1)
    book.close()
    return buffer.getvalue()
