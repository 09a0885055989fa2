"""The error report of a failed import: the user's own file with every bad cell marked.

``error_workbook`` returns an .xlsx: a copy of the uploaded workbook (for a .csv, .xls or .ods
file, an .xlsx holding the same rows at the same row numbers) in which each cell with an error
has a red fill and a comment giving the reason in Chinese, plus a last sheet "错误清单" that lists
every error (sheet, cell, row, column, value, reason; the cell is a link to it). The 错误清单
sheet is the one shown on opening, but the data stays the first sheet, so the corrected file can
be imported again as it is; marks left from an earlier report are cleared first. Personal
data is masked in the copy as in the list (``_mask_personal``); the importer refuses a masked
cell, so a report with a personal column goes back in only once those cells are filled again.

Errors are located as the importer reports them: the row number is the sheet's row, and the
column is found by its header (with its synonyms, spaces and full-width forms tolerated) in
the header row, searched for as the reader does. An error of the whole file (row 0), or one
about a column the file lacks, appears only in the list.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from foodsafe.lib.masking import mask_text
from foodsafe.lib.spreadsheets import put_text

from . import readers
from .codes import is_personal_id, mask_id
from .csv_text import read_csv_cells
from .errors import RowError
from .ledgers import LEDGERS, get_ledger
from .ledgers.base import Column, Ledger, display

LIST_SHEET = "错误清单"
SUMMARY_SHEET = "错误汇总"
SET_ASIDE_SHEET = "另列的行"
#: Cells (rows × columns used) of a sheet above which the report holds the error list only.
COPY_MAX_CELLS = 2_000_000
#: Uncompressed size of an .xlsx above which the report holds the error list only: openpyxl
#: keeps every cell as an object (about 65,000 rows of a 14-column ledger fit in 32 MiB).
COPY_MAX_UNPACKED = 32 * 1024 * 1024
#: Name of the sheet holding a CSV file's rows in the report.
CSV_SHEET = "数据"
AUTHOR = "foodsafe 导入校验"
ERROR_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
NO_FILL = PatternFill(fill_type=None)
#: Rows searched for the header (generous: blank rows above the table count here).
HEADER_SEARCH_ROWS = 30


def error_workbook(
    source: Path | bytes,
    errors: Sequence[RowError],
    *,
    ledger: Ledger | str | None = None,
    set_aside: Sequence[Any] = (),
    steps: Sequence[str] = (),
) -> bytes:
    """The .xlsx error report of ``source`` (a path or the uploaded bytes) for ``errors``.

    ``ledger`` (a definition or its name) lets the header row and columns be found through that
    ledger's synonyms; without it, every ledger's synonyms of the reported columns are used. A
    file that cannot be read at all (corrupt, not a spreadsheet) gives a report with only the
    错误清单 sheet, and so does an .xlsx over ``COPY_MAX_UNPACKED`` uncompressed, an .xlsb or
    an .ods.

    A 错误汇总 sheet before the list (the one shown on opening) groups the errors by column
    and reason with counts and first rows. For a mapping-profile import, ``steps`` (one line
    per step: what it imported and set aside) head that sheet and ``set_aside`` (the rows the
    profile's rules set aside, ``profiles.Rejected``) fill a 另列的行 sheet, so the report
    says where every row of the file went even when nothing failed.
    """
    data = source.read_bytes() if isinstance(source, Path) else bytes(source)
    definition = get_ledger(ledger) if isinstance(ledger, str) else ledger
    workbook = _copy(data)
    located: dict[int, str] = {}
    if workbook is not None:
        _clear_marks(workbook)
        located = _mark_cells(workbook, errors, definition)
        _mask_personal(workbook, definition)
    else:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
    _write_summary(workbook, errors, set_aside, steps)
    _write_list(workbook, errors, located)
    if set_aside:
        _write_set_aside(workbook, set_aside)
    summary = workbook[SUMMARY_SHEET]
    workbook.active = workbook.worksheets.index(summary)
    for other in workbook.worksheets:
        other.sheet_view.tabSelected = other is summary
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- the copy -------------------------------------------------------------------------------


def _copy(data: bytes) -> Workbook | None:
    """The uploaded file as an openpyxl workbook, or None when it cannot be read."""
    try:
        kind = readers.sniff(data)
    except readers.ReadError:
        return None
    if kind == "workbook" and data.startswith(readers.ZIP_MAGIC):
        if _unpacked_bytes(data) > COPY_MAX_UNPACKED:
            return None  # openpyxl would hold every cell as an object: the list alone
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data))
        except Exception:  # noqa: BLE001
            # A damaged file (openpyxl raises ParseError, zlib.error, EOFError, KeyError, …
            # depending on where), or an .xlsb/.ods: the report lists the errors only.
            return None
        # One stray cell at XFD1048576 gives a sheet of 17 billion positions, which openpyxl
        # would fill with cell objects as soon as its rows are walked.
        if any(s.max_row * s.max_column > COPY_MAX_CELLS for s in workbook.worksheets):
            return None
        return workbook
    return _rebuild(data, kind)


def _unpacked_bytes(data: bytes) -> int:
    """The uncompressed size of a ZIP file's members, as its directory declares them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return 0


def _rebuild(data: bytes, kind: str) -> Workbook | None:
    """An .xlsx with the cells of every sheet of a .xls/.ods/.csv file, at the same positions."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    try:
        if kind == "csv":
            sheets = [(CSV_SHEET, read_csv_cells(data))]
        else:
            sheets = [
                (name, readers.read_cells(data, sheet=name, merged=False)[1])
                for name in readers.sheet_names(data)
            ]
    except readers.ReadError:
        return None
    for name, cells in sheets:
        sheet = workbook.create_sheet(name[:31])
        for r, row in enumerate(cells, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                put_text(sheet, row=r, column=c, value=_storable(value))
    return workbook


def _storable(value: Any) -> Any:
    """A cell value openpyxl can write: what calamine reads, anything else as text."""
    if isinstance(value, (str, int, float, bool, date, time, timedelta)):
        return value
    return str(value)


def _clear_marks(workbook: Workbook) -> None:
    """Remove the marks and list of an earlier report, so a corrected report can be re-checked.

    Only a file with the report's list sheet can carry marks. Its stored cells are walked
    (``_cells``: ``iter_rows`` would create an object for every empty position too)."""
    if LIST_SHEET not in workbook.sheetnames:
        return
    for title in (SUMMARY_SHEET, LIST_SHEET, SET_ASIDE_SHEET):
        if title in workbook.sheetnames:
            workbook.remove(workbook[title])
    for sheet in workbook.worksheets:
        for cell in list(sheet._cells.values()):
            comment = cell.comment
            if comment is not None and comment.author == AUTHOR:
                cell.comment = None
                if cell.fill == ERROR_FILL:
                    cell.fill = NO_FILL


# -- marking --------------------------------------------------------------------------------


def _mark_cells(
    workbook: Workbook, errors: Sequence[RowError], ledger: Ledger | None
) -> dict[int, str]:
    """Fill and comment each located error's cell; error index → "Sheet!A1" reference."""
    by_cell: dict[tuple[str, int, int], list[RowError]] = defaultdict(list)
    located: dict[int, str] = {}
    headers: dict[str, tuple[int, dict[str, int]] | None] = {}
    for index, error in enumerate(errors):
        if error.row <= 0 or not error.column:
            continue
        sheet = _sheet_for(workbook, error.sheet)
        if sheet is None:
            continue
        if sheet.title not in headers:
            headers[sheet.title] = _header_positions(sheet, errors, ledger)
        found = headers[sheet.title]
        if found is None:
            continue
        header_row, positions = found
        if error.column not in positions or error.row <= header_row:
            continue  # a header problem (e.g. a duplicate column): listed, not marked
        column = positions[error.column] + 1
        by_cell[(sheet.title, error.row, column)].append(error)
        located[index] = f"{sheet.title}!{get_column_letter(column)}{error.row}"
    for (title, row, column), cell_errors in by_cell.items():
        cell = workbook[title].cell(row=row, column=column)
        cell.fill = ERROR_FILL
        text = "\n".join(f"{e.column}：{e.reason}" for e in cell_errors)
        comment = Comment(text, AUTHOR)
        comment.width = 300
        comment.height = 60 + 20 * len(cell_errors) + len(text) // 2
        cell.comment = comment
    return located


def _sheet_for(workbook: Workbook, name: str) -> Worksheet | None:
    if name in workbook.sheetnames:
        return workbook[name]
    if name == "" and workbook.worksheets:
        return workbook.worksheets[0]
    return None


def _header_positions(
    sheet: Worksheet, errors: Sequence[RowError], ledger: Ledger | None
) -> tuple[int, dict[str, int]] | None:
    """The header row number and reported column name → 0-based index; None if not found."""
    return _positions(sheet, _columns_for(errors, ledger))


def _positions(sheet: Worksheet, columns: list[Column]) -> tuple[int, dict[str, int]] | None:
    """The header row number and column header → 0-based index of ``columns`` found."""
    top = [
        list(row)
        for row in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True)
    ]
    # As the reader does: a two-row header merges 序号 or 登记编号 down over both rows, and
    # openpyxl gives the lower cell no value, so without this that column was never found
    # and its errors were listed but not marked.
    readers.fill_merged(
        top,
        [
            ((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1))
            for r in sheet.merged_cells.ranges
        ],
    )
    index = readers.locate_header(top, columns)
    if index is None:
        return None
    found, _problems = readers.match_columns(columns, top[index])
    by_field = {c.field: c.header for c in columns}
    return index + 1, {by_field[f]: i for f, i in found.items()}


