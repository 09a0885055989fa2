"""The holiday-arrangement sheet (节假日安排表): a small .xlsx the office fills from the State
Council notice and loads with ``foodsafe calendar-load`` or on /supervision/calendar/.

Two sheets:
- ``通知``: 年份, 通知标题, 文号, 发布日期 in column B of rows 2–5;
- ``日期``: one row per day that differs from Monday–Friday: 日期 | 类别 (放假 or 调休上班) |
  节日. The template comes prefilled with the year's statutory holidays
  (:mod:`.statutory`); the office adds the bridging days and the make-up working days.

Reading refuses anything it cannot take with a message naming the file, sheet, row, column and
why; nothing is loaded unless every row is right.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError

from .models import DayKind
from .services import ArrangedDay, ArrangementSource
from .statutory import statutory_holidays

INFO_SHEET, DAYS_SHEET = "通知", "日期"
INFO_ROWS = ("年份", "通知标题", "文号", "发布日期")
DAY_HEADERS = ("日期", "类别", "节日")
KIND_WORDS = {
    "放假": DayKind.HOLIDAY,
    "休息": DayKind.HOLIDAY,
    "调休上班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "补班": DayKind.WORKDAY,
}
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
MAX_BYTES = 1024 * 1024
MAX_ROWS = 400


@dataclass(frozen=True)
class ArrangementSheet:
    year: int
    source: ArrangementSource
    days: list[ArrangedDay]


def arrangement_template(year: int) -> bytes:
    """The template for ``year``, prefilled with its statutory holidays."""
    import openpyxl  # loaded when a sheet is made or read, not at start-up (issue 11 §2)

    workbook = openpyxl.Workbook()
    info = workbook.active
    info.title = INFO_SHEET
    info.append(["项目", "内容", "说明"])
    info.append(["年份", year, "安排适用的年份"])
    info.append(["通知标题", f"国务院办公厅关于{year}年部分节假日安排的通知", "照抄通知标题"])
    info.append(["文号", "", "如 国办发明电〔2026〕X号"])
    info.append(["发布日期", "", "YYYY-MM-DD"])
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 48
    info.column_dimensions["C"].width = 30
    days = workbook.create_sheet(DAYS_SHEET)
    days.append([*DAY_HEADERS, "说明"])
    for day, name in sorted(statutory_holidays(year).items()):
        days.append([day, "放假", name, "法定节假日（按放假办法预填）"])
    days.append([None, "调休上班", "", "在此后逐行填写通知中的调休放假日和调休上班日"])
    for row in days.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    for column, width in zip("ABCD", (14, 12, 10, 44), strict=True):
        days.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip().replace("/", "-").replace(".", "-")
        for form in ("%Y-%m-%d", "%Y年%m月%d日"):
            try:
                return datetime.strptime(text, form).date()  # noqa: DTZ007 - a calendar date, no time
            except ValueError:
                continue
        raise ValueError(f"“{value}”不是日期（应为 YYYY-MM-DD）")
    return None


def arrangement_read(stream: IO[bytes], *, filename: str) -> ArrangementSheet:
    """Read an arrangement sheet; raise ``ValidationError`` with one message per problem."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{filename}：文件超过 1 MB，不是节假日安排表")
    if not data.startswith(b"PK\x03\x04"):
        # By content, never by name: an .xlsx is a zip file (a .xls, a CSV, a program is not).
        raise ValidationError(f"{filename}：不是 .xlsx 文件（请使用 calendar-template 生成的模板）")
    import openpyxl  # see arrangement_template

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise ValidationError(
            f"{filename}：无法读取，应为 .xlsx 文件（{type(exc).__name__}）"
        ) from exc
    errors: list[str] = []
    for name in (INFO_SHEET, DAYS_SHEET):
        if name not in workbook.sheetnames:
            errors.append(f"{filename}：缺少工作表“{name}”（请使用 calendar-template 生成的模板）")
    if errors:
        raise ValidationError(errors)
    info: dict[str, Any] = {}
    for number, row in enumerate(
        workbook[INFO_SHEET].iter_rows(min_row=2, max_row=5, max_col=2, values_only=True), 2
    ):
        label = str(row[0] or "").strip()
        if label != INFO_ROWS[number - 2]:
            errors.append(
                f"{filename} 工作表“{INFO_SHEET}”第 {number} 行 A 列：应为“{INFO_ROWS[number - 2]}”"
            )
            continue
        info[label] = row[1] if len(row) > 1 else None
    year: int | None = None
    try:
        year = int(info.get("年份") or 0) or None
    except (TypeError, ValueError):
        pass
    if year is None or not 2000 <= year <= 2100:
        errors.append(f"{filename} 工作表“{INFO_SHEET}”第 2 行 B 列：年份应为 2000–2100 的整数")
    title = str(info.get("通知标题") or "").strip()
    if not title:
        errors.append(f"{filename} 工作表“{INFO_SHEET}”第 3 行 B 列：请填写通知标题")
    published: date | None = None
    try:
        published = _date(info.get("发布日期"))
    except ValueError as exc:
        errors.append(f"{filename} 工作表“{INFO_SHEET}”第 5 行 B 列：{exc}")
    days: list[ArrangedDay] = []
    first_row: dict[date, int] = {}
    sheet = workbook[DAYS_SHEET]
    header = next(sheet.iter_rows(min_row=1, max_row=1, max_col=3, values_only=True), ())
    if tuple(str(c or "").strip() for c in header) != DAY_HEADERS:
        errors.append(f"{filename} 工作表“{DAYS_SHEET}”第 1 行：表头应为 日期、类别、节日")
    for number, row in enumerate(sheet.iter_rows(min_row=2, max_col=3, values_only=True), 2):
        if number > MAX_ROWS:
            errors.append(f"{filename} 工作表“{DAYS_SHEET}”：超过 {MAX_ROWS} 行")
            break
        cells = (list(row) + [None, None, None])[:3]
        if cells[0] is None and not str(cells[2] or "").strip():
            continue  # an empty row, or the template's hint row
        where = f"{filename} 工作表“{DAYS_SHEET}”第 {number} 行"
        try:
            day = _date(cells[0])
        except ValueError as exc:
            errors.append(f"{where} A 列（日期）：{exc}")
            continue
        if day is None:
            errors.append(f"{where} A 列（日期）：不能为空")
            continue
        kind = KIND_WORDS.get(str(cells[1] or "").strip())
        if kind is None:
            errors.append(f"{where} B 列（类别）：“{cells[1] or ''}”应为“放假”或“调休上班”")
            continue
        problem = _day_problem(day, kind, year, first_row, number)
        if problem:
            column = "A 列（日期）" if problem[0] == "date" else "B 列（类别）"
            errors.append(f"{where} {column}：{problem[1]}")
            continue
        days.append(ArrangedDay(day, kind, str(cells[2] or "").strip()[:40]))
    if errors:
        raise ValidationError(errors)
    assert year is not None
    return ArrangementSheet(
        year=year,
        source=ArrangementSource(
            title=title, number=str(info.get("文号") or "").strip(), published_on=published
        ),
        days=days,
    )


