"""The plan table (抽检计划表) a bureau files, as an Excel workbook."""

from __future__ import annotations

import io
from typing import Any

from foodsafe.registry.models import BusinessFormat
from foodsafe.sampling.categories import category_tree
from foodsafe.sampling.models import Stage

from .allocate import Line, Totals


def _months(line: Line) -> str:
    if line.month_from == line.month_to:
        return f"{line.month_from}月"
    return f"{line.month_from}–{line.month_to}月"


def plan_workbook(*, title: str, lines: list[Line], plan_totals: Totals, notes: list[str]) -> bytes:
    """The plan table (text cells written as strings, so a value starting with "=" stays text): one sheet of lines (食品大类/亚类, 环节, 业态, 月份, 批次, 残留, 专项),
    one sheet of totals by 大类 × 季度, and the totals reached with the readings taken."""
    import xlsxwriter

    tree = category_tree()
    stage = dict(Stage.choices)
    fmt = dict(BusinessFormat.choices)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("计划明细")
    sheet.write(0, 0, title, bold)
    header = ["食品大类", "食品分类", "环节", "业态", "月份", "计划批次", "农药兽药残留", "专项"]
    for c, h in enumerate(header):
        sheet.write(2, c, h, bold)
    for r, line in enumerate(lines, start=3):
        values: list[Any] = [
            tree.name_of(line.category_code[:2]),
            tree.name_of(line.category_code),
            str(stage.get(line.stage, line.stage)),
            str(fmt.get(line.business_format, line.business_format)),
            _months(line),
        ]
        for c, v in enumerate(values):
            sheet.write_string(r, c, v)
        sheet.write_number(r, 5, line.batches)
        sheet.write_string(r, 6, "是" if line.residue else "")
        sheet.write_string(r, 7, line.special)
    sheet.set_column(0, 1, 22)
    sheet.set_column(2, 4, 14)

    summary = book.add_worksheet("分类汇总")
    for c, h in enumerate(["食品大类", "一季度", "二季度", "三季度", "四季度", "合计"]):
        summary.write(0, c, h, bold)
    by_top: dict[str, list[int]] = {}
    for line in lines:
        row = by_top.setdefault(line.category_code[:2], [0, 0, 0, 0])
        months = line.month_to - line.month_from + 1
        for m in range(line.month_from, line.month_to + 1):
            row[(m - 1) // 3] += line.batches // months + (
                1 if m - line.month_from < line.batches % months else 0
            )
    for r, (top, quarters) in enumerate(sorted(by_top.items()), start=1):
        summary.write_string(r, 0, tree.name_of(top))
        for c, n in enumerate(quarters, start=1):
            summary.write_number(r, c, n)
        summary.write_number(r, 5, sum(quarters))
    summary.set_column(0, 0, 22)

    reached = book.add_worksheet("计划达到")
    rows = [
        ("计划批次", plan_totals.batches),
        ("其中农药兽药残留批次", plan_totals.residue_batches),
        ("批次/千人", str(plan_totals.per_thousand or "无数据")),
        ("残留批次/千人", str(plan_totals.residue_per_thousand or "无数据")),
        ("环节×业态 覆盖", f"{plan_totals.cells_covered}/{plan_totals.cells}"),
        ("覆盖率（%）", str(plan_totals.coverage or "无数据")),
    ]
    for r, (label, value) in enumerate(rows):
        reached.write(r, 0, label, bold)
        reached.write_string(r, 1, str(value))
    for r, note in enumerate(notes, start=len(rows) + 1):
        reached.write_string(r, 0, note)
    reached.set_column(0, 0, 24)
    book.close()
    return out.getvalue()
