"""Publication (信息公开) of the monthly 抽检结果 and 不合格 核查处置 lists, in the columns a
government website publishes them with, and the record of when they were published.

Recording a results list writes ``published_on`` on its batches in the sampling ledger (in
the same transaction), which the scorecard's "results published on time" reads.
"""

from __future__ import annotations

import calendar
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from foodsafe.orgunits.models import OrgUnit, subtree_prefix
from foodsafe.registry.models import BusinessFormat
from foodsafe.sampling.categories import category_tree
from foodsafe.sampling.models import Conclusion, SamplingBatch, Stage, TestItem

from .models import Disposal, Publication, PublicationKind

#: Batches whose results are published (监督抽检 [I]: 评价性抽检 and 风险监测 are not
#: published batch by batch).
PUBLISHED_TYPES = ("surveillance",)


class PublicationError(ValueError):
    """A publication that cannot be recorded; the message says why."""


@dataclass(frozen=True)
class ResultRow:
    batch: SamplingBatch
    category: str
    failed_items: str
    disposal: str


def month_bounds(month: date) -> tuple[date, date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def _disposal_text(d: Disposal | None) -> str:
    if d is None:
        return "尚未立项核查处置"
    done = [f"{s.title}：{s.outcome}" for s in d.steps.all() if s.done_on and s.kind == "task"]
    head = f"已于 {d.closed_on} 办结" if d.closed_on else "核查处置中"
    return "；".join([head, *done])


def publication_rows(*, org_code: str, month: date, kind: str) -> list[ResultRow]:
    """The month's list: ``results`` — the 监督抽检 batches reported in the month with a
    conclusion; ``disposal`` — those of them found 不合格, with their 核查处置 so far."""
    start, end = month_bounds(month)
    rows = (
        SamplingBatch.objects.filter(
            org_unit__code__startswith=subtree_prefix(org_code),
            reported_on__range=(start, end),
            sampling_type__in=PUBLISHED_TYPES,
        )
        .exclude(conclusion=Conclusion.PENDING)
        .select_related("business", "disposal")
        .prefetch_related(
            Prefetch("test_items", queryset=TestItem.objects.filter(conforming=False)),
            "disposal__steps",
        )
        .order_by("reported_on", "sample_number")
    )
    if kind == PublicationKind.DISPOSAL:
        rows = rows.filter(conclusion=Conclusion.NONCONFORMING)
    tree = category_tree()
    out = []
    for b in rows:
        failed = "；".join(
            f"{i.name}（检验结果 {i.result_value or '—'}，标准值 {i.standard_value or '—'}）"
            for i in b.test_items.all()
        )
        disposal = (
            getattr(b, "disposal", None) if b.conclusion == Conclusion.NONCONFORMING else None
        )
        out.append(
            ResultRow(
                b,
                tree.name_of(b.category_code) if b.category_code else b.food_category,
                failed,
                _disposal_text(disposal) if b.conclusion == Conclusion.NONCONFORMING else "",
            )
        )
    return out


def publication_record(
    *, org_code: str, month: date, kind: str, published_on: date, where: str, actor: Any
) -> Publication:
    """Record that ``org_code``'s list of ``kind`` for ``month`` was published on
    ``published_on`` at ``where``; for results, the listed batches not yet marked published
    get ``published_on`` in the ledger in the same transaction.

    Raises :class:`PublicationError` for an unknown unit or kind, a date in the future or
    before the month, or a list already recorded.
    """
    org = OrgUnit.objects.filter(code=org_code).first()
    if org is None:
        raise PublicationError(f"未知的区划代码 {org_code!r}")
    if kind not in PublicationKind.values:
        raise PublicationError(f"未知的公开类型 {kind!r}")
    if published_on > timezone.localdate():
        raise PublicationError("公开日期不能晚于今天")
    start, _end = month_bounds(month)
    if published_on < start:
        raise PublicationError("公开日期不能早于所公开的月份")
    if Publication.objects.filter(org_unit=org, month=start, kind=kind).exists():
        raise PublicationError(f"{org.name} {start:%Y-%m} 的该清单已登记公开")
    rows = publication_rows(org_code=org_code, month=start, kind=kind)
    with transaction.atomic():
        record = Publication(
            org_unit=org,
            month=start,
            kind=kind,
            published_on=published_on,
            where=where.strip()[:300],
            rows=len(rows),
            created_by=actor,
        )
        record._history_user = actor  # type: ignore[attr-defined]
        record.save()
        if kind == PublicationKind.RESULTS:
            for row in rows:
                batch = row.batch
                if batch.published_on is None and published_on >= (batch.reported_on or start):
                    batch.published_on = published_on
                    batch._history_user = actor  # type: ignore[attr-defined]
                    batch.save(update_fields=["published_on"])
    return record


def publication_workbook(*, title: str, kind: str, rows: list[ResultRow]) -> bytes:
    """The list as an Excel sheet with the website's columns."""
    import xlsxwriter

    stage = dict(Stage.choices)
    fmt = dict(BusinessFormat.choices)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("公开清单")
    sheet.write(0, 0, title, bold)
    header = [
        "序号",
        "被抽样单位名称",
        "环节",
        "业态",
        "食品名称",
        "食品分类",
        "抽样日期",
        "抽样单编号",
        "检验结论",
        "不合格项目",
    ]
    if kind == PublicationKind.DISPOSAL:
        header.append("核查处置情况")
    for c, h in enumerate(header):
        sheet.write(2, c, h, bold)
    for r, row in enumerate(rows, start=3):
        b = row.batch
        values = [
            str(r - 2),
            b.business.name if b.business else "",
            str(stage.get(b.stage, b.stage)),
            str(fmt.get(b.business_format, b.business_format)),
            b.food_name,
            row.category,
            b.sampled_on.isoformat(),
            b.sample_number,
            b.get_conclusion_display(),
            row.failed_items,
        ]
        if kind == PublicationKind.DISPOSAL:
            values.append(row.disposal)
        for c, v in enumerate(values):
            sheet.write_string(r, c, str(v))
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 28)
    sheet.set_column(4, 9, 16)
    book.close()
    return out.getvalue()
