"""What python-calamine does not tell about an .xlsx file, read from its XML.

* ``date1904``: whether the workbook counts dates from 1904-01-01 (``<workbookPr
  date1904="1"/>``, ECMA-376 Part 1 §18.2.28; Excel for Mac before 2011 wrote it). python-calamine
  converts a date-formatted cell correctly, but a bare serial number in a date column must be
  read with the workbook's epoch, or it comes out 1462 days (4 years and 1 day) early.
* Formula cells without a computed value. A script (openpyxl, XlsxWriter) writes the formula
  only: openpyxl writes ``<f>1+1</f><v></v>`` and XlsxWriter ``<v>0</v>``, and both ask Excel to
  recompute on opening (``<calcPr fullCalcOnLoad="1"/>``). python-calamine gives "" or 0 for
  them: a wrong value. Such a cell becomes ``Uncalculated`` and is refused as 公式未计算.
* Hidden rows (``<row hidden="1">``): counted, so that the preview can say they were imported.

Hidden sheets come from python-calamine's ``sheets_metadata``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(?:1|true)\"")
_FULL_CALC = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad=\"(?:1|true)\"")
_HIDDEN_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*\bhidden=\"(?:1|true)\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>")


@dataclass(frozen=True)
class Uncalculated:
    """A formula cell whose value was never computed (the file was written by a program)."""

    formula: str

    def __str__(self) -> str:
        return f"={self.formula}" if self.formula else "（公式）"


UNCALCULATED_REASON = (
    "公式未计算（not calculated）：该单元格是公式，文件中没有计算结果（多见于程序生成的文件）；"
    "请用 Excel 打开并保存后再导入，或把公式换成数值"
)


@dataclass
class Marks:
    """The workbook-wide flags and the counts found while a sheet is read."""

    date1904: bool = False
    full_calc: bool = False
    hidden_rows: int = 0
    hidden_sheets: list[str] = field(default_factory=list)


def workbook_flags(archive: zipfile.ZipFile, part: str = "xl/workbook.xml") -> Marks:
    """``date1904`` and ``full_calc`` from the workbook part (its first 64 KiB: the flags sit
    before the sheet list and defined names)."""
    try:
        with archive.open(part) as handle:
            head = handle.read(65536)
    except KeyError:
        return Marks()
    return Marks(
        date1904=_DATE1904.search(head) is not None, full_calc=_FULL_CALC.search(head) is not None
    )


def column_index(letters: bytes) -> int:
    """0-based index of an Excel column name: A → 0, AA → 26."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def scan_piece(piece: bytes, marks: Marks) -> dict[int, list[tuple[int, Uncalculated]]]:
    """Count ``piece``'s hidden rows into ``marks``; its formula cells without a computed value
    as {row: [(column, ``Uncalculated``)]}, 0-based.

    A piece without "<f" (or a prefixed "x:f") is not parsed further: a literal search costs a
    fraction of a millisecond per 2 MiB slice.
    """
    if b"hidden=" in piece:
        marks.hidden_rows += len(_HIDDEN_ROW.findall(piece))
    if b"<f" not in piece and b":f>" not in piece and b":f " not in piece:
        return {}
    found: dict[int, list[tuple[int, Uncalculated]]] = {}
    for cell in _CELL.finditer(piece):
        body = cell.group(2)
        if not body:
            continue
        formula = _FORMULA.search(body)
        if formula is None:
            continue
        if not marks.full_calc and _VALUE.search(body) is not None:
            continue
        ref = _REF.search(cell.group(1))
        if ref is None:
            continue
        text = (formula.group(1) or b"").decode("utf-8", "replace")
        mark = Uncalculated(_unescape(text))
        found.setdefault(int(ref.group(2)) - 1, []).append((column_index(ref.group(1)), mark))
    return found


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def mark_row(row: list[Any], marks: list[tuple[int, Uncalculated]]) -> list[Any]:
    """``row`` with its ``Uncalculated`` cells put in (a new list: calamine's may be shared)."""
    row = list(row)
    for c, mark in marks:
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        row[c] = mark
    return row
