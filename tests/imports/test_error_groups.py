"""Issue 18 point 2: errors grouped by column and reason, with counts and the first rows, in
the command line, the preview page and the error report; the full list is kept."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from foodsafe.imports.error_groups import group_errors, group_rejected
from foodsafe.imports.error_report import LIST_SHEET, SUMMARY_SHEET, error_workbook
from foodsafe.imports.errors import RowError
from foodsafe.imports.profiles import Rejected

from .helpers import write_csv
from .test_importer import SAMPLING_HEADER, SUB, units  # noqa: F401 - the fixture


def test_groups_by_column_and_reason_largest_first():
    errors = [
        RowError("f.csv", "", r, "许可证编号", f"JY1{r:013d}", "许可证编号应为JY或SC加14位数字")
        for r in range(2, 9)
    ]
    errors += [RowError("f.csv", "", 4, "检查日期", "2021-13-01", "不是有效的日期")]
    # Two "repeat" reasons that differ only in the row they name are one problem.
    errors += [
        RowError("f.csv", "", 10, "检查编号", "X", "与第3行重复"),
        RowError("f.csv", "", 11, "检查编号", "Y", "与第5行重复"),
    ]
    groups = group_errors(errors)
    assert [(g.column, g.reason, g.count, g.rows) for g in groups] == [
        # 7 rows (2..8): the first 5 shown, "…" for the rest.
        ("许可证编号", "许可证编号应为JY或SC加14位数字", 7, (2, 3, 4, 5, 6)),
        ("检查编号", "与第…行重复", 2, (10, 11)),
        ("检查日期", "不是有效的日期", 1, (4,)),
    ]
    assert groups[0].rows_text() == "2、3、4、5、6…"
    assert str(groups[0]) == (
        "许可证编号：许可证编号应为JY或SC加14位数字 — 7处，第2、3、4、5、6…行，如“JY10000000000002”"
    )
    assert groups[2].rows_text() == "4"


def test_set_aside_rows_group_by_step_and_rule():
    rejected = [
        Rejected("v.csv", "", r, "findings", "drop_repeats", f"与第{r - 1}行重复") for r in (5, 9)
    ]
    rejected.insert(0, Rejected("v.csv", "", 3, "", "filters[0]", "不是数据行"))
    groups = group_rejected(rejected)
    assert [(g.ledger, g.check, g.count, g.rows, g.example) for g in groups] == [
        ("", "filters[0]", 1, (3,), "不是数据行"),
        ("findings", "drop_repeats", 2, (5, 9), "与第4行重复"),
    ]


def _bad_dates(tmp_path, n):
    """``n`` batches whose date is 2021-13-06 (no month 13) and one whose business is unknown."""
    rows = [SAMPLING_HEADER]
    rows += [
        [f"S{i}", "2021-13-06", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"]
        for i in range(n)
    ]
    rows += [["S-X", "2021-05-06", SUB, "B404", "监督抽检", "流通", "超市", "蔬菜", "合格"]]
    return write_csv(tmp_path / "batches.csv", rows)


def test_command_prints_groups_for_many_errors(units, tmp_path, capsys):  # noqa: F811
    path = _bad_dates(tmp_path, 30)
    with pytest.raises(CommandError, match="共 31 处错误"):
        call_command("import", "sampling", str(path))
    err = capsys.readouterr().err.splitlines()
    # 31 errors > 20: grouped, not one line each. Rows 2..31 have the bad date, row 32 the
    # unknown business.
    assert err == [
        "错误汇总（按列和原因，共 2 类）：",
        "  抽样日期：不是有效的日期 — 30处，第2、3、4、5、6…行，如“2021-13-06”",
        "  登记编号：未找到登记编号为“B404”的食品生产经营者 — 1处，第32行，如“B404”",
        "完整错误清单：加 -v 2 逐行列出，或用 --errors-out FILE 写出错误报告",
    ]
    with pytest.raises(CommandError):
        call_command("import", "sampling", str(path), "-v", "2")
    err = capsys.readouterr().err.splitlines()
    assert err[3] == "完整错误清单："
    assert len(err) == 4 + 31  # the groups, then every error
    assert err[4] == "batches.csv:2:抽样日期: 2021-13-06 — 不是有效的日期"


def test_report_has_the_groups_and_the_full_list(units, tmp_path):  # noqa: F811
    path = _bad_dates(tmp_path, 30)
    report = tmp_path / "r.xlsx"
    with pytest.raises(CommandError):
        call_command("import", "sampling", str(path), "--errors-out", str(report))
    book = openpyxl.load_workbook(io.BytesIO(report.read_bytes()))
    assert book.active.title == SUMMARY_SHEET
    rows = [r for r in book[SUMMARY_SHEET].iter_rows(values_only=True) if any(r)]
    assert rows[0][0] == "共 31 处错误，未写入任何数据"
    assert rows[2] == ("抽样日期", "不是有效的日期", 30, "2、3、4、5、6…", "2021-13-06")
    assert rows[3][:3] == ("登记编号", "未找到登记编号为“B404”的食品生产经营者", 1)
    assert book[LIST_SHEET].max_row == 1 + 31  # the full list is kept


def test_error_workbook_without_errors_says_so():
    book = openpyxl.load_workbook(io.BytesIO(error_workbook(b"", [])))
    assert book[SUMMARY_SHEET]["A1"].value == "没有错误"
