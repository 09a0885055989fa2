"""The date system of an .xls (BIFF) workbook, which python-calamine does not tell.

A BIFF workbook in the 1904 date system (Excel for Mac before 2011, or the option 使用1904日期系统)
stores date serials counted from 1904-01-01; read in the 1900 system a bare serial comes out
4 years and 1 day early. The flag is the DATEMODE record (type 0x0022, two bytes, 1 = 1904) of
the workbook globals ([MS-XLS] 2.4.77), the first substream of the ``Workbook`` stream (BIFF8;
``Book`` in BIFF5) inside the OLE2 compound file ([MS-CFB]). This module finds that stream
through the compound file's directory and FAT, and walks its records from the start up to the
globals' EOF record, so a byte pattern inside cell data can never be taken for the flag.

``xls_date1904`` raises ``XlsMarksError`` when the structure cannot be followed; the reader
then refuses the file ("save as .xlsx") rather than guess the date system.
"""

from __future__ import annotations

import struct
from pathlib import Path

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_DATEMODE, _EOF, _BOF = 0x0022, 0x000A, 0x0809
#: The globals substream is a few KiB to a few MiB (shared strings); never walk further.
_MAX_GLOBALS = 64 * 1024 * 1024


class XlsMarksError(Exception):
    """The compound file or the BIFF globals cannot be followed."""


def xls_date1904(source: bytes | Path) -> bool:
    """True when the .xls workbook ``source`` (its bytes or path) declares the 1904 date
    system; False for the 1900 system (also when it has no DATEMODE record, the default)."""
    data = source.read_bytes() if isinstance(source, Path) else source
    stream = _workbook_stream(data)
    offset = 0
    while offset + 4 <= len(stream) and offset < _MAX_GLOBALS:
        kind, length = struct.unpack_from("<HH", stream, offset)
        if offset == 0 and kind not in (_BOF, 0x0409, 0x0209, 0x0009):
            raise XlsMarksError("the Workbook stream does not start with a BOF record")
        if kind == _DATEMODE:
            if length < 2 or offset + 6 > len(stream):
                raise XlsMarksError("a DATEMODE record without its value")
            return struct.unpack_from("<H", stream, offset + 4)[0] == 1
        if kind == _EOF:
            return False
        offset += 4 + length
    raise XlsMarksError("the workbook globals end without an EOF record")


def _workbook_stream(data: bytes) -> bytes:
    if len(data) < 512 or not data.startswith(OLE2_MAGIC):
        raise XlsMarksError("not an OLE2 compound file")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise XlsMarksError("unexpected sector sizes")
    size = 1 << sector_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, _n_minifat, first_difat, n_difat = struct.unpack_from(
        "<IIIII", data, 0x38
    )

    def sector(n: int) -> bytes:
        start = (n + 1) * size
        if n >= _END - 16 or start >= len(data):  # a short last sector is allowed
            raise XlsMarksError(f"sector {n} outside the file")
        return data[start : start + size]

    # The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s != _FREE]
    difat, seen = first_difat, 0
    while difat not in (_END, _FREE) and seen < n_difat:
        entries = struct.unpack(f"<{size // 4}I", sector(difat))
        fat_sectors += [s for s in entries[:-1] if s != _FREE]
        difat, seen = entries[-1], seen + 1
    fat_sectors = fat_sectors[:n_fat]
    fat: list[int] = []
    for s in fat_sectors:
        fat += struct.unpack(f"<{size // 4}I", sector(s))

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        n = start
        while n not in (_END, _FREE):
            if n >= len(table) or len(out) > len(table):
                raise XlsMarksError("a broken sector chain")
            out.append(n)
            n = table[n]
        return out

    directory = b"".join(sector(s) for s in chain(first_dir, fat))
    root = None
    found = None
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at : at + 128]
        name_len = struct.unpack_from("<H", entry, 0x40)[0]
        kind = entry[0x42]
        name = entry[: max(0, name_len - 2)].decode("utf-16-le", "replace")
        start, length = struct.unpack_from("<II", entry, 0x74)
        if kind == 5:
            root = (start, length)
        elif kind == 2 and name in ("Workbook", "Book") and found is None:
            found = (start, length)
    if found is None or root is None:
        raise XlsMarksError("no Workbook stream")
    start, length = found
    if length >= cutoff:
        return b"".join(sector(s) for s in chain(start, fat))[:length]
    # A small stream lives in the mini stream (64-byte sectors inside the root's stream).
    mini_stream = b"".join(sector(s) for s in chain(root[0], fat))
    minifat: list[int] = []
    for s in chain(first_minifat, fat):
        minifat += struct.unpack(f"<{size // 4}I", sector(s))
    return b"".join(mini_stream[n * 64 : n * 64 + 64] for n in chain(start, minifat))[:length]
