"""Readers: an Excel workbook or a CSV file as a header row plus numbered data rows.

The kind of file is told from its first bytes, not its name: a ZIP container (.xlsx, .ods) or
an OLE2 compound file (.xls) goes to python-calamine, anything else is read as CSV. A CSV's
encoding is found by trying decodes in turn: UTF-8 (with or without BOM), then GB18030 (a
superset of GBK and GB2312), which is what Excel on Chinese Windows writes.

Row numbers are those the user sees in Excel: the first row of the sheet is row 1, whether or
not it is empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class ReadError(Exception):
    """The file cannot be read as a table; ``reason`` is in Chinese."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass
class Table:
    """A sheet as read: ``header`` cells, and ``rows`` as (row number, cells) pairs.

    ``header_row`` is the row number of the header. ``sheet`` is the sheet name ("" for CSV).
    """

    file: str
    sheet: str
    header_row: int
    header: list[Any]
    rows: list[tuple[int, list[Any]]]


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def read_table(path: Path, *, sheet: str | None = None, data: bytes | None = None) -> Table:
    """Read ``path`` (or its already loaded bytes ``data``) into a ``Table``.

    ``sheet`` picks a worksheet by name; default the first one. Raises ``ReadError`` when the
    file is not a readable table, the sheet does not exist, or the file is empty.
    """
    if data is None:
        data = path.read_bytes()
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        sheet_name, cells = _read_workbook(data, sheet)
    else:
        sheet_name, cells = "", _read_csv(data)
    header_index = locate_header(cells)
    if header_index is None:
        raise ReadError("文件中没有数据（找不到表头行）")
    rows = [
        (index + 1, list(cells[index]))
        for index in range(header_index + 1, len(cells))
        if not all(is_blank(v) for v in cells[index])
    ]
    return Table(
        file=path.name,
        sheet=sheet_name,
        header_row=header_index + 1,
        header=list(cells[header_index]),
        rows=rows,
    )


def locate_header(cells: Sequence[Sequence[Any]]) -> int | None:
    """Index of the header row: the first row with any value.

    This is the hook where header search (a title row above the table, synonyms) will go; for
    now the table must start with its header.
    """
    for index, row in enumerate(cells):
        if not all(is_blank(v) for v in row):
            return index
    return None


def _read_workbook(data: bytes, sheet: str | None) -> tuple[str, list[list[Any]]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise ReadError(f"无法读取Excel文件：{exc}") from exc
    names = workbook.sheet_names
    if not names:
        raise ReadError("工作簿中没有工作表")
    if sheet is None:
        name = names[0]
    elif sheet in names:
        name = sheet
    else:
        raise ReadError(f"找不到工作表“{sheet}”，现有：{'、'.join(names)}")
    try:
        # skip_empty_area=False keeps leading empty rows so that row numbers match Excel's.
        cells = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as exc:
        raise ReadError(f"无法读取工作表“{name}”：{exc}") from exc
    return name, [list(row) for row in cells]


def decode_text(data: bytes) -> str:
    """Decode CSV bytes by trying UTF-8 (BOM or not) and then GB18030/GBK."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV，或 Excel 文件")


def _read_csv(data: bytes) -> list[list[Any]]:
    if b"\x00" in data[:4096]:
        raise ReadError("文件不是 Excel 或 CSV 表格")
    text = decode_text(data)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise ReadError(f"CSV 格式错误：{exc}") from exc
