"""xlsx_stream: a worksheet read slice by slice gives the rows of a whole-sheet read.

Slices are forced small: ``slice_bytes=200`` alone is not enough, because a slice is cut at
most once per block read from the ZIP member (``READ_BYTES``, 1 MiB), so the tests shrink the
blocks too and check that the sheet really went through several slices.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from foodsafe.imports import readers, xlsx_stream
from foodsafe.imports.readers import ReadError, read_table
from foodsafe.imports.xlsx_stream import StreamError, open_sheet_stream

from .helpers import write_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


@pytest.fixture
def small_slices(monkeypatch):
    """Blocks of 64 bytes and slices of 200 bytes, for open_sheet_stream and read_table."""
    monkeypatch.setattr(xlsx_stream, "READ_BYTES", 64)
    monkeypatch.setattr(
        readers, "open_sheet_stream", functools.partial(open_sheet_stream, slice_bytes=200)
    )


def stream(path: Path, sheet: str):
    found = open_sheet_stream(path, sheet, slice_bytes=200)
    assert found is not None
    return found


def slice_count(sheet_stream) -> int:
    return sum(1 for _ in sheet_stream._slices())


def trimmed(row: list) -> list:
    """A row without its trailing empty cells: a slice is only as wide as its own cells."""
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return list(row[:end])


def relationships(*targets: tuple[str, str]) -> str:
    """A relationships part: (type, target) pairs, with ids rId1, rId2, …"""
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC_REL}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, start=1)
    )
    return f'<Relationships xmlns="{PKG_REL}">{items}</Relationships>'


def hand_book(path: Path, sheets: list[tuple[str, str, str]], *, rels: bool = True) -> Path:
    """An .xlsx written by hand: ``sheets`` are (name, part file under xl/worksheets, XML)."""
    listed = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _part, _xml) in enumerate(sheets, start=1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("_rels/.rels", relationships(("officeDocument", "xl/workbook.xml")))
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_REL}"><sheets>{listed}</sheets></workbook>',
        )
        if rels:
            parts = [("worksheet", f"worksheets/{part}") for _name, part, _xml in sheets]
            book.writestr("xl/_rels/workbook.xml.rels", relationships(*parts))
        for _name, part, xml in sheets:
            book.writestr(f"xl/worksheets/{part}", xml)
    return path


def text_rows(label: str, count: int, prefix: str = "") -> str:
    """Rows 1..count: A = inline string label+n, B = the number n."""
    x = prefix
    return "".join(
        f'<{x}row r="{n}"><{x}c r="A{n}" t="inlineStr"><{x}is><{x}t>{label}{n}</{x}t></{x}is>'
        f'</{x}c><{x}c r="B{n}"><{x}v>{n}</{x}v></{x}c></{x}row>'
        for n in range(1, count + 1)
    )


def worksheet(body: str) -> str:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'


# -- 1. the same cells as a whole-sheet read ------------------------------------------------

BLANK_ROWS = (15, 16)  # Excel rows left empty between data rows


def write_ledger(path: Path, *, constant_memory: bool) -> Path:
    """Header in C4:H4; data rows 5..34 except BLANK_ROWS; D9 left empty mid-row."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = book.add_worksheet("台账")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(3, 2, ["编号", "名称", "日期", "合格", "数量", "抽检时间"])
    for number in range(5, 35):
        if number in BLANK_ROWS:
            continue
        i, r = number - 5, number - 1
        sheet.write_string(r, 2, f"S{i:03d}")
        if number != 9:
            sheet.write_string(r, 3, "餐馆" if i % 2 else "超市")
        sheet.write_datetime(r, 4, date(2024, 1, 1) + timedelta(days=i), day)
        sheet.write_boolean(r, 5, i % 3 == 0)
        sheet.write_number(r, 6, i * 2.5)
        sheet.write_datetime(r, 7, datetime(2024, 3, 1, 8, 30), stamp)  # noqa: DTZ001
    book.close()
    return path