def _columns_for(errors: Sequence[RowError], ledger: Ledger | None) -> list[Column]:
    """Columns to look for: the ledger's, else one per reported column with all known synonyms."""
    if ledger is not None:
        columns = list(ledger.columns)
        known = {c.header for c in columns}
        extra = sorted({e.column for e in errors if e.column and e.column not in known})
        return columns + [Column(name, f"\0{name}") for name in extra]
    synonyms: dict[str, set[str]] = defaultdict(set)
    for definition in LEDGERS.values():
        for column in definition.columns:
            synonyms[column.header].update(column.synonyms)
    names = sorted({e.column for e in errors if e.column})
    return [Column(name, f"\0{name}", synonyms=_synonyms(name, synonyms)) for name in names]


def _synonyms(name: str, known: dict[str, set[str]]) -> tuple[str, ...]:
    """A ledger header's synonyms; for a profile's ``抽样单编号（抽样编号、通告号）`` (the
    ledger column and the source headers it was made from), the source headers too, so the
    cell is marked in the original file."""
    found = set(known[name])
    match = re.fullmatch(r"(.+?)（(.+)）", name)
    if match:
        found |= set(known[match[1]]) | {match[1]} | set(match[2].split("、"))
    return tuple(sorted(found))


# -- personal data in the copy --------------------------------------------------------------


