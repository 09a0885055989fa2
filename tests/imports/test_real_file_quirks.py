"""Quirks of real files (issue 9 point 5): each gives the right value or a clear error naming
file, sheet, row, column and the character or rule, never a wrong value.

The files are written by tests/data/make_quirks.py into a temporary directory; its docstrings
say what is odd about each.
"""

from __future__ import annotations

import importlib.util
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest

from foodsafe.imports import codes
from foodsafe.imports.error_report import error_workbook
from foodsafe.imports.errors import ImportValidationError, RowError
from foodsafe.imports.parsers import ParseError, from_excel_serial, parse_date, parse_uscc
from foodsafe.imports.readers import read_table
from foodsafe.imports.services import ledger_import, ledger_preview
from foodsafe.registry.models import FoodBusiness

from .helpers import row_counts
from .test_bad_files import district  # noqa: F401  (the org units the files refer to)


def _load_generator() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "data" / "make_quirks.py"
    spec = importlib.util.spec_from_file_location("make_quirks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


quirks = _load_generator()


def errors_of(path: Path) -> list[tuple[str, str, int, str, str, str]]:
    before = row_counts()
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="businesses", path=path)
    assert row_counts() == before  # all or nothing
    return [brief(e) for e in excinfo.value.errors]


def brief(e: RowError) -> tuple[str, str, int, str, str, str]:
    return (e.file, e.sheet, e.row, e.column, e.value, e.reason)


def opened(number: str) -> date | None:
    return FoodBusiness.objects.get(registry_number=number).opened_on


# -- 1904 date system ---------------------------------------------------------------------------


def test_1904_serials_by_hand():
    # ECMA-376 §18.17.4.1: in the 1904 system serial 0 is 1904-01-01. 2021-08-17 is 44425 in the
    # 1900 system; the systems differ by 1462 days (1900-01-01..1904-01-01 is 1461 days, plus
    # Excel's phantom 1900-02-29), so its 1904 serial is 42963.
    assert from_excel_serial(0, date1904=True) == date(1904, 1, 1)
    assert from_excel_serial(42963, date1904=True) == date(2021, 8, 17)
    # Read in the 1900 system the same number is 4 years and 1 day early: the old bug.
    assert from_excel_serial(42963) == date(2017, 8, 16)
    assert date(2021, 8, 17) - date(2017, 8, 16) == timedelta(days=4 * 365 + 1 + 1)


@pytest.mark.usefixtures("district")
def test_1904_workbook_from_xlsxwriter_imports_the_dates_typed(tmp_path):
    path = quirks.date1904_xlsxwriter(tmp_path)
    assert read_table(path).date1904
    ledger_import(ledger="businesses", path=path)
    assert opened("Q0101") == date(2026, 4, 1)  # the date cell, as typed
    assert opened("Q0102") == date(2021, 8, 17)  # the bare serial 42963, 1904 system


@pytest.mark.usefixtures("district")
def test_1904_workbook_from_openpyxl_imports_the_date_typed(tmp_path):
    path = quirks.date1904_openpyxl(tmp_path)
    ledger_import(ledger="businesses", path=path)
    assert opened("Q0111") == date(2026, 4, 1)


# -- formulas without a computed value ---------------------------------------------------------

NOT_CALCULATED = "公式未计算（not calculated）"


@pytest.mark.usefixtures("district")
def test_xlsxwriter_formulas_are_refused_not_read_as_zero(tmp_path):
    # XlsxWriter stores 0 for each formula: without the check 开业日期 would be Excel's day 0 and
    # 名称 "0". Both cells are refused, located by sheet, row and column header.
    path = quirks.formulas_xlsxwriter(tmp_path)
    errors = errors_of(path)
    assert [e[:5] for e in errors] == [
        (path.name, "经营者", 2, "开业日期", "=DATE(2021,8,17)"),
        (path.name, "经营者", 3, "名称", '="示例"&"超市"'),
    ]
    assert all(e[5].startswith(NOT_CALCULATED) for e in errors)


