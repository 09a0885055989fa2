"""The leftovers of issue 9 point 5 (notes/h-input.md): an .xls (BIFF) workbook in the 1904 date
system read right or refused, never 4 years and 1 day early; the reading notes (读取说明) carried
by ``ImportResult`` and printed by ``foodsafe import``."""

from __future__ import annotations

import struct
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from foodsafe.imports import readers
from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.readers import read_table
from foodsafe.imports.services import ledger_import, ledger_preview
from foodsafe.imports.xls_marks import XlsMarksError, xls_date1904
from foodsafe.sampling.models import SamplingBatch

from .helpers import row_counts
from .test_bad_files import DATA, district  # noqa: F401  (the org units and business B0001)
from .test_real_file_quirks import quirks

NOTE_1904 = "工作簿使用1904日期系统（Mac 版 Excel 的选项），日期已按1904年1月1日起算"


def test_the_flag_is_read_from_the_biff_globals(tmp_path):
    # The committed sampling.xls is in the 1900 system (its DATEMODE record holds 0)...
    assert xls_date1904(DATA / "sampling.xls") is False
    assert read_table(DATA / "sampling.xls").date1904 is False
    # ...its copy with DATEMODE = 1 in the 1904 system, from a path and from bytes.
    path = quirks.date1904_xls(tmp_path)
    assert xls_date1904(path) is True and xls_date1904(path.read_bytes()) is True
    assert read_table(path).date1904 is True


@pytest.mark.usefixtures("district")
def test_a_1904_xls_imports_bare_serials_and_date_cells_alike(tmp_path):
    """Row 2's 抽样日期 is the bare number 44425, row 3's a date cell holding 44426; in the 1904
    system both count from 1904-01-01: 44425 days after it is 2025-08-18 (the 1900 reading,
    2021-08-17, plus the 1462 days between the systems). Before, the bare serial was read in
    the 1900 system, 2021-08-17, while the date cell next to it said 2025-08-19."""
    assert date(1904, 1, 1) + timedelta(days=44425) == date(2025, 8, 18)
    assert date(2021, 8, 17) + timedelta(days=1462) == date(2025, 8, 18)
    path = quirks.date1904_xls(tmp_path)
    result = ledger_import(ledger="sampling", path=path)
    assert result.added == 2
    dates = dict(SamplingBatch.objects.values_list("sample_number", "sampled_on"))
    assert dates == {"DC21120101000051": date(2025, 8, 18), "DC21120101000052": date(2025, 8, 19)}
    assert NOTE_1904 in result.notes


def test_structure_errors_are_named():
    data = (DATA / "sampling.xls").read_bytes()
    with pytest.raises(XlsMarksError, match="not an OLE2"):
        xls_date1904(b"PK\x03\x04" + data[4:])
    broken = bytearray(data)
    broken[0x30:0x34] = struct.pack("<I", 0x00FFFFFF)  # the directory's first sector: far away
    with pytest.raises(XlsMarksError, match="broken sector chain"):
        xls_date1904(bytes(broken))


@pytest.mark.usefixtures("district")
def test_an_xls_whose_date_system_cannot_be_read_is_refused(monkeypatch):
    """Never a guessed date: when the flag cannot be followed (a file python-calamine reads
    but whose compound-file structure is odd), the file is refused whole, saying why."""

    def cannot(source):
        raise XlsMarksError("a broken sector chain")

    monkeypatch.setattr(readers, "xls_date1904", cannot)
    before = row_counts()
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="sampling", path=DATA / "sampling.xls")
    assert row_counts() == before
    [error] = excinfo.value.errors
    assert error.file == "sampling.xls" and error.sheet == "抽检批次" and error.row == 0
    assert error.reason.startswith(
        "无法确定 .xls 文件使用的日期系统（1900 或 1904），为免日期读错不予导入"
    )
    assert "技术信息：a broken sector chain" in error.reason


@pytest.mark.usefixtures("district")
def test_the_command_line_prints_the_reading_notes(tmp_path, capsys):
    """The same notes as the preview's 读取说明, after the import: here the 1904 system."""
    path = quirks.date1904_xls(tmp_path)
    call_command("import", "sampling", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert f"读取说明 / reading notes:\n  {NOTE_1904}\n" in out
    assert "新增2" in out


@pytest.mark.usefixtures("district")
def test_import_result_notes_match_the_preview(tmp_path):
    """Invisible characters stripped from codes: ``ImportResult.notes`` lists what the preview
    lists (tests/imports/test_real_file_quirks.py spells the notes out)."""
    path = quirks.codes_csv(tmp_path)
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(lines[:6]), encoding="utf-8-sig")  # rows 2–6: the importable ones
    preview = ledger_preview(ledger="businesses", path=path)
    result = ledger_import(ledger="businesses", path=path, dry_run=True)
    assert preview.errors == [] and len(result.notes) == 5
    assert list(result.notes) == preview.notes
    assert result.notes[0] == (
        "第2行 统一社会信用代码：统一社会信用代码中的不可见字符已去除：U+200B 零宽空格"
    )


@pytest.mark.usefixtures("district")
def test_a_plain_file_has_no_notes():
    result = ledger_import(ledger="sampling", path=DATA / "sampling.xls", dry_run=True)
    assert result.notes == ()
