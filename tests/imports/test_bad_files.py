"""Real small files from tests/data/imports through the whole import: exact errors, and nothing
written when any row fails (row counts of every ledger table before and after).

The files are made by tests/data/make_files.py, which says what is wrong in each.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from foodsafe.imports.errors import ImportValidationError, RowError
from foodsafe.imports.ledgers import get_ledger
from foodsafe.imports.parsers import uscc_check_char
from foodsafe.imports.readers import read_table
from foodsafe.imports.services import ledger_import
from foodsafe.orgunits.models import OrgUnit
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.models import SamplingBatch

from .helpers import row_counts

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
SUB = "120101001000"
SUB2 = "120101002000"


@pytest.fixture
def district(db):
    """和平区 (test) with two subdistricts and the business B0001 the files refer to."""
    OrgUnit.objects.create(code="120000000000", name="天津市（测试）", level=1)
    OrgUnit.objects.create(
        code="120100000000", name="市辖区（测试）", level=2, parent_id="120000000000"
    )
    OrgUnit.objects.create(
        code="120101000000", name="和平区（测试）", level=3, parent_id="120100000000"
    )
    OrgUnit.objects.create(code=SUB, name="劝业场街道（测试）", level=4, parent_id="120101000000")
    OrgUnit.objects.create(code=SUB2, name="小白楼街道（测试）", level=4, parent_id="120101000000")
    FoodBusiness.objects.create(
        registry_number="B0001",
        name="示例超市",
        sector="sales",
        business_format="supermarket",
        org_unit_id=SUB,
    )


def errors_of(ledger: str, name: str, **kwargs) -> list[RowError]:
    """The errors importing tests/data/imports/NAME gives; asserts nothing was written."""
    before = row_counts()
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger=ledger, path=DATA / name, **kwargs)
    assert row_counts() == before
    return excinfo.value.errors


def brief(errors: list[RowError]) -> list[tuple[str, str, int, str, str, str]]:
    return [(e.file, e.sheet, e.row, e.column, e.value, e.reason) for e in errors]


# -- files that import -----------------------------------------------------------------------


def test_gbk_csv_with_synonym_headers(district):
    result = ledger_import(ledger="businesses", path=DATA / "businesses_gbk.csv")
    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    shop = FoodBusiness.objects.get(registry_number="B0101")
    assert shop.name == "和平区示例南市食品店"  # header "名　称" with an ideographic space
    assert shop.uscc == "91120101MA05K1234B"  # header "社会信用代码"
    assert shop.licence_number == "JY11201010001019"  # header "许可证号"
    assert shop.opened_on == date(2021, 8, 17)  # typed 2021年8月17日
    assert FoodBusiness.objects.get(registry_number="B0102").opened_on == date(2019, 3, 7)
    stall = FoodBusiness.objects.get(registry_number="B0103")
    assert stall.licence_number == "津和食摊备字第0012号"  # a stall's local registration card
    assert stall.opened_on == date(2020, 5, 6)
    # Importing the same file again changes nothing.
    again = ledger_import(ledger="businesses", path=DATA / "businesses_gbk.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_gb18030_and_bom_csv(district):
    ledger_import(ledger="businesses", path=DATA / "businesses_gb18030.csv")
    ledger_import(ledger="businesses", path=DATA / "businesses_utf8_bom.csv")
    assert FoodBusiness.objects.get(registry_number="B0201").name == "𠮷野示例食品店"
    assert FoodBusiness.objects.get(registry_number="B0301").name == "示例便利店"


def test_title_rows_merged_cells_and_five_date_forms(district):
    result = ledger_import(ledger="sampling", path=DATA / "sampling_title_row.xlsx")
    assert result.added == 4
    batches = {b.sample_number: b for b in SamplingBatch.objects.all()}
    assert [(n, b.sampled_on, b.org_unit_id) for n, b in sorted(batches.items())] == [
        ("DC21120101000001", date(2021, 8, 17), SUB),  # text 2021年8月17日
        ("DC21120101000002", date(2021, 8, 18), SUB),  # a date cell
        ("DC21120101000003", date(2021, 8, 19), SUB),  # Excel serial 44427
        ("DC21120101000004", date(2021, 8, 20), SUB2),  # 2021/8/20
    ]


def test_xls(district):
    assert ledger_import(ledger="sampling", path=DATA / "sampling.xls").added == 2
    assert SamplingBatch.objects.get(sample_number="DC21120101000052").sampled_on == date(
        2021, 8, 18
    )


def test_right_sheet_named(district):
    result = ledger_import(
        ledger="sampling", path=DATA / "sampling_wrong_sheet.xlsx", sheet="抽检数据"
    )
    assert result.added == 1


# -- bad files: exact errors, nothing written --------------------------------------------------


def test_bad_uscc_check_character(district):
    assert brief(errors_of("businesses", "businesses_bad_uscc.xlsx")) == [
        (
            "businesses_bad_uscc.xlsx",
            "经营者",
            3,
            "统一社会信用代码",
            "91120101MA05K1234C",
            "统一社会信用代码校验位（第18位）不正确，请核对是否有字符抄错",
        )
    ]


def test_uscc_typed_in_lower_case_with_a_space_is_stored_normalised(district, tmp_path):
    book = openpyxl.load_workbook(DATA / "businesses_bad_uscc.xlsx")
    book.active.delete_rows(3)  # the row with the bad check character
    book.save(tmp_path / "fixed.xlsx")
    assert ledger_import(ledger="businesses", path=tmp_path / "fixed.xlsx").added == 2
    assert FoodBusiness.objects.get(registry_number="B0403").uscc == "92120101MA06L2345" + (
        uscc_check_char("92120101MA06L2345")
    )


def test_bad_licences(district):
    assert [
        (e.row, e.column, e.value, e.reason)
        for e in errors_of("businesses", "businesses_bad_licence.csv")
    ] == [
        (
            3,
            "许可证编号",
            "JY1120101000501",
            "食品经营许可证编号应为JY加14位数字，这里JY后是“1120101000501”（13位数字）；14位依次为："
            "主体业态代码1位（1食品销售经营者、2餐饮服务经营者、3单位食堂）、省2位、市2位、县2位、"
            "顺序码6位、校验码1位（食品经营许可管理办法）",
        ),
        (
            4,
            "许可证编号",
            "SC10612010100017",
            "SC开头的是食品生产许可证，类别为“餐饮服务”的应填写食品经营许可证（JY）编号",
        ),
        (
            5,
            "许可证编号",
            "JY11201010005048",
            "许可证第3位为1（食品销售经营者），与类别“餐饮服务”不符",
        ),
        (
            6,
            "许可证编号",
            "津和食经备字第0001号",
            "许可证编号应为JY或SC加14位数字；只有食品小作坊、小餐饮、食品摊贩可填写登记证或备案卡编号",
        ),
    ]


def test_duplicate_sample_number(district):
    assert brief(errors_of("sampling", "sampling_duplicate.xlsx")) == [
        (
            "sampling_duplicate.xlsx",
            "Sheet1",
            4,
            "抽样单编号",
            "DC21120101000011",
            "与第2行重复（抽样单编号相同）",
        )
    ]


def test_bad_date_and_unknown_business_under_a_title_row(district):
    assert brief(errors_of("sampling", "sampling_errors.xlsx")) == [
        ("sampling_errors.xlsx", "抽检台账", 5, "抽样日期", "2021-02-30", "不是有效的日期"),
        (
            "sampling_errors.xlsx",
            "抽检台账",
            6,
            "登记编号",
            "B9999",
            "未找到登记编号为“B9999”的食品生产经营者",
        ),
    ]


def test_truncated_xlsx(district):
    assert brief(errors_of("sampling", "sampling_truncated.xlsx")) == [
        (
            "sampling_truncated.xlsx",
            "",
            0,
            "",
            "",
            "Excel 文件已损坏或不完整（可能没有下载或上传完整），请用 Excel 打开并重新保存后再导入",
        )
    ]


def test_wrong_sheet_named(district):
    assert brief(errors_of("sampling", "sampling_wrong_sheet.xlsx", sheet="抽检批次")) == [
        (
            "sampling_wrong_sheet.xlsx",
            "抽检批次",
            0,
            "",
            "",
            "找不到工作表“抽检批次”，文件中的工作表有：填表说明、抽检数据",
        )
    ]


def test_data_not_on_the_first_sheet(district):
    # The first sheet (填表说明) names no ledger column; the second (抽检数据) has the header.
    # The visible sheet whose header matches is read, and the note says which was passed over.
    table = read_table(DATA / "sampling_wrong_sheet.xlsx", columns=get_ledger("sampling").columns)
    assert table.sheet == "抽检数据"
    assert table.notes == ["工作表“填表说明”中没有可识别的表头，已读取工作表“抽检数据”"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("ledger.docx", "文件是 Word 文档，不是 Excel 表格"),
        ("scan.pdf", "文件不是表格，而是PDF 文件；请上传 Excel（.xlsx/.xls）或 CSV 文件"),
    ],
)
def test_not_a_spreadsheet(district, name, reason):
    assert brief(errors_of("businesses", name)) == [(name, "", 0, "", "", reason)]


def test_renamed_file_is_read_by_content(district, tmp_path):
    path = tmp_path / "经营者.xlsx"
    shutil.copy(DATA / "businesses_gbk.csv", path)
    assert ledger_import(ledger="businesses", path=path).added == 3