@pytest.mark.parametrize("constant_memory", [False, True], ids=["shared", "inline"])
def test_rows_across_slices_equal_a_whole_sheet_read(tmp_path, small_slices, constant_memory):
    path = write_ledger(tmp_path / "ledger.xlsx", constant_memory=constant_memory)
    sheet = stream(path, "台账")
    assert slice_count(sheet) >= 8
    rows = list(sheet.rows())
    book = CalamineWorkbook.from_path(str(path))
    whole = book.get_sheet_by_name("台账").to_python(skip_empty_area=False)
    assert [trimmed(r) for r in rows] == [trimmed(r) for r in whole]
    assert len(rows) == 34
    assert [trimmed(r) for r in rows[:3]] == [[], [], []]  # rows 1 to 3 are empty
    header = ["", "", "编号", "名称", "日期", "合格", "数量", "抽检时间"]
    assert rows[3] == header  # row 4
    stamp = datetime(2024, 3, 1, 8, 30)  # noqa: DTZ001
    assert rows[4] == ["", "", "S000", "超市", date(2024, 1, 1), True, 0.0, stamp]
    assert rows[8] == ["", "", "S004", "", date(2024, 1, 5), False, 10.0, stamp]  # row 9
    assert [trimmed(rows[n - 1]) for n in BLANK_ROWS] == [[], []]
    assert rows[33] == ["", "", "S029", "餐馆", date(2024, 1, 30), False, 72.5, stamp]


# -- 2. merged cells -----------------------------------------------------------------------


