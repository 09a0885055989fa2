"""Import templates: one .xlsx per ledger for member units to fill (导入模板).

A template has four sheets:

* the data sheet, named after the ledger (e.g. "抽检批次"): the header row, required columns
  marked "*" in red bold, each header with a comment saying what goes there; text format for
  code columns (so 120101001000 stays a code and an 18-digit USCC is not rounded), date format
  for date columns, and drop-down lists (data validation) for every enumeration and yes/no
  column; numbers and lengths are checked as the user types. It is the first sheet, so the
  importer reads it without being told.
* "填写示例": the same header and one filled example row. It is kept off the data sheet so that
  an example left in place cannot be imported by mistake.
* "说明": each column's meaning, format, whether it is required, an example and the other
  headers the importer also recognises, plus general rules.
* "选项" (hidden): the lists the drop-downs draw on.

``ledger_template`` returns the bytes (the web download serves them); ``write_templates`` writes
files for the ``foodsafe template`` command.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Format, Workbook
from xlsxwriter.worksheet import Worksheet

from foodsafe.lib.spreadsheets import TEXT_CELLS

from .ledgers import LEDGERS, get_ledger
from .ledgers.base import (
    BoolType,
    Column,
    DateType,
    Dec,
    Enum,
    Int,
    Ledger,
    Licence,
    Ref,
    Text,
    Uscc,
)
from .parsers import MAX_DATE, MIN_DATE

#: Rows of the data sheet that get drop-downs and checks (after the header).
TEMPLATE_ROWS = 5000
EXAMPLE_SHEET = "填写示例"
HELP_SHEET = "说明"
OPTIONS_SHEET = "选项"
REQUIRED_MARK = "*"
YES_NO = ("是", "否")


def template_filename(ledger: Ledger | str) -> str:
    """The download name of a ledger's template, e.g. "抽检批次导入模板（sampling）.xlsx"."""
    definition = get_ledger(ledger) if isinstance(ledger, str) else ledger
    return f"{definition.title}导入模板（{definition.name}）.xlsx"


def ledger_template(ledger: Ledger | str) -> bytes:
    """The .xlsx template of ``ledger`` (a ``Ledger`` or its name) as bytes.

    Raises ``UnknownLedgerError`` for an unknown name.
    """
    definition = get_ledger(ledger) if isinstance(ledger, str) else ledger
    columns = definition.bound_columns()
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_CELLS})
    workbook.set_properties(
        {"title": template_filename(definition), "subject": definition.title, "author": "foodsafe"}
    )
    styles = _Styles(workbook)
    data = workbook.add_worksheet(definition.title[:31])
    example = workbook.add_worksheet(EXAMPLE_SHEET)
    help_sheet = workbook.add_worksheet(HELP_SHEET)
    options = workbook.add_worksheet(OPTIONS_SHEET)
    options.hide()
    sources = _write_options(options, columns, styles)

    _write_header(data, columns, styles, comments=True)
    for index, column in enumerate(columns):
        _validate_column(data, index, column, sources.get(column.field))
    data.freeze_panes(1, 0)
    data.activate()

    _write_header(example, columns, styles, comments=False)
    for index, column in enumerate(columns):
        _write_value(example, 1, index, column.example_value(), styles)
    example.freeze_panes(1, 0)

    _write_help(help_sheet, definition, columns, styles)
    workbook.close()
    return buffer.getvalue()