@pytest.mark.usefixtures("district")
def test_openpyxl_formulas_are_refused_not_read_as_blank(tmp_path):
    # openpyxl stores no value: python-calamine gives "", which for an optional date would be
    # a silent blank.
    path = quirks.formulas_openpyxl(tmp_path)
    [error] = errors_of(path)
    assert error[:5] == (path.name, "经营者", 2, "开业日期", "=DATE(2021,8,17)")
    assert error[5].startswith(NOT_CALCULATED)


# -- codes ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("district")
def test_codes_with_invisible_characters(tmp_path):
    path = quirks.codes_csv(tmp_path)
    errors = errors_of(path)
    good = quirks.code(6)
    assert errors == [
        # "·" (U+00B7) typed after the 8th character: the 9th position.
        (
            path.name,
            "",
            7,
            "统一社会信用代码",
            good[:8] + "·" + good[8:],
            "统一社会信用代码第9位是“·”（U+00B7 MIDDLE DOT），统一社会信用代码只能由数字和字母组成",
        ),
        # GB 11643's sample ID, masked: first 4 and last 4 shown.
        (
            path.name,
            "",
            8,
            "统一社会信用代码",
            "1101**********002X",
            "疑似身份证号（1101**********002X）：这一格应填单位的统一社会信用代码，不是个人身份证号码",
        ),
    ]
    assert not any(quirks.PERSONAL_ID in str(e) for e in errors)
    # Nor in the preview's first rows.
    preview = ledger_preview(ledger="businesses", path=path)
    [(_number, shown)] = [(n, cells) for n, cells in preview.rows if n == 8]
    assert "1101**********002X" in shown and quirks.PERSONAL_ID not in shown


@pytest.mark.usefixtures("district")
def test_codes_preview_notes_name_what_was_stripped(tmp_path):
    path = quirks.codes_csv(tmp_path)
    preview = ledger_preview(ledger="businesses", path=path)
    assert [("名称", "名称\u200b", "B")] == [c for c in preview.columns if c[0] == "名称"]
    assert preview.notes == [
        "第2行 统一社会信用代码：统一社会信用代码中的不可见字符已去除：U+200B 零宽空格",
        "第3行 统一社会信用代码：统一社会信用代码中的不可见字符已去除：U+FEFF 字节顺序标记（BOM）",
        "第4行 统一社会信用代码：统一社会信用代码中的不可见字符已去除：开头的单引号（'）",
        "第5行 统一社会信用代码：统一社会信用代码中的不可见字符已去除：U+00A0 不换行空格、制表符",
        "第6行 许可证编号：许可证编号中的不可见字符已去除：U+200B 零宽空格",
    ]


@pytest.mark.usefixtures("district")
def test_stripped_codes_import_as_the_clean_code(tmp_path):
    path = quirks.codes_csv(tmp_path)
    # Without rows 7 and 8 (refused above) the file imports; every code is the clean one.
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(lines[:6]), encoding="utf-8-sig")
    ledger_import(ledger="businesses", path=path)
    stored = dict(FoodBusiness.objects.values_list("registry_number", "uscc"))
    assert [stored[f"Q030{n}"] for n in (1, 2, 3, 4)] == [quirks.code(n) for n in (1, 2, 3, 4)]
    assert FoodBusiness.objects.get(registry_number="Q0305").licence_number == "JY11201010001019"


def test_personal_id_rule_by_hand():
    # 11010519491231002X: region 110105, born 1949-12-31, sequence 002, check X (ISO 7064
    # MOD 11-2). A USCC-shaped string that is not a valid ID (birth date 1949-13-31) is not
    # taken for one: it fails the USCC check instead.
    assert codes.is_personal_id("11010519491231002X")
    assert not codes.is_personal_id("11010519491331002X")
    assert codes.mask_id("120101199003071234") == "1201**********1234"
    with pytest.raises(ParseError) as excinfo:
        parse_uscc("11010519491231002X")
    assert excinfo.value.shown == "1101**********002X"


