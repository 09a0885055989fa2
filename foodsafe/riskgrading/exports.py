"""The 风险等级确定表 of a year as an Excel workbook (RULES-supervision.md §1.2: one row per
operator per year, the official form's fields)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from foodsafe.lib.spreadsheets import TEXT_CELLS

from .models import Grading, Suggestion
from .spec import GradingSpec

#: 风险等级建议 as the form codes it.
SUGGESTION_CODES: dict[str, str] = {
    Suggestion.UP: "1 上调",
    Suggestion.KEEP: "2 不调",
    Suggestion.DOWN: "3 下调",
}

HEADERS = [
    "年度",
    "编号",
    "企业名称",
    "企业地址",
    "营业执照编号/信用代码",
    "许可证编号",
    "上年度风险等级",
    "静态风险因素量化风险分值",
    "动态风险因素量化风险分值",
    "风险等级得分",
    "风险等级（按分值）",
    "评定依据",
    "风险等级（确认）",
    "改定理由",
]


def grading_table_rows(
    spec: GradingSpec, gradings: Iterable[Grading]
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows: identity, scores, the seven 第二十八条 flags as 是/否 columns in the
    spec's order, the suggestion, next year's grade, notes and the reviewer."""
    up_rules = spec.adjustment.up
    headers = [
        *HEADERS,
        *(f"{r.article}：{r.name}" for r in up_rules),
        "下调情形",
        "风险等级建议",
        "下一年度风险等级（建议）",
        "下一年度风险等级（确认）",
        "调整改定理由",
        "备注（情形依据）",
        "审核人",
        "审核日期",
    ]
    rows = []
    for n, g in enumerate(gradings, start=1):
        b = g.business
        ups = {c["code"]: c for c in g.up_cases}
        reasons = [r for c in (*g.up_cases, *g.down_cases) for r in c["reasons"]]
        if g.missing:
            # Not scored (or presumed): the form says what was missing, not a 0.
            presumed = "，按推定计分" if g.presumed else ""
            reasons.insert(0, f"缺少{'、'.join(g.missing)}{presumed}")
        reviewer = g.next_confirmed_by or g.grade_confirmed_by
        reviewed = g.next_confirmed_at or g.grade_confirmed_at
        rows.append(
            [
                g.year,
                f"{g.year}-{n:06d}",
                b.name,
                b.address,
                b.uscc or "",
                b.licence_number or "",
                g.previous_grade,
                *(
                    None if x is None else float(x)
                    for x in (g.static_score, g.dynamic_score, g.total_score)
                ),
                g.score_grade,
                g.get_basis_display(),
                g.grade,
                g.grade_reason,
                *("是" if r.code in ups else "否" for r in up_rules),
                "；".join(c["name"] for c in g.down_cases),
                SUGGESTION_CODES.get(g.suggestion, "") if g.suggestion else "",
                g.proposed_next_grade,
                g.next_grade,
                g.next_reason,
                "；".join(reasons),
                reviewer.get_username() if reviewer else "",
                reviewed.date().isoformat() if reviewed else "",
            ]
        )
    return headers, rows


def grading_table_xlsx(spec: GradingSpec, year: int, gradings: Iterable[Grading]) -> bytes:
    """The workbook: sheet 风险等级确定表 (rows), sheet 说明 (scheme and its [M]/[I] parts)."""
    out = io.BytesIO()
    import xlsxwriter  # loaded when a file is asked for, not at start-up (issue 11 §2)

    book = xlsxwriter.Workbook(out, {"in_memory": True, **TEXT_CELLS})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("风险等级确定表")
    headers, rows = grading_table_rows(spec, gradings)
    sheet.write_row(0, 0, headers, bold)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
    sheet.freeze_panes(1, 3)
    sheet.set_column(0, len(headers) - 1, 14)
    notes = book.add_worksheet("说明")
    notes.write_row(0, 0, ["项目", "内容"], bold)
    lines = [
        ("年度", str(year)),
        ("分级方案", f"{spec.name}（{spec.label}）"),
        ("方案文件 SHA-256", spec.sha256),
        ("依据", spec.source),
    ]
    lines += [(f"采用的口径 {tag}：{name}", note) for name, tag, note in spec.open_parts()]
    for r, (k, v) in enumerate(lines, start=1):
        notes.write_row(r, 0, [k, v])
    notes.set_column(0, 0, 40)
    notes.set_column(1, 1, 100)
    book.close()
    return out.getvalue()
