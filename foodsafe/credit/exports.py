"""The 信用信息公示 export: the public part of the credit files as an Excel workbook.

食品安全法 第一百一十三条 [P]: the file's 许可颁发, 日常监督检查结果 and 违法行为查处 are public;
实施条例 第六十六条: the 严重违法失信名单 too. One row per public record with the date it was made
public (公示日期, recorded by the office when it publishes the export; blank: not yet). Never
personal data: no person is named (the ledgers keep no name for 处罚到人; a case shows as 行政处罚
with its amount), complaints and sampling stay out.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import QuerySet

from foodsafe.lib.spreadsheets import TEXT_CELLS
from foodsafe.registry.models import FoodBusiness

from .models import CreditEntry, CreditPublication, EntryKind

HEADERS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "许可证编号",
    "信息类别",
    "文书/记录编号",
    "日期",
    "内容",
    "公示日期",
]

_CATEGORY = {
    EntryKind.LICENCE: "行政许可",
    EntryKind.INSPECTION: "监督检查结果",
    EntryKind.CASE: "行政处罚",
    EntryKind.LISTING: "严重违法失信名单",
}
_INSPECTION = {
    "compliant": "符合",
    "rectify": "基本符合（限期整改）",
    "noncompliant": "不符合",
    "not_scored": "未评定",
}


def public_entries(businesses: QuerySet[FoodBusiness]) -> QuerySet[CreditEntry]:
    """The public entries of ``businesses``, by operator then date."""
    return (
        CreditEntry.objects.filter(public=True, business__in=businesses)
        .select_related("business")
        .order_by("business__registry_number", "occurred_on", "kind", "source_id")
    )


def _content(e: CreditEntry) -> str:
    if e.kind == EntryKind.LICENCE:
        return "取得食品经营（生产）许可" + (f"，{e.ends_on:%Y-%m-%d} 注销" if e.ends_on else "")
    if e.kind == EntryKind.INSPECTION:
        return f"检查结果：{_INSPECTION.get(e.outcome, e.outcome)}"
    if e.kind == EntryKind.CASE:
        amount = f"，罚没款 {e.amount:,.2f} 元" if e.amount else ""
        closed = f"，{e.ends_on:%Y-%m-%d} 作出处罚决定" if e.ends_on else ""
        return f"行政处罚{closed}{amount}"
    if e.kind == EntryKind.LISTING:
        return "列入严重违法失信名单" + (f"，{e.ends_on:%Y-%m-%d} 移出" if e.ends_on else "")
    return ""


def public_rows(entries: Iterable[CreditEntry]) -> list[list[Any]]:
    """The export's rows (see ``HEADERS``), with each record's 公示日期 when recorded."""
    entries = list(entries)
    published: dict[tuple[str, int], date] = {}
    kinds = {e.kind for e in entries}
    for kind in kinds:
        ids = [e.source_id for e in entries if e.kind == kind]
        for start in range(0, len(ids), 5000):
            for sid, on in CreditPublication.objects.filter(
                kind=kind, source_id__in=ids[start : start + 5000]
            ).values_list("source_id", "published_on"):
                published[(kind, sid)] = on
    rows = []
    for n, e in enumerate(entries, start=1):
        b = e.business
        made_public = published.get((e.kind, e.source_id))
        rows.append(
            [
                n,
                b.name,
                b.uscc or "",
                b.licence_number or "",
                _CATEGORY.get(EntryKind(e.kind), e.kind),
                e.reference,
                e.occurred_on.isoformat() if e.occurred_on else "",
                _content(e),
                made_public.isoformat() if made_public else "",
            ]
        )
    return rows


def public_credit_xlsx(*, on: date, businesses: QuerySet[FoodBusiness] | None = None) -> bytes:
    """The workbook: sheet 信用信息公示 (rows), sheet 说明 (what is in it and why)."""
    import xlsxwriter  # loaded when a file is asked for, not at start-up (issue 11 §2)

    businesses = businesses if businesses is not None else FoodBusiness.objects.all()
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, **TEXT_CELLS})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("信用信息公示")
    sheet.write_row(0, 0, HEADERS, bold)
    for r, row in enumerate(public_rows(public_entries(businesses).iterator(2000)), start=1):
        sheet.write_row(r, 0, row)
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, len(HEADERS) - 1, 16)
    notes = book.add_worksheet("说明")
    lines = [
        ("导出日期", on.isoformat()),
        (
            "依据",
            "食品安全法 第一百一十三条（许可颁发、日常监督检查结果、违法行为查处）；实施条例 第六十六条（严重违法失信名单）",
        ),
        (
            "范围",
            "信用档案中依法公开的记录；不含投诉举报、抽检记录和任何个人信息（处罚到人不列姓名）",
        ),
        ("公示日期", "创城办记录公示的日期；空白表示尚未公示"),
    ]
    notes.write_row(0, 0, ["项目", "内容"], bold)
    for r, (k, v) in enumerate(lines, start=1):
        notes.write_row(r, 0, [k, v])
    notes.set_column(0, 0, 16)
    notes.set_column(1, 1, 100)
    book.close()
    return out.getvalue()