def test_a_character_of_no_code_is_named_with_its_position():
    with pytest.raises(ParseError, match="第1位是“А”（U\\+0410 CYRILLIC CAPITAL LETTER A）"):
        parse_uscc("\u0410" + quirks.GOOD_USCC[1:])  # Cyrillic А looks like Latin A


# -- sheets and rows --------------------------------------------------------------------------


@pytest.mark.usefixtures("district")
def test_hidden_first_sheet_is_skipped_and_hidden_rows_are_reported(tmp_path):
    path = quirks.hidden(tmp_path)
    preview = ledger_preview(ledger="businesses", path=path)
    assert preview.sheet == "经营者"
    assert preview.notes == [
        "已跳过隐藏的工作表“旧台账”",
        "工作表中有1行是隐藏行，已照常检查和导入（隐藏不等于删除；不要导入的行请删除）",
    ]
    ledger_import(ledger="businesses", path=path)
    # The hidden row 3 is imported (hidden is not deleted); the hidden sheet's row is not.
    assert set(
        FoodBusiness.objects.filter(registry_number__startswith="Q04").values_list(
            "registry_number", flat=True
        )
    ) == {"Q0401", "Q0402", "Q0403"}


@pytest.mark.usefixtures("district")
def test_a_hidden_sheet_named_explicitly_is_read(tmp_path):
    table = read_table(quirks.hidden(tmp_path), sheet="旧台账")
    assert table.sheet == "旧台账"
    assert table.notes == ["工作表“旧台账”是隐藏的工作表，按指定读取"]


# -- dates with a time ----------------------------------------------------------------------


@pytest.mark.usefixtures("district")
def test_dates_typed_with_a_time_give_the_date_in_shanghai(tmp_path):
    path = quirks.timed_dates(tmp_path)
    preview = ledger_preview(ledger="businesses", path=path)
    assert preview.errors == []
    assert preview.notes == [
        "第2行起共2行 开业日期：日期带有时间 07:30，已只取日期 2026-04-01（北京时间）",
        "第4行 开业日期：带时区的时间 2026-03-31T23:30:00+00:00 已换算为北京时间 2026-04-01 07:30"
        "；日期带有时间 07:30，已只取日期 2026-04-01（北京时间）",
    ]
    ledger_import(ledger="businesses", path=path)
    # 23:30 UTC on 03-31 is 07:30 on 04-01 in Shanghai (UTC+8).
    assert [opened(n) for n in ("Q0501", "Q0502", "Q0503")] == [date(2026, 4, 1)] * 3


def test_aware_datetime_cell_is_converted_before_the_date_is_taken():
    notes: list[str] = []
    moment = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)  # 00:00 04-01 in Shanghai
    assert parse_date(moment, notes=notes) == date(2026, 4, 1)
    assert notes == ["带时区的时间 2026-03-31T16:00:00+00:00 已换算为北京时间 2026-04-01 00:00"]


# -- the error report writes text -------------------------------------------------------------


@pytest.mark.usefixtures("district")
def test_error_report_writes_formula_like_cells_as_text(tmp_path):
    hyperlink = '=HYPERLINK("http://example.com","点击")'
    path = tmp_path / "hostile.csv"
    path.write_text(
        "登记编号,名称,类别,业态,区划代码,开业日期\n"
        f"Q0601,=1+1,食品销售,食杂店,{quirks.SUB},2021-02-30\n"
        f'Q0602,"{hyperlink.replace(chr(34), chr(34) * 2)}",食品销售,食杂店,{quirks.SUB},x\n',
        encoding="utf-8",
    )
    errors = ledger_preview(ledger="businesses", path=path).errors
    assert [e.row for e in errors] == [2, 3]
    book = openpyxl.load_workbook(io.BytesIO(error_workbook(path, errors, ledger="businesses")))
    texts = {c.value for s in book.worksheets for r in s.iter_rows() for c in r}
    # Read back as the same strings; a formula would read back as its formula text only with
    # data_type "f", so the type is checked too.
    assert "=1+1" in texts and hyperlink in texts
    kinds = {c.data_type for s in book.worksheets for r in s.iter_rows() for c in r if c.value}
    assert "f" not in kinds
