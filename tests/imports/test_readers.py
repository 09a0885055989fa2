"""Readers: file kinds and encodings told by content, header rows found, headers matched."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from foodsafe.imports import csv_text
from foodsafe.imports.csv_text import detect_encoding
from foodsafe.imports.ledgers import LEDGERS
from foodsafe.imports.readers import (
    HEADER_SCAN_ROWS,
    ReadError,
    column_letter,
    locate_header,
    match_columns,
    normalize_header,
    read_table,
    sheet_names,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
SAMPLING = LEDGERS["sampling"].columns
BUSINESSES = LEDGERS["businesses"].columns


def read(name: str, **kwargs):
    """The table of a file under tests/data/imports, its rows read into a list."""
    return materialised(read_table(DATA / name, **kwargs))


def materialised(table):
    table.rows = list(table.rows)
    return table


def read_error(name: str, **kwargs) -> ReadError:
    with pytest.raises(ReadError) as excinfo:
        read(name, **kwargs)
    return excinfo.value


# -- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("登记编号,名称\r\n", "utf-8", "utf-8"),
        ("登记编号,名称\r\n", "utf-8-sig", "utf-8-sig"),
        ("登记编号,名称\r\n", "gbk", "gb18030"),
        ("𠮷野示例食品店\r\n", "gb18030", "gb18030"),
        ("登记编号\t名称\r\n", "utf-16", "utf-16"),
    ],
)
def test_encoding_detected_from_content(text, encoding, expected):
    assert detect_encoding(text.encode(encoding)) == expected


def test_file_name_does_not_decide_the_kind(tmp_path):
    # A GBK CSV saved as .xlsx, and an .xlsx saved as .csv, are both read for what they are.
    disguised = tmp_path / "经营者.xlsx"
    disguised.write_bytes((DATA / "businesses_gbk.csv").read_bytes())
    assert (
        next(iter(read_table(disguised, columns=BUSINESSES).rows))[1][1] == "和平区示例南市食品店"
    )
    renamed = tmp_path / "batches.csv"
    renamed.write_bytes((DATA / "sampling_duplicate.xlsx").read_bytes())
    assert read_table(renamed, columns=SAMPLING).sheet == "Sheet1"


def test_gbk_csv():
    table = read("businesses_gbk.csv", columns=BUSINESSES)
    assert table.sheet == "" and table.header_row == 1
    assert [number for number, _cells in table.rows] == [2, 3, 4]
    assert table.rows[2][1][3] == "津和食摊备字第0012号"


def test_gb18030_csv_with_a_character_gbk_lacks():
    table = read("businesses_gb18030.csv", columns=BUSINESSES)
    assert table.rows[0][1][1] == "𠮷野示例食品店"


def test_utf16_tab_separated_text(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("登记编号\t名称\r\nB1\t示例店\r\n".encode("utf-16"))
    assert list(read_table(path).rows) == [(2, ["B1", "示例店"])]


def test_xls_file():
    table = read("sampling.xls", columns=SAMPLING)
    assert table.sheet == "抽检批次"
    assert [cells[1] for _n, cells in table.rows] == [date(2021, 8, 17), date(2021, 8, 18)]


# -- header row and merged cells ------------------------------------------------------------


def test_title_rows_above_the_header_are_skipped_and_merged_cells_filled():
    table = read("sampling_title_row.xlsx", columns=SAMPLING)
    assert table.sheet == "抽检台账"
    assert table.header_row == 3
    assert table.header[:3] == ["序号", "抽样编号", "抽样日期"]
    assert [n for n, _cells in table.rows] == [4, 5, 6, 7]
    # 区划代码 is one cell merged over rows 4-6: each row gets it.
    assert [cells[3] for _n, cells in table.rows] == [
        "120101001000",
        "120101001000",
        "120101001000",
        "120101002000",
    ]


def test_without_columns_the_first_non_blank_row_is_the_header():
    table = read("sampling_title_row.xlsx")
    assert table.header_row == 1


def test_header_search_is_limited_to_the_first_rows():
    junk = [[f"说明第{i}行"] for i in range(HEADER_SCAN_ROWS)]
    header = [["抽样单编号", "抽样日期"]]
    assert locate_header([*junk[:-1], *header], SAMPLING) == HEADER_SCAN_ROWS - 1
    assert locate_header([*junk, *header], SAMPLING) is None
    # Blank rows do not count against the limit.
    assert locate_header([[], [None, ""], *junk[:-1], *header], SAMPLING) == HEADER_SCAN_ROWS + 1


def test_the_row_naming_most_columns_wins():
    rows = [["抽样单编号"], ["抽样单编号", "抽样日期", "环节"], ["抽样单编号", "抽样日期"]]
    assert locate_header(rows, SAMPLING) == 1


# -- header matching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "统一社会信用代码",
        " 统一社会信用代码 ",
        "统一社会\u3000信用代码",
        "统一社会\n信用代码",
        "*统一社会信用代码",
        "＊统一社会信用代码",
        "统一社会信用代码（必填）",
        "社会信用代码",
        "信用代码",
        "社会信用代码\u3000",
    ],
)
def test_header_variants_match(written):
    positions, problems = match_columns(BUSINESSES, ["登记编号", written])
    assert positions["uscc"] == 1
    assert ("类别", "缺少必填列") in problems


def test_full_width_headers_match():
    assert normalize_header("罚没金额（元）") == normalize_header("罚没金额(元)")
    positions, _ = match_columns(LEDGERS["cases"].columns, ["罚没金额(元)"])
    assert positions == {"penalty_amount": 0}


@pytest.mark.parametrize("written", ["抽样单编号", "抽样编号", "样品编号", "抽样单号"])
def test_sample_number_synonyms(written):
    positions, _ = match_columns(SAMPLING, ["序号", written])
    assert positions == {"sample_number": 1}


def test_a_column_written_twice_is_a_problem():
    _positions, problems = match_columns(
        BUSINESSES, ["登记编号", "信用代码", "名称", "统一社会信用代码"]
    )
    assert ("统一社会信用代码", "表头重复：B列和D列都是“统一社会信用代码”") in problems


def test_synonyms_do_not_collide_within_a_ledger():
    from foodsafe.imports.readers import column_names

    for ledger in LEDGERS.values():
        names = [n for column in ledger.columns for n in column_names(column)]
        assert len(names) == len(set(names)), ledger.name


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


# -- files that are not tables --------------------------------------------------------------


TRUNCATED = "Excel 文件已损坏或不完整（可能没有下载或上传完整），请用 Excel 打开并重新保存后再导入"


def test_truncated_xlsx():
    error = read_error("sampling_truncated.xlsx", columns=SAMPLING)
    assert (error.sheet, error.reason) == ("", TRUNCATED)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ledger.docx", "文件是 Word 文档，不是 Excel 表格"),
        ("scan.pdf", "文件不是表格，而是PDF 文件；请上传 Excel（.xlsx/.xls）或 CSV 文件"),
    ],
)
def test_not_a_spreadsheet(name, expected):
    assert read_error(name).reason == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "文件是空的"),
        (
            b"\x89PNG\r\n\x1a\n....",
            "文件不是表格，而是PNG 图片；请上传 Excel（.xlsx/.xls）或 CSV 文件",
        ),
        (b"\x00\x01\x02binary", "文件不是 Excel 或 CSV 表格"),
        (
            b"<html><table><tr><td>1</td></tr></table></html>",
            "文件是网页（HTML/XML）格式，不是真正的 Excel 文件（有些系统导出的 .xls 就是这样）；"
            "请用 Excel 打开后“另存为”Excel 工作簿（.xlsx）再导入",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, None),
    ],
)
def test_other_non_tables(tmp_path, data, expected):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(data)
    with pytest.raises(ReadError) as excinfo:
        read_table(path)
    if expected is not None:
        assert excinfo.value.reason == expected
    else:
        assert excinfo.value.reason.startswith(
            "无法读取 Excel 文件（可能已损坏，或是 Word 等其他 Office 文件）"
        )


def test_unknown_sheet_lists_the_sheets():
    error = read_error("sampling_wrong_sheet.xlsx", sheet="抽检批次", columns=SAMPLING)
    assert error.sheet == "抽检批次"
    assert error.reason == "找不到工作表“抽检批次”，文件中的工作表有：填表说明、抽检数据"


def test_sheet_name_tolerates_spaces_and_full_width():
    assert read("sampling_wrong_sheet.xlsx", sheet=" 抽检数据 ", columns=SAMPLING).rows


def test_no_header_row_lists_the_headers_expected_and_the_sheet_that_has_them():
    # Named explicitly: unnamed, the visible sheet whose header matches is read instead.
    error = read_error("sampling_wrong_sheet.xlsx", sheet="填表说明", columns=SAMPLING)
    assert error.sheet == "填表说明"
    assert error.reason == (
        "工作表“填表说明”的前10行中找不到表头行（没有一个可识别的列名）。应有的列："
        "*抽样单编号、*抽样日期、*区划代码、登记编号、*抽检类型、*环节、*业态、*食品大类、"
        "样品名称、组织部门、*检验结论、报告日期、公开日期、核查处置完成日期（带*为必填）"
        "。工作表“抽检数据”中有可识别的表头，请指定该工作表"
    )


def test_no_header_in_a_csv(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(ReadError, match="^文件的前10行中找不到表头行"):
        read_table(path, columns=SAMPLING)


def test_sheet_names():
    assert sheet_names((DATA / "sampling_wrong_sheet.xlsx").read_bytes()) == [
        "填表说明",
        "抽检数据",
    ]
    assert sheet_names(b"a,b\n") == [""]


def test_leading_empty_rows_keep_excel_row_numbers():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(3, 2, ["抽样单编号", "抽样日期"])
    sheet.write_row(5, 2, ["S1", "2021-08-17"])
    book.close()
    table = materialised(read_table(Path("x.xlsx"), data=buffer.getvalue(), columns=SAMPLING))
    assert table.header_row == 4
    assert table.rows == [(6, ["", "", "S1", "2021-08-17"])]


# -- CSV read from a path, block by block ---------------------------------------------------

CSV_TEXT = (
    '登记编号,名称,备注\r\nB001,和平区示例南市食品店,"含,逗号"\r\n\r\nB002,𠮷野示例食品店,末行\r\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_from_a_path_is_decoded_across_blocks(tmp_path, monkeypatch, encoding):
    # 5-byte blocks cut the 2-, 3- and 4-byte characters of every encoding in two.

    monkeypatch.setattr(csv_text, "CSV_BLOCK", 5)
    text = CSV_TEXT.replace("𠮷", "吉") if encoding == "gbk" else CSV_TEXT
    path = tmp_path / "b.csv"
    path.write_bytes(text.encode(encoding))
    table = materialised(read_table(path, columns=BUSINESSES))
    assert table.header == ["登记编号", "名称", "备注"]
    assert table.rows == [
        (2, ["B001", "和平区示例南市食品店", "含,逗号"]),
        (4, ["B002", text[text.index("B002") + 5 : text.index(",末行")], "末行"]),
    ]
    assert table.last_row == 5  # four line ends: the line after the last one counts too


def test_csv_with_a_nul_byte_past_the_first_block_is_refused(tmp_path, monkeypatch):

    monkeypatch.setattr(csv_text, "CSV_BLOCK", 4096)
    path = tmp_path / "b.csv"
    path.write_bytes("登记编号,名称\r\n".encode() + b"B001,x\r\n" * 1000 + b"B002,\x00\r\n")
    with pytest.raises(ReadError, match="不是 Excel 或 CSV 表格"):
        read_table(path, columns=BUSINESSES)


def test_csv_that_is_neither_utf8_nor_gb18030_is_refused(tmp_path):
    path = tmp_path / "b.csv"
    # 0x81 0x20: 0x81 cannot start a UTF-8 character, and in GB18030 it must be followed by
    # 0x30-0x39 or 0x40-0xFE.
    path.write_bytes("登记编号,名称\r\n".encode() + b"B001,\x81\x20\r\n")
    with pytest.raises(ReadError, match="无法识别文件编码"):
        read_table(path, columns=BUSINESSES)


def test_a_csv_cell_over_the_field_limit_names_its_line(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("登记编号,名称\r\nB001,甲\r\nB002," + "长" * 200_000 + "\r\n", encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        list(read_table(path, columns=BUSINESSES).rows)
    assert caught.value.reason == (
        "CSV 格式错误（第3行）：有一个单元格超过 131,072 个字符，不是正常的台账内容"
    )