def write_templates(directory: Path, names: list[str] | None = None) -> list[Path]:
    """Write the template of each ledger in ``names`` (default all) to ``directory/NAME.xlsx``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names or list(LEDGERS):
        path = directory / f"{name}.xlsx"
        path.write_bytes(ledger_template(name))
        paths.append(path)
    return paths


# -- pieces ---------------------------------------------------------------------------------


class _Styles:
    def __init__(self, workbook: Workbook):
        base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
        header = {**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        self.header = workbook.add_format(header)
        self.required = workbook.add_format({**header, "font_color": "#C00000"})
        self.text = workbook.add_format({**base, "num_format": "@"})
        self.date = workbook.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.plain = workbook.add_format(base)
        self.wrap = workbook.add_format({**base, "text_wrap": True, "valign": "top"})
        self.title = workbook.add_format({**base, "bold": True, "font_size": 14})
        self.note = workbook.add_format({**base, "text_wrap": True, "valign": "top"})
        self.red = workbook.add_format({**base, "font_color": "#C00000", "valign": "top"})


def header_text(column: Column) -> str:
    """The header cell of a column in a template: "*" before a required one."""
    return f"{REQUIRED_MARK}{column.header}" if column.required else column.header


def _cell_format(column: Column, styles: _Styles) -> Format:
    if isinstance(column.type, DateType):
        return styles.date
    if isinstance(column.type, (Int, Dec, BoolType)):
        return styles.plain
    return styles.text


def _width(column: Column) -> int:
    header = len(header_text(column)) * 2 + 2
    if isinstance(column.type, (Uscc, Licence)):
        return max(header, 22)
    if isinstance(column.type, Ref) or isinstance(column.type, DateType):
        return max(header, 15)
    if isinstance(column.type, Text) and (column.type.max_length or 0) >= 100:
        return max(header, 30)
    return max(header, 12)


def _write_header(sheet: Worksheet, columns: tuple[Column, ...], styles: _Styles, *, comments):
    sheet.set_row(0, 30)
    for index, column in enumerate(columns):
        style = styles.required if column.required else styles.header
        sheet.write_string(0, index, header_text(column), style)
        sheet.set_column(index, index, _width(column), _cell_format(column, styles))
        if comments:
            note = "必填。" if column.required else "选填。"
            note += (column.help + "。" if column.help else "") + column.type.describe()
            sheet.write_comment(0, index, note, {"x_scale": 2, "y_scale": 1.5})


def _write_options(
    sheet: Worksheet, columns: tuple[Column, ...], styles: _Styles
) -> dict[str, str]:
    """Write each enumeration's labels in a column of the hidden sheet; field → range."""
    sources: dict[str, str] = {}
    col = 0
    for column in columns:
        if isinstance(column.type, Enum):
            labels: tuple[str, ...] = tuple(column.type.labels())
        elif isinstance(column.type, BoolType):
            labels = YES_NO
        else:
            continue
        sheet.write_string(0, col, column.header, styles.header)
        for row, label in enumerate(labels, start=1):
            sheet.write_string(row, col, label, styles.text)
        letter = xl_col_to_name(col)
        sources[column.field] = f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
        col += 1
    return sources


def _validate_column(sheet: Worksheet, index: int, column: Column, source: str | None) -> None:
    kind = column.type
    rule: dict[str, Any] | None = None
    if source is not None:
        rule = {
            "validate": "list",
            "source": source,
            "error_title": column.header,
            "error_message": "请从下拉列表中选择。",
        }
    elif isinstance(kind, DateType):
        rule = {
            "validate": "date",
            "criteria": "between",
            "minimum": datetime.combine(MIN_DATE, datetime.min.time()),
            "maximum": datetime.combine(MAX_DATE, datetime.min.time()),
            "error_type": "warning",
            "error_title": column.header,
            "error_message": "这里应填日期，如 2021-08-17。",
        }
    elif isinstance(kind, Int):
        rule = _number_rule("integer", kind.min_value, kind.max_value, "整数")
    elif isinstance(kind, Dec):
        rule = _number_rule("decimal", kind.min_value, None, "数字")
    elif isinstance(kind, Uscc):
        rule = {
            "validate": "length",
            "criteria": "==",
            "value": 18,
            "error_title": column.header,
            "error_message": "统一社会信用代码应为18位。",
        }
    elif isinstance(kind, Text) and kind.max_length:
        rule = {
            "validate": "length",
            "criteria": "<=",
            "value": kind.max_length,
            "error_title": column.header,
            "error_message": f"不超过{kind.max_length}个字。",
        }
    if rule is not None:
        sheet.data_validation(1, index, TEMPLATE_ROWS, index, rule)


