"""Readers: an Excel workbook or a CSV file as a header row plus numbered data rows.

The kind of file is told from its content, never its name: a ZIP container holding a workbook
(.xlsx, .ods) or an OLE2 compound file (.xls) goes to python-calamine; text goes to the CSV
reader, whose encoding is found from the bytes (UTF-8 with or without BOM, UTF-16 with BOM as
Excel's "Unicode text" writes it, else GB18030, a superset of GBK and GB2312, which is what Excel
on Chinese Windows writes). Anything else (a PDF, an image, a Word document, a truncated
download) is refused with a reason in Chinese.

Headers are matched forgivingly (``normalize_header``): spaces anywhere (also the ideographic
space U+3000 and line breaks), full-width letters and brackets (NFKC), a "*" marking a required
column, a "（必填）" note, and the synonyms a ledger column lists. When the expected columns are
known, the header row is the row among the first ``HEADER_SCAN_ROWS`` non-blank rows that
matches the most of them, so a title row (often merged across the table) above the header is
skipped. Merged cells below the header are filled with their value, as the user reads them.

Row numbers are those the user sees in Excel: the first row of the sheet is row 1, whether or
not it is empty. For a CSV file, row N is the Nth record.

``read_table`` streams: only the first rows (the header search) are held; ``Table.rows`` yields
the data rows one at a time. An .xlsx sheet read from a path is decompressed as it is read and
handed to python-calamine a slice at a time (``xlsx_stream``), so an import holds one slice and
one chunk of rows, not the sheet; an .xls sheet is read whole by python-calamine (.xlsb and
.ods workbooks are refused: they cannot be read in slices). A
CSV file read from a path is decoded as its records are used (``iter_csv_file``).
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from .csv_text import iter_csv_cells, iter_csv_file, read_csv_cells
from .errors_read import ReadError as ReadError
from .headers import normalize_header as normalize_header
from .xls_marks import XlsMarksError, xls_date1904
from .xlsx_marks import Marks
from .xlsx_stream import StreamError, open_sheet_stream

if TYPE_CHECKING:
    from .ledgers.base import Column

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Columns a ledger sheet may use (A … ZZ); no ledger is wider.
MAX_COLUMNS = 702
#: How many non-blank rows from the top are searched for the header row.
HEADER_SCAN_ROWS = 10

#: First bytes of files people upload by mistake, with what to call them.
_NOT_SPREADSHEETS = (
    (b"%PDF", "PDF 文件"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)


@dataclass
class Table:
    """A sheet as read: ``header`` cells, and ``rows`` as (row number, cells) pairs.

    ``header_row`` is the row number of the header. ``sheet`` is the sheet name ("" for CSV).
    ``rows`` skips blank rows; from ``read_table`` it is an iterator, to be read once (it may
    raise ``ReadError`` part way through a damaged file). ``last_row`` is the number of the
    sheet's last row when known (for a progress bar), else None. ``marks`` holds the workbook's
    date system and the hidden rows counted as ``rows`` is read (``xlsx_marks``); ``notes`` say
    which sheet was read and why, for the preview.
    """

    file: str
    sheet: str
    header_row: int
    header: list[Any]
    rows: Iterable[tuple[int, list[Any]]]
    last_row: int | None = None
    marks: Marks = field(default_factory=Marks)
    notes: list[str] = field(default_factory=list)

    @property
    def date1904(self) -> bool:
        return self.marks.date1904

    def hidden_rows(self) -> int:
        """Hidden rows counted so far (all of them once ``rows`` has been read)."""
        return self.marks.hidden_rows


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


# -- headers --------------------------------------------------------------------------------


def column_names(column: Column) -> list[str]:
    """The normalized header and synonyms a column is recognised by, header first."""
    names = [normalize_header(column.header)]
    names += [normalize_header(s) for s in column.synonyms]
    return list(dict.fromkeys(n for n in names if n))


def match_columns(
    columns: Sequence[Column], header: Sequence[Any]
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Map each column's field to its position in ``header``; list header problems.

    A header cell matches a column when its normalized text is the column's header or one of
    its synonyms. Problems are (column header, reason) pairs: a column found twice, a required
    column missing (reason exactly "缺少必填列"). Unknown header cells are ignored.
    """
    by_name: dict[str, Column] = {}
    for column in columns:
        for name in column_names(column):
            by_name.setdefault(name, column)
    positions: dict[str, int] = {}
    problems: list[tuple[str, str]] = []
    for index, cell in enumerate(header):
        found = by_name.get(normalize_header(cell))
        if found is None:
            continue
        if found.field in positions:
            first = column_letter(positions[found.field])
            problems.append(
                (found.header, f"表头重复：{first}列和{column_letter(index)}列都是“{found.header}”")
            )
            continue
        positions[found.field] = index
    for column in columns:
        if column.field not in positions and column.required:
            problems.append((column.header, "缺少必填列"))
    return positions, problems


