"""Stream the rows of one .xlsx worksheet through python-calamine, a slice at a time.

python-calamine (like the Rust calamine under it) parses a whole worksheet into memory before
it hands out the first row: for 100,000 ledger rows that is over 100 MiB, and it grows with
the file. It has no streaming API (dimastbk/python-calamine#42: pyo3 cannot hand a borrowed
Rust iterator to Python). The pure-Python streaming readers are 3 to 6 times slower
(openpyxl's read-only mode took 5.7 s for those 100,000 rows, against calamine's 0.9 s).

So this module keeps calamine as the parser and bounds what it is given: the worksheet's XML
is decompressed as a stream and cut after a ``</row>`` end tag every ``SLICE_BYTES``; each
slice goes to calamine as a small workbook holding the original workbook part, styles and
shared strings, and the worksheet's own start (``<sheetData>`` and what precedes it) and end
(``</sheetData>`` and what follows: the merged ranges). Calamine still converts every cell
(numbers, dates from the number formats, shared and inline strings, errors), so values are
exactly those of a whole-sheet read; only the slicing is ours. Cells keep their ``r="B17"``
references, so positions are absolute in every slice.

The shared-strings table is the part that still grows with a file: Excel stores each distinct
text once there, and every reader keeps that table while it reads the cells that point into it.

A workbook this does not understand (no workbook part, a worksheet not found through the
relationships, no ``<sheetData>``) makes ``open_sheet_stream`` return None, and the caller
reads the sheet whole as before.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException, ElementTree
from python_calamine import CalamineWorkbook

from .xlsx_marks import Marks, mark_row, scan_piece, workbook_flags

#: Worksheet XML handed to python-calamine at a time (uncompressed bytes): about 4,000 rows
#: of a 14-column ledger. 4 MiB slices were 4% faster on 100,000 rows and held 30 MiB more;
#: 1 MiB slices held 10 MiB less and were 4% slower (benchmarks/imports.py).
SLICE_BYTES = 2 * 1024 * 1024
#: Decompressed bytes read from the ZIP member at a time.
READ_BYTES = 1024 * 1024
#: The longest row taken (its XML): a ledger row is a few KB.
MAX_ROW_BYTES = 16 * 1024 * 1024
#: The largest worksheet XML read (uncompressed): about 2,000,000 ledger rows. A 20 MB upload
#: can hold gigabytes of compressed ``<row/>`` (a "zip bomb").
MAX_SHEET_XML_BYTES = 1024 * 1024 * 1024
#: Empty rows between two rows of one slice beyond which the slice is cut there.
ROW_GAP = 10_000

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: Parts a slice workbook does not need: calamine reads none of them for cell values, and
#: embedded photos or pivot caches can be megabytes.
_DROPPED = (
    "xl/media/",
    "xl/drawings/",
    "xl/charts/",
    "xl/embeddings/",
    "xl/pivotCache/",
    "xl/pivotTables/",
    "xl/printerSettings/",
    "xl/externalLinks/",
    "xl/worksheets/_rels/",
    "xl/calcChain.xml",
    "docProps/",
)
_EMPTY_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData/></worksheet>"
)
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData(\s[^>]*)?(/?)>")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?/>")
_LAST_ROW = re.compile(rb'ref="[A-Za-z]*\d*:?[A-Za-z]*(\d+)"')
_FAR_CANDIDATE = re.compile(rb'r="[A-Za-z]{3}')
_FAR_CELL = re.compile(rb'r="([A-Za-z]{3,}\d+)"')
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s")
_SST_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst\b[^>]*>")
_SST_ITEM = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?si\b(?:[^>]*/>|[^>]*>.*?</(?:[A-Za-z_][\w.-]*:)?si>)", re.S
)
_SST_ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


class StreamError(Exception):
    """The worksheet XML could not be read part way through (a damaged or truncated file)."""


@dataclass
class SharedStrings:
    """The shared-strings table, with where each of its ``<si>`` items starts and ends.

    Each slice workbook gets a table with every item in its place but only those the slice
    may use filled in (the others empty ``<si/>``), so calamine does not parse the whole table
    again for every slice: that made reading quadratic in the number of distinct strings.
    Used only for a table larger than a slice; a smaller one is given whole to each slice.
    The items stay in the table's own bytes, located by two arrays (8 bytes an item), not as
    100,000 small bytes objects (about 60 bytes each).
    """

    part: str
    data: bytes
    starts: array[int]
    ends: array[int]
    body: tuple[int, int]
    value: re.Pattern[bytes]

    def for_slice(self, piece: bytes) -> bytes:
        """The table for ``piece``: the items whose index appears as a cell value there.

        Every whole number in a ``<v>`` is taken as a possible index (a number cell's value
        too), so the items kept are a superset of those the slice's string cells use."""
        data, starts, ends = self.data, self.starts, self.ends
        count = len(starts)
        used = [i for i in map(int, set(self.value.findall(piece))) if i < count]
        # Items after the last one used are left out: Excel numbers strings in the order it
        # first meets them, so a slice near the top of a sheet needs only the table's start.
        kept = [b"<si/>"] * (max(used) + 1 if used else 0)
        for index in used:
            kept[index] = data[starts[index] : ends[index]]
        first, last = self.body
        return b"".join((data[:first], *kept, data[last:]))


