"""Arrangement sheets for tests: the real template, filled as the office would fill it."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl

from foodsafe.workdays.sheets import arrangement_template

# The made-up 2027 arrangement of tests/workdays/test_calendar.py, as rows the office adds to
# the template (the real notice is not out on 2026-12-06). The template already holds the
# statutory days: 元旦 1 Jan, 春节 5–8 Feb, 清明 5 Apr, 劳动节 1–2 May, 端午 9 Jun, 中秋 15 Sep,
# 国庆 1–3 Oct. Added: 春节 bridging 9–11 Feb off, Sat 13 Feb worked; 国庆 4–7 Oct off, Sat 9
# Oct worked.
EXTRA_2027: list[tuple[Any, Any, Any]] = [
    *((date(2027, 2, d), "放假", "春节") for d in (9, 10, 11)),
    (date(2027, 2, 13), "调休上班", "春节"),
    *((date(2027, 10, d), "放假", "国庆节") for d in (4, 5, 6, 7)),
    (date(2027, 10, 9), "调休上班", "国庆节"),
]


def filled_template(
    year: int = 2027,
    rows: list[tuple[Any, Any, Any]] | None = None,
    *,
    info: dict[int, Any] | None = None,
) -> bytes:
    """The template of ``year`` with ``rows`` (default: EXTRA_2027) appended to 日期 and the
    notice's number and date filled; ``info`` overrides column B of the 通知 sheet by row."""
    book = openpyxl.load_workbook(io.BytesIO(arrangement_template(year)))
    notice = book["通知"]
    notice["B4"] = "国办发明电〔2026〕X号"
    notice["B5"] = date(2026, 11, 20)
    for row, value in (info or {}).items():
        notice.cell(row=row, column=2, value=value)
    days = book["日期"]
    for row in EXTRA_2027 if rows is None else rows:
        days.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
