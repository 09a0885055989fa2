"""The self-evaluation report (自查自评报告) as a Word document (python-docx).

Layout follows the feel of GB/T 9704-2012 (党政机关公文格式): A4, margins 37 mm top, 28 mm left,
35 mm bottom, 26 mm right; title in 方正小标宋简体 二号 (22 pt); body in 仿宋_GB2312 三号 (16 pt)
with a fixed 28 pt line pitch; first-level headings 黑体, second-level 楷体_GB2312; page numbers
"— 1 —" in 宋体 四号. Fonts are only named (with ``w:eastAsia`` for Chinese text), never embedded:
Word substitutes what the reader's machine has.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from foodsafe.reports.formatting import (
    EXAMPLE_NOTICE_ZH,
    GAP_STATUSES,
    cn_number,
    creation_phrase,
    date_zh,
    definition_notes,
    format_target,
    format_value,
    gap_text,
    gap_with_notes,
    grouped,
    overall_zh,
    reporting_sentence,
    units_text,
)
from foodsafe.scorecard.results import Scorecard, Status, VetoStatus

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    from foodsafe.programme.spec import ProgrammeSpec

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)

# Column widths of the indicator tables (mm); the type area is 210 - 28 - 26 = 156 mm wide.
TABLE_FONT_PT = 10.5  # 五号
TABLE_HEADERS = ("序号", "指标", "数值", "目标", "状态", "差距")
TABLE_WIDTHS_MM = (12, 44, 22, 24, 24, 30)


def report_title(scorecard: Scorecard) -> str:
    """``和平区2021年创建国家食品安全示范城市工作自查自评报告`` from the org unit, period and
    the programme's name."""
    return (
        f"{scorecard.org_unit.name}{scorecard.period.label}"
        f"{creation_phrase(scorecard.programme_name)}工作自查自评报告"
    )


def scorecard_to_docx(
    scorecard: Scorecard, path: str | Path, spec: ProgrammeSpec | None = None
) -> Path:
    """Write the self-evaluation report of ``scorecard`` to ``path`` (.docx) and return the path.

    ``spec``, when given, adds the plan's document number and the next phase of the plan.
    """
    path = Path(path)
    _document(scorecard, spec).save(str(path))
    return path


def scorecard_docx_bytes(scorecard: Scorecard, spec: ProgrammeSpec | None = None) -> bytes:
    """The same report as :func:`scorecard_to_docx`, built in memory for a download."""
    buffer = io.BytesIO()
    _document(scorecard, spec).save(buffer)
    return buffer.getvalue()


def _document(scorecard: Scorecard, spec: ProgrammeSpec | None) -> DocumentType:
    doc = Document()
    _setup_page(doc, example=scorecard.org_unit.is_example)
    _setup_styles(doc)
    _write_body(doc, scorecard, spec)
    doc.core_properties.title = report_title(scorecard)
    doc.core_properties.subject = scorecard.programme_name
    doc.core_properties.author = "foodsafe"
    if scorecard.org_unit.is_example:
        doc.core_properties.keywords = "示例数据"
    return doc


# --- fonts and page --------------------------------------------------------------------------


def _set_fonts(element_rpr_owner, east_asia: str, latin: str = LATIN_FONT) -> None:  # noqa: ANN001
    """Name the Latin and East Asian fonts on a run or style, dropping theme font references
    (which would otherwise win over the names)."""
    rpr = element_rpr_owner.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
    color: RGBColor | None = None,
) -> Run:
    run = paragraph.add_run(text)
    _set_fonts(run._element, font)
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _setup_page(doc: DocumentType, *, example: bool) -> None:
    """A4 portrait, the layout's margins, "— n —" page numbers; ``example`` puts "示例数据 仅供
    演示" in the header. Shared with ``reports.official`` (材料清单, 工作简报)."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    if example:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(header, "示例数据 仅供演示", font=HEADING_FONT, size=10.5, color=RED)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", font=PAGE_NUMBER_FONT, size=14)
    _page_field(_run(footer, "", font=PAGE_NUMBER_FONT, size=14))
    _run(footer, " —", font=PAGE_NUMBER_FONT, size=14)


def _page_field(run: Run) -> None:
    """Turn ``run`` into a PAGE field (the current page number)."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    number = OxmlElement("w:t")
    number.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, number, end):
        run._element.append(element)


def _setup_styles(doc: DocumentType) -> None:
    normal = doc.styles["Normal"]
    _set_fonts(normal.element, BODY_FONT)
    normal.font.size = Pt(16)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    for name, font in (("Heading 1", HEADING_FONT), ("Heading 2", SUBHEADING_FONT)):
        style = doc.styles[name]
        _set_fonts(style.element, font)
        style.font.size = Pt(16)
        style.font.bold = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        pf = style.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(28)
        pf.space_before = pf.space_after = Pt(0)
        pf.first_line_indent = Pt(32)
        pf.keep_with_next = True
    table_style = doc.styles["Table Grid"]
    _set_fonts(table_style.element, BODY_FONT)
    table_style.font.size = Pt(TABLE_FONT_PT)


