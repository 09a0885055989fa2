"""阶段性自查说明: a responsible unit's statement of its own 排查台账 for one phase of the
programme, with its 问题清单 (the problems found) and 整改措施 (the measures for each).

实施方案 四（二）4: "各责任单位严格按照现场检查标准，制定排查台账，实施销号管理……并形成阶段性自查说明、
问题清单及整改措施". The statement covers the problems of the unit registered within the phase
(``created_on`` between the phase's first and last day) and states, as of the phase's last day
(or today, if the phase is not over yet), how many are closed (销号), closed on time, still
open, and overdue. Overdue is derived as on the ledger: not closed after the deadline day.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.spec import PhaseSpec

from .models import Rectification, Source, State


@dataclass(frozen=True)
class SelfCheckSummary:
    unit: ResponsibleUnit
    phase: PhaseSpec
    as_of: date
    rows: tuple[Rectification, ...]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def own_findings(self) -> int:
        """Problems the unit found itself (来源 自查)."""
        return sum(r.source == Source.SELF_CHECK for r in self.rows)

    def _closed_by(self, r: Rectification) -> bool:
        return r.state == State.CLOSED and r.closed_on is not None and r.closed_on <= self.as_of

    @property
    def closed(self) -> int:
        return sum(self._closed_by(r) for r in self.rows)

    @property
    def closed_on_time(self) -> int:
        return sum(
            self._closed_by(r) and r.closed_on is not None and r.closed_on <= r.deadline
            for r in self.rows
        )

    @property
    def open(self) -> int:
        return self.total - self.closed

    @property
    def overdue(self) -> int:
        return sum(not self._closed_by(r) and r.deadline < self.as_of for r in self.rows)


def self_check_summary(*, unit: ResponsibleUnit, phase: PhaseSpec, today: date) -> SelfCheckSummary:
    """The unit's problems registered within ``phase``, counted as of the phase's last day or
    ``today``, whichever is earlier."""
    rows = tuple(
        Rectification.objects.filter(
            owner_unit=unit, created_on__gte=phase.start, created_on__lte=phase.end
        )
        .select_related("item", "verified_by")
        .order_by("created_on", "number")
    )
    return SelfCheckSummary(unit=unit, phase=phase, as_of=min(phase.end, today), rows=rows)


def _state_as_of(r: Rectification, as_of: date) -> str:
    if r.state == State.CLOSED and r.closed_on is not None and r.closed_on <= as_of:
        return f"已销号（{r.closed_on:%Y-%m-%d}）"
    if r.state == State.CLOSED:
        return "整改中"  # closed after the statement's day: still open on that day
    return r.get_state_display()


def self_check_docx(summary: SelfCheckSummary, *, programme_name: str) -> bytes:
    """The statement as a Word file: the summary paragraph, the 问题清单 table and the 整改措施
    per problem."""
    from docx import Document  # python-docx: loaded only when a statement is made
    from docx.shared import Pt

    s = summary
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(11)
    doc.core_properties.title = f"{s.unit.name}{s.phase.name}自查说明"
    doc.add_heading(f"{s.unit.name}{s.phase.name}自查说明", level=1)
    doc.add_paragraph(
        f"{programme_name}。{s.phase.name}（{s.phase.start:%Y年%m月%d日}—{s.phase.end:%Y年%m月%d日}），"
        f"本单位按照现场检查标准开展排查，建立排查台账，实施销号管理。截至 {s.as_of:%Y年%m月%d日}："
    )
    doc.add_paragraph(
        f"本阶段登记问题 {s.total} 个（其中本单位自查发现 {s.own_findings} 个），"
        f"已销号 {s.closed} 个（按期 {s.closed_on_time} 个），未销号 {s.open} 个，"
        f"其中逾期 {s.overdue} 个。"
    )
    if not s.rows:
        doc.add_paragraph("本阶段未登记问题。")
    doc.add_heading("一、问题清单", level=2)
    table = doc.add_table(rows=1, cols=7)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ("序号", "编号", "问题", "来源", "登记日期", "整改期限", "状态"),
        strict=True,
    ):
        cell.text = text
    for n, r in enumerate(s.rows, start=1):
        cells = table.add_row().cells
        values = (
            str(n),
            r.number,
            r.title,
            r.get_source_display(),
            f"{r.created_on:%Y-%m-%d}",
            f"{r.deadline:%Y-%m-%d}" + ("（暂定）" if r.deadline_provisional else ""),
            _state_as_of(r, s.as_of),
        )
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)
    doc.add_heading("二、整改措施", level=2)
    for n, r in enumerate(s.rows, start=1):
        doc.add_paragraph().add_run(f"{n}. {r.number} {r.title}").bold = True
        doc.add_paragraph(r.measures.strip() or "（尚未填写整改措施）")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
