"""What an uploaded evidence file really is, from its bytes (magic numbers), never its name.

Accepted kinds (DESIGN.md "Security": uploads are checked by content):

- PDF: starts with ``%PDF-``;
- PNG: the 8-byte PNG signature; JPEG: ``FF D8 FF``;
- Word .docx / Excel .xlsx (OOXML): a ZIP archive holding ``[Content_Types].xml`` and parts
  under ``word/`` or ``xl/`` (not both); macro-enabled packages (``vbaProject.bin``) are refused;
- Word .doc / Excel .xls (OLE compound file, ``D0 CF 11 E0 A1 B1 1A E1``): the root storage
  must hold a ``WordDocument`` stream (Word) or a ``Workbook``/``Book`` stream (Excel); other
  compound files (installers, PowerPoint, Outlook) and files with VBA macros are refused.

Everything else (executables, scripts, HTML, archives…) is refused, whatever its extension or
the content type the browser sent. python-magic is not used: the few signatures we accept are
checked here, and the ZIP and compound-file checks read only the directories, never the data.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileKind:
    """A recognised evidence file type: ``label`` for people, ``content_type`` for serving,
    ``extension`` (with the dot) for the stored name and the download name."""

    code: str
    label: str
    content_type: str
    extension: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "PDF", "application/pdf", ".pdf", (".pdf",))
PNG = FileKind("png", "PNG 图片", "image/png", ".png", (".png",))
JPEG = FileKind("jpeg", "JPEG 图片", "image/jpeg", ".jpg", (".jpg", ".jpeg", ".jpe"))
DOCX = FileKind(
    "docx",
    "Word 文档",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
    (".docx",),
)
XLSX = FileKind(
    "xlsx",
    "Excel 工作簿",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
    (".xlsx",),
)
DOC = FileKind("doc", "Word 97-2003 文档", "application/msword", ".doc", (".doc",))
XLS = FileKind("xls", "Excel 97-2003 工作簿", "application/vnd.ms-excel", ".xls", (".xls",))

KINDS = (PDF, PNG, JPEG, DOCX, XLSX, DOC, XLS)
ACCEPTED_TEXT = "PDF、图片（PNG/JPEG）、Word（.docx/.doc）、Excel（.xlsx/.xls）"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"


class UnsupportedFile(ValueError):
    """The file is not one of the accepted kinds; the message is Chinese, for the user."""


def sniff(fileobj: IO[bytes]) -> FileKind:
    """The kind of ``fileobj`` (a seekable binary file), judged by content only.

    The file position is restored. Raises :class:`UnsupportedFile` with a Chinese message
    naming what is accepted.
    """
    start = fileobj.tell()
    try:
        fileobj.seek(0)
        head = fileobj.read(8)
        if head.startswith(b"%PDF-"):
            return PDF
        if head == _PNG_SIGNATURE:
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(_ZIP_SIGNATURE):
            return _sniff_ooxml(fileobj)
        if head == _CFB_SIGNATURE:
            return _sniff_cfb(fileobj)
    finally:
        fileobj.seek(start)
    raise UnsupportedFile(
        f"文件内容不是可接受的类型，只接受 {ACCEPTED_TEXT}（按文件内容判断，不看扩展名）"
    )


def _sniff_ooxml(fileobj: IO[bytes]) -> FileKind:
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsupportedFile("压缩文件已损坏，无法识别为 Word 或 Excel 文档") from exc
    if "[Content_Types].xml" not in names:
        raise UnsupportedFile("ZIP 压缩包不是 Word 或 Excel 文档，不能作为佐证材料上传")
    word = any(n.startswith("word/") for n in names)
    excel = any(n.startswith("xl/") for n in names)
    if word == excel:
        raise UnsupportedFile("无法识别的 Office 文档，只接受 Word（.docx）和 Excel（.xlsx）")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UnsupportedFile("文档含有宏（VBA），不能上传，请另存为不含宏的 .docx 或 .xlsx")
    return DOCX if word else XLSX


# -- OLE compound file (MS-CFB) ----------------------------------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_NOSTREAM = 0xFFFFFFFF
_MAX_SECTORS = 1 << 20  # a bound on every chain we follow (loops in a crafted file)
_WORD_STREAMS = {"worddocument"}
_EXCEL_STREAMS = {"workbook", "book"}
_MACRO_ENTRIES = {"_vba_project_cur", "macros"}


class _CompoundFile:
    """Just enough of [MS-CFB] to list the names in the root storage."""

    def __init__(self, fileobj: IO[bytes]) -> None:
        self.f = fileobj
        fileobj.seek(0)
        header = fileobj.read(512)
        if len(header) < 512:
            raise UnsupportedFile("文件已截断，无法识别")
        shift = struct.unpack_from("<H", header, 30)[0]
        if shift not in (9, 12):
            raise UnsupportedFile("复合文档格式错误，无法识别")
        self.sector_size = 1 << shift
        self.first_dir = struct.unpack_from("<I", header, 48)[0]
        n_fat = struct.unpack_from("<I", header, 44)[0]
        first_difat = struct.unpack_from("<I", header, 68)[0]
        fat_sectors = [s for s in struct.unpack_from("<109I", header, 76) if s < _ENDOFCHAIN]
        per_sector = self.sector_size // 4
        seen: set[int] = set()
        sector = first_difat
        while sector < _ENDOFCHAIN and len(fat_sectors) < n_fat:
            if sector in seen or len(seen) > _MAX_SECTORS:
                raise UnsupportedFile("复合文档格式错误，无法识别")
            seen.add(sector)
            entries = struct.unpack(f"<{per_sector}I", self._sector(sector))
            fat_sectors += [s for s in entries[:-1] if s < _ENDOFCHAIN]
            sector = entries[-1]
        self.fat_sectors = fat_sectors[:n_fat]
        self._fat_cache: dict[int, tuple[int, ...]] = {}

    def _sector(self, number: int) -> bytes:
        self.f.seek((number + 1) * self.sector_size)
        data = self.f.read(self.sector_size)
        if len(data) < self.sector_size:
            raise UnsupportedFile("文件已截断，无法识别")
        return data

    def _next(self, sector: int) -> int:
        per_sector = self.sector_size // 4
        index, offset = divmod(sector, per_sector)
        if index >= len(self.fat_sectors):
            raise UnsupportedFile("复合文档格式错误，无法识别")
        if index not in self._fat_cache:
            self._fat_cache[index] = struct.unpack(
                f"<{per_sector}I", self._sector(self.fat_sectors[index])
            )
        return self._fat_cache[index][offset]

    def root_names(self) -> set[str]:
        """Lower-cased names of the entries directly under the root storage."""
        directory = bytearray()
        sector, seen = self.first_dir, set[int]()
        while sector < _ENDOFCHAIN:
            if sector in seen or len(seen) > _MAX_SECTORS:
                raise UnsupportedFile("复合文档格式错误，无法识别")
            seen.add(sector)
            directory += self._sector(sector)
            sector = self._next(sector)
        count = len(directory) // 128

        def entry(i: int) -> tuple[str, int, int, int]:
            raw = directory[i * 128 : (i + 1) * 128]
            length = min(struct.unpack_from("<H", raw, 64)[0], 64)
            name = bytes(raw[: max(length - 2, 0)]).decode("utf-16-le", "replace")
            left, right, child = struct.unpack_from("<3I", raw, 68)
            return name, left, right, child

        if count == 0:
            raise UnsupportedFile("复合文档格式错误，无法识别")
        names: set[str] = set()
        stack, visited = [entry(0)[3]], set[int]()
        while stack:
            i = stack.pop()
            if i == _NOSTREAM or i >= count or i in visited:
                continue
            visited.add(i)
            name, left, right, _child = entry(i)
            names.add(name.lower())
            stack += [left, right]
        return names


def _sniff_cfb(fileobj: IO[bytes]) -> FileKind:
    try:
        names = _CompoundFile(fileobj).root_names()
    except struct.error as exc:
        raise UnsupportedFile("复合文档格式错误，无法识别") from exc
    if names & _MACRO_ENTRIES:
        raise UnsupportedFile("文档含有宏（VBA），不能上传，请另存为不含宏的文档")
    if names & _WORD_STREAMS:
        return DOC
    if names & _EXCEL_STREAMS:
        return XLS
    raise UnsupportedFile(
        f"该 Office 复合文档不是 Word 或 Excel 文件（可能是安装包或其他程序文件），只接受 {ACCEPTED_TEXT}"
    )