def _mask_personal(workbook: Workbook, ledger: Ledger | None) -> None:
    """Mask the copy's personal data as the 错误清单 does (《个人信息保护法》第五十一条): every
    data cell of a ``personal`` column (the ledger's; without one, any ledger's, found by
    header and synonyms), and any cell holding an 18-digit personal ID number, whatever its
    column (a roster's 身份证号 the ledger does not read). A report is a file passed on to
    whoever fixes it and kept where the command wrote it; the uploader keeps the original. The
    importer refuses a masked cell (``ledgers.base.Column.parser``), so a corrected report
    imported as it is cannot overwrite a real name with its mask. Phone numbers in columns no
    ledger marks personal cannot be told from other numbers and stay as they are."""
    personal = _personal_columns(ledger)
    for sheet in workbook.worksheets:
        found = _positions(sheet, personal) if personal else None
        if found is not None:
            header_row, positions = found
            columns = [
                positions[c.header] + 1 for c in personal if c.personal and c.header in positions
            ]
            for row in range(header_row + 1, sheet.max_row + 1):
                for column in columns:
                    cell = sheet._cells.get((row, column))  # stored cells only
                    if cell is not None and cell.value not in (None, ""):
                        put_text(
                            sheet, row=row, column=column, value=mask_text(display(cell.value))
                        )
        for cell in list(sheet._cells.values()):
            value = cell.value
            if value.__class__ is str and len(value.strip()) == 18:
                bare = value.strip().upper()
                if is_personal_id(bare):
                    put_text(sheet, row=cell.row, column=cell.column, value=mask_id(bare))


def _personal_columns(ledger: Ledger | None) -> list[Column]:
    """The columns to locate the header by, personal ones marked ``personal``: the ledger's
    (all, so its header row is found as the reader finds it), else every ledger's personal
    columns (one per header, its synonyms merged)."""
    if ledger is not None:
        return list(ledger.columns) if any(c.personal for c in ledger.columns) else []
    synonyms: dict[str, set[str]] = defaultdict(set)
    for definition in LEDGERS.values():
        for column in definition.columns:
            if column.personal:
                synonyms[column.header].update(column.synonyms)
    return [
        Column(header, header, synonyms=tuple(sorted(names)), personal=True)
        for header, names in sorted(synonyms.items())
    ]