# --- content ---------------------------------------------------------------------------------


def _body(doc: DocumentType, text: str = "", *, indent: bool = True) -> Paragraph:
    paragraph = doc.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 16 pt
    if text:
        _run(paragraph, text)
    return paragraph


def _heading(doc: DocumentType, text: str, level: int) -> Paragraph:
    paragraph = doc.add_paragraph(style=f"Heading {level}")
    _run(paragraph, text, font=HEADING_FONT if level == 1 else SUBHEADING_FONT)
    return paragraph


def _write_body(doc: DocumentType, scorecard: Scorecard, spec: ProgrammeSpec | None) -> None:
    org, period = scorecard.org_unit, scorecard.period
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    # A long title breaks before 工作自查自评报告 rather than mid-word (GB/T 9704 7.3.2).
    head, sep, tail = report_title(scorecard).rpartition("工作自查自评报告")
    lines = [head, sep + tail] if head and len(head + sep) > 18 else [head + sep + tail]
    for i, line in enumerate(lines):
        run = _run(title, line, font=TITLE_FONT, size=22)
        if i < len(lines) - 1:
            run.add_break()
    if org.is_example:
        notice = doc.add_paragraph()
        notice.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(notice, EXAMPLE_NOTICE_ZH, font=HEADING_FONT, size=14, bold=True, color=RED)
    doc.add_paragraph()

    counts = scorecard.counts()
    plan = f"《{scorecard.programme_name}》"
    if spec is not None:
        plan += f"（{spec.programme.document_number}）"
    _body(
        doc,
        f"根据{plan}要求，{org.name}对照{len(scorecard.items)}项重点任务、"
        f"{len(scorecard.indicators)}项量化指标和{len(scorecard.vetoes)}项否决项，"
        f"以截至{date_zh(scorecard.as_of)}的台账数据为准"
        + (
            f"（台账数据截至{date_zh(scorecard.data_through)}）"
            if scorecard.data_through_zh and scorecard.data_through
            else ""
        )
        + f"，对{period.label}"
        f"（{date_zh(period.start)}至{date_zh(period.end)}）创建工作开展了自查自评。"
        "现将有关情况报告如下。",
    )

    _heading(doc, "一、总体情况", 1)
    item_counts = {s: sum(it.status is s for it in scorecard.items) for s in Status}
    _body(
        doc,
        f"经自查，{len(scorecard.indicators)}项量化指标中，达标{counts['met']}项，"
        f"未达标{counts['not_met']}项，无数据{counts['no_data']}项，"
        f"待核验材料{counts['evidence_needed']}项"
        + (f"，数据不完整{counts['incomplete']}项" if counts["incomplete"] else "")
        + (f"，不适用{counts['not_applicable']}项" if counts["not_applicable"] else "")
        + (f"，按年度判定{counts['annual']}项" if counts["annual"] else "")
        + f"；{len(scorecard.items)}项重点任务中，"
        f"达标{item_counts[Status.MET]}项，未达标{item_counts[Status.NOT_MET]}项，"
        f"无数据{item_counts[Status.NO_DATA]}项，待核验材料{item_counts[Status.EVIDENCE_NEEDED]}项"
        + (
            f"，数据不完整{item_counts[Status.INCOMPLETE]}项"
            if item_counts[Status.INCOMPLETE]
            else ""
        )
        + (f"，按年度判定{item_counts[Status.ANNUAL]}项" if item_counts[Status.ANNUAL] else "")
        + "。"
        f"{_veto_sentence(scorecard)}总体结果：{overall_zh(scorecard)}。",
    )
    if scorecard.reporting:
        _body(doc, reporting_sentence(scorecard))

    _heading(doc, "二、指标完成情况", 1)
    for view in grouped(scorecard):
        _heading(doc, f"（{cn_number(view.group.number)}）{view.group.title}", 2)
        rows = [
            (
                str(ind.item),
                ind.name,
                format_value(ind),
                format_target(ind),
                ind.status_zh,
                gap_with_notes(ind, met="—"),
            )
            for ind in view.indicators
        ]
        rows += [
            (
                str(it.number),
                f"{it.title}（材料核验）",
                "—",
                "—",
                it.status_zh,
                "—" if it.status is Status.MET else (it.missing_zh or "报送佐证材料"),
            )
            for it in view.items_without_indicators
        ]
        rows.sort(key=lambda r: int(r[0]))
        _table(doc, rows)

    _heading(doc, "三、否决项情况", 1)
    _body(doc, _veto_sentence(scorecard))
    for veto in sorted(scorecard.vetoes, key=lambda v: v.number):
        basis = f"依据：{veto.basis}。" if veto.basis else ""
        paragraph = _body(doc)
        _run(paragraph, f"{veto.number}．{veto.text}：")
        _run(paragraph, veto.status_zh, bold=veto.status is VetoStatus.VETOED)
        _run(paragraph, f"。{basis}")

    _heading(doc, "四、差距与责任单位", 1)
    _write_gaps(doc, scorecard)

    if spec is not None:
        upcoming = [p for p in spec.phases if p.end >= scorecard.as_of]
        if upcoming:
            phase = min(upcoming, key=lambda p: p.start)
            _heading(doc, "五、下一步工作", 1)
            _body(
                doc,
                f"按照实施方案，{phase.name}（{date_zh(phase.start)}至{date_zh(phase.end)}）"
                "各责任单位要对照上述差距制定排查台账，实施销号管理，按时报送整改情况。",
            )

    doc.add_paragraph()
    for text in (f"{org.name}创城办", date_zh(scorecard.as_of)):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(64)  # 4 characters, as GB/T 9704 7.3.5
        _run(paragraph, text)