def _number_rule(validate: str, low: Any, high: Any, what: str) -> dict[str, Any]:
    def number(value: Any) -> Any:
        return float(value) if validate == "decimal" else int(value)

    rule: dict[str, Any] = {"validate": validate, "error_type": "stop"}
    if low is not None and high is not None:
        rule |= {"criteria": "between", "minimum": number(low), "maximum": number(high)}
        rule["error_message"] = f"应为{what}，{low}至{high}。"
    elif low is not None:
        rule |= {"criteria": ">=", "value": number(low)}
        rule["error_message"] = f"应为{what}，不小于{low}。"
    else:
        rule |= {"criteria": "between", "minimum": number(-(10**12)), "maximum": number(10**12)}
        rule["error_message"] = f"应为{what}。"
    return rule


def _write_value(sheet: Worksheet, row: int, col: int, value: Any, styles: _Styles) -> None:
    if value is None or value == "":
        return
    if isinstance(value, date):
        moment = (
            value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())
        )
        sheet.write_datetime(row, col, moment, styles.date)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value, styles.plain)
    else:
        sheet.write_string(row, col, str(value), styles.text)


HELP_COLUMNS = (
    ("序号", 6),
    ("列名", 22),
    ("必填", 6),
    ("含义", 40),
    ("格式要求", 44),
    ("示例", 20),
    ("也可用的列名", 28),
)


def _write_help(
    sheet: Worksheet, ledger: Ledger, columns: tuple[Column, ...], styles: _Styles
) -> None:
    headers = ledger.headers()
    keys = "、".join(headers[k] for k in ledger.key)
    sheet.write_string(0, 0, f"{ledger.title}台账导入说明", styles.title)
    notes = [
        f"1. 在第一个工作表“{ledger.title[:31]}”中从第2行起每行填一条记录；不要修改、删除第一行的列名，"
        "不用的选填列可以删除，也可以增加本系统不读取的列（如“序号”“备注”）。",
        f"2. 列名前带“{REQUIRED_MARK}”（红色）的是必填列，每行都要填写。",
        "3. 日期可写作 2021-08-17、2021/8/17、2021.8.17 或 2021年8月17日；"
        "“是/否”列也接受 Y/N、√/×、1/0；选项列请从下拉列表中选择。",
        f"4. 重复导入同一文件不会产生重复记录：按“{keys}”找到已有记录并更新。",
        "5. 文件中任何一处有错，整个文件都不会导入；系统会列出全部错误，并可下载标出错误单元格的文件。",
        f"6. 填写样例见“{EXAMPLE_SHEET}”工作表。也可以上传 .xls 或 CSV（UTF-8 或 GBK 编码）文件。",
    ]
    for offset, note in enumerate(notes, start=1):
        sheet.merge_range(offset, 0, offset, len(HELP_COLUMNS) - 1, note, styles.note)
        sheet.set_row(offset, 30)
    top = len(notes) + 2
    for col, (title, width) in enumerate(HELP_COLUMNS):
        sheet.write_string(top, col, title, styles.header)
        sheet.set_column(col, col, width)
    for number, column in enumerate(columns, start=1):
        row = top + number
        example = column.example_value()
        shown = example.isoformat() if isinstance(example, date) else str(example)
        sheet.write_number(row, 0, number, styles.wrap)
        sheet.write_string(row, 1, column.header, styles.wrap)
        sheet.write_string(
            row,
            2,
            "是" if column.required else "否",
            styles.red if column.required else styles.wrap,
        )
        meaning = column.help
        if column.unique:
            meaning += "；不能与其他记录重复"
        sheet.write_string(row, 3, meaning, styles.wrap)
        sheet.write_string(row, 4, column.type.describe(), styles.wrap)
        sheet.write_string(row, 5, shown, styles.wrap)
        sheet.write_string(row, 6, "、".join(column.synonyms), styles.wrap)
    sheet.freeze_panes(top + 1, 0)