def header_score(columns: Sequence[Column], row: Sequence[Any]) -> int:
    """How many distinct ``columns`` the cells of ``row`` name."""
    names: dict[str, str] = {}
    for column in columns:
        for name in column_names(column):
            names.setdefault(name, column.field)
    return len({names[t] for t in (normalize_header(c) for c in row) if t in names})


def column_letter(index: int) -> str:
    """Excel's letter for the 0-based column ``index``: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def expected_headers(columns: Iterable[Column]) -> str:
    """The headers a ledger expects, required ones marked "*", for an error message."""
    return "、".join(f"*{c.header}" if c.required else c.header for c in columns)


# -- tables ---------------------------------------------------------------------------------


def read_table(
    path: Path,
    *,
    sheet: str | None = None,
    data: bytes | None = None,
    columns: Sequence[Column] | None = None,
) -> Table:
    """Read ``path`` (or its already loaded bytes ``data``) into a ``Table``.

    ``sheet`` picks a worksheet by name; default the first one. With ``columns`` (a ledger's
    columns) the header row is searched for among the first rows (see the module docstring);
    without, it is the first non-blank row. Raises ``ReadError`` when the file is not a
    readable table, the sheet does not exist (the message lists the sheets there are), or no
    header row is found (the message lists the headers expected).

    Given a path, an .xlsx file is read from disk as its rows are used, a slice at a time
    (``xlsx_stream``), so memory does not follow the file's size.
    """
    source: bytes | Path = data if data is not None else path
    kind = sniff(_first_bytes(source), source=source)
    marks, notes = Marks(), []
    if kind == "workbook":
        workbook = _open_workbook(source)
        if sheet is None:
            return _read_visible(path, source, workbook, columns)
        sheet_name = _pick_sheet(workbook, sheet)
        lines, last_row, marks = _iter_sheet_cells(workbook, sheet_name, source)
        if sheet_name in hidden_sheets(workbook):
            notes.append(f"工作表“{sheet_name}”是隐藏的工作表，按指定读取")
    elif isinstance(source, bytes):
        sheet_name = ""
        lines, last_row = iter_csv_cells(source)
    else:
        sheet_name = ""
        lines, last_row = iter_csv_file(source)
    head = _head(lines)
    header_index = locate_header(head, columns)
    if header_index is None:
        raise ReadError(_no_header_reason(source, kind, sheet_name, columns), sheet=sheet_name)
    return Table(
        file=path.name,
        sheet=sheet_name,
        header_row=header_index + 1,
        header=list(head[header_index]),
        rows=_data_rows(head, header_index, lines),
        last_row=last_row,
        marks=marks,
        notes=notes,
    )


def hidden_sheets(workbook: CalamineWorkbook) -> list[str]:
    """The names of the hidden and very hidden sheets of ``workbook``."""
    return [m.name for m in workbook.sheets_metadata if m.visible != SheetVisibleEnum.Visible]


def _read_visible(
    path: Path,
    source: bytes | Path,
    workbook: CalamineWorkbook,
    columns: Sequence[Column] | None,
) -> Table:
    """The first visible sheet whose header names the ledger's columns (any visible sheet
    without ``columns``). A hidden sheet is never read unless asked for by name: a workbook
    often keeps an old copy or a lookup list there, and reading it instead of the visible
    ledger is how a whole ledger went wrong. The notes name the sheets passed over."""
    names = list(workbook.sheet_names)
    if not names:
        raise ReadError("工作簿中没有工作表")
    hidden = set(hidden_sheets(workbook))
    visible = [n for n in names if n not in hidden] or names
    notes = []
    if hidden and len(visible) < len(names):
        notes.append(f"已跳过隐藏的工作表“{'”“'.join(n for n in names if n in hidden)}”")
    skipped: list[str] = []
    for name in visible:
        lines, last_row, marks = _iter_sheet_cells(workbook, name, source)
        head = _head(lines)
        header_index = locate_header(head, columns)
        if header_index is None:
            skipped.append(name)
            continue
        if skipped:
            notes.append(f"工作表“{'”“'.join(skipped)}”中没有可识别的表头，已读取工作表“{name}”")
        return Table(
            file=path.name,
            sheet=name,
            header_row=header_index + 1,
            header=list(head[header_index]),
            rows=_data_rows(head, header_index, lines),
            last_row=last_row,
            marks=marks,
            notes=notes,
        )
    raise ReadError(_no_header_reason(source, "workbook", visible[0], columns), sheet=visible[0])


def _first_bytes(source: bytes | Path, size: int = 65536) -> bytes:
    if isinstance(source, bytes):
        return source[:size]
    try:
        with open(source, "rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise ReadError(f"无法读取文件：{exc.strerror}") from exc


def _head(lines: Iterator[list[Any]]) -> list[list[Any]]:
    """The first rows of ``lines``, up to the ``HEADER_SCAN_ROWS``th non-blank one."""
    head: list[list[Any]] = []
    seen = 0
    for row in lines:
        head.append(row)
        if not all(is_blank(v) for v in row):
            seen += 1
            if seen >= HEADER_SCAN_ROWS:
                break
    return head


def _data_rows(
    head: list[list[Any]], header_index: int, rest: Iterator[list[Any]]
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of the non-blank rows after the header: the rest of ``head``, then
    ``rest`` as it is read."""
    numbered = itertools.chain(
        enumerate(head[header_index + 1 :], start=header_index + 2),
        enumerate(rest, start=len(head) + 1),
    )
    for number, row in numbered:
        for value in row:  # a row is kept at its first non-blank cell (usually the first)
            if value is not None and (value.__class__ is not str or value.strip()):
                yield number, row
                break


