"""Evidence files are recognised by their bytes, never by name or browser content type."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from foodsafe.evidence import sniffing
from foodsafe.evidence.sniffing import UnsupportedFile, sniff
from tests.evidence import files

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (files.pdf, sniffing.PDF),
        (files.png, sniffing.PNG),
        (files.jpeg, sniffing.JPEG),
        (files.docx, sniffing.DOCX),
        (files.xlsx, sniffing.XLSX),
        (files.doc, sniffing.DOC),
        (files.xls, sniffing.XLS),
    ],
)
def test_accepted_kinds(make, kind):
    handle = io.BytesIO(make())
    handle.seek(5)
    assert sniff(handle) is kind
    assert handle.tell() == 5  # position restored


def test_real_excel_97_file():
    with (DATA / "sampling.xls").open("rb") as handle:
        assert sniff(handle) is sniffing.XLS


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (files.exe, "文件内容不是可接受的类型"),
        (files.html, "文件内容不是可接受的类型"),
        (lambda: b"", "文件内容不是可接受的类型"),
        (files.plain_zip, "不是 Word 或 Excel 文档"),
        (files.xlsm, "含有宏"),
        (files.doc_with_macros, "含有宏"),
        (files.ppt, "不是 Word 或 Excel 文件"),
        (lambda: files.doc()[:700], "文件已截断"),
        (lambda: files.docx()[:300], "已损坏"),
    ],
)
def test_refused(make, message):
    with pytest.raises(UnsupportedFile, match=message):
        sniff(io.BytesIO(make()))


def test_fake_docx_without_content_types_is_refused():
    # tests/data/imports/ledger.docx is a ZIP with only word/document.xml: not a Word file.
    with (DATA / "ledger.docx").open("rb") as handle, pytest.raises(UnsupportedFile):
        sniff(handle)


def test_compound_file_with_a_directory_loop_is_refused():
    data = bytearray(files.doc())
    # FAT entry of the directory sector (sector 1) points back to itself.
    data[512 + 4 : 512 + 8] = (1).to_bytes(4, "little")
    with pytest.raises(UnsupportedFile, match="格式错误"):
        sniff(io.BytesIO(bytes(data)))