def _veto_sentence(scorecard: Scorecard) -> str:
    vetoed = [v for v in scorecard.vetoes if v.status is VetoStatus.VETOED]
    if vetoed:
        numbers = "、".join(f"第{v.number}项" for v in vetoed)
        return f"否决项{numbers}已触发，创建工作一票否决。"
    annual = sum(v.status is VetoStatus.ANNUAL for v in scorecard.vetoes)
    if annual and annual == len(scorecard.vetoes):
        return f"否决项按全年判定，本期（{scorecard.period.label}）不判定否决。"
    clear = sum(v.status is VetoStatus.CLEAR for v in scorecard.vetoes)
    pending = len(scorecard.vetoes) - clear
    text = f"{len(scorecard.vetoes)}项否决项中，{clear}项未触发"
    if pending:
        text += f"，{pending}项待认定或暂无数据，须尽快核实"
    return text + "。"


def _write_gaps(doc: DocumentType, scorecard: Scorecard) -> None:
    gaps = [
        i for i in sorted(scorecard.indicators, key=lambda i: i.item) if i.status in GAP_STATUSES
    ]
    if not gaps:
        _body(doc, "全部量化指标均已达标。")
    for n, ind in enumerate(gaps, start=1):
        paragraph = _body(doc)
        _run(paragraph, f"{n}．{ind.name}（第{ind.item}项）。", bold=True)
        _run(
            paragraph,
            f"当前{'暂无数据' if ind.value is None else format_value(ind)}，目标{format_target(ind)}，{ind.status_zh}；"
            f"差距：{gap_text(ind)}。责任单位：{units_text(ind.responsible_units)}。",
        )
        notes = definition_notes(ind)
        if notes:
            _run(paragraph, f"另：{'；'.join(notes)}。")
    short_items = [
        it
        for it in scorecard.items
        if it.indicators and it.status is Status.EVIDENCE_NEEDED and it.missing_evidence
    ]
    if short_items:
        _body(
            doc,
            f"另有{len(short_items)}项任务的量化指标已达标，但佐证材料尚未核验通过："
            + "；".join(f"第{it.number}项{it.title}（{it.missing_zh}）" for it in short_items)
            + "。",
        )
    pending_items = [
        it for it in scorecard.items if not it.indicators and it.status is not Status.MET
    ]
    if pending_items:
        _body(
            doc,
            f"另有{len(pending_items)}项任务须以佐证材料核验："
            + "、".join(f"第{it.number}项{it.title}" for it in pending_items)
            + "，请各责任单位按任务清单报送档案资料。",
        )
    by_unit: OrderedDict[str, list[str]] = OrderedDict()
    for ind in gaps:
        for unit in ind.responsible_units:
            by_unit.setdefault(unit, []).append(ind.name)
    if by_unit:
        _heading(doc, "按责任单位汇总", 2)
        for unit, names in by_unit.items():
            paragraph = _body(doc)
            _run(paragraph, f"{unit}：", bold=True)
            _run(paragraph, "、".join(names) + "。")


def _table(doc: DocumentType, rows: Sequence[tuple[str, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(TABLE_HEADERS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, TABLE_HEADERS, strict=True):
        _cell(cell, text, font=HEADING_FONT, center=True)
    for values in rows:
        row = table.add_row()
        _keep_row_together(row)
        cells = row.cells
        for col, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, center=col in (0, 4), bold=col == 4 and text == "未达标")
    # Word reads the cell widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, TABLE_WIDTHS_MM, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, TABLE_WIDTHS_MM, strict=True):
            cell.width = Mm(width)
    doc.add_paragraph()


def _cell(
    cell: _Cell, text: str, *, font: str = BODY_FONT, center: bool = False, bold: bool = False
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, font=font, size=TABLE_FONT_PT, bold=bold)


def _row_flag(row, tag: str) -> None:  # noqa: ANN001 - docx.table._Row
    trpr = row._tr.get_or_add_trPr()
    marker = OxmlElement(tag)
    marker.set(qn("w:val"), "true")
    trpr.append(marker)


def _repeat_header(row) -> None:  # noqa: ANN001
    """Repeat this row at the top of each page the table runs onto."""
    _row_flag(row, "w:tblHeader")


def _keep_row_together(row) -> None:  # noqa: ANN001
    """Never split this row across two pages."""
    _row_flag(row, "w:cantSplit")