def read_cells(
    data: bytes, *, sheet: str | None = None, merged: bool = True
) -> tuple[str, list[list[Any]]]:
    """Every cell of one sheet (default the first) as (sheet name, rows); ("", rows) for CSV.

    With ``merged`` a merged range's value is repeated in each of its cells.
    """
    if sniff(data) == "workbook":
        workbook = _open_workbook(data)
        name = _pick_sheet(workbook, sheet)
        return name, _sheet_cells(workbook, name, merged=merged)
    return "", read_csv_cells(data)


def sheet_names(data: bytes) -> list[str]:
    """The sheet names of a workbook file, in order; [""] for a CSV file."""
    if sniff(data) == "workbook":
        return list(_open_workbook(data).sheet_names)
    return [""]


def locate_header(
    cells: Sequence[Sequence[Any]], columns: Sequence[Column] | None = None
) -> int | None:
    """Index of the header row in ``cells``, or None.

    Without ``columns``: the first row with any value. With them: among the first
    ``HEADER_SCAN_ROWS`` non-blank rows, the first of those naming the most columns; None when
    no row names any.
    """
    best, best_score, seen = None, 0, 0
    for index, row in enumerate(cells):
        if all(is_blank(v) for v in row):
            continue
        if columns is None:
            return index
        score = header_score(columns, row)
        if score > best_score:
            best, best_score = index, score
        seen += 1
        if seen >= HEADER_SCAN_ROWS:
            break
    return best


def _no_header_reason(
    source: bytes | Path, kind: str, sheet_name: str, columns: Sequence[Column] | None
) -> str:
    if columns is None:
        return "文件中没有数据（找不到表头行）"
    where = f"工作表“{sheet_name}”" if sheet_name else "文件"
    reason = (
        f"{where}的前{HEADER_SCAN_ROWS}行中找不到表头行（没有一个可识别的列名）。"
        f"应有的列：{expected_headers(columns)}（带*为必填）"
    )
    if kind == "workbook":
        workbook = _open_workbook(source)
        others = [
            name
            for name in workbook.sheet_names
            if name != sheet_name and _sheet_has_header(workbook, source, name, columns)
        ]
        if others:
            reason += f"。工作表“{'”“'.join(others)}”中有可识别的表头，请指定该工作表"
    return reason


def _sheet_has_header(
    workbook: CalamineWorkbook, source: bytes | Path, name: str, columns: Sequence[Column]
) -> bool:
    try:
        lines, _last, _marks = _iter_sheet_cells(workbook, name, source)
        head = _head(lines)
    except ReadError:
        return False
    return locate_header(head, columns) is not None


# -- file kinds -----------------------------------------------------------------------------