def _shared_strings(archive: zipfile.ZipFile, part: str, namespace: bytes) -> SharedStrings | None:
    data = archive.read(part)
    opening = _SST_OPEN.search(data)
    if opening is None or opening.group(0).endswith(b"/>"):  # no table, or an empty one
        return None
    body = (opening.end(), data.rfind(b"</"))
    starts, ends = array("Q"), array("Q")
    for item in _SST_ITEM.finditer(data, *body):
        starts.append(item.start())
        ends.append(item.end())
    # A table this split does not account for whole is given to calamine as it is.
    if len(starts) != sum(1 for _ in _SST_ITEM_START.finditer(data, *body)):
        return None
    value = re.compile(
        rb"<" + re.escape(namespace) + rb"v>\s*(\d+)\s*</" + re.escape(namespace) + rb"v>"
    )
    return SharedStrings(part=part, data=data, starts=starts, ends=ends, body=body, value=value)


@dataclass
class SheetStream:
    """One worksheet, read slice by slice.

    ``merged`` lists the merged ranges as ((first row, first col), (last row, last col)),
    0-based and inclusive, as python-calamine reports them; ``last_row`` is the 1-based number
    of the last row the worksheet's ``<dimension>`` declares, or None.
    """

    archive: zipfile.ZipFile
    part: str
    sheet: str
    skeleton: bytes
    prefix: bytes
    suffix: bytes
    start_row: bytes
    row_number: re.Pattern[bytes]
    end_data: bytes
    merged: list[Any]
    last_row: int | None
    slice_bytes: int = SLICE_BYTES
    strings: SharedStrings | None = None
    marks: Marks = field(default_factory=Marks)

    def rows(self) -> Iterator[list[Any]]:
        """Every row from the sheet's first (row 1 in Excel), cells as python-calamine gives
        them (an empty cell is ""); rows that hold no cell are []. Raises ``StreamError``
        when the compressed data is damaged, ``CalamineError`` when a slice is not valid."""
        produced = 0
        for piece in self._slices():
            uncalculated = scan_piece(piece, self.marks)
            start, cells = self._cells(piece)
            del piece
            if start is None:
                continue
            first_row, first_col = start
            pad = [""] * first_col
            while produced < first_row:
                if uncalculated and produced in uncalculated:
                    yield mark_row([], uncalculated[produced])
                else:
                    yield []
                produced += 1
            # Popped as they go, so that a slice's rows are freed as the caller drops them.
            cells.reverse()
            while cells:
                row = cells.pop()
                if first_col:
                    row = pad + row
                if uncalculated and produced in uncalculated:
                    row = mark_row(row, uncalculated[produced])
                produced += 1
                yield row

    def _cells(self, piece: bytes) -> tuple[tuple[int, int] | None, list[list[Any]]]:
        """The slice's first (row, column), 0-based, and its rows from there."""
        sheet = self._workbook(piece).get_sheet_by_name(self.sheet)
        if sheet.start is None:
            return None, []
        return sheet.start, sheet.to_python(skip_empty_area=True)

    def _workbook(self, piece: bytes) -> CalamineWorkbook:
        buffer = io.BytesIO(self.skeleton)
        buffer.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as book:
            book.writestr(self.part, b"".join((self.prefix, piece, self.suffix)))
            if self.strings is not None:
                book.writestr(self.strings.part, self.strings.for_slice(piece))
        buffer.seek(0)
        return CalamineWorkbook.from_filelike(buffer)

    def _slices(self) -> Iterator[bytes]:
        """The rows of ``<sheetData>`` in pieces of about ``slice_bytes``, each cut just before
        the start tag of a row, so that every piece holds whole rows (``<row/>`` too).

        Raises ``StreamError`` for a row longer than ``MAX_ROW_BYTES`` (nothing to cut it at)
        or a cell beyond column ZZ (see ``_checked``)."""
        pending = b""
        started = done = False
        for block in _decompressed(self.archive, self.part):
            pending += block
            if not started:
                found = _SHEET_DATA.search(pending)
                if found is None:
                    continue
                if found.group(3):  # <sheetData/>: no rows at all
                    return
                pending = pending[found.end() :]
                started = True
            end = pending.find(self.end_data)
            if end >= 0:
                pending, done = pending[:end], True
            while len(pending) >= self.slice_bytes:
                cut = self._cut(pending)
                if cut < 0:
                    break
                yield from self._checked(pending[:cut])
                pending = pending[cut:]
            if done:
                if pending.strip():
                    yield from self._checked(pending)
                return
            if len(pending) > MAX_ROW_BYTES:
                raise StreamError(
                    f"工作表中有一行的数据超过 {MAX_ROW_BYTES // 2**20} MB，不是正常的台账行"
                )
        if started:
            raise StreamError("工作表的数据不完整（缺少结尾），文件可能没有保存或上传完整")

    def _cut(self, data: bytes) -> int:
        """Where to cut ``data`` (at least a slice long): before the last row that starts in
        its first ``slice_bytes``; when its first row is longer, before the row after it; -1
        when that row has not ended in ``data``."""
        cut = self._last_row_start(data, self.slice_bytes)
        if cut > 0:
            return cut
        return self._next_row_start(data, 1)

    def _is_row_start(self, data: bytes, at: int) -> bool:
        after = data[at + len(self.start_row) : at + len(self.start_row) + 1]
        return after in (b" ", b">", b"/", b"\t", b"\r", b"\n")

    def _last_row_start(self, data: bytes, end: int | None = None) -> int:
        """Where the last row's start tag before ``end`` begins in ``data``; -1 if none."""
        end = len(data) if end is None else end
        while (at := data.rfind(self.start_row, 0, end)) >= 0:
            if self._is_row_start(data, at):
                return at
            end = at
        return -1

    def _next_row_start(self, data: bytes, begin: int) -> int:
        """Where the first row's start tag from ``begin`` on begins in ``data``; -1 if none."""
        while (at := data.find(self.start_row, begin)) >= 0:
            if self._is_row_start(data, at):
                return at
            begin = at + 1
        return -1

    def _checked(self, piece: bytes) -> Iterator[bytes]:
        """``piece`` as python-calamine may take it, in one part or more.

        calamine fills every cell of the rectangle from a slice's first to its last cell, so
        one stray cell far away (XFD1048576) would make it allocate gigabytes. A cell beyond
        column ZZ is refused (no ledger is that wide); a piece whose rows jump by more than
        ``ROW_GAP`` is cut at each jump, so that each part's rectangle holds its own rows.
        """
        # A literal-prefix search scans a 2 MiB slice in about 1.5 ms (a full pattern took
        # 12 ms); each candidate is then checked to be the reference of a cell's start tag.
        for candidate in _FAR_CANDIDATE.finditer(piece):
            at = candidate.start()
            tag = piece[piece.rfind(b"<", 0, at) : at]
            far = _FAR_CELL.match(piece, at)
            spaced = piece[at - 1 : at].isspace()
            if far is not None and spaced and b">" not in tag and _CELL_TAG.match(tag):
                ref = far.group(1).decode("ascii", "replace")
                raise StreamError(
                    f"单元格 {ref} 有内容，超出了台账可用的列范围（最多到 ZZ 列）；"
                    "请删除表格右侧多余的内容后再导入"
                )
        first = self.row_number.search(piece)
        last_at = self._last_row_start(piece)
        last = self.row_number.match(piece, last_at) if last_at >= 0 else None
        if first is None or last is None:
            yield piece
            return
        span = int(last.group(1)) - int(first.group(1))
        if span <= 2 * piece.count(self.start_row) + ROW_GAP:
            yield piece
            return
        start, previous = 0, None
        for found in self.row_number.finditer(piece):
            number = int(found.group(1))
            if previous is not None and number - previous > ROW_GAP:
                yield piece[start : found.start()]
                start = found.start()
            previous = number
        yield piece[start:]