def write_merged(path: Path, merged: str) -> Path:
    """Header 区划代码/名称/备注 in row 1; rows 2..30 hold A and B; ``merged`` gets "330102"."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, ["区划代码", "名称", "备注"])
    for r in range(1, 30):
        if not merged.startswith("A") or not 4 <= r <= 19:
            sheet.write_string(r, 0, f"33010{r % 10}")
        sheet.write_string(r, 1, f"单位{r + 1}")
    sheet.merge_range(merged, "330102", None)
    book.close()
    return path


def test_merged_range_across_slices_fills_every_cell(tmp_path, small_slices):
    path = write_merged(tmp_path / "merged.xlsx", "A5:A20")
    assert slice_count(stream(path, "台账")) >= 5
    table = read_table(path)
    column_a = {number: row[0] for number, row in table.rows}
    assert [column_a[n] for n in range(5, 21)] == ["330102"] * 16
    assert (column_a[4], column_a[21]) == ("330103", "330100")
    assert len(column_a) == 29


def test_merged_range_in_the_last_column_fills_every_cell(tmp_path, small_slices):
    path = write_merged(tmp_path / "merged.xlsx", "C5:C20")
    notes = {n: row[2] if len(row) > 2 else "" for n, row in read_table(path).rows}
    assert [notes[n] for n in range(5, 21)] == ["330102"] * 16


# -- 3, 4. workbook layouts written by hand -------------------------------------------------


def test_second_of_three_sheets_whose_part_is_sheet3(tmp_path, small_slices):
    path = hand_book(
        tmp_path / "order.xlsx",
        [
            ("概况", "sheet2.xml", worksheet(text_rows("甲", 3))),
            ("数据", "sheet3.xml", worksheet(text_rows("数", 25))),
            ("说明", "sheet1.xml", worksheet(text_rows("说", 2))),
        ],
    )
    sheet = stream(path, "数据")
    assert sheet.part == "xl/worksheets/sheet3.xml"
    assert slice_count(sheet) >= 5
    assert list(sheet.rows()) == [[f"数{n}", float(n)] for n in range(1, 26)]
    table = read_table(path, sheet="数据")
    assert (table.header, next(iter(table.rows))) == (["数1", 1.0], (2, ["数2", 2.0]))


def test_namespace_prefixed_worksheet(tmp_path, small_slices):
    merged = '<x:mergeCells count="1"><x:mergeCell ref="C2:C3"/></x:mergeCells>'
    xml = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{text_rows("行", 30, "x:")}'
        f"</x:sheetData>{merged}</x:worksheet>"
    )
    path = hand_book(tmp_path / "dotnet.xlsx", [("Sheet1", "sheet1.xml", xml)])
    sheet = stream(path, "Sheet1")
    assert slice_count(sheet) >= 8
    assert sheet.merged == [((1, 2), (2, 2))]
    assert list(sheet.rows()) == [[f"行{n}", float(n)] for n in range(1, 31)]


# -- 5. empty sheets and layouts not understood ---------------------------------------------


def test_empty_sheet_data_element_gives_no_rows(tmp_path):
    path = hand_book(tmp_path / "empty.xlsx", [("空表", "sheet1.xml", worksheet(""))])
    assert list(stream(path, "空表").rows()) == []


def test_self_closing_sheet_data_gives_no_rows(tmp_path):
    path = tmp_path / "empty.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("空表")
    book.close()
    assert b"<sheetData/>" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert list(stream(path, "空表").rows()) == []
    with pytest.raises(ReadError, match="文件中没有数据"):
        read_table(path)


def test_workbook_without_relationships_is_not_streamed(tmp_path):
    sheets = [("Sheet1", "sheet1.xml", worksheet(text_rows("a", 2)))]
    path = hand_book(tmp_path / "norels.xlsx", sheets, rels=False)
    assert open_sheet_stream(path, "Sheet1") is None


def test_worksheet_xml_cut_inside_sheet_data_is_a_stream_error(tmp_path):
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>{text_rows("a", 5)}<row r="6">'
    path = hand_book(tmp_path / "cut.xlsx", [("Sheet1", "sheet1.xml", xml)])
    with pytest.raises(StreamError):
        open_sheet_stream(path, "Sheet1")


# -- 6. a damaged file ----------------------------------------------------------------------


def test_damaged_worksheet_member_is_a_read_error(tmp_path):
    rows = [["名称", "编号", "数量"]] + [[f"单位{r}", r, r * 0.5] for r in range(1, 2000)]
    path = write_xlsx(tmp_path / "damaged.xlsx", rows, sheet="台账")
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    middle = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    for at in range(middle, middle + 32):
        data[at] ^= 0x55
    path.write_bytes(bytes(data))

    with pytest.raises(ReadError, match="Excel 文件已损坏（工作表数据解压失败）") as caught:
        list(read_table(path).rows)
    assert caught.value.sheet == "台账"


# -- 7. last_row from <dimension> -----------------------------------------------------------


def test_last_row_is_that_of_the_dimension(tmp_path):
    rows = [["名称"]] + [[]] * 98 + [[None] * 13 + ["末尾"]]  # A1 and N100
    path = write_xlsx(tmp_path / "dimension.xlsx", rows, sheet="台账")
    assert b'<dimension ref="A1:N100"/>' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert stream(path, "台账").last_row == 100
    assert read_table(path).last_row == 100


def test_last_row_is_none_without_a_dimension(tmp_path):
    path = hand_book(tmp_path / "nodim.xlsx", [("S", "sheet1.xml", worksheet(text_rows("a", 3)))])
    assert stream(path, "S").last_row is None


# -- 8. images are left out of the slice workbooks ------------------------------------------


def tiny_png() -> bytes:
    """A 1×1 red PNG."""
    chunks = [(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))]
    chunks += [(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")), (b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        for kind, body in chunks
    )


def test_sheet_with_an_image_reads_its_rows(tmp_path, small_slices):
    path = tmp_path / "photo.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    for r in range(20):
        sheet.write_row(r, 0, [f"单位{r + 1}", r + 1])
    sheet.insert_image("D2", "photo.png", {"image_data": io.BytesIO(tiny_png())})
    book.close()
    assert "xl/media/image1.png" in zipfile.ZipFile(path).namelist()

    sheet_stream = stream(path, "台账")
    skeleton = zipfile.ZipFile(io.BytesIO(sheet_stream.skeleton)).namelist()
    assert "xl/media/image1.png" not in skeleton
    assert slice_count(sheet_stream) >= 4
    assert list(sheet_stream.rows()) == [[f"单位{n}", float(n)] for n in range(1, 21)]


# -- .xlsb: a ZIP workbook whose parts are not XML ------------------------------------------


def xlsb_record(kind: int, body: bytes = b"") -> bytes:
    head = bytes([kind]) if kind < 0x80 else bytes([kind & 0x7F | 0x80, kind >> 7])
    return head + bytes([len(body)]) + body


def wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def test_xlsb_is_refused_with_a_way_out(tmp_path):
    cells = [["名称", "编号"], ["甲", "1"]]
    body = xlsb_record(0x94, struct.pack("<4I", 0, 1, 0, 1)) + xlsb_record(0x91)  # dim, data
    for r, row in enumerate(cells):
        body += xlsb_record(0x00, struct.pack("<I", r) + bytes(13))  # BrtRowHdr
        for c, text in enumerate(row):
            body += xlsb_record(0x06, struct.pack("<II", c, 0) + wide(text))  # BrtCellSt
    path = tmp_path / "ledger.xlsb"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("_rels/.rels", relationships(("officeDocument", "xl/workbook.bin")))
        book.writestr(
            "xl/_rels/workbook.bin.rels", relationships(("worksheet", "worksheets/sheet1.bin"))
        )
        sheets = xlsb_record(0x9C, struct.pack("<II", 0, 1) + wide("rId1") + wide("台账"))
        book.writestr("xl/workbook.bin", sheets + xlsb_record(0x90) + xlsb_record(0x9D, bytes(8)))
        book.writestr("xl/worksheets/sheet1.bin", body + xlsb_record(0x92))
    assert readers.read_cells(path.read_bytes()) == ("台账", cells)  # python-calamine reads it

    # Read whole, one far cell would make python-calamine allocate gigabytes.
    with pytest.raises(ReadError, match="另存为“Excel 工作簿（.xlsx）”再导入") as caught:
        read_table(path)
    assert caught.value.sheet == "台账"


# -- 9. files made to exhaust memory ----------------------------------------------------------


def test_a_cell_beyond_column_zz_is_refused_before_calamine_sizes_the_sheet(tmp_path):
    # calamine would fill the rectangle A1:XFD1048576 (17 billion cells) for this one cell.
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = hand_book(
        tmp_path / "far.xlsx", [("台账", "sheet1.xml", worksheet(text_rows("行", 3) + far))]
    )
    with pytest.raises(
        ReadError, match="单元格 XFD1048576 有内容，超出了台账可用的列范围"
    ) as caught:
        list(read_table(path).rows)
    assert caught.value.sheet == "台账"


def test_a_row_far_below_the_others_is_read_in_its_own_slice(tmp_path, monkeypatch):
    # Rows 1-3, then one cell at A1048576: one slice would span 1,048,576 rows x 2 columns.
    sizes = []
    real = xlsx_stream.SheetStream._cells

    def cells(self, piece):
        start, rows = real(self, piece)
        sizes.append(len(rows))
        return start, rows

    monkeypatch.setattr(xlsx_stream.SheetStream, "_cells", cells)
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>末</t></is></c></row>'
    path = hand_book(
        tmp_path / "low.xlsx", [("台账", "sheet1.xml", worksheet(text_rows("行", 3) + far))]
    )
    rows = [(n, r) for n, r in read_table(path).rows]
    assert rows == [(2, ["行2", 2.0]), (3, ["行3", 3.0]), (1048576, ["末"])]
    assert sizes == [3, 1]  # calamine was given rows 1-3, then row 1,048,576 alone


def test_many_empty_rows_are_cut_into_slices(tmp_path):
    # 3 MB of <row/> (self-closing: no </row> to cut after) compress to a few KB.
    body = text_rows("行", 2) + "<row/>" * 500_000
    path = hand_book(tmp_path / "empty-rows.xlsx", [("台账", "sheet1.xml", worksheet(body))])
    sheet = stream(path, "台账")
    sheet.slice_bytes = 64 * 1024
    assert slice_count(sheet) >= 40
    assert [r for r in sheet.rows() if r] == [["行1", 1.0], ["行2", 2.0]]


def test_a_row_too_long_to_cut_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_stream, "MAX_ROW_BYTES", 100_000)
    monkeypatch.setattr(xlsx_stream, "READ_BYTES", 4096)
    wide = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 10_000 + "</row>"
    path = hand_book(tmp_path / "wide.xlsx", [("台账", "sheet1.xml", worksheet(wide))])
    with pytest.raises(StreamError, match="有一行的数据超过"):
        list(open_sheet_stream(path, "台账", slice_bytes=1000).rows())


def test_a_sheet_over_the_uncompressed_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_stream, "MAX_SHEET_XML_BYTES", 10_000)
    path = hand_book(tmp_path / "big.xlsx", [("台账", "sheet1.xml", worksheet("<row/>" * 5_000))])
    with pytest.raises(ReadError, match="解压后有 0 MB，超过上限 0 MB"):
        read_table(path)