def sniff(data: bytes, *, source: bytes | Path | None = None) -> str:
    """ "workbook" or "csv", from the bytes; raises ``ReadError`` for anything else.

    ``data`` is the file's content or its first bytes (64 KiB is plenty); ``source``, the
    whole file as bytes or a path, is opened to check a ZIP container (default ``data``).
    """
    if not data.strip():
        raise ReadError("文件是空的")
    if data.startswith(OLE2_MAGIC):
        return "workbook"
    if data.startswith(ZIP_MAGIC):
        _check_zip(data if source is None else source)
        return "workbook"
    for magic, what in _NOT_SPREADSHEETS:
        if data.startswith(magic):
            raise ReadError(f"文件不是表格，而是{what}；请上传 Excel（.xlsx/.xls）或 CSV 文件")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        raise ReadError(
            "文件是网页（HTML/XML）格式，不是真正的 Excel 文件（有些系统导出的 .xls 就是这样）；"
            "请用 Excel 打开后“另存为”Excel 工作簿（.xlsx）再导入"
        )
    return "csv"


def _check_zip(source: bytes | Path) -> None:
    try:
        with zipfile.ZipFile(
            io.BytesIO(source) if isinstance(source, bytes) else source
        ) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError(
            "Excel 文件已损坏或不完整（可能没有下载或上传完整），请用 Excel 打开并重新保存后再导入"
        ) from exc
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names or "content.xml" in names:
        return
    if "word/document.xml" in names:
        raise ReadError("文件是 Word 文档，不是 Excel 表格")
    if "ppt/presentation.xml" in names:
        raise ReadError("文件是 PowerPoint 演示文稿，不是 Excel 表格")
    raise ReadError("文件是一个压缩包，不是 Excel 表格；请解压后上传其中的表格文件")


def _open_workbook(source: bytes | Path) -> CalamineWorkbook:
    try:
        if isinstance(source, bytes):
            return CalamineWorkbook.from_filelike(io.BytesIO(source))
        return CalamineWorkbook.from_path(str(source))
    except PasswordError as exc:
        raise ReadError("Excel 文件设置了打开密码，请取消密码后再导入") from exc
    except (CalamineError, ValueError, OSError) as exc:
        if _first_bytes(source, len(OLE2_MAGIC)) == OLE2_MAGIC:
            raise ReadError(
                "无法读取 Excel 文件（可能已损坏，或是 Word 等其他 Office 文件）"
                f"（技术信息：{exc}）"
            ) from exc
        raise ReadError(
            f"Excel 文件已损坏，无法读取；请用 Excel 打开并重新保存后再导入（技术信息：{exc}）"
        ) from exc


def _pick_sheet(workbook: CalamineWorkbook, sheet: str | None) -> str:
    names = list(workbook.sheet_names)
    if not names:
        raise ReadError("工作簿中没有工作表")
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    wanted = normalize_header(sheet)
    near = [n for n in names if normalize_header(n) == wanted]
    if len(near) == 1:
        return near[0]
    raise ReadError(f"找不到工作表“{sheet}”，文件中的工作表有：{'、'.join(names)}", sheet=sheet)


def _sheet_cells(workbook: CalamineWorkbook, name: str, *, merged: bool = True) -> list[list[Any]]:
    try:
        sheet = workbook.get_sheet_by_name(name)
        # skip_empty_area=False keeps leading empty rows so that row numbers match Excel's.
        cells = [list(row) for row in sheet.to_python(skip_empty_area=False)]
        ranges = (sheet.merged_cell_ranges or []) if merged else []
    except (CalamineError, ValueError) as exc:
        raise ReadError(_broken(name, exc), sheet=name) from exc
    fill_merged(cells, ranges)
    return cells


