"""Building blocks of a Word document in the official-document layout the self-evaluation
report uses (``reports.docx``: GB/T 9704-2012 feel — A4, 37/28/35/26 mm margins, 方正小标宋简体
title, 仿宋_GB2312 三号 body at a fixed 28 pt pitch, "— 1 —" page numbers), for other documents
made in the workflow: the 资料清单目录 of 材料报送 and the 工作简报 of 信息报送.

python-docx is imported with this module: import it inside the function that needs it, never
from a module the URL conf loads (tests/web/test_startup_imports.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from foodsafe.reports.docx import (
    BODY_FONT,
    HEADING_FONT,
    RED,
    TITLE_FONT,
    _cell,
    _keep_row_together,
    _repeat_header,
    _run,
    _setup_page,
    _setup_styles,
)

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.text.paragraph import Paragraph


def official_document(*, title: str, example: bool = False) -> DocumentType:
    """A blank A4 document with the layout's page, styles and page numbers; ``example`` puts
    "示例数据 仅供演示" in the header."""
    doc = Document()
    _setup_page(doc, example=example)
    _setup_styles(doc)
    doc.core_properties.title = title
    doc.core_properties.author = "foodsafe"
    if example:
        doc.core_properties.keywords = "示例数据"
    return doc


def title(doc: DocumentType, text: str, *, size: float = 22, red: bool = False) -> Paragraph:
    """The centred title (方正小标宋简体 二号), red for a 简报's masthead."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(max(36, size * 1.6))
    _run(paragraph, text, font=TITLE_FONT, size=size, color=RED if red else None)
    return paragraph


def centred(doc: DocumentType, text: str, *, font: str = BODY_FONT, size: float = 16) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, font=font, size=size)
    return paragraph


def body(doc: DocumentType, text: str = "", *, indent: bool = True) -> Paragraph:
    """A body paragraph (仿宋_GB2312 三号), first line indented two characters."""
    paragraph = doc.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    if text:
        _run(paragraph, text)
    return paragraph


def heading(doc: DocumentType, text: str, level: int = 1) -> Paragraph:
    """一级标题 黑体, 二级标题 楷体_GB2312."""
    paragraph = doc.add_paragraph(style=f"Heading {level}")
    _run(paragraph, text, font=HEADING_FONT if level == 1 else "楷体_GB2312")
    return paragraph


def table(
    doc: DocumentType,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float],
) -> None:
    """A grid table (五号), the header row repeated on each page, rows never split."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _repeat_header(grid.rows[0])
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        _cell(cell, text, font=HEADING_FONT, center=True)
    for values in rows:
        row = grid.add_row()
        _keep_row_together(row)
        for col, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            _cell(cell, str(text), center=col == 0)
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def to_bytes(doc: DocumentType) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
