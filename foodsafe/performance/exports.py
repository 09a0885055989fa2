"""绩效考核排名 as .xlsx (XlsxWriter, in memory): the page's table for the month, with each
factor's tally and score, the total (无数据 where none, 数据不足 where too few factors have data), the rank and the office's comment."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from foodsafe.lib.spreadsheets import TEXT_CELLS

from .selectors import UnitScore
from .spec import AssessmentSpec


def ranking_to_xlsx(
    rows: Sequence[UnitScore], *, spec: AssessmentSpec, month: date, as_of: date
) -> bytes:
    import xlsxwriter  # loaded when a file is asked for, not at start-up

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_CELLS})
    ws = book.add_worksheet("绩效考核")
    border = {"border": 1, "valign": "top"}
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    header = book.add_format({**border, "bold": True, "bg_color": "#D9E1F2", "text_wrap": True})
    text = book.add_format({**border, "text_wrap": True})
    number = book.add_format({**border, "num_format": "0.0"})
    headers = ["排名", "责任单位"]
    for f in spec.factors:
        headers += [f"{f.name}（权重 {f.weight}）", f"{f.name}得分"]
    headers += ["总分", "缺少数据的因素", "考核评语"]
    ws.merge_range(0, 0, 0, len(headers) - 1, f"{month:%Y年%m月}绩效考核排名", title)
    ws.write_string(1, 0, f"截至 {as_of.isoformat()}　规则：{spec.name} {spec.label}")
    for col, name in enumerate(headers):
        ws.write_string(2, col, name, header)
        ws.set_column(col, col, 12 if col != 1 else 18)
    ws.set_column(len(headers) - 1, len(headers) - 1, 40)
    ws.freeze_panes(3, 2)
    for i, r in enumerate(rows):
        row = 3 + i
        if r.rank is None:
            ws.write_string(row, 0, "—", text)
        else:
            ws.write_number(row, 0, r.rank, text)
        ws.write_string(row, 1, r.unit.name, text)
        col = 2
        for factor in r.factors:
            ws.write_string(row, col, factor.shown, text)
            if factor.score is None:
                ws.write_string(row, col + 1, "无数据", text)
            else:
                ws.write_number(row, col + 1, float(factor.score), number)
            col += 2
        if r.too_thin:
            ws.write_string(row, col, "数据不足", text)
        elif r.total is None:
            ws.write_string(row, col, "无数据", text)
        else:
            ws.write_number(row, col, float(r.total), number)
        ws.write_string(row, col + 1, "、".join(r.missing), text)
        ws.write_string(row, col + 2, r.comment.text if r.comment else "", text)
    if rows:
        ws.autofilter(2, 0, 2 + len(rows), len(headers) - 1)
    book.close()
    return buffer.getvalue()
