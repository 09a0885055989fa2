"""The error report: the user's file with each bad cell filled and commented, and a 错误清单."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from foodsafe.imports.error_report import (
    AUTHOR,
    ERROR_FILL,
    LIST_SHEET,
    SUMMARY_SHEET,
    error_workbook,
)
from foodsafe.imports.errors import ImportValidationError, RowError
from foodsafe.imports.services import ledger_import

from .helpers import row_counts
from .test_bad_files import district  # noqa: F401 - the fixture

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def import_errors(ledger: str, path: Path) -> list[RowError]:
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger=ledger, path=path)
    return excinfo.value.errors


def load(report: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(report))


def marked(book: openpyxl.Workbook) -> dict[str, str]:
    """ "Sheet!A1" → comment text of every cell the report marked."""
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    assert cell.comment.author == AUTHOR
                    assert cell.fill == ERROR_FILL
                    found[f"{sheet.title}!{cell.coordinate}"] = cell.comment.text
    return found


def listed(book: openpyxl.Workbook) -> list[tuple]:
    return list(book[LIST_SHEET].iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize("ledger", ["sampling", None])
def test_xlsx_with_title_rows_and_synonym_headers(district, ledger):  # noqa: F811
    path = DATA / "sampling_errors.xlsx"
    report = error_workbook(path, import_errors("sampling", path), ledger=ledger)
    book = load(report)
    assert book.sheetnames == ["抽检台账", SUMMARY_SHEET, LIST_SHEET]
    assert book.active.title == SUMMARY_SHEET
    assert marked(book) == {
        "抽检台账!B5": "抽样日期：不是有效的日期",
        "抽检台账!D6": "登记编号：未找到登记编号为“B9999”的食品生产经营者",
    }
    sheet = book["抽检台账"]
    assert sheet["A1"].value == "和平区2021年食品安全抽检台账（测试）"
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}  # the copy keeps its layout
    assert listed(book) == [
        (1, "抽检台账", "B5", 5, "抽样日期", "2021-02-30", "不是有效的日期"),
        (2, "抽检台账", "D6", 6, "登记编号", "B9999", "未找到登记编号为“B9999”的食品生产经营者"),
    ]
    assert book[LIST_SHEET]["C2"].hyperlink.location == "'抽检台账'!B5"


def test_the_report_itself_can_be_imported_again(district, tmp_path):  # noqa: F811
    path = DATA / "sampling_errors.xlsx"
    errors = import_errors("sampling", path)
    again = tmp_path / "sampling_errors_report.xlsx"
    again.write_bytes(error_workbook(path, errors, ledger="sampling"))
    # Same data on the first sheet: the same errors, nothing else.
    assert [(e.row, e.column, e.reason) for e in import_errors("sampling", again)] == [
        (e.row, e.column, e.reason) for e in errors
    ]
    # A report on the report replaces the old marks and list, it does not pile them up.
    book = load(error_workbook(again, errors[:1], ledger="sampling"))
    assert book.sheetnames == ["抽检台账", SUMMARY_SHEET, LIST_SHEET]
    assert list(marked(book)) == ["抽检台账!B5"]
    assert len(listed(book)) == 1


def test_csv_becomes_an_xlsx_of_the_same_rows(district):  # noqa: F811
    path = DATA / "businesses_bad_licence.csv"
    book = load(error_workbook(path, import_errors("businesses", path), ledger="businesses"))
    assert book.sheetnames == ["数据", SUMMARY_SHEET, LIST_SHEET]
    data = book["数据"]
    assert [c.value for c in data[1]] == [
        "登记编号",
        "名称",
        "许可证编号",
        "类别",
        "业态",
        "区划代码",
    ]
    assert data["A6"].value == "B0505" and data.max_row == 6
    assert sorted(marked(book)) == ["数据!C3", "数据!C4", "数据!C5", "数据!C6"]
    assert [row[2] for row in listed(book)] == ["C3", "C4", "C5", "C6"]


def test_gbk_csv_rows_survive(district):  # noqa: F811
    errors = [RowError("businesses_gbk.csv", "", 4, "许可证号", "x", "示例原因")]
    book = load(error_workbook(DATA / "businesses_gbk.csv", errors))
    assert book["数据"]["B2"].value == "和平区示例南市食品店"
    # The column was reported by its synonym as written; a canonical name finds it too.
    assert marked(book) == {"数据!D4": "许可证号：示例原因"}
    book = load(
        error_workbook(
            DATA / "businesses_gbk.csv",
            [RowError("businesses_gbk.csv", "", 4, "许可证编号", "x", "示例原因")],
            ledger="businesses",
        )
    )
    assert marked(book) == {"数据!D4": "许可证编号：示例原因"}


def test_xls_is_rebuilt_with_its_sheet_names():
    errors = [RowError("sampling.xls", "抽检批次", 3, "抽样日期", "2021-08-18", "示例原因")]
    book = load(error_workbook((DATA / "sampling.xls").read_bytes(), errors))
    assert book.sheetnames == ["抽检批次", SUMMARY_SHEET, LIST_SHEET]
    assert book["抽检批次"]["A3"].value == "DC21120101000052"
    assert marked(book) == {"抽检批次!B3": "抽样日期：示例原因"}


def test_two_errors_on_one_cell_share_a_comment():
    errors = [
        RowError(
            "a.csv", "", 2, "办结日期", "2021-02-27", "办结日期不能早于登记日期（2021-03-01）"
        ),
        RowError(
            "a.csv", "", 2, "办结日期", "2021-02-27", "办结日期不能早于决定日期（2021-03-02）"
        ),
    ]
    data = "投诉举报编号,登记日期,办结日期\nC1,2021-03-01,2021-02-27\n".encode()
    book = load(error_workbook(data, errors, ledger="complaints"))
    assert marked(book) == {
        "数据!C2": "办结日期：办结日期不能早于登记日期（2021-03-01）\n"
        "办结日期：办结日期不能早于决定日期（2021-03-02）"
    }
    assert len(listed(book)) == 2


def test_whole_file_and_header_errors_are_listed_only():
    errors = [
        RowError("b.csv", "", 1, "类别", "", "缺少必填列"),
        RowError("b.csv", "", 1, "名称", "", "表头重复：B列和C列都是“名称”"),
    ]
    data = "登记编号,名称,名称\nB1,甲,乙\n".encode()
    book = load(error_workbook(data, errors, ledger="businesses"))
    assert marked(book) == {}
    assert [row[2:] for row in listed(book)] == [
        (None, 1, "类别", None, "缺少必填列"),
        (None, 1, "名称", None, "表头重复：B列和C列都是“名称”"),
    ]


def test_unreadable_file_gives_only_the_list():
    errors = [RowError("sampling_truncated.xlsx", "", 0, "", "", "Excel 文件已损坏或不完整")]
    book = load(error_workbook(DATA / "sampling_truncated.xlsx", errors))
    assert book.sheetnames == [SUMMARY_SHEET, LIST_SHEET]
    assert listed(book) == [(1, None, None, None, None, None, "Excel 文件已损坏或不完整")]


def test_a_worksheet_damaged_inside_gives_only_the_list(tmp_path):
    # A valid ZIP whose worksheet XML stops half way: openpyxl raises a ParseError on it.
    source = io.BytesIO()
    book = openpyxl.Workbook()
    for r in range(1, 200):
        book.active.append([f"S{r:05d}", "2021-05-06"])
    book.save(source)
    damaged = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source.getvalue())) as original,
        zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in original.infolist():
            content = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            copy.writestr(info.filename, content)
    errors = [RowError("d.xlsx", "Sheet", 0, "", "", "工作表的数据不完整")]
    report = load(error_workbook(damaged.getvalue(), errors))
    assert report.sheetnames == [SUMMARY_SHEET, LIST_SHEET]
    assert listed(report) == [(1, "Sheet", None, None, None, None, "工作表的数据不完整")]


def test_a_large_xlsx_gives_only_the_list(monkeypatch):
    from foodsafe.imports import error_report

    monkeypatch.setattr(error_report, "COPY_MAX_UNPACKED", 1000)
    errors = [RowError("s.xlsx", "抽检批次", 2, "抽样日期", "2021-02-30", "不是有效的日期")]
    report = load(error_workbook((DATA / "sampling_title_row.xlsx").read_bytes(), errors))
    assert report.sheetnames == [SUMMARY_SHEET, LIST_SHEET]


def test_a_sheet_with_a_far_stray_cell_gives_only_the_list():
    # A1 … J1 and one cell at A300000: 3,000,000 positions that openpyxl would fill with cell
    # objects when the report walks the rows (one at XFD1048576 took 24 GB before the cap).
    source = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append([f"列{c}" for c in range(10)])
    book.active["A300000"] = "x"
    book.save(source)
    errors = [RowError("s.xlsx", "Sheet", 300000, "列0", "x", "必填项不能为空")]
    report = load(error_workbook(source.getvalue(), errors))
    assert report.sheetnames == [SUMMARY_SHEET, LIST_SHEET]


def test_import_command_writes_the_report(district, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "错误报告.xlsx"
    before = row_counts()
    with pytest.raises(CommandError):
        call_command(
            "import", "sampling", str(DATA / "sampling_errors.xlsx"), "--errors-out", str(out)
        )
    assert row_counts() == before
    assert sorted(marked(openpyxl.load_workbook(out))) == ["抽检台账!B5", "抽检台账!D6"]
    assert str(out) in capsys.readouterr().out


def test_import_command_without_errors_writes_no_report(district, tmp_path):  # noqa: F811
    out = tmp_path / "report.xlsx"
    call_command("import", "sampling", str(DATA / "sampling.xls"), "--errors-out", str(out))
    assert not out.exists()


def test_a_two_row_header_with_cells_merged_down_is_found():
    """A clerk's 台账 heads most columns with one cell merged over two rows (序号, 登记编号) and
    groups the rest under a merged title (办理情况 over 收到日期, 办结日期). The reader fills
    the merged cells, so it reads row 3 as the header; the report must find the same columns.
    Without the merged cells filled it took one of the two rows and lost the columns headed only
    in the other: a new user's file (2026-12-07) lost 登记编号, so a repeat there was listed with
    no cell; this one loses 收到日期. Expected cells worked out from the layout below: 登记编号
    is column B, 收到日期 column C; both errors are on row 5."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet["A1"] = "2021年投诉举报登记台账"
    sheet.merge_cells("A1:D1")
    sheet["A2"], sheet["B2"], sheet["C2"] = "序号", "登记编号", "办理情况"
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:D2")
    sheet["C3"], sheet["D3"] = "收到日期", "办结日期"
    sheet.append([1, "Q1", "2021年3月5日", None])
    sheet.append([2, "Q1", "2021年2月30日", None])
    data = io.BytesIO()
    book.save(data)
    errors = [
        RowError(
            "q.xlsx", "台账", 5, "投诉举报编号（登记编号）", "Q1", "与第4行重复（投诉举报编号相同）"
        ),
        RowError("q.xlsx", "台账", 5, "登记日期（收到日期）", "2021年2月30日", "不是有效的日期"),
    ]
    report = load(error_workbook(data.getvalue(), errors))
    assert marked(report) == {
        "台账!B5": "投诉举报编号（登记编号）：与第4行重复（投诉举报编号相同）",
        "台账!C5": "登记日期（收到日期）：不是有效的日期",
    }
    assert [row[2] for row in listed(report)] == ["B5", "C5"]
