"""Tiny real files of every accepted kind, built here (no binary fixtures), and impostors.

- PDF: a one-page PDF with a valid cross-reference table;
- PNG: a 1×1 RGB image (IHDR, IDAT, IEND with their CRCs);
- JPEG: the smallest well-formed JPEG (1×1, arithmetic coded);
- DOCX / XLSX: written by python-docx and openpyxl;
- DOC / XLS: an OLE compound file (MS-CFB v3: header, one FAT sector, one directory sector)
  whose root holds a ``WordDocument`` or ``Workbook`` stream, as Word 97 and Excel 97 write;
- impostors: a Windows executable (``MZ`` … ``PE``), HTML, a plain ZIP, a macro workbook, a
  compound file that is a PowerPoint deck.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter 0, one red pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return bytes.fromhex(
        "ffd8ffe000104a46494600010101004800480000"
        "ffdb004300030202020203020202030303030406040404040408060605060908"
        "0a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f101010"
        "ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2cf20ffd9"
    )


def docx(text: str = "食品安全工作会议纪要") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["序号", "问题"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def compound_file(*stream_names: str) -> bytes:
    """An MS-CFB v3 file (512-byte sectors) whose root storage holds ``stream_names`` (empty
    streams); sector 0 is the FAT, sector 1 the directory."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int, left: int, right: int, child: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\x00").encode("utf-16-le")
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, left, right, child)
        struct.pack_into("<II", raw, 116, end, 0)  # start sector, size
        return bytes(raw)

    entries = [entry("Root Entry", 5, no_stream, no_stream, 1 if stream_names else no_stream)]
    for i, name in enumerate(stream_names, start=1):
        right = i + 1 if i < len(stream_names) else no_stream
        entries.append(entry(name, 2, no_stream, right, no_stream))
    while len(entries) % 4:
        entries.append(entry("", 0, no_stream, no_stream, no_stream))
    directory = b"".join(entries)
    assert len(directory) == 512, "one directory sector holds four entries"
    return bytes(header) + fat + directory


def doc() -> bytes:
    return compound_file("\x01CompObj", "WordDocument", "1Table")


def xls() -> bytes:
    return compound_file("\x05SummaryInformation", "Workbook")


def exe() -> bytes:
    """The start of a Windows PE executable: DOS header (``MZ``), stub, ``PE\\0\\0``."""
    dos = bytearray(128)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x80)
    dos[0x40:0x4E] = b"This program c"
    return bytes(dos) + b"PE\x00\x00" + b"\x4c\x01" + bytes(200)


def html() -> bytes:
    return b"<!doctype html><script>alert(1)</script>"


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    return buffer.getvalue()


def xlsm() -> bytes:
    """An .xlsx with a VBA project added: a macro workbook."""
    buffer = io.BytesIO(xlsx())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def ppt() -> bytes:
    return compound_file("PowerPoint Document", "Current User")


def doc_with_macros() -> bytes:
    return compound_file("WordDocument", "1Table", "Macros")


def upload(content: bytes, name: str = "材料.pdf", content_type: str = "application/pdf"):
    """A file as Django hands an upload to a view (the browser's content type is kept but
    never trusted)."""
    return SimpleUploadedFile(name, content, content_type=content_type)