def open_sheet_stream(
    source: bytes | Path, sheet: str, *, slice_bytes: int | None = None
) -> SheetStream | None:
    """A ``SheetStream`` for worksheet ``sheet`` of the .xlsx ``source`` (bytes or a path), or
    None when the workbook is not laid out as this module expects (the caller then reads the
    sheet whole). Raises ``zipfile.BadZipFile``, ``StreamError`` or python-calamine's
    ``CalamineError`` for a damaged file."""
    slice_bytes = slice_bytes or SLICE_BYTES
    archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    names = set(archive.namelist())
    try:
        workbook_part = _workbook_part(archive, names)
        if workbook_part is None:
            return None
        targets = _targets(archive, names, workbook_part)
        parts = _sheet_parts(archive, workbook_part, targets)
    except (ElementTree.ParseError, DefusedXmlException):
        return None  # python-calamine reads it whole, or says what is wrong with it
    part = parts.get(sheet)
    if part is None or part not in names:
        return None
    size = archive.getinfo(part).file_size
    if size > MAX_SHEET_XML_BYTES:
        raise StreamError(
            f"工作表“{sheet}”解压后有 {size // 2**20} MB，超过上限 "
            f"{MAX_SHEET_XML_BYTES // 2**20} MB，不是正常的台账文件"
        )
    prefix, suffix, namespace = _frame(archive, part)
    if prefix is None:
        return None
    strings = None
    for kind, path in targets.values():
        # A table smaller than a slice costs calamine less to parse again than the pruning.
        if kind.endswith("/sharedStrings") and path in names:
            if archive.getinfo(path).file_size > slice_bytes:
                strings = _shared_strings(archive, path, namespace)
    skeleton = io.BytesIO()
    with zipfile.ZipFile(skeleton, "w", zipfile.ZIP_STORED) as book:
        for info in archive.infolist():
            name = info.filename
            if name == part or name.startswith(_DROPPED) or name.endswith("/"):
                continue
            if strings is not None and name == strings.part:
                continue
            book.writestr(name, _EMPTY_SHEET if name in parts.values() else archive.read(info))
    stream = SheetStream(
        archive=archive,
        part=part,
        sheet=sheet,
        skeleton=skeleton.getvalue(),
        prefix=_DIMENSION.sub(b"", prefix),
        suffix=suffix,
        start_row=b"<" + namespace + b"row",
        row_number=re.compile(rb"<" + re.escape(namespace) + rb'row\b[^>]*?\br="(\d+)"'),
        end_data=b"</" + namespace + b"sheetData>",
        merged=[],
        last_row=_declared_last_row(prefix),
        slice_bytes=slice_bytes,
        strings=strings,
        marks=workbook_flags(archive, workbook_part),
    )
    # The merged ranges are in the worksheet's end part: any slice workbook reports them.
    stream.merged = stream._workbook(b"").get_sheet_by_name(sheet).merged_cell_ranges or []
    return stream