# -- the list -------------------------------------------------------------------------------

LIST_COLUMNS = (
    ("序号", 6),
    ("工作表", 14),
    ("单元格", 9),
    ("行", 6),
    ("列", 18),
    ("值", 24),
    ("错误原因", 60),
)


def _write_list(workbook: Workbook, errors: Sequence[RowError], located: dict[int, str]) -> None:
    sheet = workbook.create_sheet(LIST_SHEET)
    bold = Font(bold=True)
    for col, (title, width) in enumerate(LIST_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col, value=title)
        cell.font = bold
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(col)].width = width
    for number, error in enumerate(errors, start=1):
        row = number + 1
        reference = located.get(number - 1, "")
        values = [
            number,
            error.sheet,
            reference.split("!", 1)[1] if reference else "",
            error.row or "",
            error.column,
            error.value,
            error.reason,
        ]
        for col, value in enumerate(values, start=1):
            put_text(sheet, row=row, column=col, value=value)
        if reference:
            title, address = reference.split("!", 1)
            link = sheet.cell(row=row, column=3)
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"'{title}'!{address}", display=address
            )
            link.font = Font(color="FF0563C1", underline="single")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(LIST_COLUMNS))}{len(errors) + 1}"


def _header(sheet: Worksheet, row: int, titles: Sequence[tuple[str, int]]) -> None:
    bold = Font(bold=True)
    for col, (title, width) in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=col, value=title)
        cell.font = bold
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(col)].width = max(
            width, sheet.column_dimensions[get_column_letter(col)].width or 0
        )


def _write_summary(
    workbook: Workbook, errors: Sequence[RowError], set_aside: Sequence[Any], steps: Sequence[str]
) -> None:
    """错误汇总: the steps' lines, then one row per (column, reason) and per set-aside rule."""
    from .error_groups import group_errors, group_rejected

    sheet = workbook.create_sheet(SUMMARY_SHEET)
    row = 1
    if errors:
        put_text(sheet, row=row, column=1, value=f"共 {len(errors)} 处错误，未写入任何数据")
    else:
        put_text(sheet, row=row, column=1, value="没有错误")
    sheet.cell(row=row, column=1).font = Font(bold=True)
    row += 1
    for line in steps:
        put_text(sheet, row=row, column=1, value=line)
        row += 1
    if errors:
        row += 1
        _header(
            sheet, row, (("列", 24), ("原因", 60), ("处数", 8), ("前几行", 24), ("值（例）", 24))
        )
        for group in group_errors(errors):
            row += 1
            values = [group.column, group.reason, group.count, group.rows_text(), group.example]
            for col, value in enumerate(values, start=1):
                put_text(sheet, row=row, column=col, value=value)
        row += 1
        put_text(sheet, row=row, column=1, value=f"逐行清单见“{LIST_SHEET}”工作表")
    if set_aside:
        row += 2
        _header(
            sheet,
            row,
            (
                ("文件", 24),
                ("步骤（台账）", 14),
                ("规则", 20),
                ("行数", 8),
                ("前几行", 24),
                ("原因（例）", 60),
            ),
        )
        for aside in group_rejected(set_aside):
            row += 1
            values = [
                aside.file,
                aside.ledger or "（来源筛选）",
                aside.check,
                aside.count,
                aside.rows_text(),
                aside.example,
            ]
            for col, value in enumerate(values, start=1):
                put_text(sheet, row=row, column=col, value=value)
        row += 1
        put_text(sheet, row=row, column=1, value=f"逐行清单见“{SET_ASIDE_SHEET}”工作表")


def _write_set_aside(workbook: Workbook, set_aside: Sequence[Any]) -> None:
    """另列的行: every row a profile rule set aside, with its file, row, step, rule, reason."""
    sheet = workbook.create_sheet(SET_ASIDE_SHEET)
    _header(
        sheet,
        1,
        (("文件", 24), ("工作表", 14), ("行", 6), ("台账", 14), ("规则", 20), ("原因", 80)),
    )
    for row, r in enumerate(set_aside, start=2):
        values = [r.file, r.sheet, r.row, r.ledger or "（来源筛选）", r.check, r.reason]
        for col, value in enumerate(values, start=1):
            put_text(sheet, row=row, column=col, value=value)
    sheet.freeze_panes = "A2"
