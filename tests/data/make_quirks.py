"""Write the small "real file" quirk files that tests/imports/test_real_file_quirks.py reads.

Each function writes one file into a directory (the tests use a temporary one; run
``.venv/bin/python tests/data/make_quirks.py DIR`` to look at them in Excel) and says what is
odd about it. Every file is a 经营者 (businesses) ledger referring to the subdistrict
120101001000 the tests create. The quirks are those of public bug reports of other projects:

* a workbook in the 1904 date system (Excel for Mac; openpyxl ``wb.epoch``, XlsxWriter
  ``date_1904``), with a date cell and a bare serial number;
* formula cells without a computed value, written by XlsxWriter (``<v>0</v>``) and by openpyxl
  (no value);
* codes with invisible characters, an apostrophe, a middle dot, and a personal ID number;
* a hidden first sheet and a hidden row;
* dates typed with a time of day, as text, as a datetime cell and in UTC;
* an .xls (BIFF8) workbook in the 1904 date system, with a date cell and a bare serial (made
  from the committed tests/data/imports/sampling.xls, a 抽检 ledger, not a businesses one).
"""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from stdnum.cn import uscc

SUB = "120101001000"
HEADER = [
    "登记编号",
    "名称",
    "统一社会信用代码",
    "许可证编号",
    "类别",
    "业态",
    "区划代码",
    "开业日期",
]
#: A USCC with its correct check character (GB 32100-2015).
GOOD_USCC = "91120101MA05K1234" + uscc.calc_check_digit("91120101MA05K1234")


def code(n: int) -> str:
    """The ``n``th distinct valid USCC (a USCC is unique per business)."""
    body = f"91120101MA05K12{n:02d}"
    return body + uscc.calc_check_digit(body)


#: The sample 居民身份证号码 of GB 11643-1999 (Beijing 朝阳区, born 1949-12-31, check X).
PERSONAL_ID = "11010519491231002X"
#: 2021-08-17 as a 1904-system serial: 44425 (its 1900-system serial) - 1462 days.
SERIAL_1904_OF_2021_08_17 = 42963


def row(number: str, name: str, **cells: object) -> list[object]:
    """A valid businesses row; ``cells`` replace columns by header."""
    values: dict[str, object] = dict(
        zip(HEADER, [number, name, "", "", "食品销售", "食杂店", SUB, ""], strict=True)
    )
    values.update(cells)
    return [values[h] for h in HEADER]


