"""The holiday-arrangement sheet (节假日安排表): the template, the reader and the two commands
calendar-template and calendar-load.

The 2027 template is prefilled with the statutory holidays of 《全国年节及纪念日放假办法》
(2024 revision), worked out by hand from the lunar calendar: 元旦 Fri 1 Jan; 春节 除夕–初三 =
Fri 5 – Mon 8 Feb (正月初一 Sat 6 Feb); 清明 Mon 5 Apr; 劳动节 Sat 1 – Sun 2 May; 端午 (五月初五)
Wed 9 Jun; 中秋 (八月十五) Wed 15 Sep; 国庆 Fri 1 – Sun 3 Oct: 13 days, in sheet rows 2–14; row 15
is the template's hint row; the office's own rows start at 16.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from foodsafe.workdays.calendar import add_workdays
from foodsafe.workdays.models import CalendarRevision, HolidayArrangement, SpecialDay
from foodsafe.workdays.sheets import arrangement_read, arrangement_template
from tests.workdays.sheet_helpers import filled_template

STATUTORY_2027 = [
    date(2027, 1, 1),
    *(date(2027, 2, d) for d in (5, 6, 7, 8)),
    date(2027, 4, 5),
    date(2027, 5, 1),
    date(2027, 5, 2),
    date(2027, 6, 9),
    date(2027, 9, 15),
    *(date(2027, 10, d) for d in (1, 2, 3)),
]


def _read(data: bytes, name: str = "安排.xlsx"):
    return arrangement_read(io.BytesIO(data), filename=name)


def _errors(data: bytes, name: str = "安排.xlsx") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        _read(data, name)
    return caught.value.messages


def test_the_template_is_prefilled_with_the_statutory_holidays():
    book = openpyxl.load_workbook(io.BytesIO(arrangement_template(2027)))
    assert book.sheetnames == ["通知", "日期"]
    assert [c.value for c in book["通知"]["A"][1:5]] == ["年份", "通知标题", "文号", "发布日期"]
    assert book["通知"]["B2"].value == 2027
    rows = list(book["日期"].iter_rows(min_row=1, values_only=True))
    assert rows[0][:3] == ("日期", "类别", "节日")
    assert [r[0].date() for r in rows[1:14]] == STATUTORY_2027
    assert {r[1] for r in rows[1:14]} == {"放假"}
    assert rows[14][0] is None  # the hint row, skipped by the reader


def test_reading_the_template_as_it_comes_gives_the_statutory_days():
    sheet = _read(arrangement_template(2027))
    assert sheet.year == 2027
    assert [d.date for d in sheet.days] == STATUTORY_2027
    assert {d.kind for d in sheet.days} == {"holiday"}


def test_reading_a_filled_template():
    sheet = _read(filled_template())
    # 13 statutory + 3 (9–11 Feb) + 4 (4–7 Oct) off; Sat 13 Feb and Sat 9 Oct worked.
    assert sum(d.kind == "holiday" for d in sheet.days) == 20
    assert [d.date for d in sheet.days if d.kind == "workday"] == [
        date(2027, 2, 13),
        date(2027, 10, 9),
    ]
    assert sheet.source.number == "国办发明电〔2026〕X号"
    assert sheet.source.published_on == date(2026, 11, 20)


def test_a_date_typed_as_text_is_taken():
    sheet = _read(
        filled_template(rows=[("2027/02/09", "放假", "春节"), ("2027年2月20日", "上班", "")])
    )
    assert date(2027, 2, 9) in {d.date for d in sheet.days}
    assert date(2027, 2, 20) in {d.date for d in sheet.days if d.kind == "workday"}  # a Saturday


def test_bad_rows_are_each_named_by_sheet_row_and_column():
    errors = _errors(
        filled_template(
            rows=[
                ("2027-02-30", "放假", ""),  # row 16: no 30 February
                (date(2027, 2, 5), "放假", "春节"),  # row 17: repeats row 3 (prefilled)
                (date(2028, 1, 3), "放假", ""),  # row 18: another year
                (date(2027, 2, 10), "调休上班", ""),  # row 19: Wed 10 Feb is a working day already
                (date(2027, 2, 12), "加班", ""),  # row 20: unknown kind
                (None, "放假", "春节"),  # row 21: a name without a date
            ]
        ),
        name="安排2027.xlsx",
    )
    where = "安排2027.xlsx 工作表“日期”第 {} 行"
    assert errors == [
        where.format(16) + " A 列（日期）：“2027-02-30”不是日期（应为 YYYY-MM-DD）",
        where.format(17) + " A 列（日期）：2027-02-05 与第 3 行重复",
        where.format(18) + " A 列（日期）：2028-01-03 不在 2027 年内",
        where.format(19)
        + " B 列（类别）：2027-02-10 是周三，本来就是工作日；调休上班日应为周六或周日",
        where.format(20) + " B 列（类别）：“加班”应为“放假”或“调休上班”",
        where.format(21) + " A 列（日期）：不能为空",
    ]


def test_a_weekend_make_up_day_is_accepted():
    # Sun 2027-02-14 and Sat 2027-10-09: the only days a make-up working day can be.
    sheet = _read(filled_template(rows=[(date(2027, 2, 14), "调休上班", "春节")]))
    assert [d.date for d in sheet.days if d.kind == "workday"] == [date(2027, 2, 14)]


def test_the_notice_sheet_is_checked():
    errors = _errors(filled_template(rows=[], info={2: "二〇二七", 3: ""}))
    assert "安排.xlsx 工作表“通知”第 2 行 B 列：年份应为 2000–2100 的整数" in errors
    assert "安排.xlsx 工作表“通知”第 3 行 B 列：请填写通知标题" in errors
    errors = _errors(filled_template(rows=[], info={5: "去年"}))
    assert errors == ["安排.xlsx 工作表“通知”第 5 行 B 列：“去年”不是日期（应为 YYYY-MM-DD）"]


def test_a_workbook_without_the_sheets_or_not_a_workbook():
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    assert _errors(out.getvalue()) == [
        "安排.xlsx：缺少工作表“通知”（请使用 calendar-template 生成的模板）",
        "安排.xlsx：缺少工作表“日期”（请使用 calendar-template 生成的模板）",
    ]
    assert _errors("日期,类别\n2027-02-09,放假\n".encode(), "安排.csv") == [
        "安排.csv：不是 .xlsx 文件（请使用 calendar-template 生成的模板）"
    ]
    assert _errors(b"PK\x03\x04" + b"\0" * 100) == [
        "安排.xlsx：无法读取，应为 .xlsx 文件（BadZipFile）"
    ]
    assert _errors(b"PK\x03\x04" + b"\0" * (1024 * 1024)) == [
        "安排.xlsx：文件超过 1 MB，不是节假日安排表"
    ]


# -- the commands --------------------------------------------------------------------------------


def test_calendar_template_command(tmp_path):
    out = io.StringIO()
    target = tmp_path / "t.xlsx"
    call_command("calendar-template", "2027", "-o", str(target), stdout=out)
    assert "已生成" in out.getvalue()
    assert [d.date for d in _read(target.read_bytes()).days] == STATUTORY_2027
    with pytest.raises(CommandError, match="2000–2100"):
        call_command("calendar-template", "1999", "-o", str(target))


@pytest.mark.django_db
def test_calendar_load_command(tmp_path, office_admin):
    path = tmp_path / "安排2027.xlsx"
    path.write_bytes(filled_template())
    before = CalendarRevision.objects.order_by("-version").first().version
    out = io.StringIO()
    call_command("calendar-load", str(path), "--user", "office_admin", stdout=out)
    assert (
        f"已载入 2027 年节假日安排：放假 20 天，调休上班 2 天；日历版本 {before + 1}；"
        "重算期限 0 项，其中变化 0 项"
    ) in out.getvalue()
    arrangement = HolidayArrangement.objects.get(year=2027)
    assert arrangement.loaded_by == office_admin
    assert SpecialDay.objects.filter(date__year=2027).count() == 22
    # Now counted with the arrangement: Thu 2027-02-04 + 1 skips 5–11 Feb → Fri 12 Feb, and it
    # is no longer provisional. (Statutory only it was Tue 9 Feb.)
    deadline = add_workdays(date(2027, 2, 4), 1)
    assert (deadline.date, deadline.provisional) == (date(2027, 2, 12), False)


@pytest.mark.django_db
def test_calendar_load_refuses_a_bad_file_and_loads_nothing(tmp_path, office_admin):
    path = tmp_path / "坏表.xlsx"
    path.write_bytes(filled_template(rows=[(date(2027, 2, 10), "调休上班", "")]))
    with pytest.raises(CommandError) as caught:
        call_command("calendar-load", str(path), "--user", "office_admin")
    assert "坏表.xlsx 工作表“日期”第 16 行 B 列（类别）" in str(caught.value)
    assert not HolidayArrangement.objects.filter(year=2027).exists()
    with pytest.raises(CommandError, match="没有用户"):
        call_command("calendar-load", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="无法读取"):
        call_command("calendar-load", str(tmp_path / "missing.xlsx"))
