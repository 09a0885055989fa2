"""CSV files as records: the encoding found from the bytes (UTF-8 with or without BOM, UTF-16
with BOM as Excel's "Unicode text" writes it, else GB18030, a superset of GBK and GB2312), comma
or tab separated, decoded as the records are used when read from a path. Used by
:mod:`foodsafe.imports.readers`."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors_read import ReadError

#: Tried in order on a CSV file without a BOM; GB18030 decodes every GBK and GB2312 file.
CSV_ENCODINGS = ("utf-8", "gb18030")


def detect_encoding(data: bytes) -> str:
    """The encoding of CSV ``data``, from its content: BOM, else UTF-8 if valid, else GB18030.

    Raises ``ReadError`` when no candidate decodes the bytes (e.g. a binary file).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in CSV_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ReadError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV，或 Excel 文件")


def decode_text(data: bytes) -> str:
    """Decode CSV bytes in the encoding ``detect_encoding`` finds."""
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    if "\x00" in text:
        raise ReadError("文件不是 Excel 或 CSV 表格")
    return text


def read_csv_cells(data: bytes) -> list[list[Any]]:
    """The records of a CSV file (comma- or tab-separated), each a list of strings."""
    records, _count = iter_csv_cells(data)
    return list(records)


def iter_csv_cells(data: bytes) -> tuple[Iterator[list[Any]], int]:
    """The records of a CSV file as an iterator, and about how many there are (its lines)."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("文件不是 Excel 或 CSV 表格")
    text = decode_text(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","

    def generate() -> Iterator[list[Any]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            yield from reader
        except csv.Error as exc:
            raise ReadError(_csv_reason(exc, reader.line_num)) from exc

    return generate(), text.count("\n") + 1


_CSV_REASONS = (
    ("field larger than field limit", "有一个单元格超过 131,072 个字符，不是正常的台账内容"),
    ("new-line character seen in unquoted field", "有换行符不在引号内"),
    ("line contains NUL", "含有空字符（NUL），可能不是 CSV 文件"),
)


def _csv_reason(exc: csv.Error, line: int) -> str:
    """The csv module's error in Chinese, with the line it was found on."""
    for english, chinese in _CSV_REASONS:
        if english in str(exc):
            return f"CSV 格式错误（第{line}行）：{chinese}"
    return f"CSV 格式错误（第{line}行）（技术信息：{exc}）"


#: Bytes read from a CSV file at a time.
CSV_BLOCK = 1024 * 1024


def iter_csv_file(path: Path) -> tuple[Iterator[list[Any]], int]:
    """The records of the CSV file at ``path``, decoded as they are read, and about how many
    there are (its lines): what ``iter_csv_cells`` gives for its bytes, without holding them.

    The file is read twice: once to find its encoding (the whole content must decode, as in
    ``detect_encoding``) and count its lines, then as the records are used. Raises ``ReadError``
    as ``iter_csv_cells`` does.
    """
    encoding, lines, first = _scan_csv(path)
    delimiter = "\t" if first.count("\t") > first.count(",") else ","

    def generate() -> Iterator[list[Any]]:
        with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
            reader = csv.reader(text, delimiter=delimiter)
            try:
                yield from reader
            except csv.Error as exc:
                raise ReadError(_csv_reason(exc, reader.line_num)) from exc
            except UnicodeDecodeError as exc:  # the file changed since it was scanned
                raise ReadError(f"CSV 文件编码有误：{exc}") from exc

    return generate(), lines


def _scan_csv(path: Path) -> tuple[str, int, str]:
    """(encoding, line count + 1, first non-blank line) of a CSV file, read in blocks."""
    with path.open("rb") as handle:
        start = handle.read(4096)
    wide = start.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in start and not wide:
        raise ReadError("文件不是 Excel 或 CSV 表格")
    if start.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif wide:
        candidates = ("utf-16",)
    else:
        candidates = CSV_ENCODINGS
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines, first = 1, ""
        try:
            with path.open("rb") as handle:
                while block := handle.read(CSV_BLOCK):
                    text = decoder.decode(block)
                    if "\x00" in text:
                        raise ReadError("文件不是 Excel 或 CSV 表格")
                    lines += text.count("\n")
                    if not first:
                        first = next((line for line in text.splitlines() if line.strip()), "")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines, first
    raise ReadError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV，或 Excel 文件")