def _iter_sheet_cells(
    workbook: CalamineWorkbook, name: str, source: bytes | Path
) -> tuple[Iterator[list[Any]], int | None, Marks]:
    """The rows of sheet ``name`` from its first, merged cells filled, the number of its
    last row (None if not known), and its ``Marks`` (filled in as the rows are read). Cells are
    as python-calamine gives them, except a formula without a computed value (``Uncalculated``).

    An .xlsx sheet streams (``xlsx_stream``); an .xls sheet is read whole by python-calamine
    (it holds at most 65,536 rows of 256 columns); an .xlsb or .ods workbook is refused.
    """
    stream = None
    if _first_bytes(source, len(ZIP_MAGIC)) == ZIP_MAGIC:
        try:
            stream = open_sheet_stream(source, name)
        except StreamError as exc:
            raise ReadError(str(exc), sheet=name) from exc
        except (CalamineError, zipfile.BadZipFile, ValueError, OSError) as exc:
            raise ReadError(_broken(name, exc), sheet=name) from exc
        if stream is None:
            # An .xlsb or .ods workbook, or an .xlsx without its relationships: python-calamine
            # would read the sheet whole, and one far cell would make it allocate gigabytes.
            raise ReadError(
                f"工作表“{name}”不是标准的 Excel 工作簿（.xlsx）格式（可能是 .xlsb 或 .ods），"
                "请用 Excel 打开后另存为“Excel 工作簿（.xlsx）”再导入",
                sheet=name,
            )
    marks = Marks()
    if stream is not None:
        merged, last_row, rows = stream.merged, stream.last_row, stream.rows()
        marks = stream.marks
    else:
        try:
            sheet = workbook.get_sheet_by_name(name)
            merged = sheet.merged_cell_ranges or []
            last_row = sheet.end[0] + 1 if sheet.end else 0
            rows = _whole_sheet_rows(sheet)
        except (CalamineError, ValueError) as exc:
            raise ReadError(_broken(name, exc), sheet=name) from exc
        if _first_bytes(source, len(OLE2_MAGIC)) == OLE2_MAGIC:
            # python-calamine converts date cells by the workbook's date system but does not
            # say which it is; a bare serial in a date column needs it (xls_marks).
            try:
                marks = Marks(date1904=xls_date1904(source))
            except XlsMarksError as exc:
                raise ReadError(
                    f"无法确定 .xls 文件使用的日期系统（1900 或 1904），为免日期读错不予导入；"
                    f"请用 Excel 打开后另存为“Excel 工作簿（.xlsx）”再导入（技术信息：{exc}）",
                    sheet=name,
                ) from exc

    def generate() -> Iterator[list[Any]]:
        try:
            yield from _filled(rows, merged)
        except StreamError as exc:
            raise ReadError(str(exc), sheet=name) from exc
        except (CalamineError, zipfile.BadZipFile, ValueError) as exc:
            raise ReadError(_broken(name, exc), sheet=name) from exc

    return generate(), last_row, marks


def _broken(sheet: str, exc: Exception) -> str:
    """A damaged sheet, in Chinese; the library's own words (English) only as 技术信息."""
    return (
        f"工作表“{sheet}”已损坏，无法读取；请用 Excel 打开并另存为 .xlsx 后再导入"
        f"（技术信息：{exc}）"
    )


def _whole_sheet_rows(sheet: Any) -> Iterator[list[Any]]:
    # iter_rows starts at the sheet's first row but at its first non-empty column.
    start = sheet.start
    pad = [""] * start[1] if start and start[1] else []
    for cells in sheet.iter_rows():
        yield pad + cells if pad else cells


def _filled(rows: Iterable[list[Any]], merged: Sequence[Any]) -> Iterator[list[Any]]:
    """``rows`` (from the sheet's first) with each merged range's value in all its cells."""
    if not merged:
        yield from rows
        return
    starting: dict[int, list[tuple[int, int, int]]] = {}
    for (r0, c0), (r1, c1) in merged:
        starting.setdefault(r0, []).append((r1, c0, c1))
    active: list[tuple[int, int, int, Any]] = []
    for index, row in enumerate(rows):
        for r1, c0, c1 in starting.get(index, ()):
            active.append((r1, c0, c1, row[c0] if c0 < len(row) else None))
        if active:
            active = [a for a in active if a[0] >= index]
            for _r1, c0, last, value in active:
                c1 = min(last, MAX_COLUMNS - 1)  # a range merged across a whole row: A1:XFD1
                if len(row) <= c1:  # a row read without the range's blank cells at its end
                    row.extend([""] * (c1 + 1 - len(row)))
                for c in range(c0, c1 + 1):
                    if is_blank(row[c]):
                        row[c] = value
        yield row


def fill_merged(cells: list[list[Any]], ranges: Iterable[Any]) -> None:
    """Give every cell of a merged range the value of its top-left cell, in place.

    ``ranges`` are ((first row, first col), (last row, last col)), 0-based and inclusive, as
    python-calamine reports them. A hand-kept ledger merges e.g. one 区划代码 over the rows of
    its businesses; the user means that value on each row.
    """
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(cells) or c0 >= len(cells[r0]):
            continue
        value = cells[r0][c0]
        for r in range(r0, min(r1, len(cells) - 1) + 1):
            row = cells[r]
            for c in range(c0, c1 + 1):
                if c < len(row) and is_blank(row[c]):
                    row[c] = value
