"""Write the small ledger files under tests/data/imports/ that the import tests read.

Run from the repository root: ``.venv/bin/python tests/data/make_files.py``. The files are
committed; this script says how each was made and what is deliberately wrong in it. The .xls
file needs xlwt, which the project does not depend on (``pip install --target DIR xlwt`` and put
DIR on PYTHONPATH); without it the committed .xls is kept.

Every file refers to the org units and the business the tests create: the subdistricts
120101001000 and 120101002000 of 和平区 and the business B0001.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from stdnum.cn import uscc

OUT = Path(__file__).resolve().parent / "imports"
SUB = "120101001000"
SUB2 = "120101002000"
CREATED = datetime(2021, 9, 1)  # fixed, so that regenerating gives the same bytes


def uscc_code(body: str) -> str:
    """A USCC with a correct check character (GB 32100-2015) from its first 17 characters."""
    return body + uscc.calc_check_digit(body)


GOOD_USCC = uscc_code("91120101MA05K1234")  # 91120101MA05K1234B
OTHER_USCC = uscc_code("92120101MA06L2345")
#: The same code with a wrong 18th character.
BAD_USCC = GOOD_USCC[:17] + ("C" if GOOD_USCC[17] != "C" else "D")

SAMPLING_HEADER = [
    "抽样单编号",
    "抽样日期",
    "区划代码",
    "登记编号",
    "抽检类型",
    "环节",
    "业态",
    "食品大类",
    "样品名称",
    "检验结论",
]


def sampling_row(number: str, sampled: object, unit: str = SUB) -> list[object]:
    return [number, sampled, unit, "B0001", "监督抽检", "流通", "超市", "蔬菜", "普通白菜", "合格"]


def write_csv(name: str, rows: list[list[object]], encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (OUT / name).write_bytes(buffer.getvalue().encode(encoding))


def workbook(name: str) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(OUT / name))
    book.set_properties({"created": CREATED, "author": "foodsafe tests"})
    return book


def write_rows(book, sheet, rows, *, first_row: int = 0) -> None:
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=first_row):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write_datetime(r, c, datetime.combine(value, datetime.min.time()), dates)
            else:
                sheet.write(r, c, value)


def businesses_gbk() -> None:
    """GBK CSV (Excel on Chinese Windows) with header quirks: an ideographic space, synonyms."""
    write_csv(
        "businesses_gbk.csv",
        [
            [
                "登记编号",
                "名\u3000称",
                "社会信用代码",
                "许可证号",
                "类别",
                "业态",
                "区划代码",
                "开业日期",
            ],
            [
                "B0101",
                "和平区示例南市食品店",
                GOOD_USCC,
                "JY11201010001019",
                "食品销售",
                "食杂店",
                SUB,
                "2021年8月17日",
            ],
            ["B0102", "示例餐馆", "", "JY21201010001022", "餐饮服务", "餐馆", SUB, "2019/3/7"],
            [
                "B0103",
                "示例小吃摊",
                "",
                "津和食摊备字第0012号",
                "餐饮服务",
                "食品摊贩",
                SUB2,
                "2020.5.6",
            ],
        ],
        "gbk",
    )


def businesses_gb18030() -> None:
    """GB18030 CSV with a character GBK lacks (𠮷, U+20BB7), so only GB18030 decodes it."""
    write_csv(
        "businesses_gb18030.csv",
        [
            ["登记编号", "名称", "类别", "业态", "区划代码"],
            ["B0201", "𠮷野示例食品店", "食品销售", "食杂店", SUB],
        ],
        "gb18030",
    )


def businesses_utf8_bom() -> None:
    write_csv(
        "businesses_utf8_bom.csv",
        [
            ["登记编号", "名称", "类别", "业态", "区划代码"],
            ["B0301", "示例便利店", "食品销售", "食杂店", SUB],
        ],
        "utf-8-sig",
    )


def businesses_bad_uscc() -> None:
    """Row 3 has a wrong check character; row 4 a correct code typed in lower case with spaces."""
    book = workbook("businesses_bad_uscc.xlsx")
    sheet = book.add_worksheet("经营者")
    spaced = " ".join([OTHER_USCC[:8], OTHER_USCC[8:]]).lower()
    write_rows(
        book,
        sheet,
        [
            ["登记编号", "名称", "统一社会信用代码", "类别", "业态", "区划代码"],
            ["B0401", "示例超市甲", GOOD_USCC, "食品销售", "超市", SUB],
            ["B0402", "示例超市乙", BAD_USCC, "食品销售", "超市", SUB],
            ["B0403", "示例超市丙", spaced, "食品销售", "超市", SUB],
        ],
    )
    book.close()


def businesses_bad_licence() -> None:
    """One licence problem per row after the first: length, sector, 主体业态, local format."""
    write_csv(
        "businesses_bad_licence.csv",
        [
            ["登记编号", "名称", "许可证编号", "类别", "业态", "区划代码"],
            ["B0501", "示例超市", "JY11201010005013", "食品销售", "超市", SUB],
            ["B0502", "示例超市二", "JY1120101000501", "食品销售", "超市", SUB],
            ["B0503", "示例饭店", "SC10612010100017", "餐饮服务", "餐馆", SUB],
            ["B0504", "示例饭店二", "JY11201010005048", "餐饮服务", "餐馆", SUB],
            ["B0505", "示例超市三", "津和食经备字第0001号", "食品销售", "超市", SUB],
        ],
        "utf-8",
    )


def sampling_title_row() -> None:
    """A hand-kept sheet: merged title and note rows above the header (on row 3), a 序号
    column, a synonym header (抽样编号), one 区划代码 merged over three rows, and dates as text
    (2021年8月17日), a date cell, an Excel serial number and 2021/8/20."""
    book = workbook("sampling_title_row.xlsx")
    sheet = book.add_worksheet("抽检台账")
    title = book.add_format({"bold": True, "align": "center", "font_size": 14})
    merged = book.add_format({"valign": "vcenter"})
    sheet.merge_range(0, 0, 0, 10, "和平区2021年食品安全抽检台账（测试）", title)
    sheet.merge_range(1, 0, 1, 10, "填报单位：和平区市场监管局（测试）    填报日期：2021年9月1日")
    header = ["序号", "抽样编号", *SAMPLING_HEADER[1:]]
    rows = [
        [1, *sampling_row("DC21120101000001", "2021年8月17日")],
        [2, *sampling_row("DC21120101000002", date(2021, 8, 18))],
        [3, *sampling_row("DC21120101000003", 44427)],
        [4, *sampling_row("DC21120101000004", "2021/8/20", SUB2)],
    ]
    for row in rows[:3]:
        row[3] = None  # the merged 区划代码 below holds it
    write_rows(book, sheet, [header, *rows], first_row=2)
    sheet.merge_range(3, 3, 5, 3, SUB, merged)
    book.close()


def sampling_errors() -> None:
    """Like the title-row file, with a bad date (row 4) and an unknown business (row 5)."""
    book = workbook("sampling_errors.xlsx")
    sheet = book.add_worksheet("抽检台账")
    sheet.merge_range(0, 0, 0, 9, "和平区2021年食品安全抽检台账（测试）")
    bad_business = sampling_row("DC21120101000023", "2021-08-19")
    bad_business[3] = "B9999"
    write_rows(
        book,
        sheet,
        [
            ["抽样编号", *SAMPLING_HEADER[1:]],
            sampling_row("DC21120101000021", "2021-08-17"),
            sampling_row("DC21120101000022", "2021-02-30"),
            bad_business,
        ],
        first_row=2,
    )
    book.close()


def sampling_duplicate() -> None:
    """The sample number of row 2 again on row 4."""
    book = workbook("sampling_duplicate.xlsx")
    sheet = book.add_worksheet("Sheet1")
    write_rows(
        book,
        sheet,
        [
            SAMPLING_HEADER,
            sampling_row("DC21120101000011", "2021-08-17"),
            sampling_row("DC21120101000012", "2021-08-17"),
            sampling_row("DC21120101000011", "2021-08-18"),
        ],
    )
    book.close()


def sampling_wrong_sheet() -> None:
    """An instructions sheet first; the data is on the second sheet, 抽检数据."""
    book = workbook("sampling_wrong_sheet.xlsx")
    notes = book.add_worksheet("填表说明")
    notes.write(0, 0, "请在“抽检数据”工作表中填写，每行一个批次。")
    notes.write(1, 0, "日期格式：2021-08-17。")
    data = book.add_worksheet("抽检数据")
    write_rows(book, data, [SAMPLING_HEADER, sampling_row("DC21120101000031", "2021-08-17")])
    book.close()


def sampling_truncated() -> None:
    """A valid workbook cut off after 60% of its bytes, as an interrupted upload leaves it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": CREATED})
    sheet = book.add_worksheet("Sheet1")
    write_rows(book, sheet, [SAMPLING_HEADER, sampling_row("DC21120101000041", "2021-08-17")])
    book.close()
    data = buffer.getvalue()
    (OUT / "sampling_truncated.xlsx").write_bytes(data[: len(data) * 6 // 10])


def sampling_xls() -> None:
    """An Excel 97-2003 .xls with a date cell (needs xlwt; kept as committed otherwise)."""
    try:
        import xlwt  # type: ignore[import-not-found]
    except ImportError:
        print("xlwt not installed: keeping the committed sampling.xls")
        return
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("抽检批次")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for c, value in enumerate(SAMPLING_HEADER):
        sheet.write(0, c, value)
    for r, number in enumerate(("DC21120101000051", "DC21120101000052"), start=1):
        for c, value in enumerate(sampling_row(number, date(2021, 8, 16 + r))):
            if isinstance(value, date):
                sheet.write(r, c, value, dates)
            else:
                sheet.write(r, c, value)
    book.save(str(OUT / "sampling.xls"))


def not_spreadsheets() -> None:
    """A Word document (a ZIP without a workbook) and a PDF, uploaded by mistake."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("word/document.xml", date_time=(2021, 9, 1, 0, 0, 0))
        archive.writestr(info, "<w:document/>")
    (OUT / "ledger.docx").write_bytes(buffer.getvalue())
    (OUT / "scan.pdf").write_bytes(b"%PDF-1.4\n% not a spreadsheet\n%%EOF\n")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    businesses_gbk()
    businesses_gb18030()
    businesses_utf8_bom()
    businesses_bad_uscc()
    businesses_bad_licence()
    sampling_title_row()
    sampling_errors()
    sampling_duplicate()
    sampling_wrong_sheet()
    sampling_truncated()
    sampling_xls()
    not_spreadsheets()
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size:>7}  {path.relative_to(OUT.parent)}")


if __name__ == "__main__":
    main()
