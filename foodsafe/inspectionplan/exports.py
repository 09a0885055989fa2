"""Excel files of the inspection plan: the due and overdue lists, the 检查计划表, and the public
list of 双随机 results (name, date, result: no inspector and no personal data).

XlsxWriter is imported inside the function that writes (start-up does not load it)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from foodsafe.lib.spreadsheets import TEXT_CELLS

from .models import InspectionPlan
from .selectors import DueLists, ItemProgress, PublicationRow


def _workbook(sheets: Sequence[tuple[str, list[str], list[list[Any]], str]]) -> bytes:
    """``(sheet name, headers, rows, title line)`` each → one .xlsx; text stays text."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, **TEXT_CELLS})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    title_fmt = book.add_format({"bold": True, "font_size": 14})
    for name, headers, rows, title in sheets:
        sheet = book.add_worksheet(name[:31])
        sheet.write(0, 0, title, title_fmt)
        for col, header in enumerate(headers):
            sheet.write(2, col, header, bold)
            sheet.set_column(col, col, max(10, min(40, len(header) * 2 + 4)))
        for r, row in enumerate(rows, start=3):
            for col, value in enumerate(row):
                sheet.write(r, col, "" if value is None else value, cell)
        sheet.freeze_panes(3, 0)
        sheet.repeat_rows(2)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
    book.close()
    return out.getvalue()


def due_lists_xlsx(lists: DueLists) -> bytes:
    """The overdue and due-this-month lists as of ``lists.on``, one sheet each."""
    headers = [
        "街道",
        "登记编号",
        "名称",
        "业态",
        "风险等级",
        "上次检查",
        "上次全项目检查",
        "应检日期",
        "逾期天数",
        "理由",
        "重点监督检查",
        "检查人员（计划）",
    ]

    def rows(overdue: bool) -> list[list[Any]]:
        out = []
        for group in lists.groups:
            for row in group.overdue if overdue else group.this_month:
                f = row.due.facts
                out.append(
                    [
                        group.name,
                        f.registry_number,
                        f.name,
                        f.business_format,
                        f.grade or "未定级",
                        f.last_counted.isoformat() if f.last_counted else "无记录",
                        f.last_full.isoformat() if f.last_full else "无记录",
                        row.due.due_on.isoformat(),
                        row.days_late,
                        "；".join(r.text for r in row.due.reasons),
                        "、".join(row.due.key_categories),
                        "、".join(row.inspectors),
                    ]
                )
        return out

    on = lists.on.isoformat()
    return _workbook(
        [
            ("逾期未检", headers, rows(True), f"逾期未检清单（截至 {on}）"),
            ("本月到期", headers, rows(False), f"本月到期清单（{on} 至 {lists.month_end}）"),
        ]
    )


def plan_xlsx(plan: InspectionPlan, progress: list[ItemProgress]) -> bytes:
    """The 检查计划表: one row per operator in the plan's order, with its inspectors and, as
    inspections arrive, the date and result."""
    headers = [
        "序号",
        "列入方式",
        "登记编号",
        "名称",
        "地址",
        "风险等级",
        "应检日期",
        "列入理由",
        "检查人员",
        "检查日期",
        "检查结果",
    ]
    rows = []
    for p in progress:
        item, b = p.item, p.item.business
        rows.append(
            [
                item.position,
                item.get_source_display(),
                b.registry_number,
                b.name,
                b.address,
                item.grade or "未定级",
                item.due_on.isoformat() if item.due_on else "",
                item.reason,
                "、".join(s.name for s in p.inspectors) or "未派",
                p.inspection.inspected_on.isoformat() if p.inspection else "",
                p.inspection.get_result_display() if p.inspection else "",
            ]
        )
    title = (
        f"检查计划表 {plan.number}（{plan.starts_on} 至 {plan.ends_on}）"
        f" 随机种子 {plan.seed}；排序：{plan.order_method}"
    )
    return _workbook([("检查计划表", headers, rows, title)])


def publication_xlsx(plan: InspectionPlan, rows: list[PublicationRow]) -> bytes:
    """The public list (双随机抽查结果公示): name, inspection date and result of each operator
    drawn, nothing personal (no inspector, address or licence holder)."""
    headers = ["序号", "被检查单位名称", "检查日期", "检查结果"]
    data = []
    for n, row in enumerate(rows, start=1):
        p = row.progress
        assert p.inspection is not None
        data.append(
            [
                n,
                p.item.business.name,
                p.inspection.inspected_on.isoformat(),
                p.inspection.get_result_display(),
            ]
        )
    return _workbook(
        [("结果公示", headers, data, f"双随机抽查结果公示 {plan.number}（{plan.period}）")]
    )