def date1904_xlsxwriter(out: Path) -> Path:
    """1904 date system (XlsxWriter): row 2 a date cell typed 2026-04-01, row 3 the bare
    serial 42963 in a General cell (2021-08-17 in the 1904 system)."""
    path = out / "quirk_1904_xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(path, {"date_1904": True})
    sheet = book.add_worksheet("经营者")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, row("Q0101", "日期单元格", 开业日期=""))
    sheet.write_datetime(1, 7, datetime(2026, 4, 1), book.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_row(2, 0, row("Q0102", "序号单元格", 开业日期=SERIAL_1904_OF_2021_08_17))
    book.close()
    return path


def date1904_openpyxl(out: Path) -> Path:
    """1904 date system (openpyxl ``wb.epoch``): row 2 a date cell typed 2026-04-01."""
    path = out / "quirk_1904_openpyxl.xlsx"
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "经营者"
    sheet.append(HEADER)
    sheet.append(row("Q0111", "日期单元格", 开业日期=date(2026, 4, 1)))
    book.save(path)
    return path


def formulas_xlsxwriter(out: Path) -> Path:
    """Formulas written by XlsxWriter (stored value 0, recalculation asked on opening): row 2's
    开业日期 =DATE(2021,8,17), row 3's 名称 ="示例"&"超市"."""
    path = out / "quirk_formulas_xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("经营者")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, row("Q0201", "公式日期"))
    sheet.write_formula(1, 7, "=DATE(2021,8,17)")
    sheet.write_row(2, 0, row("Q0202", ""))
    sheet.write_formula(2, 1, '="示例"&"超市"')
    book.close()
    return path


def formulas_openpyxl(out: Path) -> Path:
    """Formulas written by openpyxl (no stored value): row 2's 开业日期 =DATE(2021,8,17)."""
    path = out / "quirk_formulas_openpyxl.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "经营者"
    sheet.append(HEADER)
    sheet.append(row("Q0211", "公式日期", 开业日期="=DATE(2021,8,17)"))
    book.save(path)
    return path


def codes_csv(out: Path) -> Path:
    """UTF-8 CSV with BOM whose codes carry invisible characters (rows 2-6, all valid once
    stripped), a middle dot (row 7) and a personal ID number as the USCC (row 8). The header
    名称 carries a zero-width space."""
    path = out / "quirk_codes.csv"
    rows = [
        [h + "\u200b" if h == "名称" else h for h in HEADER],
        row("Q0301", "零宽空格", 统一社会信用代码="\u200b" + code(1)),
        row("Q0302", "字节顺序标记", 统一社会信用代码="\ufeff" + code(2)),
        row("Q0303", "单引号", 统一社会信用代码="'" + code(3)),
        row(
            "Q0304",
            "制表符和不换行空格",
            统一社会信用代码="\t" + code(4)[:9] + "\u00a0" + code(4)[9:],
        ),
        row("Q0305", "许可证零宽空格", 许可证编号="JY1120101\u200b0001019"),
        row("Q0306", "中间点", 统一社会信用代码=code(6)[:8] + "·" + code(6)[8:]),
        row("Q0307", "身份证号", 统一社会信用代码=PERSONAL_ID),
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def hidden(out: Path) -> Path:
    """A hidden first sheet 旧台账 (a matching header and an old row) before the visible 经营者,
    whose row 3 is hidden."""
    path = out / "quirk_hidden.xlsx"
    book = openpyxl.Workbook()
    old = book.active
    old.title = "旧台账"
    old.append(HEADER)
    old.append(row("Q0400", "旧数据，不应读取"))
    old.sheet_state = "hidden"
    sheet = book.create_sheet("经营者")
    sheet.append(HEADER)
    sheet.append(row("Q0401", "可见行"))
    sheet.append(row("Q0402", "隐藏行"))
    sheet.append(row("Q0403", "可见行二"))
    sheet.row_dimensions[3].hidden = True
    book.active = 1
    book.save(path)
    return path


def timed_dates(out: Path) -> Path:
    """开业日期 typed with a time: text "2026-04-01 07:30" (row 2), a datetime cell
    2026-04-01 07:30 (row 3), text "2026-03-31T23:30:00Z" (row 4, UTC: 07:30 on 04-01 in
    Shanghai)."""
    path = out / "quirk_timed_dates.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("经营者")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, row("Q0501", "文本带时间", 开业日期="2026-04-01 07:30"))
    sheet.write_row(2, 0, row("Q0502", "日期时间单元格"))
    fmt = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_datetime(2, 7, datetime(2026, 4, 1, 7, 30), fmt)
    sheet.write_row(3, 0, row("Q0503", "协调世界时", 开业日期="2026-03-31T23:30:00Z"))
    book.close()
    return path


def _patch(data: bytearray, stream: bytes, offset: int, new: bytes) -> None:
    """Write ``new`` at ``offset`` of the Workbook stream, found in the file by the unique
    24 bytes of the stream around it (the stream's sectors are not contiguous in general)."""
    start = max(0, offset - 12)
    context = stream[start : start + 24]
    assert data.count(context) == 1, "context not unique"
    at = data.index(context) + (offset - start)
    data[at : at + len(new)] = new


def date1904_xls(out: Path) -> Path:
    """tests/data/imports/sampling.xls switched to the 1904 date system: its DATEMODE record
    set to 1, and the 抽样日期 cell of row 2 (an RK record holding serial 44425) given the
    General format (XF 17, the one the text cells use), so that it is a bare serial. Both
    serials count from 1904-01-01: row 2 (bare, 44425) and row 3 (date cell, 44426) are
    2025-08-18 and 2025-08-19, 1462 days after the 1900 reading."""
    import struct

    from foodsafe.imports.xls_marks import _workbook_stream

    source = Path(__file__).parent / "imports" / "sampling.xls"
    data = bytearray(source.read_bytes())
    stream = _workbook_stream(bytes(data))
    offset = 0
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        if kind == 0x0022:  # DATEMODE: 1 = the 1904 date system
            _patch(data, stream, offset + 4, struct.pack("<H", 1))
        if kind == 0x027E and struct.unpack_from("<HH", stream, offset + 4) == (1, 1):
            _patch(data, stream, offset + 8, struct.pack("<H", 17))  # the RK's XF index
        offset += 4 + length
    path = out / "quirk_1904.xls"
    path.write_bytes(bytes(data))
    return path


ALL = (
    date1904_xlsxwriter,
    date1904_openpyxl,
    formulas_xlsxwriter,
    formulas_openpyxl,
    codes_csv,
    hidden,
    timed_dates,
    date1904_xls,
)

if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for make in ALL:
        print(make(target))