def _day_problem(
    day: date, kind: DayKind, year: int | None, seen: dict[date, int], number: int
) -> tuple[str, str] | None:
    """What is wrong with one arranged day, for the sheet and the typed list alike:
    ``("date" | "kind", reason)`` or ``None``. Outside the year, or a day already given (then
    nothing is recorded); otherwise the day is recorded in ``seen`` as line ``number`` and a
    make-up working day (调休上班) must fall on a Saturday or Sunday."""
    if year is not None and day.year != year:
        return "date", f"{day.isoformat()} 不在 {year} 年内"
    if day in seen:
        return "date", f"{day.isoformat()} 与第 {seen[day]} 行重复"
    seen[day] = number
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        return "kind", (
            f"{day.isoformat()} 是{WEEKDAYS[day.weekday()]}，本来就是工作日；"
            "调休上班日应为周六或周日"
        )
    return None


def arrangement_parse(
    *, year: int, title: str, number: str, published_on: date | None, lines: str
) -> ArrangementSheet:
    """An arrangement typed on the calendar page: one day a line, ``日期 类别 [节日]``
    (e.g. ``2027-02-06 放假 春节``, ``2027-02-20 调休上班``). Raises ``ValidationError`` with
    one message per bad line, naming the line (第 N 行) and why; writes nothing."""
    errors: list[str] = []
    if not 2000 <= year <= 2100:
        errors.append("年份应为 2000–2100 的整数")
    if not title.strip():
        errors.append("请填写通知标题")
    days: list[ArrangedDay] = []
    first_line: dict[date, int] = {}
    for number_, raw in enumerate(lines.splitlines(), 1):
        parts = raw.replace("，", " ").replace(",", " ").split()
        if not parts:
            continue
        where = f"日期列表第 {number_} 行"
        try:
            day = _date(parts[0])
        except ValueError as exc:
            errors.append(f"{where}：{exc}")
            continue
        assert day is not None
        kind = KIND_WORDS.get(parts[1]) if len(parts) > 1 else None
        if kind is None:
            errors.append(
                f"{where}：类别“{parts[1] if len(parts) > 1 else ''}”应为“放假”或“调休上班”"
            )
            continue
        problem = _day_problem(day, kind, year, first_line, number_)
        if problem:
            errors.append(f"{where}：{problem[1]}")
            continue
        days.append(ArrangedDay(day, kind, " ".join(parts[2:])[:40]))
    if len(first_line) > MAX_ROWS:
        errors.append(f"日期列表超过 {MAX_ROWS} 行")
    if errors:
        raise ValidationError(errors)
    return ArrangementSheet(
        year=year,
        source=ArrangementSource(
            title=title.strip(), number=number.strip(), published_on=published_on
        ),
        days=days,
    )