def _decompressed(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    try:
        with archive.open(part) as member:
            while block := member.read(READ_BYTES):
                yield block
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise StreamError(
            f"Excel 文件已损坏（工作表数据解压失败），请用 Excel 打开并重新保存后再导入（技术信息：{exc}）"
        ) from exc


def _frame(archive: zipfile.ZipFile, part: str) -> tuple[bytes | None, bytes, bytes]:
    """(the XML up to and with ``<sheetData>``, from ``</sheetData>`` to the end, the
    namespace prefix of its tags such as b"x:"); (None, …) when there is no ``<sheetData>``."""
    head = b""
    prefix: bytes | None = None
    namespace = b""
    tail = b""
    end_tag = b""
    for block in _decompressed(archive, part):
        if prefix is None:
            head += block
            found = _SHEET_DATA.search(head)
            if found is None:
                continue
            namespace = found.group(1) or b""
            end_tag = b"</" + namespace + b"sheetData>"
            if found.group(3):  # <sheetData/>: slices (there are none) get an open element
                prefix = head[: found.start()] + b"<" + namespace + b"sheetData>"
                tail, block = end_tag, head[found.end() :]
            else:
                prefix = head[: found.end()]
                block = head[found.end() :]
        # Keep only what may hold the end tag: the tail of the last block, then everything
        # after the end tag once it is seen.
        if tail.startswith(end_tag):
            tail += block
        else:
            tail = (tail[-len(end_tag) :] if tail else b"") + block
            at = tail.find(end_tag)
            tail = tail[at:] if at >= 0 else tail[-len(end_tag) :]
    if prefix is None:
        return None, b"", namespace
    if not tail.startswith(end_tag):
        raise StreamError("工作表的数据不完整（缺少结尾），文件可能没有保存或上传完整")
    return prefix, tail, namespace


def _workbook_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    target = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in _relationships(archive, "_rels/.rels"):
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", target).lstrip("/")
    # An .xlsb workbook (xl/workbook.bin) is binary: python-calamine reads it whole.
    return target if target in names and target.endswith(".xml") else None


def _targets(
    archive: zipfile.ZipFile, names: set[str], workbook_part: str
) -> dict[str, tuple[str, str]]:
    """The workbook part's relationships: id → (type, part path)."""
    folder, file = posixpath.split(workbook_part)
    rels_part = posixpath.join(folder, "_rels", file + ".rels")
    if rels_part not in names:
        return {}
    targets = {}
    for rel in _relationships(archive, rels_part):
        target = rel.get("Target", "")
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(folder, target))
        targets[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return targets


def _sheet_parts(
    archive: zipfile.ZipFile, workbook_part: str, targets: dict[str, tuple[str, str]]
) -> dict[str, str]:
    """Sheet name → worksheet part, through the workbook's relationships."""
    root = ElementTree.fromstring(archive.read(workbook_part))
    parts = {}
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            rel_id = element.get(f"{{{_DOC_REL}}}id") or element.get("id")
            name = element.get("name")
            if rel_id in targets and name is not None:
                parts[name] = targets[rel_id][1]
    return parts


def _relationships(archive: zipfile.ZipFile, part: str) -> list[Element]:
    root = ElementTree.fromstring(archive.read(part))
    return [e for e in root if e.tag in (f"{{{_REL_NS}}}Relationship", "Relationship")]


def _declared_last_row(prefix: bytes) -> int | None:
    found = _DIMENSION.search(prefix)
    if found is None:
        return None
    number = _LAST_ROW.search(found.group(0))
    return int(number.group(1)) if number else None
